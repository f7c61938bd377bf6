package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The tenant id validator refuses what render refuses, on the attribute,
// quoting at most the start of the value.
func TestTenantIDValidator(t *testing.T) {
	for id, want := range map[string]string{
		"acme":                      "",
		"pg_abc":                    "pg_",
		"current":                   "current_user",
		"Acme":                      "lowercase",
		strings.Repeat("a", 10<<20): "(10485760 bytes)",
	} {
		resp := &validator.StringResponse{}
		tenantIDValidator{}.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("tenant_id"), ConfigValue: types.StringValue(id),
		}, resp)
		if want == "" {
			if resp.Diagnostics.HasError() {
				t.Errorf("%q refused: %v", id, resp.Diagnostics)
			}
			continue
		}
		if !resp.Diagnostics.HasError() {
			t.Errorf("%.20q accepted", id)
			continue
		}
		d := resp.Diagnostics[0]
		if text := d.Summary() + d.Detail(); !strings.Contains(text, want) || len(text) > 1000 {
			t.Errorf("%.20q: %.300s, want %q", id, text, want)
		}
	}
}
