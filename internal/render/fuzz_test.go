package render

import (
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

var fuzzTiers = []string{"free", "standard", "premium", "enterprise"}

// overrideSeeds are overrides a user might write, and some they should not.
var overrideSeeds = []string{
	"",
	"{}",
	"null",
	"[]",
	"monitoring: {alerts: {storage_threshold: 90}}",
	"databases: {postgresql: {resources: {cpu_cores: 2.2, iops: 1100}, version: '16', extensions: [pg_trgm]}}",
	"databases: {clickhouse: {enabled: true}}",
	"databases: {mongodb: null, redis: {namespaces: {cache: x}}}",
	"tenant_info: {name: other}",
	"databases: {redis: big}",
	"monitoring: {metrics: {a: 1}}",
	"backup: {schedule: {full_backup: '@daily', incremental_backup: '0 0 2 * * 0'}}",
	"custom: {note: '${TENANT_ID} $${X} ${NOPE}', n: 1e300, z: -0.0, list: [[], {}, null, '']}",
	"custom: {a: &x [1, 2, 3], b: *x, c: {<<: {k: v}}}",
	"custom: {'${TENANT_NAME}': key, '': empty, 'a.b': dotted}",
	"compliance: {regulations: [GDPR, HIPAA, FOO]}\nsecurity: {encryption: {enabled: false}, ssl: null}",
	"performance_tier: {auto_scaling: {min_resources: 5, max_resources: 4, scale_down_threshold: 90}, qos: {guaranteed_iops: 99999}}",
	"security: {access_control: {roles: {dba: {permissions: ['tenant:admin']}}}, database_permissions: {postgres: {operations: [admin]}}}",
	"subscription: {max_users: 9223372036854775807, storage_gb: 0.0000001}",
	"monitoring: {level: null}\nbackup: null",
	"custom: {bin: !!binary aGVsbG8=, ts: 2001-12-14t21:59:43.10-05:00, oct: 0o17, hex: 0x1F}",
	"custom: {s: \"\\u2028\\ufeff\\x85\\t\", emoji: \"🚀\"}",
	"databases: {timescaledb: {enabled: true, resources: {cpu_cores: 1000}}}",
	"audit: {retention: 7 years, enabled: 'yes'}",
}

// FuzzRenderOverrides renders arbitrary YAML as overrides on a tier chosen by
// the fuzzer. Render must never panic; it returns a result or problems, never
// both; a result reads back to its own tree and renders again identically.
func FuzzRenderOverrides(f *testing.F) {
	for i, s := range overrideSeeds {
		f.Add([]byte(s), uint8(i))
	}
	cat := defaultCatalog(f)
	f.Fuzz(func(t *testing.T, data []byte, pick uint8) {
		if len(data) > 1<<14 {
			return
		}
		tier := fuzzTiers[int(pick)%len(fuzzTiers)]
		env := []string{"development", "staging", "production"}[int(pick/4)%3]

		// As the provider builds overrides: plain values, strings literal.
		var plain any
		if err := yaml.Unmarshal(data, &plain); err == nil {
			if ov, err := plainTree(plain); err == nil {
				checkRender(t, cat, tier, env, ov)
			}
		}
		// As a template would be read: placeholders parsed with positions.
		var node yaml.Node
		if err := yaml.Unmarshal(data, &node); err == nil {
			if ov, err := tree.FromYAML(&node, string(FieldOverrides)); err == nil {
				checkRender(t, cat, tier, env, ov)
			}
		}
	})
}

func checkRender(t *testing.T, c *catalog.Catalog, tier, env string, overrides any) {
	t.Helper()
	in := input(tier)
	in.Environment = env
	in.Overrides = overrides
	in.Variables = map[string]string{"CUSTOM_VAR": "${TENANT_ID}"}
	res, ps := Render(c, in)
	if (res == nil) == (len(ps) == 0) {
		t.Fatalf("Render returned result %v with %d problem(s)", res != nil, len(ps))
	}
	// Other tenants with the same overrides meet the same problems at the
	// same paths: nothing of one render carries over into the next.
	for _, id := range []string{"other", "third_one"} {
		other := in
		other.TenantID, other.TenantName = id, "Tenant "+id
		otherRes, otherPs := Render(c, other)
		if (otherRes == nil) != (res == nil) || len(otherPs) != len(ps) {
			t.Fatalf("tenant %s: %d problem(s), tenant %s: %d", in.TenantID, len(ps), id, len(otherPs))
		}
		for i := range ps {
			if ps[i].Field != otherPs[i].Field || ps[i].Path != otherPs[i].Path {
				t.Fatalf("tenant %s: problem %+v, tenant %s: %+v", in.TenantID, ps[i], id, otherPs[i])
			}
		}
	}
	for _, p := range ps {
		if p.Field == "" || p.Summary == "" {
			t.Fatalf("problem without field or summary: %+v", p)
		}
	}
	if res == nil {
		return
	}
	sum := sha256.Sum256([]byte(res.JSON))
	if res.Checksum != hex.EncodeToString(sum[:]) {
		t.Fatal("checksum is not the sha256 of the JSON")
	}
	back, err := ParseRendered(shownYAML(t, res))
	if err != nil {
		t.Fatalf("ParseRendered: %v\n%s", err, shownYAML(t, res))
	}
	if !reflect.DeepEqual(back, res.Config) {
		t.Fatalf("ParseRendered(YAML) differs from Config\n%s", shownYAML(t, res))
	}
	again, ps := Render(c, in)
	if len(ps) > 0 || again.JSON != res.JSON || shownYAML(t, again) != shownYAML(t, res) {
		t.Fatalf("a second render differs: %v", ps)
	}
}

// FuzzTenantName renders any string as the tenant name: never a panic; a
// name the provider accepts comes out literally, and a name it refuses is a
// tenant_name problem only.
func FuzzTenantName(f *testing.F) {
	for _, s := range []string{
		"Acme Corp", "", "${TENANT_ID}", "$${X}", "a: b", "a #b", "- a", `"q" 'q'`, "{}", "[]",
		"&anchor", "*alias", "!!tag", "? k", "| x", "> x", "%x", "@x", "`x`", "null", "~", "true", "0x10",
		"1e3", ".inf", " pad ", "a\nb", "a\tb", "\x00", "\xff", "\u0085", "\u2028", "\ufeff", "株式会社 🚀",
		"---", "...", "a:", "\\", "\u00a0",
	} {
		f.Add(s)
	}
	cat := defaultCatalog(f)
	f.Fuzz(func(t *testing.T, name string) {
		in := input("standard")
		in.TenantName = name
		res, ps := Render(cat, in)
		valid := CheckTenantName(name) == ""
		if !valid {
			if res != nil || len(ps) != 1 || ps[0].Field != FieldTenantName {
				t.Fatalf("name %q: want one tenant_name problem, got result %v and:\n%s", name, res != nil, describe(ps))
			}
			return
		}
		if len(ps) > 0 {
			t.Fatalf("name %q is valid, but:\n%s", name, describe(ps))
		}
		var out struct {
			TenantInfo struct {
				Name string `yaml:"tenant_name"`
			} `yaml:"tenant_info"`
		}
		if err := yaml.Unmarshal([]byte(shownYAML(t, res)), &out); err != nil {
			t.Fatalf("name %q: the YAML does not decode: %v", name, err)
		}
		if out.TenantInfo.Name != name {
			t.Fatalf("name %q came out as %q", name, out.TenantInfo.Name)
		}
	})
}
