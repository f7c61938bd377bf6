package tree

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// Template is a string scalar that contains ${VAR} placeholders.
type Template struct {
	Parts []Part
	Pos   Pos
}

// Part is one piece of a Template: either literal text or a placeholder.
type Part struct {
	Literal string // used when Var == ""
	Var     string
}

// String returns the template in source form, with literal "${" written
// as "$${".
func (t *Template) String() string {
	var b strings.Builder
	for _, p := range t.Parts {
		if p.Var != "" {
			b.WriteString("${")
			b.WriteString(p.Var)
			b.WriteByte('}')
		} else {
			b.WriteString(Escape(p.Literal))
		}
	}
	return b.String()
}

// single returns the variable name when t is exactly one placeholder and
// nothing else.
func (t *Template) single() (string, bool) {
	if len(t.Parts) == 1 && t.Parts[0].Var != "" {
		return t.Parts[0].Var, true
	}
	return "", false
}

// Escape returns s with every "${" written as "$${", so that ParseTemplate
// returns s unchanged as a plain string.
func Escape(s string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	return strings.ReplaceAll(s, "${", "$${")
}

// ParseTemplate parses s. "${NAME}" is a placeholder (NAME matches
// [A-Za-z_][A-Za-z0-9_]*), "$${" is a literal "${", and any other "$" is
// literal. The text is read from left to right, so "$$${" is a literal "$"
// followed by the escape "$${"; a literal "$" directly before a
// placeholder therefore cannot be written.
//
// ParseTemplate returns the plain string (escapes resolved) when s has no
// placeholder, else a *Template with pos. An unterminated "${" or an
// invalid name is an *Error that names pos.
func ParseTemplate(s string, pos Pos) (any, error) {
	i := strings.IndexByte(s, '$')
	if i < 0 {
		return s, nil
	}
	var (
		parts   []Part
		lit     strings.Builder // literal text since the last placeholder
		start   = 0             // start of the pending run of s not yet in lit
		escaped bool            // whether an escape "$${" was resolved
	)
	flush := func(end int) {
		lit.WriteString(s[start:end])
	}
	for i < len(s) {
		if s[i] != '$' {
			j := strings.IndexByte(s[i:], '$')
			if j < 0 {
				break
			}
			i += j
			continue
		}
		switch {
		case strings.HasPrefix(s[i+1:], "${"):
			// "$${" is a literal "${".
			flush(i)
			lit.WriteString("${")
			escaped = true
			i += 3
			start = i
		case i+1 < len(s) && s[i+1] == '{':
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return nil, &Error{Pos: pos, Path: pos.Path, Msg: "unterminated placeholder " +
					quote(truncate(s[i:], 40)) + ": missing \"}\""}
			}
			name := s[i+2 : i+2+end]
			if !validName(name) {
				return nil, &Error{Pos: pos, Path: pos.Path, Msg: "invalid variable name " +
					quote(truncate(name, 40)) + " in placeholder (names match [A-Za-z_][A-Za-z0-9_]*;" +
					" write \"$${\" for a literal \"${\")"}
			}
			flush(i)
			if lit.Len() > 0 {
				parts = append(parts, Part{Literal: lit.String()})
				lit.Reset()
			}
			parts = append(parts, Part{Var: name})
			i += 2 + end + 1
			start = i
		default:
			i++
		}
	}
	if parts == nil {
		if !escaped {
			return s, nil
		}
		flush(len(s))
		return lit.String(), nil
	}
	flush(len(s))
	if lit.Len() > 0 {
		parts = append(parts, Part{Literal: lit.String()})
	}
	return &Template{Parts: parts, Pos: pos}, nil
}

// validName reports whether name matches [A-Za-z_][A-Za-z0-9_]*.
func validName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// truncate shortens s to at most n bytes without splitting a character,
// marking the cut with "...".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// FromOverrides walks a tree that came from user input (no templates yet,
// strings may contain "${") and replaces each string containing "${" or
// "$${" with the result of ParseTemplate(s, Pos{File: source, Path: dotted
// path}). It returns a new tree that shares every subtree without such
// strings; the input is not mutated. A value of a type outside the tree
// types is an error naming its path.
func FromOverrides(v any, source string) (any, error) {
	w := overrideWalker{source: source}
	out, _, err := w.walk(v)
	if err != nil {
		// Report the first error in sorted key order, not in map order.
		return nil, walkSorted(v, nil, 0, func(v any, path []seg, _ int) error {
			switch x := v.(type) {
			case string:
				if strings.Contains(x, "${") {
					_, err := ParseTemplate(x, Pos{File: source, Path: pathString(path)})
					return err
				}
			default:
				if !isTreeType(v) {
					return pathError(pathString(path), unsupportedMsg(v))
				}
			}
			return nil
		})
	}
	return out, nil
}

type overrideWalker struct {
	source string
	path   []seg // the path to the value being walked
}

// child walks the child of a map or list at segment s.
func (w *overrideWalker) child(s seg, x any) (any, bool, error) {
	w.path = append(w.path, s)
	out, changed, err := w.walk(x)
	w.path = w.path[:len(w.path)-1]
	return out, changed, err
}

// walk returns v with its strings parsed and reports whether that differs
// from v.
func (w *overrideWalker) walk(v any) (any, bool, error) {
	switch x := v.(type) {
	case string:
		if !strings.Contains(x, "${") {
			return v, false, nil // v, not x: no new interface value
		}
		out, err := ParseTemplate(x, Pos{File: w.source, Path: pathString(w.path)})
		if err != nil {
			return nil, false, err
		}
		if s, ok := out.(string); ok && s == x {
			return v, false, nil
		}
		return out, true, nil
	case map[string]any, []any:
		return rewrite(v, w.child)
	case int64, float64, json.Number, bool, nil, *Template:
		return v, false, nil
	default:
		return nil, false, pathError(pathString(w.path), unsupportedMsg(v))
	}
}
