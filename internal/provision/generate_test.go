package provision

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// artifactFiles names each artifact's golden file suffix.
func artifactFiles(a Artifacts) []struct {
	name string
	text *string
} {
	return []struct {
		name string
		text *string
	}{
		{"postgresql.sql", a.PostgreSQL},
		{"postgresql_teardown.sql", a.PostgreSQLTeardown},
		{"redis.acl", a.RedisACL},
		{"mongodb.json", a.MongoDB},
		{"clickhouse.sql", a.ClickHouse},
		{"elasticsearch.json", a.Elasticsearch},
	}
}

func TestGoldenPerTier(t *testing.T) {
	cat := defaultCatalog(t)
	dir := filepath.Join("testdata", "golden")
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tier := range cat.Tiers() {
		t.Run(tier.Name, func(t *testing.T) {
			in, err := FromConfig(sampleConfig(t, cat, tier))
			if err != nil {
				t.Fatalf("FromConfig: %v", err)
			}
			a, err := Generate(in)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			again, err := Generate(in)
			if err != nil || !equalArtifacts(a, again) {
				t.Fatalf("a second Generate differs (%v)", err)
			}
			offered := tier.OfferedEngines()
			for _, f := range artifactFiles(a) {
				path := filepath.Join(dir, tier.Name+"-"+f.name)
				engine, _, _ := strings.Cut(strings.TrimSuffix(strings.TrimSuffix(f.name, filepath.Ext(f.name)), "_teardown"), ".")
				if (f.text != nil) != slices.Contains(offered, engine) {
					t.Errorf("%s: artifact present = %v, engine offered = %v", f.name, f.text != nil, slices.Contains(offered, engine))
				}
				if f.text == nil {
					if _, err := os.Stat(path); err == nil {
						t.Errorf("%s exists but the tier has no %s artifact", path, f.name)
					}
					continue
				}
				if strings.HasSuffix(f.name, ".json") && !json.Valid([]byte(*f.text)) {
					t.Errorf("%s is not valid JSON", f.name)
				}
				if *update {
					if err := os.WriteFile(path, []byte(*f.text), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update to write the golden files)", err)
				}
				if string(want) != *f.text {
					t.Errorf("%s differs from %s (run go test -update after checking the change):\n%s", f.name, path, *f.text)
				}
			}
		})
	}
}

func equalArtifacts(a, b Artifacts) bool {
	fa, fb := artifactFiles(a), artifactFiles(b)
	for i := range fa {
		if deref(fa[i].text) != deref(fb[i].text) || (fa[i].text == nil) != (fb[i].text == nil) {
			return false
		}
	}
	return true
}

// grantedOperations returns, per engine user, the operations its artifact
// grants anything of on the engine, read back from the artifact text.
func grantedOperations(t *testing.T, engine string, a Artifacts) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	add := func(user, privilege string) {
		_, op, ok := Classify(engine, privilege)
		if !ok {
			t.Fatalf("%s artifact grants %q, which is not a known privilege", engine, privilege)
		}
		if out[user] == nil {
			out[user] = map[string]bool{}
		}
		out[user][op] = true
	}
	switch engine {
	case PostgreSQL:
		re := regexp.MustCompile(`(?m)^(?:ALTER DEFAULT PRIVILEGES FOR ROLE "\w+" IN SCHEMA "\w+"(?:, "\w+")* )?GRANT ([A-Z, ]+) ON (?:ALL TABLES IN SCHEMA "\w+"(?:, "\w+")*|TABLES) TO "(\w+)";$`)
		for _, m := range re.FindAllStringSubmatch(*a.PostgreSQL, -1) {
			for _, p := range strings.Split(m[1], ", ") {
				add(m[2], p)
			}
		}
	case Redis:
		for _, line := range strings.Split(strings.TrimSpace(*a.RedisACL), "\n") {
			f := strings.Fields(line)
			for _, w := range f[3:] {
				if c, ok := strings.CutPrefix(w, "+"); ok {
					add(f[2], c)
				}
			}
		}
	case MongoDB:
		var doc struct {
			Roles []struct {
				CreateRole string `json:"createRole"`
				Privileges []struct {
					Actions []string `json:"actions"`
				} `json:"privileges"`
			} `json:"roles"`
		}
		if err := json.Unmarshal([]byte(*a.MongoDB), &doc); err != nil {
			t.Fatal(err)
		}
		for _, r := range doc.Roles {
			for _, p := range r.Privileges {
				for _, act := range p.Actions {
					add(strings.TrimSuffix(r.CreateRole, "_role"), act)
				}
			}
		}
	case ClickHouse:
		re := regexp.MustCompile("(?m)^GRANT ([A-Z, ]+) ON `\\w+`\\.\\* TO `(\\w+)_role`;$")
		for _, m := range re.FindAllStringSubmatch(*a.ClickHouse, -1) {
			for _, p := range strings.Split(m[1], ", ") {
				add(m[2], p)
			}
		}
	case Elasticsearch:
		var doc struct {
			Roles map[string]struct {
				Indices []struct {
					Privileges []string `json:"privileges"`
				} `json:"indices"`
			} `json:"roles"`
		}
		if err := json.Unmarshal([]byte(*a.Elasticsearch), &doc); err != nil {
			t.Fatal(err)
		}
		for name, r := range doc.Roles {
			for _, ix := range r.Indices {
				for _, p := range ix.Privileges {
					add(strings.TrimSuffix(name, "_role"), p)
				}
			}
		}
	}
	return out
}

