package tree

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestBind(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		bound map[string]any // bound first
		later map[string]any // substituted after
	}{
		{"typed value bound", "n: ${N}\n", map[string]any{"N": int64(4)}, nil},
		{"int becomes int64", "n: ${N}\n", map[string]any{"N": 4}, nil},
		{"float in text", "s: x-${F}\n", map[string]any{"F": 0.25}, nil},
		{"partly bound", "s: ${A}_${B}_$${C}\n", map[string]any{"B": "b"}, map[string]any{"A": "a"}},
		{"nothing bound", "s: ${A}\n", map[string]any{"B": "b"}, map[string]any{"A": int64(7)}},
		{"lone placeholder left stays a string", "s: ${EMPTY}${N}\n", map[string]any{"EMPTY": ""}, map[string]any{"N": int64(5)}},
		{"null in text", "s: a${Z}b\n", map[string]any{"Z": nil}, nil},
		{"bool in text", "s: ${B}!\n", map[string]any{"B": true}, nil},
		{"list", "l: ['${A}', 'x${B}', 3]\n", map[string]any{"A": "a"}, map[string]any{"B": "b"}},
		{"map value as a whole", "m: ${M}\n", map[string]any{"M": map[string]any{"k": "${X}"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := parseYAML(t, "t.yml", tt.src)
			all := map[string]any{}
			for k, x := range tt.bound {
				all[k] = x
			}
			for k, x := range tt.later {
				all[k] = x
			}
			want, err := Substitute(v, all)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Substitute(Bind(v, tt.bound), tt.later)
			if err != nil {
				t.Fatal(err)
			}
			if !equalTree(got, want) {
				t.Errorf("Substitute(Bind) = %#v, want %#v", got, want)
			}
		})
	}
}

func TestBindLeavesErrorsToSubstitute(t *testing.T) {
	v := parseYAML(t, "t.yml", "a: x${M}\nb: ${NOPE}\n")
	bound := Bind(v, map[string]any{"M": map[string]any{}})
	_, want := Substitute(v, map[string]any{"M": map[string]any{}})
	_, got := Substitute(bound, map[string]any{"M": map[string]any{}})
	if want == nil || got == nil || got.Error() != want.Error() {
		t.Fatalf("error after Bind = %v, want %v", got, want)
	}
}

func TestBindSharesUntouchedMaps(t *testing.T) {
	v := parseYAML(t, "t.yml", "a: {b: 1}\nc: {d: '${X}'}\n").(map[string]any)
	out := Bind(v, map[string]any{"X": "x"}).(map[string]any)
	if !sameMap(out["a"], v["a"]) {
		t.Error("a map without templates was copied")
	}
	if sameMap(out["c"], v["c"]) {
		t.Error("a map with a bound template was modified in place or not copied")
	}
	if _, still := v["c"].(map[string]any)["d"].(*Template); !still {
		t.Error("Bind modified its input")
	}
}

