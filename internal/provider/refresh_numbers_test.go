package provider

import (
	"context"
	"math/big"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
)

// numbersAsText keeps the value and writes every number as the text that a
// state file holds.
func TestNumbersAsText(t *testing.T) {
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"int": tftypes.Number, "neg": tftypes.Number, "float": tftypes.Number, "tenth": tftypes.Number,
		"huge": tftypes.Number, "null": tftypes.Number, "name": tftypes.String, "on": tftypes.Bool,
		"list": tftypes.List{ElementType: tftypes.Number}, "dyn": tftypes.DynamicPseudoType,
	}}
	huge, _, _ := big.ParseFloat("12345678901234567890.5", 10, 512, big.ToNearestEven)
	val := tftypes.NewValue(typ, map[string]tftypes.Value{
		"int":   tftypes.NewValue(tftypes.Number, 1000),
		"neg":   tftypes.NewValue(tftypes.Number, -3),
		"float": tftypes.NewValue(tftypes.Number, 0.25),
		"tenth": tftypes.NewValue(tftypes.Number, 0.1),
		"huge":  tftypes.NewValue(tftypes.Number, huge),
		"null":  tftypes.NewValue(tftypes.Number, nil),
		"name":  tftypes.NewValue(tftypes.String, "acme"),
		"on":    tftypes.NewValue(tftypes.Bool, true),
		"list":  tftypes.NewValue(tftypes.List{ElementType: tftypes.Number}, []tftypes.Value{tftypes.NewValue(tftypes.Number, 5)}),
		"dyn": tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"n": tftypes.Number}},
			map[string]tftypes.Value{"n": tftypes.NewValue(tftypes.Number, 90)}),
	})
	dv, err := tfprotov6.NewDynamicValue(typ, val)
	if err != nil {
		t.Fatal(err)
	}
	text, err := numbersAsText(dv.MsgPack)
	if err != nil {
		t.Fatal(err)
	}
	back, err := (&tfprotov6.DynamicValue{MsgPack: text}).Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	// The same value, each number now the number its text says (as
	// Terraform reads a state file): 0.1 is the decimal 0.1, no longer the
	// float64 nearest to it.
	tenth, _, _ := big.ParseFloat("0.1", 10, 512, big.ToNearestEven)
	want, err := tftypes.Transform(val, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if p.Equal(tftypes.NewAttributePath().WithAttributeName("tenth")) {
			return tftypes.NewValue(tftypes.Number, tenth), nil
		}
		return v, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(want) {
		t.Errorf("the value changed:\n got %s\nwant %s", back, want)
	}
	// Every number is text, as a state file writes it.
	var plain map[string]any
	if err := msgpack.Unmarshal(text, &plain); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{
		"int": "1000", "neg": "-3", "float": "0.25", "tenth": "0.1", "huge": "12345678901234567890.5",
		"null": nil, "name": "acme", "on": true,
	} {
		if plain[k] != want {
			t.Errorf("%s: got %#v, want %#v", k, plain[k], want)
		}
	}
	if l, _ := plain["list"].([]any); len(l) != 1 || l[0] != "5" {
		t.Errorf("list: got %#v, want [\"5\"]", plain["list"])
	}
	if d, _ := plain["dyn"].([]any); len(d) != 2 || !reflect.DeepEqual(d[1], map[string]any{"n": "90"}) {
		t.Errorf("dyn: got %#v, want [type, {n: \"90\"}]", plain["dyn"])
	}
	for _, bad := range [][]byte{{0xc1}, {0x92, 0x01}, {}} {
		if _, err := numbersAsText(bad); err == nil {
			t.Errorf("numbersAsText(%x) accepted malformed data", bad)
		}
	}
}

