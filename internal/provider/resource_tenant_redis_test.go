package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/redis/go-redis/v9"

	"github.com/tenantry/terraform-provider-tenant/internal/enginetest"
	"github.com/tenantry/terraform-provider-tenant/internal/provision"
)

// configOf is the reference to a tenant's rendered configuration that a
// tenant_redis takes as config.
func configOf(name string) string {
	return fmt.Sprintf("tenant_config.%s.rendered_json", name)
}

// redisTenant is one tenant of a tenant_redis test configuration.
type redisTenant struct {
	id, tier string
	// extra is added to tenant_config (overrides, allow_downgrade).
	extra string
	// version is passwords_wo_version; 0 leaves it unset.
	version    int
	deleteKeys bool
	// forget leaves tenant_redis out with a removed block that keeps the
	// users on the server.
	forget bool
}

// redisHCL is a configuration of the tenants on srv, with passwords from the
// sensitive variable passwords (tenant id -> kind -> password).
func redisHCL(srv *enginetest.Redis, tenants ...redisTenant) string {
	var b strings.Builder
	fmt.Fprintf(&b, `
provider "tenant" {
  redis {
    url      = %q
    username = %q
    password = %q
  }
}

variable "passwords" {
  type      = map(map(string))
  sensitive = true
}
`, srv.URL(), enginetest.OpsUser, enginetest.OpsPassword)
	for _, t := range tenants {
		version := ""
		if t.version != 0 {
			version = fmt.Sprintf("passwords_wo_version = %d", t.version)
		}
		if t.forget {
			fmt.Fprintf(&b, `
resource "tenant_config" %[1]q {
  tenant_id   = %[1]q
  tenant_name = "Tenant %[1]s"
  tier        = %[2]q
}

removed {
  from = tenant_redis.%[1]s
  lifecycle {
    destroy = false
  }
}
`, t.id, t.tier)
			continue
		}
		fmt.Fprintf(&b, `
resource "tenant_config" %[1]q {
  tenant_id   = %[1]q
  tenant_name = "Tenant %[1]s"
  tier        = %[2]q
  %[3]s
}

resource "tenant_redis" %[1]q {
  config                 = %[4]s
  passwords_wo           = var.passwords[%[1]q]
  %[5]s
  delete_keys_on_destroy = %[6]t
}
`, t.id, t.tier, t.extra, configOf(t.id), version, t.deleteKeys)
	}
	return b.String()
}

// passwordVars is the passwords variable: for each tenant, one password per
// kind made from the tenant id and a generation.
func passwordVars(gen string, ids ...string) config.Variables {
	m := map[string]config.Variable{}
	for _, id := range ids {
		m[id] = config.MapVariable(map[string]config.Variable{
			"admin": config.StringVariable(redisTestPassword(id+"_admin", gen)),
			"user":  config.StringVariable(redisTestPassword(id+"_user", gen)),
		})
	}
	return config.Variables{"passwords": config.MapVariable(m)}
}

func redisTestPassword(user, gen string) string { return "pw " + user + " " + gen + " '\"$" }

func wantRules(id string, adminCmds, userCmds string) map[string]string {
	keys := fmt.Sprintf("~analytics:%[1]s:* ~cache:%[1]s:* ~session:%[1]s:*", id)
	return map[string]string{
		id + "_admin": "on " + keys + " resetchannels -@all " + adminCmds,
		id + "_user":  "on " + keys + " resetchannels -@all " + userCmds,
	}
}

func rulesKnown(rules map[string]string) knownvalue.Check {
	m := map[string]knownvalue.Check{}
	for k, v := range rules {
		m[k] = knownvalue.StringExact(v)
	}
	return knownvalue.MapExact(m)
}

