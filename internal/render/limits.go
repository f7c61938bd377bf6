package render

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// Limits on one tenant's inputs and on what its render may produce: far above
// any real configuration (the embedded tiers render to about 10 KiB with a
// few hundred values), low enough that an oversized input is refused in
// milliseconds and bounded memory instead of being rendered, stored and
// shown. They are checked as early as each input is read: the overrides
// while they are converted, the strings and variables before the render,
// the rendered size before the configuration is built.
const (
	// MaxOverrideDepth is how deep overrides and sensitive_overrides may nest.
	MaxOverrideDepth = 32
	// MaxOverrideNodes is how many values (objects, lists and scalars; keys
	// are not counted) each of overrides and sensitive_overrides may hold.
	MaxOverrideNodes = 10_000
	// MaxStringBytes is the longest string any input may hold: an argument,
	// a variable, a key or a value of the overrides.
	MaxStringBytes = 64 << 10
	// MaxVariables is how many entries each of variables and
	// sensitive_variables may hold.
	MaxVariables = 1_000
	// MaxRenderedBytes is the largest rendered configuration, as the sum of
	// the bytes of its strings after substitution (a bound of its canonical
	// text, which adds keys and indentation).
	MaxRenderedBytes = 1 << 20
	// maxQuoted is the most bytes of a bad value that a message quotes.
	maxQuoted = 64
)

// LimitsDescription states the limits for the documentation of the
// arguments they bound.
var LimitsDescription = fmt.Sprintf("Each of `overrides` and `sensitive_overrides` may hold up to %d values, nested up to %d levels; "+
	"each of `variables` and `sensitive_variables` up to %d entries; any string up to %d KiB; the rendered configuration up to %d MiB.",
	MaxOverrideNodes, MaxOverrideDepth, MaxVariables, MaxStringBytes>>10, MaxRenderedBytes>>20)

// QuoteShort quotes s for a message: whole when it is short, else its first
// bytes (never half a character) followed by its length.
func QuoteShort(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	return strconv.Quote(truncate(s, maxQuoted)) + fmt.Sprintf("… (%d bytes)", len(s))
}

// truncate shortens s to at most n bytes without splitting a character,
// marking the cut with "…".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// clampProblems shortens what a problem says to a length a reader can take:
// a message never carries a whole oversized input, wherever it came from.
func clampProblems(ps Problems) Problems {
	for i := range ps {
		ps[i].Path = truncate(ps[i].Path, 512)
		ps[i].Summary = truncate(ps[i].Summary, 1024)
		ps[i].Detail = truncate(ps[i].Detail, 8192)
	}
	return ps
}

// tooLong returns why s, the value of what, is too long, or "".
func tooLong(what, s string) string {
	if len(s) <= MaxStringBytes {
		return ""
	}
	return fmt.Sprintf("%s holds %d bytes; the limit is %d KiB (%d bytes).", what, len(s), MaxStringBytes>>10, MaxStringBytes)
}

// checkOverrideSize returns an error naming the path of the first string or
// key of overrides longer than MaxStringBytes, or of the key or string that
// brings their total past MaxRenderedBytes.
func checkOverrideSize(v any) error {
	total := 0
	var walk func(v any, at string) error
	walk = func(v any, at string) error {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(x) {
				p := joinPath(at, truncate(k, maxQuoted))
				if len(k) > MaxStringBytes {
					return fmt.Errorf("%s: %s", p, tooLong("the key", k))
				}
				total += len(k)
				if err := walk(x[k], p); err != nil {
					return err
				}
			}
		case []any:
			for i, e := range x {
				if err := walk(e, fmt.Sprintf("%s[%d]", at, i)); err != nil {
					return err
				}
			}
		case string:
			if len(x) > MaxStringBytes {
				return fmt.Errorf("%s: %s", at, tooLong("the string", x))
			}
			total += len(x)
		}
		if total > MaxRenderedBytes {
			return fmt.Errorf("%s: the keys and strings hold more than %d MiB in all, the limit of a rendered configuration", at, MaxRenderedBytes>>20)
		}
		return nil
	}
	return walk(v, "")
}

// renderedSize bounds the bytes of the strings of v once vars are
// substituted, without substituting: a variable used a hundred times counts
// a hundred times. It stops counting past MaxRenderedBytes.
func renderedSize(v any, vars map[string]any) int {
	total := 0
	var walk func(v any)
	walk = func(v any) {
		if total > MaxRenderedBytes {
			return
		}
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				total += len(k)
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case string:
			total += len(x)
		case *tree.Template:
			for _, p := range x.Parts {
				total += len(p.Literal)
				if s, ok := vars[p.Var].(string); ok {
					total += len(s)
				}
			}
		}
	}
	walk(v)
	return total
}
