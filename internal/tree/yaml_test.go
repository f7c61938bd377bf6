package tree

import (
	"errors"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestFromYAMLScalars(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src     string
		want    any
		wantErr string
	}{
		{src: "1", want: int64(1)},
		{src: "-5", want: int64(-5)},
		{src: "+7", want: int64(7)},
		{src: "0x10", want: int64(16)},
		{src: "0o17", want: int64(15)},
		{src: "0b101", want: int64(5)},
		{src: "1_000", want: int64(1000)},
		{src: "9223372036854775807", want: int64(9223372036854775807)},
		{src: "!!int '7'", want: int64(7)},
		{src: "1.5", want: 1.5},
		{src: "1e3", want: 1000.0},
		{src: "-0.25", want: -0.25},
		{src: "!!float 1", want: 1.0},
		{src: "true", want: true},
		{src: "False", want: false},
		{src: "~", want: nil},
		{src: "null", want: nil},
		{src: "", want: nil},
		{src: "yes", want: "yes"}, // YAML 1.2: a string
		{src: "'1'", want: "1"},
		{src: `"true"`, want: "true"},
		{src: "!!str 1", want: "1"},
		{src: "2001-12-14", want: "2001-12-14"}, // !!timestamp keeps its text
		{src: "!!binary aGVsbG8=", want: "aGVsbG8="},
		{src: "!custom x", want: "x"},
		{src: "|\n  a\n  b\n", want: "a\nb\n"},
		{src: "<<", want: "<<"},
		{src: "1e999", want: "1e999"}, // yaml.v3 resolves an overflowing float as a string
		{src: ".inf", wantErr: "test.yml:1: infinite and NaN numbers are not supported"},
		{src: "-.Inf", wantErr: "infinite and NaN"},
		{src: ".nan", wantErr: "infinite and NaN"},
		{src: "18446744073709551615", wantErr: `test.yml:1: invalid or out-of-range integer "18446744073709551615"`},
		{src: "!!int abc", wantErr: `invalid or out-of-range integer "abc"`},
		{src: "!!float abc", wantErr: `invalid float "abc"`},
		{src: "!!bool yes", wantErr: `invalid boolean "yes"`},
		{src: "!!null x", wantErr: `invalid null "x"`},
	}
	for _, tt := range tests {
		got, err := parseYAMLErr("test.yml", tt.src)
		if tt.wantErr != "" {
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("FromYAML(%q) error = %v, want *Error containing %q", tt.src, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !equalTree(got, tt.want) {
			t.Errorf("FromYAML(%q) = %#v, %v; want %#v", tt.src, got, err, tt.want)
		}
	}
}

// TestParseYAMLIntAgreesWithYAMLv3 checks the integer reader against
// yaml.v3's own decoding.
func TestParseYAMLIntAgreesWithYAMLv3(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"0", "-0", "017", "0o17", "-0o17", "0x1F", "-0x1F", "0b11", "-0b11",
		"1_2_3", "-9223372036854775808", "+0x_10", "0b+1"} {
		var want any
		if err := yaml.Unmarshal([]byte(s), &want); err != nil {
			t.Fatalf("yaml.v3 %q: %v", s, err)
		}
		got, err := parseYAMLErr("x", s)
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if n, _ := normalize(want); !equalTree(got, n) {
			t.Errorf("%q: FromYAML = %#v, yaml.v3 = %#v", s, got, want)
		}
	}
}

func TestFromYAMLTree(t *testing.T) {
	t.Parallel()
	src := `# comment
databases:
  postgresql:
    version: 16
    name: db_${TENANT_ID}
    hosts:
      - primary
      - ${REPLICA}
  empty_map: {}
  empty_list: []
flags: [true, 1.5, null, 'q']
`
	got := parseYAML(t, "standard.yml", src)
	want := map[string]any{
		"databases": map[string]any{
			"postgresql": map[string]any{
				"version": int64(16),
				"name": &Template{Parts: []Part{{Literal: "db_"}, {Var: "TENANT_ID"}},
					Pos: Pos{File: "standard.yml", Line: 5, Path: "databases.postgresql.name"}},
				"hosts": []any{"primary", &Template{Parts: []Part{{Var: "REPLICA"}},
					Pos: Pos{File: "standard.yml", Line: 8, Path: "databases.postgresql.hosts[1]"}}},
			},
			"empty_map":  map[string]any{},
			"empty_list": []any{},
		},
		"flags": []any{true, 1.5, nil, "q"},
	}
	if !equalTree(got, want) {
		t.Fatalf("FromYAML = %#v\nwant %#v", got, want)
	}
}

func TestFromYAMLAliases(t *testing.T) {
	t.Parallel()
	got := parseYAML(t, "a.yml", "key: &k name\nbase: &b {x: 1, y: [a]}\ncopy: *b\n*k : 2\n")
	want := map[string]any{
		"key":  "name",
		"base": map[string]any{"x": int64(1), "y": []any{"a"}},
		"copy": map[string]any{"x": int64(1), "y": []any{"a"}},
		"name": int64(2),
	}
	if !equalTree(got, want) {
		t.Fatalf("FromYAML = %#v, want %#v", got, want)
	}
}

func TestFromYAMLErrors(t *testing.T) {
	t.Parallel()
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 'b', 'a'; i <= 'j'; i, prev = i+1, i {
		bomb += string(i) + ": &" + string(i) + " [" + strings.Repeat("*"+string(prev)+", ", 9) + "*" + string(prev) + "]\n"
	}
	tests := []struct {
		name, src, want string
	}{
		{"duplicate key", "a: 1\nb: 2\na: 3\n", `test.yml:3: duplicate key "a" (first defined at line 1)`},
		{"nested duplicate", "x:\n  y: 1\n  y: 2\n", `test.yml:3: duplicate key "y"`},
		{"int key", "1: x\n", `test.yml:1: mapping key 1 is !!int; keys must be strings`},
		{"null key", "~: x\n", `test.yml:1: mapping key ~ is !!null; keys must be strings (quote it)`},
		{"bool key", "a:\n  true: x\n", `test.yml:2: mapping key true is !!bool`},
		{"list key", "? [a]\n: x\n", `test.yml:1: mapping key is a list`},
		{"map key", "? {a: 1}\n: x\n", `test.yml:1: mapping key is a map`},
		{"merge key", "base: &b {a: 1}\nx:\n  <<: *b\n", `test.yml:3: merge keys are not supported`},
		{"alias bomb", bomb, `test.yml:5: document has more than 100000 nodes after expanding alias *d`},
		{"alias cycle", "a: &x [*x]\n", `test.yml:1: alias *x refers to a node that contains it`},
		{"bad template", "a:\n  b: ${1}\n", `test.yml:2: invalid variable name "1"`},
		{"unterminated", "a: [x, 'y ${Z']\n", `test.yml:1: unterminated placeholder`},
		{"infinite", "a: {b: .inf}\n", `test.yml:1: infinite`},
	}
	for _, tt := range tests {
		_, err := parseYAMLErr("test.yml", tt.src)
		var e *Error
		if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want *Error containing %q", tt.name, err, tt.want)
		}
	}
}

func TestFromYAMLQuotedMergeKeyIsAString(t *testing.T) {
	t.Parallel()
	got := parseYAML(t, "a.yml", "'<<': 1\n")
	if !equalTree(got, map[string]any{"<<": int64(1)}) {
		t.Fatalf("got %#v", got)
	}
}

func TestFromYAMLEmpty(t *testing.T) {
	t.Parallel()
	if v, err := FromYAML(nil, "x"); v != nil || err != nil {
		t.Errorf("FromYAML(nil) = %v, %v", v, err)
	}
	if v, err := FromYAML(&yaml.Node{}, "x"); v != nil || err != nil {
		t.Errorf("FromYAML(zero node) = %v, %v", v, err)
	}
	if v, err := parseYAMLErr("x", "# only a comment\n"); v != nil || err != nil {
		t.Errorf("FromYAML(comment) = %v, %v", v, err)
	}
}
