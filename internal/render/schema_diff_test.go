package render

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"testing"
)

// The diff checker must cover the whole schema: a location it cannot split
// is checked whole on every render, which is right but slow.
func TestDiffCheckerCoversSchema(t *testing.T) {
	cs, err := configSchema()
	if err != nil {
		t.Fatal(err)
	}
	if cs.diff == nil {
		t.Fatal("the schema has no diff checker")
	}
	var whole []string
	var walk func(n *diffNode, path string)
	walk = func(n *diffNode, path string) {
		if n == nil {
			return
		}
		if n.whole != nil {
			whole = append(whole, path)
		}
		for _, k := range slices.Sorted(maps.Keys(n.props)) {
			walk(n.props[k], path+"/"+k)
		}
		walk(n.additional, path+"/*")
		walk(n.items, path+"/[]")
	}
	walk(cs.diff, "")
	if len(whole) > 0 {
		t.Errorf("locations checked whole: %q", whole)
	}
}

// The diff checker accepts a configuration exactly when the full schema
// does. Each case changes one place of a tier's sample configuration, as an
// override would (the rest stays shared): every value replaced by values of
// other kinds, every key deleted, an unknown key added to every map.
func TestDiffCheckerAgreesWithSchema(t *testing.T) {
	cs, err := configSchema()
	if err != nil {
		t.Fatal(err)
	}
	cat := defaultCatalog(t)
	replacements := []any{nil, "bogus", "", int64(-1), int64(0), int64(1 << 40), 0.5, 2.0, true,
		map[string]any{}, map[string]any{"x": int64(1)}, []any{}, []any{"a", "a"}}
	for _, name := range fuzzTiers {
		tier, _ := cat.Tier(name)
		ref := referenceFor(cat, tier, "production")
		if ref.cfg == nil {
			t.Fatalf("tier %s has no reference", name)
		}
		cases, accepted := 0, 0
		check := func(what string, cfg map[string]any) {
			t.Helper()
			cases++
			fast := cs.diff.valid(cfg, ref.cfg, true)
			full := cs.schema.Validate(cfg) == nil
			if fast != full {
				t.Errorf("tier %s, %s: diff checker says valid=%v, the schema valid=%v", name, what, fast, full)
			}
			if full {
				accepted++
			}
		}
		for _, p := range treePaths(ref.cfg, nil) {
			for _, r := range replacements {
				check(fmt.Sprintf("%s = %#v", dotted(p), r), setPath(ref.cfg, p, r, false))
			}
			check("delete "+dotted(p), setPath(ref.cfg, p, nil, true))
			if _, isMap := getPath(ref.cfg, p).(map[string]any); isMap {
				check("add "+dotted(p)+".zz_unknown", setPath(ref.cfg, append(slices.Clone(p), "zz_unknown"), "x", false))
			}
		}
		check("add zz_unknown", setPath(ref.cfg, []string{"zz_unknown"}, "x", false))
		// Both outcomes must be well represented, or the test proves little.
		if accepted < cases/20 || accepted > cases*19/20 {
			t.Errorf("tier %s: %d of %d cases valid", name, accepted, cases)
		}
	}
}

// treePaths returns the path of every value under v, maps' keys and lists'
// indexes as text.
func treePaths(v any, prefix []string) [][]string {
	var out [][]string
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			p := append(slices.Clone(prefix), k)
			out = append(out, p)
			out = append(out, treePaths(x[k], p)...)
		}
	case []any:
		for i, y := range x {
			p := append(slices.Clone(prefix), fmt.Sprint(i))
			out = append(out, p)
			out = append(out, treePaths(y, p)...)
		}
	}
	return out
}

func dotted(p []string) string {
	s := ""
	for i, k := range p {
		if i > 0 {
			s += "."
		}
		s += k
	}
	return s
}

