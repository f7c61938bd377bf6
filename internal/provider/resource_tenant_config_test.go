package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const addr = "tenant_config.test"

func tenantConfig(tier, extra string) string {
	return fmt.Sprintf(`
resource "tenant_config" "test" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = %q
  %s
}
`, tier, extra)
}

// Each tier renders at plan time: the plan already holds the full
// configuration and its summaries, and apply stores exactly that.
func TestAccTenantConfig_eachTier(t *testing.T) {
	for _, tc := range []struct {
		tier      string
		maxUsers  int64
		pgCores   float64
		engines   int
		clickOn   bool
		storageGB float64
	}{
		{"free", 10, 0.25, 6, false, 1},
		{"standard", 1000, 2, 6, false, 100},
		{"premium", 10000, 8, 6, true, 1000},
		{"enterprise", 100000, 32, 6, true, 10000},
	} {
		t.Run(tc.tier, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: tenantConfig(tc.tier, ""),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("rendered_json"),
							knownvalue.StringRegexp(regexp.MustCompile(`"subscription":\{[^{}]*"tier":"`+tc.tier+`"`))),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("checksum"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{64}$`))),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("limits").AtMapKey("max_users"), knownvalue.Int64Exact(tc.maxUsers)),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("databases").AtMapKey("postgresql").AtMapKey("cpu_cores"), knownvalue.Float64Exact(tc.pgCores)),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("databases").AtMapKey("clickhouse").AtMapKey("enabled"), knownvalue.Bool(tc.clickOn)),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("isolation").AtMapKey("postgresql_schemas").AtMapKey("tenant_data"), knownvalue.StringExact("acme_data")),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("created_at")),
					}},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("acme")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("environment"), knownvalue.StringExact("production")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact("us-east-1")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("timezone"), knownvalue.StringExact("UTC")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("created_at"), knownvalue.StringExact(testCreatedAt)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("databases"), knownvalue.MapSizeExact(tc.engines)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("limits").AtMapKey("storage_gb"), knownvalue.Float64Exact(tc.storageGB)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("isolation").AtMapKey("redis_namespaces").AtMapKey("cache"), knownvalue.StringExact("cache:acme:")),
					},
				}},
			})
		})
	}
}

// A tier change is an in-place migration that keeps created_at; an upgrade
// needs no flag; a downgrade needs allow_downgrade.
func TestAccTenantConfig_migration(t *testing.T) {
	createdAt := statecheck.CompareValue(compare.ValuesSame())
	checksum := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: tenantConfig("free", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					createdAt.AddStateValue(addr, tfjsonpath.New("created_at")),
					checksum.AddStateValue(addr, tfjsonpath.New("checksum")),
				},
			},
			{
				Config: tenantConfig("standard", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("limits").AtMapKey("max_users"), knownvalue.Int64Exact(1000)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("created_at"), knownvalue.StringExact(testCreatedAt)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					createdAt.AddStateValue(addr, tfjsonpath.New("created_at")),
					checksum.AddStateValue(addr, tfjsonpath.New("checksum")),
				},
			},
			{
				Config: tenantConfig("premium", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("databases").AtMapKey("clickhouse").AtMapKey("enabled"), knownvalue.Bool(true)),
				}},
			},
			{
				Config:      tenantConfig("free", ""),
				ExpectError: expectError("Downgrade from premium to free is not allowed", "clickhouse", "allow_downgrade = true"),
			},
			{
				Config: tenantConfig("free", "allow_downgrade = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("databases").AtMapKey("clickhouse").AtMapKey("enabled"), knownvalue.Bool(false)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					createdAt.AddStateValue(addr, tfjsonpath.New("created_at")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("tier"), knownvalue.StringExact("free")),
				},
			},
		},
	})
}

// Changing tenant_id is the one change that replaces the resource.
func TestAccTenantConfig_tenantIDForcesReplacement(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: tenantConfig("standard", "")},
			{
				Config: `
resource "tenant_config" "test" {
  tenant_id   = "globex"
  tenant_name = "Acme Corp"
  tier        = "standard"
}`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("isolation").AtMapKey("mongodb_collections").AtMapKey("users"), knownvalue.StringExact("globex_users")),
				}},
			},
		},
	})
}

// Overrides, variables, regulations and the optional arguments flow into
// the rendered configuration at plan time.
func TestAccTenantConfig_overrides(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: tenantConfig("premium", `
  environment = "staging"
  region      = "eu-west-1"
  timezone    = "Europe/Berlin"
  regulations = ["GDPR", "HIPAA"]
  variables   = { TEAM = "data-platform" }
  overrides = {
    databases = {
      postgresql = {
        resources  = { cpu_cores = 4 }
        extensions = ["pgcrypto", "pg_stat_statements"]
      }
      elasticsearch = { enabled = false }
    }
    monitoring = { alerts = { storage_threshold = 90 } }
    # In HCL, $${ passes a placeholder through; $$${ passes the escape.
    custom     = { owner = "team $${TEAM} of $${TENANT_ID}", literal = "$$${NOT_A_VAR}" }
  }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("databases").AtMapKey("postgresql").AtMapKey("cpu_cores"), knownvalue.Float64Exact(4)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("databases").AtMapKey("elasticsearch").AtMapKey("enabled"), knownvalue.Bool(false)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("rendered_json"), knownvalue.StringRegexp(regexp.MustCompile(
						`"regulations":\["GDPR","HIPAA"\]\},"custom":\{"literal":"\$\{NOT_A_VAR\}","owner":"team data-platform of acme"\}.*"storage_threshold":90.*"region":"eu-west-1","tenant_id":"acme","tenant_name":"Acme Corp","tenant_type":"premium","timezone":"Europe/Berlin"`))),
				}},
			},
			{
				// Removing an override restores the template's value.
				Config: tenantConfig("premium", `
  environment = "staging"
  region      = "eu-west-1"
  timezone    = "Europe/Berlin"
  regulations = ["GDPR", "HIPAA"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("databases").AtMapKey("postgresql").AtMapKey("cpu_cores"), knownvalue.Float64Exact(8)),
				}},
			},
		},
	})
}

// An override that comes from another resource makes every rendered value
// unknown in the plan, never the prior value; apply then renders it.
func TestAccTenantConfig_unknownOverrides(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: tenantConfig("standard", "")},
			{
				Config: `
resource "terraform_data" "threshold" {
  input = 85
}

resource "tenant_config" "test" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = "standard"
  overrides = {
    monitoring = { alerts = { storage_threshold = terraform_data.threshold.output } }
  }
}`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("rendered_json")),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("checksum")),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("limits")),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("databases")),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("created_at"), knownvalue.StringExact(testCreatedAt)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("rendered_json"), knownvalue.StringRegexp(regexp.MustCompile(`"storage_threshold":85`))),
				},
			},
		},
	})
}

// Every class of validation error fails the plan and names what to fix.
func TestAccTenantConfig_validationErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		config string
		err    *regexp.Regexp
	}{
		"engine not offered": {tenantConfig("standard", `overrides = { databases = { clickhouse = { enabled = true } } }`),
			expectError("Engine clickhouse is not offered by tier standard", "available from tier premium")},
		"over ceiling": {tenantConfig("standard", `overrides = { databases = { postgresql = { resources = { cpu_cores = 3 } } } }`),
			expectError("exceeds the ceiling of tier standard", "allows up to 2, or 2.2 with its tolerance of 10%")},
		"regulation not allowed": {tenantConfig("standard", `regulations = ["HIPAA"]`),
			expectError("Regulation HIPAA cannot be claimed on tier standard", "from tier premium")},
		"regulation needs": {tenantConfig("premium", `
  regulations = ["HIPAA"]
  overrides   = { security = { ssl = { required = false } } }`),
			expectError("HIPAA needs encryption at rest and in transit", "security.ssl.required")},
		"required by tier": {tenantConfig("enterprise", `overrides = { security = { encryption = { enabled = false } } }`),
			expectError("Tier enterprise requires encryption")},
		"subscription limit": {tenantConfig("free", `overrides = { subscription = { max_users = 11 } }`),
			expectError("subscription.max_users 11 exceeds the limit of tier free")},
		"cron": {tenantConfig("standard", `overrides = { backup = { schedule = { full_backup = "0 2 * *" } } }`),
			expectError("Invalid cron schedule", "5-field cron expression")},
		"percentage": {tenantConfig("standard", `overrides = { monitoring = { alerts = { storage_threshold = 120 } } }`),
			expectError("monitoring.alerts.storage_threshold is out of range", "must be between 0 and 100; it is 120.")},
		"scaling": {tenantConfig("standard", `overrides = { performance_tier = { auto_scaling = { scale_down_threshold = 80 } } }`),
			expectError("Scale-down threshold must be below the scale-up threshold")},
		"unknown key": {tenantConfig("standard", `overrides = { monitoring = { alert = {} } }`),
			expectError("Unknown key monitoring.alert", `Did you mean "alerts"?`)},
		"locked path": {tenantConfig("standard", `overrides = { databases = { postgresql = { schemas = { tenant_data = "shared" } } } }`),
			expectError("databases.postgresql.schemas cannot be overridden", "derived from tenant_id")},
		"type clash": {tenantConfig("standard", `overrides = { monitoring = "off" }`),
			expectError("Override does not fit the configuration", "monitoring")},
		"unknown tier": {tenantConfig("premum", ``),
			expectError(`Unknown tier "premum"`, `Did you mean "premium"?`)},
		"unknown variable": {tenantConfig("standard", `overrides = { custom = { x = "$${TENANT_IDD}" } }`),
			expectError("Unknown template variable", "TENANT_IDD", `did you mean "TENANT_ID"?`)},
		"invalid tenant id": {`
resource "tenant_config" "test" {
  tenant_id   = "Acme-Corp"
  tenant_name = "Acme Corp"
  tier        = "free"
}`, expectError("tenant_id", "must start with a lowercase letter")},
		"tenant name control characters": {`
resource "tenant_config" "test" {
  tenant_id   = "acme"
  tenant_name = "Acme\nCorp"
  tier        = "free"
}`, expectError("Invalid tenant name", "control characters")},
		"timezone":        {tenantConfig("free", `timezone = "Mars/Olympus"`), expectError("Unknown time zone", "IANA")},
		"regulation name": {tenantConfig("premium", `regulations = ["HIPPA"]`), expectError("regulations", "HIPAA")},
		"not an object":   {tenantConfig("free", `overrides = ["a"]`), expectError("Overrides must be an object")},
	} {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: tc.config, ExpectError: tc.err}},
			})
		})
	}
}

// Several problems are reported together, each at its own path. Unknown
// keys come first, alone: validation finds them before the plan renders.
func TestAccTenantConfig_allProblemsAtOnce(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: tenantConfig("standard", `
  overrides = {
    databases  = { clickhouse = { enabled = true }, redis = { resources = { memory_gb = 4 } } }
    monitoring = { levle = "premium", alrets = {} }
  }`),
				ExpectError: expectError("Unknown keys at monitoring: alrets, levle"),
			},
			{
				Config: tenantConfig("standard", `
  overrides = {
    databases  = { clickhouse = { enabled = true }, redis = { resources = { memory_gb = 4 } } }
    monitoring = { alerts = { storage_threshold = 120 } }
  }`),
				ExpectError: expectError("monitoring.alerts.storage_threshold is out of range", "exceeds the ceiling", "Engine clickhouse is not offered"),
			},
		},
	})
}

// Import by <tenant_id>:<tier>[:<environment>]: the imported tenant is
// updated in place (never replaced) to record its configuration, and the
// plan is empty afterwards.
func TestAccTenantConfig_import(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             tenantConfig("standard", `environment = "staging"`),
				ResourceName:       addr,
				ImportState:        true,
				ImportStateId:      "acme:standard:staging",
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("expected 1 imported resource, got %d", len(states))
					}
					a := states[0].Attributes
					for k, want := range map[string]string{"id": "acme", "tenant_id": "acme", "tier": "standard", "environment": "staging", "created_at": testCreatedAt} {
						if a[k] != want {
							return fmt.Errorf("%s: got %q, want %q", k, a[k], want)
						}
					}
					return nil
				},
			},
			{
				Config: tenantConfig("standard", `environment = "staging"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("created_at"), knownvalue.StringExact(testCreatedAt)),
				}},
			},
			{
				Config: tenantConfig("standard", `environment = "staging"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

// An import block works the same way, and a malformed ID is refused.
func TestAccTenantConfig_importBlock(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: tenantConfig("premium", "")},
			{
				Config:             tenantConfig("premium", ""),
				ResourceName:       addr,
				ImportState:        true,
				ImportStateKind:    resource.ImportBlockWithID,
				ImportStateId:      "acme:premium",
				ExpectNonEmptyPlan: true,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
			},
			{
				Config:        tenantConfig("premium", ""),
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "acme",
				ExpectError:   expectError("Invalid import ID", "<tenant_id>:<tier>"),
			},
			{
				Config:        tenantConfig("premium", ""),
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "acme:platinum",
				ExpectError:   expectError("Invalid import ID", `Unknown tier "platinum"`),
			},
		},
	})
}

// A custom catalog adds a tier that extends an embedded one.
func TestAccTenantConfig_customCatalog(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "startup.yml"), []byte(`tier:
  name: startup
  rank: 2
  extends: standard
  description: Standard figures with a smaller user limit.
  limits: {max_users: 200, storage_gb: 50, api_calls_per_month: 500000, db_connections: 50}
config:
  subscription:
    max_users: 200
    storage_gb: 50
    api_calls_per_month: 500000
    db_connections: 50
  custom:
    plan: startup
`), 0o600); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "tenant" {
  templates_dir  = %q
  default_region = "eu-central-1"
}
%s
data "tenant_tiers" "all" {}
`, dir, tenantConfig("startup", "")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("limits").AtMapKey("max_users"), knownvalue.Int64Exact(200)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact("eu-central-1")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("databases").AtMapKey("postgresql").AtMapKey("iops"), knownvalue.Int64Exact(1000)),
				statecheck.ExpectKnownValue("data.tenant_tiers.all", tfjsonpath.New("names"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("free"), knownvalue.StringExact("standard"), knownvalue.StringExact("startup"),
					knownvalue.StringExact("premium"), knownvalue.StringExact("enterprise"),
				})),
			},
		}},
	})
}