func engineArtifact(a Artifacts, engine string) *string {
	switch engine {
	case PostgreSQL:
		return a.PostgreSQL
	case Redis:
		return a.RedisACL
	case MongoDB:
		return a.MongoDB
	case ClickHouse:
		return a.ClickHouse
	case Elasticsearch:
		return a.Elasticsearch
	}
	return nil
}

// TestAgreesWithAccess checks, for every tier's sample render and variants
// that take operations and permissions away, that an operation
// validate_access (render.Access) denies on an engine is granted to no
// user by that engine's artifact — and that what it allows is granted to
// someone, so the check is not vacuous.
func TestAgreesWithAccess(t *testing.T) {
	cat := defaultCatalog(t)
	type variant struct {
		name   string
		change func(cfg map[string]any)
	}
	variants := []variant{
		{"sample", func(map[string]any) {}},
		{"no write operation", func(cfg map[string]any) {
			for _, e := range Engines {
				if p, ok := dig(cfg, "security", "database_permissions", e).(map[string]any); ok {
					p["operations"] = []any{"read", "backup"}
				}
			}
		}},
		{"no write permission", func(cfg map[string]any) {
			roles, _ := dig(cfg, "security", "access_control", "roles").(map[string]any)
			for _, r := range roles {
				if rm, ok := r.(map[string]any); ok {
					rm["permissions"] = []any{"tenant:read"}
				}
			}
		}},
		{"no operations", func(cfg map[string]any) {
			for _, e := range Engines {
				if p, ok := dig(cfg, "security", "database_permissions", e).(map[string]any); ok {
					delete(p, "operations")
				}
			}
		}},
	}
	checked, allowed := 0, 0
	for _, tier := range cat.Tiers() {
		for _, v := range variants {
			cfg := deepCopy(sampleConfig(t, cat, tier)).(map[string]any) //nolint:forcetypeassert // a copy of a map is a map
			v.change(cfg)
			in, err := FromConfig(cfg)
			if err != nil {
				t.Fatalf("%s/%s: FromConfig: %v", tier.Name, v.name, err)
			}
			a, err := Generate(in)
			if err != nil {
				t.Fatalf("%s/%s: Generate: %v", tier.Name, v.name, err)
			}
			for _, engine := range Engines {
				text := engineArtifact(a, engine)
				ok, _ := render.Access(cfg, engine, "read")
				if text == nil {
					if ok {
						t.Errorf("%s/%s: validate_access allows %s but there is no artifact", tier.Name, v.name, engine)
					}
					continue
				}
				got := grantedOperations(t, engine, a)
				for _, op := range Operations {
					ok, reason := render.Access(cfg, engine, op)
					checked++
					anyone := false
					for user, ops := range got {
						if ops[op] && !ok {
							t.Errorf("%s/%s: %s artifact grants %s %s privileges but validate_access denies it: %s", tier.Name, v.name, engine, user, op, reason)
						}
						anyone = anyone || ops[op]
					}
					if ok && anyone {
						allowed++
					}
					if ok && !anyone && (op == "read" || op == "write") {
						t.Errorf("%s/%s: validate_access allows %s on %s but the artifact grants it to nobody", tier.Name, v.name, op, engine)
					}
				}
			}
		}
	}
	t.Logf("%d (tier, variant, engine, operation) cases agree; %d allowed ones granted", checked, allowed)
	if allowed == 0 {
		t.Fatal("no allowed operation was granted: the check is vacuous")
	}
}

