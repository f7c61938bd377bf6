package provision

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/tenantry/terraform-provider-tenant/internal/engines"
	"github.com/tenantry/terraform-provider-tenant/internal/enginetest"
)

// engineTenant is one tenant of the real-engine tests.
type engineTenant struct {
	id, tier string
	in       Input
	a        Artifacts
	grants   map[string][]string // engine user -> privileges its artifact grants
}

var engineTenants = []struct{ id, tier string }{
	{"alpha", "free"}, {"bravo", "standard"}, {"charlie", "premium"}, {"delta", "enterprise"},
}

func loadTenants(t *testing.T, engine string) []*engineTenant {
	t.Helper()
	cat := defaultCatalog(t)
	var out []*engineTenant
	for _, et := range engineTenants {
		in, a := artifacts(t, cat, et.id, et.tier)
		g, err := newGenerator(in)
		if err != nil {
			t.Fatal(err)
		}
		ugs, err := g.grants(engine, in.engine(engine))
		if err != nil {
			t.Fatal(err)
		}
		grants := map[string][]string{}
		for _, ug := range ugs {
			grants[ug.user] = ug.privileges
		}
		out = append(out, &engineTenant{id: et.id, tier: et.tier, in: in, a: a, grants: grants})
	}
	return out
}

func (et *engineTenant) logins() []string { return []string{et.id + "_admin", et.id + "_user"} }

func (et *engineTenant) schemas() []string {
	var s []string
	for _, k := range sortedKeys(et.in.PostgreSQL.Names) {
		s = append(s, et.in.PostgreSQL.Names[k])
	}
	return s
}

func pgPassword(role string) string { return "pw-" + role + "-'\"$x" }

// tally counts attempts that must be denied and operations that must succeed.
type tally struct {
	denied, deniedWant, allowed, allowedWant, beyond, beyondWant int
}

func (c *tally) expectDenied(t *testing.T, what string, err error, isDenied func(error) bool, own bool) {
	t.Helper()
	if own {
		c.beyondWant++
	} else {
		c.deniedWant++
	}
	switch {
	case err == nil:
		t.Errorf("LEAK: %s succeeded", what)
	case !isDenied(err):
		t.Errorf("%s failed without a permission denial (a failure is not a denial): %v", what, err)
	case own:
		c.beyond++
	default:
		c.denied++
	}
}

func (c *tally) expectAllowed(t *testing.T, what string, err error) {
	t.Helper()
	c.allowedWant++
	if err != nil {
		t.Errorf("%s was denied, but the tier grants it: %v", what, err)
		return
	}
	c.allowed++
}

func (c *tally) report(t *testing.T, engine string) {
	t.Helper()
	line := fmt.Sprintf("%s: %d of %d cross-tenant attempts denied; %d of %d own operations allowed; %d of %d own operations beyond the tier denied",
		engine, c.denied, c.deniedWant, c.allowed, c.allowedWant, c.beyond, c.beyondWant)
	t.Log(line)
	fmt.Println(line)
	if c.deniedWant == 0 || c.allowedWant == 0 {
		t.Errorf("%s: nothing was attempted", engine)
	}
}

