package render

import (
	"fmt"
	"maps"
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
// meets it.
func benchRender(b *testing.B, tier string, ov any) {
	cat := defaultCatalog(b)
	tenants := fleet(tier, 1<<14, ov)
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

func BenchmarkRender(b *testing.B) {
	for _, tier := range fuzzTiers {
		b.Run(tier, func(b *testing.B) { benchRender(b, tier, nil) })
	}
}

// BenchmarkRenderWithOverrides gives every tenant of the fleet the same
// overrides, as a module's defaults do: from the second tenant on, renders
// share a reference made with them.
func BenchmarkRenderWithOverrides(b *testing.B) {
	ov := overrides(b, benchOverrides)
	for _, tier := range fuzzTiers {
		b.Run(tier, func(b *testing.B) { benchRender(b, tier, ov) })
	}
}

// BenchmarkRenderWithOwnOverrides gives each tenant overrides of its own:
// 1,024 variants of the realistic overrides, each with its own cost center
// and seen again only after all the others, so no reference is shared. The
// variants share their other values, as overrides just decoded for a plan
// are in the processor's cache.
func BenchmarkRenderWithOwnOverrides(b *testing.B) {
	ov, _ := overrides(b, benchOverrides).(map[string]any)
	variants := make([]any, 1<<10)
	for i := range variants {
		custom := maps.Clone(ov["custom"].(map[string]any)) //nolint:forcetypeassert // benchOverrides has it
		custom["cost_center"] = fmt.Sprintf("CC-%04d", i)
		v := maps.Clone(ov)
		v["custom"] = custom
		variants[i] = v
	}
	for _, tier := range fuzzTiers {
		b.Run(tier, func(b *testing.B) {
			cat := defaultCatalog(b)
			tenants := fleet(tier, 1<<14, nil)
			for i := range tenants {
				tenants[i].Overrides = variants[i%len(variants)]
			}
			mustRender(b, cat, tenants[0])
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, ps := Render(cat, tenants[i%len(tenants)]); len(ps) > 0 {
					b.Fatal(ps)
				}
				i++
			}
		})
	}
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
	text := mustRender(b, defaultCatalog(b), input("enterprise")).YAML
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
