package provider

import (
	"context"
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

func number(t *testing.T, text string) tftypes.Value {
	t.Helper()
	f, _, err := big.ParseFloat(text, 10, 512, big.ToNearestEven)
	if err != nil {
		t.Fatal(err)
	}
	return tftypes.NewValue(tftypes.Number, f)
}

// Numbers keep the value written: whole numbers beyond int64 and decimals a
// float64 cannot hold come through as their decimal text; a number that no
// YAML reader could hold is refused with its path.
func TestToTreeNumbers(t *testing.T) {
	for text, want := range map[string]any{
		"12":                        int64(12),
		"0.1":                       0.1,
		"0.25":                      0.25,
		"12345678901234567890":      json.Number("12345678901234567890"),
		"0.12345678901234567890123": json.Number("0.12345678901234567890123"),
		"-9223372036854775808":      int64(-9223372036854775808),
	} {
		got, err := toTree(tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"n": tftypes.Number}},
			map[string]tftypes.Value{"n": number(t, text)}))
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if n := got.(map[string]any)["n"]; n != want {
			t.Errorf("%s became %#v (%T), want %#v", text, n, n, want)
		}
	}
	// Integers and fractions alike: 1e400 is refused as 1e-400 is, not kept
	// as a 401-digit integer.
	for _, text := range []string{"1e-400", "1e400", "-1e400", "1.5e309"} {
		_, err := toTree(tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"tiny": tftypes.Number}},
			map[string]tftypes.Value{"tiny": number(t, text)}))
		if err == nil || !strings.Contains(err.Error(), "tiny") || !strings.Contains(err.Error(), "does not fit a 64-bit float") {
			t.Errorf("%s: error %v, want one naming tiny and the range", text, err)
		}
	}
}

// The size limit holds while converting: a list far over it is refused at
// once, before its items are converted.
func TestToTreeLimits(t *testing.T) {
	items := make([]tftypes.Value, 100_000)
	for i := range items {
		items[i] = tftypes.NewValue(tftypes.String, "x")
	}
	list := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, items)
	v := tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"custom": list.Type()}},
		map[string]tftypes.Value{"custom": list})
	start := time.Now()
	_, err := toTree(v)
	if err == nil || !strings.Contains(err.Error(), "custom") || !strings.Contains(err.Error(), "at most "+strconv.Itoa(render.MaxOverrideNodes)) {
		t.Fatalf("error %v, want the limit at custom", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refusing took %s", d)
	}
	deep := tftypes.NewValue(tftypes.String, "x")
	for range render.MaxOverrideDepth + 2 {
		deep = tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": deep.Type()}}, map[string]tftypes.Value{"a": deep})
	}
	if _, err := toTree(deep); err == nil || !strings.Contains(err.Error(), "deeper than 32") {
		t.Errorf("deep overrides: error %v", err)
	}
}

// A null inside variables or regulations is an error on that attribute.
func TestNullElements(t *testing.T) {
	var diags diag.Diagnostics
	vars := types.MapValueMust(types.StringType, map[string]attr.Value{"TEAM": types.StringNull(), "OK": types.StringValue("x")})
	got := stringMap(vars, "variables", &diags)
	if got["OK"] != "x" || diags.ErrorsCount() != 1 || !strings.Contains(diags[0].Summary(), "variables TEAM is null") {
		t.Errorf("variables: %v, %v", got, diags)
	}
	diags = nil
	regs := types.SetValueMust(types.StringType, []attr.Value{types.StringNull(), types.StringValue("GDPR")})
	if got := stringSet(regs, "regulations", &diags); len(got) != 1 || diags.ErrorsCount() != 1 {
		t.Errorf("regulations: %v, %v", got, diags)
	}
}

// Each argument a problem can name is an attribute of the resource: the
// provider points at it without reading the problem's text.
func TestProblemFieldsAreAttributes(t *testing.T) {
	var resp resource.SchemaResponse
	newTenantConfigResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	for _, f := range render.Fields {
		a, ok := resp.Schema.Attributes[string(f)]
		if !ok || !a.IsOptional() && !a.IsRequired() {
			t.Errorf("problems about %s point at no argument of tenant_config", f)
		}
		if got := problemPath(render.Problem{Field: f}).String(); got != string(f) {
			t.Errorf("a problem about %s points at %s", f, got)
		}
	}
	if got := problemPath(render.Problem{Field: render.FieldVariables, Path: "TEAM"}).String(); got != `variables["TEAM"]` {
		t.Errorf("a variable's problem points at %s", got)
	}
}
