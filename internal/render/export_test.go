package render

import (
	"encoding/json"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// Export in either format holds exactly the rendered configuration, and
// YAML export of a render is the render itself.
func TestExport(t *testing.T) {
	t.Parallel()
	res := mustRender(t, defaultCatalog(t), secretInput(t))
	want, err := ParseRendered(shownYAML(t, res))
	if err != nil {
		t.Fatal(err)
	}
	y, err := Export(shownYAML(t, res), "yaml")
	if err != nil || y != shownYAML(t, res) {
		t.Fatalf("YAML export differs from rendered_yaml (%v)", err)
	}
	j, err := Export(shownYAML(t, res), "json")
	if err != nil {
		t.Fatal(err)
	}
	var got any
	if err := json.Unmarshal([]byte(j), &got); err != nil {
		t.Fatal(err)
	}
	var viaYAML any
	if err := yaml.Unmarshal([]byte(shownYAML(t, res)), &viaYAML); err != nil {
		t.Fatal(err)
	}
	b1, _ := json.Marshal(viaYAML)
	b2, _ := json.Marshal(got)
	if string(b1) != string(b2) || len(want) == 0 {
		t.Errorf("JSON export differs from the YAML")
	}
	if again, _ := Export(shownYAML(t, res), "json"); again != j {
		t.Error("JSON export is not deterministic")
	}
	// rendered_json in, the same text out, and its YAML is the render's.
	if j != res.JSON {
		t.Errorf("JSON export of the YAML is not rendered_json:\n%.300s\n%.300s", j, res.JSON)
	}
	if again, err := Export(res.JSON, "json"); err != nil || again != res.JSON {
		t.Errorf("JSON export of rendered_json is not rendered_json (%v)", err)
	}
	if y, err := Export(res.JSON, "yaml"); err != nil || y != shownYAML(t, res) {
		t.Errorf("YAML export of rendered_json is not the render's YAML (%v)", err)
	}
	if y, err := Export(res.SensitiveJSON, "yaml"); err != nil || y != fullYAML(t, res) {
		t.Errorf("YAML export of rendered_json_sensitive is not the full YAML (%v)", err)
	}
	full, _ := Export(fullYAML(t, res), "json")
	if !strings.Contains(full, pgPassword) || strings.Contains(j, pgPassword) {
		t.Error("the sensitive export should hold the secret, the plain one not")
	}
	for _, bad := range []struct{ text, format, want string }{
		{"a: 1\n", "yaml", "not a rendered configuration"},
		{"- 1\n", "json", "not a mapping"},
		{"a: [", "json", "not a rendered configuration"},
		{shownYAML(t, res), "toml", `"toml" is not a format`},
	} {
		if _, err := Export(bad.text, bad.format); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("Export(%q, %q) error %v, want %q", bad.text, bad.format, err, bad.want)
		}
	}
}

// Numbers come out of an export exactly as rendered.
func TestExportKeepsNumbers(t *testing.T) {
	t.Parallel()
	in := input("standard")
	in.Overrides = map[string]any{"custom": map[string]any{
		"big": json.Number("123456789012345678901234567890"), "tiny": json.Number("0.1000000000000000000001"), "four": 4.0,
	}}
	res := mustRender(t, defaultCatalog(t), in)
	y, err := Export(shownYAML(t, res), "yaml")
	if err != nil || y != shownYAML(t, res) {
		t.Fatalf("YAML export differs from the render (%v)", err)
	}
	j, _ := Export(shownYAML(t, res), "json")
	for _, want := range []string{`"big":123456789012345678901234567890`, `"tiny":0.1000000000000000000001`, `"four":4.0`} {
		if !strings.Contains(j, want) {
			t.Errorf("JSON export lacks %s", want)
		}
	}
}
