package tree

import "strconv"

// Lookup returns the value at a dotted path split into keys. Only maps are
// traversed; Lookup with no keys returns v itself.
func Lookup(v any, keys ...string) (any, bool) {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

// CheckLimits returns an *Error naming the path when v is nested deeper
// than maxDepth, has more than maxNodes nodes in total, or holds a value of
// a type outside the tree types. Each map, list and scalar is one node (map
// keys are not counted); a scalar at the top has depth 0 and each map or
// list adds one level, so {"a": [1]} has depth 2. A limit of zero or less
// is not checked.
func CheckLimits(v any, maxDepth, maxNodes int) error {
	c := limitChecker{maxDepth: maxDepth, maxNodes: maxNodes}
	if c.check(v, 0) {
		return nil
	}
	// Walk again in sorted key order to name the path, so that the error
	// is the same on every run.
	nodes := 0
	return walkSorted(v, nil, 0, func(v any, path []seg, depth int) error {
		nodes++
		if maxNodes > 0 && nodes > maxNodes {
			return pathError(pathString(path), "more than "+strconv.Itoa(maxNodes)+" nodes in total")
		}
		switch v.(type) {
		case map[string]any, []any:
			if maxDepth > 0 && depth >= maxDepth {
				return pathError(pathString(path), "nested deeper than "+strconv.Itoa(maxDepth)+" levels")
			}
		default:
			if !isTreeType(v) {
				return pathError(pathString(path), unsupportedMsg(v))
			}
		}
		return nil
	})
}

type limitChecker struct {
	maxDepth, maxNodes int
	nodes              int
}

// check reports whether v and everything below it are within the limits.
func (c *limitChecker) check(v any, depth int) bool {
	c.nodes++
	if c.maxNodes > 0 && c.nodes > c.maxNodes {
		return false
	}
	switch v := v.(type) {
	case map[string]any:
		if c.maxDepth > 0 && depth >= c.maxDepth {
			return false
		}
		for _, x := range v {
			if !c.check(x, depth+1) {
				return false
			}
		}
	case []any:
		if c.maxDepth > 0 && depth >= c.maxDepth {
			return false
		}
		for _, x := range v {
			if !c.check(x, depth+1) {
				return false
			}
		}
	case string, int64, float64, bool, nil, *Template:
	default:
		return false
	}
	return true
}
