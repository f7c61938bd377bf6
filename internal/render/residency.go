package render

import (
	"fmt"
	"path"
	"strings"
)

// residency enforces compliance.data_residency: when it is enabled and
// allowed_regions is set, every region the configuration names (the
// tenant's region, the disaster-recovery failover regions and the targets of
// cross-region backup replication) must match one of the patterns, which
// glob as path.Match does ("eu-*", "us-?est-2"). The seed's requirements are
// labels, kept as written and not interpreted; without allowed_regions
// nothing is enforced, and an empty list counts as unset.
func (v *validator) residency() {
	if !v.bool("compliance", "data_residency", "enabled") {
		return
	}
	raw, _ := lookupOr(v.cfg, []any(nil), "compliance", "data_residency", "allowed_regions")
	var patterns []string
	for i, x := range raw {
		p, ok := x.(string)
		if !ok {
			continue // the schema reports the type
		}
		if _, err := path.Match(p, ""); err != nil {
			v.add(fmt.Sprintf("compliance.data_residency.allowed_regions[%d]", i), fmt.Sprintf("Invalid region pattern %q", p),
				"A pattern is a region name in which * matches any characters, ? one character and [a-c] one of a set, for example \"eu-*\".")
			continue
		}
		patterns = append(patterns, p)
	}
	if len(patterns) == 0 {
		return
	}
	check := func(at string, x any) {
		region, ok := x.(string)
		if !ok || regionAllowed(region, patterns) {
			return
		}
		p := Problem{Field: v.o.field(at, false), Path: at,
			Summary: fmt.Sprintf("Region %s at %s is outside the allowed regions", region, at),
			Detail: fmt.Sprintf("compliance.data_residency is enabled and allows only %s, so the tenant's data must stay there. Use a region that matches, or add a pattern to compliance.data_residency.allowed_regions.",
				quoteList(patterns))}
		if at == "tenant_info.region" {
			// The tenant's region is the resource's region argument.
			p.Field = FieldRegion
		}
		v.ps = append(v.ps, p)
	}
	if r, set := v.get("tenant_info", "region"); set {
		check("tenant_info.region", r)
	}
	for _, list := range [][]string{{"backup", "disaster_recovery", "failover_regions"}, {"backup", "cross_region", "target_regions"}} {
		regions, _ := lookupOr(v.cfg, []any(nil), list...)
		for i, r := range regions {
			check(fmt.Sprintf("%s[%d]", strings.Join(list, "."), i), r)
		}
	}
}

func regionAllowed(region string, patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, region); ok {
			return true
		}
	}
	return false
}
