package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

// checkOverrideKeys reports the keys of overrides that are not part of the
// configuration, whatever of overrides is known: the keys do not depend on
// the catalog, so `terraform validate` finds a typo, and a plan finds one
// next to a value that is unknown until apply (which makes the render
// itself wait for apply). Values that are not known are skipped; what
// cannot be converted is left to the render, which reports it.
func checkOverrideKeys(ctx context.Context, d types.Dynamic, diags *diag.Diagnostics) {
	if v, err := d.ToTerraformValue(ctx); err == nil {
		checkOverrideKeyValues(v, diags)
	}
}

// checkOverrideKeyValues is checkOverrideKeys of the value of overrides as
// Terraform sends it.
func checkOverrideKeyValues(v tftypes.Value, diags *diag.Diagnostics) {
	if v.IsNull() || !v.IsKnown() {
		return
	}
	c := converter{partial: true}
	t, err := c.convert(v, nil)
	if err != nil {
		return
	}
	addProblems(diags, render.CheckOverrideKeys(t))
}
