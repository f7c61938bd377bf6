package render

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// builtinShaped matches the names of built-in variables and of the variables
// a tier's ceilings define.
var builtinShaped = regexp.MustCompile(`^(TENANT_[A-Z]+|ENVIRONMENT|REGION|TIMEZONE|(` +
	strings.ToUpper(strings.Join(catalog.Engines, "|")) + `)_[A-Z_]+)$`)

// RenderSample renders a tier for a sample tenant: what the tier gives a
// tenant that overrides nothing. Variables that only a resource's variables
// map can define get a sample value.
func RenderSample(cat *catalog.Catalog, t *catalog.Tier, environment string) (*Result, Problems) {
	return Render(cat, sampleInput(t, environment))
}

// sampleInput is the input of the sample tenant: every variable the
// tier's template uses is defined.
func sampleInput(t *catalog.Tier, environment string) Input {
	in := Input{
		TenantID:    "sample_tenant",
		TenantName:  "Sample tenant",
		Tier:        t.Name,
		Environment: environment,
		Region:      "us-east-1",
		Timezone:    "UTC",
		Variables:   map[string]string{},
	}
	tmpl, _ := t.Template(environment)
	for _, name := range templateVars(tmpl, nil) {
		if !builtinShaped.MatchString(name) {
			in.Variables[name] = "sample"
		}
	}
	return in
}

// CheckCatalog renders every tier in every environment for a sample tenant,
// so that a broken catalog fails once, when it is loaded, with the file and
// the path at fault rather than in every tenant's plan.
func CheckCatalog(cat *catalog.Catalog) error {
	for _, t := range cat.Tiers() {
		for _, env := range t.Environments() {
			if _, ps := RenderSample(cat, t, env); len(ps) > 0 {
				p := ps[0]
				where := ""
				if p.Path != "" {
					where = " at " + p.Path
					// Name the line of the catalog that sets the value, unless
					// the problem already does.
					if file, line := t.Origin(env, p.Path); line > 0 {
						if pos := fmt.Sprintf("%s:%d", file, line); !strings.Contains(p.Detail, pos) {
							where += " (" + pos + ")"
						}
					}
				}
				return fmt.Errorf("tier %s (%s), environment %s%s: %s. %s", t.Name, t.File, env, where, p.Summary, p.Detail)
			}
		}
	}
	return nil
}

// templateVars appends the names of the variables v's templates use.
func templateVars(v any, out []string) []string {
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			out = templateVars(e, out)
		}
	case []any:
		for _, e := range x {
			out = templateVars(e, out)
		}
	case *tree.Template:
		for _, p := range x.Parts {
			if p.Var != "" {
				out = append(out, p.Var)
			}
		}
	}
	return out
}
