package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// ExportFormats are the formats Export writes.
var ExportFormats = []string{"yaml", "json"}

// Export writes a rendered configuration (rendered_yaml or
// rendered_yaml_sensitive) as canonical YAML or JSON: keys sorted, one fixed
// style, the same bytes for the same configuration. Text that is not a
// rendered configuration is an error.
func Export(text, format string) (string, error) {
	if !slices.Contains(ExportFormats, format) {
		return "", fmt.Errorf("unknown format %q: use %s", format, quoteList(ExportFormats))
	}
	cfg, err := ParseRendered(text)
	if err != nil {
		return "", err
	}
	if id, _ := lookupOr(cfg, "", "tenant_info", "tenant_id"); id == "" {
		return "", fmt.Errorf("not a rendered configuration: it has no tenant_info.tenant_id")
	}
	if format == "json" {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(cfg); err != nil {
			return "", fmt.Errorf("the configuration cannot be written as JSON: %w", err)
		}
		return buf.String(), nil
	}
	out, err := tree.Encode(cfg)
	if err != nil {
		return "", fmt.Errorf("the configuration cannot be written as YAML: %w", err)
	}
	return string(out), nil
}
