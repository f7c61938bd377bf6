package tree

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"
)

// parseYAML parses src with yaml.v3 and converts it with FromYAML.
func parseYAML(t testing.TB, file, src string) any {
	t.Helper()
	v, err := parseYAMLErr(file, src)
	if err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	return v
}

func parseYAMLErr(file, src string) (any, error) {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		return nil, err
	}
	return FromYAML(&n, file)
}

// decodeYAML decodes data with yaml.v3 into plain Go values and converts
// them to tree types. It is independent of this package's own reader.
func decodeYAML(data []byte) (any, error) {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	return normalize(v)
}

func normalize(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, y := range x {
			n, err := normalize(y)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, y := range x {
			n, err := normalize(y)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case int:
		return int64(x), nil
	case string, int64, float64, bool, nil:
		return x, nil
	default:
		return nil, fmt.Errorf("decoded a %T (%v)", v, v)
	}
}

// roundTrip encodes v, decodes the result with yaml.v3 and reports a
// difference from v. It also checks that AppendEncode agrees with Encode.
func roundTrip(t testing.TB, v any) []byte {
	t.Helper()
	out, err := Encode(v)
	if err != nil {
		t.Fatalf("Encode(%#v): %v", v, err)
	}
	if !bytes.HasSuffix(out, []byte("\n")) || bytes.HasSuffix(out, []byte("\n\n")) {
		t.Errorf("Encode(%#v) does not end with a single newline: %q", v, out)
	}
	back, err := decodeYAML(out)
	if err != nil {
		t.Fatalf("decode of %q: %v", out, err)
	}
	if !equalTree(back, v) {
		t.Fatalf("round trip changed the tree\n  in:  %#v\n  yaml: %q\n  out: %#v", v, out, back)
	}
	appended, err := AppendEncode([]byte("prefix"), v)
	if err != nil || string(appended) != "prefix"+string(out) {
		t.Fatalf("AppendEncode = %q, %v; want prefix + %q", appended, err, out)
	}
	return out
}

// equalTree reports whether a and b are equal trees. Floats compare by
// bits, empty and nil maps and lists are equal, and templates compare by
// content.
func equalTree(a, b any) bool {
	return equal(a, b, func(x, y *Template) bool {
		return x.Pos == y.Pos && slices.Equal(x.Parts, y.Parts)
	})
}

// deepCopy returns a copy of v that shares nothing with it.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, y := range x {
			out[k] = deepCopy(y)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = deepCopy(y)
		}
		return out
	case *Template:
		return &Template{Parts: append([]Part(nil), x.Parts...), Pos: x.Pos}
	default:
		return v
	}
}

// templateVars returns the variables used by the templates in v.
func templateVars(v any, into map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for _, y := range x {
			templateVars(y, into)
		}
	case []any:
		for _, y := range x {
			templateVars(y, into)
		}
	case *Template:
		for _, p := range x.Parts {
			if p.Var != "" {
				into[p.Var] = true
			}
		}
	}
}

// sameMap reports whether a and b are the same map, not merely equal.
func sameMap(a, b any) bool {
	x, ok1 := a.(map[string]any)
	y, ok2 := b.(map[string]any)
	return ok1 && ok2 && fmt.Sprintf("%p", x) == fmt.Sprintf("%p", y)
}

// sameList reports whether a and b are the same list, not merely equal.
func sameList(a, b any) bool {
	x, ok1 := a.([]any)
	y, ok2 := b.([]any)
	return ok1 && ok2 && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
}
