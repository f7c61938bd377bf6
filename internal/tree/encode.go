package tree

import (
	"encoding/json"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Encode writes v as canonical YAML: map keys sorted in byte order,
// two-space indentation, block style for non-empty maps and lists, and
// "{}" and "[]" for empty ones. Strings are plain when that is unambiguous
// and double-quoted with JSON-compatible escapes otherwise; see
// AppendEncode for the details.
//
// The output is byte-identical for equal trees, ends with a single "\n",
// has no "---" header, and decodes with yaml.v3 back to an equal tree. A
// *Template left in the tree, a NaN or infinite float, a string that is
// not valid UTF-8 or a value outside the tree types is an *Error.
func Encode(v any) ([]byte, error) {
	e := encoder{buf: make([]byte, 0, 4096)}
	if err := e.top(v); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// AppendEncode is Encode, appending the YAML to buf and returning the
// extended buffer. On error it returns buf as it was.
//
// A string is written plain when it matches ^[A-Za-z_/][A-Za-z0-9_./:-]*$,
// does not end with ":" and is not a word that some YAML reader takes for
// a boolean, null or number (y, n, yes, no, on, off, true, false, null and
// the words strconv.ParseFloat accepts such as inf and nan, in any case).
// Any other string is double-quoted with the escapes \" \\ \n \t \r and
// \uXXXX for the other control characters, U+0085, U+2028, U+2029, U+FEFF
// and the non-characters U+FFFE and U+FFFF. Keys follow the same rule; a
// key longer than YAML allows for an implicit key is written in the
// explicit "? key" form.
//
// An int64 is written in decimal, a json.Number as its text, a float64 with
// strconv.FormatFloat(f, 'g', -1, 64) plus ".0" when that has neither "."
// nor "e" (so 4 is "4.0" and 1e21 is "1e+21"), a bool as true or false and
// nil as null.
func AppendEncode(buf []byte, v any) ([]byte, error) {
	e := encoder{buf: buf}
	if err := e.top(v); err != nil {
		return buf, err
	}
	return e.buf, nil
}

// maxImplicitKey is the longest encoded key written as "key: value".
// YAML limits implicit keys to 1024 characters; longer keys use the
// explicit "? key" form.
const maxImplicitKey = 1000

type encoder struct {
	buf []byte
}

func (e *encoder) top(v any) error {
	switch x := v.(type) {
	case map[string]any:
		if len(x) > 0 {
			return e.mapBody(x, 0, false)
		}
	case []any:
		if len(x) > 0 {
			return e.listBody(x, 0, false)
		}
	}
	if err := e.scalar(v); err != nil {
		return err
	}
	e.buf = append(e.buf, '\n')
	return nil
}

const spaces = "                                                                "

func (e *encoder) indent(n int) {
	for n > len(spaces) {
		e.buf = append(e.buf, spaces...)
		n -= len(spaces)
	}
	e.buf = append(e.buf, spaces[:n]...)
}

// mapBody writes the entries of the non-empty map m at indentation ind, keys
// in byte order. When inline is set the first entry continues the current
// line (after "- ").
func (e *encoder) mapBody(m map[string]any, ind int, inline bool) error {
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 || !inline {
			e.indent(ind)
		}
		keyStart := len(e.buf)
		if err := e.string(k); err != nil {
			return withParent(err, k)
		}
		if len(e.buf)-keyStart > maxImplicitKey {
			// "? key" on its own line, then ": value".
			e.buf = append(e.buf, 0, 0)
			copy(e.buf[keyStart+2:], e.buf[keyStart:len(e.buf)-2])
			e.buf[keyStart], e.buf[keyStart+1] = '?', ' '
			e.buf = append(e.buf, '\n')
			e.indent(ind)
		}
		e.buf = append(e.buf, ':')
		if err := e.child(m[k], ind); err != nil {
			return withParent(err, k)
		}
	}
	return nil
}

// listBody writes the items of the non-empty list l at indentation ind.
// When inline is set the first item continues the current line.
func (e *encoder) listBody(l []any, ind int, inline bool) error {
	for i, x := range l {
		if i > 0 || !inline {
			e.indent(ind)
		}
		e.buf = append(e.buf, '-', ' ')
		var err error
		switch y := x.(type) {
		case map[string]any:
			if len(y) > 0 {
				err = e.mapBody(y, ind+2, true)
				break
			}
			e.buf = append(e.buf, "{}\n"...)
		case []any:
			if len(y) > 0 {
				err = e.listBody(y, ind+2, true)
				break
			}
			e.buf = append(e.buf, "[]\n"...)
		default:
			if err = e.scalar(x); err == nil {
				e.buf = append(e.buf, '\n')
			}
		}
		if err != nil {
			return withParent(err, indexText(i))
		}
	}
	return nil
}

// child writes the value of a map entry whose key and ":" at indentation
// ind are already written.
func (e *encoder) child(v any, ind int) error {
	switch x := v.(type) {
	case map[string]any:
		if len(x) > 0 {
			e.buf = append(e.buf, '\n')
			return e.mapBody(x, ind+2, false)
		}
	case []any:
		if len(x) > 0 {
			e.buf = append(e.buf, '\n')
			return e.listBody(x, ind+2, false)
		}
	}
	e.buf = append(e.buf, ' ')
	if err := e.scalar(v); err != nil {
		return err
	}
	e.buf = append(e.buf, '\n')
	return nil
}

// scalar writes a scalar, or an empty map or list, without a line end.
func (e *encoder) scalar(v any) error {
	switch x := v.(type) {
	case string:
		return e.string(x)
	case int64:
		e.buf = strconv.AppendInt(e.buf, x, 10)
	case json.Number:
		if !validNumber(string(x)) {
			return pathError("", "cannot encode "+quote(string(x))+" as a number in YAML")
		}
		e.buf = append(e.buf, x...)
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return pathError("", "cannot encode "+strconv.FormatFloat(x, 'g', -1, 64)+" in YAML")
		}
		start := len(e.buf)
		e.buf = strconv.AppendFloat(e.buf, x, 'g', -1, 64)
		if !hasFloatMark(e.buf[start:]) {
			e.buf = append(e.buf, ".0"...)
		}
	case bool:
		e.buf = strconv.AppendBool(e.buf, x)
	case nil:
		e.buf = append(e.buf, "null"...)
	case map[string]any:
		e.buf = append(e.buf, "{}"...) // only called when empty
	case []any:
		e.buf = append(e.buf, "[]"...)
	case *Template:
		return &Error{Pos: x.Pos, Msg: "template " + quote(truncate(x.String(), 60)) + " was not substituted"}
	default:
		return pathError("", unsupportedMsg(v))
	}
	return nil
}

