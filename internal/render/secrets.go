package render

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// SensitiveMarker stands for a value from a sensitive input wherever the
// value itself must not show: in rendered_yaml, the summaries, diagnostics
// and logs.
const SensitiveMarker = "(sensitive)"

// secretKeyWords are the words that make a key under custom read like a
// secret.
var secretKeyWords = []string{"password", "secret", "token", "api_key", "private_key", "credentials"}

// redact returns a copy of overrides with every value replaced by
// SensitiveMarker; maps and lists keep their shape and a null still deletes.
func redact(v any) map[string]any {
	m, _ := redactValue(v).(map[string]any)
	return m
}

func redactValue(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = redactValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = redactValue(e)
		}
		return out
	}
	return SensitiveMarker
}

// SecretStrings returns the values of the sensitive inputs as they may show
// in text: the scalars of sensitive_overrides and the values of
// sensitive_variables, longest first, for masking messages and logs.
func SecretStrings(in Input) []string {
	var out []string
	for _, v := range in.SensitiveVariables {
		out = append(out, v)
	}
	out = scalarTexts(in.SensitiveOverrides, out)
	return cleanSecrets(out)
}

// secretLeaves appends the texts of the values of cfg that shown holds as
// SensitiveMarker: the secrets as they were rendered, interpolations
// included.
func secretLeaves(cfg, shown any, out []string) []string {
	switch s := shown.(type) {
	case map[string]any:
		c, _ := cfg.(map[string]any)
		for k, e := range s {
			out = secretLeaves(c[k], e, out)
		}
	case []any:
		c, _ := cfg.([]any)
		for i, e := range s {
			if i < len(c) {
				out = secretLeaves(c[i], e, out)
			}
		}
	case string:
		if s == SensitiveMarker {
			out = scalarTexts(cfg, out)
		}
	}
	return cleanSecrets(out)
}

func scalarTexts(v any, out []string) []string {
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			out = scalarTexts(e, out)
		}
	case []any:
		for _, e := range x {
			out = scalarTexts(e, out)
		}
	case string:
		out = append(out, x)
	case *tree.Template:
		for _, p := range x.Parts {
			out = append(out, p.Literal)
		}
	case int64:
		out = append(out, strconv.FormatInt(x, 10))
	case float64:
		out = append(out, strconv.FormatFloat(x, 'g', -1, 64), strconv.FormatFloat(x, 'f', -1, 64))
	case json.Number:
		out = append(out, string(x))
	case bool:
		out = append(out, strconv.FormatBool(x))
	}
	return out
}

// cleanSecrets sorts secrets longest first (so that a secret containing
// another is masked whole) and drops duplicates and empty strings.
func cleanSecrets(s []string) []string {
	s = slices.DeleteFunc(s, func(x string) bool { return x == "" || x == SensitiveMarker })
	slices.SortFunc(s, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return slices.Compact(s)
}

// Mask replaces every secret in text by SensitiveMarker: each occurrence
// that does not continue a word on either side (so that a short secret does
// not cut words apart, which would tell where it is not), as written and as
// Go quotes it.
func Mask(text string, secrets []string) string {
	for _, s := range secrets {
		text = maskWhole(text, s)
		if q := strconv.Quote(s); q[1:len(q)-1] != s {
			text = maskWhole(text, q[1:len(q)-1])
		}
	}
	return text
}

func maskWhole(text, secret string) string {
	var b strings.Builder
	for {
		i := strings.Index(text, secret)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		end := i + len(secret)
		before, _ := utf8.DecodeLastRuneInString(text[:i])
		after, _ := utf8.DecodeRuneInString(text[end:])
		first, _ := utf8.DecodeRuneInString(secret)
		last, _ := utf8.DecodeLastRuneInString(secret)
		if i > 0 && isWord(before) && isWord(first) || end < len(text) && isWord(after) && isWord(last) {
			b.WriteString(text[:i+1])
			text = text[i+1:]
			continue
		}
		b.WriteString(text[:i])
		b.WriteString(SensitiveMarker)
		text = text[end:]
	}
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

func maskProblems(ps Problems, secrets []string) Problems {
	if len(secrets) == 0 {
		return ps
	}
	for i := range ps {
		ps[i].Summary = Mask(ps[i].Summary, secrets)
		ps[i].Detail = Mask(ps[i].Detail, secrets)
	}
	return ps
}

// checkSecretPaths reports each value at a key the JSON Schema marks
// writeOnly that does not come from a sensitive input: it would show in plan
// output and state as plain text.
func checkSecretPaths(cs *compiledSchema, cfg, shown map[string]any, o origins) Problems {
	var ps Problems
	for _, p := range cs.secret {
		v, set := tree.Lookup(cfg, p...)
		if !set || v == nil {
			continue
		}
		if s, _ := tree.Lookup(shown, p...); s == SensitiveMarker {
			continue
		}
		dotted := strings.Join(p, ".")
		ps = append(ps, Problem{Field: o.field(dotted, false), Path: dotted,
			Summary: fmt.Sprintf("%s is a secret and must come from sensitive_overrides", dotted),
			Detail: fmt.Sprintf("A value of %s set in overrides, in the tier's template or through a plain variable shows in plan output and in state as plain text. "+
				"Remove it there and set it in sensitive_overrides (or build it from sensitive_variables).", dotted)})
	}
	return ps
}

// secretLookingKeys warns of each key under custom whose name reads like a
// secret and whose value plain overrides set (and sensitive_overrides do not
// replace).
func secretLookingKeys(overrides, secret map[string]any, sensitiveVars map[string]string) Problems {
	custom, _ := overrides["custom"].(map[string]any)
	var ps Problems
	var walk func(at []string, v any)
	walk = func(at []string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(x) {
				walk(append(slices.Clone(at), k), x[k])
			}
			return
		case nil:
			return
		}
		key := strings.ToLower(at[len(at)-1])
		if !slices.ContainsFunc(secretKeyWords, func(w string) bool { return strings.Contains(key, w) }) {
			return
		}
		if _, replaced := tree.Lookup(secret, at...); replaced || usesSensitive(v, sensitiveVars) {
			return
		}
		dotted := strings.Join(at, ".")
		ps = append(ps, Problem{Field: FieldOverrides, Path: dotted,
			Summary: fmt.Sprintf("%s looks like a secret", dotted),
			Detail:  "Values from overrides show in plan output and in state as plain text. If this is a secret, move it to sensitive_overrides."})
	}
	for _, k := range sortedKeys(custom) {
		walk([]string{"custom", k}, custom[k])
	}
	return ps
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// usesSensitive reports whether v is a template that uses a sensitive
// variable: its value is shown redacted.
func usesSensitive(v any, sensitiveVars map[string]string) bool {
	t, ok := v.(*tree.Template)
	if !ok {
		return false
	}
	return slices.ContainsFunc(t.Parts, func(p tree.Part) bool { return hasKey(sensitiveVars, p.Var) })
}