// The served provider's ReadResource answers what the framework answers (the
// same value, private state and diagnostics) with every number of the new
// state as text. The framework's own answer carries numbers in binary, which
// Terraform 1.10 to 1.14 count as drift (withNumbersAsText): should it ever
// write them as text itself, withNumbersAsText is no longer needed.
func TestReadResourceWritesNumbersAsText(t *testing.T) {
	ctx := context.Background()
	fw := configuredServer(t, providerserver.NewProtocol6(testProvider())())
	ours := configuredServer(t, newProtocol6Server(testProvider)())
	typ := tenantConfigSchema().Type().TerraformType(ctx)
	dyn := func(v tftypes.Value) *tfprotov6.DynamicValue {
		dv, err := tfprotov6.NewDynamicValue(typ, v)
		if err != nil {
			t.Fatal(err)
		}
		return &dv
	}
	obj := func(attrs map[string]tftypes.Value) tftypes.Value {
		types := map[string]tftypes.Type{}
		for k, v := range attrs {
			types[k] = v.Type()
		}
		return tftypes.NewValue(tftypes.Object{AttributeTypes: types}, attrs)
	}
	num := func(v any) tftypes.Value { return tftypes.NewValue(tftypes.Number, v) }
	huge, _, _ := big.ParseFloat("12345678901234567890", 10, 512, big.ToNearestEven)
	overrides := obj(map[string]tftypes.Value{
		"databases":  obj(map[string]tftypes.Value{"redis": obj(map[string]tftypes.Value{"resources": obj(map[string]tftypes.Value{"memory_gb": num(0.5)})})}),
		"monitoring": obj(map[string]tftypes.Value{"alerts": obj(map[string]tftypes.Value{"storage_threshold": num(85.5)})}),
		"custom":     obj(map[string]tftypes.Value{"count": num(1000), "negative": num(-3), "tenth": num(0.1), "huge": num(huge)}),
	})
	config := resourceValue(typ, map[string]tftypes.Value{
		"tenant_id": str("acme"), "tenant_name": str("Acme"), "tier": str("standard"), "overrides": overrides,
	})
	planned, err := ours.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: "tenant_config", Config: dyn(config), PriorState: dyn(tftypes.NewValue(typ, nil)), ProposedNewState: dyn(config),
	})
	if err != nil || planned.PlannedState == nil {
		t.Fatalf("plan: %v %v", err, planned.Diagnostics)
	}
	// The state after apply: the plan, with created_at set.
	pv, err := planned.PlannedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := pv.As(&attrs); err != nil {
		t.Fatal(err)
	}
	attrs["created_at"] = str(testCreatedAt)
	for name, v := range attrs {
		if !v.IsFullyKnown() {
			t.Fatalf("%s is unknown in the plan", name)
		}
	}
	// As Terraform sends it: read from the state file, each number from its
	// decimal text.
	text, err := numbersAsText(dyn(tftypes.NewValue(typ, attrs)).MsgPack)
	if err != nil {
		t.Fatal(err)
	}
	state, err := (&tfprotov6.DynamicValue{MsgPack: text}).Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}

	read := func(srv tfprotov6.ProviderServer) (*tfprotov6.ReadResourceResponse, tftypes.Value) {
		resp, err := srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
			TypeName: "tenant_config", CurrentState: dyn(state), Private: []byte(`{"k":"eyJ2IjoxfQ=="}`),
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range resp.Diagnostics {
			t.Errorf("read: %s: %s", d.Summary, d.Detail)
		}
		if resp.NewState == nil {
			t.Fatal("read: no new state")
		}
		v, err := resp.NewState.Unmarshal(typ)
		if err != nil {
			t.Fatal(err)
		}
		return resp, v
	}
	fwResp, fwState := read(fw)
	ourResp, ourState := read(ours)
	if !ourState.Equal(fwState) || !ourState.Equal(state) {
		t.Errorf("ReadResource changed the state:\n got %s\nwant %s", ourState, fwState)
	}
	if !reflect.DeepEqual(ourResp.Private, fwResp.Private) {
		t.Errorf("private state: got %q, want %q", ourResp.Private, fwResp.Private)
	}
	if n := binaryNumbers(t, fwResp.NewState.MsgPack); n == 0 {
		t.Error("the framework's ReadResource writes no number in binary: withNumbersAsText (refresh_numbers.go) can go")
	}
	if n := binaryNumbers(t, ourResp.NewState.MsgPack); n > 0 {
		t.Errorf("the served ReadResource writes %d numbers in binary, which Terraform 1.10 to 1.14 count as drift", n)
	}
}

// binaryNumbers counts the numbers that a MessagePack value holds as
// integers or floats.
func binaryNumbers(t *testing.T, data []byte) int {
	t.Helper()
	var v any
	if err := msgpack.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var count func(any) int
	count = func(v any) int {
		switch v := v.(type) {
		case int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64:
			return 1
		case []any:
			n := 0
			for _, e := range v {
				n += count(e)
			}
			return n
		case map[string]any:
			n := 0
			for _, e := range v {
				n += count(e)
			}
			return n
		}
		return 0
	}
	return count(v)
}

// configuredServer returns srv configured with the provider's defaults: every
// argument and block of the provider null.
func configuredServer(t *testing.T, srv tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	t.Helper()
	ctx := context.Background()
	sch, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := sch.Provider.ValueType()
	cfg, err := tfprotov6.NewDynamicValue(typ, resourceValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatal(err, resp.Diagnostics)
	}
	return srv
}

// resourceValue builds an object value of typ: the given attributes, every
// other one null.
func resourceValue(typ tftypes.Type, attrs map[string]tftypes.Value) tftypes.Value {
	obj, _ := typ.(tftypes.Object)
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
