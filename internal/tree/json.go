package tree

import (
	"maps"
	"slices"
)

// EncodeJSON writes v as canonical JSON: compact (no insignificant white
// space), object keys sorted in byte order, strings escaped as Encode
// escapes them in double quotes (which JSON reads alike), and numbers and
// scalars written as Encode writes them: an int64 in decimal, a json.Number
// as its text, a float64 with a "." or an exponent (4 is 4.0), so that the
// YAML and the JSON of one tree hold the same numbers with the same types.
// The output has no final newline and is byte-identical for equal trees.
// Errors are those of Encode.
func EncodeJSON(v any) ([]byte, error) {
	e := encoder{buf: make([]byte, 0, 4096)}
	if err := e.json(v); err != nil {
		return nil, err
	}
	return e.buf, nil
}

func (e *encoder) json(v any) error {
	switch x := v.(type) {
	case map[string]any:
		e.buf = append(e.buf, '{')
		for i, k := range slices.Sorted(maps.Keys(x)) {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.quoted(k); err != nil {
				return withParent(err, k)
			}
			e.buf = append(e.buf, ':')
			if err := e.json(x[k]); err != nil {
				return withParent(err, k)
			}
		}
		e.buf = append(e.buf, '}')
	case []any:
		e.buf = append(e.buf, '[')
		for i, item := range x {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.json(item); err != nil {
				return withParent(err, indexText(i))
			}
		}
		e.buf = append(e.buf, ']')
	case string:
		return e.quoted(x)
	default:
		return e.scalar(v)
	}
	return nil
}
