package render

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/tenantry/terraform-provider-tenant/internal/tree"
	"github.com/tenantry/terraform-provider-tenant/templates"
)

const schemaURL = "tenant-config.schema.json"

type compiledSchema struct {
	schema *jsonschema.Schema
	raw    map[string]any
	// locked are the paths the schema marks readOnly: overrides cannot set
	// them. secret are those it marks writeOnly: only sensitive inputs may
	// set them.
	locked, secret [][]string
}

// configSchema is the JSON Schema of the rendered configuration, compiled once.
var configSchema = sync.OnceValues(func() (*compiledSchema, error) {
	data, err := templates.FS.ReadFile(templates.SchemaFile)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", templates.SchemaFile, err)
	}
	raw, _ := doc.(map[string]any)
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return nil, err
	}
	cs := &compiledSchema{schema: s, raw: raw}
	cs.locked = cs.annotatedPaths("readOnly", cs.raw, nil, nil)
	cs.secret = cs.annotatedPaths("writeOnly", cs.raw, nil, nil)
	return cs, nil
})

// annotatedPaths returns the paths below the schema node s (at path at)
// whose schema sets the annotation (readOnly, writeOnly) to true, following
// properties and local $refs, sorted.
func (cs *compiledSchema) annotatedPaths(annotation string, s map[string]any, at []string, out [][]string) [][]string {
	for _, x := range cs.withRefs(s) {
		if on, _ := x[annotation].(bool); on && len(at) > 0 {
			return append(out, slices.Clone(at))
		}
	}
	for _, x := range cs.withRefs(s) {
		props, _ := x["properties"].(map[string]any)
		for _, k := range sortedKeys(props) {
			if child, ok := props[k].(map[string]any); ok && len(at) < 8 {
				out = cs.annotatedPaths(annotation, child, append(at, k), out)
			}
		}
	}
	return out
}

// Schema returns the JSON Schema of the rendered configuration as text.
func Schema() []byte {
	data, _ := templates.FS.ReadFile(templates.SchemaFile)
	return data
}

var printer = message.NewPrinter(language.English)

// validate checks cfg against the JSON Schema and turns each failure into a
// Problem that names its path and the input it came from.
func (cs *compiledSchema) validate(cfg map[string]any, o origins) Problems {
	err := cs.schema.Validate(cfg)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return Problems{{Field: o.field("", false), Summary: "The configuration does not match its schema", Detail: err.Error()}}
	}
	var ps Problems
	seen := map[string]bool{}
	unknown := map[string][]string{} // keys not in the schema, by the dotted path of their object
	var parents [][]string
	for _, leaf := range leaves(ve, nil) {
		found, keys := cs.problems(leaf, cfg, o)
		for _, uk := range keys {
			at := strings.Join(uk.parent, ".")
			if _, ok := unknown[at]; !ok {
				parents = append(parents, uk.parent)
			}
			if !slices.Contains(unknown[at], uk.key) {
				unknown[at] = append(unknown[at], uk.key)
			}
		}
		for _, p := range found {
			key := p.Path + "\x00" + p.Summary
			if !seen[key] {
				seen[key] = true
				ps = append(ps, p)
			}
		}
	}
	for _, parent := range parents {
		keys := unknown[strings.Join(parent, ".")]
		slices.Sort(keys)
		ps = append(ps, cs.unknownKeys(parent, keys))
	}
	slices.SortStableFunc(ps, func(a, b Problem) int { return strings.Compare(a.Path, b.Path) })
	for i := range ps {
		ps[i].Field = o.field(ps[i].Path, false)
	}
	return ps
}

// unknownKeyAt is a key that the schema does not know, in the object at
// parent.
type unknownKeyAt struct {
	parent []string
	key    string
}

func leaves(e *jsonschema.ValidationError, out []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	// A propertyNames failure is one problem of the key it names: its causes
	// validate the bare name and carry no location.
	if _, isName := e.ErrorKind.(*kind.PropertyNames); isName || len(e.Causes) == 0 {
		return append(out, e)
	}
	for _, c := range e.Causes {
		out = leaves(c, out)
	}
	return out
}

