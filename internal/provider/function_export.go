package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

var _ function.Function = (*exportFunction)(nil)

func newExportFunction() function.Function {
	return &exportFunction{}
}

type exportFunction struct{}

func (f *exportFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "export"
}

func (f *exportFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "A tenant's rendered configuration as canonical YAML or JSON",
		MarkdownDescription: "Writes a rendered configuration as canonical YAML or JSON: keys sorted, one fixed style, the same " +
			"bytes for the same configuration (`\"json\"` gives exactly the text of `rendered_json`). Given `rendered_json` it is the export without sensitive data (secrets show as `" +
			render.SensitiveMarker + "`); given `rendered_json_sensitive` it is the complete one, and Terraform keeps the result " +
			"sensitive. Needs Terraform 1.8 or later.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "rendered_json",
				MarkdownDescription: "A rendered configuration: `rendered_json` or `rendered_json_sensitive` of a `tenant_config` resource (the latter is null for a tenant without secrets), or the same configuration as YAML.",
			},
			function.StringParameter{
				Name:                "format",
				MarkdownDescription: "`" + strings.Join(render.ExportFormats, "` or `") + "`.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *exportFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var text, format string
	resp.Error = function.ConcatFuncErrors(resp.Error, req.Arguments.Get(ctx, &text, &format))
	if resp.Error != nil {
		return
	}
	if err := render.CheckExportFormat(format); err != nil {
		resp.Error = function.NewArgumentFuncError(1, "Invalid format: "+err.Error())
		return
	}
	out, err := render.Export(text, format)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, renderedArgError(err))
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Error, resp.Result.Set(ctx, out))
}
