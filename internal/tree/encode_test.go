package tree

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestEncodeGolden(t *testing.T) {
	t.Parallel()
	v := map[string]any{
		"tenant_info": map[string]any{
			"id":   "acme",
			"tier": "standard",
			"port": int64(5432),
		},
		"databases": map[string]any{
			"postgresql": map[string]any{
				"version":  "16",
				"ratio":    0.75,
				"replicas": []any{map[string]any{"host": "db-1", "zone": "a"}, map[string]any{"host": "db-2"}},
				"flags":    []any{true, nil, 4.0, []any{"x", "y"}, []any{}, map[string]any{}},
				"extra":    map[string]any{},
				"none":     []any{},
			},
		},
		"note":     "a: b",
		"Upper":    "/var/lib/data",
		"url":      "https://example.com:8443/x",
		"nested":   []any{[]any{[]any{"deep"}}},
		"multi":    "line one\nline two",
		"key: odd": "yes",
	}
	want := `Upper: /var/lib/data
databases:
  postgresql:
    extra: {}
    flags:
      - true
      - null
      - 4.0
      - - x
        - "y"
      - []
      - {}
    none: []
    ratio: 0.75
    replicas:
      - host: db-1
        zone: a
      - host: db-2
    version: "16"
"key: odd": "yes"
multi: "line one\nline two"
nested:
  - - - deep
note: "a: b"
tenant_info:
  id: acme
  port: 5432
  tier: standard
url: https://example.com:8443/x
`
	got := roundTrip(t, v)
	if string(got) != want {
		t.Fatalf("Encode =\n%s\nwant\n%s", got, want)
	}
}

func TestEncodeScalars(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   any
		want string
	}{
		{nil, "null\n"},
		{true, "true\n"},
		{false, "false\n"},
		{int64(0), "0\n"},
		{int64(-42), "-42\n"},
		{int64(math.MinInt64), "-9223372036854775808\n"},
		{4.0, "4.0\n"},
		{-4.0, "-4.0\n"},
		{math.Copysign(0, -1), "-0.0\n"},
		{0.1, "0.1\n"},
		{1e21, "1e+21\n"},
		{1e20, "1e+20\n"},
		{123456.0, "123456.0\n"},
		{1e-7, "1e-07\n"},
		{5e-324, "5e-324\n"},
		{math.MaxFloat64, "1.7976931348623157e+308\n"},
		{map[string]any{}, "{}\n"},
		{map[string]any(nil), "{}\n"},
		{[]any{}, "[]\n"},
		{[]any(nil), "[]\n"},
		{"plain", "plain\n"},
		{"", "\"\"\n"},
	}
	for _, tt := range tests {
		got, err := Encode(tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("Encode(%#v) = %q, %v; want %q", tt.in, got, err, tt.want)
			continue
		}
		roundTrip(t, tt.in)
	}
}

func TestEncodeStrings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		// Plain.
		{"acme", "acme"},
		{"_x", "_x"},
		{"/var/lib", "/var/lib"},
		{"a:b", "a:b"},
		{"db-1.example.com", "db-1.example.com"},
		{"yess", "yess"},
		{"Nulls", "Nulls"},
		{"info", "info"},
		// Quoted: not in the plain character set.
		{"", `""`},
		{" lead", `" lead"`},
		{"trail ", `"trail "`},
		{"a: b", `"a: b"`},
		{"#x", `"#x"`},
		{"x #y", `"x #y"`},
		{"-", `"-"`},
		{"- item", `"- item"`},
		{"~", `"~"`},
		{"1e3", `"1e3"`},
		{"0x10", `"0x10"`},
		{"12", `"12"`},
		{".5", `".5"`},
		{"2001-12-14", `"2001-12-14"`},
		{"<<", `"<<"`},
		{"a b", `"a b"`},
		{"日本", `"日本"`},
		// Quoted: reserved words in any case, and trailing colons.
		{"yes", `"yes"`},
		{"No", `"No"`},
		{"ON", `"ON"`},
		{"off", `"off"`},
		{"y", `"y"`},
		{"N", `"N"`},
		{"true", `"true"`},
		{"False", `"False"`},
		{"null", `"null"`},
		{"NULL", `"NULL"`},
		{"inf", `"inf"`},
		{"Infinity", `"Infinity"`},
		{"NaN", `"NaN"`},
		{".inf", `".inf"`},
		{".nan", `".nan"`},
		{"key:", `"key:"`},
		// Escapes.
		{`say "hi"`, `"say \"hi\""`},
		{`back\slash`, `"back\\slash"`},
		{"a\nb", `"a\nb"`},
		{"a\tb", `"a\tb"`},
		{"a\rb", `"a\rb"`},
		{"\x00\x1b\x7f", `"\u0000\u001b\u007f"`},
		{"\u0085\u2028\u2029\ufeff\ufffe\uffff", `"\u0085\u2028\u2029\ufeff\ufffe\uffff"`},
		{"\u0080\u009f\u00a0", "\"\\u0080\\u009f\u00a0\""},
		{"\U0001F600", "\"\U0001F600\""},
	}
	for _, tt := range tests {
		got, err := Encode(tt.in)
		if err != nil || string(got) != tt.want+"\n" {
			t.Errorf("Encode(%q) = %q, %v; want %q", tt.in, got, err, tt.want+"\n")
			continue
		}
		// The same rule applies to keys.
		got, err = Encode(map[string]any{tt.in: int64(1)})
		if err != nil || string(got) != tt.want+": 1\n" {
			t.Errorf("Encode(key %q) = %q, %v; want %q", tt.in, got, err, tt.want+": 1\n")
		}
		roundTrip(t, map[string]any{tt.in: tt.in, "list": []any{tt.in, map[string]any{tt.in: []any{tt.in}}}})
	}
}

