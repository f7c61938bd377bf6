package provision

import (
	"fmt"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

// CheckCatalog generates the artifacts of every tier in every environment for
// a sample tenant, so that a catalog whose privileges, commands or names the
// artifacts refuse fails once, when it is loaded, naming the tier and the
// path, rather than in every tenant's plan.
func CheckCatalog(cat *catalog.Catalog) error {
	for _, t := range cat.Tiers() {
		for _, env := range t.Environments() {
			res, ps := render.RenderSample(cat, t, env)
			if len(ps) > 0 {
				return fmt.Errorf("tier %s (%s), environment %s: %s", t.Name, t.File, env, ps[0].Error())
			}
			in, err := FromConfig(res.Shown)
			if err == nil {
				_, err = Generate(in)
			}
			if err != nil {
				return fmt.Errorf("tier %s (%s), environment %s: the configuration cannot be provisioned: %w", t.Name, t.File, env, err)
			}
		}
	}
	return nil
}
