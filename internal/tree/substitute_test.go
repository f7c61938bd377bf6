package tree

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestSubstitute(t *testing.T) {
	t.Parallel()
	nested := map[string]any{"a": int64(1)}
	list := []any{"x", int64(2)}
	vars := map[string]any{
		"TENANT_ID": "acme",
		"PORT":      int64(5432),
		"RATIO":     0.5,
		"BIG":       1e21,
		"ON":        true,
		"NONE":      nil,
		"MAP":       nested,
		"LIST":      list,
		"GOINT":     7,
		"REF":       "${TENANT_ID}",
		"ESC":       "$${X}",
		"YAMLISH":   "a: b # c\n- d \"q\" 'r'",
		"CALLBACK":  func() {},
	}
	tests := []struct {
		name    string
		src     string // YAML with templates
		want    any    // the value at key "v"
		wantErr string // the full error text
	}{
		{name: "string", src: "v: ${TENANT_ID}", want: "acme"},
		{name: "int stays int", src: "v: ${PORT}", want: int64(5432)},
		{name: "float stays float", src: "v: ${RATIO}", want: 0.5},
		{name: "bool stays bool", src: "v: ${ON}", want: true},
		{name: "nil stays nil", src: "v: ${NONE}", want: nil},
		{name: "map inserted", src: "v: ${MAP}", want: nested},
		{name: "list inserted", src: "v: ${LIST}", want: list},
		{name: "Go int becomes int64", src: "v: ${GOINT}", want: int64(7)},
		{name: "quoted single placeholder keeps type", src: "v: '${PORT}'", want: int64(5432)},
		{name: "interpolation", src: "v: postgres://${TENANT_ID}:${PORT}/db", want: "postgres://acme:5432/db"},
		{name: "float as text", src: "v: r=${RATIO} big=${BIG}", want: "r=0.5 big=1000000000000000000000"},
		{name: "bool and nil as text", src: "v: '${ON}/${NONE}/'", want: "true//"},
		{name: "escape", src: "v: $${HOME} ${TENANT_ID}", want: "${HOME} acme"},
		{name: "escape only", src: "v: $${HOME}", want: "${HOME}"},
		{name: "inserted placeholder stays literal", src: "v: ${REF}", want: "${TENANT_ID}"},
		{name: "inserted placeholder in text stays literal", src: "v: x ${REF} ${ESC}", want: "x ${TENANT_ID} $${X}"},
		{name: "inserted YAML syntax stays literal", src: "v: '[${YAMLISH}]'", want: "[a: b # c\n- d \"q\" 'r']"},
		{name: "in a list", src: "v: [a, '${PORT}', 'p${PORT}']", want: []any{"a", int64(5432), "p5432"}},
		{name: "unknown variable",
			src:     "x: 1\nv: ${MISSING}",
			wantErr: `standard.yml:2: unknown variable "MISSING"`},
		{name: "unknown variable with suggestion",
			src:     "x: 1\nv: id-${TENANT_DI}",
			wantErr: `standard.yml:2: unknown variable "TENANT_DI"; did you mean "TENANT_ID"?`},
		{name: "case-insensitive suggestion",
			src:     "v: ${tenant_id}",
			wantErr: `standard.yml:1: unknown variable "tenant_id"; did you mean "TENANT_ID"?`},
		{name: "map in a longer string",
			src:     "v: x${MAP}",
			wantErr: `standard.yml:1: variable "MAP" is a map and cannot be inserted into a longer string`},
		{name: "list in a longer string",
			src:     "v: '${LIST} '",
			wantErr: `standard.yml:1: variable "LIST" is a list and cannot be inserted into a longer string`},
		{name: "unsupported type",
			src:     "v: ${CALLBACK}",
			wantErr: `standard.yml:1: variable "CALLBACK" has unsupported value of type func()`},
		{name: "first error in key order",
			src:     "c: ${C1}\nb: ${B1}\na: [ok, '${A1}']",
			wantErr: `standard.yml:3: unknown variable "A1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := parseYAML(t, "standard.yml", tt.src)
			before := deepCopy(in)
			for range 5 {
				got, err := Substitute(in, vars)
				if !equalTree(in, before) {
					t.Fatalf("Substitute mutated its input")
				}
				if tt.wantErr != "" {
					var e *Error
					if !errors.As(err, &e) || err.Error() != tt.wantErr {
						t.Fatalf("Substitute error = %v, want %q", err, tt.wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("Substitute: %v", err)
				}
				v, _ := Lookup(got, "v")
				if !equalTree(v, tt.want) {
					t.Fatalf("v = %#v, want %#v", v, tt.want)
				}
				roundTrip(t, got)
			}
		})
	}
}

func TestSubstituteLiteralValuesRoundTrip(t *testing.T) {
	t.Parallel()
	values := []string{
		"${X}", "$${X}", "a: b", "# not a comment", "x #y", "- item", "-", "'single'", `"double"`,
		"line\nbreak", "tab\there", "trailing: ", "{flow: map}", "[1, 2]", "&anchor", "*alias",
		"!tag", "%directive", "@at", "`tick", "|", ">", "? key", "---", "...", "\r\n", "\\",
		"yes", "no", "on", "off", "null", "~", "1e3", "0x10", "0o7", "1_000", ".5", "+1", "", " lead", "trail ",
		"日本", "\u2028", "\u0085", "\ufeff", "\x00\x01\x7f", "\U0001F600",
	}
	for _, val := range values {
		tree := parseYAML(t, "t.yml", "single: ${V}\ntext: <${V}>\nlist: ['${V}']\n")
		got, err := Substitute(tree, map[string]any{"V": val})
		if err != nil {
			t.Fatalf("Substitute(%q): %v", val, err)
		}
		want := map[string]any{"single": val, "text": "<" + val + ">", "list": []any{val}}
		if !equalTree(got, want) {
			t.Fatalf("Substitute(%q) = %#v, want %#v", val, got, want)
		}
		roundTrip(t, got)
	}
}

func TestSubstituteSharesUnchangedSubtrees(t *testing.T) {
	t.Parallel()
	plain := map[string]any{"a": int64(1), "b": []any{"x"}}
	plainList := []any{int64(1), map[string]any{}}
	tmpl, err := ParseTemplate("${X}", Pos{File: "f", Line: 1})
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]any{"plain": plain, "list": plainList, "t": tmpl}
	got, err := Substitute(in, map[string]any{"X": "x"})
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := Lookup(got, "plain"); !sameMap(p, plain) {
		t.Errorf("map without templates was copied")
	}
	if l, _ := Lookup(got, "list"); !sameList(l, plainList) {
		t.Errorf("list without templates was copied")
	}
	if v, _ := Lookup(in, "t"); v != tmpl {
		t.Errorf("input was mutated")
	}

	// A tree without templates comes back as is.
	got, err = Substitute(plain, nil)
	if err != nil || !sameMap(got, plain) {
		t.Errorf("Substitute(no templates) = %v, %v; want the input itself", got, err)
	}
}