// problems turns one failure into problems, and the unknown keys it
// reports (validate lists those of one object together).
func (cs *compiledSchema) problems(e *jsonschema.ValidationError, cfg map[string]any, o origins) (Problems, []unknownKeyAt) {
	loc := e.InstanceLocation
	path := strings.Join(loc, ".")
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		var keys []unknownKeyAt
		for _, prop := range k.Properties {
			keys = append(keys, unknownKeyAt{slices.Clone(loc), prop})
		}
		return nil, keys
	case *kind.FalseSchema:
		// unevaluatedProperties: false rejects the key at loc. A key the
		// schema knows is only reported because a sibling failed inside the
		// same $ref (failed subschemas evaluate nothing); that failure is
		// reported on its own.
		if len(loc) > 0 {
			parent, key := loc[:len(loc)-1], loc[len(loc)-1]
			if slices.Contains(cs.keysAt(parent), key) {
				return nil, nil
			}
			return nil, []unknownKeyAt{{slices.Clone(parent), key}}
		}
	case *kind.PropertyNames:
		p := joinPath(strings.Join(namesLocation(e.SchemaURL), "."), k.Property)
		var why []string
		for _, c := range e.Causes {
			_, detail := describeFailure(fmt.Sprintf("The key %q", k.Property), p, c.ErrorKind,
				cs.schemaAt(c.SchemaURL, c.ErrorKind.KeywordPath()), k.Property, true, false)
			why = append(why, detail)
		}
		return Problems{{Field: FieldOverrides, Path: p, Summary: fmt.Sprintf("Invalid key %s", p),
			Detail: strings.TrimSpace(strings.Join(why, " "))}}, nil
	case *kind.Required:
		var ps Problems
		for _, m := range k.Missing {
			p := joinPath(path, m)
			ps = append(ps, Problem{Field: FieldOverrides, Path: p, Summary: fmt.Sprintf("%s is required", p),
				Detail: "This key cannot be deleted: remove the null for it from overrides, or set a value."})
		}
		return ps, nil
	}
	value, hasValue := tree.Lookup(cfg, loc...)
	summary, detail := describeFailure(orRoot(path), path, e.ErrorKind, cs.schemaAt(e.SchemaURL, e.ErrorKind.KeywordPath()), value, hasValue, o.secretAt(path))
	return Problems{{Field: FieldOverrides, Path: path, Summary: summary, Detail: detail}}, nil
}

// namesLocation returns the location of the object whose key failed a
// propertyNames schema. The validator reports such a failure with a location
// slice that it goes on reusing (so it may hold another path by now); the
// location is read from the schema's keyword path instead, which reaches
// every propertyNames of the schema through "properties" only:
// "...#/properties/security/properties/roles/propertyNames" is security.roles.
func namesLocation(schemaURL string) []string {
	_, ptr, _ := strings.Cut(schemaURL, "#")
	segs := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	if len(segs) == 0 || segs[len(segs)-1] != "propertyNames" || len(segs)%2 != 1 {
		return nil
	}
	var loc []string
	for i := 0; i+1 < len(segs); i += 2 {
		if segs[i] != "properties" {
			return nil
		}
		loc = append(loc, strings.ReplaceAll(strings.ReplaceAll(segs[i+1], "~1", "/"), "~0", "~"))
	}
	return loc
}

func (cs *compiledSchema) unknownKey(loc []string, key string) Problem {
	p := joinPath(strings.Join(loc, "."), key)
	known := cs.keysAt(loc)
	detail := "This key is not part of the configuration"
	if len(loc) > 0 {
		detail += " at " + strings.Join(loc, ".")
	}
	detail += "."
	if s := tree.DidYouMean(key, known); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	}
	if len(known) > 0 {
		detail += " Known keys: " + strings.Join(known, ", ") + "."
	}
	detail += " Free-form settings belong under custom."
	return Problem{Field: FieldOverrides, Path: p, Summary: fmt.Sprintf("Unknown key %s", p), Detail: detail}
}

// keysAt returns the property names the schema defines for the object at loc.
func (cs *compiledSchema) keysAt(loc []string) []string {
	s := cs.resolve(cs.raw)
	for _, seg := range loc {
		next, ok := cs.child(s, seg)
		if !ok {
			return nil
		}
		s = next
	}
	var out []string
	for _, x := range cs.withRefs(s) {
		if props, ok := x["properties"].(map[string]any); ok {
			for k := range props {
				if !slices.Contains(out, k) {
					out = append(out, k)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func (cs *compiledSchema) child(s map[string]any, seg string) (map[string]any, bool) {
	for _, x := range cs.withRefs(s) {
		if props, ok := x["properties"].(map[string]any); ok {
			if c, ok := props[seg].(map[string]any); ok {
				return c, true
			}
		}
	}
	for _, x := range cs.withRefs(s) {
		if c, ok := x["additionalProperties"].(map[string]any); ok {
			return c, true
		}
		if c, ok := x["items"].(map[string]any); ok {
			return c, true
		}
	}
	return nil, false
}

// withRefs returns s and the schemas its $ref chain points at.
func (cs *compiledSchema) withRefs(s map[string]any) []map[string]any {
	out := []map[string]any{s}
	for i := 0; i < 8; i++ {
		ref, ok := s["$ref"].(string)
		if !ok {
			break
		}
		s = cs.resolve(map[string]any{"$ref": ref})
		out = append(out, s)
	}
	return out
}

func (cs *compiledSchema) resolve(s map[string]any) map[string]any {
	ref, ok := s["$ref"].(string)
	if !ok || !strings.HasPrefix(ref, "#/") {
		return s
	}
	var cur any = cs.raw
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return s
		}
		cur = m[part]
	}
	if m, ok := cur.(map[string]any); ok {
		return m
	}
	return s
}

func joinPath(base, key string) string {
	if base == "" {
		return key
	}
	return base + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "The configuration"
	}
	return path
}

func enumStrings(values []any) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func enumList(values []any) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return strings.Join(out, ", ")
}
