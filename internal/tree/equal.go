package tree

// Equal reports whether a and b are the same tree: maps with the same keys
// and Equal values, lists with Equal items in the same order, and equal
// scalars of the same type (floats bit for bit, so 0 and -0 differ, as
// their YAML does). Templates are Equal when they are the very same.
func Equal(a, b any) bool {
	return equal(a, b, func(x, y *Template) bool { return x == y })
}

// equal is Equal with templates compared by sameTemplate.
func equal(a, b any, sameTemplate func(x, y *Template) bool) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !equal(xv, yv, sameTemplate) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i], sameTemplate) {
				return false
			}
		}
		return true
	case *Template:
		y, ok := b.(*Template)
		return ok && sameTemplate(x, y)
	}
	return sameScalar(a, b)
}