func opsClient(t *testing.T, srv *enginetest.Redis) *redis.Client {
	t.Helper()
	c := srv.Client(enginetest.OpsUser, enginetest.OpsPassword)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// login opens a connection that authenticates with an explicit AUTH, so a
// failed AUTH never leaves a connection that runs as the default user.
func login(srv *enginetest.Redis, user, pw string) (*redis.Client, error) {
	c := srv.Client("", "")
	if err := c.Do(context.Background(), "AUTH", user, pw).Err(); err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

// checkLogin fails unless user logs in with pw (want true) or is refused
// with WRONGPASS (want false).
func checkLogin(srv *enginetest.Redis, user, pw string, want bool) error {
	c, err := login(srv, user, pw)
	if c != nil {
		_ = c.Close()
	}
	switch {
	case want && err != nil:
		return fmt.Errorf("AUTH %s with its password: %v", user, err)
	case !want && err == nil:
		return fmt.Errorf("AUTH %s succeeded with a password that must not work", user)
	case !want && !strings.HasPrefix(err.Error(), "WRONGPASS"):
		return fmt.Errorf("AUTH %s: %v, want WRONGPASS", user, err)
	}
	return nil
}

func checkLogins(srv *enginetest.Redis, gen string, want bool, ids ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, id := range ids {
			for _, u := range []string{id + "_admin", id + "_user"} {
				if err := checkLogin(srv, u, redisTestPassword(u, gen), want); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

func isNoPerm(err error) bool { return err != nil && strings.HasPrefix(err.Error(), "NOPERM") }

// redisAttack logs in as every user of every tenant (the default user off) and
// tries every other tenant's keys and the server-wide commands: only NOPERM
// counts as denied. Each user's own granted commands must work, and its own
// commands beyond the tier must be denied.
func redisAttack(t *testing.T, srv *enginetest.Redis, gen string, granted map[string][]string, ids ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		ops := opsClient(t, srv)
		if err := ops.Do(ctx, "ACL", "SETUSER", "default", "off", "resetpass", "-@all").Err(); err != nil {
			return err
		}
		var errs []string
		fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
		prefixes := func(id string) []string {
			return []string{"analytics:" + id + ":", "cache:" + id + ":", "session:" + id + ":"}
		}
		for _, id := range ids {
			for _, p := range prefixes(id) {
				if err := ops.Set(ctx, p+"k", "v", 0).Err(); err != nil {
					return err
				}
			}
		}
		var denied, deniedWant, beyond, beyondWant, allowed, allowedWant int
		denyInto := func(n, want *int) func(string, error) {
			return func(what string, err error) {
				*want++
				switch {
				case err == nil:
					fail("LEAK: %s succeeded", what)
				case !isNoPerm(err):
					fail("%s failed without NOPERM (a failure is not a denial): %v", what, err)
				default:
					*n++
				}
			}
		}
		deny, denyBeyond := denyInto(&denied, &deniedWant), denyInto(&beyond, &beyondWant)
		for _, id := range ids {
			for _, u := range []string{id + "_admin", id + "_user"} {
				c, err := login(srv, u, redisTestPassword(u, gen))
				if err != nil {
					return fmt.Errorf("AUTH as %s failed, so no denial would mean anything: %v", u, err)
				}
				try := func(args ...any) error { return c.Do(ctx, args...).Err() }
				for _, victim := range ids {
					if victim == id {
						continue
					}
					for _, p := range prefixes(victim) {
						for _, args := range [][]any{{"GET", p + "k"}, {"SET", p + "k", "x"}, {"DEL", p + "k"}, {"EXPIRE", p + "k", "1"}, {"EXISTS", p + "k"}} {
							deny(fmt.Sprintf("%s: %v", u, args), try(args...))
						}
					}
				}
				for _, args := range [][]any{{"KEYS", "*"}, {"SCAN", "0"}, {"FLUSHALL"}, {"CONFIG", "GET", "*"}, {"ACL", "LIST"},
					{"ACL", "SETUSER", u, "~*"}, {"CLIENT", "LIST"}, {"EVAL", "return 1", "0"}, {"PUBLISH", "c", "x"}, {"SELECT", "1"},
					{"GET", "cache:" + id}, {"SET", "cache:" + id + "x:k", "v"}} {
					deny(fmt.Sprintf("%s: %v", u, args), try(args...))
				}
				for _, p := range prefixes(id) {
					for _, args := range [][]any{{"GET", p + "k"}, {"SET", p + "k", "v"}, {"EXPIRE", p + "k", "1000"}, {"DEL", p + "tmp"}} {
						cmd := strings.ToLower(fmt.Sprint(args[0]))
						err := try(args...)
						if slices.Contains(granted[strings.TrimPrefix(u, id+"_")], cmd) {
							allowedWant++
							if err != nil {
								fail("%s: %v was denied, but the tier grants it: %v", u, args, err)
							} else {
								allowed++
							}
						} else {
							denyBeyond(fmt.Sprintf("%s: %v (beyond its tier)", u, args), err)
						}
					}
				}
				_ = c.Close()
			}
		}
		line := fmt.Sprintf("tenant_redis: %d of %d cross-tenant attempts denied; %d of %d own operations allowed; %d of %d own operations beyond the tier denied",
			denied, deniedWant, allowed, allowedWant, beyond, beyondWant)
		t.Log(line)
		fmt.Fprintln(os.Stderr, line)
		if deniedWant == 0 || allowedWant == 0 {
			fail("nothing was attempted")
		}
		if len(errs) > 0 {
			return fmt.Errorf("%s", strings.Join(errs, "\n"))
		}
		return nil
	}
}

// redisDo runs a command as ops before a step.
func redisDo(t *testing.T, srv *enginetest.Redis, args ...any) func() {
	return func() {
		if err := opsClient(t, srv).Do(context.Background(), args...).Err(); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
}

// logRulesDiff logs the rules of a resource before and after in the plan.
type logRulesDiff struct {
	t    *testing.T
	addr string
}

func (c logRulesDiff) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address == c.addr {
			before, _ := rc.Change.Before.(map[string]any)
			after, _ := rc.Change.After.(map[string]any)
			c.t.Logf("plan %s %v: rules %v -> %v", c.addr, rc.Change.Actions, before["rules"], after["rules"])
			return
		}
	}
	resp.Error = fmt.Errorf("%s is not in the plan", c.addr)
}

var standardCmds = map[string][]string{"admin": {"del", "expire", "get", "set"}, "user": {"get"}}

// Three tenants of three tiers: every cross-tenant attempt is denied and
// every granted operation allowed; an out-of-band rule and a restart each
// show in the plan, and apply repairs them with the passwords intact.
func TestAccTenantRedis_isolationAndDrift(t *testing.T) {
	srv := enginetest.StartRedis(t)
	ids := []string{"acme", "globex", "initech"}
	tenants := []redisTenant{{id: "acme", tier: "free"}, {id: "globex", tier: "standard"}, {id: "initech", tier: "premium"}}
	hcl := redisHCL(srv, tenants...)
	vars := passwordVars("v1", ids...)
	drifted := func(addr string) []plancheck.PlanCheck {
		return []plancheck.PlanCheck{
			logRulesDiff{t, addr},
			plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			for _, id := range ids {
				for _, u := range []string{id + "_admin", id + "_user"} {
					if n, err := opsClient(t, srv).Do(context.Background(), "ACL", "GETUSER", u).Result(); err != redis.Nil {
						return fmt.Errorf("user %s is still there after destroy: %v %v", u, n, err)
					}
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: hcl, ConfigVariables: vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("tenant_redis.acme", plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue("tenant_redis.acme", tfjsonpath.New("rules"), rulesKnown(wantRules("acme", "+del +expire +get +set", "+get"))),
					plancheck.ExpectKnownValue("tenant_redis.acme", tfjsonpath.New("id"), knownvalue.StringExact("acme")),
					plancheck.ExpectSensitiveValue("tenant_redis.acme", tfjsonpath.New("passwords_wo")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("tenant_redis.globex", tfjsonpath.New("rules"), rulesKnown(wantRules("globex", "+del +expire +get +set", "+get"))),
					statecheck.ExpectKnownValue("tenant_redis.initech", tfjsonpath.New("passwords_wo"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(checkLogins(srv, "v1", true, ids...), redisAttack(t, srv, "v1", standardCmds, ids...)),
			},
			{
				// An out-of-band rule that opens acme's keys to initech: a
				// real leak, which the plan must show.
				PreConfig: func() {
					redisDo(t, srv, "ACL", "SETUSER", "initech_admin", "~cache:acme:*", "+keys")()
					c, err := login(srv, "initech_admin", redisTestPassword("initech_admin", "v1"))
					if err != nil {
						t.Fatal(err)
					}
					defer func() { _ = c.Close() }()
					if v, err := c.Get(context.Background(), "cache:acme:k").Result(); err != nil || v != "v" {
						t.Fatalf("the out-of-band rule did not open acme's key to initech_admin: %q %v", v, err)
					}
				},
				Config: hcl, ConfigVariables: vars,
				PlanOnly: true, ExpectNonEmptyPlan: true,
			},
			{
				Config: hcl, ConfigVariables: vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(drifted("tenant_redis.initech"),
					plancheck.ExpectResourceAction("tenant_redis.acme", plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue("tenant_redis.initech", tfjsonpath.New("rules"), rulesKnown(wantRules("initech", "+del +expire +get +set", "+get"))),
				)},
				Check: resource.ComposeTestCheckFunc(checkLogins(srv, "v1", true, ids...), redisAttack(t, srv, "v1", standardCmds, ids...)),
			},
			{
				// A restart without aclfile: every tenant user is gone.
				PreConfig: func() { srv.Restart(t) },
				Config:    hcl, ConfigVariables: vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: slices.Concat(drifted("tenant_redis.acme"), drifted("tenant_redis.globex"), drifted("tenant_redis.initech"))},
				// Recreated with the passwords of passwords_wo.
				Check: resource.ComposeTestCheckFunc(checkLogins(srv, "v1", true, ids...), redisAttack(t, srv, "v1", standardCmds, ids...)),
			},
		},
	})
}

// Passwords set once survive tier migrations up and down and a change of
// the command whitelist, even when passwords_wo changes without its
// version; a new version rotates them. Then import, and destroy.
func TestAccTenantRedis_passwords(t *testing.T) {
	srv := enginetest.StartRedis(t)
	whitelist := `overrides = { security = { database_permissions = { redis = { command_whitelist = ["GET", "SET"], privileges = { tenant_admin = ["GET", "SET"] } } } } }`
	step := func(tn redisTenant, gen string, check resource.TestCheckFunc, checks ...plancheck.PlanCheck) resource.TestStep {
		return resource.TestStep{
			Config: redisHCL(srv, tn), ConfigVariables: passwordVars(gen, "acme"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: checks},
			Check:            check,
		}
	}
	v1 := checkLogins(srv, "v1", true, "acme")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(redisTenant{id: "acme", tier: "free", version: 1}, "v1", v1),
			// Up, with other passwords in passwords_wo but the same version.
			step(redisTenant{id: "acme", tier: "premium", version: 1}, "v2",
				resource.ComposeTestCheckFunc(v1, checkLogins(srv, "v2", false, "acme")),
				plancheck.ExpectResourceAction("tenant_config.acme", plancheck.ResourceActionUpdate)),
			// Down.
			step(redisTenant{id: "acme", tier: "standard", version: 1, extra: "allow_downgrade = true"}, "v2",
				resource.ComposeTestCheckFunc(v1, checkLogins(srv, "v2", false, "acme")),
				plancheck.ExpectResourceAction("tenant_config.acme", plancheck.ResourceActionUpdate)),
			// A narrower whitelist changes the rules; the passwords stay.
			step(redisTenant{id: "acme", tier: "standard", version: 1, extra: "allow_downgrade = true\n" + whitelist}, "v2",
				resource.ComposeTestCheckFunc(v1, redisAttack(t, srv, "v1", map[string][]string{"admin": {"get", "set"}, "user": {"get"}}, "acme")),
				plancheck.ExpectResourceAction("tenant_redis.acme", plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue("tenant_redis.acme", tfjsonpath.New("rules"), rulesKnown(wantRules("acme", "+get +set", "+get")))),
			// Rotation.
			step(redisTenant{id: "acme", tier: "standard", version: 2, extra: "allow_downgrade = true\n" + whitelist}, "v2",
				resource.ComposeTestCheckFunc(checkLogins(srv, "v2", true, "acme"), checkLogins(srv, "v1", false, "acme")),
				plancheck.ExpectResourceAction("tenant_redis.acme", plancheck.ResourceActionUpdate)),
			{
				Config: redisHCL(srv, redisTenant{id: "acme", tier: "standard", version: 2, extra: "allow_downgrade = true\n" + whitelist}), ConfigVariables: passwordVars("v2", "acme"),
				ResourceName: "tenant_redis.acme", ImportState: true, ImportStateId: "acme",
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"config", "passwords_wo_version"},
			},
		},
	})
}

// After import, the first plan adds only config and passwords_wo_version to
// the state: the rules already match, and that apply touches no password.
func TestAccTenantRedis_import(t *testing.T) {
	srv := enginetest.StartRedis(t)
	tn := redisTenant{id: "acme", tier: "standard", version: 1}
	hcl := redisHCL(srv, tn)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: hcl, ConfigVariables: passwordVars("v1", "acme")},
			{
				// Forget the users without destroying them.
				Config:          redisHCL(srv, redisTenant{id: "acme", tier: "standard", forget: true}),
				ConfigVariables: passwordVars("v1", "acme"),
				Check:           checkLogins(srv, "v1", true, "acme"),
			},
			{
				Config: hcl, ConfigVariables: passwordVars("v1", "acme"),
				ResourceName: "tenant_redis.acme", ImportState: true, ImportStateId: "nobody",
				ExpectError: expectError("Cannot import non-existent remote object"),
			},
			{
				Config: hcl, ConfigVariables: passwordVars("v1", "acme"),
				ResourceName: "tenant_redis.acme", ImportState: true, ImportStateId: "acme-x",
				ExpectError: expectError("Invalid import id"),
			},
			{
				Config: hcl, ConfigVariables: passwordVars("v1", "acme"),
				ResourceName: "tenant_redis.acme", ImportState: true, ImportStateId: "acme", ImportStatePersist: true,
				ImportStateCheck: func(is []*terraform.InstanceState) error {
					for _, st := range is {
						if st.Ephemeral.Type != "tenant_redis" {
							continue
						}
						if st.ID != "acme" || st.Attributes["rules.acme_admin"] != wantRules("acme", "+del +expire +get +set", "+get")["acme_admin"] {
							return fmt.Errorf("imported %v", st)
						}
						return nil
					}
					return fmt.Errorf("no tenant_redis imported")
				},
			},
			{
				Config: hcl, ConfigVariables: passwordVars("v2", "acme"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					logRulesDiff{t, "tenant_redis.acme"},
					plancheck.ExpectKnownValue("tenant_redis.acme", tfjsonpath.New("rules"), rulesKnown(wantRules("acme", "+del +expire +get +set", "+get"))),
				}},
				// The imported users kept their passwords.
				Check: resource.ComposeTestCheckFunc(checkLogins(srv, "v1", true, "acme"), checkLogins(srv, "v2", false, "acme")),
			},
			{
				Config: hcl, ConfigVariables: passwordVars("v2", "acme"),
				PlanOnly: true,
			},
		},
	})
}

