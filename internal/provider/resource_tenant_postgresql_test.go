package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
	"github.com/jackc/pgx/v5"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/enginetest"
	"github.com/tenantry/terraform-provider-tenant/internal/provision"
	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

// pgAcc is one tenant of an acceptance configuration.
type pgAcc struct {
	id, tier string
	// version of the passwords; their text is pgAccPassword(id, kind, version).
	version int
	policy  string // deletion_policy; "" leaves it unset
	// noResource leaves the tenant_postgresql out (the tenant_config stays).
	noResource bool
	// static, when set, is the config as a literal: no tenant_config.
	static string
}

func pgAccPassword(id, kind string, version int) string {
	return fmt.Sprintf("pw-%s-%s-v%d-'\"$x", id, kind, version)
}

// pgAccProvider is the provider block that points at the test server.
func pgAccProvider(srv *enginetest.Postgres, extra string) string {
	return fmt.Sprintf(`
provider "tenant" {
  postgresql {
    host     = %q
    port     = %d
    database = "postgres"
    username = "postgres"
    sslmode  = "disable"
  }
}
%s
`, srv.Dir, enginetest.PostgresPort, extra)
}

// pgAccConfig writes the tenants: a tenant_config and a tenant_postgresql
// each, their passwords from a sensitive variable.
func pgAccConfig(srv *enginetest.Postgres, tenants ...pgAcc) string {
	var b strings.Builder
	b.WriteString(pgAccProvider(srv, ""))
	b.WriteString("variable \"passwords\" {\n  type      = map(map(string))\n  sensitive = true\n  default = {\n")
	for _, t := range tenants {
		fmt.Fprintf(&b, "    %s = { admin = %q, user = %q }\n", t.id,
			pgAccPassword(t.id, "admin", t.version), pgAccPassword(t.id, "user", t.version))
	}
	b.WriteString("  }\n}\n")
	for _, t := range tenants {
		cfg := configOf(t.id)
		if t.static != "" {
			cfg = t.static
		} else {
			fmt.Fprintf(&b, `
resource "tenant_config" %[1]q {
  tenant_id       = %[1]q
  tenant_name     = "Tenant %[1]s"
  tier            = %[2]q
  allow_downgrade = true
}
`, t.id, t.tier)
		}
		if t.noResource {
			continue
		}
		policy := ""
		if t.policy != "" {
			policy = fmt.Sprintf("deletion_policy = %q", t.policy)
		}
		fmt.Fprintf(&b, `
resource "tenant_postgresql" %[1]q {
  config               = %[2]s
  owner_members        = ["migrator"]
  passwords_wo         = var.passwords[%[1]q]
  passwords_wo_version = %[3]d
  %[4]s
}
`, t.id, cfg, t.version, policy)
	}
	return b.String()
}

// startAccPostgres starts the test's server with the migration role.
func startAccPostgres(t *testing.T) (*enginetest.Postgres, *pgx.Conn) {
	t.Helper()
	srv := enginetest.StartPostgres(t)
	su := srv.MustConnect(t, "postgres", "")
	mustExec(t, su, "CREATE ROLE migrator LOGIN")
	return srv, su
}

func mustExec(t *testing.T, conn *pgx.Conn, sql string) {
	t.Helper()
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%v\nin: %s", err, sql)
	}
}

func queryLines(t *testing.T, conn *pgx.Conn, sql string, args ...any) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%v\nin: %s", err, sql)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// grantsOf renders the tenant as tenant_config does and returns the table
// privileges of its login roles.
func grantsOf(t *testing.T, id, tier string) *provision.PostgreSQLTenant {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	res, ps := render.Render(cat, render.Input{TenantID: id, TenantName: "Tenant " + id, Tier: tier, Environment: "production",
		Region: "us-east-1", Timezone: "UTC", Variables: map[string]string{}})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	in, err := provision.FromConfig(res.Shown)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := provision.NewPostgreSQLTenant(in, []string{"migrator"})
	if err != nil {
		t.Fatal(err)
	}
	return pt
}

