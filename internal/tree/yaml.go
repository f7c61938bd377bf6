package tree

import (
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxNodes is the most nodes FromYAML produces from one document, counting
// every map, list and scalar value (map keys are not counted) after alias
// expansion. It guards against documents that expand exponentially
// through aliases.
const MaxNodes = 100_000

// FromYAML converts a parsed yaml.v3 node (document, mapping, sequence,
// scalar) into a tree.
//
// Scalars are typed by their resolved YAML tag: !!int becomes int64,
// !!float becomes float64 (infinities and NaN are an error), !!bool
// becomes bool, !!null becomes nil and !!str becomes string; any other tag
// such as !!binary or !!timestamp keeps the node's text as a string. Every
// string goes through ParseTemplate with Pos{File: file, Line: node.Line,
// Path: dotted path}.
//
// Mapping keys must be strings and unique. Aliases are expanded, up to
// MaxNodes nodes in total; an alias inside its own anchor is an error.
// Merge keys ("<<") are not supported. Errors are *Error values naming file
// and line.
func FromYAML(n *yaml.Node, file string) (any, error) {
	c := yamlConverter{file: file}
	return c.convert(n)
}

type yamlConverter struct {
	file      string
	nodes     int          // values produced so far
	path      []seg        // the path to the current node
	expanding []*yaml.Node // alias targets being expanded, innermost last
	outermost *yaml.Node   // the outermost alias being expanded, if any
}

func (c *yamlConverter) errorAt(n *yaml.Node, msg string) *Error {
	path := pathString(c.path)
	return &Error{Pos: Pos{File: c.file, Line: n.Line, Path: path}, Path: path, Msg: msg}
}

func (c *yamlConverter) convert(n *yaml.Node) (any, error) {
	if n == nil {
		return nil, nil
	}
	switch n.Kind {
	case 0:
		return nil, nil // the zero Node, as left by decoding an empty input
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.convert(n.Content[0])
	case yaml.AliasNode:
		return c.alias(n)
	}
	c.nodes++
	if c.nodes > MaxNodes {
		msg := "document has more than " + strconv.Itoa(MaxNodes) + " nodes"
		if c.outermost != nil {
			// Blame the alias whose expansion crossed the limit.
			return nil, c.errorAt(c.outermost, msg+" after expanding alias *"+c.outermost.Value)
		}
		return nil, c.errorAt(n, msg)
	}
	switch n.Kind {
	case yaml.MappingNode:
		return c.mapping(n)
	case yaml.SequenceNode:
		list := make([]any, len(n.Content))
		for i, child := range n.Content {
			c.path = append(c.path, idxSeg(i))
			v, err := c.convert(child)
			c.path = c.path[:len(c.path)-1]
			if err != nil {
				return nil, err
			}
			list[i] = v
		}
		return list, nil
	case yaml.ScalarNode:
		return c.scalar(n)
	default:
		return nil, c.errorAt(n, "unknown YAML node kind "+strconv.Itoa(int(n.Kind)))
	}
}

func (c *yamlConverter) alias(n *yaml.Node) (any, error) {
	target := n.Alias
	if target == nil {
		return nil, c.errorAt(n, "alias *"+n.Value+" has no anchor")
	}
	for _, t := range c.expanding {
		if t == target {
			return nil, c.errorAt(n, "alias *"+n.Value+" refers to a node that contains it")
		}
	}
	if c.outermost == nil {
		c.outermost = n
		defer func() { c.outermost = nil }()
	}
	c.expanding = append(c.expanding, target)
	v, err := c.convert(target)
	c.expanding = c.expanding[:len(c.expanding)-1]
	return v, err
}

// resolveAlias follows aliases to the node they stand for.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func (c *yamlConverter) mapping(n *yaml.Node) (any, error) {
	if len(n.Content)%2 != 0 {
		return nil, c.errorAt(n, "mapping node has an odd number of children")
	}
	m := make(map[string]any, len(n.Content)/2)
	for i := 0; i < len(n.Content); i += 2 {
		keyNode := resolveAlias(n.Content[i])
		if keyNode.Kind == yaml.ScalarNode && keyNode.Value == "<<" && keyNode.ShortTag() == "!!merge" {
			return nil, c.errorAt(n.Content[i], "merge keys are not supported")
		}
		if keyNode.Kind != yaml.ScalarNode || keyNode.ShortTag() != "!!str" {
			return nil, c.errorAt(n.Content[i], nonStringKeyMsg(keyNode))
		}
		key := keyNode.Value
		if _, dup := m[key]; dup {
			return nil, c.errorAt(n.Content[i], "duplicate key "+quote(key)+firstSeen(n, key, i))
		}
		c.path = append(c.path, keySeg(key))
		v, err := c.convert(n.Content[i+1])
		c.path = c.path[:len(c.path)-1]
		if err != nil {
			return nil, err
		}
		m[key] = v
	}
	return m, nil
}