func dig(m map[string]any, keys ...string) any {
	var cur any = m
	for _, k := range keys {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[k]
	}
	return cur
}

// obj returns the object at keys, or a fresh empty one when there is none
// (a change to it then has no effect, and the test that relies on it fails).
func obj(m map[string]any, keys ...string) map[string]any {
	o, _ := dig(m, keys...).(map[string]any)
	if o == nil {
		return map[string]any{}
	}
	return o
}

func deepCopy(x any) any {
	switch v := x.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, e := range v {
			l[i] = deepCopy(e)
		}
		return l
	}
	return x
}

// baseInput is a valid Input for the validation tests.
func baseInput(t *testing.T) Input {
	t.Helper()
	in, err := FromConfig(tenantConfig(t, defaultCatalog(t), "acme", "enterprise"))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestGenerateRejects(t *testing.T) {
	cases := []struct {
		name   string
		change func(in *Input)
		path   string
	}{
		{"bad tenant id", func(in *Input) { in.TenantID = "Acme;DROP" }, "tenant_info.tenant_id"},
		{"schema of another tenant", func(in *Input) { in.PostgreSQL.Names["tenant_data"] = "acme_b_data" }, "databases.postgresql.schemas.tenant_data"},
		{"schema public", func(in *Input) { in.PostgreSQL.Names["tenant_data"] = "public" }, "databases.postgresql.schemas.tenant_data"},
		{"schema with a quote", func(in *Input) { in.PostgreSQL.Names["tenant_audit"] = `acme_x"; DROP TABLE t; --` }, "databases.postgresql.schemas.tenant_audit"},
		{"schema with a dollar", func(in *Input) { in.PostgreSQL.Names["tenant_audit"] = "acme_$provision$" }, "databases.postgresql.schemas.tenant_audit"},
		{"unknown SQL privilege", func(in *Input) { in.PostgreSQL.Privileges["tenant_admin"] = []string{"SELECT", "ALL"} }, "security.database_permissions.postgresql.privileges.tenant_admin[1]"},
		{"SQL injection in a privilege", func(in *Input) {
			in.PostgreSQL.Privileges["tenant_user"] = []string{"SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC; --"}
		}, "security.database_permissions.postgresql.privileges.tenant_user[0]"},
		{"unknown operation", func(in *Input) { in.PostgreSQL.Operations = []string{"read", "drop"} }, "security.database_permissions.postgresql.operations[1]"},
		{"negative connection limit", func(in *Input) { in.PostgreSQL.MaxConnections = -5 }, "databases.postgresql.resources.max_connections"},
		{"redis glob prefix", func(in *Input) { in.Redis.Names["cache"] = "cache:*" }, "databases.redis.namespaces.cache"},
		{"redis prefix of another tenant", func(in *Input) { in.Redis.Names["cache"] = "cache:other:" }, "databases.redis.namespaces.cache"},
		{"redis prefix without separator", func(in *Input) { in.Redis.Names["session"] = "session:acme" }, "databases.redis.namespaces.session"},
		{"redis prefix with a space", func(in *Input) { in.Redis.Names["session"] = "session:acme: ~*" }, "databases.redis.namespaces.session"},
		{"redis prefix with a bracket", func(in *Input) { in.Redis.Names["session"] = "s[a-z]:acme:" }, "databases.redis.namespaces.session"},
		{"redis command category", func(in *Input) { in.Redis.Privileges["tenant_admin"] = []string{"GET", "@all"} }, "security.database_permissions.redis.privileges.tenant_admin[1]"},
		{"redis dangerous command", func(in *Input) { in.Redis.Privileges["tenant_admin"] = []string{"FLUSHALL"} }, "security.database_permissions.redis.privileges.tenant_admin[0]"},
		{"redis subcommand", func(in *Input) { in.Redis.Privileges["tenant_user"] = []string{"config|get"} }, "security.database_permissions.redis.privileges.tenant_user[0]"},
		{"redis allow-list", func(in *Input) { in.Redis.AllowedCommands = []string{"GET", "KEYS"} }, "databases.redis.allowed_commands[1]"},
		{"mongo collection", func(in *Input) { in.MongoDB.Names["users"] = "acme_users.$cmd" }, "databases.mongodb.collections.users"},
		{"mongo action", func(in *Input) { in.MongoDB.Privileges["tenant_admin"] = []string{"anyAction"} }, "security.database_permissions.mongodb.privileges.tenant_admin[0]"},
		{"mongo database", func(in *Input) { in.MongoDB.Database = "" }, "databases.mongodb.database"},
		{"clickhouse database", func(in *Input) { in.ClickHouse.Database = "default" }, "databases.clickhouse.database"},
		{"clickhouse backtick", func(in *Input) { in.ClickHouse.Database = "acme_x`" }, "databases.clickhouse.database"},
		{"elasticsearch wildcard", func(in *Input) { in.Elasticsearch.IndexPrefix = "acme*" }, "databases.elasticsearch.index_prefix"},
		{"elasticsearch other prefix", func(in *Input) { in.Elasticsearch.IndexPrefix = "logs_" }, "databases.elasticsearch.index_prefix"},
		{"foreign user", func(in *Input) { in.Users = append(in.Users, User{Name: "postgres", Roles: []string{RoleTenantAdmin}}) }, "security.access_control.users[2].username"},
		{"no schemas", func(in *Input) { in.PostgreSQL.Names = nil }, "databases.postgresql.schemas"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := baseInput(t)
			c.change(&in)
			_, err := Generate(in)
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Generate = %v, want an *Error at %s", err, c.path)
			}
			if pe.Path != c.path {
				t.Errorf("error path = %q, want %q (%v)", pe.Path, c.path, err)
			}
		})
	}
}

