package tree

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"unsafe"
)

// Substitute returns a copy of v in which each *Template is resolved with
// vars.
//
// A template that is exactly one placeholder and nothing else takes the
// variable's value with its own type: an int64 stays an int64, and a map
// or list is inserted as is. Otherwise the parts are concatenated, with
// variables written as text: int64 in decimal, float64 with
// strconv.FormatFloat(f, 'f', -1, 64), bool as true or false and nil as
// the empty string; a map or list inside a longer string is an error.
// Inserted values are never scanned again, so a variable whose value is
// "${X}" stays literally "${X}".
//
// An unknown variable is an *Error naming the template's position and the
// variable, with a suggestion when a known variable is close, such as
// `standard.yml:12: unknown variable "TENANT_DI"; did you mean "TENANT_ID"?`.
//
// Subtrees without templates are shared, not copied. A variable value of
// Go type int is accepted and treated as an int64; values of other types
// outside the tree types are an error when used.
func Substitute(v any, vars map[string]any) (any, error) {
	return substitute(v, vars, nil)
}

func substitute(v any, vars map[string]any, base *Base) (any, error) {
	sub := substituter{vars: vars, base: base}
	out, _, err := sub.walk(v)
	if err != nil {
		// Report the first error in sorted key order, not in map order.
		return nil, walkSorted(v, nil, 0, func(v any, _ []seg, _ int) error {
			if t, ok := v.(*Template); ok {
				_, err := sub.resolve(t)
				return err
			}
			return nil
		})
	}
	return out, nil
}

type substituter struct {
	vars map[string]any
	// arena holds the text of the strings built so far, which share it: one
	// allocation for many short strings. Bytes handed out are never written
	// again; a full arena is left to its strings and a new one started.
	arena []byte
	base  *Base // knows where its maps hold templates; nil for none
}

// arenaSize is the size of a substituter's arena: the strings a tenant's
// render builds fit in one or two.
const arenaSize = 1024

// walk resolves the templates in v and reports whether the result differs
// from v.
func (s *substituter) walk(v any) (any, bool, error) {
	switch v := v.(type) {
	case *Template:
		out, err := s.resolve(v)
		return out, true, err
	case map[string]any:
		if s.base != nil {
			if out, changed, done, err := s.baseMap(v); done {
				return out, changed, err
			}
		}
		return rewrite(v, s.child)
	case []any:
		return rewrite(v, s.child)
	default:
		return v, false, nil
	}
}

// child walks a map's or list's child: a scalar has nothing to resolve.
func (s *substituter) child(_ seg, x any) (any, bool, error) {
	switch x.(type) {
	case map[string]any, []any, *Template:
		return s.walk(x)
	}
	return x, false, nil
}

// baseMap substitutes a map of the base: a template-free one is itself, and
// of the others only the keys that hold templates are visited. done is false
// for a map that is not the base's.
func (s *substituter) baseMap(m map[string]any) (out any, changed, done bool, err error) {
	id := mapID(m)
	if _, ok := s.base.free[id]; ok {
		return m, false, true, nil
	}
	keys, ok := s.base.holes[id]
	if !ok {
		return nil, false, false, nil
	}
	c := maps.Clone(m)
	for _, k := range keys {
		nx, _, err := s.walk(m[k])
		if err != nil {
			return nil, false, true, err
		}
		c[k] = nx
	}
	return c, true, true, nil
}

// errMerge stops a merged walk at a clash; Merge tells where.
var errMerge = errors.New("cannot merge")

// merged returns the substituted merge of a non-nil overlay into v, as
// merge and then walk would.
func (s *substituter) merged(v, overlay any) (any, error) {
	om, overlayIsMap := overlay.(map[string]any)
	vm, vIsMap := v.(map[string]any)
	switch {
	case overlayIsMap && vIsMap:
		return s.mergedMap(vm, om)
	case overlayIsMap && v == nil:
		m, _ := dropNils(om)
		out, _, err := s.walk(m)
		return out, err
	case overlayIsMap || vIsMap:
		return nil, errMerge
	}
	out, _, err := s.walk(overlay)
	return out, err
}

