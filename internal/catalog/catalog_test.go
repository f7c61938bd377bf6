package catalog_test

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
	"github.com/tenantry/terraform-provider-tenant/templates"
)

func defaultCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatalf("the embedded catalog does not load: %v", err)
	}
	return c
}

// none marks a dimension the tier sets no ceiling for ("–" in the spec).
const none = -1

// ceiling is cpu_cores, memory_gb, storage_gb, max_connections, iops.
type ceiling [5]float64

// TestEmbeddedFigures checks the embedded catalog against the figures of the
// specification's tier tables, typed in from the specification.
func TestEmbeddedFigures(t *testing.T) {
	t.Parallel()
	tiers := []struct {
		name         string
		rank         int
		limits       catalog.Limits
		ceilings     map[string]ceiling // engines the tier does not offer are absent
		encryption   bool
		auditing     bool
		regulations  []string
		raisable     bool
		offered      []string
		firstEngines []string
	}{
		{
			name: "free", rank: 1,
			limits: catalog.Limits{MaxUsers: 10, StorageGB: 1, APICallsPerMonth: 10_000, DBConnections: 5},
			ceilings: map[string]ceiling{
				"postgresql": {0.25, 0.5, 1, 5, none},
				"mongodb":    {0.25, 0.5, 1, 5, none},
				"redis":      {0.1, 0.064, 0.1, 10, none},
			},
			regulations: []string{},
		},
		{
			name: "standard", rank: 2,
			limits: catalog.Limits{MaxUsers: 1_000, StorageGB: 100, APICallsPerMonth: 1_000_000, DBConnections: 100},
			ceilings: map[string]ceiling{
				"postgresql": {2, 8, 100, 100, 1000},
				"mongodb":    {2, 8, 100, 100, none},
				"redis":      {1, 1, 10, 1000, none},
			},
			regulations: []string{"GDPR"},
		},
		{
			name: "premium", rank: 3,
			limits: catalog.Limits{MaxUsers: 10_000, StorageGB: 1_000, APICallsPerMonth: 10_000_000, DBConnections: 500},
			ceilings: map[string]ceiling{
				"postgresql":    {8, 32, 1000, 500, 5000},
				"mongodb":       {8, 32, 1000, 500, none},
				"redis":         {4, 4, 100, 5000, none},
				"clickhouse":    {4, 16, 500, 200, none},
				"elasticsearch": {4, 16, 500, 200, none},
			},
			auditing:    true,
			regulations: []string{"GDPR", "SOX", "HIPAA"},
		},
		{
			name: "enterprise", rank: 4,
			limits: catalog.Limits{MaxUsers: 100_000, StorageGB: 10_000, APICallsPerMonth: 100_000_000, DBConnections: 1_000},
			ceilings: map[string]ceiling{
				"postgresql":    {32, 128, 5000, 1000, 10000},
				"mongodb":       {32, 128, 5000, 1000, none},
				"redis":         {16, 32, 1000, 10000, none},
				"clickhouse":    {16, 64, 2000, 500, none},
				"elasticsearch": {16, 64, 1000, 500, none},
				"timescaledb":   {8, 32, 1000, 200, none},
			},
			encryption:  true,
			auditing:    true,
			regulations: []string{"GDPR", "SOX", "HIPAA", "PCI-DSS"},
			raisable:    true,
		},
	}
	c := defaultCatalog(t)
	for _, want := range tiers {
		t.Run(want.name, func(t *testing.T) {
			tier, ok := c.Tier(want.name)
			if !ok {
				t.Fatalf("tier %s is missing", want.name)
			}
			if tier.Name != want.name || tier.File != want.name+".yml" {
				t.Errorf("name %q, file %q", tier.Name, tier.File)
			}
			if tier.Rank != want.rank {
				t.Errorf("rank = %d, want %d", tier.Rank, want.rank)
			}
			if tier.Limits != want.limits {
				t.Errorf("limits = %+v, want %+v", tier.Limits, want.limits)
			}
			for _, engine := range catalog.Engines {
				wantC, offered := want.ceilings[engine]
				if tier.Offers(engine) != offered {
					t.Errorf("Offers(%s) = %v, want %v", engine, tier.Offers(engine), offered)
					continue
				}
				if !offered {
					if _, ok := tier.Ceilings[engine]; ok {
						t.Errorf("%s has a ceiling but is not offered", engine)
					}
					continue
				}
				got := tier.Ceilings[engine]
				for i, dim := range catalog.Dimensions {
					v, has := got.Get(dim)
					switch {
					case wantC[i] == none && has:
						t.Errorf("%s.%s = %v, want no ceiling", engine, dim, v)
					case wantC[i] != none && !has:
						t.Errorf("%s.%s has no ceiling, want %v", engine, dim, wantC[i])
					case wantC[i] != none && v != wantC[i]:
						t.Errorf("%s.%s = %v, want %v", engine, dim, v, wantC[i])
					}
				}
			}
			if tier.Requires.Encryption != want.encryption || tier.Requires.Auditing != want.auditing {
				t.Errorf("requires = %+v, want encryption %v, auditing %v", tier.Requires, want.encryption, want.auditing)
			}
			if !slices.Equal(tier.Regulations, want.regulations) {
				t.Errorf("regulations = %q, want %q", tier.Regulations, want.regulations)
			}
			for _, r := range catalog.Regulations {
				if tier.AllowsRegulation(r) != slices.Contains(want.regulations, r) {
					t.Errorf("AllowsRegulation(%s) = %v", r, tier.AllowsRegulation(r))
				}
			}
			if tier.CeilingsRaisable != want.raisable {
				t.Errorf("ceilings raisable = %v, want %v", tier.CeilingsRaisable, want.raisable)
			}
			if tier.TolerancePercent != 10 {
				t.Errorf("tolerance = %v%%, want 10%%", tier.TolerancePercent)
			}
			var offered []string
			for _, e := range catalog.Engines {
				if _, ok := want.ceilings[e]; ok {
					offered = append(offered, e)
				}
			}
			if !slices.Equal(tier.OfferedEngines(), offered) {
				t.Errorf("OfferedEngines() = %q, want %q", tier.OfferedEngines(), offered)
			}
			if tier.Description == "" || tier.Abstract {
				t.Errorf("description %q, abstract %v", tier.Description, tier.Abstract)
			}
			if got := tier.Environments(); !slices.Equal(got, []string{"development", "production", "staging"}) {
				t.Errorf("environments = %q", got)
			}
		})
	}
}

