package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// The provisioning function derives the artifacts from rendered_json at plan
// time: the tenant's roles, schemas and ACL users, null for an engine the
// tier does not enable, and the same artifacts from the YAML export of the
// same configuration.
func TestAccProvisioningFunction(t *testing.T) {
	re := func(s string) knownvalue.Check { return knownvalue.StringRegexp(regexp.MustCompile(s)) }
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: tenantConfig("standard", "") + `
output "p"         { value = provider::tenant::provisioning(tenant_config.test.rendered_json) }
output "from_yaml" { value = provider::tenant::provisioning(provider::tenant::export(tenant_config.test.rendered_json, "yaml")) == provider::tenant::provisioning(tenant_config.test.rendered_json) }
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownOutputValueAtPath("p", tfjsonpath.New("postgresql"), re(`(?s)'acme_data'.*ALTER ROLE "acme_owner" NOLOGIN`)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("p", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"postgresql":          re(`(?s)ALTER ROLE "acme_admin" LOGIN .*CONNECTION LIMIT 100;.*CREATE SCHEMA IF NOT EXISTS`),
						"postgresql_teardown": re(`DROP ROLE IF EXISTS "acme_owner", "acme_admin", "acme_user";`),
						"redis_acl":           re(`(?m)^ACL SETUSER acme_admin .*~cache:acme:\*`),
						"mongodb":             re(`"collection":"acme_users"`),
						"clickhouse":          knownvalue.Null(),
						"elasticsearch":       knownvalue.Null(),
					})),
					statecheck.ExpectKnownOutputValue("from_yaml", knownvalue.Bool(true)),
				},
			},
		},
	})
}

// Anything that is not a rendered configuration is an argument error.
func TestAccProvisioningFunction_errors(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      `output "x" { value = provider::tenant::provisioning("tenant: [acme]") }`,
			ExpectError: expectError("Invalid rendered configuration", "not a rendered configuration"),
		}},
	})
}
