package provider

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tenantry/terraform-provider-tenant/internal/provision"
	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

var (
	provisioningFields = []field{
		{"postgresql", types.StringType, "Idempotent SQL (PostgreSQL 13 or later, run by a superuser): the owner role, the schemas, the login roles without password and exactly the tier's privileges on existing and future tables. Re-running it for a new tier converges."},
		{"postgresql_teardown", types.StringType, "SQL that removes everything `postgresql` created, for offboarding."},
		{"redis_acl", types.StringType, "One `ACL SETUSER` command per line, valid `redis-cli` input: the tenant's users limited to its key prefixes and the tier's commands."},
		{"mongodb", types.StringType, "Canonical JSON (keys sorted, no insignificant whitespace) of the `createRole` documents (privileges on the tenant's collections only) and the role of each user."},
		{"clickhouse", types.StringType, "ClickHouse SQL: the tenant's database, its roles and their grants."},
		{"elasticsearch", types.StringType, "Canonical JSON of the Elasticsearch role documents (limited to the tenant's index prefix) and of the roles of each user."},
	}
	provisioningAttrTypes = attrTypes(provisioningFields)
)

// provisioningValue derives the provisioning artifacts of a render from its
// configuration without secrets (artifacts hold none).
func provisioningValue(res *render.Result) (types.Object, diag.Diagnostics) {
	var diags diag.Diagnostics
	in, err := provision.FromConfig(res.Shown)
	var a provision.Artifacts
	if err == nil {
		a, err = provision.Generate(in)
	}
	if err != nil {
		var pe *provision.Error
		p := res.ProblemAt("", "The configuration cannot be provisioned", err.Error()+".")
		if errors.As(err, &pe) {
			p = res.ProblemAt(pe.Path, "The configuration cannot be provisioned", capitalize(pe.Message)+".")
		}
		addProblems(&diags, render.Problems{p})
		return types.ObjectNull(provisioningAttrTypes), diags
	}
	obj, d := types.ObjectValue(provisioningAttrTypes, map[string]attr.Value{
		"postgresql":          types.StringPointerValue(a.PostgreSQL),
		"postgresql_teardown": types.StringPointerValue(a.PostgreSQLTeardown),
		"redis_acl":           types.StringPointerValue(a.RedisACL),
		"mongodb":             types.StringPointerValue(a.MongoDB),
		"clickhouse":          types.StringPointerValue(a.ClickHouse),
		"elasticsearch":       types.StringPointerValue(a.Elasticsearch),
	})
	diags.Append(d...)
	return obj, diags
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.TrimSpace(string(unicode.ToUpper(r)) + s[n:])
}
