package tree

import (
	"math"
	"slices"
	"strconv"
	"unsafe"
)

// Trees that share subtrees
//
// Merge and Substitute never modify their inputs and share every subtree
// they do not change, so the trees rendered from one template share most of
// their maps with it and with each other. The functions here let repeated
// work skip what is shared: Bind resolves once the variables that are the
// same for every render, a Base tells Substitute which maps hold no
// template, and an Encoded lets Encode copy the YAML of maps and lists it
// has already written. Each gives exactly the result of the plain function.
//
// Maps and lists are told apart by identity (the address of the map, or of a
// list's first item), which is sound because trees are never modified once
// built: the same map is the same content. Each prepared value keeps the
// trees it refers to alive, so an address it holds cannot be reused.

// mapID returns the identity of a map: a map value is a pointer to the
// runtime's map (what reflect's Value.UnsafePointer returns too, at the cost
// of a call).
func mapID(m map[string]any) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&m)) }

// listID returns the identity of a non-empty list.
func listID(l []any) unsafe.Pointer { return unsafe.Pointer(&l[0]) }

// Bind returns v with the variables of vars resolved and every other
// placeholder left in place: a template whose variables are all in vars
// becomes its value, one with some of them becomes a template with the
// others. Substitute(Bind(v, a), b) equals Substitute(v, c) when c holds
// a and b and the two do not both define a variable; errors, such as an
// unknown variable, are reported by that Substitute as they would be
// without Bind. Subtrees without templates are shared, not copied.
func Bind(v any, vars map[string]any) any {
	b := binder{vars: vars}
	out, _ := b.walk(v)
	return out
}

type binder struct {
	vars map[string]any
}

func (b *binder) walk(v any) (any, bool) {
	if t, ok := v.(*Template); ok {
		out := b.bind(t)
		return out, out != any(t)
	}
	out, changed, _ := rewrite(v, b.child) // b.child never fails
	return out, changed
}

func (b *binder) child(_ seg, x any) (any, bool, error) {
	out, changed := b.walk(x)
	return out, changed, nil
}

// bind resolves the variables of t that vars defines. It returns t itself
// when nothing can be resolved, or when resolving would fail: then
// Substitute reports the failure.
func (b *binder) bind(t *Template) any {
	if name, ok := t.single(); ok {
		val, ok := b.vars[name]
		if !ok {
			return t
		}
		out, err := normalizeVar(t, name, val)
		if err != nil {
			return t
		}
		return out
	}
	var parts []Part
	var lit []byte
	pending := false // lit holds text not yet in parts
	bound := false
	for _, p := range t.Parts {
		if p.Var == "" {
			lit = append(lit, p.Literal...)
			pending = true
			continue
		}
		val, ok := b.vars[p.Var]
		if !ok {
			if pending {
				parts = append(parts, Part{Literal: string(lit)})
				lit, pending = lit[:0], false
			}
			parts = append(parts, p)
			continue
		}
		text, ok := varText(val)
		if !ok {
			return t
		}
		lit = append(lit, text...)
		pending, bound = true, true
	}
	if !bound {
		return t
	}
	if pending {
		parts = append(parts, Part{Literal: string(lit)})
	}
	if len(parts) == 1 && parts[0].Var == "" {
		return parts[0].Literal
	}
	if len(parts) == 1 {
		// A lone placeholder left from a longer string still gives a
		// string, not the variable's own type.
		parts = append(parts, Part{})
	}
	return &Template{Parts: parts, Pos: t.Pos}
}

// varText returns a variable's value as Substitute writes it inside a longer
// string.
func varText(val any) (string, bool) {
	switch x := val.(type) {
	case string:
		return x, true
	case int64:
		return strconv.FormatInt(x, 10), true
	case int:
		return strconv.Itoa(x), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	case nil:
		return "", true
	}
	return "", false
}

// Base is a template tree prepared for repeated substitution: its variables
// that are the same for every substitution are bound in advance, and it
// knows which of its maps hold no template, and which keys of the others do.
// Substitute skips the former and visits only those keys of the latter,
// wherever it meets them: in the base itself or in a tree merged from it.
type Base struct {
	root  any
	vars  map[string]any // bound in root
	free  map[unsafe.Pointer]struct{}
	holes map[unsafe.Pointer][]string // a map's keys whose values hold templates
}