func TestBaseSubstituteSkipsTemplateFreeMaps(t *testing.T) {
	base := parseYAML(t, "t.yml", "fixed: {a: 1, b: [x, y]}\nvar: {id: '${ID}'}\n")
	b := NewBase(base, nil)
	merged, err := Merge(base, map[string]any{"more": map[string]any{"n": "${ID}-2"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Substitute(merged, map[string]any{"ID": "t1"})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Substitute(merged, map[string]any{"ID": "t1"})
	if !equalTree(got, want) {
		t.Fatalf("Base.Substitute = %#v, want %#v", got, want)
	}
	if !sameMap(got.(map[string]any)["fixed"], base.(map[string]any)["fixed"]) {
		t.Error("the template-free map was not shared")
	}
	// An unknown variable is reported as by Substitute.
	_, err = b.Substitute(merged, map[string]any{})
	_, wantErr := Substitute(merged, map[string]any{})
	if err == nil || err.Error() != wantErr.Error() {
		t.Errorf("error = %v, want %v", err, wantErr)
	}
}

func TestEncodeWith(t *testing.T) {
	shared := map[string]any{"k": "v", "list": []any{int64(1), "two"}}
	ref := map[string]any{"a": shared, "b": map[string]any{"id": "ref"}}
	enc, err := NewEncoded(ref)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := Encode(ref); string(enc.YAML()) != string(want) {
		t.Fatalf("NewEncoded YAML:\n%s\nwant:\n%s", enc.YAML(), want)
	}
	trees := map[string]any{
		"same place":         map[string]any{"a": shared, "b": map[string]any{"id": "other"}},
		"deeper":             map[string]any{"x": map[string]any{"a": shared}},
		"in a list (inline)": map[string]any{"l": []any{shared, shared}},
		"top level":          shared,
		"shared list alone":  map[string]any{"list": shared["list"]},
		"nothing shared":     map[string]any{"a": map[string]any{"k": "v"}},
		"encode error":       map[string]any{"a": shared, "bad": []any{"\xff"}},
	}
	checkEncodeWith(t, trees, enc)
	if got, _ := EncodeWith(ref, nil); got != string(enc.YAML()) {
		t.Error("EncodeWith without a reference differs from Encode")
	}
}

// Maps with the keys of the reference's map at the same place are written
// entry by entry: copied when the value is the same, written anew when not.
func TestEncodeWithSameKeys(t *testing.T) {
	long := strings.Repeat("k", 1100)
	ref := map[string]any{
		"zero": 0.0,
		long:   int64(1),
		"l":    []any{map[string]any{"id": "a", "n": int64(1)}, "x"},
		"m":    map[string]any{"id": "ref", "deep": map[string]any{"x": int64(1)}},
	}
	enc, err := NewEncoded(ref)
	if err != nil {
		t.Fatal(err)
	}
	refL, refM := ref["l"].([]any), ref["m"].(map[string]any)
	trees := map[string]any{
		"negative zero":        map[string]any{"zero": math.Copysign(0, -1), long: int64(1), "l": refL, "m": refM},
		"long key, new value":  map[string]any{"zero": 0.0, long: int64(2), "l": refL, "m": refM},
		"scalar becomes a map": map[string]any{"zero": map[string]any{"a": "b"}, long: int64(1), "l": refL, "m": refM},
		"map becomes a list": map[string]any{"zero": 0.0, long: int64(1), "l": refL,
			"m": map[string]any{"id": "ref", "deep": []any{"y"}}},
		"inline map, same keys": map[string]any{"zero": 0.0, long: int64(1), "m": refM,
			"l": []any{map[string]any{"id": "b", "n": int64(1)}, "x"}},
		"list grows": map[string]any{"zero": 0.0, long: int64(1), "m": refM,
			"l": []any{refL[0], "x", "y"}},
		"empty values": map[string]any{"zero": []any{}, long: map[string]any{}, "l": refL, "m": refM},
		"bad value":    map[string]any{"zero": "\xff", long: int64(1), "l": refL, "m": refM},
	}
	checkEncodeWith(t, trees, enc)
}

// checkEncodeWith checks that EncodeWith gives each tree's Encode output, or
// its error.
func checkEncodeWith(t *testing.T, trees map[string]any, enc *Encoded) {
	t.Helper()
	for name, v := range trees {
		t.Run(name, func(t *testing.T) {
			want, wantErr := Encode(v)
			got, err := EncodeWith(v, enc)
			if got != string(want) || (err == nil) != (wantErr == nil) {
				t.Fatalf("EncodeWith:\n%s (%v)\nwant:\n%s (%v)", got, err, want, wantErr)
			}
			if err != nil && err.Error() != wantErr.Error() {
				t.Fatalf("error %v, want %v", err, wantErr)
			}
		})
	}
}

func TestMapID(t *testing.T) {
	a, b := map[string]any{"k": 1}, map[string]any{"k": 1}
	if mapID(a) != reflect.ValueOf(a).UnsafePointer() {
		t.Fatal("mapID is not the map's pointer")
	}
	if mapID(a) == mapID(b) || !Same(a, a) || Same(a, b) {
		t.Fatal("maps are told apart by identity")
	}
}
