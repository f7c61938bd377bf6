package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

func TestAccValidateAccessFunction(t *testing.T) {
	access := func(allowed bool, reason string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"allowed": knownvalue.Bool(allowed),
			"reason":  knownvalue.StringRegexp(regexp.MustCompile(reason)),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
resource "tenant_config" "standard" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = "standard"
}

resource "tenant_config" "premium" {
  tenant_id   = "globex"
  tenant_name = "Globex"
  tier        = "premium"
}

resource "tenant_config" "free" {
  tenant_id   = "initech"
  tenant_name = "Initech"
  tier        = "free"
}

output "standard_pg_write"   { value = provider::tenant::validate_access(tenant_config.standard.rendered_json, "postgresql", "write") }
output "standard_ch_write"   { value = provider::tenant::validate_access(tenant_config.standard.rendered_json, "clickhouse", "write") }
output "premium_ch_write"    { value = provider::tenant::validate_access(tenant_config.premium.rendered_json, "clickhouse", "write") }
output "premium_pg_admin"    { value = provider::tenant::validate_access(tenant_config.premium.rendered_json, "postgresql", "admin") }
output "free_pg_backup"      { value = provider::tenant::validate_access(tenant_config.free.rendered_json, "postgresql", "backup") }
output "standard_pg_backup"  { value = provider::tenant::validate_access(tenant_config.standard.rendered_json, "postgresql", "backup") }
output "standard_redis_read" { value = provider::tenant::validate_access(tenant_config.standard.rendered_json, "redis", "read") }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("standard_pg_write", access(true, `acme may write postgresql`)),
				statecheck.ExpectKnownOutputValue("standard_ch_write", access(false, `clickhouse is not enabled for acme \(tier standard\)`)),
				statecheck.ExpectKnownOutputValue("premium_ch_write", access(true, `globex may write clickhouse`)),
				statecheck.ExpectKnownOutputValue("premium_pg_admin", access(false, `no role of globex grants tenant:admin`)),
				statecheck.ExpectKnownOutputValue("free_pg_backup", access(false, `backups are not enabled for initech`)),
				statecheck.ExpectKnownOutputValue("standard_pg_backup", access(true, `acme may backup postgresql`)),
				statecheck.ExpectKnownOutputValue("standard_redis_read", access(true, `acme may read redis`)),
			},
		}},
	})
}

func TestAccValidateAccessFunction_errors(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      `output "x" { value = provider::tenant::validate_access("- not\n- a mapping", "postgresql", "read") }`,
				ExpectError: expectError("Invalid rendered configuration", "not a mapping"),
			},
			{
				Config:      `output "x" { value = provider::tenant::validate_access("a: 1", "postgresql", "read") }`,
				ExpectError: expectError("Invalid rendered configuration", "not a rendered configuration", "none of the sections tenant_info"),
			},
			{
				Config:      `output "x" { value = provider::tenant::validate_access("tenant_info: {tenant_id: acme}", "postgresql", "read") }`,
				ExpectError: expectError("Invalid rendered configuration", "the sections subscription, databases", "are missing"),
			},
			{
				Config:      tenantConfig("standard", "") + `output "x" { value = provider::tenant::validate_access(tenant_config.test.rendered_json, "oracle", "read") }`,
				ExpectError: expectError(`"database"`, `"oracle" is not a database engine: use one of postgresql, mongodb`),
			},
			{
				Config:      tenantConfig("standard", "") + `output "x" { value = provider::tenant::validate_access(tenant_config.test.rendered_json, "postgresql", "wirte") }`,
				ExpectError: expectError(`"operation"`, `"wirte" is not an operation: use one of read, write, admin, backup (did you mean "write"?).`),
			},
		},
	})
}