func TestEncodeLongKey(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("k", 1500)
	quotedLong := strings.Repeat("日", 600) // 600 characters, 1800 bytes
	v := map[string]any{
		long:       map[string]any{"x": "y"},
		"a":        []any{map[string]any{long: []any{"a"}, "b": int64(1)}},
		quotedLong: "v",
	}
	out := roundTrip(t, v)
	if !strings.Contains(string(out), "? "+long+"\n:\n  x: \"y\"\n") {
		t.Errorf("long key not written in explicit form:\n%s", out)
	}
}

func TestEncodeErrors(t *testing.T) {
	t.Parallel()
	tmpl := &Template{Parts: []Part{{Var: "X"}}, Pos: Pos{File: "standard.yml", Line: 7}}
	tests := []struct {
		in   any
		want string
	}{
		{map[string]any{"a": tmpl}, `standard.yml:7: template "${X}" was not substituted`},
		{map[string]any{"a": map[string]any{"b": math.NaN()}}, `a.b: cannot encode NaN in YAML`},
		{[]any{math.Inf(1)}, `[0]: cannot encode +Inf in YAML`},
		{map[string]any{"a": []any{"ok", "\xff"}}, `a[1]: string is not valid UTF-8`},
		{map[string]any{"bad\xffkey": int64(1)}, `bad` + "\xff" + `key: string is not valid UTF-8`},
		{map[string]any{"a": []any{int64(1), 2}}, `a[1]: unsupported value of type int`},
		{map[string]any{"a": map[string]string{}}, `a: unsupported value of type map[string]string`},
	}
	for _, tt := range tests {
		got, err := Encode(tt.in)
		var e *Error
		if !errors.As(err, &e) || err.Error() != tt.want || got != nil {
			t.Errorf("Encode(%#v) = %q, %v; want error %q", tt.in, got, err, tt.want)
		}
		buf, err := AppendEncode([]byte("keep"), tt.in)
		if err == nil || string(buf) != "keep" {
			t.Errorf("AppendEncode on error = %q, %v; want the buffer unchanged", buf, err)
		}
	}
}

func TestEncodeDeterministic(t *testing.T) {
	t.Parallel()
	build := func(order []string) map[string]any {
		m := map[string]any{}
		for i, k := range order {
			m[k] = map[string]any{"i": int64(i % 2), "k": k}
		}
		return m
	}
	a, _ := Encode(build([]string{"b", "a", "B", "_", "/", "c", "aa", "a_"}))
	for range 20 {
		b, _ := Encode(build([]string{"b", "a", "B", "_", "/", "c", "aa", "a_"}))
		if string(a) != string(b) {
			t.Fatalf("Encode output differs between runs:\n%s\n%s", a, b)
		}
	}
	if !strings.HasPrefix(string(a), "/:\n") || !strings.Contains(string(a), "B:\n  i: 0\n  k: B\n_:\n") {
		t.Errorf("keys not in byte order:\n%s", a)
	}
}