// connectAs logs in as role or fails the test: a refused login would make
// every later denial meaningless.
func connectAs(t *testing.T, srv *enginetest.Postgres, role, password string) *pgx.Conn {
	t.Helper()
	conn, err := srv.Connect(context.Background(), role, password)
	if err != nil {
		t.Fatalf("logging in as %s: %v", role, err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// attack tries, as every login role of every tenant, every other tenant's
// data and roles, and its own operations, and logs the figures.
func attack(t *testing.T, srv *enginetest.Postgres, tenants []pgAcc) {
	t.Helper()
	var deniedN, deniedWant, allowedN, allowedWant, beyondN, beyondWant int
	for _, a := range tenants {
		pt := grantsOf(t, a.id, a.tier)
		for _, login := range pt.Logins {
			kind := strings.TrimPrefix(login, a.id+"_")
			conn := connectAs(t, srv, login, pgAccPassword(a.id, kind, a.version))
			for _, v := range tenants {
				if v.id == a.id {
					continue
				}
				for _, s := range []string{v.id + "_data", v.id + "_analytics", v.id + "_audit"} {
					for _, sql := range []string{
						"SELECT * FROM " + s + ".t1", "INSERT INTO " + s + ".t1 (v) VALUES ('x')",
						"UPDATE " + s + ".t1 SET v = 'x'", "DELETE FROM " + s + ".t1", "TRUNCATE " + s + ".t1",
						"ALTER TABLE " + s + ".t1 ADD COLUMN x int", "DROP TABLE " + s + ".t1",
						"CREATE TABLE " + s + ".planted (x int)", "GRANT SELECT ON " + s + ".t1 TO " + login,
						"ALTER SCHEMA " + s + " RENAME TO stolen", "SELECT nextval('" + s + ".t1_id_seq')",
					} {
						deniedWant++
						switch err := enginetest.Try(context.Background(), conn, sql); {
						case err == nil:
							t.Errorf("LEAK: %s: %s succeeded", login, sql)
						case !enginetest.Denied(err):
							t.Errorf("%s: %s failed without a permission denial (proves nothing): %v", login, sql, err)
						default:
							deniedN++
						}
					}
				}
				for _, r := range []string{v.id + "_owner", v.id + "_admin", v.id + "_user"} {
					deniedWant++
					if err := enginetest.Try(context.Background(), conn, "SET ROLE "+r); enginetest.Denied(err) {
						deniedN++
					} else {
						t.Errorf("%s: SET ROLE %s: %v, want permission denied", login, r, err)
					}
				}
			}
			granted := pt.Grants[login]
			for _, s := range pt.Schemas {
				ops := map[string]string{
					"SELECT": "SELECT * FROM " + s + ".t1", "INSERT": "INSERT INTO " + s + ".t1 (v) VALUES ('mine')",
					"UPDATE": "UPDATE " + s + ".t1 SET v = v", "DELETE": "DELETE FROM " + s + ".t1", "TRUNCATE": "TRUNCATE " + s + ".t1",
				}
				for _, p := range []string{"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"} {
					err := enginetest.Try(context.Background(), conn, ops[p])
					if slices.Contains(granted, p) {
						allowedWant++
						if err != nil {
							t.Errorf("%s: %s was refused, but the tier grants it: %v", login, ops[p], err)
						} else {
							allowedN++
						}
						continue
					}
					beyondWant++
					if enginetest.Denied(err) {
						beyondN++
					} else {
						t.Errorf("%s: %s beyond the tier: %v, want permission denied", login, ops[p], err)
					}
				}
			}
		}
	}
	t.Logf("%d of %d cross-tenant attempts denied; %d of %d own operations allowed; %d of %d own operations beyond the tier denied",
		deniedN, deniedWant, allowedN, allowedWant, beyondN, beyondWant)
	if deniedWant == 0 || allowedWant == 0 {
		t.Error("nothing was attempted")
	}
}

// expectDrift is a plan check: the planned change of addr's privileges
// removes the lines gone (what the catalog holds beyond the tier) and adds
// the lines back (what the tier grants and the catalog lost). It logs the
// plan's lines.
type expectDrift struct {
	t          *testing.T
	addr       string
	gone, back []string
	// same requires the privileges not to change.
	same bool
}

func (c expectDrift) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr {
			continue
		}
		lines := func(v any) []string {
			m, _ := v.(map[string]any)
			l, _ := m["privileges"].([]any)
			var out []string
			for _, x := range l {
				s, _ := x.(string)
				out = append(out, s)
			}
			return out
		}
		before, after := lines(rc.Change.Before), lines(rc.Change.After)
		var diff []string
		for _, b := range before {
			if !slices.Contains(after, b) {
				diff = append(diff, "- "+b)
			}
		}
		for _, a := range after {
			if !slices.Contains(before, a) {
				diff = append(diff, "+ "+a)
			}
		}
		c.t.Logf("plan of %s (%v), privileges:\n      %s", c.addr, rc.Change.Actions, strings.Join(diff, "\n      "))
		if c.same && len(diff) > 0 {
			resp.Error = fmt.Errorf("the privileges of %s change", c.addr)
		}
		for _, g := range c.gone {
			if !slices.Contains(diff, "- "+g) {
				resp.Error = errors.Join(resp.Error, fmt.Errorf("the plan does not remove %q", g))
			}
		}
		for _, b := range c.back {
			if !slices.Contains(diff, "+ "+b) {
				resp.Error = errors.Join(resp.Error, fmt.Errorf("the plan does not restore %q", b))
			}
		}
		return
	}
	resp.Error = fmt.Errorf("no change of %s in the plan", c.addr)
}

func checkFunc(f func() error) resource.TestCheckFunc {
	return func(*terraform.State) error { return f() }
}

// TestAccTenantPostgreSQL_isolation applies three tenants of different
// tiers and proves their isolation, drift detection and repair, passwords
// across tier migrations and a rotation, import, and the deletion policies.
func TestAccTenantPostgreSQL_isolation(t *testing.T) {
	srv, su := startAccPostgres(t)
	tenants := []pgAcc{{id: "alpha", tier: "free", version: 1}, {id: "bravo", tier: "standard", version: 1}, {id: "charlie", tier: "premium", version: 1}}
	with := func(change func(ts []pgAcc)) []pgAcc {
		ts := slices.Clone(tenants)
		change(ts)
		return ts
	}
	loginWorks := func(id, kind string, version int) error {
		conn, err := srv.Connect(context.Background(), id+"_"+kind, pgAccPassword(id, kind, version))
		if err != nil {
			return fmt.Errorf("%s_%s cannot log in with its password v%d: %w", id, kind, version, err)
		}
		return conn.Close(context.Background())
	}
	allLoginsWork := func(ts []pgAcc) func() error {
		return func() error {
			for _, x := range ts {
				for _, kind := range provision.PasswordKinds {
					if err := loginWorks(x.id, kind, x.version); err != nil {
						return err
					}
				}
			}
			return nil
		}
	}
	connLimit := func(role string) string {
		return queryLines(t, su, "SELECT rolconnlimit::text FROM pg_roles WHERE rolname = $1", role)[0]
	}
	const alpha = "tenant_postgresql.alpha"
	driftGrant := "bravo_admin SELECT ON TABLE alpha_data.t1"
	driftMember := "bravo_user MEMBER OF alpha_owner"
	downgraded := with(func(ts []pgAcc) { ts[0].tier, ts[1].tier = "premium", "free" })
	rotated := with(func(ts []pgAcc) { ts[0].version = 2 })

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy: func(*terraform.State) error {
			if left := queryLines(t, su, `SELECT rolname::text FROM pg_roles WHERE rolname ~ '^(alpha|bravo|charlie)_'
				UNION ALL SELECT nspname::text FROM pg_namespace WHERE nspname ~ '^(alpha|bravo|charlie)_'`); len(left) > 0 {
				return fmt.Errorf("destroy left %v", left)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: pgAccConfig(srv, tenants...),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alpha, plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue(alpha, tfjsonpath.New("privileges"), knownvalue.SetPartial([]knownvalue.Check{
						knownvalue.StringExact("alpha_admin LOGIN CONNECTION LIMIT 5"),
						knownvalue.StringExact("alpha_user SELECT ON ALL TABLES IN SCHEMA alpha_data"),
						knownvalue.StringExact("migrator MEMBER OF alpha_owner"),
					})),
					plancheck.ExpectKnownValue(alpha, tfjsonpath.New("id"), knownvalue.StringExact("postgres/alpha")),
				}},
				Check: checkFunc(func() error {
					for _, x := range tenants {
						for _, s := range []string{"_data", "_analytics", "_audit"} {
							mustExec(t, su, fmt.Sprintf(`SET ROLE %[1]s_owner; CREATE TABLE %[1]s%[2]s.t1 (id serial PRIMARY KEY, v text);
								INSERT INTO %[1]s%[2]s.t1 (v) VALUES ('seed'); RESET ROLE`, x.id, s))
						}
					}
					attack(t, srv, tenants)
					return nil
				}),
			},
			{
				// Out of band: a grant to another tenant and a membership.
				PreConfig: func() {
					mustExec(t, su, "GRANT SELECT ON alpha_data.t1 TO bravo_admin; GRANT alpha_owner TO bravo_user")
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alpha, plancheck.ResourceActionUpdate),
					expectDrift{t: t, addr: alpha, gone: []string{driftGrant, driftMember}},
				}},
			},
			{
				Config: pgAccConfig(srv, tenants...),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alpha, plancheck.ResourceActionUpdate),
					// The membership is bravo's drift too: its login role is a member of another role.
					expectDrift{t: t, addr: "tenant_postgresql.bravo", gone: []string{driftMember}},
					plancheck.ExpectResourceAction("tenant_postgresql.charlie", plancheck.ResourceActionNoop),
					expectDrift{t: t, addr: alpha, gone: []string{driftGrant, driftMember}},
				}},
				Check: checkFunc(func() error {
					if err := enginetest.Try(context.Background(), connectAs(t, srv, "bravo_admin", pgAccPassword("bravo", "admin", 1)), "SELECT * FROM alpha_data.t1"); !enginetest.Denied(err) {
						return fmt.Errorf("after the repair, bravo_admin reading alpha_data.t1: %v", err)
					}
					if got := queryLines(t, su, "SELECT member::regrole::text FROM pg_auth_members WHERE roleid = 'alpha_owner'::regrole"); !slices.Equal(got, []string{"migrator"}) {
						return fmt.Errorf("members of alpha_owner after the repair: %v", got)
					}
					return allLoginsWork(tenants)()
				}),
			},
			{
				// A tier migration up and one down: the passwords stay.
				Config: pgAccConfig(srv, downgraded...),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alpha, plancheck.ResourceActionUpdate),
					expectDrift{t: t, addr: alpha, gone: []string{"alpha_admin LOGIN CONNECTION LIMIT 5"}, back: []string{"alpha_admin LOGIN CONNECTION LIMIT 500"}},
				}},
				Check: checkFunc(func() error {
					if a, b := connLimit("alpha_admin"), connLimit("bravo_user"); a != "500" || b != "5" {
						return fmt.Errorf("connection limits after the migrations: alpha %s (want 500), bravo %s (want 5)", a, b)
					}
					return allLoginsWork(downgraded)()
				}),
			},
			{
				Config: pgAccConfig(srv, tenants...),
				Check: checkFunc(func() error {
					if a := connLimit("alpha_admin"); a != "5" {
						return fmt.Errorf("alpha_admin's connection limit back on free: %s", a)
					}
					return allLoginsWork(tenants)()
				}),
			},
			{
				// Rotation: a new version sets the new passwords of alpha only.
				Config: pgAccConfig(srv, rotated...),
				Check: checkFunc(func() error {
					if err := loginWorks("alpha", "admin", 1); err == nil {
						return fmt.Errorf("alpha_admin's old password still works after the rotation")
					}
					attack(t, srv, rotated)
					return allLoginsWork(rotated)()
				}),
			},
			{
				ResourceName:            alpha,
				ImportState:             true,
				ImportStateId:           "postgres/alpha",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"config", "passwords_wo_version"},
			},
			{
				// An import block: the plan only stores the config (not in the
				// catalog), and the privileges read are exactly the planned ones.
				ResourceName:       alpha,
				ImportState:        true,
				ImportStateKind:    resource.ImportBlockWithID,
				ImportStateId:      "postgres/alpha",
				ExpectNonEmptyPlan: true,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(alpha, plancheck.ResourceActionUpdate),
					expectDrift{t: t, addr: alpha, same: true},
				}},
			},
			{
				// RESTRICT refuses while the schemas hold tables, and changes nothing.
				Config:      pgAccConfig(srv, with(func(ts []pgAcc) { ts[0].version = 2; ts[2].noResource = true })...),
				ExpectError: expectError("still holds 3 table(s)", "charlie_data.t1", "nothing was changed"),
				PreConfig: func() {
					// Nothing to prepare: charlie's tables are from the first step.
				},
			},
			{
				Config: pgAccConfig(srv, with(func(ts []pgAcc) { ts[0].version = 2; ts[2].policy = "CASCADE" })...),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("tenant_postgresql.charlie", plancheck.ResourceActionUpdate),
				}},
				Check: checkFunc(func() error {
					if got := queryLines(t, su, "SELECT count(*)::text FROM charlie_data.t1"); !slices.Equal(got, []string{"1"}) {
						return fmt.Errorf("the refused RESTRICT changed charlie's data: %v", got)
					}
					return loginWorks("charlie", "admin", 1)
				}),
			},
			{
				// CASCADE: no role, schema or session is left.
				PreConfig: func() { connectAs(t, srv, "charlie_user", pgAccPassword("charlie", "user", 1)) },
				Config:    pgAccConfig(srv, with(func(ts []pgAcc) { ts[0].version = 2; ts[2].noResource = true })...),
				Check: checkFunc(func() error {
					if left := queryLines(t, su, `SELECT rolname::text FROM pg_roles WHERE rolname LIKE 'charlie\_%'
						UNION ALL SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'charlie\_%'
						UNION ALL SELECT usename::text FROM pg_stat_activity WHERE usename LIKE 'charlie\_%'`); len(left) > 0 {
						return fmt.Errorf("CASCADE left %v", left)
					}
					return nil
				}),
			},
			{
				// The destroy at the end drops the remaining tenants' tables too.
				Config: pgAccConfig(srv, with(func(ts []pgAcc) {
					ts[0].version, ts[0].policy, ts[1].policy = 2, "CASCADE", "CASCADE"
					ts[2].noResource = true
				})...),
			},
		},
	})
}