// Destroy removes the users and ends their connections; the keys stay unless
// delete_keys_on_destroy, and then only the tenant's own (acme2's survive
// acme's, though one prefix starts the other).
func TestAccTenantRedis_destroy(t *testing.T) {
	srv := enginetest.StartRedis(t)
	ctx := context.Background()
	keys := []string{"cache:acme:1", "session:acme:2", "analytics:acme:3", "cache:acme2:1", "session:acme2:2", "other:acme:1"}
	var live *redis.Client
	exists := func(k string) bool {
		n, err := opsClient(t, srv).Exists(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	both := redisHCL(srv, redisTenant{id: "acme", tier: "standard"}, redisTenant{id: "acme2", tier: "standard", deleteKeys: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: both, ConfigVariables: passwordVars("v1", "acme", "acme2"),
				Check: func(*terraform.State) error {
					for _, k := range keys {
						if err := opsClient(t, srv).Set(ctx, k, "v", 0).Err(); err != nil {
							return err
						}
					}
					// Without the default user, a connection that is killed
					// and opened again runs nothing.
					if err := opsClient(t, srv).Do(ctx, "ACL", "SETUSER", "default", "off").Err(); err != nil {
						return err
					}
					var err error
					live, err = login(srv, "acme_admin", redisTestPassword("acme_admin", "v1"))
					if err != nil {
						return err
					}
					t.Cleanup(func() { _ = live.Close() })
					return live.Get(ctx, "cache:acme:1").Err()
				},
			},
			{
				Config: redisHCL(srv, redisTenant{id: "acme2", tier: "standard", deleteKeys: true}), ConfigVariables: passwordVars("v1", "acme2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("tenant_redis.acme", plancheck.ResourceActionDestroy),
				}},
				Check: func(*terraform.State) error {
					if err := live.Get(ctx, "cache:acme:1").Err(); err == nil {
						return fmt.Errorf("the connection of acme_admin still works after destroy")
					}
					if list, err := opsClient(t, srv).ClientList(ctx).Result(); err != nil || strings.Contains(list, "user=acme_") {
						return fmt.Errorf("connections of acme's users after destroy: %v\n%s", err, list)
					}
					if err := checkLogin(srv, "acme_admin", redisTestPassword("acme_admin", "v1"), false); err != nil {
						return err
					}
					for _, k := range keys {
						if !exists(k) {
							return fmt.Errorf("%s was deleted, but delete_keys_on_destroy is false", k)
						}
					}
					return nil
				},
			},
			{
				Config: redisHCL(srv), ConfigVariables: passwordVars("v1"),
				Check: func(*terraform.State) error {
					for _, k := range keys {
						gone := strings.Contains(k, ":acme2:")
						if exists(k) == gone {
							return fmt.Errorf("%s: exists=%t after destroying acme2 with delete_keys_on_destroy", k, !gone)
						}
					}
					return checkLogin(srv, "acme2_user", redisTestPassword("acme2_user", "v1"), false)
				},
			},
		},
	})
}