// TestCeilingVariables checks the template variables a tier derives from its
// ceilings: counts are integers, sizes are numbers, and a dimension without
// a ceiling has no variable.
func TestCeilingVariables(t *testing.T) {
	t.Parallel()
	c := defaultCatalog(t)
	free, _ := c.Tier("free")
	want := map[string]any{
		"POSTGRESQL_CPU_CORES": 0.25, "POSTGRESQL_MEMORY_GB": 0.5, "POSTGRESQL_STORAGE_GB": 1.0, "POSTGRESQL_MAX_CONNECTIONS": int64(5),
		"MONGODB_CPU_CORES": 0.25, "MONGODB_MEMORY_GB": 0.5, "MONGODB_STORAGE_GB": 1.0, "MONGODB_MAX_CONNECTIONS": int64(5),
		"REDIS_CPU_CORES": 0.1, "REDIS_MEMORY_GB": 0.064, "REDIS_STORAGE_GB": 0.1, "REDIS_MAX_CONNECTIONS": int64(10),
	}
	if got := free.Variables(); !reflect.DeepEqual(got, want) {
		t.Errorf("free variables = %v\nwant %v", got, want)
	}
	standard, _ := c.Tier("standard")
	if got := standard.Variables()["POSTGRESQL_IOPS"]; got != int64(1000) {
		t.Errorf("standard POSTGRESQL_IOPS = %#v, want int64 1000", got)
	}
	if _, ok := standard.Variables()["MONGODB_IOPS"]; ok {
		t.Error("standard defines MONGODB_IOPS, but has no mongodb iops ceiling")
	}
	if _, ok := standard.Variables()["CLICKHOUSE_CPU_CORES"]; ok {
		t.Error("standard defines CLICKHOUSE_CPU_CORES, but does not offer clickhouse")
	}
}

