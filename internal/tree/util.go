package tree

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// seg is one step of a path: a map key, or a list index when index >= 0.
// Walkers keep a stack of segs, which costs nothing until an error needs
// the path as text.
type seg struct {
	key   string
	index int
}

func keySeg(k string) seg { return seg{key: k, index: -1} }

func idxSeg(i int) seg { return seg{index: i} }

// pathString formats segs as a dotted path with list indexes in brackets.
func pathString(segs []seg) string {
	var b []byte
	for _, s := range segs {
		if s.index >= 0 {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.index), 10)
			b = append(b, ']')
			continue
		}
		if len(b) > 0 {
			b = append(b, '.')
		}
		b = append(b, s.key...)
	}
	return string(b)
}

// walkSorted calls visit for v and then for every value below it, depth
// first and in sorted key order, and returns the first error. The fast
// walkers of this package visit maps in map order; when they fail, they
// walk again with walkSorted so that the error reported does not depend on
// map order.
func walkSorted(v any, path []seg, depth int, visit func(v any, path []seg, depth int) error) error {
	if err := visit(v, path, depth); err != nil {
		return err
	}
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if err := walkSorted(x[k], append(path, keySeg(k)), depth+1, visit); err != nil {
				return err
			}
		}
	case []any:
		for i, y := range x {
			if err := walkSorted(y, append(path, idxSeg(i)), depth+1, visit); err != nil {
				return err
			}
		}
	}
	return nil
}

// cloneMap returns a shallow copy of m that is never nil.
func cloneMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return maps.Clone(m)
}

// isTreeType reports whether v has one of the tree types.
func isTreeType(v any) bool {
	switch v.(type) {
	case map[string]any, []any, string, int64, float64, json.Number, bool, nil, *Template:
		return true
	}
	return false
}

// unsupportedMsg describes a value whose type is not a tree type.
func unsupportedMsg(v any) string {
	return fmt.Sprintf("unsupported value of type %T", v)
}

// quote returns s as a double-quoted Go string for messages.
func quote(s string) string {
	return strconv.Quote(s)
}

// rewrite returns the map or list v with each child replaced by what f
// returns for it (with the child's path segment), copying v on the first
// change only; changed reports whether it did. Any other v is returned as it
// is, unchanged. An error from f stops the walk.
func rewrite(v any, f func(s seg, child any) (any, bool, error)) (out any, changed bool, err error) {
	switch x := v.(type) {
	case map[string]any:
		var c map[string]any // a copy of x, made on the first change
		for k, child := range x {
			nc, ch, err := f(keySeg(k), child)
			if err != nil {
				return nil, false, err
			}
			if ch {
				if c == nil {
					c = cloneMap(x)
				}
				c[k] = nc
			}
		}
		if c != nil {
			return c, true, nil
		}
	case []any:
		var c []any // a copy of x, made on the first change
		for i, child := range x {
			nc, ch, err := f(idxSeg(i), child)
			if err != nil {
				return nil, false, err
			}
			if ch {
				if c == nil {
					c = slices.Clone(x)
				}
				c[i] = nc
			}
		}
		if c != nil {
			return c, true, nil
		}
	}
	return v, false, nil
}