// With an aclfile, apply saves the ACL: a restart keeps the users, and the
// plan stays empty.
func TestAccTenantRedis_aclFile(t *testing.T) {
	srv := enginetest.StartRedis(t, enginetest.WithACLFile())
	hcl := redisHCL(srv, redisTenant{id: "acme", tier: "standard"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: hcl, ConfigVariables: passwordVars("v1", "acme"),
				Check: func(*terraform.State) error {
					saved, err := os.ReadFile(srv.ACLFile)
					if err != nil || !strings.Contains(string(saved), "user acme_admin on") || !strings.Contains(string(saved), "user acme_user on") {
						return fmt.Errorf("the aclfile holds %q (%v)", saved, err)
					}
					return nil
				},
			},
			{
				PreConfig: func() { srv.Restart(t) },
				Config:    hcl, ConfigVariables: passwordVars("v1", "acme"),
				PlanOnly: true,
			},
			{
				Config: hcl, ConfigVariables: passwordVars("v1", "acme"),
				Check: checkLogins(srv, "v1", true, "acme"),
			},
		},
	})
}

// Without a redis block or REDIS_URL, tenant_redis says which block to set;
// rendering alone never needs a server. passwords_wo takes the kinds only.
func TestAccTenantRedis_configurationErrors(t *testing.T) {
	t.Setenv(envRedisURL, "")
	tenant := `
resource "tenant_config" "acme" {
  tenant_id   = "acme"
  tenant_name = "Acme"
  tier        = "standard"
}
`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: tenant + `
resource "tenant_redis" "acme" {
  config = ` + configOf("acme") + `
}`,
				ExpectError: expectError("No Redis server for tenant_redis", "redis block"),
			},
			{
				Config: tenant + `
resource "tenant_redis" "acme" {
  config       = ` + configOf("acme") + `
  passwords_wo = { root = "x" }
}`,
				ExpectError: regexp.MustCompile(`(?s)passwords_wo.*admin.*user`),
			},
			{
				Config: `
provider "tenant" {
  redis {
    url = "http://example.com"
  }
}
` + tenant,
				ExpectError: expectError("Invalid Redis URL"),
			},
			{
				Config: tenant + `
resource "tenant_redis" "acme" {
  config = "tenant_info: {}"
}`,
				ExpectError: expectError("Invalid config"),
			},
		},
	})
}

