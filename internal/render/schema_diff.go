package render

import (
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// Checking a configuration against a valid one
//
// Most of a tenant's configuration is its tier's template, shared (not
// copied) between every render of that tier and environment; what differs
// from one tenant to the next is a few names and the tenant's overrides.
// diffChecker answers "is cfg valid?" by checking only what differs from a
// reference configuration that passed the full schema: the sample render of
// the same tier and environment.
//
// This is sound because every keyword of the schema, once its $refs are
// inlined, is about the value at one location: a keyword either looks at the
// value as a whole (type, enum, const, required, minimum, uniqueItems, ...)
// or applies a subschema to a child (properties, additionalProperties,
// items). Such a schema accepts a value exactly when each of its nodes passes
// the keywords of its own location. A node equal to the reference's node at
// the same location therefore passes; every other node is checked against
// its location's keywords with the children's subschemas replaced by true,
// and its children are visited the same way. A location whose schema uses a
// keyword outside that set (allOf, if, $ref left in place, ...) is checked
// whole, with the library, whenever its value differs.
//
// The checker decides only whether cfg is valid. When it is not, the full
// validation runs to report every problem with its path, exactly as without
// the checker.

// diffNode is one location of the schema.
type diffNode struct {
	// self checks the node's own keywords, its children's subschemas
	// replaced by true; nil when the location accepts any value.
	self *jsonschema.Schema
	// whole is the location's full schema, set for a location whose
	// keywords cannot be split (then props, additional and items are nil).
	whole *jsonschema.Schema
	// reject is set for the schema false, which accepts no value.
	reject bool
	// byValue is set when a keyword of the location reads the children's
	// values (enum, const, uniqueItems): then self runs even when the keys
	// or length equal the reference's.
	byValue bool
	// uniqueOnly is set when uniqueItems is the one keyword that reads the
	// children's values: then a list of strings passes or fails by its
	// length and whether its items are distinct.
	uniqueOnly bool
	props      map[string]*diffNode
	additional *diffNode // children not in props; nil when unconstrained
	items      *diffNode
	// types is set when the location's one keyword of its own is type:
	// then the Go type of a value decides, except for floats.
	types []string
	// scalars remembers the answers of self for scalar values, and shapes
	// for maps and lists by their shapeKey.
	scalars memo[any]
	shapes  memo[string]
}

// localKeywords are the keywords that look at the value at their own
// location only. The applicators properties, additionalProperties and items
// are handled by the checker itself.
var localKeywords = map[string]bool{
	"type": true, "enum": true, "const": true,
	"required": true, "dependentRequired": true, "propertyNames": true,
	"minProperties": true, "maxProperties": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true, "multipleOf": true,
	"minLength": true, "maxLength": true, "pattern": true, "format": true,
	"minItems": true, "maxItems": true, "uniqueItems": true,
	// Annotations.
	"$schema": true, "$id": true, "$comment": true, "$defs": true, "title": true, "description": true,
	"default": true, "examples": true, "deprecated": true, "readOnly": true, "writeOnly": true,
}

// valueKeywords read the children's values rather than only their keys or
// count.
var valueKeywords = []string{"enum", "const", "uniqueItems"}

// buildDiffTree compiles the diff checker's nodes for the inlined schema doc,
// which the compiler c already holds at url.
func buildDiffTree(c *jsonschema.Compiler, url string, doc any) (*diffNode, error) {
	b := diffBuilder{c: c, url: url}
	return b.node(doc, "")
}

type diffBuilder struct {
	c   *jsonschema.Compiler
	url string
	n   int // shallow schemas added so far
}

// node builds the node for the schema s at the JSON pointer ptr.
func (b *diffBuilder) node(s any, ptr string) (*diffNode, error) {
	switch s := s.(type) {
	case bool:
		if s {
			return nil, nil
		}
		return &diffNode{reject: true}, nil
	case map[string]any:
		return b.objectNode(s, ptr)
	}
	return nil, fmt.Errorf("schema at %q is neither an object nor a boolean", ptr)
}

func (b *diffBuilder) wholeNode(ptr string) (*diffNode, error) {
	whole, err := b.c.Compile(b.url + "#" + ptr)
	if err != nil {
		return nil, err
	}
	return &diffNode{whole: whole}, nil
}

func (b *diffBuilder) objectNode(s map[string]any, ptr string) (*diffNode, error) {
	n := &diffNode{}
	shallow := make(map[string]any, len(s))
	for k, v := range s {
		switch {
		case k == "$id" || k == "$defs":
			// The shallow copy is a resource of its own.
		case k == "properties":
			props, ok := v.(map[string]any)
			if !ok {
				return b.wholeNode(ptr)
			}
			trues := make(map[string]any, len(props))
			for name := range props {
				trues[name] = true
			}
			shallow[k] = trues
		case k == "additionalProperties" || k == "items":
			if _, isObj := v.(map[string]any); isObj {
				shallow[k] = true
			} else {
				shallow[k] = v
			}
		case localKeywords[k] && !hasRef(v):
			shallow[k] = v
		default:
			return b.wholeNode(ptr)
		}
	}
	for _, k := range valueKeywords {
		if _, ok := s[k]; ok {
			n.byValue = true
		}
	}
	_, hasEnum := s["enum"]
	_, hasConst := s["const"]
	_, hasUnique := s["uniqueItems"]
	n.uniqueOnly = hasUnique && !hasEnum && !hasConst
	if props, ok := s["properties"].(map[string]any); ok {
		n.props = make(map[string]*diffNode, len(props))
		for _, name := range sortedKeys(props) {
			child, err := b.node(props[name], ptr+"/properties/"+escapePointer(name))
			if err != nil {
				return nil, err
			}
			n.props[name] = child
		}
	}
	if ap, ok := s["additionalProperties"]; ok {
		var err error
		if n.additional, err = b.node(ap, ptr+"/additionalProperties"); err != nil {
			return nil, err
		}
	}
	if it, ok := s["items"]; ok {
		var err error
		if n.items, err = b.node(it, ptr+"/items"); err != nil {
			return nil, err
		}
	}
	if len(shallow) == 1 {
		n.types = typeNames(shallow["type"])
	}
	if len(shallow) > 0 {
		url := fmt.Sprintf("%s.shallow/%d.json", strings.TrimSuffix(b.url, ".json"), b.n)
		b.n++
		shallow["$schema"] = "https://json-schema.org/draft/2020-12/schema"
		if err := b.c.AddResource(url, shallow); err != nil {
			return nil, err
		}
		self, err := b.c.Compile(url)
		if err != nil {
			return nil, err
		}
		n.self = self
	}
	return n, nil
}

// typeNames returns the names a type keyword lists, or nil when t is not a
// type keyword's value.
func typeNames(t any) []string {
	switch t := t.(type) {
	case string:
		return []string{t}
	case []any:
		names := make([]string, 0, len(t))
		for _, x := range t {
			name, ok := x.(string)
			if !ok {
				return nil
			}
			names = append(names, name)
		}
		return names
	}
	return nil
}

// hasRef reports whether a keyword's value holds a $ref, which would not
// resolve in the shallow copy.
func hasRef(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "$ref" || k == "$dynamicRef" || hasRef(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if hasRef(e) {
				return true
			}
		}
	}
	return false
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// valid reports whether v, the value at n's location, passes the schema,
// given that ref (when has) is a value at the same location that passed it.
func (n *diffNode) valid(v, ref any, has bool) bool {
	if n == nil {
		return true
	}
	if has && tree.Same(v, ref) {
		return true
	}
	if n.reject {
		return false
	}
	if n.whole != nil {
		return n.whole.Validate(v) == nil
	}
	switch x := v.(type) {
	case map[string]any:
		rm, refIsMap := ref.(map[string]any)
		inRef := 0 // keys of x that ref has too
		for k, child := range x {
			rc, rhas := rm[k]
			if rhas {
				inRef++
				if tree.Same(child, rc) {
					continue // most are: no need to find the child's schema
				}
			}
			cn, ok := n.props[k]
			if !ok {
				cn = n.additional
			}
			if cn != nil && !cn.valid(child, rc, rhas) {
				return false
			}
		}
		// The keywords of the map itself read its keys only, unless
		// byValue: with the keys of ref, the map passes them as ref did.
		sameKeys := has && refIsMap && inRef == len(x) && len(x) == len(rm)
		return sameKeys && !n.byValue || n.shapeValid(v)
	case []any:
		rl, refIsList := ref.([]any)
		if !has || !refIsList || n.byValue || len(x) != len(rl) {
			if !n.shapeValid(v) {
				return false
			}
		}
		if n.items == nil {
			return true
		}
		for i, item := range x {
			var rc any
			if i < len(rl) {
				rc = rl[i]
			}
			if !n.items.valid(item, rc, i < len(rl)) {
				return false
			}
		}
		return true
	}
	if n.self == nil || n.types != nil {
		return n.selfValid(v)
	}
	h, ok := scalarHash(v)
	if !ok {
		return n.self.Validate(v) == nil
	}
	return n.scalars.get(v, h, n.selfValid)
}

// shapeValid is selfValid for a map or list, remembered by its shapeKey.
func (n *diffNode) shapeValid(v any) bool {
	if n.self == nil || n.types != nil {
		return n.selfValid(v)
	}
	key, ok := n.shapeKey(v)
	if !ok {
		return n.selfValid(v)
	}
	return n.shapes.get(key, maphash.String(memoSeed, key), func(string) bool { return n.selfValid(v) })
}

// shapeKey returns what the location's own keywords can read of a map or a
// list, as text: a map's keys (its values too when byValue, then no key is
// made), a list's items, each with its type, or only its length and whether
// its items are distinct for a list of strings when uniqueOnly. false when
// v has no such key or it would be longer than memoMaxString.
func (n *diffNode) shapeKey(v any) (string, bool) {
	if l, ok := v.([]any); ok && n.uniqueOnly {
		if distinct, ok := distinctStrings(l); ok {
			return uniqueKeys[len(l)][b2i(distinct)], true
		}
	}
	return contentKey(v, n.byValue)
}

// uniqueKeys are the shape keys of lists of strings by length (up to 16)
// and whether their items are distinct.
var uniqueKeys = func() (keys [17][2]string) {
	for n := range keys {
		keys[n] = [2]string{fmt.Sprintf("u%d:repeats", n), fmt.Sprintf("u%d:distinct", n)}
	}
	return keys
}()

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// distinctStrings reports whether the items of l are distinct, when they are
// all strings (JSON equality of strings is Go's) and few; false otherwise.
func distinctStrings(l []any) (distinct, ok bool) {
	if len(l) > 16 {
		return false, false
	}
	distinct = true
	for i, x := range l {
		a, isString := x.(string)
		if !isString {
			return false, false
		}
		for _, y := range l[:i] {
			if a == y {
				distinct = false
			}
		}
	}
	return distinct, true
}

// contentKey returns what a location's own keywords can read of a map or a
// list, as text: a map's keys (its values too when byValue, then no key is
// made), a list's items, each with its type. false when v has no such key
// or it would be longer than memoMaxString.
func contentKey(v any, byValue bool) (string, bool) {
	var buf [memoMaxString + 32]byte // on the stack: only the key is allocated
	b := buf[:0]
	switch x := v.(type) {
	case map[string]any:
		if byValue || len(x) > 16 {
			return "", false
		}
		var buf [16]string
		keys := buf[:0]
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, 'm')
		for _, k := range keys {
			b = appendItem(b, 's', k)
		}
	case []any:
		b = append(b, 'l')
		for _, item := range x {
			switch y := item.(type) {
			case string:
				b = appendItem(b, 's', y)
			case int64:
				b = appendItem(b, 'i', strconv.FormatInt(y, 10))
			case float64:
				b = appendItem(b, 'f', strconv.FormatUint(math.Float64bits(y), 16))
			case bool:
				b = appendItem(b, 'b', strconv.FormatBool(y))
			case nil:
				b = appendItem(b, 'n', "")
			default:
				return "", false
			}
			if len(b) > memoMaxString {
				return "", false
			}
		}
	default:
		return "", false
	}
	if len(b) > memoMaxString {
		return "", false
	}
	return string(b), true
}

