package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// BenchmarkPlanTenantConfig measures what the provider does for one
// tenant_config in `terraform plan`: ValidateResourceConfig, then
// PlanResourceChange of a create, through the protocol server as Terraform
// calls it (msgpack values in and out; served as main serves it). The tenant
// is a premium one with overrides.
func BenchmarkPlanTenantConfig(b *testing.B) {
	ctx := context.Background()
	srv, err := protocol6ServerWithError(testProvider)()
	if err != nil {
		b.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemas.Diagnostics) > 0 {
		b.Fatal(err, schemas.Diagnostics)
	}
	providerType := schemas.Provider.ValueType()
	providerConfig := dynamic(b, providerType, resourceValue(providerType, map[string]tftypes.Value{
		"default_region": tftypes.NewValue(tftypes.String, "eu-west-1"),
	}))
	conf, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: providerConfig})
	if err != nil || len(conf.Diagnostics) > 0 {
		b.Fatal(err, conf.Diagnostics)
	}

	typ := schemas.ResourceSchemas["tenant_config"].ValueType()
	objType, ok := typ.(tftypes.Object)
	if !ok {
		b.Fatalf("tenant_config has type %s", typ)
	}
	overridesType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"monitoring": tftypes.Object{AttributeTypes: map[string]tftypes.Type{
			"alerts": tftypes.Object{AttributeTypes: map[string]tftypes.Type{"storage_threshold": tftypes.Number}},
		}},
		"custom": tftypes.Object{AttributeTypes: map[string]tftypes.Type{"cost_center": tftypes.String}},
	}}
	set := map[string]tftypes.Value{
		"tenant_id":   tftypes.NewValue(tftypes.String, "acme"),
		"tenant_name": tftypes.NewValue(tftypes.String, "Acme Corp"),
		"tier":        tftypes.NewValue(tftypes.String, "premium"),
		"overrides": tftypes.NewValue(overridesType, map[string]tftypes.Value{
			"monitoring": tftypes.NewValue(overridesType.AttributeTypes["monitoring"], map[string]tftypes.Value{
				"alerts": tftypes.NewValue(overridesType.AttributeTypes["monitoring"].(tftypes.Object).AttributeTypes["alerts"], map[string]tftypes.Value{
					"storage_threshold": tftypes.NewValue(tftypes.Number, 85),
				}),
			}),
			"custom": tftypes.NewValue(overridesType.AttributeTypes["custom"], map[string]tftypes.Value{
				"cost_center": tftypes.NewValue(tftypes.String, "cc-4711"),
			}),
		}),
	}
	attrs := make(map[string]tftypes.Value, len(objType.AttributeTypes))
	for name, t := range objType.AttributeTypes {
		if v, ok := set[name]; ok {
			attrs[name] = v
		} else {
			attrs[name] = tftypes.NewValue(t, nil)
		}
	}
	config := dynamic(b, typ, tftypes.NewValue(typ, attrs))
	prior := dynamic(b, typ, tftypes.NewValue(typ, nil))

	b.ReportAllocs()
	for b.Loop() {
		v, err := srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "tenant_config", Config: config})
		if err != nil || len(v.Diagnostics) > 0 {
			b.Fatal(err, v.Diagnostics)
		}
		p, err := srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: "tenant_config", Config: config, PriorState: prior, ProposedNewState: config,
		})
		if err != nil || len(p.Diagnostics) > 0 {
			b.Fatal(err, p.Diagnostics)
		}
	}
}

func dynamic(b *testing.B, typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	b.Helper()
	d, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		b.Fatal(err)
	}
	return &d
}
