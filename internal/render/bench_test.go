package render

import (
	"fmt"
	"testing"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// benchOverrides is a realistic overrides object: about twenty leaves across
// monitoring, backup, databases and custom, valid on every tier.
const benchOverrides = `
monitoring:
  log_level: info
  alerts:
    storage_threshold: 85
    connection_threshold: 4
    channels: [email, slack]
  dashboards:
    enabled: true
    retention_days: 14
backup:
  retention_days: 14
  schedule:
    full_backup: "0 3 * * 0"
databases:
  postgresql:
    version: "16"
    extensions: [pg_trgm, uuid-ossp]
    custom_parameters:
      work_mem: 64MB
      max_parallel_workers: 2
    resources:
      cpu_cores: 0.25
      memory_gb: 0.5
  mongodb:
    version: "7.0"
custom:
  team: platform
  cost_center: CC-1234
  owner: "${TENANT_ID}@example.com"
  tags: [saas, eu]
`

// fleet returns n inputs of one tier for n different tenants, as a
// workspace holds them: each its own id and name, the regions and time zones
// repeating from tenant to tenant.
func fleet(tier string, n int, ov any) []Input {
	regions := []string{"us-east-1", "eu-west-1", "ap-southeast-2"}
	zones := []string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"}
	out := make([]Input, n)
	for i := range out {
		out[i] = Input{
			TenantID:    fmt.Sprintf("tenant_%05d", i),
			TenantName:  fmt.Sprintf("Tenant %d Ltd", i),
			Tier:        tier,
			Environment: "production",
			Region:      regions[i%len(regions)],
			Timezone:    zones[i%len(zones)],
			Overrides:   ov,
		}
	}
	return out
}

// benchRender renders a fleet of distinct tenants round-robin, so that
// nothing a tenant's own values go through is remembered from an earlier
// iteration: each op is one tenant's render as a plan of the whole fleet
// meets it. Tenant i has the overrides ov(i).
func benchRender(b *testing.B, tier string, ov func(i int) any) {
	cat := defaultCatalog(b)
	tenants := fleet(tier, 1<<14, nil)
	for i := range tenants {
		tenants[i].Overrides = ov(i)
	}
	mustRender(b, cat, tenants[0]) // the catalog's once-only work
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ps := Render(cat, tenants[i%len(tenants)]); len(ps) > 0 {
			b.Fatal(ps)
		}
		i++
	}
}

// same returns the overrides function that gives every tenant ov.
func same(ov any) func(int) any { return func(int) any { return ov } }

func BenchmarkRender(b *testing.B) {
	for _, tier := range fuzzTiers {
		b.Run(tier, func(b *testing.B) { benchRender(b, tier, same(nil)) })
	}
}

// BenchmarkRenderWithOverrides gives every tenant of the fleet the same
// overrides, as a module's defaults do.
func BenchmarkRenderWithOverrides(b *testing.B) {
	ov := overrides(b, benchOverrides)
	for _, tier := range fuzzTiers {
		b.Run(tier, func(b *testing.B) { benchRender(b, tier, same(ov)) })
	}
}

// BenchmarkRenderWithOwnOverrides gives each tenant overrides of its own:
// 1,024 variants of the realistic overrides, each with its own cost center
// in custom and seen again only after all the others.
func BenchmarkRenderWithOwnOverrides(b *testing.B) {
	benchVariants(b, func(ov map[string]any, i int) {
		set(ov, fmt.Sprintf("CC-%04d", i), "custom", "cost_center")
	})
}

// BenchmarkRenderWithDistinctOverrides gives each tenant overrides of which
// no section is another tenant's: 1,024 variants of the realistic
// overrides, each with values of its own in every section.
func BenchmarkRenderWithDistinctOverrides(b *testing.B) {
	benchVariants(b, func(ov map[string]any, i int) {
		set(ov, fmt.Sprintf("CC-%04d", i), "custom", "cost_center")
		set(ov, 70+float64(i)/100, "monitoring", "alerts", "storage_threshold")
		set(ov, fmt.Sprintf("%d %d * * 0", i%60, i/60%24), "backup", "schedule", "full_backup")
		set(ov, fmt.Sprintf("%dkB", 4096+i), "databases", "postgresql", "custom_parameters", "work_mem")
	})
}

// benchVariants renders a fleet whose tenants have 1,024 variants of the
// realistic overrides in turn, each made by vary.
func benchVariants(b *testing.B, vary func(ov map[string]any, i int)) {
	variants := make([]any, 1<<10)
	for i := range variants {
		ov, _ := overrides(b, benchOverrides).(map[string]any)
		vary(ov, i)
		variants[i] = ov
	}
	for _, tier := range fuzzTiers {
		b.Run(tier, func(b *testing.B) {
			benchRender(b, tier, func(i int) any { return variants[i%len(variants)] })
		})
	}
}

// set sets the value at path in the overrides tree ov, which has maps all
// the way.
func set(ov map[string]any, v any, path ...string) {
	for _, k := range path[:len(path)-1] {
		ov, _ = ov[k].(map[string]any)
	}
	ov[path[len(path)-1]] = v
}

func BenchmarkEncode(b *testing.B) {
	cfg := mustRender(b, defaultCatalog(b), input("enterprise")).Config
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tree.Encode(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAccess(b *testing.B) {
	text := shownYAML(b, mustRender(b, defaultCatalog(b), input("enterprise")))
	b.ReportAllocs()
	for b.Loop() {
		cfg, err := ParseRendered(text)
		if err != nil {
			b.Fatal(err)
		}
		if ok, reason := Access(cfg, "postgresql", "write"); !ok {
			b.Fatal(reason)
		}
	}
}

// BenchmarkCatalogLoad loads the embedded catalog from scratch (an empty
// custom directory adds nothing), not the cached Default.
func BenchmarkCatalogLoad(b *testing.B) {
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := catalog.LoadDir(dir); err != nil {
			b.Fatal(err)
		}
	}
}
