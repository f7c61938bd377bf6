package provider

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// configuredServer returns a server configured with the provider's defaults.
func configuredServer(t *testing.T, srv tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	t.Helper()
	ctx := context.Background()
	sch, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := sch.Provider.ValueType()
	// Every argument and block null.
	attrs := map[string]tftypes.Value{}
	if obj, ok := typ.(tftypes.Object); ok {
		for name, at := range obj.AttributeTypes {
			attrs[name] = tftypes.NewValue(at, nil)
		}
	}
	cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatal(err, resp.Diagnostics)
	}
	return srv
}

// resourceValue builds a tenant_config value: the given attributes, every
// other one null.
func resourceValue(typ tftypes.Type, attrs map[string]tftypes.Value) tftypes.Value {
	obj := typ.(tftypes.Object) //nolint:forcetypeassert // a resource type is an object
	vals := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := attrs[name]; ok {
			vals[name] = v
		}
	}
	return tftypes.NewValue(typ, vals)
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// The planner answers exactly what the framework's plan pipeline answers with
// ModifyPlan, for creates, updates, migrations, replacements, destroys,
// unknown inputs and errors: the same planned state, replacements and
// diagnostics.
func TestPlannerAgreesWithTheFramework(t *testing.T) {
	ctx := context.Background()
	p := &tenantProvider{version: "test", clock: testClock}
	fw := configuredServer(t, providerserver.NewProtocol6(p)())
	ours := configuredServer(t, newProtocol6Server(testProvider)())
	typ := tenantConfigSchemaV0().Type().TerraformType(ctx)
	dyn := func(v tftypes.Value) *tfprotov6.DynamicValue {
		dv, err := tfprotov6.NewDynamicValue(typ, v)
		if err != nil {
			t.Fatal(err)
		}
		return &dv
	}
	overrides := tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"monitoring": tftypes.Object{AttributeTypes: map[string]tftypes.Type{"level": tftypes.String}}}},
		map[string]tftypes.Value{"monitoring": tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"level": tftypes.String}}, map[string]tftypes.Value{"level": str("premium")})})
	base := func(tier string, extra map[string]tftypes.Value) map[string]tftypes.Value {
		m := map[string]tftypes.Value{"tenant_id": str("acme"), "tenant_name": str("Acme"), "tier": str(tier)}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	plan := func(srv tfprotov6.ProviderServer, config, prior tftypes.Value, proposed tftypes.Value) *tfprotov6.PlanResourceChangeResponse {
		resp, err := srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: "tenant_config", Config: dyn(config), PriorState: dyn(prior), ProposedNewState: dyn(proposed),
		})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	// proposedNew is the proposed new state as Terraform makes it: the
	// configuration, with the prior value of each computed attribute the
	// configuration leaves null.
	proposedNew := func(config, prior tftypes.Value) tftypes.Value {
		if prior.IsNull() {
			return config
		}
		var c, pr map[string]tftypes.Value
		_ = config.As(&c)
		_ = prior.As(&pr)
		for name, a := range tenantConfigSchemaV0().Attributes {
			if a.IsComputed() && c[name].IsNull() {
				c[name] = pr[name]
			}
		}
		return tftypes.NewValue(typ, c)
	}
	applied := func(planned *tfprotov6.DynamicValue) tftypes.Value {
		v, _ := planned.Unmarshal(typ)
		var m map[string]tftypes.Value
		_ = v.As(&m)
		m["created_at"] = str(testCreatedAt)
		if !m["encrypted_yaml"].IsKnown() {
			m["encrypted_yaml"] = tftypes.NewValue(tftypes.String, nil)
		}
		return tftypes.NewValue(typ, m)
	}
	null := tftypes.NewValue(typ, nil)

	created := plan(fw, resourceValue(typ, base("free", nil)), null, resourceValue(typ, base("free", nil)))
	if created.PlannedState == nil {
		t.Fatalf("the framework's plan failed: %v", created.Diagnostics)
	}
	prior := applied(created.PlannedState)
	for _, tc := range []struct {
		name   string
		config map[string]tftypes.Value
		prior  tftypes.Value
	}{
		{"create", base("free", nil), null},
		{"create with arguments", base("premium", map[string]tftypes.Value{
			"overrides": overrides, "region": str("eu-west-1"), "environment": str("staging"),
			"regulations": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("GDPR")}),
			"variables":   tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"TEAM": str("x")}),
		}), null},
		{"create with an unknown input", base("free", map[string]tftypes.Value{"tenant_name": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)}), null},
		{"create with an error", base("gold", nil), null},
		{"no change", base("free", nil), prior},
		{"upgrade", base("standard", nil), prior},
		{"replacement", map[string]tftypes.Value{"tenant_id": str("other"), "tenant_name": str("Acme"), "tier": str("free")}, prior},
		{"downgrade refused", base("free", nil), applied(plan(fw, resourceValue(typ, base("premium", nil)), null, resourceValue(typ, base("premium", nil))).PlannedState)},
		{"downgrade allowed", base("free", map[string]tftypes.Value{"allow_downgrade": tftypes.NewValue(tftypes.Bool, true)}),
			applied(plan(fw, resourceValue(typ, base("premium", nil)), null, resourceValue(typ, base("premium", nil))).PlannedState)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			config := resourceValue(typ, tc.config)
			proposed := proposedNew(config, tc.prior)
			want, got := plan(fw, config, tc.prior, proposed), plan(ours, config, tc.prior, proposed)
			comparePlans(t, typ, want, got)
		})
	}
	t.Run("destroy", func(t *testing.T) {
		comparePlans(t, typ, plan(fw, null, prior, null), plan(ours, null, prior, null))
	})
}