// A broken custom catalog fails at configure with the file and line.
func TestAccProvider_brokenCatalog(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "startup.yml"), []byte("tier:\n  name: startup\n  rank: 2\n  limts: {}\nconfig: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "tenant" {
  templates_dir = %q
}
%s`, dir, tenantConfig("free", "")),
			ExpectError: expectError("Invalid tier catalog", "startup.yml", "line 4", "limts"),
		}},
	})
}

// A provider argument unknown at plan time defers rendering to apply.
func TestAccProvider_unknownArgument(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "region" {
  input = "ap-south-1"
}

provider "tenant" {
  default_region = terraform_data.region.output
}

resource "tenant_config" "test" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = "free"
}`,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(addr, tfjsonpath.New("region")),
				plancheck.ExpectUnknownValue(addr, tfjsonpath.New("rendered_json")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact("ap-south-1")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("rendered_json"), knownvalue.StringRegexp(regexp.MustCompile(`"region":"ap-south-1"`))),
			},
		}},
	})
}

// A tier removed from a custom catalog does not block destroy: the tenant
// keeps what was rendered (with a warning) until it changes.
func TestAccTenantConfig_retiredTier(t *testing.T) {
	dir := t.TempDir()
	tierFile := filepath.Join(dir, "startup.yml")
	if err := os.WriteFile(tierFile, []byte(`tier:
  name: startup
  rank: 2
  extends: standard
  description: Standard figures with a smaller user limit.
  limits: {max_users: 200, storage_gb: 50, api_calls_per_month: 500000, db_connections: 50}
config:
  subscription: {max_users: 200, storage_gb: 50, api_calls_per_month: 500000, db_connections: 50}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	config := func(extra string) string {
		return fmt.Sprintf(`
provider "tenant" {
  templates_dir = %q
}
%s`, dir, tenantConfig("startup", extra))
	}
	removeTier := func() {
		if err := os.Remove(tierFile); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config("")},
			{
				// Unchanged: the plan keeps the state.
				PreConfig: removeTier,
				Config:    config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("limits").AtMapKey("max_users"), knownvalue.Int64Exact(200)),
				},
			},
			{
				// A change needs the tier.
				Config:      config(`timezone = "Europe/Berlin"`),
				ExpectError: expectError(`Unknown tier "startup"`),
			},
			{
				Config:  config(""),
				Destroy: true,
			},
		},
	})
}

// An unknown key next to a value that is unknown until apply fails the
// plan: the known keys are checked although the render waits for apply.
func TestAccTenantConfig_unknownKeyNextToUnknownValue(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "threshold" {
  input = 85
}

resource "tenant_config" "test" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = "standard"
  overrides = {
    monitoring = { alerts = { storage_treshold = terraform_data.threshold.output } }
  }
}`,
			PlanOnly:    true,
			ExpectError: expectError("Unknown key monitoring.alerts.storage_treshold", `Did you mean "storage_threshold"?`),
		}},
	})
}
