package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

// dynamicToTerraform returns the Terraform value inside a dynamic attribute.
// A value over the size limits of overrides is refused before it is
// converted, naming where it crossed them.
func dynamicToTerraform(ctx context.Context, d types.Dynamic) (tftypes.Value, error) {
	if d.IsNull() || d.IsUnknown() || d.IsUnderlyingValueNull() {
		return tftypes.Value{}, nil
	}
	w := attrWalker{}
	if w.walk(d.UnderlyingValue(), nil); w.err != nil {
		return tftypes.Value{}, w.err
	}
	return d.UnderlyingValue().ToTerraformValue(ctx)
}

// fullyKnown reports whether a dynamic value holds no unknown anywhere. A
// value over the size limits counts as known: the render refuses it (an
// oversized input is an error now, not an unknown to carry to apply).
func fullyKnown(_ context.Context, d types.Dynamic) bool {
	if d.IsUnknown() || d.IsUnderlyingValueUnknown() {
		return false
	}
	if d.IsNull() || d.IsUnderlyingValueNull() {
		return true
	}
	w := attrWalker{}
	w.walk(d.UnderlyingValue(), nil)
	return w.err != nil || !w.unknown
}

// attrWalker walks a framework value without converting it, counting its
// values up to the limits of overrides and noting any unknown.
type attrWalker struct {
	nodes   int
	unknown bool
	err     error
}

func (w *attrWalker) walk(v attr.Value, at []string) {
	if w.err != nil {
		return
	}
	w.nodes++
	switch {
	case w.nodes > render.MaxOverrideNodes:
		w.err = &treeError{dotted(at), fmt.Sprintf("overrides hold more than %d values", render.MaxOverrideNodes)}
		return
	case len(at) > render.MaxOverrideDepth:
		w.err = &treeError{dotted(at), fmt.Sprintf("overrides are nested deeper than %d levels", render.MaxOverrideDepth)}
		return
	case v == nil || v.IsNull():
		return
	case v.IsUnknown():
		w.unknown = true
		return
	}
	var elems []attr.Value
	var keys map[string]attr.Value
	switch x := v.(type) {
	case basetypes.DynamicValue:
		w.nodes--
		w.walk(x.UnderlyingValue(), at)
		return
	case basetypes.ObjectValue:
		keys = x.Attributes()
	case basetypes.MapValue:
		keys = x.Elements()
	case basetypes.ListValue:
		elems = x.Elements()
	case basetypes.SetValue:
		elems = x.Elements()
	case basetypes.TupleValue:
		elems = x.Elements()
	default:
		return
	}
	if w.nodes+len(keys)+len(elems) > render.MaxOverrideNodes {
		w.err = &treeError{dotted(at), fmt.Sprintf("%d values here: overrides hold at most %d values", len(keys)+len(elems), render.MaxOverrideNodes)}
		return
	}
	for k, e := range keys {
		w.walk(e, append(at[:len(at):len(at)], k))
	}
	for i, e := range elems {
		w.walk(e, append(at[:len(at):len(at)], strconv.Itoa(i)))
	}
}

// treeError is a value of overrides that cannot become a tree; Path is the
// dotted path inside overrides.
type treeError struct {
	Path, Msg string
}

func (e *treeError) Error() string { return e.Path + ": " + e.Msg }

// toTree converts a known Terraform value into a tree (see package tree):
// objects and maps become maps, lists, tuples and sets become lists, and
// numbers keep their exact value: int64 when whole and in range, float64 when
// that is the number written, json.Number (its decimal text) otherwise. A
// null attribute stays as nil: in overrides it deletes the key. The size and
// depth limits of overrides are checked on the way, so a huge value is
// refused as soon as it passes them.
func toTree(v tftypes.Value) (any, error) {
	c := converter{}
	return c.convert(v, nil)
}

type converter struct {
	nodes int
	bytes int // of the strings and keys so far
	// partial converts an unknown value into render.Unknown instead of
	// failing.
	partial bool
}

func (c *converter) convert(v tftypes.Value, at []string) (any, error) {
	c.nodes++
	switch {
	case c.nodes > render.MaxOverrideNodes:
		return nil, &treeError{dotted(at), fmt.Sprintf("overrides hold more than %d values", render.MaxOverrideNodes)}
	case len(at) > render.MaxOverrideDepth:
		return nil, &treeError{dotted(at), fmt.Sprintf("overrides are nested deeper than %d levels", render.MaxOverrideDepth)}
	case v.IsNull():
		return nil, nil
	case !v.IsKnown() && c.partial:
		return render.Unknown, nil
	case !v.IsKnown():
		return nil, &treeError{dotted(at), "value is unknown"}
	}
	typ := v.Type()
	switch {
	case typ.Is(tftypes.String):
		var s string
		if err := v.As(&s); err != nil {
			return nil, err
		}
		if err := c.count(s, at, "string"); err != nil {
			return nil, err
		}
		return s, nil
	case typ.Is(tftypes.Bool):
		var b bool
		err := v.As(&b)
		return b, err
	case typ.Is(tftypes.Number):
		var f big.Float
		if err := v.As(&f); err != nil {
			return nil, err
		}
		return exactNumber(&f, at)
	case typ.Is(tftypes.Object{}), typ.Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		if err := v.As(&m); err != nil {
			return nil, err
		}
		if c.nodes+len(m) > render.MaxOverrideNodes {
			return nil, &treeError{dotted(at), fmt.Sprintf("an object of %d keys: overrides hold at most %d values", len(m), render.MaxOverrideNodes)}
		}
		out := make(map[string]any, len(m))
		for k, e := range m {
			if err := c.count(k, append(at[:len(at):len(at)], k), "key"); err != nil {
				return nil, err
			}
			x, err := c.convert(e, append(at[:len(at):len(at)], k))
			if err != nil {
				return nil, err
			}
			out[k] = x
		}
		return out, nil
	case typ.Is(tftypes.List{}), typ.Is(tftypes.Tuple{}), typ.Is(tftypes.Set{}):
		var l []tftypes.Value
		if err := v.As(&l); err != nil {
			return nil, err
		}
		if c.nodes+len(l) > render.MaxOverrideNodes {
			return nil, &treeError{dotted(at), fmt.Sprintf("a list of %d items: overrides hold at most %d values", len(l), render.MaxOverrideNodes)}
		}
		out := make([]any, len(l))
		for i, e := range l {
			elem := append(at[:len(at):len(at)], strconv.Itoa(i))
			x, err := c.convert(e, elem)
			if err != nil {
				return nil, err
			}
			if x == nil {
				return nil, &treeError{dotted(elem), "a list cannot hold null"}
			}
			out[i] = x
		}
		return out, nil
	}
	return nil, &treeError{dotted(at), fmt.Sprintf("values of type %s are not supported", typ)}
}

