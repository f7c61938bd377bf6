package tree

import (
	"hash/maphash"
	"math"
	"testing"
)

func TestEqualAndHash(t *testing.T) {
	seed := maphash.MakeSeed()
	tmpl := &Template{Parts: []Part{{Var: "X"}}}
	trees := []any{
		nil, "", "a", "1", int64(1), 1.0, 0.0, math.Copysign(0, -1), true, false,
		map[string]any{}, []any{},
		map[string]any{"a": int64(1), "b": int64(2)},
		map[string]any{"a": int64(2), "b": int64(1)},
		map[string]any{"a": int64(1)},
		map[string]any{"a": int64(1), "b": nil},
		map[string]any{"a": map[string]any{"b": "c"}},
		map[string]any{"a": []any{"b", "c"}},
		map[string]any{"a": []any{"c", "b"}},
		[]any{"a", int64(1)},
		[]any{int64(1), "a"},
		[]any{[]any{}},
		tmpl,
		&Template{Parts: []Part{{Var: "X"}}}, // another template
	}
	hashes := map[uint64]int{}
	for i, a := range trees {
		for j, b := range trees {
			if got := Equal(a, b); got != (i == j) {
				t.Errorf("Equal(%#v, %#v) = %v", a, b, got)
			}
		}
		h, _, _, ok := Hash(seed, a)
		if !ok {
			t.Fatalf("Hash(%#v) refused", a)
		}
		if other, dup := hashes[h]; dup {
			t.Errorf("%#v and %#v hash alike", a, trees[other])
		}
		hashes[h] = i
		// A copy is Equal and hashes alike.
		c := deepCopy(a)
		if _, isTmpl := a.(*Template); isTmpl {
			c = a // templates are Equal when the very same
		}
		hc, _, _, _ := Hash(seed, c)
		if !Equal(a, c) || hc != h {
			t.Errorf("a copy of %#v: Equal %v, hash %x, want %x", a, Equal(a, c), hc, h)
		}
	}
	if _, _, _, ok := Hash(seed, map[string]any{"a": int32(1)}); ok {
		t.Error("Hash accepts a value outside the tree types")
	}
}

// Hash counts nodes and levels as CheckLimits does.
func TestHashSize(t *testing.T) {
	seed := maphash.MakeSeed()
	for _, src := range []string{
		"1", "{}", "[]", "a: [1]", "a: {b: {c: [[], {}]}}\nd: [1, 2, {e: f}]", "[[[[1]]], 2]",
	} {
		v := parseYAML(t, "t.yml", src)
		_, nodes, levels, ok := Hash(seed, v)
		if !ok {
			t.Fatalf("%s: refused", src)
		}
		if CheckLimits(v, levels, nodes) != nil {
			t.Errorf("%s: %d nodes, %d levels, but CheckLimits refuses those limits", src, nodes, levels)
		}
		// (A limit of 0 is not checked.)
		if levels > 1 && CheckLimits(v, levels-1, 0) == nil {
			t.Errorf("%s: CheckLimits accepts %d levels, Hash counts %d", src, levels-1, levels)
		}
		if nodes > 1 && CheckLimits(v, 0, nodes-1) == nil {
			t.Errorf("%s: CheckLimits accepts %d nodes, Hash counts %d", src, nodes-1, nodes)
		}
	}
}