func TestFromConfigShapes(t *testing.T) {
	cat := defaultCatalog(t)
	cfg := tenantConfig(t, cat, "acme", "premium")
	// The rendered configuration speaks the product's original shape: users
	// as {username, roles, permissions} and tenant_info.tenant_id.
	seed, err := FromConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The provider's earlier shape: lists of user names and tenant_info.id.
	earlier := deepCopy(cfg).(map[string]any) //nolint:forcetypeassert // a copy of a map is a map
	ac, _ := dig(earlier, "security", "access_control").(map[string]any)
	ac["admin_users"] = []any{"acme_admin"}
	ac["standard_users"] = []any{"acme_user"}
	ti, _ := earlier["tenant_info"].(map[string]any)
	ti["id"] = ti["tenant_id"]
	delete(ti, "tenant_id")
	old, err := FromConfig(earlier)
	if err != nil {
		t.Fatal(err)
	}
	ao, _ := Generate(old)
	as, _ := Generate(seed)
	if !equalArtifacts(ao, as) {
		t.Errorf("the two shapes of the same configuration give different artifacts")
	}
	if got := seed.Users; len(got) != 2 || got[0].Name != "acme_admin" || !slices.Equal(got[0].Roles, []string{"tenant_admin"}) || !slices.Equal(got[1].Permissions, []string{"tenant:read"}) {
		t.Errorf("users = %+v", got)
	}
	if seed.PostgreSQL.MaxConnections != 500 || !seed.PostgreSQL.SSLRequired || seed.ClickHouse.Database != "acme_analytics" {
		t.Errorf("postgresql = %+v, clickhouse = %+v", seed.PostgreSQL, seed.ClickHouse)
	}

	// A user's own permissions restrict it further.
	ac, _ = dig(cfg, "security", "access_control").(map[string]any)
	ac["admin_users"] = []any{map[string]any{"username": "acme_admin", "roles": []any{"tenant_admin"}, "permissions": []any{"tenant:read"}}}
	restricted, err := FromConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ar, err := Generate(restricted)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(*ar.PostgreSQL, "INSERT") || strings.Contains(*ar.RedisACL, "+set") {
		t.Errorf("a user restricted to tenant:read is granted writes:\n%s\n%s", *ar.PostgreSQL, *ar.RedisACL)
	}

	bad := []struct {
		name   string
		change func(cfg map[string]any)
		path   string
	}{
		{"user list of numbers", func(cfg map[string]any) { ac["standard_users"] = []any{int64(3)} }, "security.access_control.standard_users[0]"},
		{"user without name", func(cfg map[string]any) { ac["standard_users"] = []any{map[string]any{"roles": []any{"x"}}} }, "security.access_control.standard_users[0].username"},
		{"roles not a list", func(cfg map[string]any) {
			ac["standard_users"] = []any{map[string]any{"username": "acme_user", "roles": "tenant_user"}}
		}, "security.access_control.standard_users[0].roles"},
		{"enabled not a bool", func(cfg map[string]any) { obj(cfg, "databases", "redis")["enabled"] = "yes" }, "databases.redis.enabled"},
		{"privilege not a string", func(cfg map[string]any) {
			obj(cfg, "security", "database_permissions", "postgresql", "privileges")["tenant_user"] = []any{true}
		}, "security.database_permissions.postgresql.privileges.tenant_user[0]"},
		{"fractional connections", func(cfg map[string]any) {
			obj(cfg, "databases", "postgresql", "resources")["max_connections"] = 2.5
		}, "databases.postgresql.resources.max_connections"},
		{"no tenant id", func(cfg map[string]any) { delete(obj(cfg, "tenant_info"), "tenant_id") }, "tenant_info.tenant_id"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			cp := deepCopy(cfg).(map[string]any) //nolint:forcetypeassert // a copy of a map is a map
			ac, _ = dig(cp, "security", "access_control").(map[string]any)
			c.change(cp)
			_, err := FromConfig(cp)
			var pe *Error
			if !errors.As(err, &pe) || pe.Path != c.path {
				t.Errorf("FromConfig = %v, want an error at %s", err, c.path)
			}
		})
	}
}

