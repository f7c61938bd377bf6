// Command terraform-provider-tenant serves the tenant provider to Terraform.
package main

import (
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/tenantry/terraform-provider-tenant/internal/provider"

	// The time zone database ships in the binary, so that timezone checks
	// behave the same on every machine, remote runs included.
	_ "time/tzdata"
)

// Set by the release build (goreleaser's ldflags).
var (
	version = "dev"
	commit  = "none"
)

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	quietFrameworkLogs()
	stopProfiles := startProfiles()
	// What providerserver.Serve does for protocol 6, with the framework's
	// server wrapped so that it lets go of each request's context once the
	// request is served (see provider.NewProtocol6Server).
	err := tf6server.Serve("registry.terraform.io/tenantry/tenant", provider.NewProtocol6Server(version), opts...)
	stopProfiles()
	if err != nil {
		log.Fatalf("%s (commit %s): %s", "terraform-provider-tenant", commit, err)
	}
}

// quietFrameworkLogs turns the plugin framework's own logs off when no
// TF_LOG* variable is set. Without one, the framework writes its trace logs
// anyway (about 125 lines per tenant in a plan), and Terraform reads each
// line from the provider and drops it, since it shows provider logs only when
// TF_LOG or TF_LOG_PROVIDER asks for them: about a sixth of a plan's time at
// 1,000 tenants goes to lines nobody sees. Any TF_LOG* variable, TF_LOG_SDK
// among them, leaves logging exactly as the framework sets it up.
//
// Measured: without it a plan of 1,000 tenants takes 19 % longer (the
// performance guide). It goes when the framework stops logging unasked
// (hashicorp/terraform-plugin-framework#1269): TestFrameworkLogsEveryRequest
// fails then.
func quietFrameworkLogs() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	_ = os.Setenv("TF_LOG_SDK", "off")
}
