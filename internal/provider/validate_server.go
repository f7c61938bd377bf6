package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// tenantConfigValidator answers ValidateResourceConfig for tenant_config
// without the framework's schema walk, with the framework's diagnostics
// (TestValidatorAgreesWithTheFramework): the resource's ValidateConfig
// (checkConfig), then for each attribute of the configuration the
// framework's own checks (a read-only attribute set, a required one null)
// and the attribute's validators.
//
// Why: Terraform asks for it once per resource instance in a plan, and the
// framework looks up every attribute of the schema, nested summaries
// included, through its reflection and path machinery: about a sixth of the
// provider's CPU in a plan of 1,000 tenants (make bench, pprof). Here each
// attribute is read once from the decoded value.
//
// It handles the kinds of attributes and validators tenant_config has
// (string, set and list validators; no write-only or deprecated
// attributes); a schema that gains another kind fails
// TestValidatorCoversTheSchema.
type tenantConfigValidator struct {
	schema schema.Schema
	typ    tftypes.Type
	names  []string // the schema's attributes, sorted: diagnostics in a stable order
}

func newTenantConfigValidator() *tenantConfigValidator {
	s := tenantConfigSchemaV0()
	names := make([]string, 0, len(s.Attributes))
	for name := range s.Attributes {
		names = append(names, name)
	}
	slices.Sort(names)
	return &tenantConfigValidator{schema: s, typ: s.Type().TerraformType(context.Background()), names: names}
}

func (v *tenantConfigValidator) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	resp := &tfprotov6.ValidateResourceConfigResponse{}
	if req.Config == nil {
		return resp, nil
	}
	var diags diag.Diagnostics
	config := decodeValue(req.Config, v.typ, &diags)
	var attrs map[string]tftypes.Value
	if !diags.HasError() && config.IsKnown() && !config.IsNull() {
		if err := config.As(&attrs); err != nil {
			diags.AddError("Invalid configuration", err.Error()+". This is a bug in the provider.")
		}
	}
	if diags.HasError() || attrs == nil {
		resp.Diagnostics = toProtoDiagnostics(diags)
		return resp, nil
	}
	checkConfig(attrs["timezone"], attrs["overrides"], &diags) // the resource's ValidateConfig
	cfg := tfsdk.Config{Schema: v.schema, Raw: config}
	for _, name := range v.names {
		validateAttribute(ctx, name, v.schema.Attributes[name], attrs[name], cfg, &diags)
	}
	resp.Diagnostics = toProtoDiagnostics(diags)
	return resp, nil
}

// validateAttribute checks the configuration's value of one top-level
// attribute as the framework's AttributeValidate does.
func validateAttribute(ctx context.Context, name string, a schema.Attribute, tv tftypes.Value, cfg tfsdk.Config, diags *diag.Diagnostics) {
	p := path.Root(name)
	val, err := a.GetType().ValueFromTerraform(ctx, tv)
	if err != nil {
		diags.AddAttributeError(p, "Invalid configuration value", err.Error()+". This is a bug in the provider.")
		return
	}
	isNull := val.IsNull()
	if dv, ok := val.(basetypes.DynamicValuable); ok && !isNull && !val.IsUnknown() {
		d, ds := dv.ToDynamicValue(ctx)
		if diags.Append(ds...); ds.HasError() {
			return
		}
		isNull = d.IsUnderlyingValueNull()
	}
	if a.IsComputed() && !a.IsOptional() && !isNull {
		diags.AddAttributeError(p, "Invalid Configuration for Read-Only Attribute",
			"Cannot set value for this attribute as the provider has marked it as read-only. Remove the configuration line setting the value.\n\n"+
				"Refer to the provider documentation or contact the provider developers for additional information about configurable and read-only attributes that are supported.")
	}
	if a.IsRequired() && isNull {
		diags.AddAttributeError(p, "Missing Configuration for Required Attribute",
			fmt.Sprintf("Must set a configuration value for the %s attribute as the provider has marked it as required.\n\n", p)+
				"Refer to the provider documentation or contact the provider developers for additional information about configurable attributes that are required.")
	}
	// The validators of the kinds of attributes tenant_config has, each with
	// a fresh response, as the framework calls them.
	switch a := a.(type) {
	case schema.StringAttribute:
		cv, ds := val.(basetypes.StringValuable).ToStringValue(ctx) //nolint:forcetypeassert // the attribute's own type
		req := validator.StringRequest{Path: p, PathExpression: p.Expression(), Config: cfg, ConfigValue: cv}
		if diags.Append(ds...); ds.HasError() {
			return
		}
		for _, v := range a.Validators {
			var r validator.StringResponse
			v.ValidateString(ctx, req, &r)
			diags.Append(r.Diagnostics...)
		}
	case schema.SetAttribute:
		cv, ds := val.(basetypes.SetValuable).ToSetValue(ctx) //nolint:forcetypeassert // the attribute's own type
		req := validator.SetRequest{Path: p, PathExpression: p.Expression(), Config: cfg, ConfigValue: cv}
		if diags.Append(ds...); ds.HasError() {
			return
		}
		for _, v := range a.Validators {
			var r validator.SetResponse
			v.ValidateSet(ctx, req, &r)
			diags.Append(r.Diagnostics...)
		}
	case schema.ListAttribute:
		cv, ds := val.(basetypes.ListValuable).ToListValue(ctx) //nolint:forcetypeassert // the attribute's own type
		req := validator.ListRequest{Path: p, PathExpression: p.Expression(), Config: cfg, ConfigValue: cv}
		if diags.Append(ds...); ds.HasError() {
			return
		}
		for _, v := range a.Validators {
			var r validator.ListResponse
			v.ValidateList(ctx, req, &r)
			diags.Append(r.Diagnostics...)
		}
	}
}
