package engines

import (
	"strings"
	"testing"
)

// Each engine's rules for the names the artifacts derive, one row per rule:
// the name, and what the engine says of it ("" when it accepts it).
func TestCheckDerivedName(t *testing.T) {
	for _, tc := range []struct {
		engine, kind, name, want string
	}{
		{PostgreSQL, "role", "acme_owner", ""},
		{PostgreSQL, "role", "pg_abc_owner", "start with pg_"},
		{PostgreSQL, "schema", "pg_toast_data", "start with pg_"},
		{PostgreSQL, "role", "current_user", "session's own role"},
		{PostgreSQL, "role", "session_user", "session's own role"},
		{PostgreSQL, "role", "system_user", "session's own role"},
		{PostgreSQL, "role", "current_role", "session's own role"},
		{PostgreSQL, "role", "public", "reserves"},
		{PostgreSQL, "role", "none", "reserves"},
		{PostgreSQL, "schema", "information_schema", "reserves"},
		{PostgreSQL, "schema", strings.Repeat("a", 64), "at most 63 bytes"},
		{PostgreSQL, "schema", strings.Repeat("a", 63), ""},
		{MongoDB, "collection", "acme_users", ""},
		{MongoDB, "collection", "system.users", "refuses"},
		{MongoDB, "collection", "a$b", "refuses"},
		{MongoDB, "role", "admin", "reserves"},
		{Redis, "user", "default", "reserves"},
		{Redis, "user", "acme_user", ""},
		{Redis, "key prefix", "cache:a b:", "cannot hold"},
		{ClickHouse, "database", "system", "reserves"},
		{ClickHouse, "database", "default", "reserves"},
		{ClickHouse, "database", "INFORMATION_SCHEMA", "reserves"},
		{ClickHouse, "database", "acme_analytics", ""},
		{Elasticsearch, "index prefix", "acme_", ""},
		{Elasticsearch, "index prefix", "Acme_", "refuses"},
		{Elasticsearch, "index prefix", "_acme", "refuses"},
		{Elasticsearch, "index prefix", "a*b_", "refuses"},
		{Elasticsearch, "user", "remote_monitoring_user", "reserves"},
		{Elasticsearch, "user", "elastic", "reserves"},
		{Elasticsearch, "role", "kibana_user", "reserves"},
		{Elasticsearch, "role", "acme_user_role", ""},
	} {
		got := CheckDerivedName(DerivedName{tc.engine, tc.kind, tc.name})
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%s %s %q: %q, want %q", tc.engine, tc.kind, tc.name, got, tc.want)
		}
	}
}

// A tenant id is refused, with the reason, exactly when its form is wrong or
// a name derived from it is one an engine refuses.
func TestCheckTenantID(t *testing.T) {
	for id, want := range map[string]string{
		"acme":                        "",
		"sample_tenant":               "",
		"abc":                         "",
		"pgx":                         "",
		"pg":                          "3 to 40 characters",
		"pg_abc":                      "pg_",
		"pg_":                         "pg_",
		"pg_catalog":                  "pg_",
		"pg_toast":                    "pg_",
		"current":                     "current_user",
		"session":                     "session_user",
		"system":                      "system_user",
		"remote_monitoring":           "remote_monitoring_user",
		"Acme":                        "lowercase",
		"a" + strings.Repeat("b", 39): "",
		"a" + strings.Repeat("b", 40): "3 to 40 characters",
	} {
		got := CheckTenantID(id)
		if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("CheckTenantID(%q) = %q, want %q", id, got, want)
		}
	}
}

// Every name derived from a tenant id that CheckTenantID accepts is one its
// engine accepts: for the longest ids and for ids that border on reserved
// names.
func TestDerivedNamesOfValidIDs(t *testing.T) {
	ids := []string{"acme", "a" + strings.Repeat("z", 39), "pgx", "pg1", "currentx", "sessions", "systems", "kibana", "monitoring",
		"public", "none", "default", "admin", "local", "config", "elastic", "information", "information_schema"}
	for _, id := range ids {
		if CheckTenantID(id) != "" {
			continue
		}
		names := DerivedNames(id)
		if len(names) < 20 {
			t.Fatalf("%s: only %d derived names", id, len(names))
		}
		for _, n := range names {
			if why := CheckDerivedName(n); why != "" {
				t.Errorf("tenant id %q is accepted, but %s", id, why)
			}
			if n.Engine == PostgreSQL && len(n.Name) > 63 {
				t.Errorf("tenant id %q: %s is longer than PostgreSQL's 63 bytes", id, n.Name)
			}
		}
	}
}
