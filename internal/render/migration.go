package render

import (
	"fmt"
	"strings"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
)

// Migration is the verdict on a tier change of a rendered tenant.
type Migration struct {
	// Downgrade is set when the new tier ranks below the old one.
	Downgrade bool
	// Losses lists what the tenant loses (see Losses); empty for an upgrade.
	Losses []string
	// Problem refuses the migration (a downgrade without allow_downgrade);
	// Warning, when set, is to be shown with a plan that goes ahead.
	Problem *Problem
	Warning *Problem
}

// CheckMigration judges the move of a tenant from tier from, whose last
// render is priorYAML, to the configuration res of tier to. A migration to a
// lower rank is refused unless allow is set, and then goes ahead with a
// warning that lists what the tenant loses. A tier the catalog no longer has
// cannot be ranked: the migration goes ahead with a warning.
//
// A prior state without a render (an import, which names the tier but renders
// nothing) is no migration: the tenant's configuration is the one the
// resource's arguments render, and the plan shows it in full.
func CheckMigration(cat *catalog.Catalog, from, priorYAML string, to string, res *Result, allow bool) Migration {
	newTier, okNew := cat.Tier(to)
	oldTier, okOld := cat.Tier(from)
	if !okNew || from == to || strings.TrimSpace(priorYAML) == "" {
		return Migration{}
	}
	if !okOld {
		return Migration{Warning: &Problem{Field: FieldTier, Summary: fmt.Sprintf("Migration from unknown tier %q", from),
			Detail: fmt.Sprintf("The tenant's current tier %q is not in the catalog, so the provider cannot tell whether moving to %s is a downgrade. Review the rendered configuration in the plan.", from, to)}}
	}
	if newTier.Rank >= oldTier.Rank {
		return Migration{}
	}
	m := Migration{Downgrade: true}
	if old, err := ParseRendered(priorYAML); err == nil && res != nil {
		m.Losses = Losses(old, res.Config)
	}
	lost := "nothing the provider can name"
	if len(m.Losses) > 0 {
		lost = "\n  - " + strings.Join(m.Losses, "\n  - ")
	}
	if !allow {
		m.Problem = &Problem{Field: FieldTier, Summary: fmt.Sprintf("Downgrade from %s to %s is not allowed", from, to),
			Detail: fmt.Sprintf("Tier %s (rank %d) is below tier %s (rank %d). The tenant would lose: %s\n\n"+
				"To migrate anyway, set the argument allow_downgrade of this tenant_config resource to true (allow_downgrade = true in its HCL block); "+
				"it is an argument of the resource, not a key of the configuration or of overrides.",
				to, newTier.Rank, from, oldTier.Rank, lost)}
		return m
	}
	m.Warning = &Problem{Field: FieldTier, Summary: fmt.Sprintf("Downgrade from %s to %s", from, to),
		Detail: fmt.Sprintf("allow_downgrade is set, so the tenant migrates in place to the lower tier %s. It loses: %s", to, lost)}
	return m
}
