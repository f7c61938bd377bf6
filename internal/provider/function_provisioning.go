package provider

import (
	"context"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
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

var _ function.Function = (*provisioningFunction)(nil)

func newProvisioningFunction() function.Function {
	return &provisioningFunction{}
}

// provisioningFunction derives the provisioning artifacts from a rendered
// configuration.
type provisioningFunction struct{}

func (f *provisioningFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "provisioning"
}

func (f *provisioningFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	attrs := make([]string, len(provisioningFields))
	desc := make([]string, len(provisioningFields))
	for i, f := range provisioningFields {
		attrs[i] = f.name
		desc[i] = "- `" + f.name + "`: " + f.desc
	}
	resp.Definition = function.Definition{
		Summary: "The artifacts that make the engines enforce a tenant's isolation",
		MarkdownDescription: "Derives the provisioning artifacts from a tenant's rendered configuration: an object with the attributes `" +
			strings.Join(attrs, "`, `") + "`, each null when its engine is disabled. They hold no password (passwords are set out of band) " +
			"and no value from a sensitive input. For the engines that `tenant_postgresql` and `tenant_redis` do not enforce, and for teams " +
			"that run the scripts themselves. The same configuration gives the same bytes. Needs Terraform 1.8 or later.\n\n" +
			strings.Join(desc, "\n"),
		Parameters: []function.Parameter{
			function.StringParameter{
				Name: "rendered_json",
				MarkdownDescription: "A rendered configuration: `rendered_json` (or `rendered_json_sensitive`) of a `tenant_config` resource, " +
					"or the same configuration as YAML.",
			},
		},
		Return: function.ObjectReturn{AttributeTypes: provisioningAttrTypes},
	}
}

func (f *provisioningFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var text string
	resp.Error = function.ConcatFuncErrors(resp.Error, req.Arguments.Get(ctx, &text))
	if resp.Error != nil {
		return
	}
	a, err := artifactsOf(text)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, renderedArgError(err))
		return
	}
	obj, diags := types.ObjectValue(provisioningAttrTypes, map[string]attr.Value{
		"postgresql":          types.StringPointerValue(a.PostgreSQL),
		"postgresql_teardown": types.StringPointerValue(a.PostgreSQLTeardown),
		"redis_acl":           types.StringPointerValue(a.RedisACL),
		"mongodb":             types.StringPointerValue(a.MongoDB),
		"clickhouse":          types.StringPointerValue(a.ClickHouse),
		"elasticsearch":       types.StringPointerValue(a.Elasticsearch),
	})
	resp.Error = function.ConcatFuncErrors(resp.Error, function.FuncErrorFromDiags(ctx, diags))
	if resp.Error == nil {
		resp.Error = resp.Result.Set(ctx, obj)
	}
}

// artifactsOf derives the provisioning artifacts from a rendered
// configuration's text.
func artifactsOf(text string) (provision.Artifacts, error) {
	cfg, err := render.ParseRenderedConfig(text)
	if err != nil {
		return provision.Artifacts{}, err
	}
	in, err := provision.FromConfig(cfg)
	if err != nil {
		return provision.Artifacts{}, err
	}
	return provision.Generate(in)
}

// provisionProblems checks that the engines can enforce a render: the
// provisioning artifacts of its full configuration can be written (a value
// from a sensitive input, such as a connection limit, counts as it is). A
// problem is reported on the argument that set the path at fault, with every
// secret masked.
func provisionProblems(res *render.Result) render.Problems {
	in, err := provision.FromConfig(res.Config)
	if err == nil {
		_, err = provision.Generate(in)
	}
	if err == nil {
		return nil
	}
	var pe *provision.Error
	if errors.As(err, &pe) {
		return render.Problems{res.ProblemAt(pe.Path, "The configuration cannot be provisioned", capitalize(pe.Message)+".")}
	}
	return render.Problems{res.ProblemAt("", "The configuration cannot be provisioned", err.Error()+".")}
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.TrimSpace(string(unicode.ToUpper(r)) + s[n:])
}