func getPath(v any, p []string) any {
	for _, k := range p {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, _ := strconv.Atoi(k)
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// setPath returns v with the value at p replaced by val (or deleted), copying
// only the maps and lists on the way to it, as an override does.
func setPath(v any, p []string, val any, del bool) map[string]any {
	out, _ := setIn(v, p, val, del).(map[string]any)
	return out
}

func setIn(v any, p []string, val any, del bool) any {
	if len(p) == 0 {
		return val
	}
	switch x := v.(type) {
	case map[string]any:
		c := maps.Clone(x)
		if len(p) == 1 && del {
			delete(c, p[0])
		} else {
			c[p[0]] = setIn(x[p[0]], p[1:], val, del)
		}
		return c
	case []any:
		i, _ := strconv.Atoi(p[0])
		c := slices.Clone(x)
		if len(p) == 1 && del {
			return slices.Delete(c, i, i+1)
		}
		c[i] = setIn(x[i], p[1:], val, del)
		return c
	}
	return v
}

func TestTypeCheck(t *testing.T) {
	tests := []struct {
		types       []string
		v           any
		ok, decided bool
	}{
		{[]string{"string"}, "x", true, true},
		{[]string{"string"}, int64(1), false, true},
		{[]string{"number"}, int64(1), true, true},
		{[]string{"integer"}, int64(1), true, true},
		{[]string{"integer"}, 1.5, false, false}, // the library decides
		{[]string{"number"}, 2.0, false, false},
		{[]string{"string", "null"}, nil, true, true},
		{[]string{"string"}, 2.0, false, true},
		{[]string{"boolean"}, false, true, true},
		{[]string{"object"}, map[string]any{}, true, true},
		{[]string{"object"}, []any{}, false, true},
		{[]string{"array"}, []any{}, true, true},
		{[]string{"string"}, int32(1), false, false},
	}
	for _, tt := range tests {
		ok, decided := typeCheck(tt.types, tt.v)
		if ok != tt.ok || decided != tt.decided {
			t.Errorf("typeCheck(%q, %#v) = %v, %v; want %v, %v", tt.types, tt.v, ok, decided, tt.ok, tt.decided)
		}
	}
}

func TestContentKey(t *testing.T) {
	distinct := []any{
		[]any{"a", "b"}, []any{"ab"}, []any{"a1:b"}, []any{int64(1)}, []any{"1"}, []any{1.0}, []any{true},
		[]any{"true"}, []any{nil}, []any{""}, []any{}, map[string]any{}, map[string]any{"a": 1, "b": 2},
		map[string]any{"ab": 1}, []any{0.0}, []any{math.Copysign(0, -1)},
	}
	seen := map[string]any{}
	for _, v := range distinct {
		key, ok := contentKey(v, false)
		if !ok {
			t.Fatalf("contentKey(%#v) refused", v)
		}
		if other, dup := seen[key]; dup {
			t.Errorf("%#v and %#v have the same key %q", v, other, key)
		}
		seen[key] = v
	}
	// A map's key is its keys, whatever their values.
	a, _ := contentKey(map[string]any{"x": int64(1), "y": "s"}, false)
	b, _ := contentKey(map[string]any{"y": []any{}, "x": nil}, false)
	if a != b {
		t.Errorf("maps with the same keys: %q and %q", a, b)
	}
	for _, v := range []any{
		map[string]any{"x": 1},                     // byValue: the values count
		[]any{map[string]any{}},                    // not scalars
		[]any{string(make([]byte, memoMaxString))}, // too long
		"scalar",
	} {
		if key, ok := contentKey(v, true); ok {
			t.Errorf("contentKey(%#v, byValue) = %q", v, key)
		}
	}
}

// Where uniqueItems is the one keyword reading values, lists of strings are
// remembered by their length and whether their items are distinct.
func TestShapeKeyUniqueOnly(t *testing.T) {
	n := &diffNode{byValue: true, uniqueOnly: true}
	key := func(v []any) string {
		t.Helper()
		k, ok := n.shapeKey(v)
		if !ok {
			t.Fatalf("shapeKey(%#v) refused", v)
		}
		return k
	}
	if key([]any{"a", "b"}) != key([]any{"c", "d"}) {
		t.Error("two lists of two distinct strings have different keys")
	}
	for _, other := range [][]any{{"a", "a"}, {"a"}, {"a", "b", "c"}, {int64(1), int64(2)}, {int64(1), 1.0}, {"a", int64(1)}} {
		if key(other) == key([]any{"a", "b"}) {
			t.Errorf("%#v has the key of [a b]", other)
		}
	}
	// Numbers are equal across types in JSON: their lists keep full keys.
	if key([]any{int64(1), 1.0}) == key([]any{int64(1), int64(2)}) {
		t.Error("[1, 1.0] and [1, 2] share a key")
	}
}
