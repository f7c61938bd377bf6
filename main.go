// Command terraform-provider-tenant serves the tenant provider to Terraform.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

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

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/tenantry/tenant",
		Debug:           debug,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatalf("%s (commit %s): %s", "terraform-provider-tenant", commit, err)
	}
}