func TestSubstituteErrorMentionsNoOtherVariables(t *testing.T) {
	t.Parallel()
	vars := map[string]any{"ALPHA": 1, "BETA": 2, "GAMMA": 3}
	in := parseYAML(t, "standard.yml", "v: ${ZZZZZZ}")
	_, err := Substitute(in, vars)
	if err == nil {
		t.Fatal("no error")
	}
	for k := range vars {
		if strings.Contains(err.Error(), k) {
			t.Errorf("error %q lists the known variable %s", err, k)
		}
	}
}

// Many strings built in one substitution each keep their own text, long
// ones included.
func TestSubstituteManyStrings(t *testing.T) {
	t.Parallel()
	var src strings.Builder
	for i := range 300 {
		fmt.Fprintf(&src, "k%03d: 'n${ID}-%d${EMPTY}'\n", i, i)
	}
	src.WriteString("big: 'x${LONG}y'\nempty: '${EMPTY}${EMPTY}'\n")
	long := strings.Repeat("L", 3000)
	out, err := Substitute(parseYAML(t, "t.yml", src.String()), map[string]any{"ID": "tenant", "EMPTY": "", "LONG": long})
	if err != nil {
		t.Fatal(err)
	}
	m := out.(map[string]any)
	for i := range 300 {
		if got, want := m[fmt.Sprintf("k%03d", i)], fmt.Sprintf("ntenant-%d", i); got != want {
			t.Fatalf("k%03d = %q, want %q", i, got, want)
		}
	}
	if m["big"] != "x"+long+"y" || m["empty"] != "" {
		t.Fatalf("big or empty wrong: %d bytes, %q", len(m["big"].(string)), m["empty"])
	}
}

// A template that uses a redacted variable becomes the redaction, whole.
func TestSubstituteRedacted(t *testing.T) {
	t.Parallel()
	v := parseYAML(t, "t.yml", "alone: ${PW}\nlonger: 'postgres://u:${PW}@${HOST}/db'\nplain: ${HOST}\n")
	out, err := Substitute(v, map[string]any{"PW": Redacted("(sensitive)"), "HOST": "db.internal"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"alone": "(sensitive)", "longer": "(sensitive)", "plain": "db.internal"}
	if !Equal(out, want) {
		t.Errorf("Substitute = %#v, want %#v", out, want)
	}
}