// NewBase prepares root for repeated substitution, with the variables of
// vars bound in advance (see Bind). The base keeps vars: do not modify it.
func NewBase(root any, vars map[string]any) *Base {
	b := &Base{root: Bind(root, vars), vars: vars, free: map[unsafe.Pointer]struct{}{}, holes: map[unsafe.Pointer][]string{}}
	b.mark(b.root)
	return b
}

// mark records the maps under v and reports whether v holds a template.
func (b *Base) mark(v any) bool {
	switch x := v.(type) {
	case *Template:
		return true
	case map[string]any:
		var keys []string
		for k, y := range x {
			if b.mark(y) {
				keys = append(keys, k)
			}
		}
		if keys == nil {
			b.free[mapID(x)] = struct{}{}
			return false
		}
		b.holes[mapID(x)] = keys
		return true
	case []any:
		has := false
		for _, y := range x {
			if b.mark(y) {
				has = true
			}
		}
		return has
	}
	return false
}

// Root returns the base's tree, its bound variables resolved.
func (b *Base) Root() any { return b.root }

// Substitute is the package's Substitute with the base's variables added to
// vars (where both define a variable, the base's value is used: it is the
// one already bound in the base's tree). It skips the maps of the base that
// hold no template.
func (b *Base) Substitute(v any, vars map[string]any) (any, error) {
	return substitute(v, vars, b)
}

// MergeSubstitute returns b.Substitute(Merge(v, overlay), vars) in one walk:
// a map on the way to a value of overlay is copied once, not once by each
// step. ok is false when either step fails; then Merge and Substitute, run
// one after the other, tell which and why.
func (b *Base) MergeSubstitute(v, overlay any, vars map[string]any) (out any, ok bool) {
	s := substituter{vars: vars, base: b}
	var err error
	if overlay == nil {
		out, _, err = s.walk(v)
	} else {
		out, err = s.merged(v, overlay)
	}
	return out, err == nil
}

// Encoded is the canonical YAML of a tree, with where each of its maps and
// lists was written. EncodeWith copies from it what another tree shares with
// it: a map or list that is the very same at the same place, and each entry
// of a map with the same keys whose value is the same.
type Encoded struct {
	yaml []byte
	root *encNode
}

// encNode is where one map or list of an encoded tree was written.
type encNode struct {
	val        any // the map or list
	start, end int
	ind        int
	inline     bool
	// For a map, its entries in written (sorted) order: key, value, the
	// end of the key's text (after ":") and the end of the entry. nil for a
	// list.
	keys    []string
	vals    []any
	keyEnds []int
	ends    []int
	// kids are the nodes of the entries' or items' values that are
	// non-empty maps or lists; nil for the others.
	kids []*encNode
}

// find returns the node of the value at key k of the map node r, or nil.
func (r *encNode) find(k string) *encNode {
	if r == nil || r.keys == nil {
		return nil
	}
	if i, ok := slices.BinarySearch(r.keys, k); ok {
		return r.kids[i]
	}
	return nil
}

// NewEncoded encodes v as Encode does and records where each of its maps and
// lists was written.
func NewEncoded(v any) (*Encoded, error) {
	rec := &Encoded{}
	e := &encoder{buf: make([]byte, 0, 4096), rec: rec}
	if err := e.top(v, nil); err != nil {
		return nil, err
	}
	rec.yaml, rec.root = e.buf, e.last
	return rec, nil
}

// YAML returns the encoded tree's YAML. Callers must not modify it.
func (r *Encoded) YAML() []byte { return r.yaml }

// EncodeWith is Encode, returning the YAML as a string and copying from ref
// what v shares with ref's tree. ref may be nil.
func EncodeWith(v any, ref *Encoded) (string, error) {
	e := getEncoder()
	defer putEncoder(e)
	var root *encNode
	if ref != nil {
		e.ref, root = ref, ref.root
	}
	if err := e.top(v, root); err != nil {
		return "", err
	}
	return string(e.buf), nil
}

// Same reports whether a and b are the same value: the very same map or
// list (trees are never modified once built), or equal scalars of the same
// type. Same values have the same YAML.
func Same(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && mapID(x) == mapID(y)
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || listID(x) == listID(y))
	case float64:
		// Bit for bit: 0 and -0 are equal numbers with different YAML.
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	case string, bool, int64, nil:
		return a == b
	}
	return false
}
