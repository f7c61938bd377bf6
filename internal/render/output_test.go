package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden renders every tier in every environment for one fixed tenant
// and compares the YAML byte for byte with testdata/golden/<tier>-<env>.yaml.
// Run with -update to rewrite the files after an intended change, then read
// the diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	for _, tier := range []string{"free", "standard", "premium", "enterprise"} {
		for _, env := range catalog.Environments {
			t.Run(tier+"-"+env, func(t *testing.T) {
				in := input(tier)
				in.Environment = env
				res := mustRender(t, cat, in)
				file := filepath.Join("testdata", "golden", tier+"-"+env+".yaml")
				if *update {
					if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(file, []byte(shownYAML(t, res)), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				golden, err := os.ReadFile(file)
				if err != nil {
					t.Fatalf("%v (run go test ./internal/render -run TestGolden -update to create it)", err)
				}
				if !bytes.Equal(golden, []byte(shownYAML(t, res))) {
					t.Errorf("%s differs from the render (run with -update and review the diff):\n%s", file, firstDiff(string(golden), shownYAML(t, res)))
				}
			})
		}
	}
}

// firstDiff describes the first line where two texts differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, wl, gl)
		}
	}
	return "(no line differs)"
}

// TestGoldenFigures reads values of the rendered configurations that the
// specification fixes, so that a golden file rewritten by mistake is caught.
func TestGoldenFigures(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	render := func(tier, env string) map[string]any {
		in := input(tier)
		in.Environment = env
		return mustRender(t, cat, in).Config
	}
	checks := []struct {
		tier, env, path string
		want            any
	}{
		{"free", "production", "backup.enabled", false},
		{"free", "production", "security.encryption.enabled", false},
		{"free", "production", "security.ssl.required", false},
		{"free", "production", "monitoring.level", "basic"},
		{"free", "production", "monitoring.metrics", []any{"connection_count", "storage_usage"}},
		{"free", "production", "monitoring.alerts.storage_threshold", int64(80)},
		{"free", "production", "monitoring.alerts.connection_threshold", int64(5)},
		{"free", "production", "performance_tier.qos.priority", "low"},
		{"free", "production", "performance_tier.auto_scaling.enabled", false},
		{"free", "production", "support.level", "community"},
		{"free", "production", "support.channels", []any{"documentation", "forum"}},
		{"free", "production", "subscription.deployment", "shared"},
		{"free", "production", "audit.enabled", false},
		{"free", "production", "databases.redis.resources.memory_gb", 0.064},
		{"standard", "production", "backup.schedule.full_backup", "0 2 * * 0"},
		{"standard", "production", "backup.schedule.incremental_backup", "0 2 * * 1-6"},
		{"standard", "production", "backup.retention_days", int64(30)},
		{"standard", "production", "security.encryption.enabled", true},
		{"standard", "production", "security.ssl.required", true},
		{"standard", "production", "monitoring.dashboards.retention_days", int64(7)},
		{"standard", "production", "performance_tier.auto_scaling.min_resources", 0.5},
		{"standard", "production", "performance_tier.auto_scaling.max_resources", 4.0},
		{"standard", "production", "performance_tier.auto_scaling.scale_up_threshold", int64(70)},
		{"standard", "production", "performance_tier.auto_scaling.scale_down_threshold", int64(30)},
		{"standard", "production", "performance_tier.qos.priority", "normal"},
		{"standard", "production", "support.response_time_hours", int64(24)},
		{"standard", "production", "audit.retention.standard", "1_year"},
		{"standard", "production", "subscription.deployment", "dedicated"},
		{"premium", "production", "backup.schedule.full_backup", "0 1 * * 0"},
		{"premium", "production", "backup.schedule.incremental_backup", "0 */6 * * *"},
		{"premium", "production", "backup.schedule.transaction_log_backup", "*/30 * * * *"},
		{"premium", "production", "backup.point_in_time_recovery.enabled", true},
		{"premium", "production", "backup.point_in_time_recovery.retention_period", "7 days"},
		{"premium", "production", "backup.cross_region.enabled", true},
		{"premium", "production", "monitoring.performance.apm_enabled", true},
		{"premium", "production", "monitoring.performance.slow_query_threshold", int64(500)},
		{"premium", "production", "performance_tier.qos.priority", "high"},
		{"premium", "production", "performance_tier.qos.guaranteed_iops", int64(5000)},
		{"premium", "production", "performance_tier.qos.burst_iops", int64(10000)},
		{"premium", "production", "performance_tier.auto_scaling.predictive_scaling", true},
		{"premium", "production", "support.level", "priority"},
		{"premium", "production", "support.response_time_hours", int64(4)},
		{"premium", "production", "audit.retention.premium", "3_years"},
		{"premium", "production", "databases.clickhouse.enabled", true},
		{"premium", "production", "databases.elasticsearch.enabled", true},
		{"premium", "production", "databases.timescaledb.enabled", false},
		{"premium", "production", "subscription.deployment", "dedicated_cluster"},
		{"enterprise", "production", "backup.disaster_recovery.rpo_minutes", int64(15)},
		{"enterprise", "production", "backup.disaster_recovery.rto_minutes", int64(60)},
		{"enterprise", "production", "backup.disaster_recovery.failover_regions", []any{"us-west-2", "eu-west-1"}},
		{"enterprise", "production", "backup.cross_region.encryption", true},
		{"enterprise", "production", "security.encryption.hsm", true},
		{"enterprise", "production", "monitoring.security_monitoring.intrusion_detection", true},
		{"enterprise", "production", "monitoring.security_monitoring.anomaly_detection", true},
		{"enterprise", "production", "monitoring.security_monitoring.threat_intelligence", true},
		{"enterprise", "production", "performance_tier.qos.priority", "highest"},
		{"enterprise", "production", "support.level", "dedicated"},
		{"enterprise", "production", "support.response_time_hours", int64(1)},
		{"enterprise", "production", "audit.retention.enterprise", "7_years"},
		{"enterprise", "production", "audit.events", []any{"user_authentication", "privilege_escalation", "configuration_changes", "data_export", "data_access", "admin_action"}},
		{"enterprise", "production", "audit.export_formats", []any{"json", "csv", "syslog"}},
		{"enterprise", "production", "subscription.multi_region", true},
		{"enterprise", "production", "databases.timescaledb.enabled", true},
		{"enterprise", "production", "databases.timescaledb.schema", "acme_timeseries"},
		// Environment layers and the tenant's identity.
		{"free", "development", "monitoring.log_level", "debug"},
		{"standard", "staging", "monitoring.log_level", "info"},
		{"standard", "staging", "monitoring.alerts.channels", []any{"email", "slack"}},
		{"premium", "production", "monitoring.log_level", "warn"},
		{"premium", "production", "monitoring.alerts.channels", []any{"email", "pagerduty"}},
		{"premium", "production", "monitoring.alerts.storage_threshold", int64(80)},
		{"enterprise", "staging", "tenant_info.environment", "staging"},
		{"enterprise", "staging", "tenant_info.tenant_type", "enterprise"},
		{"enterprise", "staging", "subscription.tier", "enterprise"},
		{"standard", "production", "tenant_info.region", "eu-west-1"},
		{"standard", "production", "tenant_info.timezone", "Europe/Berlin"},
		{"standard", "production", "tenant_info.tenant_id", "acme"},
		{"standard", "production", "tenant_info.tenant_name", "Acme Corp"},
		{"standard", "production", "compliance.data_residency.enabled", false},
		{"standard", "production", "security.access_control.admin_users", []any{map[string]any{"username": "acme_admin", "roles": []any{"tenant_admin"}, "permissions": []any{"tenant:read", "tenant:write", "tenant:backup"}}}},
		{"standard", "production", "security.access_control.standard_users", []any{map[string]any{"username": "acme_user", "roles": []any{"tenant_user"}, "permissions": []any{"tenant:read"}}}},
		{"standard", "production", "security.access_control.roles.tenant_admin.permissions", []any{"tenant:read", "tenant:write", "tenant:backup"}},
		{"standard", "production", "security.access_control.roles.tenant_user.permissions", []any{"tenant:read"}},
		{"standard", "production", "security.database_permissions.redis.command_whitelist", []any{"GET", "SET", "DEL", "EXPIRE"}},
		{"standard", "production", "databases.redis.namespaces.session", "session:acme:"},
	}
	cache := map[string]map[string]any{}
	for _, c := range checks {
		key := c.tier + "/" + c.env
		cfg, ok := cache[key]
		if !ok {
			cfg = render(c.tier, c.env)
			cache[key] = cfg
		}
		if got := lookup(t, cfg, c.path); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %s: %s = %#v, want %#v", c.tier, c.env, c.path, got, c.want)
		}
	}
}

