package tree

import (
	"encoding/json"
	"strconv"
)

// Pos is where a template string came from.
type Pos struct {
	File string // e.g. "standard.yml" or "overrides"
	Line int    // 1-based line in File; 0 when the source has no lines (then Path is used)
	Path string // dotted config path, e.g. "databases.postgresql.version"; may be empty
}

// String formats p as "standard.yml:12" when Line is known, as
// "overrides at custom.note" when only Path is known, and as the bare
// File otherwise.
func (p Pos) String() string {
	switch {
	case p.Line > 0:
		return p.File + ":" + strconv.Itoa(p.Line)
	case p.Path != "":
		return p.File + " at " + p.Path
	default:
		return p.File
	}
}

// Error is the error type of this package.
type Error struct {
	Pos  Pos    // where, when known
	Path string // dotted path, when known
	Msg  string
}

// Error returns Msg prefixed with the position when Pos.File is set, or
// else with the path when Path is set.
func (e *Error) Error() string {
	switch {
	case e.Pos.File != "":
		return e.Pos.String() + ": " + e.Msg
	case e.Path != "":
		return e.Path + ": " + e.Msg
	default:
		return e.Msg
	}
}

// pathError returns an *Error for path with the message msg.
func pathError(path, msg string) *Error {
	return &Error{Path: path, Msg: msg}
}

// withParent prefixes the path of err, which was built relative to a
// child, with the segment seg that leads to that child. Errors are built
// from the leaf outwards so that paths cost nothing unless an error occurs.
func withParent(err error, seg string) error {
	if e, ok := err.(*Error); ok {
		e.Path = prependPath(seg, e.Path)
	}
	return err
}

// indexText returns the path segment for list index i.
func indexText(i int) string {
	return "[" + strconv.Itoa(i) + "]"
}

// prependPath returns the path made of seg followed by the relative path rest.
func prependPath(seg, rest string) string {
	switch {
	case rest == "":
		return seg
	case rest[0] == '[':
		return seg + rest
	default:
		return seg + "." + rest
	}
}

// kindOf names the kind of a tree value with its article, for messages.
func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "a map"
	case []any:
		return "a list"
	case string, *Template:
		return "a string"
	case int64:
		return "an integer"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	default:
		return "an unsupported value"
	}
}