func TestNamesAndLookups(t *testing.T) {
	t.Parallel()
	c := defaultCatalog(t)
	if got, want := c.Names(), []string{"free", "standard", "premium", "enterprise"}; !slices.Equal(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
	var ranks []int
	for _, tier := range c.Tiers() {
		ranks = append(ranks, tier.Rank)
	}
	if !slices.Equal(ranks, []int{1, 2, 3, 4}) {
		t.Errorf("Tiers() ranks = %v", ranks)
	}
	if _, ok := c.Tier(catalog.BaseName); ok {
		t.Error(`Tier("tenant") found the base template, which is not a tier`)
	}
	if _, ok := c.Tier("gold"); ok {
		t.Error(`Tier("gold") found a tier`)
	}
	for engine, want := range map[string]string{"postgresql": "free", "redis": "free", "clickhouse": "premium", "elasticsearch": "premium", "timescaledb": "enterprise"} {
		if got, ok := c.FirstOffering(engine); !ok || got.Name != want {
			t.Errorf("FirstOffering(%s) = %v, want %s", engine, got, want)
		}
	}
	if _, ok := c.FirstOffering("mysql"); ok {
		t.Error("FirstOffering(mysql) found a tier")
	}
	for reg, want := range map[string]string{"GDPR": "standard", "SOX": "premium", "HIPAA": "premium", "PCI-DSS": "enterprise"} {
		if got, ok := c.FirstAllowing(reg); !ok || got.Name != want {
			t.Errorf("FirstAllowing(%s) = %v, want %s", reg, got, want)
		}
	}
	if c.Source != "embedded" {
		t.Errorf("Source = %q", c.Source)
	}
	again, _ := catalog.Default()
	if again != c {
		t.Error("Default() parsed the catalog twice")
	}
}

// TestTemplates checks the merged, unsubstituted templates: the tier's layer
// over the base, the environment's layer on top, placeholders kept.
func TestTemplates(t *testing.T) {
	t.Parallel()
	c := defaultCatalog(t)
	premium, _ := c.Tier("premium")
	prod, ok := premium.Template("production")
	if !ok {
		t.Fatal("premium has no production template")
	}
	if _, ok := premium.Template("qa"); ok {
		t.Error("premium has a qa template")
	}
	for path, want := range map[string]any{
		"monitoring.level":                               "premium",
		"monitoring.log_level":                           "warn",
		"backup.schedule.transaction_log_backup":         "*/30 * * * *",
		"databases.postgresql.isolation":                 "schema",
		"security.encryption.algorithm":                  "AES-256-GCM",
		"performance_tier.qos.guaranteed_iops":           int64(5000),
		"databases.clickhouse.deployment":                "dedicated_cluster",
		"security.database_permissions.redis.operations": []any{"read", "write"},
	} {
		got, ok := tree.Lookup(prod, strings.Split(path, ".")...)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("premium production %s = %#v, want %#v", path, got, want)
		}
	}
	id, _ := tree.Lookup(prod, "tenant_info", "tenant_id")
	if tmpl, ok := id.(*tree.Template); !ok || tmpl.String() != "${TENANT_ID}" {
		t.Errorf("tenant_info.tenant_id = %#v, want the placeholder ${TENANT_ID}", id)
	}
	dev, _ := premium.Template("development")
	if got, _ := tree.Lookup(dev, "monitoring", "log_level"); got != "debug" {
		t.Errorf("premium development log_level = %v, want debug", got)
	}
}

