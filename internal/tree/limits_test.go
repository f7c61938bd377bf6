package tree

import (
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	t.Parallel()
	v := map[string]any{
		"databases": map[string]any{"postgresql": map[string]any{"version": int64(16), "none": nil}},
		"list":      []any{map[string]any{"a": int64(1)}},
	}
	tests := []struct {
		keys   []string
		want   any
		wantOK bool
	}{
		{[]string{"databases", "postgresql", "version"}, int64(16), true},
		{[]string{"databases", "postgresql", "none"}, nil, true},
		{[]string{"databases", "postgresql", "missing"}, nil, false},
		{[]string{"databases", "postgresql", "version", "deeper"}, nil, false},
		{[]string{"list", "0"}, nil, false}, // lists are not traversed
		{[]string{"missing"}, nil, false},
	}
	for _, tt := range tests {
		got, ok := Lookup(v, tt.keys...)
		if ok != tt.wantOK || !equalTree(got, tt.want) {
			t.Errorf("Lookup(%v) = %#v, %v; want %#v, %v", tt.keys, got, ok, tt.want, tt.wantOK)
		}
	}
	if got, ok := Lookup(v); !ok || !sameMap(got, v) {
		t.Errorf("Lookup() without keys = %v, %v; want v itself", got, ok)
	}
	if _, ok := Lookup(nil, "a"); ok {
		t.Errorf("Lookup(nil, a) found something")
	}
}

func TestCheckLimits(t *testing.T) {
	t.Parallel()
	deep := any(int64(1))
	for range 5 {
		deep = map[string]any{"d": deep}
	}
	tests := []struct {
		name               string
		v                  any
		maxDepth, maxNodes int
		wantErr            string // "" for no error
	}{
		{"scalar", "x", 1, 1, ""},
		{"flat map", map[string]any{"a": int64(1)}, 1, 2, ""},
		{"list in map", map[string]any{"a": []any{int64(1)}}, 2, 3, ""},
		{"too deep", map[string]any{"a": []any{int64(1)}}, 1, 0, "a: nested deeper than 1 levels"},
		{"deep chain ok", deep, 5, 0, ""},
		{"deep chain", deep, 4, 0, "d.d.d.d: nested deeper than 4 levels"},
		{"too many nodes", map[string]any{"a": int64(1), "b": int64(2)}, 0, 2, "b: more than 2 nodes in total"},
		{"too many in a list", []any{"a", "b", "c"}, 0, 3, "[2]: more than 3 nodes in total"},
		{"limits off", deep, 0, 0, ""},
		{"template allowed", map[string]any{"t": &Template{}}, 0, 0, ""},
		{"bad type", map[string]any{"a": []any{"ok", 3}}, 0, 0, "a[1]: unsupported value of type int"},
		{"bad map type", map[string]any{"a": map[string]string{}}, 0, 0, "a: unsupported value of type map[string]string"},
		{"bad top type", 3.5 + 0i, 0, 0, "unsupported value of type complex128"},
		{"first in key order", map[string]any{"c": 1, "b": 1, "a": map[string]any{"x": 1}}, 0, 0,
			"a.x: unsupported value of type int"},
	}
	for _, tt := range tests {
		for range 5 {
			err := CheckLimits(tt.v, tt.maxDepth, tt.maxNodes)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("%s: unexpected error %v", tt.name, err)
			case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
				t.Errorf("%s: error = %v, want %q", tt.name, err, tt.wantErr)
			}
		}
	}
}

func TestDidYouMean(t *testing.T) {
	t.Parallel()
	cands := []string{"TENANT_ID", "TENANT_NAME", "TENANT_TYPE", "REGION", "ENVIRONMENT", "ab", "ac"}
	tests := []struct {
		word string
		want string
	}{
		{"TENANT_ID", "TENANT_ID"},
		{"tenant_id", "TENANT_ID"},
		{"TENANT_DI", "TENANT_ID"},
		{"TENANTID", "TENANT_ID"},
		{"TENANT_NAM", "TENANT_NAME"},
		{"REGOIN", "REGION"},
		{"REGIONS", "REGION"},
		{"ENVIRONMNET", "ENVIRONMENT"},
		{"TENANT", ""},
		{"PORT", ""},
		{"", ""},
		{"ad", "ab"},  // tie between ab and ac: the first in sorted order
		{"xy", ""},    // would replace the whole word
		{"x", ""},     // likewise
		{"abc", "ab"}, // ab and ac are both one away; ab sorts first
	}
	for _, tt := range tests {
		if got := DidYouMean(tt.word, cands); got != tt.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	// The tie rule does not depend on the order of candidates.
	if got := DidYouMean("ad", []string{"ac", "ab"}); got != "ab" {
		t.Errorf("DidYouMean(ad, [ac ab]) = %q, want ab", got)
	}
	if got := DidYouMean("日本語", []string{"日本", "x"}); got != "日本" {
		t.Errorf("DidYouMean(日本語) = %q, want 日本", got)
	}
	if got := DidYouMean(strings.Repeat("a", 50), []string{strings.Repeat("a", 48)}); got == "" {
		t.Errorf("DidYouMean(long) found nothing")
	}
}
