package provision

import (
	"testing"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

func defaultCatalog(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	cat, err := catalog.Default()
	if err != nil {
		tb.Fatalf("loading the embedded catalog: %v", err)
	}
	return cat
}

// sampleConfig is the sample render of a tier (production), as the
// catalog check renders it.
func sampleConfig(tb testing.TB, cat *catalog.Catalog, tier *catalog.Tier) map[string]any {
	tb.Helper()
	res, ps := render.RenderSample(cat, tier, "production")
	if len(ps) > 0 {
		tb.Fatalf("RenderSample(%s): %v", tier.Name, ps)
	}
	return res.Config
}

// tenantConfig renders tier for the tenant id.
func tenantConfig(tb testing.TB, cat *catalog.Catalog, id, tier string) map[string]any {
	tb.Helper()
	res, ps := render.Render(cat, render.Input{
		TenantID: id, TenantName: "Tenant " + id, Tier: tier,
		Environment: "production", Region: "us-east-1", Timezone: "UTC",
		Variables: map[string]string{},
	})
	if len(ps) > 0 {
		tb.Fatalf("render %s (%s): %v", id, tier, ps)
	}
	return res.Config
}

// artifacts renders tier for id and generates its artifacts.
func artifacts(tb testing.TB, cat *catalog.Catalog, id, tier string) (Input, Artifacts) {
	tb.Helper()
	in, err := FromConfig(tenantConfig(tb, cat, id, tier))
	if err != nil {
		tb.Fatalf("FromConfig(%s, %s): %v", id, tier, err)
	}
	a, err := Generate(in)
	if err != nil {
		tb.Fatalf("Generate(%s, %s): %v", id, tier, err)
	}
	return in, a
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