// pgSnapshot is the catalogue state the provisioning of the tenants
// touches, each line sorted: roles and their attributes, memberships,
// schemas, relations and default privileges with their ACLs exploded.
func pgSnapshot(t *testing.T, su *pgx.Conn, tenants []*engineTenant) []string {
	t.Helper()
	var roles, schemas []string
	for _, et := range tenants {
		roles = append(roles, et.id+"_owner", et.id+"_admin", et.id+"_user")
		schemas = append(schemas, et.schemas()...)
	}
	var out []string
	for i, q := range []string{
		`SELECT format('role %s super=%s inherit=%s createrole=%s createdb=%s login=%s repl=%s bypassrls=%s connlimit=%s password=%s',
			rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, rolconnlimit, rolpassword IS NOT NULL)
		 FROM pg_catalog.pg_authid WHERE rolname = ANY($1)`,
		`SELECT format('member %s of %s', m.member::regrole, m.roleid::regrole) FROM pg_catalog.pg_auth_members m
		 WHERE m.member::regrole::text = ANY($1) OR m.roleid::regrole::text = ANY($1)`,
		`SELECT format('schema %s owner %s', nspname, nspowner::regrole) FROM pg_catalog.pg_namespace WHERE nspname = ANY($1)`,
		`SELECT format('schema %s acl %s %s %s %s', n.nspname, a.grantor::regrole, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END, a.privilege_type, a.is_grantable)
		 FROM pg_catalog.pg_namespace n, LATERAL aclexplode(n.nspacl) a WHERE n.nspname = ANY($1)`,
		`SELECT format('relation %s.%s kind %s owner %s', n.nspname, c.relname, c.relkind, c.relowner::regrole)
		 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY($1)`,
		`SELECT format('relation %s.%s acl %s %s %s %s', n.nspname, c.relname, a.grantor::regrole, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END, a.privilege_type, a.is_grantable)
		 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace, LATERAL aclexplode(c.relacl) a WHERE n.nspname = ANY($1)`,
		`SELECT format('default %s %s %s %s %s', d.defaclrole::regrole, coalesce(n.nspname, '*'), d.defaclobjtype, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END, a.privilege_type)
		 FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace, LATERAL aclexplode(d.defaclacl) a
		 WHERE d.defaclrole::regrole::text = ANY($1)`,
	} {
		arg := schemas
		if i < 2 || i == 6 {
			arg = roles
		}
		out = append(out, queryStrings(t, su, q, arg)...)
	}
	slices.Sort(out)
	return out
}