// TestDeterministic renders the same input many times, and with overrides
// built in different insertion orders: the bytes and the checksum never vary.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	build := func(order []int) map[string]any {
		entries := []struct {
			section string
			value   map[string]any
		}{
			{"monitoring", map[string]any{"alerts": map[string]any{"storage_threshold": int64(75)}, "log_level": "info"}},
			{"custom", map[string]any{"z": int64(1), "a": "x", "m": []any{"b", "a"}, "n": map[string]any{"y": true, "b": 1.5}}},
			{"backup", map[string]any{"retention_days": int64(20)}},
			{"databases", map[string]any{"postgresql": map[string]any{"extensions": []any{"pg_trgm", "uuid-ossp"}}}},
		}
		m := map[string]any{}
		for _, i := range order {
			m[entries[i].section] = entries[i].value
		}
		return m
	}
	orders := [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}, {2, 0, 3, 1}}
	var first *Result
	for i := range 50 {
		in := input("premium")
		in.Regulations = []string{"SOX", "GDPR", "HIPAA"}
		in.Variables = map[string]string{"B_VAR": "b", "A_VAR": "a"}
		in.Overrides = build(orders[i%len(orders)])
		res := mustRender(t, cat, in)
		sum := sha256.Sum256([]byte(res.JSON))
		if res.Checksum != hex.EncodeToString(sum[:]) {
			t.Fatalf("checksum %s is not the sha256 of the JSON", res.Checksum)
		}
		if first == nil {
			first = res
			continue
		}
		if res.JSON != first.JSON || shownYAML(t, res) != shownYAML(t, first) || res.Checksum != first.Checksum {
			t.Fatalf("render %d differs from the first:\n%s", i, firstDiff(shownYAML(t, first), shownYAML(t, res)))
		}
	}
	if got := lookup(t, first.Config, "compliance.regulations"); !reflect.DeepEqual(got, []any{"GDPR", "HIPAA", "SOX"}) {
		t.Errorf("regulations = %v, want them sorted", got)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(first.JSON)); err != nil || compact.String() != first.JSON || !strings.HasPrefix(first.JSON, `{"audit":{`) {
		t.Errorf("JSON is not canonical (keys sorted, compact):\n%.200s", first.JSON)
	}
	if !strings.HasPrefix(shownYAML(t, first), "audit:\n") || !strings.HasSuffix(shownYAML(t, first), "\n") {
		t.Errorf("YAML is not canonical (keys sorted, one final newline):\n%.200s", shownYAML(t, first))
	}
}

