package provider

import (
	"bytes"
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-log/tfsdklogtest"
)

// The framework writes its own log lines for every request, whatever level
// Terraform reads (hashicorp/terraform-plugin-framework#1269): that is why
// main.go turns them off (quietFrameworkLogs) when no TF_LOG* variable asks
// for them, which saves about a sixth of a plan of 1,000 tenants (the
// performance guide). Should the framework stop logging unasked, this test
// fails and quietFrameworkLogs can go.
func TestFrameworkLogsEveryRequest(t *testing.T) {
	var out bytes.Buffer
	ctx := tfsdklogtest.RootLogger(context.Background(), &out)
	srv := providerserver.NewProtocol6(testProvider())()
	if _, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	entries, err := tfsdklogtest.MultilineJSONDecode(&out)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("the framework wrote no log line for a request: quietFrameworkLogs in main.go is no longer needed")
	}
}
