package tree

import (
	"errors"
	"strings"
	"testing"
)

func TestPosString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pos  Pos
		want string
	}{
		{Pos{File: "standard.yml", Line: 12}, "standard.yml:12"},
		{Pos{File: "standard.yml", Line: 12, Path: "a.b"}, "standard.yml:12"},
		{Pos{File: "overrides", Path: "custom.note"}, "overrides at custom.note"},
		{Pos{File: "overrides"}, "overrides"},
		{Pos{}, ""},
	}
	for _, tt := range tests {
		if got := tt.pos.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.pos, got, tt.want)
		}
	}
}

func TestErrorString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  Error
		want string
	}{
		{Error{Pos: Pos{File: "standard.yml", Line: 3}, Path: "a", Msg: "bad"}, "standard.yml:3: bad"},
		{Error{Pos: Pos{File: "overrides", Path: "custom.note"}, Msg: "bad"}, "overrides at custom.note: bad"},
		{Error{Path: "databases.redis", Msg: "bad"}, "databases.redis: bad"},
		{Error{Msg: "bad"}, "bad"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestParseTemplate(t *testing.T) {
	t.Parallel()
	pos := Pos{File: "standard.yml", Line: 3, Path: "a.b"}
	lit := func(s string) Part { return Part{Literal: s} }
	vr := func(s string) Part { return Part{Var: s} }
	tests := []struct {
		in      string
		want    any    // string or []Part
		wantErr string // substring of the error; "" for success
	}{
		// Plain strings come back as strings.
		{in: "", want: ""},
		{in: "plain", want: "plain"},
		{in: "$", want: "$"},
		{in: "$$", want: "$$"},
		{in: "cost $5", want: "cost $5"},
		{in: "a$b{c}", want: "a$b{c}"},
		{in: "{X}$", want: "{X}$"},
		// "$${" is a literal "${".
		{in: "$${X}", want: "${X}"},
		{in: "a $${X} and $${Y", want: "a ${X} and ${Y"},
		{in: "$$${A}", want: "$${A}"},
		{in: "$${", want: "${"},
		// Placeholders.
		{in: "${X}", want: []Part{vr("X")}},
		{in: "${_a1}", want: []Part{vr("_a1")}},
		{in: "${TENANT_ID}-db", want: []Part{vr("TENANT_ID"), lit("-db")}},
		{in: "a${X}b", want: []Part{lit("a"), vr("X"), lit("b")}},
		{in: "${A}${B}", want: []Part{vr("A"), vr("B")}},
		{in: "x $${y} ${Z}", want: []Part{lit("x ${y} "), vr("Z")}},
		{in: "$5 ${X} $", want: []Part{lit("$5 "), vr("X"), lit(" $")}},
		{in: "${X}}", want: []Part{vr("X"), lit("}")}},
		{in: "日本${X}語", want: []Part{lit("日本"), vr("X"), lit("語")}},
		// Errors.
		{in: "${", wantErr: `standard.yml:3: unterminated placeholder "${": missing "}"`},
		{in: "a ${X", wantErr: `unterminated placeholder "${X"`},
		{in: "${X ${Y}", wantErr: `invalid variable name "X ${Y"`},
		{in: "${}", wantErr: `standard.yml:3: invalid variable name "" in placeholder`},
		{in: "${1X}", wantErr: `invalid variable name "1X"`},
		{in: "${A-B}", wantErr: `invalid variable name "A-B"`},
		{in: "${ A }", wantErr: `invalid variable name " A "`},
		{in: "${A${B}}", wantErr: `invalid variable name "A${B"`},
		{in: "$${ok} ${}", wantErr: `invalid variable name ""`},
	}
	for _, tt := range tests {
		got, err := ParseTemplate(tt.in, pos)
		if tt.wantErr != "" {
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), tt.wantErr) || e.Pos != pos {
				t.Errorf("ParseTemplate(%q) error = %v, want *Error at %v containing %q", tt.in, err, pos, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseTemplate(%q): unexpected error %v", tt.in, err)
			continue
		}
		switch want := tt.want.(type) {
		case string:
			if got != want {
				t.Errorf("ParseTemplate(%q) = %#v, want string %q", tt.in, got, want)
			}
		case []Part:
			tmpl, ok := got.(*Template)
			if !ok || !equalTree(tmpl, &Template{Parts: want, Pos: pos}) {
				t.Errorf("ParseTemplate(%q) = %#v, want parts %#v", tt.in, got, want)
			}
		}
	}
}

func TestParseTemplateOverridesPos(t *testing.T) {
	t.Parallel()
	_, err := ParseTemplate("${", Pos{File: "overrides", Path: "custom.note"})
	if err == nil || !strings.HasPrefix(err.Error(), "overrides at custom.note: unterminated") {
		t.Fatalf("error = %v, want it to start with the override position", err)
	}
}

func TestEscape(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"${X}", "$${X}"},
		{"$${X}", "$$${X}"},
		{"$", "$"},
		{"a${b}${c", "a$${b}$${c"},
	}
	for _, tt := range tests {
		got := Escape(tt.in)
		if got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		back, err := ParseTemplate(got, Pos{})
		if err != nil || back != tt.in {
			t.Errorf("ParseTemplate(Escape(%q)) = %#v, %v; want the input back", tt.in, back, err)
		}
	}
}

