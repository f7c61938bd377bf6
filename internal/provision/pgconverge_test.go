package provision

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenantry/terraform-provider-tenant/internal/enginetest"
)

// pgTenant renders tier for id and returns its PostgreSQL objects.
func pgTenant(t *testing.T, id, tier string, members ...string) *PostgreSQLTenant {
	t.Helper()
	in, err := FromConfig(tenantConfig(t, defaultCatalog(t), id, tier))
	if err != nil {
		t.Fatal(err)
	}
	pt, err := NewPostgreSQLTenant(in, members)
	if err != nil {
		t.Fatal(err)
	}
	return pt
}

func TestPostgreSQLPlanned(t *testing.T) {
	pt := pgTenant(t, "acme", "free", "acme_migrator")
	got := pt.Planned()
	for _, want := range []string{
		"acme_owner NOLOGIN NOINHERIT CONNECTION LIMIT 0",
		"acme_admin LOGIN CONNECTION LIMIT 5",
		"acme_user LOGIN CONNECTION LIMIT 5",
		"acme_owner OWNS SCHEMA acme_data",
		"acme_admin USAGE ON SCHEMA acme_data",
		"acme_user USAGE ON SCHEMA acme_audit",
		"acme_admin INSERT ON ALL TABLES IN SCHEMA acme_data",
		"acme_admin INSERT ON TABLES IN SCHEMA acme_data (default, for acme_owner)",
		"acme_admin USAGE ON ALL SEQUENCES IN SCHEMA acme_analytics",
		"acme_admin USAGE ON SEQUENCES IN SCHEMA acme_analytics (default, for acme_owner)",
		"acme_user SELECT ON ALL TABLES IN SCHEMA acme_data",
		"acme_migrator MEMBER OF acme_owner",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("planned lines lack %q:\n%s", want, strings.Join(got, "\n"))
		}
	}
	for _, l := range got {
		if strings.Contains(l, "acme_user INSERT") || strings.Contains(l, "PUBLIC") {
			t.Errorf("planned line the tier does not grant: %s", l)
		}
	}
	if !slices.IsSorted(got) {
		t.Errorf("planned lines are not sorted")
	}
	if got := pgTenant(t, "acme", "enterprise").Planned(); !slices.Contains(got, "acme_admin LOGIN CONNECTION LIMIT 1000") {
		t.Errorf("enterprise lines: %v", got)
	}

	in, _ := FromConfig(tenantConfig(t, defaultCatalog(t), "acme", "free"))
	for _, bad := range [][]string{{"acme_owner"}, {"acme_admin"}, {"public"}, {""}, {"a\nb"}} {
		if _, err := NewPostgreSQLTenant(in, bad); err == nil {
			t.Errorf("owner_members %q accepted", bad)
		}
	}
	in.PostgreSQL = nil
	if _, err := NewPostgreSQLTenant(in, nil); err == nil || !strings.Contains(err.Error(), "databases.postgresql.enabled") {
		t.Errorf("a tenant without PostgreSQL: %v", err)
	}
}

func TestSCRAMVerifier(t *testing.T) {
	// The verifier of "pencil" with the salt of RFC 7677's example.
	salt := []byte{0x5b, 0x3a, 0x66, 0x69, 0xf5, 0x3d, 0x01, 0xf6, 0x7d, 0x54, 0x3c, 0x7f, 0x9b, 0x9c, 0x5d, 0x5c}
	got, err := scramVerifierWithSalt("pencil", salt)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "SCRAM-SHA-256$4096:WzpmafU9AfZ9VDx/m5xdXA==$") || strings.Contains(got, "pencil") {
		t.Errorf("verifier %s", got)
	}
	if _, err := scramVerifier(""); err == nil {
		t.Error("an empty password was accepted")
	}
}