func comparePlans(t *testing.T, typ tftypes.Type, want, got *tfprotov6.PlanResourceChangeResponse) {
	t.Helper()
	describe := func(ds []*tfprotov6.Diagnostic) []string {
		var out []string
		for _, d := range ds {
			out = append(out, fmt.Sprintf("%s %s: %s (%s)", d.Severity, d.Summary, d.Detail, d.Attribute))
		}
		slices.Sort(out)
		return out
	}
	if w, g := describe(want.Diagnostics), describe(got.Diagnostics); !slices.Equal(w, g) {
		t.Errorf("diagnostics differ:\nframework %q\nplanner   %q", w, g)
	}
	for _, d := range want.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return // Terraform discards the planned state of a failed plan
		}
	}
	if (want.PlannedState == nil) != (got.PlannedState == nil) {
		t.Fatalf("planned state: framework %v, planner %v", want.PlannedState != nil, got.PlannedState != nil)
	}
	if want.PlannedState != nil {
		w, _ := want.PlannedState.Unmarshal(typ)
		g, _ := got.PlannedState.Unmarshal(typ)
		if !w.Equal(g) {
			diffs, _ := w.Diff(g)
			for _, d := range diffs {
				t.Errorf("planned state differs at %s: framework %v, planner %v", d.Path, d.Value1, d.Value2)
			}
		}
	}
	if fmt.Sprint(want.RequiresReplace) != fmt.Sprint(got.RequiresReplace) {
		t.Errorf("replacement: framework %v, planner %v", want.RequiresReplace, got.RequiresReplace)
	}
}

// readModel reads a value as the framework's Get does, for a planned state
// with every attribute set and for one with unknown and null attributes.
func TestReadModelAgreesWithGet(t *testing.T) {
	ctx := context.Background()
	srv := configuredServer(t, newProtocol6Server(testProvider)())
	s := tenantConfigSchemaV0()
	typ := s.Type().TerraformType(ctx)
	config := resourceValue(typ, map[string]tftypes.Value{
		"tenant_id": str("acme"), "tenant_name": str("Acme"), "tier": str("enterprise"),
		"regulations": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("GDPR")}),
		"variables":   tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"TEAM": str("x")}),
	})
	dv, err := tfprotov6.NewDynamicValue(typ, config)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: "tenant_config", Config: &dv, ProposedNewState: &dv})
	if err != nil || resp.PlannedState == nil {
		t.Fatal(err, resp.Diagnostics)
	}
	planned, err := resp.PlannedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]tftypes.Value{"planned": planned, "configuration": config} {
		var want, got tenantConfigModelV0
		if d := (tfsdk.Plan{Schema: s, Raw: v}).Get(ctx, &want); d.HasError() {
			t.Fatal(d)
		}
		if d := readModel(ctx, attributeTypes(s.Type()), v, &got); d.HasError() {
			t.Fatal(d)
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s: readModel differs from Get:\nGet       %+v\nreadModel %+v", name, want, got)
		}
		back, err := got.terraformValue(ctx, typ)
		if err != nil || !back.Equal(v) {
			t.Errorf("%s: the model does not convert back to the value it was read from (%v)", name, err)
		}
	}
}