func TestTemplateString(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"${X}", "a ${X} b", "$${lit} ${Y}", "${A}${B}"} {
		v, err := ParseTemplate(in, Pos{})
		if err != nil {
			t.Fatal(err)
		}
		if got := v.(*Template).String(); got != in {
			t.Errorf("String() = %q, want %q", got, in)
		}
	}
}

func TestFromOverrides(t *testing.T) {
	t.Parallel()
	shared := map[string]any{"size": int64(3), "name": "plain"}
	in := map[string]any{
		"untouched": shared,
		"custom": map[string]any{
			"note":    "tenant ${TENANT_ID}",
			"escaped": "literal $${HOME}",
			"plain":   "no placeholders $5",
			"list":    []any{"a", "${B}", int64(1), nil, true, 1.5},
		},
	}
	before := deepCopy(in)
	got, err := FromOverrides(in, "overrides")
	if err != nil {
		t.Fatal(err)
	}
	if !equalTree(in, before) {
		t.Fatalf("FromOverrides mutated its input")
	}
	want := map[string]any{
		"untouched": map[string]any{"size": int64(3), "name": "plain"},
		"custom": map[string]any{
			"note": &Template{
				Parts: []Part{{Literal: "tenant "}, {Var: "TENANT_ID"}},
				Pos:   Pos{File: "overrides", Path: "custom.note"},
			},
			"escaped": "literal ${HOME}",
			"plain":   "no placeholders $5",
			"list": []any{"a", &Template{
				Parts: []Part{{Var: "B"}},
				Pos:   Pos{File: "overrides", Path: "custom.list[1]"},
			}, int64(1), nil, true, 1.5},
		},
	}
	if !equalTree(got, want) {
		t.Fatalf("FromOverrides = %#v\nwant %#v", got, want)
	}
	if u, _ := Lookup(got, "untouched"); !sameMap(u, shared) {
		t.Errorf("a subtree without templates was copied, want it shared")
	}

	// Nothing to parse: the very same tree comes back.
	plain := map[string]any{"a": map[string]any{"b": "c"}}
	if got, err := FromOverrides(plain, "overrides"); err != nil || !sameMap(got, plain) {
		t.Errorf("FromOverrides(no templates) = %v, %v; want the input itself", got, err)
	}
}

func TestFromOverridesErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   any
		want string
	}{
		{map[string]any{"custom": map[string]any{"note": "${1X}"}},
			`overrides at custom.note: invalid variable name "1X"`},
		{map[string]any{"custom": []any{"ok", "${"}},
			`overrides at custom[1]: unterminated placeholder`},
		{map[string]any{"custom": map[string]any{"n": 3}},
			`custom.n: unsupported value of type int`},
		{[]any{map[string]string{}}, `[0]: unsupported value of type map[string]string`},
		// The first error in key order is reported, whatever the map order.
		{map[string]any{"b": "${", "a": "${", "c": "${"}, `overrides at a: unterminated`},
	}
	for _, tt := range tests {
		for range 5 {
			_, err := FromOverrides(tt.in, "overrides")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("FromOverrides(%#v) error = %v, want prefix %q", tt.in, err, tt.want)
				break
			}
		}
	}
}