// mergedMap copies m once, substitutes the keys that overlay leaves as they
// are, and merges in the others.
func (s *substituter) mergedMap(m, overlay map[string]any) (map[string]any, error) {
	c := cloneMap(m)
	keep := func(k string) error {
		if _, over := overlay[k]; over {
			return nil
		}
		nx, changed, err := s.child(seg{}, m[k])
		if changed {
			c[k] = nx
		}
		return err
	}
	id := mapID(m)
	if keys, ok := s.base.holes[id]; ok {
		for _, k := range keys {
			if err := keep(k); err != nil {
				return nil, err
			}
		}
	} else if _, free := s.base.free[id]; !free {
		for k := range m {
			if err := keep(k); err != nil {
				return nil, err
			}
		}
	}
	for k, ov := range overlay {
		if ov == nil {
			delete(c, k)
			continue
		}
		nv, err := s.merged(m[k], ov)
		if err != nil {
			return nil, err
		}
		c[k] = nv
	}
	return c, nil
}

// resolve returns the value of t.
func (s *substituter) resolve(t *Template) (any, error) {
	if name, ok := t.single(); ok {
		val, err := s.lookup(t, name)
		if err != nil {
			return nil, err
		}
		return normalizeVar(t, name, val)
	}
	if s.arena == nil {
		s.arena = make([]byte, 0, arenaSize)
	}
	start := len(s.arena)
	buf := s.arena
	for _, p := range t.Parts {
		if p.Var == "" {
			buf = append(buf, p.Literal...)
			continue
		}
		val, err := s.lookup(t, p.Var)
		if err != nil {
			return nil, err
		}
		switch x := val.(type) {
		case string:
			buf = append(buf, x...)
		case int64:
			buf = strconv.AppendInt(buf, x, 10)
		case int:
			buf = strconv.AppendInt(buf, int64(x), 10)
		case float64:
			buf = strconv.AppendFloat(buf, x, 'f', -1, 64)
		case bool:
			buf = strconv.AppendBool(buf, x)
		case nil:
		case map[string]any, []any:
			return nil, varError(t, "variable "+quote(p.Var)+" is "+kindOf(val)+
				" and cannot be inserted into a longer string")
		default:
			return nil, varError(t, "variable "+quote(p.Var)+" has "+unsupportedMsg(val))
		}
	}
	text := buf[start:]
	if len(text) == 0 {
		return "", nil
	}
	if cap(buf) != cap(s.arena) {
		// append moved the text out of the arena into a new array of its
		// own: leave the text there, and start a new arena when needed.
		s.arena = nil
		return unsafe.String(&text[0], len(text)), nil
	}
	s.arena = buf
	return unsafe.String(&text[0], len(text)), nil
}

// lookup returns the value of the variable name: the base's, else vars'.
func (s *substituter) lookup(t *Template, name string) (any, error) {
	if s.base != nil {
		if val, ok := s.base.vars[name]; ok {
			return val, nil
		}
	}
	if val, ok := s.vars[name]; ok {
		return val, nil
	}
	names := slices.Collect(maps.Keys(s.vars))
	if s.base != nil {
		names = slices.AppendSeq(names, maps.Keys(s.base.vars))
	}
	msg := "unknown variable " + quote(name)
	if s := DidYouMean(name, names); s != "" {
		msg += "; did you mean " + quote(s) + "?"
	}
	return nil, varError(t, msg)
}

// normalizeVar converts a variable's value for insertion as a whole value.
func normalizeVar(t *Template, name string, val any) (any, error) {
	switch x := val.(type) {
	case string, int64, float64, bool, nil, map[string]any, []any:
		return val, nil
	case int:
		return int64(x), nil
	default:
		return nil, varError(t, "variable "+quote(name)+" has "+unsupportedMsg(val))
	}
}

func varError(t *Template, msg string) *Error {
	return &Error{Pos: t.Pos, Path: t.Pos.Path, Msg: msg}
}