// What a user sees on the command line: the warning without aclfile, an
// out-of-band rule and a restart each make `plan -refresh-only
// -detailed-exitcode` exit 2 with the rule in the plan, apply repairs them,
// and no password reaches the output, the state or the provider's log.
func TestAccTenantRedis_cli(t *testing.T) {
	srv := enginetest.StartRedis(t)
	w := newCLI(t, true)
	w.write(map[string]string{
		"main.tf": requireTenant + redisHCL(srv, redisTenant{id: "acme", tier: "standard", version: 1}),
		"terraform.tfvars.json": fmt.Sprintf(`{"passwords": {"acme": {"admin": %q, "user": %q}}}`,
			redisTestPassword("acme_admin", "v1"), redisTestPassword("acme_user", "v1")),
	})
	var out strings.Builder
	run := func(args []string, codes ...int) string {
		s := w.run(args, codes...)
		out.WriteString(s)
		return s
	}
	run([]string{"init", "-no-color"})
	if s := run([]string{"apply", "-auto-approve", "-no-color"}); !strings.Contains(s, "has no aclfile") {
		t.Errorf("apply on a server without aclfile does not warn:\n%s", s)
	}
	run([]string{"plan", "-detailed-exitcode", "-no-color"})
	if err := checkLogins(srv, "v1", true, "acme")(nil); err != nil {
		t.Fatal(err)
	}
	planLines := func(s string) string {
		var keep []string
		for _, l := range strings.Split(s, "\n") {
			if strings.Contains(l, "acme_admin") || strings.Contains(l, "acme_user") || strings.Contains(l, "# tenant_redis") {
				keep = append(keep, strings.TrimSpace(l))
			}
		}
		return strings.Join(keep, "\n")
	}

	redisDo(t, srv, "ACL", "SETUSER", "acme_admin", "~cache:globex:*", "+keys")()
	s := run([]string{"plan", "-refresh-only", "-detailed-exitcode", "-no-color"}, 2)
	if !strings.Contains(s, "~cache:globex:*") || !strings.Contains(s, "+keys") {
		t.Errorf("the refresh-only plan does not show the out-of-band rule:\n%s", s)
	}
	t.Logf("out-of-band rule, plan -refresh-only:\n%s", planLines(s))
	s = run([]string{"plan", "-detailed-exitcode", "-no-color"}, 2)
	t.Logf("out-of-band rule, plan:\n%s", planLines(s))
	run([]string{"apply", "-auto-approve", "-no-color"})
	run([]string{"plan", "-detailed-exitcode", "-no-color"})

	srv.Restart(t)
	s = run([]string{"plan", "-refresh-only", "-detailed-exitcode", "-no-color"}, 2)
	t.Logf("restart, plan -refresh-only:\n%s", planLines(s))
	s = run([]string{"plan", "-detailed-exitcode", "-no-color"}, 2)
	if !strings.Contains(s, `+ "acme_admin" = "on ~analytics:acme:*`) {
		t.Errorf("the plan after a restart does not show the users to create:\n%s", s)
	}
	t.Logf("restart, plan:\n%s", planLines(s))
	run([]string{"apply", "-auto-approve", "-no-color"})
	run([]string{"plan", "-detailed-exitcode", "-no-color"})
	if err := checkLogins(srv, "v1", true, "acme")(nil); err != nil {
		t.Errorf("after the restart and apply: %v", err)
	}
	run([]string{"destroy", "-auto-approve", "-no-color"})

	state, err := os.ReadFile(w.dir + "/terraform.tfstate")
	if err != nil {
		t.Fatal(err)
	}
	for _, where := range []struct{ name, text string }{{"output", out.String()}, {"state", string(state)}, {"provider log", w.providerLog()}} {
		for _, u := range []string{"acme_admin", "acme_user"} {
			if strings.Contains(where.text, redisTestPassword(u, "v1")) {
				t.Errorf("the password of %s is in the %s", u, where.name)
			}
		}
	}
	if !strings.Contains(w.providerLog(), "Redis users converged") {
		t.Errorf("the provider log is empty: the check above proves nothing")
	}
}

