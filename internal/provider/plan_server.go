package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tenantConfigPlanner answers PlanResourceChange for tenant_config without
// the framework's plan pipeline, computing exactly what the framework
// computes with ModifyPlan (TestPlannerAgreesWithTheFramework).
//
// Why: for every resource instance the framework rewrites the whole planned
// value once per top-level attribute (SchemaModifyPlan sets each attribute
// anew, and each set walks the value and rebuilds the schema's attribute
// map at every node), so its cost grows with the number of attributes times
// the size of the value. With tenant_config's 29 attributes and nested
// summaries that was about 4 ms of provider CPU per tenant in a plan, most
// of the provider's cost, against well under 1 ms here (make bench).
//
// What it does is the framework's behavior for this schema: a destroy plan
// is the proposed null; defaults fill unset environment, timezone and
// allow_downgrade; every computed attribute is set by plan (the same
// function ModifyPlan calls); a change of tenant_id requires replacement.
type tenantConfigPlanner struct {
	provider *tenantProvider
	schema   schema.Schema
	typ      tftypes.Type
	attrs    map[string]attr.Type // the types of the schema's attributes
}

func newTenantConfigPlanner(p *tenantProvider) *tenantConfigPlanner {
	s := tenantConfigSchemaV0()
	return &tenantConfigPlanner{provider: p, schema: s, typ: s.Type().TerraformType(context.Background()), attrs: attributeTypes(s.Type())}
}

// defaults are the values of the optional arguments that have one, applied
// when the configuration leaves them unset (as the schema's Default does).
var defaults = map[string]func(m *tenantConfigModelV0){
	"environment":     func(m *tenantConfigModelV0) { m.Environment = types.StringValue(defaultEnvironment) },
	"timezone":        func(m *tenantConfigModelV0) { m.Timezone = types.StringValue("UTC") },
	"allow_downgrade": func(m *tenantConfigModelV0) { m.AllowDowngrade = types.BoolValue(false) },
}

func (pl *tenantConfigPlanner) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp := &tfprotov6.PlanResourceChangeResponse{PlannedPrivate: req.PriorPrivate, PlannedIdentity: req.PriorIdentity}
	var diags diag.Diagnostics
	proposed, config, prior := decodeValue(req.ProposedNewState, pl.typ, &diags), decodeValue(req.Config, pl.typ, &diags), decodeValue(req.PriorState, pl.typ, &diags)
	if diags.HasError() {
		resp.Diagnostics = toProtoDiagnostics(diags)
		return resp, nil
	}
	if proposed.IsNull() {
		resp.PlannedState = req.ProposedNewState // destroy: never needs the catalog
		return resp, nil
	}
	ctx = tflog.NewSubsystem(ctx, logSubsystem)
	var m tenantConfigModelV0
	diags.Append(readModel(ctx, pl.attrs, proposed, &m)...)
	var cfg map[string]tftypes.Value
	if err := config.As(&cfg); err != nil {
		diags.AddError("Invalid configuration", err.Error()+". This is a bug in the provider.")
	}
	var old *tenantConfigModelV0
	if !prior.IsNull() {
		old = &tenantConfigModelV0{}
		diags.Append(readModel(ctx, pl.attrs, prior, old)...)
	}
	if diags.HasError() {
		resp.Diagnostics = toProtoDiagnostics(diags)
		return resp, nil
	}
	for name, set := range defaults {
		if cfg[name].IsNull() {
			set(&m)
		}
	}
	r := &tenantConfigResource{data: pl.provider.configured.Load()}
	computed := r.plan(ctx, &m, cfg["region"].IsNull(), old, proposed.Equal(prior), &diags)
	resp.Diagnostics = toProtoDiagnostics(diags)
	if diags.HasError() {
		return resp, nil
	}
	if !computed { // the plan keeps the state
		resp.PlannedState = req.ProposedNewState
		return resp, nil
	}
	if old != nil && !old.TenantID.Equal(m.TenantID) {
		resp.RequiresReplace = []*tftypes.AttributePath{tftypes.NewAttributePath().WithAttributeName("tenant_id")}
	}
	v, err := m.terraformValue(ctx, pl.typ)
	if err == nil {
		var dv tfprotov6.DynamicValue
		if dv, err = tfprotov6.NewDynamicValue(pl.typ, v); err == nil {
			resp.PlannedState = &dv
		}
	}
	if err != nil {
		diags.AddError("Cannot encode the plan", err.Error()+". This is a bug in the provider.")
	}
	resp.Diagnostics = toProtoDiagnostics(diags)
	return resp, nil
}

// decodeValue decodes a request's value of type typ; a missing one is null.
func decodeValue(dv *tfprotov6.DynamicValue, typ tftypes.Type, diags *diag.Diagnostics) tftypes.Value {
	if dv == nil {
		return tftypes.NewValue(typ, nil)
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		diags.AddError("Invalid value from Terraform", err.Error()+". This is a bug in the provider or in Terraform.")
		return tftypes.NewValue(typ, nil)
	}
	return v
}

// toProtoDiagnostics converts diagnostics for the protocol, with the path of
// each attribute diagnostic.
func toProtoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityError, Summary: d.Summary(), Detail: d.Detail()}
		if d.Severity() == diag.SeverityWarning {
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		}
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = toTerraformPath(wp.Path())
		}
		out = append(out, pd)
	}
	return out
}

func toTerraformPath(p path.Path) *tftypes.AttributePath {
	tp := tftypes.NewAttributePath()
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			tp = tp.WithAttributeName(string(s))
		case path.PathStepElementKeyString:
			tp = tp.WithElementKeyString(string(s))
		case path.PathStepElementKeyInt:
			tp = tp.WithElementKeyInt(int(s))
		case path.PathStepElementKeyValue: // a set's element
			if v, err := s.ToTerraformValue(context.Background()); err == nil {
				tp = tp.WithElementKeyValue(v)
			}
		}
	}
	return tp
}
