package render

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// ExportFormats are the formats Export writes.
var ExportFormats = []string{"yaml", "json"}

// CheckExportFormat returns why format is not one Export writes, or nil.
func CheckExportFormat(format string) error {
	if slices.Contains(ExportFormats, format) {
		return nil
	}
	return fmt.Errorf("%q is not a format: use %s%s", format, quoteList(ExportFormats), didYouMean(format, ExportFormats))
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
	cfg, err := parseExact(text)
	if err != nil {
		return "", err
	}
	if err := checkRendered(cfg); err != nil {
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

// parseExact parses rendered YAML into a tree whose numbers keep their text
// (json.Number) unless they are integers that fit an int64, so that no digit
// of a rendered number is lost on the way to JSON or back to YAML.
func parseExact(text string) (map[string]any, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("the text is empty, not a rendered configuration")
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		return nil, fmt.Errorf("not a rendered configuration: %s", err.Error())
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("not a rendered configuration: the YAML document is not a mapping")
	}
	v, err := exactValue(doc.Content[0], 0)
	if err != nil {
		return nil, fmt.Errorf("not a rendered configuration: %w", err)
	}
	m, _ := v.(map[string]any)
	return m, nil
}

func exactValue(n *yaml.Node, depth int) (any, error) {
	if depth > 64 {
		return nil, fmt.Errorf("nested too deeply")
	}
	switch n.Kind {
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := exactValue(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			out[n.Content[i].Value] = v
		}
		return out, nil
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := exactValue(c, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int":
			if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
				return i, nil
			}
			return json.Number(n.Value), nil
		case "!!float":
			return json.Number(n.Value), nil
		case "!!bool":
			return n.Value == "true", nil
		case "!!null":
			return nil, nil
		}
		return n.Value, nil
	}
	return nil, fmt.Errorf("line %d holds YAML this provider does not write (aliases or tags)", n.Line)
}