// staticConfig is the rendered configuration of a tenant as an HCL string
// literal (JSON, as rendered_json holds it).
func staticConfig(t *testing.T, id, tier string) string {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	res, ps := render.Render(cat, render.Input{TenantID: id, TenantName: "Tenant " + id, Tier: tier, Environment: "production",
		Region: "us-east-1", Timezone: "UTC", Variables: map[string]string{}})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	js := res.JSON
	return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(strconv.Quote(js))
}

// TestAccTenantPostgreSQL_parallel applies 30 tenants five times, each time
// with other tiers, at Terraform's default parallelism (10). Their configs
// are literals (the rendering has its own tests), which keeps the test fast.
func TestAccTenantPostgreSQL_parallel(t *testing.T) {
	srv, su := startAccPostgres(t)
	tiers := []string{"free", "standard", "premium", "enterprise"}
	config := func(round int) string {
		var ts []pgAcc
		for i := range 30 {
			id, tier := fmt.Sprintf("t%02d", i), tiers[(i+round)%len(tiers)]
			ts = append(ts, pgAcc{id: id, tier: tier, version: 1, static: staticConfig(t, id, tier)})
		}
		return pgAccConfig(srv, ts...)
	}
	var steps []resource.TestStep
	for round := range 5 {
		steps = append(steps, resource.TestStep{
			Config: config(round),
			Check: checkFunc(func() error {
				got := queryLines(t, su, `SELECT rolconnlimit::text FROM pg_roles WHERE rolname = 't00_admin'`)
				want := map[string]string{"free": "5", "standard": "100", "premium": "500", "enterprise": "1000"}[tiers[round%len(tiers)]]
				if !slices.Equal(got, []string{want}) {
					return fmt.Errorf("round %d: t00_admin's connection limit %v, want %s", round, got, want)
				}
				return nil
			}),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps:                    steps,
	})
	t.Logf("30 tenants applied 5 times at -parallelism=10 without an error")
}

// TestAccTenantPostgreSQL_twoDatabases refuses the same tenant on a second
// database of the server, naming the first. (Terraform runs one provider
// process per provider configuration; served in-process, the aliases of one
// configuration would share one, so the tenant's first database is set up
// directly.)
func TestAccTenantPostgreSQL_twoDatabases(t *testing.T) {
	srv, su := startAccPostgres(t)
	mustExec(t, su, "CREATE DATABASE other")
	other := strings.Replace(pgAccConfig(srv, pgAcc{id: "delta", tier: "standard", version: 1}), `database = "postgres"`, `database = "other"`, 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if _, err := grantsOf(t, "delta", "standard").Converge(context.Background(), su, nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: other,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue("tenant_postgresql.delta", tfjsonpath.New("id"), knownvalue.StringExact("other/delta")),
				}},
				ExpectError: expectError(`delta already lives in database "postgres"`, `database "other"`),
			},
			{
				Config: pgAccProvider(srv, ""),
				Check: checkFunc(func() error {
					if got := connAndCount(t, srv, "other"); got != "0" {
						return fmt.Errorf("schemas of delta in the other database: %s", got)
					}
					if got := queryLines(t, su, "SELECT rolconnlimit::text FROM pg_roles WHERE rolname = 'delta_admin'"); !slices.Equal(got, []string{"100"}) {
						return fmt.Errorf("the refused apply changed delta's roles: %v", got)
					}
					return nil
				}),
			},
		},
	})
}