// appendItem appends one typed item of a shape key: its type, its length
// and its text, so that no two shapes have the same key.
func appendItem(b []byte, kind byte, text string) []byte {
	b = append(b, kind)
	b = strconv.AppendInt(b, int64(len(text)), 10)
	b = append(b, ':')
	return append(b, text...)
}

// selfValid reports whether v passes the location's own keywords.
func (n *diffNode) selfValid(v any) bool {
	if n.self == nil {
		return true
	}
	if n.types != nil {
		if ok, decided := typeCheck(n.types, v); decided {
			return ok
		}
	}
	return n.self.Validate(v) == nil
}

// typeCheck reports whether v has one of the JSON types, when its Go type
// decides: a float may be an integer or not, and is left to the library
// unless the types hold no number at all.
func typeCheck(types []string, v any) (ok, decided bool) {
	var t string
	switch v.(type) {
	case string:
		t = "string"
	case bool:
		t = "boolean"
	case nil:
		t = "null"
	case map[string]any:
		t = "object"
	case []any:
		t = "array"
	case int64:
		t = "integer"
	case float64:
		if slices.Contains(types, "number") || slices.Contains(types, "integer") {
			return false, false
		}
		return false, true
	default:
		return false, false
	}
	return slices.Contains(types, t) || t == "integer" && slices.Contains(types, "number"), true
}