// rules are unknown in the plan while config is; a new tenant id, known in
// the plan or only during apply, moves the resource: the old tenant's users
// go and the new one's come, with the passwords of passwords_wo.
func TestAccTenantRedis_unknownConfigAndMove(t *testing.T) {
	srv := enginetest.StartRedis(t)
	hcl := func(id string, viaData bool) string {
		config := configOf("t")
		if viaData {
			config = "terraform_data.config.output"
		}
		return redisHCL(srv) + fmt.Sprintf(`
resource "tenant_config" "t" {
  tenant_id   = %q
  tenant_name = "T"
  tier        = "standard"
}

resource "terraform_data" "config" {
  input = %s
}

resource "tenant_redis" "t" {
  config       = %s
  passwords_wo = { admin = "pw-admin" }
}
`, id, configOf("t"), config)
	}
	users := func(want map[string]bool) resource.TestCheckFunc {
		return func(*terraform.State) error {
			for u, present := range want {
				_, err := opsClient(t, srv).Do(context.Background(), "ACL", "GETUSER", u).Result()
				if (err == nil) != present {
					return fmt.Errorf("user %s: present=%t, want %t (%v)", u, err == nil, present, err)
				}
				if present && strings.HasSuffix(u, "_admin") {
					if err := checkLogin(srv, u, "pw-admin", true); err != nil {
						return err
					}
				}
			}
			return nil
		}
	}
	action := func(a plancheck.ResourceActionType) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("tenant_redis.t", a)}}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: hcl("acme", true), ConfigVariables: passwordVars("v1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue("tenant_redis.t", tfjsonpath.New("rules")),
					plancheck.ExpectUnknownValue("tenant_redis.t", tfjsonpath.New("id")),
				}},
				Check: users(map[string]bool{"acme_admin": true, "acme_user": true}),
			},
			{
				Config: hcl("acme2", true), ConfigVariables: passwordVars("v1"),
				ConfigPlanChecks: action(plancheck.ResourceActionUpdate),
				Check:            users(map[string]bool{"acme_admin": false, "acme_user": false, "acme2_admin": true, "acme2_user": true}),
			},
			{
				Config: hcl("acme3", false), ConfigVariables: passwordVars("v1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("tenant_redis.t", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("tenant_redis.t", tfjsonpath.New("id"), knownvalue.StringExact("acme3")),
				}},
				Check: users(map[string]bool{"acme2_admin": false, "acme2_user": false, "acme3_admin": true, "acme3_user": true}),
			},
		},
	})
}