func connAndCount(t *testing.T, srv *enginetest.Postgres, db string) string {
	conn, err := srv.ConnectDB(context.Background(), db, "postgres", "")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	return queryLines(t, conn, `SELECT count(*)::text FROM pg_namespace WHERE nspname LIKE 'delta\_%'`)[0]
}

// TestAccTenantPostgreSQL_noServer: without a postgresql block or PGHOST,
// the plan fails naming the block; tenant_config alone still works.
func TestAccTenantPostgreSQL_noServer(t *testing.T) {
	t.Setenv("PGHOST", "")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
resource "tenant_postgresql" "bad" {
  config       = "{}"
  passwords_wo = { root = "x" }
}
`,
			ExpectError: expectError("passwords_wo", `value must be one of: ["admin" "user"]`),
		}, {
			Config: `
resource "tenant_config" "echo" {
  tenant_id   = "echo"
  tenant_name = "Echo"
  tier        = "free"
}

resource "tenant_postgresql" "echo" {
  config = ` + configOf("echo") + `
}
`,
			ExpectError: expectError("add a `postgresql` block to the provider"),
		}},
	})
}

// TestAccTenantPostgreSQL_refreshOnlyExitCode: an out-of-band grant makes
// `terraform plan -refresh-only -detailed-exitcode` exit 2 and name the
// drift; apply repairs it and `plan -detailed-exitcode` exits 0.
func TestAccTenantPostgreSQL_refreshOnlyExitCode(t *testing.T) {
	srv, su := startAccPostgres(t)
	w := newCLI(t, false)
	w.write(map[string]string{
		"versions.tf": `terraform {
  required_providers {
    tenant = { source = "tenantry/tenant" }
  }
}
`,
		"main.tf": pgAccConfig(srv, pgAcc{id: "echo", tier: "standard", version: 1}),
	})
	w.run([]string{"init", "-no-color"})
	w.run([]string{"apply", "-auto-approve", "-no-color"})
	w.run([]string{"plan", "-detailed-exitcode", "-no-color"})
	mustExec(t, su, "GRANT USAGE ON SCHEMA echo_data TO migrator; GRANT echo_user TO migrator")
	out := w.run([]string{"plan", "-refresh-only", "-detailed-exitcode", "-no-color"}, 2)
	for _, want := range []string{`"migrator USAGE ON SCHEMA echo_data"`, `"migrator MEMBER OF echo_user"`, "tenant_postgresql.echo"} {
		if !strings.Contains(out, want) {
			t.Errorf("the refresh-only plan does not show %s:\n%s", want, out)
		}
	}
	var shown []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "migrator") {
			shown = append(shown, strings.TrimSpace(l))
		}
	}
	t.Logf("plan -refresh-only -detailed-exitcode exited 2, showing:\n      %s", strings.Join(shown, "\n      "))
	w.run([]string{"apply", "-auto-approve", "-no-color"})
	w.run([]string{"plan", "-detailed-exitcode", "-no-color"})
	w.run([]string{"destroy", "-auto-approve", "-no-color"})
}