// count adds the bytes of a string or key of the overrides, and refuses one
// longer than render.MaxStringBytes or past render.MaxRenderedBytes in all.
func (c *converter) count(s string, at []string, what string) error {
	c.bytes += len(s)
	switch {
	case len(s) > render.MaxStringBytes:
		return &treeError{dotted(at), fmt.Sprintf("a %s of %d bytes: the limit is %d KiB", what, len(s), render.MaxStringBytes>>10)}
	case c.bytes > render.MaxRenderedBytes:
		return &treeError{dotted(at), fmt.Sprintf("the keys and strings of the overrides hold more than %d MiB, the limit of a rendered configuration", render.MaxRenderedBytes>>20)}
	}
	return nil
}

// exactNumber returns f as the tree number that holds it exactly. A number
// that does not fit a float64 (1e400) is refused wherever it is: the
// configuration is read back as JSON and YAML, whose readers hold numbers as
// 64-bit floats.
func exactNumber(f *big.Float, at []string) (any, error) {
	if f.IsInf() {
		return nil, &treeError{dotted(at), "the number is infinite"}
	}
	x, _ := f.Float64()
	if math.IsInf(x, 0) || x == 0 && f.Sign() != 0 {
		return nil, &treeError{dotted(at), fmt.Sprintf("the number %s does not fit a 64-bit float: use a number whose magnitude lies between about 1e-308 and 1.8e308", f.Text('g', 10))}
	}
	if f.IsInt() {
		if i, acc := f.Int64(); acc == big.Exact {
			return i, nil
		}
		return json.Number(f.Text('f', 0)), nil
	}
	// A float64 holds the number when its shortest text reads back, at the
	// precision Terraform gave, as the same number: 0.1 does.
	back, _, err := big.ParseFloat(strconv.FormatFloat(x, 'g', -1, 64), 10, f.Prec(), big.ToNearestEven)
	if err == nil && back.Cmp(f) == 0 {
		return x, nil
	}
	return json.Number(f.Text('g', -1)), nil
}

func dotted(at []string) string {
	if len(at) == 0 {
		return "overrides"
	}
	out := at[0]
	for _, k := range at[1:] {
		out += "." + k
	}
	return out
}

// stringElements returns the elements of a map or set of strings, with an
// attribute error for each null element.
func stringMap(m types.Map, attr string, diags *diag.Diagnostics) map[string]string {
	if m.IsNull() {
		return nil
	}
	out := make(map[string]string, len(m.Elements()))
	for k, e := range m.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsNull() {
			diags.AddAttributeError(path.Root(attr).AtMapKey(k), fmt.Sprintf("%s %s is null", attr, k),
				fmt.Sprintf("Every value of %s must be a string: set %s to a string, or remove the key.", attr, k))
			continue
		}
		out[k] = s.ValueString()
	}
	return out
}

func stringSet(s types.Set, attr string, diags *diag.Diagnostics) []string {
	if s.IsNull() {
		return nil
	}
	out := make([]string, 0, len(s.Elements()))
	for _, e := range s.Elements() {
		v, ok := e.(types.String)
		if !ok || v.IsNull() {
			diags.AddAttributeError(path.Root(attr), fmt.Sprintf("%s holds null", attr),
				fmt.Sprintf("Every element of %s must be a string: remove the null.", attr))
			continue
		}
		out = append(out, v.ValueString())
	}
	return out
}

// addProblems reports render problems on the arguments they are about.
func addProblems(diags *diag.Diagnostics, ps render.Problems) {
	for _, p := range ps {
		diags.AddAttributeError(problemPath(p), p.Summary, problemDetail(p))
	}
}

// problemPath is the attribute a problem points at: its Field, and for a
// variable the map key.
func problemPath(p render.Problem) path.Path {
	at := path.Root(string(p.Field))
	if isVariables(p.Field) && p.Path != "" {
		at = at.AtMapKey(p.Path)
	}
	return at
}

// isVariables reports whether problems about field name a variable in Path.
func isVariables(f render.Field) bool {
	return f == render.FieldVariables || f == render.FieldSensitiveVariables
}

func problemDetail(p render.Problem) string {
	if p.Path != "" && !isVariables(p.Field) {
		return p.Detail + "\n\nPath in the rendered configuration: " + p.Path
	}
	return p.Detail
}
