package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
)

// customCatalog loads the embedded catalog plus one startup.yml.
// startupTier is a valid custom tier that extends standard.
const startupTier = `tier:
  name: startup
  rank: 2
  extends: standard
  limits: {max_users: 50, storage_gb: 10, api_calls_per_month: 50000, db_connections: 20}
config:
  subscription: {max_users: 50, storage_gb: 10, api_calls_per_month: 50000, db_connections: 20}
  custom:
    team: ${TEAM}
`

func customCatalog(t *testing.T, startup string) *catalog.Catalog {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "startup.yml"), []byte(startup), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.LoadDir(dir)
	if err != nil {
		t.Fatalf("the custom catalog does not load: %v", err)
	}
	return cat
}

func TestCheckCatalogCustom(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		startup string
		want    []string // substrings of the error; none: the check passes
	}{
		{name: "a valid custom tier", startup: startupTier},
		{name: "a ceiling variable of an engine without a ceiling",
			startup: `tier:
  name: startup
  rank: 2
  extends: standard
config:
  databases:
    clickhouse:
      resources:
        cpu_cores: ${CLICKHOUSE_CPU_CORES}
`,
			want: []string{"tier startup (startup.yml)", "startup.yml:9", `unknown variable "CLICKHOUSE_CPU_CORES"`, "databases.clickhouse.resources.cpu_cores"}},
		{name: "defaults over the tier's own ceilings",
			startup: `tier:
  name: startup
  rank: 2
  extends: standard
  databases:
    postgresql: {cpu_cores: 1, memory_gb: 2, storage_gb: 10, max_connections: 20, iops: 100}
config:
  databases:
    postgresql:
      resources:
        memory_gb: 4
`,
			want: []string{"tier startup (startup.yml)", "databases.postgresql.resources.memory_gb (startup.yml:11)", "exceeds the ceiling of tier startup"}},
		{name: "inherited defaults over lowered limits",
			startup: `tier:
  name: startup
  rank: 2
  extends: premium
  limits: {max_users: 100, storage_gb: 1000, api_calls_per_month: 10000000, db_connections: 500}
config: {}
`,
			want: []string{"tier startup (startup.yml)", "subscription.max_users (premium.yml:25)", "10000 exceeds the limit of tier startup"}},
		{name: "an environment layer over the ceilings",
			startup: `tier:
  name: startup
  rank: 2
  extends: standard
  environments:
    staging:
      databases:
        postgresql:
          resources:
            cpu_cores: 16
config: {}
`,
			want: []string{"environment staging", "databases.postgresql.resources.cpu_cores (startup.yml:10)", "16 exceeds the ceiling"}},
		{name: "a value the schema rejects",
			startup: `tier:
  name: startup
  rank: 2
  extends: standard
config:
  monitoring:
    alerts:
      storage_threshold: 180
`,
			want: []string{"monitoring.alerts.storage_threshold (startup.yml:8)", "must be between 0 and 100; it is 180."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckCatalog(customCatalog(t, c.startup))
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("CheckCatalog: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("CheckCatalog passed")
			}
			for _, s := range c.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
}

// TestRenderCustomTier renders a tenant of a custom tier: it gets the
// parent's configuration with its own limits and is validated against them.
func TestRenderCustomTier(t *testing.T) {
	t.Parallel()
	cat := customCatalog(t, startupTier)
	in := input("startup")
	in.Variables = map[string]string{"TEAM": "platform"}
	res := mustRender(t, cat, in)
	for path, want := range map[string]any{
		"subscription.max_users":      int64(50),
		"subscription.tier":           "startup",
		"backup.schedule.full_backup": "0 2 * * 0",
		"custom.team":                 "platform",
		"tenant_info.tenant_type":     "startup",
	} {
		if got := lookup(t, res.Config, path); got != want {
			t.Errorf("%s = %#v, want %#v", path, got, want)
		}
	}
	in.Overrides = overrides(t, "subscription: {max_users: 51}")
	_, ps := Render(cat, in)
	checkProblems(t, ps, []want{ov("subscription.max_users", "exceeds the limit of tier startup")})

	in = input("startup")
	_, ps = Render(cat, in)
	checkProblems(t, ps, []want{{FieldTier, "custom.team", []string{`unknown variable "TEAM"`}}})
}
