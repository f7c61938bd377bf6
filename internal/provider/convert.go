package provider

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

// dynamicToTerraform returns the Terraform value inside a dynamic attribute.
func dynamicToTerraform(ctx context.Context, d types.Dynamic) (tftypes.Value, error) {
	if d.IsNull() || d.IsUnknown() || d.IsUnderlyingValueNull() {
		return tftypes.Value{}, nil
	}
	return d.UnderlyingValue().ToTerraformValue(ctx)
}

// fullyKnown reports whether a dynamic value holds no unknown anywhere.
func fullyKnown(ctx context.Context, d types.Dynamic) bool {
	if d.IsUnknown() || d.IsUnderlyingValueUnknown() {
		return false
	}
	v, err := dynamicToTerraform(ctx, d)
	if err != nil {
		return false
	}
	return v.Type() == nil || v.IsFullyKnown()
}

// toTree converts a known Terraform value into a tree (see package tree):
// objects and maps become maps, lists, tuples and sets become lists, numbers
// become int64 when they are whole and fit, float64 otherwise. A null
// attribute stays as nil: in overrides it deletes the key.
func toTree(v tftypes.Value, at []string) (any, error) {
	if v.IsNull() {
		return nil, nil
	}
	if !v.IsKnown() {
		return nil, fmt.Errorf("%s: value is unknown", dotted(at))
	}
	typ := v.Type()
	switch {
	case typ.Is(tftypes.String):
		var s string
		err := v.As(&s)
		return s, err
	case typ.Is(tftypes.Bool):
		var b bool
		err := v.As(&b)
		return b, err
	case typ.Is(tftypes.Number):
		var f big.Float
		if err := v.As(&f); err != nil {
			return nil, err
		}
		if f.IsInt() {
			if i, acc := f.Int64(); acc == big.Exact {
				return i, nil
			}
		}
		x, _ := f.Float64()
		if math.IsInf(x, 0) {
			return nil, fmt.Errorf("%s: number %s is out of range", dotted(at), f.Text('g', 10))
		}
		return x, nil
	case typ.Is(tftypes.Object{}), typ.Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		if err := v.As(&m); err != nil {
			return nil, err
		}
		out := make(map[string]any, len(m))
		for k, e := range m {
			x, err := toTree(e, append(at, k))
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
		out := make([]any, len(l))
		for i, e := range l {
			x, err := toTree(e, append(at, fmt.Sprint(i)))
			if err != nil {
				return nil, err
			}
			if x == nil {
				return nil, fmt.Errorf("%s: a list cannot hold null", dotted(append(at, fmt.Sprint(i))))
			}
			out[i] = x
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s: values of type %s are not supported", dotted(at), typ)
}

func dotted(at []string) string {
	if len(at) == 0 {
		return "overrides"
	}
	return strings.Join(at, ".")
}

// overridesSet reports whether the overrides value sets some part of a
// dotted configuration path. Errors then point at the overrides attribute
// (Terraform highlights no deeper than the attribute of a dynamic value);
// the detail names the path.
func overridesSet(v tftypes.Value, dottedPath string) bool {
	found := false
	cur := v
	for _, key := range strings.Split(dottedPath, ".") {
		if cur.Type() == nil || cur.IsNull() || !cur.IsKnown() ||
			!cur.Type().Is(tftypes.Object{}) && !cur.Type().Is(tftypes.Map{}) {
			break
		}
		var m map[string]tftypes.Value
		if err := cur.As(&m); err != nil {
			break
		}
		next, ok := m[key]
		if !ok {
			break
		}
		found, cur = true, next
	}
	return found
}

// addProblems turns render problems into attribute diagnostics.
func addProblems(diags *diag.Diagnostics, ps render.Problems, overrides tftypes.Value, regulationsSet bool) {
	for _, pr := range ps {
		detail := pr.Detail
		if pr.Path != "" && pr.Field != render.FieldVariables {
			detail += "\n\nPath in the rendered configuration: " + pr.Path
		}
		var at path.Path
		switch pr.Field {
		case render.FieldOverrides:
			switch {
			case overridesSet(overrides, pr.Path):
				at = path.Root("overrides")
			case regulationsSet && strings.HasPrefix(pr.Summary, "Regulation"):
				at = path.Root("regulations")
			case regulationsSet && isRegulationNeed(pr.Summary):
				at = path.Root("regulations")
			case overrides.Type() != nil && !overrides.IsNull():
				at = path.Root("overrides")
			default:
				at = path.Root("tier")
			}
		case render.FieldVariables:
			at = path.Root("variables")
			if pr.Path != "" {
				at = at.AtMapKey(pr.Path)
			}
		case render.FieldCatalog:
			at = path.Root("tier")
			if pr.Summary == "Unknown template variable" {
				detail += "\n\nThe tier's template uses this variable: set it in this resource's variables map, or fix the template."
			} else {
				detail += "\n\nThis is a problem of the tier catalog, not of this resource: fix the template."
			}
		default:
			at = path.Root(string(pr.Field))
		}
		diags.AddAttributeError(at, pr.Summary, detail)
	}
}

func isRegulationNeed(summary string) bool {
	for _, r := range []string{"GDPR ", "SOX ", "HIPAA ", "PCI-DSS "} {
		if strings.HasPrefix(summary, r) {
			return true
		}
	}
	return false
}
