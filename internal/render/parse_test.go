package render

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// One parser reads a rendered configuration as the canonical YAML and as
// JSON (the export, or any JSON of the same tree) into the tree Render made.
func TestParseRenderedJSONAndYAML(t *testing.T) {
	t.Parallel()
	in := input("premium")
	in.Overrides = map[string]any{"custom": map[string]any{
		"big": json.Number("123456789012345678901234567890"), "tiny": json.Number("0.1000000000000000000001"),
		"four": 4.0, "tenth": 0.1, "n": int64(-7), "max": int64(9223372036854775807), "s": "é \"q\" / \\ $${X}", "l": []any{true, nil, "x"},
	}}
	res := mustRender(t, defaultCatalog(t), in)
	fromYAML, err := ParseRendered(shownYAML(t, res))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromYAML, res.Config) {
		t.Fatal("ParseRendered(YAML) differs from Config")
	}
	js, err := Export(shownYAML(t, res), "json")
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"compact": js, "indented": indentJSON(t, js)} {
		fromJSON, err := ParseRenderedConfig(text)
		if err != nil {
			t.Fatalf("%s JSON: %v", name, err)
		}
		if !reflect.DeepEqual(fromJSON, res.Config) {
			t.Errorf("ParseRendered(%s JSON) differs from Config", name)
		}
	}
	custom, _ := fromYAML["custom"].(map[string]any)
	for k, want := range map[string]any{"big": json.Number("123456789012345678901234567890"), "tiny": json.Number("0.1000000000000000000001"),
		"four": 4.0, "tenth": 0.1, "n": int64(-7), "max": int64(9223372036854775807)} {
		if got := custom[k]; got != want {
			t.Errorf("custom.%s = %#v (%T), want %#v (%T)", k, got, got, want, want)
		}
	}
}

func indentJSON(t *testing.T, text string) string {
	t.Helper()
	var v any
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// What the parser refuses, each with a reason that names the line.
func TestParseRenderedRefuses(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ text, want string }{
		"duplicate YAML key":         {"tenant_info:\n  tenant_id: a\ntenant_info:\n  tenant_id: b\n", `line 3: duplicate key "tenant_info" (first at line 1)`},
		"duplicate JSON key":         {`{"tenant_info": {"tenant_id": "a"}, "tenant_info": {"tenant_id": "b"}}`, `duplicate key "tenant_info"`},
		"duplicate nested JSON key":  {"{\"a\": {\"b\": 1,\n \"b\": 2}}", `line 2: duplicate key "b"`},
		"a number beyond float64":    {`{"custom": {"x": 1e400}}`, "does not fit a 64-bit float"},
		"a YAML number beyond":       {"custom:\n  x: 1e400\n", "line 2: the number \"1e400\" does not fit"},
		"a hexadecimal number":       {"a: 0x1F\n", "not written in decimal"},
		"infinity":                   {"a: .inf\n", "infinity and NaN"},
		"an anchor":                  {"a: &x 1\nb: *x\n", "anchor &x"},
		"a tag":                      {"a: !!str 1\n", "tag"},
		"two documents":              {"a: 1\n---\nb: 2\n", "more than one document"},
		"a list":                     {"[1, 2]", "not a mapping"},
		"a YAML 1.1 boolean":         {"a: yes\nb: True\n", "write the boolean \"True\""},
		"broken JSON":                {`{"a": [1, 2}`, "not a rendered configuration"},
		"a merge key":                {"a: {b: 1}\nc:\n  <<: {b: 2}\n", "plain string"},
		"a text of more than 4 MiB":  {"a: " + strings.Repeat("x", MaxRenderedTextBytes), "more than the 4 MiB"},
		"an empty text":              {" \n", "empty"},
		"a short quote of long keys": {"a: 1\n" + strings.Repeat("k", 1000) + ": 1\n" + strings.Repeat("k", 1000) + ": 2\n", "… (1000 bytes)"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseRendered(tc.text)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if strings.HasSuffix(err.Error(), ".") {
				t.Errorf("the error ends with a full stop (Terraform adds one): %q", err)
			}
		})
	}
}

// Export refuses a duplicate key as validate_access does: both parse with
// ParseRenderedConfig.
func TestExportRefusesDuplicateKeys(t *testing.T) {
	t.Parallel()
	res := mustRender(t, defaultCatalog(t), input("standard"))
	dup := shownYAML(t, res) + "tenant_info:\n  tenant_id: other\n"
	if _, err := Export(dup, "json"); err == nil || !strings.Contains(err.Error(), `duplicate key "tenant_info"`) {
		t.Errorf("Export: %v, want the duplicate key", err)
	}
	if _, err := ParseRenderedConfig(dup); err == nil || !strings.Contains(err.Error(), `duplicate key "tenant_info"`) {
		t.Errorf("ParseRenderedConfig: %v, want the duplicate key", err)
	}
}

// Whatever text ParseRendered accepts, as YAML or JSON, reads back the same
// after the canonical YAML and the JSON export of it: one parser, exact
// numbers, no panic.
func FuzzParseRendered(f *testing.F) {
	for _, s := range []string{
		"a: 1\nb: [1.5, 2.0, 0.1, x]\nc: {d: null, e: true}\n",
		`{"a": 1e20, "b": 12345678901234567890123, "c": "\u00e9\/", "d": [0.30000000000000004]}`,
		"a: 1\na: 2\n", `{"a": 1, "a": 2}`, "a: 1e400\n", "a: &x 1\nb: *x\n", "- 1\n", "a: 0x10\n",
		"\"k\": \"v\"\n", "a: -0.0\n", "a: 1E+2\n", "{}", "a: '1'\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cfg, err := ParseRendered(text)
		if err != nil {
			return
		}
		y, err := tree.Encode(cfg)
		if err != nil {
			return // a key or string the canonical YAML cannot hold
		}
		back, err := ParseRendered(string(y))
		if err != nil || !reflect.DeepEqual(back, cfg) {
			t.Fatalf("the canonical YAML reads back differently (%v):\n%s", err, y)
		}
		var buf strings.Builder
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(exactNumbers(cfg)); err != nil {
			t.Fatal(err)
		}
		back, err = ParseRendered(buf.String())
		if err != nil || !reflect.DeepEqual(back, cfg) {
			t.Fatalf("the JSON reads back differently (%v):\n%s", err, buf.String())
		}
	})
}
