package provider

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/tenantry/terraform-provider-tenant/internal/provision"
)

// TestEngineRegistryInProvider ties the engine registry to the provider:
// the provisioning object has one field per artifact of the registry, and every resource the registry names is served.
func TestEngineRegistryInProvider(t *testing.T) {
	var fields []string
	for _, f := range provisioningFields {
		fields = append(fields, f.name)
	}
	names := provision.ArtifactNames()
	slices.Sort(fields)
	slices.Sort(names)
	if !slices.Equal(fields, names) {
		t.Errorf("provisioning fields %v, the registry's artifacts %v", fields, names)
	}
	served := map[string]bool{}
	for _, f := range testProvider().Resources(context.Background()) {
		resp := &resource.MetadataResponse{}
		f().Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "tenant"}, resp)
		served[resp.TypeName] = true
	}
	for _, e := range provision.Registry() {
		if e.Resource != "" && !served[e.Resource] {
			t.Errorf("the registry says %s enforces %s, but the provider does not serve it", e.Resource, e.Name)
		}
	}
}