func nonStringKeyMsg(k *yaml.Node) string {
	switch k.Kind {
	case yaml.MappingNode:
		return "mapping key is a map; keys must be strings"
	case yaml.SequenceNode:
		return "mapping key is a list; keys must be strings"
	}
	return "mapping key " + k.Value + " is " + k.ShortTag() + "; keys must be strings (quote it)"
}

// firstSeen names the line where key first appears in mapping n, before
// the pair at index dup.
func firstSeen(n *yaml.Node, key string, dup int) string {
	for i := 0; i < dup; i += 2 {
		if k := resolveAlias(n.Content[i]); k.Value == key && n.Content[i].Line > 0 {
			return " (first defined at line " + strconv.Itoa(n.Content[i].Line) + ")"
		}
	}
	return ""
}

func (c *yamlConverter) scalar(n *yaml.Node) (any, error) {
	switch tag := n.ShortTag(); tag {
	case "!!int":
		i, ok := parseYAMLInt(n.Value)
		if !ok {
			return nil, c.errorAt(n, "invalid or out-of-range integer "+quote(n.Value))
		}
		return i, nil
	case "!!float":
		f, ok := parseYAMLFloat(n.Value)
		if !ok {
			return nil, c.errorAt(n, "invalid float "+quote(n.Value))
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, c.errorAt(n, "infinite and NaN numbers are not supported ("+n.Value+")")
		}
		return f, nil
	case "!!bool":
		switch n.Value {
		case "true", "True", "TRUE":
			return true, nil
		case "false", "False", "FALSE":
			return false, nil
		}
		return nil, c.errorAt(n, "invalid boolean "+quote(n.Value))
	case "!!null":
		switch n.Value {
		case "", "~", "null", "Null", "NULL":
			return nil, nil
		}
		return nil, c.errorAt(n, "invalid null "+quote(n.Value))
	default:
		// !!str, and tags such as !!binary or !!timestamp whose text is kept.
		return c.str(n)
	}
}

func (c *yamlConverter) str(n *yaml.Node) (any, error) {
	s := n.Value
	if strings.IndexByte(s, '$') < 0 {
		return s, nil
	}
	return ParseTemplate(s, Pos{File: c.file, Line: n.Line, Path: pathString(c.path)})
}

// parseYAMLInt parses the text of a !!int scalar the way yaml.v3 resolves
// it: underscores are ignored, a sign may lead, and "0x", "0o", "0b" and a
// leading "0" (octal) select the base.
func parseYAMLInt(s string) (int64, bool) {
	plain := strings.ReplaceAll(s, "_", "")
	if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return i, true
	}
	neg := strings.HasPrefix(plain, "-")
	digits := strings.TrimPrefix(plain, "-")
	var base int
	switch {
	case strings.HasPrefix(digits, "0b"):
		base = 2
	case strings.HasPrefix(digits, "0o"):
		base = 8
	default:
		return 0, false
	}
	digits = digits[2:]
	if neg {
		digits = "-" + digits
	}
	i, err := strconv.ParseInt(digits, base, 64)
	return i, err == nil
}

// parseYAMLFloat parses the text of a !!float scalar, including the YAML
// spellings of infinity and NaN and integers tagged as floats.
func parseYAMLFloat(s string) (float64, bool) {
	switch s {
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return math.Inf(1), true
	case "-.inf", "-.Inf", "-.INF":
		return math.Inf(-1), true
	case ".nan", ".NaN", ".NAN":
		return math.NaN(), true
	}
	if i, ok := parseYAMLInt(s); ok {
		return float64(i), true
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	return f, err == nil
}
