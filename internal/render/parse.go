package render

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxRenderedTextBytes is the longest text ParseRendered reads: a rendered
// configuration's strings are at most MaxRenderedBytes, and its text adds
// keys, quotes and indentation.
const MaxRenderedTextBytes = 4 * MaxRenderedBytes

// maxParseDepth and maxParseNodes bound what ParseRendered builds.
const (
	maxParseDepth = 64
	maxParseNodes = 200_000
)

var (
	decimalIntRE = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	decimalRE    = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)
)

// ParseRendered parses a rendered configuration — the canonical JSON or the
// canonical YAML the provider writes, or any JSON or YAML text of the same
// tree — into the tree Render produced: maps, lists, strings, booleans,
// nulls, and numbers typed as Render types them: int64 for an integer that
// fits, float64 for a number whose shortest text is the one written (2.5,
// 0.1, 1.0), json.Number (the text as written) for any other, so that no
// digit is lost. It is strict: a duplicate key, an anchor, an alias, a tag,
// a number not written in decimal, infinity and NaN are errors, each naming
// its line. Every function that reads a rendered configuration
// (ParseRenderedConfig) goes through it. Errors read as the end of a
// sentence that starts with what was given: "not a rendered configuration:
// ...", without a final full stop.
func ParseRendered(text string) (map[string]any, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("the text is empty, not a rendered configuration")
	}
	if len(text) > MaxRenderedTextBytes {
		return nil, fmt.Errorf("not a rendered configuration: the text holds %d bytes, more than the %d MiB a rendered configuration can take", len(text), MaxRenderedTextBytes>>20)
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(strings.NewReader(text))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("not a rendered configuration: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, fmt.Errorf("not a rendered configuration: the text holds more than one document (line %d starts another)", extra.Line)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("not a rendered configuration: the document is not a mapping (an object of sections)")
	}
	p := parser{}
	v, err := p.value(doc.Content[0], 0)
	if err != nil {
		return nil, fmt.Errorf("not a rendered configuration: %w", err)
	}
	m, _ := v.(map[string]any)
	return m, nil
}

type parser struct{ nodes int }

func (p *parser) value(n *yaml.Node, depth int) (any, error) {
	p.nodes++
	switch {
	case depth > maxParseDepth:
		return nil, fmt.Errorf("line %d: nested deeper than %d levels", n.Line, maxParseDepth)
	case p.nodes > maxParseNodes:
		return nil, fmt.Errorf("line %d: more than %d values", n.Line, maxParseNodes)
	case n.Anchor != "":
		return nil, fmt.Errorf("line %d: the anchor &%s is YAML the provider does not write", n.Line, truncate(n.Anchor, maxQuoted))
	}
	switch n.Kind {
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		lines := make(map[string]int, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" || k.Anchor != "" || k.Style&yaml.TaggedStyle != 0 {
				return nil, fmt.Errorf("line %d: a key must be a plain string", k.Line)
			}
			if first, dup := lines[k.Value]; dup {
				return nil, fmt.Errorf("line %d: duplicate key %s (first at line %d): a configuration holds each key once", k.Line, QuoteShort(k.Value), first)
			}
			lines[k.Value] = k.Line
			v, err := p.value(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			out[k.Value] = v
		}
		return out, nil
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := p.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case yaml.ScalarNode:
		if n.Style&yaml.TaggedStyle != 0 {
			return nil, fmt.Errorf("line %d: the tag %s is YAML the provider does not write", n.Line, truncate(n.Tag, maxQuoted))
		}
		return scalar(n)
	case yaml.AliasNode:
		return nil, fmt.Errorf("line %d: the alias *%s is YAML the provider does not write", n.Line, truncate(n.Value, maxQuoted))
	}
	return nil, fmt.Errorf("line %d: unexpected YAML", n.Line)
}

// scalar types a scalar as Render does.
func scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!str":
		if n.Style == 0 && decimalRE.MatchString(n.Value) {
			// A plain number YAML reads as a string: one beyond float64.
			return parseNumber(n)
		}
		return n.Value, nil
	case "!!bool":
		switch n.Value {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("line %d: write the boolean %s as true or false", n.Line, QuoteShort(n.Value))
	case "!!null":
		return nil, nil
	case "!!int":
		if !decimalIntRE.MatchString(n.Value) {
			return nil, fmt.Errorf("line %d: the number %s is not written in decimal", n.Line, QuoteShort(n.Value))
		}
		if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
			return i, nil
		}
		return parseNumber(n)
	case "!!float":
		if !decimalRE.MatchString(n.Value) {
			return nil, fmt.Errorf("line %d: the number %s is not a decimal number (infinity and NaN are not numbers of a configuration)", n.Line, QuoteShort(n.Value))
		}
		return parseNumber(n)
	}
	return nil, fmt.Errorf("line %d: the value %s is YAML the provider does not write", n.Line, QuoteShort(n.Value))
}

// parseNumber types a decimal number that is not an int64: float64 when its
// shortest text is the one written, else its text as json.Number. One that
// does not fit a float64 is an error, as it is in the overrides.
func parseNumber(n *yaml.Node) (any, error) {
	f, err := strconv.ParseFloat(n.Value, 64)
	if err != nil || math.IsInf(f, 0) {
		return nil, fmt.Errorf("line %d: the number %s does not fit a 64-bit float (at most about 1.8e308)", n.Line, QuoteShort(n.Value))
	}
	if floatText(f) == n.Value {
		return f, nil
	}
	return json.Number(n.Value), nil
}

// exactNumbers returns v with every float64 as the json.Number of its
// canonical text, so that encoding/json writes 4.0 as 4.0 (not 4).
func exactNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = exactNumbers(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = exactNumbers(e)
		}
		return out
	case float64:
		return json.Number(floatText(x))
	}
	return v
}

// floatText is how the canonical YAML writes a float64: its shortest text,
// with ".0" when that reads as an integer.
func floatText(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}