func hasFloatMark(b []byte) bool {
	for _, c := range b {
		if c == '.' || c == 'e' || c == 'E' {
			return true
		}
	}
	return false
}

// string writes s plain or double-quoted.
func (e *encoder) string(s string) error {
	if isPlain(s) {
		e.buf = append(e.buf, s...)
		return nil
	}
	return e.quoted(s)
}

const hexDigits = "0123456789abcdef"

// quoted writes s as a double-quoted YAML scalar.
func (e *encoder) quoted(s string) error {
	e.buf = append(e.buf, '"')
	start := 0 // start of the run of s not yet written
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			i++
			continue
		}
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return pathError("", "string is not valid UTF-8")
			}
			if !needsEscape(r) {
				i += size
				continue
			}
		}
		e.buf = append(e.buf, s[start:i]...)
		switch r {
		case '"':
			e.buf = append(e.buf, '\\', '"')
		case '\\':
			e.buf = append(e.buf, '\\', '\\')
		case '\n':
			e.buf = append(e.buf, '\\', 'n')
		case '\t':
			e.buf = append(e.buf, '\\', 't')
		case '\r':
			e.buf = append(e.buf, '\\', 'r')
		default:
			e.buf = append(e.buf, '\\', 'u',
				hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
		}
		i += size
		start = i
	}
	e.buf = append(e.buf, s[start:]...)
	e.buf = append(e.buf, '"')
	return nil
}

// needsEscape reports whether the non-ASCII rune r must be escaped: C1
// controls (which include the line break U+0085), the line and paragraph
// separators, the byte order mark and the non-characters U+FFFE, U+FFFF.
func needsEscape(r rune) bool {
	return r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff
}

// plainByte marks the bytes allowed after the first one in a plain
// string: [A-Za-z0-9_./:-].
var plainByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '_' || c == '.' || c == '/' || c == ':' || c == '-'
	}
	return t
}()

// isPlain reports whether s can be written as a plain YAML scalar that
// every reader takes for the same string.
func isPlain(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	if !(c == '_' || c == '/' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !plainByte[s[i]] {
			return false
		}
	}
	// The charset above rules out ": ", " #", digits, signs and dots at the
	// start, so the only other ambiguous strings are a trailing ":" and the
	// reserved words.
	return s[len(s)-1] != ':' && !isReservedWord(s)
}

// isReservedWord reports whether s, which starts with a letter, "_" or
// "/", is in any case a word that a YAML 1.1 or 1.2 reader or
// strconv.ParseFloat takes for something other than a string: y, n, yes,
// no, on, off, true, false, null, inf, infinity or nan.
func isReservedWord(s string) bool {
	if len(s) > 8 {
		return false
	}
	switch s[0] | 0x20 { // ASCII lower case of a letter
	case 'y', 'n', 'o', 't', 'f', 'i':
	default:
		return false
	}
	var b [8]byte
	n := copy(b[:], s)
	for i := range n {
		b[i] |= 0x20 // lower case; harmless for the other plain bytes compared below
	}
	switch string(b[:n]) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null",
		"inf", "infinity", "nan":
		return true
	}
	return false
}

// numberRE is a number as JSON and YAML 1.2 both read it.
var numberRE = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

func validNumber(s string) bool { return numberRE.MatchString(s) }
