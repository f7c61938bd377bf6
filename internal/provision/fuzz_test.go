package provision

import (
	"regexp"
	"strings"
	"testing"
)

var (
	// What an accepted value may be made of: nothing that ends a quoted
	// identifier or literal, a dollar quote, a statement or an ACL rule.
	safeName      = regexp.MustCompile(`^[a-z0-9_]+$`)
	safePrefix    = regexp.MustCompile(`^[a-z0-9_:]+$`)
	safePrivilege = regexp.MustCompile(`^[A-Za-z_ ]+$`)
)

// FuzzGenerate feeds arbitrary strings into every value a user controls —
// the tenant id, a schema, a collection, a key prefix, the ClickHouse
// database, the index prefix, a SQL privilege, a Redis command — and checks
// that Generate never panics, that it rejects anything outside the allowed
// alphabets and that what it accepts reaches the artifacts only quoted.
func FuzzGenerate(f *testing.F) {
	cfg := tenantConfig(f, defaultCatalog(f), "acme", "enterprise")
	base, err := FromConfig(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("acme", "acme_data", "acme_users", "cache:acme:", "acme_analytics", "acme_", "SELECT", "GET")
	f.Add("acme", `acme_x"; DROP ROLE postgres; --`, "acme_users", "cache:acme:*", "acme_a`b", "acme*", "ALL PRIVILEGES", "+@all")
	f.Add("acme", "acme_$provision$", "acme_users.$cmd", "cache:acme: ~*", "default", "acme_", "select", "flushall")
	f.Add("a'b", "acme_data", "acme_users", "cache:acme:", "acme_analytics", "acme_", "SELECT; --", "get\nACL")
	f.Fuzz(func(t *testing.T, id, schema, collection, prefix, chdb, index, privilege, command string) {
		in := base
		in.TenantID = id
		pg, mg, rd, ch, es := *base.PostgreSQL, *base.MongoDB, *base.Redis, *base.ClickHouse, *base.Elasticsearch
		pg.Names = map[string]string{"tenant_data": schema, "tenant_audit": id + "_audit"}
		pg.Privileges = map[string][]string{RoleTenantAdmin: {privilege}, RoleTenantUser: {"SELECT"}}
		mg.Names = map[string]string{"users": collection}
		rd.Names = map[string]string{"cache": prefix}
		rd.Privileges = map[string][]string{RoleTenantAdmin: {command}}
		ch.Database = chdb
		es.IndexPrefix = index
		in.PostgreSQL, in.MongoDB, in.Redis, in.ClickHouse, in.Elasticsearch = &pg, &mg, &rd, &ch, &es
		in.Users = []User{{Name: id + "_admin", Roles: []string{RoleTenantAdmin}}}
		a, err := Generate(in)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Generate returned %T, want *Error: %v", err, err)
			}
			return
		}
		for what, v := range map[string]string{"id": id, "schema": schema, "collection": collection, "database": chdb} {
			if !safeName.MatchString(v) {
				t.Fatalf("accepted %s %q", what, v)
			}
		}
		if !safePrefix.MatchString(prefix) || !safeName.MatchString(index) {
			t.Fatalf("accepted prefix %q or index prefix %q", prefix, index)
		}
		if !safePrivilege.MatchString(privilege) || !safePrivilege.MatchString(command) {
			t.Fatalf("accepted privilege %q or command %q", privilege, command)
		}
		// Every occurrence of the schema in the SQL is a quoted identifier
		// or a string literal: no whole word of it stands outside quotes.
		bare := regexp.MustCompile(`(^|[^"'a-z0-9_])` + regexp.QuoteMeta(schema) + `($|[^"'a-z0-9_])`)
		if bare.MatchString(*a.PostgreSQL) || bare.MatchString(*a.PostgreSQLTeardown) {
			t.Fatalf("schema %q appears unquoted in:\n%s", schema, *a.PostgreSQL)
		}
		if strings.Count(*a.RedisACL, "\n") != 2 {
			t.Fatalf("the ACL is not one line per user:\n%s", *a.RedisACL)
		}
	})
}
