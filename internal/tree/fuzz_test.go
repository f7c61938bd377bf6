package tree

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// FuzzParseTemplate parses arbitrary text and substitutes arbitrary
// values into the result. Nothing may panic, plain results must survive
// Escape, and substitution must insert values literally.
func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{"", "plain", "${X}", "a${X}b${Y}", "$${X}", "$$${X}", "${", "${1}", "$",
		"${A}${A}", "x$", "${_}$${", "日本${X}"} {
		f.Add(s, "value")
	}
	f.Add("${X}", "${Y}")
	f.Add("a ${X} b", "$${Z}: #\n- x")
	f.Fuzz(func(t *testing.T, s, val string) {
		pos := Pos{File: "fuzz.yml", Line: 3, Path: "a.b"}
		got, err := ParseTemplate(s, pos)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Pos != pos || !strings.HasPrefix(err.Error(), "fuzz.yml:3: ") {
				t.Fatalf("ParseTemplate(%q) error %v does not name its position", s, err)
			}
			if !strings.Contains(s, "${") {
				t.Fatalf("ParseTemplate(%q) failed without a placeholder: %v", s, err)
			}
			return
		}
		switch v := got.(type) {
		case string:
			if !strings.Contains(s, "$${") && v != s {
				t.Fatalf("ParseTemplate(%q) = %q, want the text unchanged", s, v)
			}
			checkLiteral(t, v)
		case *Template:
			if v.Pos != pos || len(v.Parts) == 0 {
				t.Fatalf("ParseTemplate(%q) = %#v", s, v)
			}
			vars := map[string]any{}
			var want strings.Builder
			lastLiteral := false
			reversible := true // whether String() parses back to the same parts
			for _, p := range v.Parts {
				switch {
				case p.Var != "":
					if !validName(p.Var) || p.Literal != "" {
						t.Fatalf("ParseTemplate(%q): bad part %#v", s, p)
					}
					vars[p.Var] = val
					want.WriteString(val)
					lastLiteral = false
				case p.Literal == "" || lastLiteral:
					t.Fatalf("ParseTemplate(%q): empty or adjacent literal parts %#v", s, v.Parts)
				default:
					want.WriteString(p.Literal)
					lastLiteral = true
					if strings.HasSuffix(p.Literal, "$") {
						reversible = false // "$" before "${" reads as "$${"
					}
				}
			}
			out, err := Substitute(v, vars)
			if err != nil {
				t.Fatalf("Substitute(%q): %v", s, err)
			}
			if out != want.String() {
				t.Fatalf("Substitute(%q, %q) = %q, want %q", s, val, out, want.String())
			}
			checkLiteral(t, out.(string))
			if reversible {
				back, err := ParseTemplate(v.String(), pos)
				if err != nil || !equalTree(back, v) {
					t.Fatalf("ParseTemplate(%q.String() = %q) = %#v, %v", s, v.String(), back, err)
				}
			}
		default:
			t.Fatalf("ParseTemplate(%q) returned %T", s, got)
		}
	})
}

// checkLiteral checks that text without placeholders survives Escape and
// ParseTemplate, and Encode and decoding when it is valid UTF-8.
func checkLiteral(t *testing.T, s string) {
	t.Helper()
	back, err := ParseTemplate(Escape(s), Pos{})
	if err != nil || back != s {
		t.Fatalf("ParseTemplate(Escape(%q)) = %#v, %v", s, back, err)
	}
	if utf8.ValidString(s) {
		roundTrip(t, s)
	}
}

// FuzzMerge builds two trees from YAML and merges them. Merge must not
// panic or mutate its inputs, must agree with a simple reference merge,
// and its result must survive Encode and decoding.
func FuzzMerge(f *testing.F) {
	seeds := [][2]string{
		{"a: 1\nb: {c: 2}\n", "b: {c: 3, d: null}\n"},
		{"db:\n  pg: {v: 15, hosts: [a, b]}\n", "db:\n  pg: {hosts: [c]}\n  redis: {size: ${S}}\n"},
		{"a: {b: 1}\n", "a: x\n"},
		{"a: x\n", "a: {b: 1}\n"},
		{"[1, 2]\n", "{a: 1}\n"},
		{"a: &x {b: 1}\nc: *x\n", "c: {b: null}\n"},
		{"", "a: 'yes'\nb: \"1e3\"\nc: '~'\n"},
		{"k: v\n", "null\n"},
		{"a: ${X} and $${Y}\n", "b: [${Z}, 1.5, true]\n"},
		{"a: &x {b: 1, c: [2]}\nl: [*x, {d: *x}]\nt: {n: ${N}, m: ${MM}}\n", "t: {o: x-${MM}-${N}}\n"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		base, ok := fuzzTree(a)
		if !ok {
			return
		}
		overlay, ok := fuzzTree(b)
		if !ok {
			return
		}
		agreesWithYAMLv3(t, a, base)
		agreesWithYAMLv3(t, b, overlay)
		baseCopy, overlayCopy := deepCopy(base), deepCopy(overlay)
		got, err := Merge(base, overlay)
		if !equalTree(base, baseCopy) || !equalTree(overlay, overlayCopy) {
			t.Fatalf("Merge mutated an input")
		}
		want, refErr := referenceMerge(baseCopy, overlayCopy)
		if (err == nil) != (refErr == nil) {
			t.Fatalf("Merge error %v, reference error %v", err, refErr)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(e.Msg, "cannot merge") {
				t.Fatalf("Merge error %v is not a clash *Error", err)
			}
			return
		}
		if !equalTree(got, want) {
			t.Fatalf("Merge = %#v\nreference %#v", got, want)
		}

		// Resolve every template, then check that the result round-trips.
		names := map[string]bool{}
		templateVars(got, names)
		vars := map[string]any{}
		for name := range names {
			vars[name] = "${" + name + "}: #\n- x"
		}
		resolved, err := Substitute(got, vars)
		if err != nil {
			t.Fatalf("Substitute: %v", err)
		}
		if !equalTree(got, want) {
			t.Fatalf("Substitute mutated its input")
		}
		roundTrip(t, resolved)
	})
}

