package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// RenderedSections are the top-level sections every rendered configuration
// has (the JSON Schema requires them).
var RenderedSections = []string{
	"tenant_info", "subscription", "databases", "security", "backup", "monitoring",
	"performance_tier", "compliance", "audit", "support", "custom",
}

// ParseRenderedConfig parses text as a rendered configuration of a
// tenant_config, as JSON or YAML, with ParseRendered: a mapping that has
// every section of RenderedSections and a tenant_info.tenant_id. The error
// says what is wrong, in a sentence that a function's argument error can
// carry (no final full stop: Terraform adds it). Every function that takes
// a rendered configuration reads it with this.
func ParseRenderedConfig(text string) (map[string]any, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("the text is empty, not a rendered configuration")
	}
	cfg, err := ParseRendered(text)
	if err != nil {
		return nil, err
	}
	return cfg, checkRendered(cfg)
}

// checkRendered returns why cfg is not a rendered configuration, or nil.
func checkRendered(cfg map[string]any) error {
	var missing []string
	for _, s := range RenderedSections {
		if _, ok := cfg[s]; !ok {
			missing = append(missing, s)
		}
	}
	if len(cfg) == 0 {
		return fmt.Errorf("not a rendered configuration: it is an empty object (a rendered configuration has the sections %s)", strings.Join(RenderedSections, ", "))
	}
	if len(missing) == len(RenderedSections) {
		return fmt.Errorf("not a rendered configuration: it has none of the sections %s (its keys are %s)",
			strings.Join(RenderedSections, ", "), strings.Join(limitList(sortedKeys(cfg), 10), ", "))
	}
	if len(missing) > 0 {
		return fmt.Errorf("not a rendered configuration: the sections %s are missing (a rendered configuration has %s)",
			strings.Join(missing, ", "), strings.Join(RenderedSections, ", "))
	}
	if id, _ := lookupOr(cfg, "", "tenant_info", "tenant_id"); id == "" {
		return fmt.Errorf("not a rendered configuration: tenant_info.tenant_id is missing or not a string")
	}
	return nil
}

// CheckDatabase returns why name is not a database engine, or nil.
func CheckDatabase(name string) error {
	if slices.Contains(catalog.Engines, name) {
		return nil
	}
	return fmt.Errorf("%s is not a database engine: use one of %s%s", QuoteShort(name), strings.Join(catalog.Engines, ", "), argHint(name, catalog.Engines))
}

// CheckOperation returns why op is not an operation validate_access
// answers for, or nil.
func CheckOperation(op string) error {
	if slices.Contains(Operations, op) {
		return nil
	}
	return fmt.Errorf("%s is not an operation: use one of %s%s", QuoteShort(op), strings.Join(Operations, ", "), argHint(op, Operations))
}

// argHint is the "did you mean" of a function argument's error, which ends
// without a full stop: Terraform ends the sentence.
func argHint(word string, candidates []string) string {
	if s := tree.DidYouMean(truncate(word, maxQuoted), candidates); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

func limitList(items []string, n int) []string {
	if len(items) <= n {
		return items
	}
	return append(slices.Clone(items[:n]), "…")
}
