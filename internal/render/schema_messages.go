package render

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// The JSON Schema's failures read as sentences: each names the path, says
// what the value is and what is allowed, never the validator's own words
// ("exclusiveMinimum: got 0, want 0").

// patternForms says in words what the schema's patterns accept.
var patternForms = map[string]string{
	TenantIDPattern:             "start with a lowercase letter and hold 3 to 40 characters a-z, 0-9 and _",
	`^[a-z][a-z0-9_]*$`:         "start with a lowercase letter and hold only lowercase letters, digits and _",
	`^[a-z][a-z0-9_-]*$`:        "start with a lowercase letter and hold only lowercase letters, digits, _ and -",
	`^[a-z0-9][a-z0-9-]{0,62}$`: "be a cloud region name such as eu-west-1: lowercase letters, digits and -",
	`^[A-Za-z][A-Za-z0-9_|-]*$`: "be a command or command category name: a letter, then letters, digits, _, | and -",
}

// describe returns the summary and detail of one failure of kind k for the
// value at path (the subject of the sentences: a path, or "the key x" for a
// property name). bounds is the schema that failed, for the limits of a
// range; value is the failing value when it is known. With secret (the value
// came from a sensitive input) the value is never shown, only the marker.
func describeFailure(subject, path string, k jsonschema.ErrorKind, bounds map[string]any, value any, hasValue, secret bool) (string, string) {
	what := orRoot(path)
	valueText := valueText
	if secret {
		valueText = func(any) string { return SensitiveMarker }
	}
	switch k := k.(type) {
	case *kind.Minimum, *kind.Maximum, *kind.ExclusiveMinimum, *kind.ExclusiveMaximum:
		got := ratText(rangeGot(k))
		if secret {
			got = SensitiveMarker
		}
		return what + " is out of range",
			fmt.Sprintf("%s must be %s; it is %s.", subject, rangePhrase(bounds, k), got)
	case *kind.MultipleOf:
		got := ratText(k.Got)
		if secret {
			got = SensitiveMarker
		}
		return what + " is out of range", fmt.Sprintf("%s must be a multiple of %s; it is %s.", subject, ratText(k.Want), got)
	case *kind.MinLength:
		if k.Want == 1 {
			return what + " is empty", fmt.Sprintf("%s must not be empty: set a value, or remove the key to keep the template's.", subject)
		}
		return what + " is too short", fmt.Sprintf("%s must hold at least %d characters; it holds %d.", subject, k.Want, k.Got)
	case *kind.MaxLength:
		return what + " is too long", fmt.Sprintf("%s must hold at most %d characters; it holds %d.", subject, k.Want, k.Got)
	case *kind.Pattern:
		form, ok := patternForms[k.Want]
		if !ok {
			form = "match the regular expression " + k.Want
		}
		if strings.Contains(subject, strconv.Quote(k.Got)) {
			return what + " is not in the required form", fmt.Sprintf("%s must %s.", subject, form)
		}
		return what + " is not in the required form", fmt.Sprintf("%s is %s: it must %s.", subject, valueText(k.Got), form)
	case *kind.UniqueItems:
		item := "an item"
		if list, ok := value.([]any); ok && hasValue && !secret && k.Duplicates[0] < len(list) {
			item = itemText(list[k.Duplicates[0]])
		}
		return fmt.Sprintf("%s lists %s twice", what, item),
			fmt.Sprintf("%s lists %s twice (items %d and %d): each item may appear once. Remove the repetition.", subject, item, k.Duplicates[0], k.Duplicates[1])
	case *kind.MinItems:
		return what + " has too few items", fmt.Sprintf("%s must list at least %s; it lists %d.", subject, count(k.Want, "item"), k.Got)
	case *kind.MaxItems:
		return what + " has too many items", fmt.Sprintf("%s must list at most %s; it lists %d.", subject, count(k.Want, "item"), k.Got)
	case *kind.MinProperties:
		return what + " has too few keys", fmt.Sprintf("%s must have at least %s; it has %d.", subject, count(k.Want, "key"), k.Got)
	case *kind.MaxProperties:
		return what + " has too many keys", fmt.Sprintf("%s must have at most %s; it has %d.", subject, count(k.Want, "key"), k.Got)
	case *kind.Type:
		want := make([]string, len(k.Want))
		for i, t := range k.Want {
			want[i] = typeName(t)
		}
		got := typeName(k.Got)
		if hasValue && k.Got != "object" && k.Got != "array" && k.Got != "null" {
			got = fmt.Sprintf("%s (%s)", valueText(value), got)
		}
		return what + " has the wrong type", fmt.Sprintf("%s must be %s; it is %s.", subject, strings.Join(want, " or "), got)
	case *kind.Enum:
		detail := fmt.Sprintf("%s is %s; the allowed values are %s.", subject, valueText(k.Got), enumList(k.Want))
		if s, ok := k.Got.(string); ok && !secret {
			detail += didYouMean(s, enumStrings(k.Want))
		}
		return what + " has an unsupported value", detail
	case *kind.Const:
		return what + " cannot be changed", fmt.Sprintf("%s must be %s; it is %s.", subject, valueText(k.Want), valueText(k.Got))
	case *kind.Format:
		return what + " is not in the required form", fmt.Sprintf("%s is %s, which is not a valid %s.", subject, valueText(k.Got), k.Want)
	}
	return what + " is invalid", fmt.Sprintf("%s does not match the configuration's schema: %s.", subject, k.LocalizedString(printer))
}