// Thirty tenants applied together (Terraform's default parallelism of 10) on
// a server with an aclfile, five times: creation, a whitelist change, its
// reversal, a repair after a restart that lost the in-memory changes, and a
// rotation. Every apply succeeds and leaves every tenant converged.
func TestAccTenantRedis_parallel(t *testing.T) {
	srv := enginetest.StartRedis(t, enginetest.WithACLFile())
	var ids []string
	for i := range 30 {
		ids = append(ids, fmt.Sprintf("tenant%02d", i))
	}
	tiers := []string{"free", "standard", "premium", "enterprise"}
	hcl := func(narrow bool, version int) string {
		var m, tt []string
		for i, id := range ids {
			m = append(m, fmt.Sprintf("%q", id))
			tt = append(tt, fmt.Sprintf("%q", tiers[i%len(tiers)]))
		}
		overrides := "{}"
		if narrow {
			overrides = `{ security = { database_permissions = { redis = { command_whitelist = ["GET", "SET"], privileges = { tenant_admin = ["GET", "SET"] } } } } }`
		}
		// count, not for_each: the testing framework's state checks take
		// numeric indexes only.
		return redisHCL(srv) + fmt.Sprintf(`
locals {
  ids   = [%s]
  tiers = [%s]
}

resource "tenant_config" "t" {
  count       = length(local.ids)
  tenant_id   = local.ids[count.index]
  tenant_name = local.ids[count.index]
  tier        = local.tiers[count.index]
  overrides   = %s
}

resource "tenant_redis" "t" {
  count                = length(local.ids)
  config               = tenant_config.t[count.index].rendered_json
  passwords_wo         = var.passwords[local.ids[count.index]]
  passwords_wo_version = %d
}
`, strings.Join(m, ", "), strings.Join(tt, ", "), overrides, version)
	}
	converged := func(adminCmds string, gen string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			for _, id := range ids {
				got, err := provision.ReadRedis(context.Background(), opsClient(t, srv), id)
				if err != nil {
					return err
				}
				want := wantRules(id, adminCmds, "+get")
				if got[id+"_admin"] != want[id+"_admin"] || got[id+"_user"] != want[id+"_user"] {
					return fmt.Errorf("%s holds %v, want %v", id, got, want)
				}
			}
			return checkLogins(srv, gen, true, ids...)(nil)
		}
	}
	step := func(narrow bool, version int, gen string, admin string) resource.TestStep {
		return resource.TestStep{Config: hcl(narrow, version), ConfigVariables: passwordVars(gen, ids...), Check: converged(admin, gen)}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(false, 1, "v1", "+del +expire +get +set"),
			step(true, 1, "v1", "+get +set"),
			step(false, 1, "v1", "+del +expire +get +set"),
			{
				PreConfig: func() {
					redisDo(t, srv, "ACL", "DELUSER", "tenant07_user")()
					srv.Restart(t) // without ACL SAVE: the aclfile still holds tenant07_user
				},
				Config: hcl(false, 1), ConfigVariables: passwordVars("v1", ids...),
				PlanOnly: true,
			},
			step(false, 2, "v2", "+del +expire +get +set"),
		},
	})
}