// fuzzTree parses s as YAML into a tree, reporting false when s is not a
// YAML document this package accepts or is too large to be interesting.
func fuzzTree(s string) (any, bool) {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(s), &n); err != nil {
		return nil, false
	}
	v, err := FromYAML(&n, "fuzz.yml")
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || e.Pos.File != "fuzz.yml" || e.Pos.Line <= 0 {
			panic("FromYAML error without a position: " + err.Error())
		}
		return nil, false
	}
	if CheckLimits(v, 64, 10_000) != nil {
		return nil, false
	}
	return v, true
}

// agreesWithYAMLv3 checks that tree, converted from src by FromYAML,
// equals what yaml.v3 itself decodes from src, for documents without
// placeholders or tags (where the two readers differ by design).
func agreesWithYAMLv3(t *testing.T, src string, tree any) {
	t.Helper()
	if strings.ContainsAny(src, "$!") {
		return
	}
	var v any
	if err := yaml.Unmarshal([]byte(src), &v); err != nil {
		t.Fatalf("yaml.v3 rejects %q, which FromYAML accepted: %v", src, err)
	}
	want, err := normalize(v)
	if err != nil {
		return // a timestamp or a non-string key: kept as text or rejected here
	}
	if !equalTree(tree, want) {
		t.Fatalf("FromYAML(%q) = %#v, yaml.v3 decodes %#v", src, tree, want)
	}
}

// referenceMerge is a direct, copying implementation of Merge's rules.
func referenceMerge(base, overlay any) (any, error) {
	if overlay == nil {
		return base, nil
	}
	om, overlayIsMap := overlay.(map[string]any)
	bm, baseIsMap := base.(map[string]any)
	if overlayIsMap && base == nil {
		bm, baseIsMap = map[string]any{}, true
	}
	switch {
	case overlayIsMap && baseIsMap:
		out := map[string]any{}
		for k, v := range bm {
			out[k] = v
		}
		for k, ov := range om {
			if ov == nil {
				delete(out, k)
				continue
			}
			nv, err := referenceMerge(out[k], ov)
			if err != nil {
				return nil, err
			}
			out[k] = nv
		}
		return out, nil
	case overlayIsMap || baseIsMap:
		return nil, errors.New("clash")
	}
	return overlay, nil
}

// FuzzEncode checks that any string, as a value and as a key, and any
// number round-trip through Encode and yaml.v3.
func FuzzEncode(f *testing.F) {
	for _, s := range []string{"", "yes", "1e3", "0x10", " lead", "a: b", "#x", "-", "null", "~", "日本",
		"\u2028", "\x00", "\ufeff", "a\r\nb", "key:", "${X}", "\xff", strings.Repeat("x", 1100)} {
		f.Add(s, int64(1), 1.5, true)
	}
	f.Add("x", int64(math.MinInt64), math.Inf(1), false)
	f.Add("x", int64(0), math.Copysign(0, -1), false)
	f.Fuzz(func(t *testing.T, s string, i int64, fl float64, b bool) {
		v := map[string]any{
			s:      s,
			"list": []any{s, i, fl, b, nil, map[string]any{s: []any{s}}, []any{[]any{s}}},
			"int":  i,
		}
		_, err := Encode(v)
		switch {
		case !utf8.ValidString(s):
			if err == nil {
				t.Fatalf("Encode accepted invalid UTF-8 %q", s)
			}
			return
		case math.IsNaN(fl) || math.IsInf(fl, 0):
			if err == nil {
				t.Fatalf("Encode accepted %v", fl)
			}
			delete(v, "list")
		}
		roundTrip(t, v)
		roundTrip(t, s)
		roundTrip(t, []any{s})
	})
}
