package provider

import (
	"math/big"
	"reflect"
	"testing"

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
