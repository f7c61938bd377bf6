package render

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// seedSnippet is one YAML snippet of the product's original design document,
// copied as written, with where it sits in the configuration and a tier that
// offers what it shows.
type seedSnippet struct {
	name string
	// at is the dotted path the snippet's top level sits at ("" for the root).
	at   string
	tier string
	// locked snippets set paths that overrides cannot change (isolation
	// names, tenant_info): the render must hold exactly their values.
	locked bool
	yaml   string
}

var seedSnippets = []seedSnippet{
	{name: "template variables: tenant_info", tier: "standard", locked: true, yaml: `
tenant_info:
  tenant_id: "${TENANT_ID}"
  tenant_name: "${TENANT_NAME}"
  tenant_type: "${TENANT_TYPE}"
`},
	{name: "template variables: databases", tier: "standard", yaml: `
databases:
  postgresql:
    resources:
      cpu_cores: ${POSTGRESQL_CPU_CORES}
      memory_gb: ${POSTGRESQL_MEMORY_GB}
      storage_gb: ${POSTGRESQL_STORAGE_GB}
`},
	{name: "schema isolation", at: "databases.postgresql", tier: "free", locked: true, yaml: `
schemas:
  tenant_data: "${TENANT_ID}_data"
  tenant_analytics: "${TENANT_ID}_analytics"
  tenant_audit: "${TENANT_ID}_audit"
`},
	{name: "collection isolation", at: "databases.mongodb", tier: "free", locked: true, yaml: `
collections:
  users: "${TENANT_ID}_users"
  tracks: "${TENANT_ID}_tracks"
  playlists: "${TENANT_ID}_playlists"
`},
	{name: "namespace isolation", at: "databases.redis", tier: "free", locked: true, yaml: `
namespaces:
  cache: "cache:${TENANT_ID}:"
  session: "session:${TENANT_ID}:"
  analytics: "analytics:${TENANT_ID}:"
`},
	{name: "RBAC", at: "security", tier: "free", yaml: `
access_control:
  admin_users:
    - username: "${TENANT_ID}_admin"
      roles: ["tenant_admin"]
      permissions:
        - "tenant:read"
        - "tenant:write"
        - "tenant:backup"
  
  standard_users:
    - username: "${TENANT_ID}_user"
      roles: ["tenant_user"]
      permissions:
        - "tenant:read"
`},
	{name: "database permissions", at: "security", tier: "free", yaml: `
database_permissions:
  postgresql:
    schema_access: "tenant_specific"
    row_level_security: true
    ssl_required: true
  
  mongodb:
    collection_access: "tenant_specific"
    authentication_database: "tenant_auth"
  
  redis:
    namespace_restriction: true
    command_whitelist: ["GET", "SET", "DEL", "EXPIRE"]
`},
	{name: "monitoring, free tier", tier: "free", yaml: `
monitoring:
  level: "basic"
  metrics:
    - "connection_count"
    - "storage_usage"
  
  alerts:
    storage_threshold: 80
    connection_threshold: 5
`},
	{name: "monitoring, standard tier", tier: "standard", yaml: `
monitoring:
  level: "standard"
  metrics:
    - "query_performance"
    - "error_rates"
    - "resource_utilization"
  
  dashboards:
    enabled: true
    retention_days: 7
`},
	{name: "monitoring, premium tier", tier: "premium", yaml: `
monitoring:
  level: "premium"
  metrics:
    - "cache_performance"
    - "replication_lag"
    - "backup_status"
    
  performance:
    apm_enabled: true
    slow_query_threshold: 500
`},
	{name: "monitoring, enterprise tier", tier: "enterprise", yaml: `
monitoring:
  level: "enterprise"
  security_monitoring:
    intrusion_detection: true
    anomaly_detection: true
    threat_intelligence: true
`},
	{name: "backup, standard", tier: "standard", yaml: `
backup:
  schedule:
    full_backup: "0 2 * * 0"      # Weekly
    incremental_backup: "0 2 * * 1-6"  # Daily
  retention_days: 30
`},
	{name: "backup, premium", tier: "premium", yaml: `
backup:
  schedule:
    full_backup: "0 1 * * 0"
    incremental_backup: "0 */6 * * *"    # Every 6h
    transaction_log_backup: "*/30 * * * *" # Every 30min
  point_in_time_recovery:
    enabled: true
    retention_period: "7 days"
`},
	{name: "backup, enterprise", tier: "enterprise", yaml: `
backup:
  disaster_recovery:
    enabled: true
    rpo_minutes: 15
    rto_minutes: 60
    failover_regions: ["us-west-2", "eu-west-1"]
  cross_region:
    enabled: true
    encryption: true
`},
	{name: "auto scaling", at: "performance_tier", tier: "premium", yaml: `
auto_scaling:
  enabled: true
  min_resources: 0.5
  max_resources: 4.0
  scale_up_threshold: 70
  scale_down_threshold: 30
  predictive_scaling: true  # Premium+
`},
	{name: "QoS", tier: "premium", yaml: `
performance_tier:
  qos:
    priority: "high"            # Free: low, Standard: normal, Premium: high, Enterprise: highest
    guaranteed_iops: 5000       # Guaranteed IOPS
    burst_iops: 10000          # Burst IOPS
`},
	{name: "GDPR", tier: "standard", yaml: `
compliance:
  gdpr:
    enabled: true
    data_processing_purpose: "music_streaming_analytics"
    lawful_basis: "legitimate_interest"
    data_retention_period: "2_years"
    right_to_erasure: true
    data_portability: true
`},
	{name: "SOX", tier: "premium", yaml: `
compliance:
  sox:
    enabled: true
    financial_data_protection: true
    audit_trail: true
    change_management: true
    access_controls: true
`},
	{name: "HIPAA", tier: "premium", yaml: `
compliance:
  hipaa:
    enabled: false  # Enable only for health-related tenants
    encryption_at_rest: true
    encryption_in_transit: true
    access_logging: true
    minimum_necessary_standard: true
`},
	{name: "audit", tier: "enterprise", yaml: `
audit:
  enabled: true
  events:
    - "data_access"
    - "configuration_changes"
    - "user_authentication"
    - "privilege_escalation"
  
  retention:
    standard: "1_year"
    premium: "3_years"
    enterprise: "7_years"
  
  export_formats: ["json", "csv", "syslog"]
`},
	{name: "enterprise tenant's custom_overrides", tier: "enterprise", yaml: `
compliance:
  regulations: ["GDPR", "SOX", "HIPAA", "PCI-DSS"]
`},
}