// writeFiles writes a custom catalog directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const startupYML = `# A tier between free and standard.
tier:
  name: startup
  rank: 2
  extends: standard
  description: Standard features with smaller limits.
  limits:
    max_users: 50
    storage_gb: 10
    api_calls_per_month: 50000
    db_connections: 20

config:
  subscription:
    max_users: 50
    storage_gb: 10
    api_calls_per_month: 50000
    db_connections: 20
  support:
    level: standard
    response_time_hours: 48
`

func TestCustomTierExtends(t *testing.T) {
	t.Parallel()
	c, err := catalog.LoadDir(writeFiles(t, map[string]string{"startup.yml": startupYML, "notes.txt": "not a template"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Source == "embedded" || c.Source == "" {
		t.Errorf("Source = %q, want the directory", c.Source)
	}
	// Equal ranks sort by name: standard < startup.
	if got, want := c.Names(), []string{"free", "standard", "startup", "premium", "enterprise"}; !slices.Equal(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
	startup, ok := c.Tier("startup")
	if !ok {
		t.Fatal("startup is missing")
	}
	standard, _ := c.Tier("standard")
	if startup.Extends != "standard" || startup.File != "startup.yml" || startup.Rank != 2 {
		t.Errorf("extends %q, file %q, rank %d", startup.Extends, startup.File, startup.Rank)
	}
	if want := (catalog.Limits{MaxUsers: 50, StorageGB: 10, APICallsPerMonth: 50000, DBConnections: 20}); startup.Limits != want {
		t.Errorf("limits = %+v, want %+v", startup.Limits, want)
	}
	// Inherited from standard.
	if !reflect.DeepEqual(startup.Ceilings, standard.Ceilings) {
		t.Errorf("ceilings = %v, want standard's %v", startup.Ceilings, standard.Ceilings)
	}
	if !slices.Equal(startup.Regulations, standard.Regulations) || startup.Requires != standard.Requires ||
		startup.TolerancePercent != 10 || startup.CeilingsRaisable {
		t.Errorf("metadata not inherited: %+v", startup)
	}
	if startup.Description != "Standard features with smaller limits." {
		t.Errorf("description = %q", startup.Description)
	}
	if !reflect.DeepEqual(startup.Variables(), standard.Variables()) {
		t.Error("ceiling variables differ from standard's")
	}
	prod, _ := startup.Template("production")
	for path, want := range map[string]any{
		"support.response_time_hours":           int64(48),
		"support.level":                         "standard",
		"subscription.max_users":                int64(50),
		"backup.schedule.full_backup":           "0 2 * * 0", // standard's
		"monitoring.level":                      "standard",  // standard's
		"monitoring.log_level":                  "warn",      // the base's production layer
		"databases.postgresql.deployment":       "dedicated", // standard's
		"security.encryption.key_rotation_days": int64(90),   // the base's
	} {
		if got, ok := tree.Lookup(prod, strings.Split(path, ".")...); !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("startup production %s = %#v, want %#v", path, got, want)
		}
	}
	// The embedded tiers are untouched.
	if stdProd, _ := standard.Template("production"); func() any { v, _ := tree.Lookup(stdProd, "support", "response_time_hours"); return v }() != int64(24) {
		t.Error("loading startup changed standard's template")
	}
}

func TestCustomFileReplacesEmbedded(t *testing.T) {
	t.Parallel()
	replaced := strings.NewReplacer("name: startup", "name: standard", "extends: standard", "extends: tenant",
		"description: Standard features with smaller limits.", "description: Our own standard.\n  databases:\n    postgresql: {cpu_cores: 1, memory_gb: 2, storage_gb: 20, max_connections: 20}",
	).Replace(startupYML)
	c, err := catalog.LoadDir(writeFiles(t, map[string]string{"standard.yml": replaced}))
	if err != nil {
		t.Fatal(err)
	}
	standard, _ := c.Tier("standard")
	if standard.Description != "Our own standard." || standard.Limits.MaxUsers != 50 {
		t.Errorf("standard was not replaced: %q, %+v", standard.Description, standard.Limits)
	}
	if standard.Offers("mongodb") || !standard.Offers("postgresql") {
		t.Errorf("standard offers %q, want postgresql only", standard.OfferedEngines())
	}
	if _, has := standard.Ceilings["postgresql"].Get("iops"); has {
		t.Error("the replacing file's postgresql ceiling has iops")
	}
	prod, _ := standard.Template("production")
	if v, _ := tree.Lookup(prod, "backup", "enabled"); v != false {
		t.Errorf("backup.enabled = %v: the embedded standard.yml config leaked into its replacement", v)
	}
	if got := c.Names(); !slices.Equal(got, []string{"free", "standard", "premium", "enterprise"}) {
		t.Errorf("Names() = %q", got)
	}
	def := defaultCatalog(t)
	if std, _ := def.Tier("standard"); std.Limits.MaxUsers != 1000 {
		t.Error("a custom catalog changed the embedded one")
	}
}

func TestLoadDirErrors(t *testing.T) {
	t.Parallel()
	if _, err := catalog.LoadDir(filepath.Join(t.TempDir(), "missing")); err == nil || !strings.Contains(err.Error(), "templates_dir") {
		t.Errorf("missing directory: %v", err)
	}
	file := filepath.Join(t.TempDir(), "file.yml")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := catalog.LoadDir(file); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("file as directory: %v", err)
	}
	c, err := catalog.LoadDir(t.TempDir())
	if err != nil {
		t.Fatalf("an empty directory: %v", err)
	}
	if !slices.Equal(c.Names(), []string{"free", "standard", "premium", "enterprise"}) {
		t.Errorf("an empty directory gives %q", c.Names())
	}
}

// tierFile builds a valid custom tier file with extra lines in its tier
// section and its config section.
func tierFile(name, tierLines, configLines string) string {
	return "tier:\n  name: " + name + "\n" + tierLines + "config:\n" + configLines
}

// TestBrokenCatalogs loads broken custom catalogs: each error names the file,
// the line when there is one, and what is wrong.
func TestBrokenCatalogs(t *testing.T) {
	t.Parallel()
	const ok = "  rank: 5\n  extends: standard\n"
	cases := []struct {
		name  string
		files map[string]string
		want  []string // substrings of the error
		line  int      // line the error must name; 0: none required
	}{
		{name: "malformed YAML",
			files: map[string]string{"startup.yml": "tier:\n  name: startup\n  rank: 5\n  description: [unclosed\nconfig: {}\n"},
			want:  []string{"startup.yml"}, line: -1},
		{name: "tab indentation",
			files: map[string]string{"startup.yml": "tier:\n\tname: startup\nconfig: {}\n"},
			want:  []string{"startup.yml", "line 2"}},
		{name: "typo in tier",
			files: map[string]string{"startup.yml": tierFile("startup", ok+"  rnak: 3\n", "  custom: {}\n")},
			want:  []string{"startup.yml", "rnak", "not found"}, line: 5},
		{name: "typo in tier after blank lines and comments",
			files: map[string]string{"startup.yml": tierFile("startup", ok+"\n  # limits follow\n\n  limts:\n    max_users: 5\n", "  custom: {}\n")},
			want:  []string{"startup.yml", "limts"}, line: 8},
		{name: "typo in a ceiling",
			files: map[string]string{"startup.yml": tierFile("startup", ok+"  databases:\n    redis:\n      cpu_core: 1\n", "  custom: {}\n")},
			want:  []string{"startup.yml", "cpu_core"}, line: 7},
		{name: "wrong type in tier",
			files: map[string]string{"startup.yml": tierFile("startup", "  rank: five\n  extends: standard\n", "  custom: {}\n")},
			want:  []string{"startup.yml", "five"}, line: 3},
		{name: "unknown top-level key",
			files: map[string]string{"startup.yml": tierFile("startup", ok, "  custom: {}\nconfg:\n  custom: {}\n")},
			want:  []string{"startup.yml", `unknown top-level key "confg"`}, line: 7},
		{name: "missing config",
			files: map[string]string{"startup.yml": "tier:\n  name: startup\n  rank: 5\n"},
			want:  []string{"startup.yml", "missing the `config` section"}, line: 1},
		{name: "not a mapping",
			files: map[string]string{"startup.yml": "- tier\n- config\n"},
			want:  []string{"startup.yml", "mapping"}, line: 1},
		{name: "name does not match the file",
			files: map[string]string{"startup.yml": tierFile("startap", ok, "  custom: {}\n")},
			want:  []string{"startup.yml", `"startap"`, `"startup"`}, line: 2},
		{name: "invalid tier name",
			files: map[string]string{"Startup.yml": tierFile("Startup", ok, "  custom: {}\n")},
			want:  []string{"Startup.yml", "lowercase"}, line: 2},
		{name: "extends an unknown tier",
			files: map[string]string{"startup.yml": tierFile("startup", "  rank: 5\n  extends: standrd\n", "  custom: {}\n")},
			want:  []string{"startup.yml", `unknown template "standrd"`, `did you mean "standard"?`}, line: 4},
		{name: "extends cycle",
			files: map[string]string{
				"alpha.yml": tierFile("alpha", "  rank: 5\n  extends: beta\n", "  custom: {}\n"),
				"beta.yml":  tierFile("beta", "  rank: 6\n  extends: alpha\n", "  custom: {}\n"),
			},
			want: []string{"alpha.yml", "extends cycle: alpha -> beta -> alpha"}, line: 2},
		{name: "extends itself",
			files: map[string]string{"startup.yml": tierFile("startup", "  rank: 5\n  extends: startup\n", "  custom: {}\n")},
			want:  []string{"startup.yml", "extends cycle: startup -> startup"}, line: 2},
		{name: "zero ceiling",
			files: map[string]string{"startup.yml": tierFile("startup", ok+"  databases:\n    redis: {cpu_cores: 0}\n", "  custom: {}\n")},
			want:  []string{"startup.yml", "tier.databases.redis.cpu_cores must be positive, got 0"}, line: 6},
		{name: "negative ceiling",
			files: map[string]string{"startup.yml": tierFile("startup", ok+"  databases:\n    postgresql: {cpu_cores: 1, iops: -100}\n", "  custom: {}\n")},
			want:  []string{"startup.yml", "postgresql.iops must be positive"}, line: 6},
		{name: "unknown regulation",
			files: map[string]string{"startup.yml": tierFile("startup", ok+"  regulations: [GDPR, HIPPA]\n", "  custom: {}\n")},
			want:  []string{"startup.yml", `unknown regulation "HIPPA"`, `did you mean "HIPAA"?`}, line: 5},
		{name: "unknown engine",
			files: map[string]string{"startup.yml": tierFile("startup", ok+"  databases:\n    postgres: {cpu_cores: 1}\n", "  custom: {}\n")},
			want:  []string{"startup.yml", `unknown engine "postgres"`, `did you mean "postgresql"?`}, line: 6},
		{name: "duplicate key in config",
			files: map[string]string{"startup.yml": tierFile("startup", ok, "  support:\n    level: standard\n  support:\n    level: priority\n")},
			want:  []string{"startup.yml", `duplicate key "support"`, "first defined at line 6"}, line: 8},
		{name: "duplicate key in tier",
			files: map[string]string{"startup.yml": tierFile("startup", ok+"  rank: 6\n", "  custom: {}\n")},
			want:  []string{"startup.yml", `"rank" already defined at line 3`}, line: 5},
		{name: "duplicate top-level key",
			files: map[string]string{"startup.yml": tierFile("startup", ok, "  custom: {}\nconfig:\n  custom: {}\n")},
			want:  []string{"startup.yml", `duplicate key "config"`, "first defined at line 5"}, line: 7},
		{name: "rank missing",
			files: map[string]string{"startup.yml": tierFile("startup",
				"  limits: {max_users: 5, storage_gb: 1, api_calls_per_month: 5, db_connections: 5}\n  databases:\n    postgresql: {cpu_cores: 1}\n",
				"  custom: {}\n")},
			want: []string{"startup.yml", "tier.rank is required"}, line: 2},
		{name: "limits missing",
			files: map[string]string{"startup.yml": tierFile("startup", "  rank: 5\n  databases:\n    postgresql: {cpu_cores: 1}\n", "  custom: {}\n")},
			want:  []string{"startup.yml", "tier.limits"}, line: 2},
		{name: "no engine",
			files: map[string]string{"startup.yml": tierFile("startup", "  rank: 5\n  limits: {max_users: 5, storage_gb: 1, api_calls_per_month: 5, db_connections: 5}\n", "  custom: {}\n")},
			want:  []string{"startup.yml", "at least one engine"}, line: 2},
		{name: "tolerance out of range",
			files: map[string]string{"startup.yml": tierFile("startup", ok+"  tolerance_percent: 150\n", "  custom: {}\n")},
			want:  []string{"startup.yml", "tolerance_percent"}, line: 5},
		{name: "config is not a mapping",
			files: map[string]string{"startup.yml": tierFile("startup", ok, "  - a\n")},
			want:  []string{"startup.yml", "`config` must be a mapping"}, line: 6},
		{name: "environment is not a mapping",
			files: map[string]string{"startup.yml": tierFile("startup", ok+"  environments:\n    production: 3\n", "  custom: {}\n")},
			want:  []string{"startup.yml", "tier.environments.production must be a mapping"}, line: 6},
		{name: "unterminated placeholder",
			files: map[string]string{"startup.yml": tierFile("startup", ok, "  custom:\n    owner: ${TENANT_ID\n")},
			want:  []string{"startup.yml", "unterminated placeholder"}, line: 7},
		{name: "placeholder in an environment",
			files: map[string]string{"startup.yml": tierFile("startup", ok+"\n  # comment\n  environments:\n    staging:\n      custom:\n        x: ${1BAD}\n", "  custom: {}\n")},
			want:  []string{"startup.yml", "invalid variable name"}, line: 10},
		{name: "a section clashes with the base",
			files: map[string]string{"startup.yml": tierFile("startup", ok, "  databases: none\n")},
			want:  []string{"startup.yml", "databases: cannot merge a string into a map"}},
		{name: "the base cannot extend",
			files: map[string]string{"tenant.yml": "tier:\n  name: tenant\n  abstract: true\n  extends: free\nconfig: {}\n"},
			want:  []string{"tenant.yml", "cannot extend"}, line: 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := catalog.LoadDir(writeFiles(t, c.files))
			if err == nil {
				t.Fatal("the catalog loaded")
			}
			msg := err.Error()
			for _, s := range c.want {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q lacks %q", msg, s)
				}
			}
			switch {
			case c.line > 0 && !hasLine(msg, c.line):
				t.Errorf("error %q does not name line %d", msg, c.line)
			case c.line < 0 && !hasAnyLine(msg):
				t.Errorf("error %q names no line", msg)
			}
			var ce *catalog.Error
			var te *tree.Error
			if !errors.As(err, &ce) && !errors.As(err, &te) {
				t.Errorf("error %T is neither a catalog nor a tree error", err)
			}
		})
	}
}

func hasLine(msg string, line int) bool {
	return regexp.MustCompile(`(:|line )` + strconv.Itoa(line) + `\b`).MatchString(msg)
}

func hasAnyLine(msg string) bool {
	return regexp.MustCompile(`(\.yml:|line )\d+`).MatchString(msg)
}

// TestOrigin checks that a tier names the file and line that set a path.
func TestOrigin(t *testing.T) {
	t.Parallel()
	files := map[string]string{"startup.yml": startupYML + "  custom:\n    team: platform\n"}
	files["startup.yml"] = strings.Replace(files["startup.yml"], "  description: Standard features with smaller limits.\n",
		"  description: Standard features with smaller limits.\n  environments:\n    staging:\n      support:\n        response_time_hours: 72\n", 1)
	c, err := catalog.LoadDir(writeFiles(t, files))
	if err != nil {
		t.Fatal(err)
	}
	startup, _ := c.Tier("startup")
	cases := []struct {
		env, path, file string
		line            int
	}{
		{"production", "support.response_time_hours", "startup.yml", 25},
		{"staging", "support.response_time_hours", "startup.yml", 10},
		{"production", "custom.team", "startup.yml", 27},
		{"production", "custom.team.deeper", "startup.yml", 27},
		{"production", "backup.schedule.full_backup", "standard.yml", 0},
		{"production", "security.encryption.key_rotation_days", "tenant.yml", 0},
		{"production", "monitoring.log_level", "tenant.yml", 0},
	}
	for _, c := range cases {
		file, line := startup.Origin(c.env, c.path)
		if file != c.file || (c.line > 0 && line != c.line) || line <= 0 {
			t.Errorf("Origin(%s, %s) = %s:%d, want %s:%d", c.env, c.path, file, line, c.file, c.line)
		}
	}
	if file, line := startup.Origin("production", "nowhere.at.all"); file != "" || line != 0 {
		t.Errorf("Origin of an unset path = %s:%d", file, line)
	}
}

// The engines are those of the base template, in its order, and exactly the
// engines the JSON Schema describes.
func TestEnginesOfTheBaseTemplate(t *testing.T) {
	t.Parallel()
	Engines := catalog.Engines
	want := []string{"postgresql", "mongodb", "redis", "clickhouse", "elasticsearch", "timescaledb"}
	if !slices.Equal(Engines, want) {
		t.Errorf("Engines = %q, want %q", Engines, want)
	}
	data, err := templates.FS.ReadFile(templates.SchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties struct {
			Databases struct {
				Properties map[string]any `json:"properties"`
			} `json:"databases"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(schema.Properties.Databases.Properties)); !slices.Equal(got, slices.Sorted(slices.Values(Engines))) {
		t.Errorf("the JSON Schema describes the engines %q, the base template %q", got, Engines)
	}
}

// The digest names the catalog's content: the same files give the same
// digest, and any change of a file's bytes, or another file, another one.
func TestDigest(t *testing.T) {
	def, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	load := func(files map[string]string) string {
		t.Helper()
		c, err := catalog.LoadDir(writeFiles(t, files))
		if err != nil {
			t.Fatal(err)
		}
		return c.Digest
	}
	withStartup := load(map[string]string{"startup.yml": startupYML})
	changed := load(map[string]string{"startup.yml": strings.Replace(startupYML, "tier:", "# one more comment\ntier:", 1)})
	if len(def.Digest) != 64 || withStartup == def.Digest || changed == withStartup {
		t.Errorf("digests: embedded %s, with startup.yml %s, changed startup.yml %s", def.Digest, withStartup, changed)
	}
	if again := load(map[string]string{"startup.yml": startupYML}); again != withStartup {
		t.Errorf("the same files give another digest: %s and %s", withStartup, again)
	}
	if empty := load(map[string]string{"notes.txt": "not a template"}); empty != def.Digest {
		t.Errorf("a directory without templates should be the embedded catalog: %s, want %s", empty, def.Digest)
	}
}
