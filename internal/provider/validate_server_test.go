package provider

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The validator answers exactly what the framework answers for valid
// configurations, unknown inputs and every kind of invalid one: the same
// diagnostics, with the same attribute paths.
func TestValidatorAgreesWithTheFramework(t *testing.T) {
	ctx := context.Background()
	fw := providerserver.NewProtocol6(&tenantProvider{version: "test", clock: testClock})()
	ours := newProtocol6Server(testProvider)()
	typ := tenantConfigSchemaV0().Type().TerraformType(ctx)
	unknown := func(t tftypes.Type) tftypes.Value { return tftypes.NewValue(t, tftypes.UnknownValue) }
	strings := func(kind string, vs ...string) tftypes.Value {
		elems := make([]tftypes.Value, len(vs))
		for i, s := range vs {
			elems[i] = str(s)
		}
		if kind == "set" {
			return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, elems)
		}
		return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, elems)
	}
	object := func(name string, v tftypes.Value) tftypes.Value {
		return tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{name: v.Type()}}, map[string]tftypes.Value{name: v})
	}
	valid := map[string]tftypes.Value{"tenant_id": str("acme"), "tenant_name": str("Acme"), "tier": str("free")}
	with := func(k string, v tftypes.Value) map[string]tftypes.Value {
		m := map[string]tftypes.Value{}
		for name, x := range valid {
			m[name] = x
		}
		m[k] = v
		return m
	}
	cases := []struct {
		name   string
		config map[string]tftypes.Value
		errors int // what the framework is expected to report, so that a case tests what it says
	}{
		{"valid", valid, 0},
		{"every argument", map[string]tftypes.Value{
			"tenant_id": str("acme_corp"), "tenant_name": str("Acme Corp"), "tier": str("premium"), "environment": str("staging"),
			"region": str("eu-west-1"), "timezone": str("Europe/Berlin"), "allow_downgrade": tftypes.NewValue(tftypes.Bool, true),
			"overrides":   object("monitoring", object("level", str("premium"))),
			"variables":   tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"TEAM": str("x")}),
			"regulations": strings("set", "GDPR", "SOX"),
			"encrypt_to":  strings("list", "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"),
		}, 0},
		{"unknown inputs", map[string]tftypes.Value{
			"tenant_id": unknown(tftypes.String), "tenant_name": unknown(tftypes.String), "tier": unknown(tftypes.String),
			"timezone": unknown(tftypes.String), "overrides": unknown(tftypes.DynamicPseudoType),
			"regulations": unknown(tftypes.Set{ElementType: tftypes.String}), "encrypt_to": unknown(tftypes.List{ElementType: tftypes.String}),
		}, 0},
		{"bad tenant_id", with("tenant_id", str("Acme-Corp")), 1},
		{"bad tenant_name", with("tenant_name", str("a\x00b")), 1},
		{"empty tier", with("tier", str("")), 1},
		{"missing tenant_name", with("tenant_name", tftypes.NewValue(tftypes.String, nil)), 1},
		{"bad timezone", with("timezone", str("Mars/Olympus")), 1},
		{"overrides not an object", with("overrides", str("x")), 1},
		{"unknown override key", with("overrides", object("monitorng", object("level", str("x")))), 1},
		{"bad regulation", with("regulations", strings("set", "GDPR", "FOO")), 1},
		{"bad recipient", with("encrypt_to", strings("list", "age1nope")), 1},
		{"read-only attribute set", with("rendered_yaml", str("x")), 1},
		{"several errors", map[string]tftypes.Value{"tenant_id": str("X"), "tenant_name": str(""), "tier": str(""), "regulations": strings("set", "FOO")}, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dv, err := tfprotov6.NewDynamicValue(typ, resourceValue(typ, tc.config))
			if err != nil {
				t.Fatal(err)
			}
			validate := func(srv tfprotov6.ProviderServer) []string {
				resp, err := srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "tenant_config", Config: &dv})
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, d := range resp.Diagnostics {
					out = append(out, fmt.Sprintf("%s %s: %s (%s)", d.Severity, d.Summary, d.Detail, d.Attribute))
				}
				slices.Sort(out)
				return out
			}
			want, got := validate(fw), validate(ours)
			if len(want) != tc.errors {
				t.Errorf("the framework reports %d diagnostics, the case expects %d: %q", len(want), tc.errors, want)
			}
			if !slices.Equal(want, got) {
				t.Errorf("diagnostics differ:\nframework %q\nvalidator %q", want, got)
			}
		})
	}
}

// The validator handles every kind of attribute and validator that
// tenant_config's schema has: an attribute of another kind with validators,
// a write-only or a deprecated one, would be checked by the framework and
// not by it.
func TestValidatorCoversTheSchema(t *testing.T) {
	for name, a := range tenantConfigSchemaV0().Attributes {
		if a.IsWriteOnly() || a.GetDeprecationMessage() != "" {
			t.Errorf("%s is write-only or deprecated: teach tenantConfigValidator the framework's checks for it", name)
		}
		switch a := a.(type) {
		case schema.StringAttribute, schema.SetAttribute, schema.ListAttribute:
		case schema.MapAttribute:
			if len(a.Validators) > 0 {
				t.Errorf("%s has map validators: teach tenantConfigValidator to call them", name)
			}
		case schema.BoolAttribute:
			if len(a.Validators) > 0 {
				t.Errorf("%s has bool validators: teach tenantConfigValidator to call them", name)
			}
		case schema.DynamicAttribute:
			if len(a.Validators) > 0 {
				t.Errorf("%s has dynamic validators: teach tenantConfigValidator to call them", name)
			}
		case schema.SingleNestedAttribute, schema.MapNestedAttribute:
			if !a.IsComputed() || a.IsOptional() {
				t.Errorf("%s is a nested attribute the configuration may set: teach tenantConfigValidator its nested checks", name)
			}
		default:
			t.Errorf("%s is a %T: teach tenantConfigValidator its checks", name, a)
		}
	}
}
