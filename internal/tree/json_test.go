package tree

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestEncodeJSON(t *testing.T) {
	cases := []struct {
		name string
		in   any
		want string
	}{
		{"sorted compact", map[string]any{"b": int64(1), "a": []any{"x", true, nil}, "c": map[string]any{}}, `{"a":["x",true,null],"b":1,"c":{}}`},
		{"float keeps its mark", map[string]any{"f": 4.0, "g": 0.25, "h": 1e21}, `{"f":4.0,"g":0.25,"h":1e+21}`},
		{"exact number", []any{json.Number("123456789012345678901234567890")}, `[123456789012345678901234567890]`},
		{"escapes, no HTML escaping", "a\"b\\c\n<&>\u2028\x01", `"a\"b\\c\n<&>\u2028\u0001"`},
		{"empty list", []any{}, `[]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := EncodeJSON(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Fatalf("got %s, want %s", got, c.want)
			}
			var back any
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
		})
	}
}

func TestEncodeJSONErrorsNameThePath(t *testing.T) {
	_, err := EncodeJSON(map[string]any{"a": []any{int64(1), math.Inf(1)}})
	if err == nil || !strings.HasPrefix(err.Error(), "a[1]: ") {
		t.Fatalf("got %v, want an error at a[1]", err)
	}
	if _, err := EncodeJSON(map[string]any{"k": "\xff"}); err == nil || !strings.HasPrefix(err.Error(), "k: ") {
		t.Fatalf("got %v, want an error at k", err)
	}
}
