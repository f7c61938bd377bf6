package render

import (
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
)

// renderShared renders in as Render does, and reports which sections of its
// overrides were its own (nil when it shared no reference).
func renderShared(t *testing.T, cat *catalog.Catalog, in Input) (*Result, Problems, []string) {
	t.Helper()
	tier, ps := checkInput(cat, in)
	if len(ps) > 0 {
		t.Fatalf("input: %v", ps)
	}
	ref := referenceFor(cat, tier, in.Environment)
	shared, rest := share(cat, tier, in, ref)
	var own []string
	if shared != nil {
		own = []string{}
		if m, ok := rest.Overrides.(map[string]any); ok {
			own = sortedKeys(m)
		}
		if rest.Regulations != nil {
			t.Fatal("regulations left to the tenant's own render")
		}
		ref, in = shared, rest
	}
	res, ps := render(cat, tier, in, ref)
	return res, ps, own
}

// Tenants with the same overrides and regulations share a reference from
// the third render on (the second makes their sections shared); tenants
// with other overrides or regulations never get its results.
func TestSharedOverrides(t *testing.T) {
	cat := freshCatalog(t)
	ov := overrides(t, benchOverrides)
	for _, name := range fuzzTiers {
		regs := []string{"GDPR"}
		if name == "free" {
			regs = []string{} // free claims none
		}
		tenants := fleet(name, 4, ov)
		for i := range tenants {
			tenants[i].Regulations = regs
		}
		for i, in := range tenants {
			res, ps, own := renderShared(t, cat, in)
			if (own != nil) != (i >= 2) || len(own) > 0 {
				t.Fatalf("tier %s, render %d: own sections %q", name, i, own)
			}
			checkUnshared(t, cat, in, res, ps)
			if len(ps) > 0 || !strings.Contains(res.YAML, in.TenantID+"@example.com") {
				t.Fatalf("tier %s: %v", name, ps)
			}
		}
		// One value changed, regulations unset or others: other inputs.
		changed := overrides(t, strings.Replace(benchOverrides, "CC-1234", "CC-9999", 1))
		for _, in := range []Input{
			func() Input { in := tenants[0]; in.Overrides = changed; return in }(),
			func() Input { in := tenants[0]; in.Regulations = nil; return in }(),
			func() Input { in := tenants[0]; in.Regulations = []string{"SOX"}; return in }(),
		} {
			for range 4 {
				res, ps := Render(cat, in)
				checkUnshared(t, cat, in, res, ps)
			}
		}
	}
}

// Tenants that share some sections of their overrides share a reference with
// those sections; each merges its own sections in its render.
func TestSharedSections(t *testing.T) {
	cat := freshCatalog(t)
	ov, _ := overrides(t, benchOverrides).(map[string]any)
	for i, in := range fleet("premium", 6, nil) {
		mine := maps.Clone(ov)
		custom := maps.Clone(ov["custom"].(map[string]any)) //nolint:forcetypeassert // benchOverrides has it
		custom["cost_center"] = in.TenantID
		mine["custom"] = custom
		if i%2 == 1 {
			mine["audit"] = map[string]any{"retention": map[string]any{"standard": fmt.Sprintf("%d_days", 30+i)}} // a section of its own
		}
		in.Overrides = mine
		res, ps, own := renderShared(t, cat, in)
		checkUnshared(t, cat, in, res, ps)
		if len(ps) > 0 || !strings.Contains(res.YAML, "cost_center: "+in.TenantID) {
			t.Fatalf("render %d: %v", i, ps)
		}
		want := []string{"custom"}
		if i%2 == 1 {
			want = []string{"audit", "custom"}
		}
		if i >= 2 && strings.Join(own, ",") != strings.Join(want, ",") {
			t.Fatalf("render %d: own sections %q, want %q", i, own, want)
		}
	}
}

