package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// ExportFormats are the formats Export writes.
var ExportFormats = []string{"yaml", "json"}

// CheckExportFormat returns why format is not one Export writes, or nil.
func CheckExportFormat(format string) error {
	if slices.Contains(ExportFormats, format) {
		return nil
	}
	return fmt.Errorf("%s is not a format: use %s%s", QuoteShort(format), strings.Join(quoteList2(ExportFormats), " or "), argHint(format, ExportFormats))
}

// Export writes a rendered configuration (rendered_json or
// rendered_json_sensitive, or the same as YAML) as canonical YAML or JSON
// (tree.Encode, tree.EncodeJSON): keys sorted, one fixed style, every number exactly as rendered, the same bytes for the same
// configuration. Text that is not a rendered configuration is an error, as
// is a format CheckExportFormat refuses.
func Export(text, format string) (string, error) {
	if err := CheckExportFormat(format); err != nil {
		return "", err
	}
	cfg, err := ParseRenderedConfig(text)
	if err != nil {
		return "", err
	}
	if format == "json" {
		out, err := tree.EncodeJSON(cfg)
		if err != nil {
			return "", fmt.Errorf("the configuration cannot be written as JSON: %w", err)
		}
		return string(out), nil
	}
	out, err := tree.Encode(cfg)
	if err != nil {
		return "", fmt.Errorf("the configuration cannot be written as YAML: %w", err)
	}
	return string(out), nil
}

func quoteList2(items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
