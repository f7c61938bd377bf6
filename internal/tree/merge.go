package tree

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
)

// Merge returns base with overlay merged in: maps merge recursively, lists
// and scalars in overlay replace, an overlay value of nil deletes the key
// from the result, and a key absent from overlay is kept. Nil values inside
// a map that overlay adds are dropped in the same way, as if it were merged
// into an empty map.
//
// A map in one input and a non-map, non-nil value in the other at the same
// path is an *Error naming the path and both kinds, for example
// "databases.redis: cannot merge a string into a map".
//
// Neither input is mutated; subtrees that overlay does not touch are
// shared, not copied. A nil overlay returns base unchanged.
func Merge(base, overlay any) (any, error) {
	if overlay == nil {
		return base, nil
	}
	out, _, err := merge(base, overlay)
	if err != nil {
		// Report the first clash in sorted key order, not in map order.
		return nil, firstClash(base, overlay, nil)
	}
	return out, nil
}

// merge merges a non-nil overlay into base and reports whether the result
// differs from base.
func merge(base, overlay any) (any, bool, error) {
	om, overlayIsMap := overlay.(map[string]any)
	bm, baseIsMap := base.(map[string]any)
	switch {
	case overlayIsMap && baseIsMap:
		return mergeMaps(bm, om)
	case overlayIsMap && base == nil:
		out, _ := dropNils(om)
		return out, true, nil
	case overlayIsMap || baseIsMap:
		return nil, false, clashError(nil, base, overlay)
	}
	return overlay, !sameScalar(base, overlay), nil
}

func mergeMaps(base, overlay map[string]any) (map[string]any, bool, error) {
	var out map[string]any // a copy of base, made on the first change
	for k, ov := range overlay {
		bv, inBase := base[k]
		if ov == nil {
			if inBase {
				if out == nil {
					out = cloneMap(base)
				}
				delete(out, k)
			}
			continue
		}
		nv, changed, err := merge(bv, ov)
		if err != nil {
			return nil, false, err
		}
		if inBase && !changed {
			continue
		}
		if out == nil {
			out = cloneMap(base)
		}
		out[k] = nv
	}
	if out == nil {
		return base, false, nil
	}
	return out, true, nil
}

func clashError(path []seg, base, overlay any) error {
	return pathError(pathString(path), "cannot merge "+kindOf(overlay)+" into "+kindOf(base))
}

// firstClash returns the first clash between base and a non-nil overlay
// in sorted key order.
func firstClash(base, overlay any, path []seg) error {
	om, overlayIsMap := overlay.(map[string]any)
	bm, baseIsMap := base.(map[string]any)
	switch {
	case overlayIsMap && baseIsMap:
		for _, k := range slices.Sorted(maps.Keys(om)) {
			if om[k] == nil {
				continue
			}
			if err := firstClash(bm[k], om[k], append(path, keySeg(k))); err != nil {
				return err
			}
		}
	case overlayIsMap && base == nil:
	case overlayIsMap || baseIsMap:
		return clashError(path, base, overlay)
	}
	return nil
}

// dropNils returns m without nil map values, recursively through maps, and
// reports whether anything was dropped. Unchanged maps are shared.
func dropNils(m map[string]any) (map[string]any, bool) {
	var out map[string]any
	for k, v := range m {
		var nv any
		switch x := v.(type) {
		case nil:
			if out == nil {
				out = cloneMap(m)
			}
			delete(out, k)
			continue
		case map[string]any:
			sub, changed := dropNils(x)
			if !changed {
				continue
			}
			nv = sub
		default:
			continue
		}
		if out == nil {
			out = cloneMap(m)
		}
		out[k] = nv
	}
	if out == nil {
		return m, false
	}
	return out, true
}

// sameScalar reports whether a and b are equal scalars of the same type.
// It never compares maps or lists, so it never panics.
func sameScalar(a, b any) bool {
	switch b := b.(type) {
	case string:
		a, ok := a.(string)
		return ok && a == b
	case int64:
		a, ok := a.(int64)
		return ok && a == b
	case float64:
		a, ok := a.(float64)
		return ok && math.Float64bits(a) == math.Float64bits(b)
	case json.Number:
		a, ok := a.(json.Number)
		return ok && a == b
	case bool:
		a, ok := a.(bool)
		return ok && a == b
	case *Template:
		a, ok := a.(*Template)
		return ok && a == b
	case nil:
		return a == nil
	}
	return false
}