// TestPostgreSQLArtifacts applies the artifacts of four tenants, one per
// tier, to a real PostgreSQL and tries every cross-tenant access.
func TestPostgreSQLArtifacts(t *testing.T) {
	t.Parallel()
	srv := enginetest.StartPostgres(t)
	ctx := t.Context()
	su := srv.MustConnect(t, "postgres", "")
	if v := queryStrings(t, su, "SHOW server_version_num")[0]; v < "150000" {
		t.Fatalf("server version %s, want PostgreSQL 15", v)
	}
	tenants := loadTenants(t, PostgreSQL)

	for _, et := range tenants {
		exec1(t, su, *et.a.PostgreSQL)
		// Created without a password: nobody can log in before one is set.
		if got := queryStrings(t, su, `SELECT rolname FROM pg_catalog.pg_authid WHERE rolname = ANY($1) AND rolpassword IS NOT NULL`, et.logins()); len(got) > 0 {
			t.Errorf("%s: roles with a password right after provisioning: %v", et.id, got)
		}
		if _, err := srv.Connect(ctx, et.id+"_admin", "guess"); enginetest.SQLState(err) != "28P01" {
			t.Errorf("%s_admin logged in (or failed otherwise) before a password was set: %v", et.id, err)
		}
		// Passwords out of band, as an operator does.
		for _, r := range et.logins() {
			exec1(t, su, fmt.Sprintf("ALTER ROLE %s PASSWORD %s", quoteIdent(r), quoteLiteral(pgPassword(r))))
		}
		for _, s := range et.schemas() {
			// A table of the owner, created before the next run, and a
			// stray one of the superuser that the next run hands to the owner.
			exec1(t, su, fmt.Sprintf(`SET ROLE %[1]s; CREATE TABLE %[2]s.early (id serial PRIMARY KEY, v text); INSERT INTO %[2]s.early (v) VALUES ('seed'); RESET ROLE;
				CREATE TABLE %[2]s.stray (id int); INSERT INTO %[2]s.stray VALUES (1)`, quoteIdent(et.id+"_owner"), quoteIdent(s)))
		}
		// Memberships someone granted by hand are revoked by the next run.
		exec1(t, su, fmt.Sprintf("GRANT %s TO %s; GRANT pg_read_all_data TO %s", quoteIdent(et.id+"_owner"), quoteIdent(et.id+"_admin"), quoteIdent(et.id+"_user")))
	}
	for _, et := range tenants {
		exec1(t, su, *et.a.PostgreSQL)
	}
	before := pgSnapshot(t, su, tenants)
	for _, et := range tenants {
		exec1(t, su, *et.a.PostgreSQL)
	}
	if after := pgSnapshot(t, su, tenants); !slices.Equal(before, after) {
		t.Errorf("running the scripts again changed the catalogue:\nbefore:\n%s\nafter:\n%s", strings.Join(before, "\n"), strings.Join(after, "\n"))
	}
	for _, et := range tenants {
		for _, s := range et.schemas() {
			exec1(t, su, fmt.Sprintf(`SET ROLE %[1]s; CREATE TABLE %[2]s.later (id serial PRIMARY KEY, v text); INSERT INTO %[2]s.later (v) VALUES ('seed'); RESET ROLE`, quoteIdent(et.id+"_owner"), quoteIdent(s)))
		}
	}

	t.Run("catalogue", func(t *testing.T) { checkPGCatalogue(t, su, tenants) })

	conns := map[string]*pgx.Conn{}
	for _, et := range tenants {
		for _, r := range et.logins() {
			conns[r] = srv.MustConnect(t, r, pgPassword(r))
		}
	}
	var c tally
	tables := []string{"early", "later", "stray"}
	for _, attacker := range tenants {
		for _, role := range attacker.logins() {
			conn := conns[role]
			try := func(sql string) error { return enginetest.Try(ctx, conn, sql) }
			for _, victim := range tenants {
				if victim == attacker {
					continue
				}
				for _, s := range victim.schemas() {
					qs := quoteIdent(s)
					for _, sql := range []string{
						"SELECT * FROM " + qs + ".early", "SELECT * FROM " + qs + ".later",
						"INSERT INTO " + qs + ".early (v) VALUES ('x')", "UPDATE " + qs + ".early SET v = 'x'",
						"DELETE FROM " + qs + ".early", "TRUNCATE " + qs + ".early",
						"ALTER TABLE " + qs + ".early ADD COLUMN x int", "DROP TABLE " + qs + ".early",
						"CREATE TABLE " + qs + ".planted (x int)", "CREATE VIEW " + qs + ".planted AS SELECT 1",
						"GRANT SELECT ON " + qs + ".early TO " + quoteIdent(role),
						"GRANT USAGE ON SCHEMA " + qs + " TO " + quoteIdent(role),
						"ALTER SCHEMA " + qs + " RENAME TO stolen", "DROP SCHEMA " + qs + " CASCADE",
						"SELECT nextval('" + s + ".early_id_seq')",
					} {
						c.expectDenied(t, role+": "+sql, try(sql), enginetest.Denied, false)
					}
				}
				for _, r := range []string{victim.id + "_owner", victim.id + "_admin", victim.id + "_user"} {
					sql := "SET ROLE " + quoteIdent(r)
					c.expectDenied(t, role+": "+sql, try(sql), enginetest.Denied, false)
				}
			}
			for _, sql := range []string{"CREATE TABLE public.planted (x int)", "CREATE FUNCTION public.planted() RETURNS int LANGUAGE sql AS 'SELECT 1'", "CREATE SCHEMA planted"} {
				c.expectDenied(t, role+": "+sql, try(sql), enginetest.Denied, false)
			}

			// Own schemas: what the tier grants works on every table, old
			// and new; the rest is denied.
			granted := attacker.grants[role]
			for _, s := range attacker.schemas() {
				for _, tbl := range tables {
					q := quoteIdent(s) + "." + tbl
					ops := map[string]string{
						"SELECT": "SELECT * FROM " + q, "INSERT": "INSERT INTO " + q + " DEFAULT VALUES",
						"UPDATE": "UPDATE " + q + " SET id = id", "DELETE": "DELETE FROM " + q, "TRUNCATE": "TRUNCATE " + q,
					}
					for _, p := range []string{"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"} {
						err := try(ops[p])
						if slices.Contains(granted, p) {
							c.expectAllowed(t, role+": "+ops[p], err)
						} else {
							c.expectDenied(t, role+": "+ops[p], err, enginetest.Denied, true)
						}
					}
				}
				for _, sql := range []string{"CREATE TABLE " + quoteIdent(s) + ".mine (x int)", "DROP TABLE " + quoteIdent(s) + ".early", "ALTER TABLE " + quoteIdent(s) + ".early ADD COLUMN x int"} {
					c.expectDenied(t, role+": "+sql, try(sql), enginetest.Denied, true)
				}
			}
			sql := "SET ROLE " + quoteIdent(attacker.id+"_owner")
			c.expectDenied(t, role+": "+sql, try(sql), enginetest.Denied, true)
		}
	}
	c.report(t, "PostgreSQL")

	t.Run("tier change converges", func(t *testing.T) { checkPGConvergence(t, srv, su) })

	t.Run("teardown", func(t *testing.T) {
		for _, et := range tenants {
			_ = conns[et.id+"_admin"].Close(ctx)
			_ = conns[et.id+"_user"].Close(ctx)
			exec1(t, su, *et.a.PostgreSQLTeardown)
			exec1(t, su, *et.a.PostgreSQLTeardown)
		}
		if left := pgSnapshot(t, su, tenants); len(left) > 0 {
			t.Errorf("the teardown left:\n%s", strings.Join(left, "\n"))
		}
	})
}