func rangeGot(k jsonschema.ErrorKind) *big.Rat {
	switch k := k.(type) {
	case *kind.Minimum:
		return k.Got
	case *kind.Maximum:
		return k.Got
	case *kind.ExclusiveMinimum:
		return k.Got
	case *kind.ExclusiveMaximum:
		return k.Got
	}
	return nil
}

// rangePhrase says which numbers the schema node bounds allows ("between 0
// and 100", "greater than 0"), from all its limits, or from the failing
// keyword alone when the node is not known.
func rangePhrase(bounds map[string]any, k jsonschema.ErrorKind) string {
	lo, loOK := numberText(bounds["minimum"])
	xlo, xloOK := numberText(bounds["exclusiveMinimum"])
	hi, hiOK := numberText(bounds["maximum"])
	xhi, xhiOK := numberText(bounds["exclusiveMaximum"])
	var low, high string
	switch {
	case loOK:
		low = "at least " + lo
	case xloOK:
		low = "greater than " + xlo
	}
	switch {
	case hiOK:
		high = "at most " + hi
	case xhiOK:
		high = "less than " + xhi
	}
	switch {
	case loOK && hiOK:
		return fmt.Sprintf("between %s and %s", lo, hi)
	case low != "" && high != "":
		return low + " and " + high
	case low != "":
		return low
	case high != "":
		return high
	}
	switch k := k.(type) {
	case *kind.Minimum:
		return "at least " + ratText(k.Want)
	case *kind.Maximum:
		return "at most " + ratText(k.Want)
	case *kind.ExclusiveMinimum:
		return "greater than " + ratText(k.Want)
	case *kind.ExclusiveMaximum:
		return "less than " + ratText(k.Want)
	}
	return "in range"
}

// numberText returns a schema number (as jsonschema.UnmarshalJSON reads it)
// as text.
func numberText(v any) (string, bool) {
	switch n := v.(type) {
	case nil:
		return "", false
	case float64:
		return strconv.FormatFloat(n, 'f', -1, 64), true
	case int, int64:
		return fmt.Sprint(n), true
	case fmt.Stringer:
		return n.String(), true
	}
	return fmt.Sprint(v), true
}

func ratText(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func typeName(t string) string {
	switch t {
	case "integer":
		return "a whole number"
	case "number":
		return "a number"
	case "string":
		return "a string"
	case "boolean":
		return "true or false"
	case "object":
		return "an object (a section of keys)"
	case "array":
		return "a list"
	case "null":
		return "null"
	}
	return t
}

// itemText writes a list item as the user wrote it: a string bare, anything
// else as YAML would show it.
func itemText(v any) string {
	if s, ok := v.(string); ok {
		return truncate(s, maxQuoted)
	}
	return valueText(v)
}

func valueText(v any) string {
	switch x := v.(type) {
	case string:
		return QuoteShort(x)
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	}
	return fmt.Sprint(v)
}

// unknownKeys reports the keys that are not part of the configuration, one
// problem per object that holds them: a single key as "Unknown key x.y",
// several as one list with a suggestion for each.
func (cs *compiledSchema) unknownKeys(parent []string, keys []string) Problem {
	if len(keys) == 1 {
		return cs.unknownKey(parent, keys[0])
	}
	at := strings.Join(parent, ".")
	known := cs.keysAt(parent)
	items := make([]string, len(keys))
	for i, k := range keys {
		items[i] = k
		if s := tree.DidYouMean(k, known); s != "" {
			items[i] += fmt.Sprintf(" (did you mean %q?)", s)
		}
	}
	where, summary := "", "Unknown keys "+strings.Join(keys, ", ")
	if at != "" {
		where = " at " + at
		summary = fmt.Sprintf("Unknown keys at %s: %s", at, strings.Join(keys, ", "))
	}
	detail := fmt.Sprintf("These keys are not part of the configuration%s: %s.", where, strings.Join(items, ", "))
	if len(known) > 0 {
		detail += " Known keys: " + strings.Join(known, ", ") + "."
	}
	detail += " Free-form settings belong under custom."
	return Problem{Field: FieldOverrides, Path: at, Summary: summary, Detail: detail}
}

// schemaAt returns the schema node that a failure's SchemaURL points at,
// without its failing keyword: the node whose limits describe the range.
func (cs *compiledSchema) schemaAt(schemaURL string, keyword []string) map[string]any {
	_, ptr, _ := strings.Cut(schemaURL, "#")
	segs := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	if ptr == "" || ptr == "/" {
		segs = nil
	}
	if n := len(keyword); n > 0 && len(segs) >= n && strings.Join(segs[len(segs)-n:], "/") == strings.Join(keyword, "/") {
		segs = segs[:len(segs)-n]
	}
	var cur any = cs.raw
	for _, s := range segs {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")]
	}
	m, _ := cur.(map[string]any)
	return m
}
