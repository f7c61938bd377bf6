package tree

import (
	"fmt"
	"strings"
	"testing"
)

// benchTemplate returns a YAML template with about 300 leaves, a fifth of
// them placeholders, shaped like a tenant's database configuration.
func benchTemplate() string {
	var b strings.Builder
	b.WriteString("tenant_info:\n  id: ${TENANT_ID}\n  name: ${TENANT_NAME}\n  region: ${REGION}\n  port: ${PORT}\n")
	b.WriteString("databases:\n")
	for i := range 10 {
		fmt.Fprintf(&b, "  db%d:\n", i)
		fmt.Fprintf(&b, "    name: db_${TENANT_ID}_%d\n    version: \"16.%d\"\n    port: ${PORT}\n", i, i)
		b.WriteString("    enabled: true\n    ratio: 0.75\n    url: postgres://${TENANT_ID}.internal:${PORT}/main\n")
		b.WriteString("    settings:\n")
		for j := range 17 {
			fmt.Fprintf(&b, "      setting_%02d: value-%d\n", j, j)
		}
		b.WriteString("    hosts: [primary, replica-1, \"${REGION}-replica\"]\n")
		b.WriteString("    limits: {cpu: 2, memory_mb: 4096, iops: 3000, note: \"plain: text\"}\n")
	}
	return b.String()
}

var benchVars = map[string]any{
	"TENANT_ID":   "acme",
	"TENANT_NAME": "Acme Corp",
	"REGION":      "eu-west-1",
	"PORT":        int64(5432),
}

func benchOverlay() map[string]any {
	return map[string]any{
		"databases": map[string]any{
			"db3": map[string]any{"version": "17.0", "settings": map[string]any{"setting_01": "changed", "setting_02": nil}},
			"db7": map[string]any{"hosts": []any{"only"}, "limits": map[string]any{"cpu": int64(4)}},
		},
		"custom": map[string]any{"note": "added"},
	}
}

func countLeaves(v any) int {
	switch x := v.(type) {
	case map[string]any:
		n := 0
		for _, y := range x {
			n += countLeaves(y)
		}
		return n
	case []any:
		n := 0
		for _, y := range x {
			n += countLeaves(y)
		}
		return n
	}
	return 1
}

func TestBenchTreeSize(t *testing.T) {
	t.Parallel()
	v := parseYAML(t, "bench.yml", benchTemplate())
	if n := countLeaves(v); n < 280 || n > 320 {
		t.Fatalf("bench tree has %d leaves, want about 300", n)
	}
}

func BenchmarkEncode(b *testing.B) {
	v := parseYAML(b, "bench.yml", benchTemplate())
	v, err := Substitute(v, benchVars)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendEncode(b *testing.B) {
	v := parseYAML(b, "bench.yml", benchTemplate())
	v, err := Substitute(v, benchVars)
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 16<<10)
	b.ReportAllocs()
	for b.Loop() {
		if buf, err = AppendEncode(buf[:0], v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMerge(b *testing.B) {
	base := parseYAML(b, "bench.yml", benchTemplate())
	overlay := benchOverlay()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Merge(base, overlay); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSubstitute(b *testing.B) {
	v := parseYAML(b, "bench.yml", benchTemplate())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Substitute(v, benchVars); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender is the per-render pipeline: merge an overlay, substitute
// and encode.
func BenchmarkRender(b *testing.B) {
	base := parseYAML(b, "bench.yml", benchTemplate())
	overlay, err := FromOverrides(benchOverlay(), "overrides")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		v, err := Merge(base, overlay)
		if err == nil {
			v, err = Substitute(v, benchVars)
		}
		if err == nil {
			_, err = Encode(v)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFromYAML(b *testing.B) {
	src := benchTemplate()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseYAMLErr("bench.yml", src); err != nil {
			b.Fatal(err)
		}
	}
}