// TestPostgreSQLIgnoresPlantedFunctions plants, in the schema public,
// functions that the default search_path would pick instead of the
// catalog's format() (a better match for the arguments), and checks that
// neither script calls them: the scripts run as a superuser.
func TestPostgreSQLIgnoresPlantedFunctions(t *testing.T) {
	t.Parallel()
	srv := enginetest.StartPostgres(t)
	su := srv.MustConnect(t, "postgres", "")
	_, a := artifacts(t, defaultCatalog(t), "golf", "standard")
	exec1(t, su, `CREATE TABLE public.planted_calls (f text);
		CREATE FUNCTION public.format(text, text) RETURNS text LANGUAGE sql
			AS $$ INSERT INTO public.planted_calls VALUES ('format(text, text)'); SELECT 'SELECT 1' $$;
		CREATE FUNCTION public.format(text, text, text) RETURNS text LANGUAGE sql
			AS $$ INSERT INTO public.planted_calls VALUES ('format(text, text, text)'); SELECT 'SELECT 1' $$;
		CREATE FUNCTION public.format(text, name, name) RETURNS text LANGUAGE sql
			AS $$ INSERT INTO public.planted_calls VALUES ('format(text, name, name)'); SELECT 'SELECT 1' $$;
		CREATE ROLE golf_user; CREATE ROLE planted; GRANT golf_user TO planted`)
	exec1(t, su, *a.PostgreSQL)
	exec1(t, su, *a.PostgreSQL)
	exec1(t, su, *a.PostgreSQLTeardown)
	if got := queryStrings(t, su, `SELECT f FROM public.planted_calls`); len(got) > 0 {
		t.Errorf("the scripts called functions planted in the schema public: %v", got)
	}
}