// pgLines reads the tenant's lines.
func pgLines(t *testing.T, db Beginner, pt *PostgreSQLTenant) []string {
	t.Helper()
	r, err := pt.ReadPostgreSQL(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	return r.Privileges
}

func converge(t *testing.T, db Beginner, pt *PostgreSQLTenant, passwords map[string]string) []string {
	t.Helper()
	got, err := pt.Converge(t.Context(), db, passwords)
	if err != nil {
		t.Fatalf("converging %s: %v", pt.ID, err)
	}
	return got
}

func passwordsOf(id string) map[string]string {
	return map[string]string{PasswordAdmin: pgPassword(id + "_admin"), PasswordUser: pgPassword(id + "_user")}
}

// TestPostgreSQLConverge converges one tenant per tier on a real server and
// checks that each reads back exactly its planned lines, that out-of-band
// changes show as lines and are repaired, that tier changes keep passwords,
// and each deletion policy.
func TestPostgreSQLConverge(t *testing.T) {
	t.Parallel()
	srv := enginetest.StartPostgres(t)
	ctx := t.Context()
	su := srv.MustConnect(t, "postgres", "")
	exec1(t, su, "CREATE ROLE migrator LOGIN; CREATE ROLE outsider LOGIN")

	tenants := map[string]*PostgreSQLTenant{}
	for _, et := range engineTenants {
		pt := pgTenant(t, et.id, et.tier, "migrator")
		tenants[et.id] = pt
		got := converge(t, su, pt, passwordsOf(et.id))
		if want := pt.Planned(); !slices.Equal(got, want) {
			t.Errorf("%s (%s): converged lines differ from planned: %s", et.id, et.tier, lineDiff(want, got))
		}
		if read := pgLines(t, su, pt); !slices.Equal(read, pt.Planned()) {
			t.Errorf("%s (%s): read lines differ from planned: %s", et.id, et.tier, lineDiff(pt.Planned(), read))
		}
		exec1(t, su, fmt.Sprintf(`SET ROLE %[1]s_owner; CREATE TABLE %[1]s_data.t1 (id serial PRIMARY KEY, secret text); INSERT INTO %[1]s_data.t1 (secret) VALUES ('s'); RESET ROLE`, et.id))
		if read := pgLines(t, su, pt); !slices.Equal(read, pt.Planned()) {
			t.Errorf("%s: a table the owner created shows as drift: %s", et.id, lineDiff(pt.Planned(), read))
		}
		for _, l := range pt.Logins {
			c := srv.MustConnect(t, l, pgPassword(l))
			if err := enginetest.Try(ctx, c, fmt.Sprintf("SELECT * FROM %s_data.t1", et.id)); err != nil {
				t.Errorf("%s cannot read its own table: %v", l, err)
			}
			_ = c.Close(ctx)
		}
	}
	alpha, bravo := tenants["alpha"], tenants["bravo"]
	snapshot := func() []string {
		var all []*engineTenant
		for _, et := range engineTenants {
			pt := tenants[et.id]
			all = append(all, &engineTenant{id: et.id, in: Input{PostgreSQL: &Engine{Names: map[string]string{"a": pt.Schemas[0], "b": pt.Schemas[1], "c": pt.Schemas[2]}}}})
		}
		return pgSnapshot(t, su, all)
	}
	before := snapshot()
	for _, et := range engineTenants {
		converge(t, su, tenants[et.id], nil)
	}
	if after := snapshot(); !slices.Equal(before, after) {
		t.Errorf("converging again changed the catalog:\n%s", lineDiff(before, after))
	}

	t.Run("drift", func(t *testing.T) {
		cases := []struct {
			name, sql string
			lines     []string // lines the drift adds
			gone      []string // planned lines the drift removes
		}{
			{"grant to another tenant", "GRANT SELECT, INSERT ON alpha_data.t1 TO bravo_admin",
				[]string{"bravo_admin INSERT ON TABLE alpha_data.t1", "bravo_admin SELECT ON TABLE alpha_data.t1"}, nil},
			{"schema usage to another tenant", "GRANT USAGE ON SCHEMA alpha_data TO bravo_user",
				[]string{"bravo_user USAGE ON SCHEMA alpha_data"}, nil},
			{"grant to PUBLIC", "GRANT SELECT ON alpha_data.t1 TO PUBLIC",
				[]string{"PUBLIC SELECT ON TABLE alpha_data.t1"}, nil},
			{"column grant", "GRANT SELECT (secret) ON alpha_data.t1 TO outsider",
				[]string{"outsider SELECT (secret) ON TABLE alpha_data.t1"}, nil},
			{"default privilege", "ALTER DEFAULT PRIVILEGES FOR ROLE alpha_owner IN SCHEMA alpha_data GRANT DELETE ON TABLES TO outsider",
				[]string{"outsider DELETE ON TABLES IN SCHEMA alpha_data (default, for alpha_owner)"}, nil},
			{"global default privilege", "ALTER DEFAULT PRIVILEGES FOR ROLE alpha_owner GRANT EXECUTE ON FUNCTIONS TO PUBLIC",
				[]string{"PUBLIC EXECUTE ON FUNCTIONS (default, for alpha_owner)"}, nil},
			{"membership", "GRANT alpha_owner TO outsider",
				[]string{"outsider MEMBER OF alpha_owner"}, nil},
			{"membership of a login role", "GRANT pg_read_all_data TO alpha_user",
				[]string{"alpha_user MEMBER OF pg_read_all_data"}, nil},
			{"admin option", "GRANT alpha_owner TO migrator WITH ADMIN OPTION",
				[]string{"migrator MEMBER OF alpha_owner WITH ADMIN OPTION"}, []string{"migrator MEMBER OF alpha_owner"}},
			{"revoke", "REVOKE SELECT ON alpha_data.t1 FROM alpha_user",
				nil, []string{"alpha_user SELECT ON ALL TABLES IN SCHEMA alpha_data"}},
			{"revoked member", "REVOKE alpha_owner FROM migrator",
				nil, []string{"migrator MEMBER OF alpha_owner"}},
			{"grant option", "GRANT SELECT ON alpha_data.t1 TO alpha_user WITH GRANT OPTION; SET ROLE alpha_user; GRANT SELECT ON alpha_data.t1 TO bravo_user; RESET ROLE",
				[]string{"alpha_user SELECT ON TABLE alpha_data.t1 WITH GRANT OPTION", "bravo_user SELECT ON TABLE alpha_data.t1"},
				[]string{"alpha_user SELECT ON ALL TABLES IN SCHEMA alpha_data"}},
			{"function for PUBLIC", "CREATE OR REPLACE FUNCTION alpha_data.leak() RETURNS int LANGUAGE sql AS 'SELECT 1'",
				[]string{"PUBLIC EXECUTE ON FUNCTION alpha_data.leak()", "postgres OWNS FUNCTION alpha_data.leak()"}, nil},
			{"stray table", "CREATE TABLE IF NOT EXISTS alpha_audit.stray (x int)",
				[]string{"postgres OWNS TABLE alpha_audit.stray"}, nil},
			{"attributes", "ALTER ROLE alpha_admin CREATEROLE CONNECTION LIMIT 50",
				[]string{"alpha_admin LOGIN CREATEROLE CONNECTION LIMIT 50"}, []string{"alpha_admin LOGIN CONNECTION LIMIT 5"}},
			{"schema owner", "ALTER SCHEMA alpha_analytics OWNER TO outsider",
				[]string{"outsider OWNS SCHEMA alpha_analytics"}, []string{"alpha_owner OWNS SCHEMA alpha_analytics"}},
		}
		planned := alpha.Planned()
		for _, c := range cases {
			exec1(t, su, c.sql)
			got := pgLines(t, su, alpha)
			for _, l := range c.lines {
				if !slices.Contains(got, l) {
					t.Errorf("%s: the read lines lack %q:\n%s", c.name, l, lineDiff(planned, got))
				}
			}
			for _, l := range c.gone {
				if slices.Contains(got, l) {
					t.Errorf("%s: the read lines still hold %q", c.name, l)
				}
			}
			if slices.Equal(got, planned) {
				t.Errorf("%s: the drift does not show", c.name)
			}
			if repaired := converge(t, su, alpha, nil); !slices.Equal(repaired, planned) {
				t.Errorf("%s: not repaired: %s", c.name, lineDiff(planned, repaired))
			}
			if got := pgLines(t, su, alpha); !slices.Equal(got, planned) {
				t.Errorf("%s: read after repair: %s", c.name, lineDiff(planned, got))
			}
		}
		// Every grant above, at once.
		for _, c := range cases {
			exec1(t, su, c.sql)
		}
		if repaired := converge(t, su, alpha, nil); !slices.Equal(repaired, planned) {
			t.Errorf("all drifts at once: not repaired: %s", lineDiff(planned, repaired))
		}
		if err := enginetest.Try(ctx, srv.MustConnect(t, "bravo_admin", pgPassword("bravo_admin")), "SELECT * FROM alpha_data.t1"); enginetest.SQLState(err) != enginetest.InsufficientPrivilege {
			t.Errorf("after the repair bravo_admin reads alpha's table: %v", err)
		}
	})

	t.Run("another tenant's role as owner member", func(t *testing.T) {
		pt := pgTenant(t, "alpha", "free", "migrator", "bravo_admin")
		_, err := pt.Converge(ctx, su, nil)
		var pe *Error
		if !errors.As(err, &pe) || pe.Path != "owner_members" || !strings.Contains(pe.Message, "tenant bravo") {
			t.Errorf("bravo_admin as a member of alpha_owner: %v, want an owner_members error", err)
		}
		if got := pgLines(t, su, alpha); !slices.Equal(got, alpha.Planned()) {
			t.Errorf("the refused apply changed alpha: %s", lineDiff(alpha.Planned(), got))
		}
	})

	t.Run("tier changes keep passwords", func(t *testing.T) {
		for _, tier := range []string{"premium", "free", "standard"} {
			pt := pgTenant(t, "bravo", tier, "migrator")
			converge(t, su, pt, nil)
			var limit int
			if err := su.QueryRow(ctx, "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'bravo_admin'").Scan(&limit); err != nil {
				t.Fatal(err)
			}
			if int64(limit) != pt.ConnectionLimit {
				t.Errorf("%s: connection limit %d, want %d", tier, limit, pt.ConnectionLimit)
			}
			for _, l := range pt.Logins {
				c, err := srv.Connect(ctx, l, pgPassword(l))
				if err != nil {
					t.Fatalf("after a migration to %s, %s cannot log in with its password: %v", tier, l, err)
				}
				_ = c.Close(ctx)
			}
		}
		// Rotation: a new password replaces the old one.
		converge(t, su, bravo, map[string]string{PasswordUser: "rotated-'\"-pw"})
		if _, err := srv.Connect(ctx, "bravo_user", pgPassword("bravo_user")); enginetest.SQLState(err) != "28P01" {
			t.Errorf("the old password still works after a rotation: %v", err)
		}
		c, err := srv.Connect(ctx, "bravo_user", "rotated-'\"-pw")
		if err != nil {
			t.Fatalf("the new password: %v", err)
		}
		_ = c.Close(ctx)
		c, err = srv.Connect(ctx, "bravo_admin", pgPassword("bravo_admin"))
		if err != nil {
			t.Fatalf("rotating the user's password changed the admin's: %v", err)
		}
		_ = c.Close(ctx)
		if got := queryStrings(t, su, `SELECT rolpassword FROM pg_authid WHERE rolname = 'bravo_user'`); len(got) != 1 || !strings.HasPrefix(got[0], "SCRAM-SHA-256$") {
			t.Errorf("stored password %v, want a SCRAM verifier", got)
		}
	})

	t.Run("parallel", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pt := pgTenant(t, fmt.Sprintf("par%02d", i%10), []string{"free", "standard"}[i%2], "migrator")
				conn, err := srv.Connect(ctx, "postgres", "")
				if err != nil {
					errs <- err
					return
				}
				defer func() { _ = conn.Close(ctx) }()
				if _, err := pt.Converge(ctx, conn, passwordsOf(pt.ID)); err != nil {
					errs <- fmt.Errorf("%s: %w", pt.ID, err)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})

	t.Run("two databases", func(t *testing.T) {
		exec1(t, su, "CREATE DATABASE other")
		conn, err := srv.ConnectDB(ctx, "other", "postgres", "")
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = conn.Close(ctx) }()
		limitBefore := queryStrings(t, su, "SELECT rolconnlimit::text FROM pg_roles WHERE rolname = 'charlie_admin'")
		_, err = tenants["charlie"].Converge(ctx, conn, nil)
		if err == nil || !strings.Contains(err.Error(), `database "postgres"`) || !strings.Contains(err.Error(), `"other"`) {
			t.Fatalf("the same tenant on a second database: %v, want an error naming the other database", err)
		}
		if err := tenants["charlie"].Drop(ctx, conn, DeleteCascade); err == nil || !strings.Contains(err.Error(), `database "postgres"`) {
			t.Errorf("dropping the tenant from the other database: %v, want a refusal", err)
		}
		if got := queryStrings(t, su, "SELECT rolconnlimit::text FROM pg_roles WHERE rolname = 'charlie_admin'"); !slices.Equal(got, limitBefore) {
			t.Errorf("the refused tenant's roles changed: %v -> %v", limitBefore, got)
		}
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'charlie%'").Scan(&n); err != nil || n != 0 {
			t.Errorf("schemas in the other database: %d %v", n, err)
		}

		// A change in one database waits for a change in another.
		tx, err := begin(ctx, conn)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			c, err := srv.Connect(ctx, "postgres", "")
			if err == nil {
				_, err = tenants["charlie"].Converge(ctx, c, nil)
				_ = c.Close(ctx)
			}
			done <- err
		}()
		select {
		case err := <-done:
			t.Errorf("a change ran while a change in another database held the server's lock: %v", err)
			_ = tx.Rollback(ctx)
		case <-time.After(700 * time.Millisecond):
			_ = tx.Rollback(ctx)
			if err := <-done; err != nil {
				t.Errorf("the waiting change: %v", err)
			}
		}
	})

	t.Run("deletion", func(t *testing.T) {
		pt := tenants["charlie"]
		before := snapshot()
		err := pt.Drop(ctx, su, DeleteRestrict)
		if err == nil || !strings.Contains(err.Error(), "charlie_data.t1") {
			t.Fatalf("RESTRICT with a table: %v, want a refusal naming charlie_data.t1", err)
		}
		if after := snapshot(); !slices.Equal(before, after) {
			t.Errorf("a refused RESTRICT changed the catalog: %s", lineDiff(before, after))
		}

		// CASCADE ends the sessions and leaves nothing.
		session := srv.MustConnect(t, "charlie_admin", pgPassword("charlie_admin"))
		if err := pt.Drop(ctx, su, DeleteCascade); err != nil {
			t.Fatal(err)
		}
		if err := session.Ping(ctx); err == nil {
			t.Errorf("a session of charlie_admin survived the CASCADE")
		}
		if got := queryStrings(t, su, `SELECT rolname::text FROM pg_roles WHERE rolname LIKE 'charlie\_%' UNION ALL SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'charlie\_%'
			UNION ALL SELECT usename::text FROM pg_stat_activity WHERE usename LIKE 'charlie\_%'`); len(got) > 0 {
			t.Errorf("CASCADE left %v", got)
		}
		if r, err := pt.ReadPostgreSQL(ctx, su); err != nil || r.Exists {
			t.Errorf("read after the CASCADE: %+v %v", r, err)
		}

		// RESTRICT without tables drops everything.
		d := tenants["delta"]
		exec1(t, su, "DROP TABLE delta_data.t1")
		if err := d.Drop(ctx, su, DeleteRestrict); err != nil {
			t.Fatal(err)
		}
		if got := queryStrings(t, su, `SELECT rolname::text FROM pg_roles WHERE rolname LIKE 'delta\_%' UNION ALL SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'delta\_%'`); len(got) > 0 {
			t.Errorf("RESTRICT left %v", got)
		}
		// ABANDON changes nothing.
		before = snapshot()
		if err := alpha.Drop(ctx, su, DeleteAbandon); err != nil {
			t.Fatal(err)
		}
		if after := snapshot(); !slices.Equal(before, after) {
			t.Errorf("ABANDON changed the catalog")
		}
	})
}

// TestPostgreSQLReadImported reads a tenant known only by its id.
func TestPostgreSQLReadImported(t *testing.T) {
	t.Parallel()
	srv := enginetest.StartPostgres(t)
	su := srv.MustConnect(t, "postgres", "")
	exec1(t, su, "CREATE ROLE migrator")
	pt := pgTenant(t, "golf", "premium", "migrator")
	converge(t, su, pt, nil)
	locked, err := LockedPostgreSQLTenant("golf")
	if err != nil {
		t.Fatal(err)
	}
	r, err := locked.ReadPostgreSQL(t.Context(), su)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Exists || r.Database != "postgres" || !slices.Equal(r.OwnerMembers, []string{"migrator"}) || !slices.Equal(r.Privileges, pt.Planned()) {
		t.Errorf("imported reading %+v", r)
	}
}