// decodeYAML decodes rendered YAML with yaml.v3, as a consumer would.
func decodeYAML(t *testing.T, text string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal([]byte(text), &m); err != nil {
		t.Fatalf("rendered YAML does not decode: %v\n%s", err, text)
	}
	return m
}

// TestTenantNameIsLiteral renders names full of YAML and template syntax:
// each comes out exactly as given, never parsed or substituted.
func TestTenantNameIsLiteral(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	names := []string{
		"${TENANT_ID}",
		"$${X}",
		"${NOPE} and ${TENANT_NAME}",
		"Acme: Corp",
		"Acme #1",
		"- Acme",
		`"Acme" 'Corp'`,
		"{a: 1}",
		"[1, 2]",
		"&anchor",
		"*alias",
		"!!int 12",
		"? key",
		"| block",
		"> folded",
		"%TAG",
		"@corp",
		"`tick`",
		"null",
		"true",
		"0x10",
		"1e3",
		"~",
		" leading and trailing ",
		"back\\slash",
		"Ünïcödé 株式会社 🚀",
		"\u2028line separator\u2029",
		"\ufeffBOM",
		"---",
		"...",
		"Acme:",
		"a\u00a0b",
	}
	for _, name := range names {
		in := input("standard")
		in.TenantName = name
		res := mustRender(t, cat, in)
		got := decodeYAML(t, shownYAML(t, res))["tenant_info"].(map[string]any)["tenant_name"]
		if got != name {
			t.Errorf("tenant name %q came out as %#v", name, got)
		}
		if res.Config["tenant_info"].(map[string]any)["tenant_name"] != name {
			t.Errorf("tenant name %q is not literal in Config", name)
		}
	}
}

// TestVariableValuesAreLiteral checks that a value inserted by substitution
// is never scanned again.
func TestVariableValuesAreLiteral(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	in := input("standard")
	in.Variables = map[string]string{"TRICKY": "${TENANT_ID} $${X} ${NOPE}"}
	in.Overrides = overrides(t, `custom: {whole: "${TRICKY}", inside: "<${TRICKY}>", escaped: "$${TRICKY}", mixed: "$${TENANT_ID}=${TENANT_ID}"}`)
	res := mustRender(t, cat, in)
	custom := decodeYAML(t, shownYAML(t, res))["custom"].(map[string]any)
	wantCustom := map[string]any{
		"whole":   "${TENANT_ID} $${X} ${NOPE}",
		"inside":  "<${TENANT_ID} $${X} ${NOPE}>",
		"escaped": "${TRICKY}",
		"mixed":   "${TENANT_ID}=acme",
	}
	if !reflect.DeepEqual(custom, wantCustom) {
		t.Errorf("custom = %#v\nwant %#v", custom, wantCustom)
	}
}

