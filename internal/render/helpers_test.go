package render

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// defaultCatalog returns the embedded catalog or stops the test.
func defaultCatalog(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	cat, err := catalog.Default()
	if err != nil {
		tb.Fatalf("loading the embedded catalog: %v", err)
	}
	return cat
}

// input returns a valid input for a tenant of tier in production.
func input(tier string) Input {
	return Input{
		TenantID:    "acme",
		TenantName:  "Acme Corp",
		Tier:        tier,
		Environment: "production",
		Region:      "eu-west-1",
		Timezone:    "Europe/Berlin",
	}
}

// overrides parses YAML into an overrides tree shaped like the one the
// provider builds from HCL: maps with string keys, lists, strings kept
// literally, int64 for whole numbers, float64 otherwise, nil for null.
func overrides(tb testing.TB, text string) any {
	tb.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(text), &v); err != nil {
		tb.Fatalf("overrides YAML: %v\n%s", err, text)
	}
	out, err := plainTree(v)
	if err != nil {
		tb.Fatalf("overrides YAML: %v\n%s", err, text)
	}
	return out
}

// plainTree converts a value decoded by yaml.v3 into a tree with the types
// the provider produces, or returns why it cannot.
func plainTree(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, int64:
		return x, nil
	case string:
		if !utf8.ValidString(x) {
			return nil, fmt.Errorf("string is not valid UTF-8")
		}
		return x, nil
	case int:
		return int64(x), nil
	case uint64:
		return float64(x), nil
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, fmt.Errorf("number %v is not finite", x)
		}
		return x, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if !utf8.ValidString(k) {
				return nil, fmt.Errorf("key is not valid UTF-8")
			}
			c, err := plainTree(e)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := plainTree(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	default:
		return nil, fmt.Errorf("value of type %T is not a tree value", v)
	}
}

// mustRender renders in and stops the test on any problem.
func mustRender(tb testing.TB, cat *catalog.Catalog, in Input) *Result {
	tb.Helper()
	res, ps := Render(cat, in)
	if len(ps) > 0 {
		tb.Fatalf("Render(%s/%s) failed:\n%s", in.Tier, in.Environment, describe(ps))
	}
	return res
}

// describe lists problems one per line, for failure messages.
func describe(ps Problems) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "  field=%s path=%q summary=%q detail=%q\n", p.Field, p.Path, p.Summary, p.Detail)
	}
	return b.String()
}

// lookup returns the value at a dotted path of a rendered configuration.
func lookup(tb testing.TB, cfg map[string]any, dotted string) any {
	tb.Helper()
	v, ok := tree.Lookup(cfg, strings.Split(dotted, ".")...)
	if !ok {
		tb.Fatalf("%s is not set in the rendered configuration", dotted)
	}
	return v
}

// shownYAML is the canonical YAML of a render's configuration without
// secrets (what export(rendered_json, "yaml") gives).
func shownYAML(tb testing.TB, res *Result) string {
	tb.Helper()
	b, err := tree.Encode(res.Shown)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// fullYAML is the canonical YAML of a render's full configuration.
func fullYAML(tb testing.TB, res *Result) string {
	tb.Helper()
	text, err := res.FullYAML()
	if err != nil {
		tb.Fatal(err)
	}
	return text
}
