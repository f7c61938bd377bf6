package tree

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
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
// When several templates fail, the first in sorted key order is reported.
//
// A variable whose value is a Redacted stands for a secret: a template that
// uses it, alone or inside a longer string, becomes the Redacted text as a
// plain string, so that nothing of the rest of the template gives the secret
// away either.
//
// Subtrees without templates are shared, not copied. A variable value of
// Go type int is accepted and treated as an int64; values of other types
// outside the tree types are an error when used.
func Substitute(v any, vars map[string]any) (any, error) {
	var walk func(s seg, x any) (any, bool, error)
	walk = func(_ seg, x any) (any, bool, error) {
		if t, ok := x.(*Template); ok {
			out, err := resolveTemplate(t, vars)
			return out, true, err
		}
		return rewrite(x, walk)
	}
	out, _, err := walk(seg{}, v)
	if err != nil {
		// Report the first error in sorted key order, not in map order.
		return nil, walkSorted(v, nil, 0, func(v any, _ []seg, _ int) error {
			if t, ok := v.(*Template); ok {
				_, err := resolveTemplate(t, vars)
				return err
			}
			return nil
		})
	}
	return out, nil
}

// Redacted is the value of a variable that holds a secret (see Substitute).
type Redacted string

// resolveTemplate returns the value of t with vars.
func resolveTemplate(t *Template, vars map[string]any) (any, error) {
	for _, p := range t.Parts {
		if r, ok := vars[p.Var].(Redacted); ok && p.Var != "" {
			return string(r), nil
		}
	}
	if name, ok := t.single(); ok {
		val, err := lookupVar(t, name, vars)
		if err != nil {
			return nil, err
		}
		return normalizeVar(t, name, val)
	}
	var b strings.Builder
	for _, p := range t.Parts {
		if p.Var == "" {
			b.WriteString(p.Literal)
			continue
		}
		val, err := lookupVar(t, p.Var, vars)
		if err != nil {
			return nil, err
		}
		switch val.(type) {
		case map[string]any, []any:
			return nil, varError(t, "variable "+quote(p.Var)+" is "+kindOf(val)+
				" and cannot be inserted into a longer string")
		}
		text, ok := varText(val)
		if !ok {
			return nil, varError(t, "variable "+quote(p.Var)+" has "+unsupportedMsg(val))
		}
		b.WriteString(text)
	}
	return b.String(), nil
}

// lookupVar returns the value of the variable name.
func lookupVar(t *Template, name string, vars map[string]any) (any, error) {
	if val, ok := vars[name]; ok {
		return val, nil
	}
	msg := "unknown variable " + quote(name)
	if s := DidYouMean(name, slices.Collect(maps.Keys(vars))); s != "" {
		msg += "; did you mean " + quote(s) + "?"
	}
	return nil, varError(t, msg)
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
	case json.Number:
		return string(x), true
	case bool:
		return strconv.FormatBool(x), true
	case nil:
		return "", true
	}
	return "", false
}

// normalizeVar converts a variable's value for insertion as a whole value.
func normalizeVar(t *Template, name string, val any) (any, error) {
	switch x := val.(type) {
	case string, int64, float64, json.Number, bool, nil, map[string]any, []any:
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
