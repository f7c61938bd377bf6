package tree

import (
	"hash/maphash"
	"math"
)

// Equal reports whether a and b are the same tree: maps with the same keys
// and Equal values, lists with Equal items in the same order, and equal
// scalars of the same type (floats bit for bit, so 0 and -0 differ, as
// their YAML does). Templates are Equal when they are the very same.
func Equal(a, b any) bool {
	return equal(a, b, func(x, y *Template) bool { return x == y })
}

// equal is Equal with templates compared by sameTemplate.
func equal(a, b any, sameTemplate func(x, y *Template) bool) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		if len(x) > 0 && mapID(x) == mapID(y) {
			return true
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !equal(xv, yv, sameTemplate) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i], sameTemplate) {
				return false
			}
		}
		return true
	case *Template:
		y, ok := b.(*Template)
		return ok && sameTemplate(x, y)
	}
	return Same(a, b)
}

// Hash returns a hash of v such that Equal trees have the same hash, with
// v's size as CheckLimits counts it: its number of nodes, and its levels (0
// for a scalar, one more than its deepest child for a map or list). ok is
// false when v holds a value of a type outside the tree types. A map's hash
// does not depend on the order of its keys.
func Hash(seed maphash.Seed, v any) (h uint64, nodes, levels int, ok bool) {
	hs := hasher{seed: seed}
	h, levels, ok = hs.hash(v)
	return h, hs.nodes, levels, ok
}

type hasher struct {
	seed  maphash.Seed
	nodes int
}

func (hs *hasher) hash(v any) (h uint64, levels int, ok bool) {
	hs.nodes++
	switch x := v.(type) {
	case map[string]any:
		h = uint64(len(x)) + 0x6d61 // "ma"
		for k, y := range x {
			hv, l, ok := hs.hash(y)
			if !ok {
				return 0, 0, false
			}
			levels = max(levels, l)
			// Entries are summed, in any order; each mixes its key with
			// its value so that swapped values change the sum.
			h += mix(maphash.String(hs.seed, k)*0x9e3779b97f4a7c15 ^ hv)
		}
		return mix(h), levels + 1, true
	case []any:
		h = uint64(len(x)) + 0x6c69 // "li"
		for _, y := range x {
			hv, l, ok := hs.hash(y)
			if !ok {
				return 0, 0, false
			}
			levels = max(levels, l)
			h = mix(h ^ hv)
		}
		return h, levels + 1, true
	case string:
		return maphash.String(hs.seed, x), 0, true
	case int64:
		return mix(uint64(x) ^ 0x696e74), 0, true
	case float64:
		return mix(math.Float64bits(x) ^ 0x666c74), 0, true
	case bool:
		if x {
			return mix(1 ^ 0x626f6f), 0, true
		}
		return mix(0x626f6f), 0, true
	case nil:
		return mix(0x6e696c), 0, true
	case *Template:
		return maphash.Comparable(hs.seed, x), 0, true
	}
	return 0, 0, false
}

// mix is the finalizer of SplitMix64: every bit of x affects every bit of
// the result.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