// TestSeedSnippets renders each snippet of the original design as the
// overrides of a tier that offers it (or, for a locked snippet, with no
// overrides) and checks that every leaf of the snippet comes out at the same
// path with the same value and type, in the tree and in the YAML.
func TestSeedSnippets(t *testing.T) {
	cat := defaultCatalog(t)
	for _, s := range seedSnippets {
		t.Run(s.name, func(t *testing.T) {
			snippet := overrides(t, s.yaml)
			placed := snippet
			if s.at != "" {
				keys := strings.Split(s.at, ".")
				for i := len(keys) - 1; i >= 0; i-- {
					placed = map[string]any{keys[i]: placed}
				}
			}
			in := input(s.tier)
			if s.locked {
				// The lock is part of the contract: the snippet as overrides
				// is refused at its own path.
				in.Overrides = placed
				_, ps := Render(cat, in)
				if len(ps) == 0 || !strings.Contains(ps[0].Summary, "cannot be overridden") {
					t.Fatalf("the locked snippet as overrides: want a \"cannot be overridden\" problem, got:\n%s", describe(ps))
				}
				in.Overrides = nil
			} else {
				in.Overrides = placed
			}
			res := mustRender(t, cat, in)
			checkSeedLeaves(t, res, in, s.at, snippet)
		})
	}
}

// TestSeedAdvancedExample renders the advanced tenant of the original design,
// advanced_corp_001, from the overrides file its example uses.
func TestSeedAdvancedExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "seed", "advanced_corp_001.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ov := overrides(t, string(data))
	in := Input{TenantID: "advanced_corp_001", TenantName: "Advanced Corporation", Tier: "enterprise",
		Environment: "production", Region: "us-east-1", Timezone: "UTC", Overrides: ov}
	res := mustRender(t, defaultCatalog(t), in)
	checkSeedLeaves(t, res, in, "", ov)
	for path, want := range map[string]any{
		"databases.clickhouse.cluster_nodes":                     int64(6),
		"databases.postgresql.custom_parameters.max_connections": int64(2000),
		"compliance.data_residency.requirements":                 []any{"EU_GDPR", "US_SOX"},
		"compliance.data_residency.enabled":                      true,
	} {
		if got := lookup(t, res.Config, path); !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", path, got, want)
		}
	}
}