// Regulations set, even to none, are not regulations unset: with overrides
// that set compliance.regulations too, they are set twice.
func TestSharedOverridesRegulationsSetOrNot(t *testing.T) {
	cat := freshCatalog(t)
	ov := overrides(t, "compliance: {regulations: []}")
	for _, in := range fleet("standard", 3, ov) {
		if _, ps := Render(cat, in); len(ps) > 0 {
			t.Fatal(ps)
		}
	}
	in := fleet("standard", 4, ov)[3]
	in.Regulations = []string{}
	res, ps := Render(cat, in)
	checkUnshared(t, cat, in, res, ps)
	if len(ps) != 1 || ps[0].Field != FieldRegulations {
		t.Fatalf("want regulations set twice, got %v", ps)
	}
	// The same with compliance a tenant's own section next to shared ones.
	shared := overrides(t, "monitoring: {log_level: warn}")
	for i, in := range fleet("standard", 4, shared) {
		in.Regulations = []string{"GDPR"}
		if i == 3 {
			m := maps.Clone(shared.(map[string]any)) //nolint:forcetypeassert // an object
			m["compliance"] = map[string]any{"regulations": []any{"GDPR"}}
			in.Overrides = m
		}
		res, ps := Render(cat, in)
		checkUnshared(t, cat, in, res, ps)
		if (len(ps) > 0) != (i == 3) {
			t.Fatalf("render %d: %v", i, ps)
		}
	}
}

// Overrides that do not render for the sample tenant are not shared: each
// render reports its own problems.
func TestSharedOverridesWithProblems(t *testing.T) {
	cat := freshCatalog(t)
	bad := overrides(t, "custom: {owner: '${OWNER}'}\nmonitoring: {alerts: {storage_threshold: 150}}")
	for i, in := range fleet("standard", 4, bad) {
		if i == 1 {
			in.Variables = map[string]string{"OWNER": "ops"}
		}
		res, ps := Render(cat, in)
		checkUnshared(t, cat, in, res, ps)
		if len(ps) == 0 {
			t.Fatalf("render %d: no problem", i)
		}
	}
}

// Profiles in use together keep their references: here one per tier, the
// tiers in turn, as a mixed fleet renders them.
func TestSharedOverridesProfilesInTurn(t *testing.T) {
	cat := freshCatalog(t)
	ov := overrides(t, benchOverrides)
	fleets := map[string][]Input{}
	for _, name := range fuzzTiers {
		fleets[name] = fleet(name, 4, ov)
	}
	for round := range 4 {
		for _, name := range fuzzTiers {
			in := fleets[name][round]
			res, ps, own := renderShared(t, cat, in)
			if len(ps) > 0 || (own != nil) != (round >= 2) {
				t.Fatalf("round %d, tier %s: own sections %q, problems %v", round, name, own, ps)
			}
			checkUnshared(t, cat, in, res, ps)
		}
	}
}

// Renders run concurrently, as Terraform plans tenants in parallel: the
// shared tables and memos give each the render it gets alone.
func TestSharedConcurrentRenders(t *testing.T) {
	cat := freshCatalog(t)
	ov, _ := overrides(t, benchOverrides).(map[string]any)
	var inputs []Input
	for _, name := range fuzzTiers {
		for i, in := range fleet(name, 24, nil) {
			mine := maps.Clone(ov)
			switch i % 3 {
			case 1: // a section of its own
				custom := maps.Clone(ov["custom"].(map[string]any)) //nolint:forcetypeassert // benchOverrides has it
				custom["cost_center"] = in.TenantID
				mine["custom"] = custom
			case 2: // no overrides
				mine = nil
			}
			if mine != nil {
				in.Overrides = mine
			}
			inputs = append(inputs, in)
		}
	}
	want := make([]string, len(inputs))
	alone := freshCatalog(t)
	for i, in := range inputs {
		res, ps := Render(alone, in)
		if len(ps) > 0 {
			t.Fatalf("%s: %v", in.TenantID, ps)
		}
		want[i] = res.YAML
	}
	var wg sync.WaitGroup
	errs := make(chan string, len(inputs))
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < len(inputs); i += 8 {
				res, ps := Render(cat, inputs[i])
				if len(ps) > 0 || res.YAML != want[i] {
					errs <- fmt.Sprintf("%s/%s: %v", inputs[i].Tier, inputs[i].TenantID, ps)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error("differs from a render alone:", e)
	}
}
