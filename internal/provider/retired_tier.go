package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// retiredTier reports whether tier, the tier of a tenant whose
// configuration has not changed since its last apply, is no longer in the
// catalog (its file was removed from templates_dir), and warns so.
//
// Such a tenant cannot be rendered again, and need not be: its state holds
// what was rendered, and the plan keeps it. `terraform destroy` plans the
// configuration before it destroys (its refresh), so without this a tier
// could not leave the catalog before every tenant ever given it was
// destroyed. Any change to the tenant still needs a tier of the catalog.
func (r *tenantConfigResource) retiredTier(tier types.String, diags *diag.Diagnostics) bool {
	if r.data == nil || r.data.catalog == nil || tier.IsUnknown() || tier.IsNull() {
		return false
	}
	name := tier.ValueString()
	if _, ok := r.data.catalog.Tier(name); ok {
		return false
	}
	diags.AddAttributeWarning(path.Root("tier"), fmt.Sprintf("Tier %q is no longer in the catalog", name),
		fmt.Sprintf("The tenant keeps the configuration rendered with tier %s when it was last applied, and it can be destroyed. "+
			"To change anything of this tenant, move it to one of the catalog's tiers (%s) or add the tier back to the catalog.",
			name, quoteNames(r.data.catalog.Names())))
	return true
}

func quoteNames(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%q", n)
	}
	return out
}
