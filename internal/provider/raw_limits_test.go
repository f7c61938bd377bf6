package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

// rawConfig encodes a tenant_config configuration as Terraform sends it.
func rawConfig(t *testing.T, attrs map[string]tftypes.Value) []byte {
	t.Helper()
	sch, err := newProtocol6Server(testProvider)().GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := sch.ResourceSchemas["tenant_config"].ValueType()
	dv, err := tfprotov6.NewDynamicValue(typ, resourceValue(typ, attrs))
	if err != nil {
		t.Fatal(err)
	}
	return dv.MsgPack
}

// object builds an object value of n keys whose values value(i) makes.
func object(n int, value func(i int) tftypes.Value) tftypes.Value {
	types := make(map[string]tftypes.Type, n)
	vals := make(map[string]tftypes.Value, n)
	for i := range n {
		k := fmt.Sprintf("k%d", i)
		vals[k] = value(i)
		types[k] = vals[k].Type()
	}
	return tftypes.NewValue(tftypes.Object{AttributeTypes: types}, vals)
}

func rawStringMap(n, size int) tftypes.Value {
	vals := make(map[string]tftypes.Value, n)
	for i := range n {
		vals[fmt.Sprintf("V%d", i)] = tftypes.NewValue(tftypes.String, strings.Repeat("v", size))
	}
	return tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, vals)
}

// A configuration at every limit of render passes the check before decoding;
// one far over them is refused in milliseconds, before it is decoded.
func TestOversizedConfig(t *testing.T) {
	base := map[string]tftypes.Value{"tenant_id": str("big"), "tenant_name": str("Big"), "tier": str("premium")}
	with := func(extra map[string]tftypes.Value) map[string]tftypes.Value {
		out := map[string]tftypes.Value{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	custom := func(v tftypes.Value) tftypes.Value { return object(1, func(int) tftypes.Value { return v }) }
	atLimits := with(map[string]tftypes.Value{
		"overrides":           custom(object(render.MaxOverrideNodes-10, func(i int) tftypes.Value { return tftypes.NewValue(tftypes.Number, i) })),
		"sensitive_overrides": custom(object(render.MaxOverrideNodes-10, func(i int) tftypes.Value { return tftypes.NewValue(tftypes.String, "s") })),
		"variables":           rawStringMap(render.MaxVariables, 100),
		"sensitive_variables": rawStringMap(render.MaxVariables, 100),
	})
	if why, _ := oversizedConfig(rawConfig(t, atLimits)); why != "" {
		t.Errorf("a configuration within render's limits is refused: %s", why)
	}
	if why, _ := oversizedConfig(rawConfig(t, base)); why != "" {
		t.Errorf("a small configuration is refused: %s", why)
	}
	for name, tc := range map[string]struct {
		attrs      map[string]tftypes.Value
		want, attr string
	}{
		"100,000 keys": {with(map[string]tftypes.Value{"overrides": custom(object(100_000, func(i int) tftypes.Value { return tftypes.NewValue(tftypes.Number, i) }))}), "values", "overrides"},
		"100,000 nested keys": {with(map[string]tftypes.Value{"sensitive_overrides": custom(object(100_000, func(i int) tftypes.Value {
			return object(2, func(j int) tftypes.Value { return tftypes.NewValue(tftypes.Bool, true) })
		}))}), "values", "sensitive_overrides"},
		"100,000 variables": {with(map[string]tftypes.Value{"variables": rawStringMap(100_000, 1)}), "values", "variables"},
		"a 10 MB string":    {with(map[string]tftypes.Value{"region": str(strings.Repeat("x", 10<<20))}), "64 KiB", "region"},
	} {
		raw := rawConfig(t, tc.attrs)
		start := time.Now()
		why, attr := oversizedConfig(raw)
		if attr != tc.attr {
			t.Errorf("%s: on %q, want %q", name, attr, tc.attr)
		}
		if took := time.Since(start); took > 100*time.Millisecond {
			t.Errorf("%s: refused after %s", name, took)
		}
		if !strings.Contains(why, tc.want) || !strings.Contains(why, render.LimitsDescription) {
			t.Errorf("%s: %q, want the limits", name, why)
		}
	}
	if d := oversizedConfigDiagnostics("tenant_config", &tfprotov6.DynamicValue{MsgPack: rawConfig(t, with(map[string]tftypes.Value{"variables": rawStringMap(100_000, 1)}))}); len(d) != 1 || d[0].Severity != tfprotov6.DiagnosticSeverityError {
		t.Errorf("diagnostics %v, want one error", d)
	}
	if d := oversizedConfigDiagnostics("tenant_config", &tfprotov6.DynamicValue{MsgPack: rawConfig(t, base)}); d != nil {
		t.Errorf("diagnostics %v for a small configuration", d)
	}
	for _, bad := range [][]byte{{0xc1}, {0xdf, 0xff, 0xff, 0xff, 0xff}, {0xdb, 0, 0, 0, 9, 'x'}} {
		if why, _ := oversizedConfig(bad); why == "" {
			t.Errorf("%x: no error", bad)
		}
	}
}