func checkPGCatalogue(t *testing.T, su *pgx.Conn, tenants []*engineTenant) {
	for _, et := range tenants {
		owner := et.id + "_owner"
		schemas := et.schemas()
		if got := queryStrings(t, su, `SELECT format('%s %s', nspname, nspowner::regrole) FROM pg_catalog.pg_namespace WHERE nspname = ANY($1) ORDER BY 1`, schemas); len(got) != len(schemas) {
			t.Errorf("%s: schemas %v", et.id, got)
		} else {
			for _, g := range got {
				if !strings.HasSuffix(g, " "+owner) {
					t.Errorf("%s: schema not owned by %s: %s", et.id, owner, g)
				}
			}
		}
		if got := queryStrings(t, su, `SELECT format('%s.%s %s', n.nspname, c.relname, c.relowner::regrole) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = ANY($1) AND c.relowner::regrole::text <> $2`, schemas, owner); len(got) > 0 {
			t.Errorf("%s: relations not owned by %s: %v", et.id, owner, got)
		}
		if got := queryStrings(t, su, `SELECT format('%s %s', n.nspname, a.privilege_type) FROM pg_catalog.pg_namespace n, LATERAL aclexplode(n.nspacl) a WHERE n.nspname = ANY($1) AND a.grantee = 0
			UNION ALL SELECT format('%s.%s %s', n.nspname, c.relname, a.privilege_type) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace, LATERAL aclexplode(c.relacl) a WHERE n.nspname = ANY($1) AND a.grantee = 0
			UNION ALL SELECT format('%s.%s (default) EXECUTE', n.nspname, p.proname) FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ANY($1) AND has_function_privilege(0::oid, p.oid, 'EXECUTE')`, schemas); len(got) > 0 {
			t.Errorf("%s: PUBLIC holds privileges: %v", et.id, got)
		}
		// Exactly the tier's privileges on every table, for the tenant's
		// roles only.
		var want []string
		for _, s := range schemas {
			for _, tbl := range []string{"early", "later", "stray"} {
				for _, r := range et.logins() {
					for _, p := range et.grants[r] {
						want = append(want, fmt.Sprintf("%s.%s %s %s", s, tbl, r, p))
					}
				}
			}
		}
		slices.Sort(want)
		got := queryStrings(t, su, `SELECT format('%s.%s %s %s', n.nspname, c.relname, a.grantee::regrole, a.privilege_type) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace, LATERAL aclexplode(c.relacl) a
			WHERE n.nspname = ANY($1) AND c.relkind = 'r' AND a.grantee <> c.relowner ORDER BY 1`, schemas)
		if !slices.Equal(got, want) {
			t.Errorf("%s: table privileges\n got %v\nwant %v", et.id, got, want)
		}
		if got := queryStrings(t, su, `SELECT format('%s login=%s connlimit=%s password=%s', rolname, rolcanlogin, rolconnlimit, rolpassword IS NOT NULL) FROM pg_catalog.pg_authid WHERE rolname = ANY($1) ORDER BY 1`,
			[]string{owner, et.id + "_admin", et.id + "_user"}); !slices.Equal(got, []string{
			fmt.Sprintf("%s_admin login=t connlimit=%d password=t", et.id, et.in.PostgreSQL.MaxConnections),
			fmt.Sprintf("%s login=f connlimit=0 password=f", owner),
			fmt.Sprintf("%s_user login=t connlimit=%d password=t", et.id, et.in.PostgreSQL.MaxConnections),
		}) {
			t.Errorf("%s: roles %v (a password set out of band must survive a run)", et.id, got)
		}
		if got := queryStrings(t, su, `SELECT format('%s in %s', member::regrole, roleid::regrole) FROM pg_catalog.pg_auth_members WHERE member::regrole::text = ANY($1) OR roleid::regrole::text = ANY($1)`,
			[]string{owner, et.id + "_admin", et.id + "_user"}); len(got) > 0 {
			t.Errorf("%s: memberships left: %v", et.id, got)
		}
	}
}

