package render

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

func TestProblemError(t *testing.T) {
	t.Parallel()
	p := Problem{Field: FieldOverrides, Path: "monitoring.level", Summary: "Bad level", Detail: "Use basic."}
	if got, want := p.Error(), "overrides at monitoring.level: Bad level. Use basic."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	q := Problem{Field: FieldTier, Summary: "Unknown tier", Detail: "Pick one."}
	if got, want := (Problems{p, q}).Error(), "overrides at monitoring.level: Bad level. Use basic.\ntier: Unknown tier. Pick one."; got != want {
		t.Errorf("Problems.Error() = %q, want %q", got, want)
	}
}

func TestLockedPaths(t *testing.T) {
	t.Parallel()
	got := LockedPaths()
	for _, want := range []string{"tenant_info", "subscription.tier", "databases.postgresql.schemas", "databases.mongodb.collections", "databases.redis.namespaces"} {
		if !slices.Contains(got, want) {
			t.Errorf("LockedPaths() lacks %s: %q", want, got)
		}
	}
	// Every locked path is a key of the schema and is set in every tier's render.
	cs, err := configSchema()
	if err != nil {
		t.Fatal(err)
	}
	enterprise := mustRender(t, defaultCatalog(t), input("enterprise")).Config
	for _, p := range got {
		segs := strings.Split(p, ".")
		if !slices.Contains(cs.keysAt(segs[:len(segs)-1]), segs[len(segs)-1]) {
			t.Errorf("locked path %s is not in the schema", p)
		}
		if _, ok := tree.Lookup(enterprise, segs...); !ok {
			t.Errorf("locked path %s is not set in an enterprise render", p)
		}
	}
}

func TestSchema(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	if doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", doc["$schema"])
	}
	required, _ := doc["required"].([]any)
	var names []string
	for _, r := range required {
		names = append(names, r.(string))
	}
	slices.Sort(names)
	wantNames := []string{"audit", "backup", "compliance", "custom", "databases", "monitoring", "performance_tier", "security", "subscription", "support", "tenant_info"}
	if !slices.Equal(names, wantNames) {
		t.Errorf("required sections = %q, want %q", names, wantNames)
	}
	// The schema rejects what the rules reject at its level: a config with a
	// section missing is one problem per missing section.
	cfg := mustRender(t, defaultCatalog(t), input("standard")).Config
	trimmed := map[string]any{}
	for k, v := range cfg {
		if k != "audit" && k != "support" {
			trimmed[k] = v
		}
	}
	cs, err := configSchema()
	if err != nil {
		t.Fatal(err)
	}
	ps := cs.validate(trimmed, origins{})
	checkProblems(t, ps, []want{{FieldTier, "audit", []string{"audit is required"}}, {FieldTier, "support", []string{"support is required"}}})
}

// Numbers come out as written, also those a float64 cannot hold.
func TestExactNumbers(t *testing.T) {
	t.Parallel()
	in := input("standard")
	in.Overrides = map[string]any{"custom": map[string]any{
		"big": json.Number("12345678901234567890"), "tenth": 0.1, "long": json.Number("0.12345678901234567890123"),
	}}
	res := mustRender(t, defaultCatalog(t), in)
	for _, line := range []string{"  big: 12345678901234567890\n", "  tenth: 0.1\n", "  long: 0.12345678901234567890123\n"} {
		if !strings.Contains(shownYAML(t, res), line) {
			t.Errorf("rendered YAML lacks %q", line)
		}
	}
	back, err := ParseRendered(shownYAML(t, res))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := tree.Lookup(back, "custom", "big"); got != json.Number("12345678901234567890") {
		t.Errorf("ParseRendered reads big as %#v", got)
	}
	// A ceiling counts a json.Number like any number.
	in.Overrides = map[string]any{"databases": map[string]any{"postgresql": map[string]any{"resources": map[string]any{"storage_gb": json.Number("100000000000000000000")}}}}
	_, ps := Render(defaultCatalog(t), in)
	checkProblems(t, ps, []want{ov("databases.postgresql.resources.storage_gb", "exceeds the ceiling")})
}

// Every input is bounded: an oversized one is refused quickly, naming its
// argument, and quoting at most a short prefix of the value.
func TestOversizedInputs(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	huge := strings.Repeat("x", 10<<20)
	manyVars := map[string]string{}
	for i := range 100_000 {
		manyVars[fmt.Sprintf("V%d", i)] = "v"
	}
	bigKeys := map[string]any{}
	for i := range 100_000 {
		bigKeys[fmt.Sprintf("k%d", i)] = map[string]any{"a": []any{int64(i), "v"}}
	}
	hundred := map[string]any{}
	for i := range 100 {
		hundred[fmt.Sprintf("k%d", i)] = "${BIG}"
	}
	for name, tc := range map[string]struct {
		edit  func(*Input)
		field Field
	}{
		"region":             {func(in *Input) { in.Region = huge }, FieldRegion},
		"time zone":          {func(in *Input) { in.Timezone = huge }, FieldTimezone},
		"tenant name":        {func(in *Input) { in.TenantName = huge }, FieldTenantName},
		"tier":               {func(in *Input) { in.Tier = huge }, FieldTier},
		"tenant id":          {func(in *Input) { in.TenantID = huge }, FieldTenantID},
		"a string in custom": {func(in *Input) { in.Overrides = map[string]any{"custom": map[string]any{"big": huge}} }, FieldOverrides},
		"a key in custom":    {func(in *Input) { in.Overrides = map[string]any{"custom": map[string]any{huge: int64(1)}} }, FieldOverrides},
		"100,000 keys":       {func(in *Input) { in.Overrides = map[string]any{"custom": bigKeys} }, FieldOverrides},
		"100,000 variables":  {func(in *Input) { in.Variables = manyVars }, FieldVariables},
		"a 1 MB variable":    {func(in *Input) { in.Variables = map[string]string{"BIG": huge[:1<<20]} }, FieldVariables},
		"a secret of 1 MB":   {func(in *Input) { in.SensitiveVariables = map[string]string{"BIG": huge[:1<<20]} }, FieldSensitiveVariables},
		"a variable used 100 times": {func(in *Input) {
			in.Variables = map[string]string{"BIG": huge[:60<<10]}
			in.Overrides = map[string]any{"custom": hundred}
		}, FieldVariables},
	} {
		t.Run(name, func(t *testing.T) {
			in := input("premium")
			tc.edit(&in)
			start := time.Now()
			_, ps := Render(cat, in)
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("refused after %s", took)
			}
			if len(ps) == 0 {
				t.Fatal("accepted")
			}
			for _, p := range ps {
				if len(p.Summary)+len(p.Detail) > 2000 {
					t.Errorf("the problem quotes the value (%d bytes): %.300s", len(p.Summary)+len(p.Detail), p.Error())
				}
			}
			if ps[0].Field != tc.field {
				t.Errorf("field %s, want %s: %s", ps[0].Field, tc.field, ps[0].Error())
			}
		})
	}
}
