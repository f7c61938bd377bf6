// Command terraform-provider-tenant serves the tenant provider to Terraform.
package main

import (
	"flag"
	"log"
	"os"
	rdebug "runtime/debug"
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
	tuneGC()
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
func quietFrameworkLogs() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	_ = os.Setenv("TF_LOG_SDK", "off")
}

// gcPercent is the provider's garbage collection target, GOGC: the heap may
// grow to five times what is live before the collector runs (Go's default,
// 100, lets it grow to twice). The provider's live heap is small (the
// catalog and the requests in flight) while planning a tenant allocates
// about half a megabyte of short-lived values (BenchmarkPlanTenantConfig), so at the
// default the collector runs every few tenants. At 400 the provider's CPU in
// a plan of 1,000 tenants fell by about a quarter and its peak RSS rose from
// 37 to 54 MiB (make bench).
const gcPercent = 400

// tuneGC sets gcPercent, unless GOGC is set: then the user's value holds.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		rdebug.SetGCPercent(gcPercent)
	}
}
