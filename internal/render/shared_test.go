package render

import (
	"strings"
	"testing"
)

// Tenants with the same overrides and regulations share a reference from
// their second render on; tenants with other overrides or regulations never
// get its results.
func TestSharedOverrides(t *testing.T) {
	cat := freshCatalog(t)
	ov := overrides(t, benchOverrides)
	for _, name := range fuzzTiers {
		tier, _ := cat.Tier(name)
		ref := referenceFor(cat, tier, "production")
		regs := []string{"GDPR"}
		if name == "free" {
			regs = []string{} // free claims none
		}
		tenants := fleet(name, 3, ov)
		for i := range tenants {
			tenants[i].Regulations = regs
		}
		for i, in := range tenants {
			shared := sharedReference(cat, tier, in, ref)
			if (shared != nil) != (i > 0) {
				t.Fatalf("tier %s, render %d: shared reference %v", name, i, shared != nil)
			}
			res, ps := Render(cat, in)
			checkUnshared(t, cat, in, res, ps)
			if len(ps) > 0 || !strings.Contains(res.YAML, in.TenantID+"@example.com") {
				t.Fatalf("tier %s: %v", name, ps)
			}
		}
		// One value changed, regulations unset or empty: other inputs.
		changed := overrides(t, strings.Replace(benchOverrides, "CC-1234", "CC-9999", 1))
		for _, in := range []Input{
			func() Input { in := tenants[0]; in.Overrides = changed; return in }(),
			func() Input { in := tenants[0]; in.Regulations = nil; return in }(),
			func() Input { in := tenants[0]; in.Regulations = []string{"SOX"}; return in }(),
		} {
			for range 3 {
				res, ps := Render(cat, in)
				checkUnshared(t, cat, in, res, ps)
			}
		}
	}
}

// Regulations set, even to none, are not regulations unset: with overrides
// that set compliance.regulations too, they are set twice.
func TestSharedOverridesRegulationsSetOrNot(t *testing.T) {
	cat := freshCatalog(t)
	ov := overrides(t, "compliance: {regulations: []}")
	for _, in := range fleet("standard", 2, ov) {
		if _, ps := Render(cat, in); len(ps) > 0 {
			t.Fatal(ps)
		}
	}
	in := fleet("standard", 3, ov)[2]
	in.Regulations = []string{}
	res, ps := Render(cat, in)
	checkUnshared(t, cat, in, res, ps)
	if len(ps) != 1 || ps[0].Field != FieldRegulations {
		t.Fatalf("want regulations set twice, got %v", ps)
	}
}

// Overrides that do not render for the sample tenant are not shared: each
// render reports its own problems.
func TestSharedOverridesWithProblems(t *testing.T) {
	cat := freshCatalog(t)
	bad := overrides(t, "custom: {owner: '${OWNER}'}\nmonitoring: {alerts: {storage_threshold: 150}}")
	for i, in := range fleet("standard", 3, bad) {
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
		fleets[name] = fleet(name, 3, ov)
	}
	for round := range 3 {
		for _, name := range fuzzTiers {
			tier, _ := cat.Tier(name)
			in := fleets[name][round]
			shared := sharedReference(cat, tier, in, referenceFor(cat, tier, in.Environment))
			if (shared != nil) != (round > 0) {
				t.Fatalf("round %d, tier %s: shared reference %v", round, name, shared != nil)
			}
		}
	}
}
