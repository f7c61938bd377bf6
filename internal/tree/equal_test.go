package tree

import (
	"math"
	"testing"
)

func TestEqual(t *testing.T) {
	t.Parallel()
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

	for i, a := range trees {
		for j, b := range trees {
			if got := Equal(a, b); got != (i == j) {
				t.Errorf("Equal(%#v, %#v) = %v", a, b, got)
			}
		}
		// A copy is Equal.
		c := deepCopy(a)
		if _, isTmpl := a.(*Template); isTmpl {
			c = a // templates are Equal when the very same
		}
		if !Equal(a, c) {
			t.Errorf("a copy of %#v is not Equal", a)
		}
	}
}
