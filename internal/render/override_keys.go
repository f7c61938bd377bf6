package render

import (
	"slices"
	"strconv"
	"strings"
)

// Unknown stands, in an overrides tree given to CheckOverrideKeys, for a
// value that is not known yet (at plan time, one that comes from another
// resource).
var Unknown any = unknownValue{}

type unknownValue struct{}

// CheckOverrideKeys reports the keys of overrides that are not part of the
// configuration, as Render does, without a catalog and with parts of the
// overrides unknown: the JSON Schema's keys do not depend on the tier. A
// value that is Unknown is skipped (its keys are checked once it is known);
// so is a key set to null, which deletes nothing that the schema knows.
// Keys under custom, and the names of maps such as roles, are free.
func CheckOverrideKeys(overrides any) Problems {
	cs, err := configSchema()
	if err != nil {
		return Problems{{Field: FieldOverrides, Summary: "The configuration schema cannot be loaded", Detail: err.Error()}}
	}
	m, ok := overrides.(map[string]any)
	if !ok {
		return nil
	}
	var ps Problems
	cs.checkKeys(cs.raw, nil, m, &ps)
	slices.SortStableFunc(ps, func(a, b Problem) int { return strings.Compare(a.Path, b.Path) })
	return ps
}

func (cs *compiledSchema) checkKeys(s map[string]any, at []string, v any, ps *Problems) {
	if len(at) > MaxOverrideDepth {
		return
	}
	nodes := cs.withRefs(s)
	switch x := v.(type) {
	case map[string]any:
		props := map[string]map[string]any{}
		var extra map[string]any
		closed := false
		for _, n := range nodes {
			if p, ok := n["properties"].(map[string]any); ok {
				for k, c := range p {
					if cm, ok := c.(map[string]any); ok {
						props[k] = cm
					} else if _, seen := props[k]; !seen {
						props[k] = nil
					}
				}
			}
			switch ap := n["additionalProperties"].(type) {
			case bool:
				closed = closed || !ap
			case map[string]any:
				extra = ap
			}
			if up, ok := n["unevaluatedProperties"].(bool); ok && !up {
				closed = true
			}
		}
		var unknown []string
		for _, k := range sortedKeys(x) {
			child := x[k]
			if child == nil {
				continue
			}
			sub, known := props[k]
			switch {
			case known && sub != nil:
				cs.checkKeys(sub, append(at[:len(at):len(at)], k), child, ps)
			case known:
			case extra != nil:
				cs.checkKeys(extra, append(at[:len(at):len(at)], k), child, ps)
			case closed:
				unknown = append(unknown, k)
			}
		}
		if len(unknown) > 0 {
			*ps = append(*ps, cs.unknownKeys(slices.Clone(at), unknown))
		}
	case []any:
		for _, n := range nodes {
			items, ok := n["items"].(map[string]any)
			if !ok {
				continue
			}
			for i, e := range x {
				cs.checkKeys(items, append(at[:len(at):len(at)], strconv.Itoa(i)), e, ps)
			}
			return
		}
	}
}