// checkPGConvergence provisions a free tenant, runs the standard script over
// it, then a script that lost the write privileges, then the standard one
// again, checking the catalogue and real access after each.
func checkPGConvergence(t *testing.T, srv *enginetest.Postgres, su *pgx.Conn) {
	ctx := t.Context()
	cat := defaultCatalog(t)
	const id = "echo"
	_, free := artifacts(t, cat, id, "free")
	std, stdArt := artifacts(t, cat, id, "standard")
	reduced := std
	pg := *std.PostgreSQL
	pg.Privileges = map[string][]string{RoleTenantAdmin: {"SELECT"}, RoleTenantUser: {"SELECT"}}
	reduced.PostgreSQL = &pg
	redArt, err := Generate(reduced)
	if err != nil {
		t.Fatal(err)
	}
	admin := id + "_admin"
	connlimit := func() string {
		return queryStrings(t, su, `SELECT rolconnlimit::text FROM pg_catalog.pg_roles WHERE rolname = $1`, admin)[0]
	}
	exec1(t, su, *free.PostgreSQL)
	exec1(t, su, fmt.Sprintf("ALTER ROLE %s PASSWORD %s", quoteIdent(admin), quoteLiteral(pgPassword(admin))))
	exec1(t, su, `SET ROLE echo_owner; CREATE TABLE echo_data.t (id serial PRIMARY KEY); RESET ROLE`)
	if got := connlimit(); got != "5" {
		t.Errorf("free connection limit = %s, want 5", got)
	}
	conn := srv.MustConnect(t, admin, pgPassword(admin))
	insert := func(table string) error {
		return enginetest.Try(ctx, conn, "INSERT INTO echo_data."+table+" DEFAULT VALUES")
	}

	exec1(t, su, *stdArt.PostgreSQL)
	if got := connlimit(); got != "100" {
		t.Errorf("after the standard script the connection limit = %s, want 100", got)
	}
	if err := insert("t"); err != nil {
		t.Errorf("standard admin cannot insert: %v", err)
	}

	exec1(t, su, *redArt.PostgreSQL)
	exec1(t, su, `SET ROLE echo_owner; CREATE TABLE echo_data.u (id serial PRIMARY KEY); RESET ROLE`)
	for _, table := range []string{"t", "u"} {
		if err := insert(table); !enginetest.Denied(err) {
			t.Errorf("after a script without INSERT, inserting into %s: %v, want permission denied", table, err)
		}
		if err := enginetest.Try(ctx, conn, "SELECT * FROM echo_data."+table); err != nil {
			t.Errorf("after a script with SELECT, reading %s: %v", table, err)
		}
	}
	if got := queryStrings(t, su, `SELECT format('%s %s', c.relname, a.privilege_type) FROM pg_catalog.pg_class c, LATERAL aclexplode(c.relacl) a
		WHERE c.relnamespace = 'echo_data'::regnamespace AND a.grantee = 'echo_admin'::regrole AND a.privilege_type <> 'SELECT'`); len(got) > 0 {
		t.Errorf("privileges the tier lost are still held: %v", got)
	}

	exec1(t, su, *stdArt.PostgreSQL)
	for _, table := range []string{"t", "u"} {
		if err := insert(table); err != nil {
			t.Errorf("after the standard script again, inserting into %s: %v", table, err)
		}
	}
	_ = conn.Close(ctx)
	exec1(t, su, *stdArt.PostgreSQLTeardown)
	if got := queryStrings(t, su, `SELECT rolname::text FROM pg_catalog.pg_roles WHERE rolname LIKE 'echo\_%' UNION ALL SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname LIKE 'echo\_%'`); len(got) > 0 {
		t.Errorf("the teardown left %v", got)
	}
}

func redisDenied(err error) bool { return err != nil && strings.HasPrefix(err.Error(), "NOPERM") }

