package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

var _ function.Function = (*validateAccessFunction)(nil)

func newValidateAccessFunction() function.Function {
	return &validateAccessFunction{}
}

type validateAccessFunction struct{}

var accessResultAttrTypes = map[string]attr.Type{"allowed": types.BoolType, "reason": types.StringType}

func (f *validateAccessFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "validate_access"
}

func (f *validateAccessFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Whether a tenant may perform an operation on a database",
		MarkdownDescription: "Answers, from a tenant's rendered configuration, whether the tenant may perform an operation on " +
			"a database engine, and why. Access is denied when the engine is disabled or absent, when no role of the tenant " +
			"grants `tenant:<operation>`, when the engine's `security.database_permissions` do not list the operation, and, for " +
			"`backup`, when the configuration has no backups. Needs Terraform 1.8 or later.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "rendered_json",
				MarkdownDescription: "A rendered configuration: `rendered_json` (or `rendered_json_sensitive`) of a `tenant_config` resource, or the same configuration as YAML.",
			},
			function.StringParameter{
				Name:                "database",
				MarkdownDescription: "Database engine: `" + strings.Join(catalog.Engines, "`, `") + "`.",
			},
			function.StringParameter{
				Name:                "operation",
				MarkdownDescription: "Operation: `" + strings.Join(render.Operations, "`, `") + "`.",
			},
		},
		Return: function.ObjectReturn{AttributeTypes: accessResultAttrTypes},
	}
}

func (f *validateAccessFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var renderedYAML, database, operation string
	resp.Error = function.ConcatFuncErrors(resp.Error, req.Arguments.Get(ctx, &renderedYAML, &database, &operation))
	if resp.Error != nil {
		return
	}
	cfg, err := render.ParseRenderedConfig(renderedYAML)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, renderedArgError(err))
		return
	}
	if err := render.CheckDatabase(database); err != nil {
		resp.Error = function.NewArgumentFuncError(1, "Invalid database: "+err.Error())
		return
	}
	if err := render.CheckOperation(operation); err != nil {
		resp.Error = function.NewArgumentFuncError(2, "Invalid operation: "+err.Error())
		return
	}
	allowed, reason := render.Access(cfg, database, operation)
	if !allowed {
		tflog.SubsystemInfo(tflog.NewSubsystem(ctx, logSubsystem), logSubsystem, "access denied",
			map[string]any{"database": database, "operation": operation, "reason": reason})
	}
	result, diags := types.ObjectValue(accessResultAttrTypes, map[string]attr.Value{
		"allowed": types.BoolValue(allowed),
		"reason":  types.StringValue(reason),
	})
	if diags.HasError() {
		resp.Error = function.FuncErrorFromDiags(ctx, diags)
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Error, resp.Result.Set(ctx, result))
}

// renderedArgError is the argument error of a function given text that is
// not a rendered configuration. Terraform ends it with a full stop.
func renderedArgError(err error) string {
	return "Invalid rendered configuration: " + err.Error() +
		"; pass rendered_json or rendered_json_sensitive of a tenant_config resource"
}