// TestTypedSubstitution checks that a placeholder that is the whole value
// keeps the variable's type, and one inside a longer string is interpolated.
func TestTypedSubstitution(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	in := input("free")
	in.Variables = map[string]string{"PORT": "5432"}
	in.Overrides = overrides(t, `custom: {label: "${TENANT_ID}-${TENANT_TYPE}@${REGION}", cpu: "cores=${POSTGRESQL_CPU_CORES}", port: "${PORT}"}`)
	res := mustRender(t, cat, in)
	checks := []struct {
		path string
		want any
	}{
		{"databases.postgresql.resources.cpu_cores", 0.25},
		{"databases.postgresql.resources.memory_gb", 0.5},
		{"databases.postgresql.resources.storage_gb", 1.0},
		{"databases.postgresql.resources.max_connections", int64(5)},
		{"databases.redis.resources.max_connections", int64(10)},
		{"databases.redis.resources.storage_gb", 0.1},
		{"databases.postgresql.schemas.tenant_data", "acme_data"},
		{"databases.redis.namespaces.cache", "cache:acme:"},
		{"custom.label", "acme-free@eu-west-1"},
		{"custom.cpu", "cores=0.25"},
		{"custom.port", "5432"}, // variables of the map are strings
	}
	for _, c := range checks {
		if got := lookup(t, res.Config, c.path); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s = %#v (%T), want %#v (%T)", c.path, got, got, c.want, c.want)
		}
	}
	for _, line := range []string{"      cpu_cores: 0.25\n", "      max_connections: 5\n", "      storage_gb: 1.0\n", "  port: \"5432\"\n"} {
		if !strings.Contains(shownYAML(t, res), line) {
			t.Errorf("YAML lacks %q", line)
		}
	}

	std := mustRender(t, cat, input("standard"))
	if got := lookup(t, std.Config, "databases.postgresql.resources.iops"); got != int64(1000) {
		t.Errorf("standard postgresql iops = %#v, want int64 1000", got)
	}
	if got := lookup(t, std.Config, "databases.postgresql.resources.cpu_cores"); got != 2.0 {
		t.Errorf("standard postgresql cpu_cores = %#v, want float64 2", got)
	}
	if _, ok := tree.Lookup(std.Config, "databases", "mongodb", "resources", "iops"); ok {
		t.Error("standard mongodb has iops, but the tier sets no iops ceiling for it")
	}
}

// TestParseRenderedRoundTrip checks that the rendered YAML reads back to the
// rendered tree, types included.
func TestParseRenderedRoundTrip(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	inputs := []Input{}
	for _, tier := range []string{"free", "standard", "premium", "enterprise"} {
		for _, env := range catalog.Environments {
			in := input(tier)
			in.Environment = env
			inputs = append(inputs, in)
		}
	}
	odd := input("enterprise")
	odd.TenantName = `Odd: "name" # ${X} {} [] 🚀`
	odd.Overrides = overrides(t, `
custom:
  empty_map: {}
  empty_list: []
  nested: [[], [{}], {a: [1, 2.5, -0.0, true, null, "", " ", "yes", "1", "1e3", "0x1F"]}]
  big: 9223372036854775807
  small: -9223372036854775808
  tiny: 1.0e-300
  huge: 1.0e+300
  "key with: colon": value
  "": empty key
  "123": numeric key
  null_value: null
databases:
  postgresql:
    custom_parameters: {work_mem: 64MB, ratio: 0.9}
`)
	inputs = append(inputs, odd)
	for _, in := range inputs {
		res := mustRender(t, cat, in)
		back, err := ParseRendered(shownYAML(t, res))
		if err != nil {
			t.Fatalf("%s/%s: ParseRendered: %v", in.Tier, in.Environment, err)
		}
		if !reflect.DeepEqual(back, res.Config) {
			t.Errorf("%s/%s: ParseRendered(YAML) differs from Config", in.Tier, in.Environment)
		}
	}
}

func TestParseRenderedErrors(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"- a\n- b\n", "just text", "a: [1\n", "42"} {
		if _, err := ParseRendered(text); err == nil || !strings.Contains(err.Error(), "not a rendered configuration") {
			t.Errorf("ParseRendered(%q) = %v, want an error", text, err)
		}
	}
}