// TestRedisArtifacts applies the ACL lines of four tenants, one per tier, to
// a real Redis, turns the default user off and tries every command class and
// every other tenant's keys as every tenant user.
func TestRedisArtifacts(t *testing.T) {
	t.Parallel()
	srv := enginetest.StartRedis(t)
	ctx := t.Context()
	ops := srv.Client(enginetest.OpsUser, enginetest.OpsPassword)
	t.Cleanup(func() { _ = ops.Close() })
	if v, err := ops.Do(ctx, "INFO", "server").Text(); err != nil || !strings.Contains(v, "redis_version:7.") {
		t.Fatalf("want Redis 7: %v %.200s", err, v)
	}
	tenants := loadTenants(t, Redis)
	var all string
	for _, et := range tenants {
		all += *et.a.RedisACL
	}
	srv.ApplyACL(t, all)
	list := func() []string {
		l, err := ops.Do(ctx, "ACL", "LIST").StringSlice()
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	before := list()
	srv.ApplyACL(t, all)
	if after := list(); !slices.Equal(before, after) {
		t.Errorf("applying the ACL again changed it:\n%v\n%v", before, after)
	}
	for _, et := range tenants {
		for _, u := range et.logins() {
			// resetpass without nopass: no password opens the user.
			if err := ops.Do(ctx, "AUTH", u, "").Err(); err == nil || !strings.HasPrefix(err.Error(), "WRONGPASS") {
				t.Errorf("AUTH %s before a password was set: %v, want WRONGPASS", u, err)
			}
		}
	}
	// The default user is turned off before any tenant user is tried.
	if err := ops.Do(ctx, "ACL", "SETUSER", "default", "off", "resetpass", "-@all").Err(); err != nil {
		t.Fatal(err)
	}
	anon := srv.Client("", "")
	if err := anon.Ping(ctx).Err(); err == nil || !strings.HasPrefix(err.Error(), "NOAUTH") {
		t.Fatalf("an unauthenticated client can still run commands: %v", err)
	}
	_ = anon.Close()
	clients := map[string]*redis.Client{}
	for _, et := range tenants {
		for _, u := range et.logins() {
			if err := ops.Do(ctx, "ACL", "SETUSER", u, ">"+redisPassword(u)).Err(); err != nil {
				t.Fatal(err)
			}
			c := srv.Client(u, redisPassword(u))
			t.Cleanup(func() { _ = c.Close() })
			if err := c.Ping(ctx).Err(); !redisDenied(err) && err != nil {
				t.Fatalf("AUTH as %s failed (every later denial would mean nothing): %v", u, err)
			}
			if who, err := c.Do(ctx, "AUTH", u, redisPassword(u)).Text(); err != nil || who != "OK" {
				t.Fatalf("AUTH as %s: %q %v", u, who, err)
			}
			clients[u] = c
		}
		for _, p := range sortedKeys(et.in.Redis.Names) {
			if err := ops.Set(ctx, et.in.Redis.Names[p]+"k", "v", 0).Err(); err != nil {
				t.Fatal(err)
			}
		}
	}

	var c tally
	for _, attacker := range tenants {
		for _, u := range attacker.logins() {
			cl := clients[u]
			try := func(args ...any) error { return cl.Do(ctx, args...).Err() }
			for _, victim := range tenants {
				if victim == attacker {
					continue
				}
				for _, p := range sortedKeys(victim.in.Redis.Names) {
					key := victim.in.Redis.Names[p] + "k"
					for _, args := range [][]any{{"GET", key}, {"SET", key, "x"}, {"DEL", key}, {"EXPIRE", key, "1"}, {"EXISTS", key}, {"TYPE", key}} {
						c.expectDenied(t, fmt.Sprintf("%s: %v", u, args), try(args...), redisDenied, false)
					}
				}
			}
			own := attacker.in.Redis.Names["cache"] + "k"
			for _, args := range [][]any{
				{"KEYS", "*"}, {"SCAN", "0"}, {"RANDOMKEY"}, {"DBSIZE"}, {"FLUSHALL"}, {"FLUSHDB"},
				{"CONFIG", "GET", "*"}, {"CONFIG", "SET", "maxmemory", "1"}, {"EVAL", "return redis.call('KEYS', '*')", "0"},
				{"SCRIPT", "FLUSH"}, {"FUNCTION", "LIST"}, {"ACL", "LIST"}, {"ACL", "SETUSER", u, "+@all"}, {"ACL", "WHOAMI"},
				{"CLIENT", "LIST"}, {"CLIENT", "KILL", "TYPE", "normal"}, {"INFO"}, {"SELECT", "1"}, {"SWAPDB", "0", "1"},
				{"SAVE"}, {"BGSAVE"}, {"SLOWLOG", "GET"}, {"PUBLISH", "events", "x"},
				{"RENAME", own, own + "2"}, {"DUMP", own}, {"OBJECT", "ENCODING", own}, {"MIGRATE", "127.0.0.1", "1", own, "0", "1"},
				{"SORT", own}, {"MSET", own, "x"}, {"GET", "unprefixed"}, {"GET", strings.TrimSuffix(attacker.in.Redis.Names["cache"], ":")},
				{"SET", "cache:" + attacker.id + "x:k", "v"},
			} {
				c.expectDenied(t, fmt.Sprintf("%s: %v", u, args), try(args...), redisDenied, false)
			}
			granted := attacker.grants[u]
			for _, p := range sortedKeys(attacker.in.Redis.Names) {
				key := attacker.in.Redis.Names[p] + "k"
				for _, args := range [][]any{{"GET", key}, {"SET", key, "v"}, {"EXPIRE", key, "1000"}, {"DEL", key + "-tmp"}} {
					cmd, _ := args[0].(string)
					err := try(args...)
					if slices.Contains(granted, cmd) {
						c.expectAllowed(t, fmt.Sprintf("%s: %v", u, args), err)
					} else {
						c.expectDenied(t, fmt.Sprintf("%s: %v", u, args), err, redisDenied, true)
					}
				}
			}
		}
	}
	// The data of every tenant is intact.
	for _, et := range tenants {
		for _, p := range sortedKeys(et.in.Redis.Names) {
			if v, err := ops.Get(ctx, et.in.Redis.Names[p]+"k").Result(); err != nil || v != "v" {
				t.Errorf("%s: %q %v", et.in.Redis.Names[p]+"k", v, err)
			}
		}
	}
	c.report(t, "Redis")

	t.Run("tier change converges", func(t *testing.T) {
		et := tenants[0]
		admin := et.id + "_admin"
		reduced := et.in
		r := *et.in.Redis
		r.Privileges = map[string][]string{RoleTenantAdmin: {"GET"}, RoleTenantUser: {"GET"}}
		reduced.Redis = &r
		ra, err := Generate(reduced)
		if err != nil {
			t.Fatal(err)
		}
		srv.ApplyACL(t, *ra.RedisACL)
		if err := ops.Do(ctx, "ACL", "SETUSER", admin, ">"+redisPassword(admin)).Err(); err != nil {
			t.Fatal(err)
		}
		cl := srv.Client(admin, redisPassword(admin))
		defer func() { _ = cl.Close() }()
		key := et.in.Redis.Names["cache"] + "k"
		if err := cl.Set(ctx, key, "x", 0).Err(); !redisDenied(err) {
			t.Errorf("SET after a tier without it: %v, want NOPERM", err)
		}
		if err := cl.Get(ctx, key).Err(); err != nil {
			t.Errorf("GET: %v", err)
		}
		srv.ApplyACL(t, *et.a.RedisACL)
		// A new connection needs the password again: resetpass removed it.
		fresh := srv.Client(admin, redisPassword(admin))
		defer func() { _ = fresh.Close() }()
		if err := fresh.Ping(ctx).Err(); err == nil || !strings.HasPrefix(err.Error(), "WRONGPASS") {
			t.Errorf("after a new ACL line the old password still works: %v (resetpass must remove it)", err)
		}
	})
}

func redisPassword(user string) string { return "pw-" + user + "-redis" }

// PostgreSQL itself refuses the role and schema names that CheckTenantID
// keeps tenant ids from deriving (current_user and session_user it takes
// quoted, but unquoted they name the session's own role, so the provider
// refuses them too), and takes the longest names a valid id derives: the
// rules of package engines are the server's.
func TestPostgresReservedNames(t *testing.T) {
	srv := enginetest.StartPostgres(t)
	su := srv.MustConnect(t, "postgres", "")
	ctx := t.Context()
	var user string
	if err := su.QueryRow(ctx, "SELECT rolname::text FROM pg_roles WHERE rolname = current_user").Scan(&user); err != nil || user != "postgres" {
		t.Errorf("unquoted current_user is %q (%v), want the session's role", user, err)
	}
	for _, name := range []string{"pg_abc_owner", "public", "none"} {
		if _, err := su.Exec(ctx, "CREATE ROLE "+quoteIdent(name)); err == nil {
			t.Errorf("PostgreSQL created the role %s, which the provider refuses", name)
			_, _ = su.Exec(ctx, "DROP ROLE "+quoteIdent(name))
		}
	}
	if _, err := su.Exec(ctx, "CREATE SCHEMA "+quoteIdent("pg_abc_data")); err == nil {
		t.Error("PostgreSQL created the schema pg_abc_data, which the provider refuses")
	}
	id := "a" + strings.Repeat("z", 39)
	for _, n := range engines.DerivedNames(id) {
		var stmt string
		switch {
		case n.Engine != PostgreSQL:
			continue
		case n.Kind == "role":
			stmt = "CREATE ROLE " + quoteIdent(n.Name)
		default:
			stmt = "CREATE SCHEMA " + quoteIdent(n.Name)
		}
		if _, err := su.Exec(ctx, stmt); err != nil {
			t.Errorf("%s: %v", stmt, err)
		}
		var got string
		if err := su.QueryRow(ctx, "SELECT $1::name::text", n.Name).Scan(&got); err != nil || got != n.Name {
			t.Errorf("PostgreSQL shortens %s to %q (%v)", n.Name, got, err)
		}
	}
}