// TestSeedExampleTenants renders the free and enterprise tenants of the
// original design and its migration of the free tenant to standard.
func TestSeedExampleTenants(t *testing.T) {
	cat := defaultCatalog(t)
	free := Input{TenantID: "demo_free_001", TenantName: "Demo Free User", Tier: "free",
		Environment: "production", Region: "us-east-1", Timezone: "UTC"}
	res := mustRender(t, cat, free)
	for path, want := range map[string]any{
		"tenant_info.tenant_id":   "demo_free_001",
		"tenant_info.tenant_name": "Demo Free User",
		"tenant_info.tenant_type": "free",
		"tenant_info.environment": "production",
	} {
		if got := lookup(t, res.Config, path); got != want {
			t.Errorf("free tenant: %s = %#v, want %#v", path, got, want)
		}
	}
	migrated := free
	migrated.Tier = "standard"
	after := mustRender(t, cat, migrated)
	if lost := Losses(res.Config, after.Config); len(lost) != 0 {
		t.Errorf("free -> standard is an upgrade, yet loses %q", lost)
	}
	if got := lookup(t, after.Config, "tenant_info.tenant_type"); got != "standard" {
		t.Errorf("migrated tenant_type = %#v, want standard", got)
	}

	enterprise := Input{TenantID: "corp_enterprise_001", TenantName: "Enterprise Corp", Tier: "enterprise",
		Environment: "production", Region: "us-west-2", Timezone: "UTC",
		Overrides: map[string]any{"compliance": map[string]any{"regulations": []any{"GDPR", "SOX", "HIPAA", "PCI-DSS"}}}}
	res = mustRender(t, cat, enterprise)
	if got := lookup(t, res.Config, "tenant_info.region"); got != "us-west-2" {
		t.Errorf("enterprise tenant region = %#v, want us-west-2", got)
	}
}

var placeholderRE = regexp.MustCompile(`\$\{([A-Z][A-Z0-9_]*)\}`)

// checkSeedLeaves checks that every leaf of snippet (placed at the dotted
// path at) is in the render with the same value and type, placeholders
// substituted as the render does: a scalar that is one placeholder takes the
// variable's value and type.
func checkSeedLeaves(t *testing.T, res *Result, in Input, at string, snippet any) {
	t.Helper()
	cat := defaultCatalog(t)
	tier, _ := cat.Tier(in.Tier)
	vars := map[string]any{"TENANT_ID": in.TenantID, "TENANT_NAME": in.TenantName, "TENANT_TYPE": in.Tier}
	for k, v := range tier.Variables() {
		vars[k] = v
	}
	expand := func(s string) any {
		if m := placeholderRE.FindStringSubmatch(s); m != nil && m[0] == s {
			return vars[m[1]]
		}
		return placeholderRE.ReplaceAllStringFunc(s, func(p string) string { return fmt.Sprint(vars[p[2:len(p)-1]]) })
	}
	var expandAll func(v any) any
	expandAll = func(v any) any {
		switch x := v.(type) {
		case string:
			return expand(x)
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = expandAll(e)
			}
			return out
		case map[string]any:
			out := make(map[string]any, len(x))
			for k, e := range x {
				out[k] = expandAll(e)
			}
			return out
		}
		return v
	}
	fromYAML, err := ParseRendered(shownYAML(t, res))
	if err != nil {
		t.Fatal(err)
	}
	var base []string
	if at != "" {
		base = strings.Split(at, ".")
	}
	n := 0
	var walk func(path []string, v any)
	walk = func(path []string, v any) {
		if m, ok := v.(map[string]any); ok && len(m) > 0 {
			for _, k := range sortedKeys(m) {
				walk(append(slices.Clone(path), k), m[k])
			}
			return
		}
		n++
		want := expandAll(v)
		dotted := strings.Join(path, ".")
		for source, cfg := range map[string]map[string]any{"Config": res.Config, "rendered YAML": fromYAML} {
			got, ok := tree.Lookup(cfg, path...)
			if !ok {
				t.Errorf("%s: %s is missing", source, dotted)
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s = %#v (%T), want %#v (%T)", source, dotted, got, got, want, want)
			}
		}
	}
	walk(base, snippet)
	if n == 0 {
		t.Fatal("the snippet has no leaf")
	}
}
