package render

import (
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

func BenchmarkRender(b *testing.B) {
	cat := defaultCatalog(b)
	for _, tier := range fuzzTiers {
		b.Run(tier, func(b *testing.B) {
			in := input(tier)
			mustRender(b, cat, in) // warm the schema and time zone caches
			b.ReportAllocs()
			for b.Loop() {
				if _, ps := Render(cat, in); len(ps) > 0 {
					b.Fatal(ps)
				}
			}
		})
	}
}

func BenchmarkRenderWithOverrides(b *testing.B) {
	cat := defaultCatalog(b)
	ov := overrides(b, benchOverrides)
	for _, tier := range fuzzTiers {
		b.Run(tier, func(b *testing.B) {
			in := input(tier)
			in.Overrides = ov
			in.Regulations = nil
			mustRender(b, cat, in)
			b.ReportAllocs()
			for b.Loop() {
				if _, ps := Render(cat, in); len(ps) > 0 {
					b.Fatal(ps)
				}
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