func TestDisabledEngineHasNoArtifact(t *testing.T) {
	in := baseInput(t)
	in.Redis, in.ClickHouse = nil, nil
	a, err := Generate(in)
	if err != nil {
		t.Fatal(err)
	}
	if a.RedisACL != nil || a.ClickHouse != nil || a.PostgreSQL == nil {
		t.Errorf("artifacts: redis %v, clickhouse %v, postgresql %v", a.RedisACL != nil, a.ClickHouse != nil, a.PostgreSQL != nil)
	}
}

// A catalog whose privileges the artifacts refuse fails when it is loaded,
// naming the tier and the path.
func TestCheckCatalog(t *testing.T) {
	if err := CheckCatalog(defaultCatalog(t)); err != nil {
		t.Fatalf("the embedded catalog: %v", err)
	}
	dir := t.TempDir()
	tier := "tier:\n  name: risky\n  rank: 2\n  extends: standard\n  description: Lets users flush Redis.\nconfig:\n  security:\n    database_permissions:\n      redis:\n        privileges:\n          tenant_user: [GET, FLUSHALL]\n        command_whitelist: [GET, SET, DEL, EXPIRE, FLUSHALL]\n"
	if err := os.WriteFile(filepath.Join(dir, "risky.yml"), []byte(tier), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = CheckCatalog(cat)
	if err == nil || !strings.Contains(err.Error(), "tier risky") || !strings.Contains(err.Error(), "FLUSHALL") {
		t.Errorf("CheckCatalog = %v, want an error naming tier risky and FLUSHALL", err)
	}
}

// The marker the artifacts recognise is the one the renderer writes.
func TestSensitiveMarkerIsTheRenderers(t *testing.T) {
	if SensitiveMarker != render.SensitiveMarker {
		t.Errorf("provision.SensitiveMarker %q, render.SensitiveMarker %q", SensitiveMarker, render.SensitiveMarker)
	}
}
