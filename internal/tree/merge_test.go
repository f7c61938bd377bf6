package tree

import (
	"errors"
	"testing"
)

func TestMerge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                string
		base, overlay, want string // YAML documents
		wantErr             string
	}{
		{name: "recursion",
			base:    "db:\n  pg:\n    version: 15\n    port: 5432\n  redis: {size: 1}\n",
			overlay: "db:\n  pg:\n    version: 16\n",
			want:    "db:\n  pg:\n    version: 16\n    port: 5432\n  redis: {size: 1}\n"},
		{name: "list replaces",
			base:    "channels: [email, slack]\n",
			overlay: "channels: [pagerduty]\n",
			want:    "channels: [pagerduty]\n"},
		{name: "empty list replaces",
			base:    "channels: [email]\n",
			overlay: "channels: []\n",
			want:    "channels: []\n"},
		{name: "nil deletes",
			base:    "a: 1\nb: {c: 2, d: 3}\n",
			overlay: "a: null\nb: {c: ~}\n",
			want:    "b: {d: 3}\n"},
		{name: "nil for an absent key is a no-op",
			base:    "a: 1\n",
			overlay: "z: null\n",
			want:    "a: 1\n"},
		{name: "absent keeps",
			base:    "a: 1\nb: 2\n",
			overlay: "c: 3\n",
			want:    "a: 1\nb: 2\nc: 3\n"},
		{name: "new map drops its nils",
			base:    "a: 1\n",
			overlay: "n: {x: null, y: {z: null, k: 1}, l: [null]}\n",
			want:    "a: 1\nn: {y: {k: 1}, l: [null]}\n"},
		{name: "map over null",
			base:    "a: null\n",
			overlay: "a: {b: 1}\n",
			want:    "a: {b: 1}\n"},
		{name: "scalar kinds replace each other",
			base:    "a: 1\nb: text\nc: [x]\n",
			overlay: "a: one\nb: [t]\nc: 2.5\n",
			want:    "a: one\nb: [t]\nc: 2.5\n"},
		{name: "empty overlay",
			base:    "a: {b: 1}\n",
			overlay: "{}\n",
			want:    "a: {b: 1}\n"},
		{name: "nil overlay keeps base",
			base:    "a: 1\n",
			overlay: "null\n",
			want:    "a: 1\n"},
		{name: "nil base",
			base:    "null\n",
			overlay: "a: {b: null, c: 1}\n",
			want:    "a: {c: 1}\n"},
		{name: "scalar tops",
			base:    "1\n",
			overlay: "two\n",
			want:    "two\n"},
		{name: "templates replace",
			base:    "a: ${X}\n",
			overlay: "a: ${Y}\n",
			want:    "a: ${Y}\n"},
		{name: "string into map",
			base:    "databases:\n  redis: {size: 1}\n",
			overlay: "databases:\n  redis: small\n",
			wantErr: "databases.redis: cannot merge a string into a map"},
		{name: "map into string",
			base:    "databases:\n  redis: small\n",
			overlay: "databases:\n  redis: {size: 1}\n",
			wantErr: "databases.redis: cannot merge a map into a string"},
		{name: "list into map",
			base:    "a: {b: {c: {d: 1}}}\n",
			overlay: "a: {b: {c: [1]}}\n",
			wantErr: "a.b.c: cannot merge a list into a map"},
		{name: "map into integer",
			base:    "a: 1\n",
			overlay: "a: {b: 1}\n",
			wantErr: "a: cannot merge a map into an integer"},
		{name: "template into map",
			base:    "a: {b: 1}\n",
			overlay: "a: ${X}\n",
			wantErr: "a: cannot merge a string into a map"},
		{name: "top level clash",
			base:    "a: 1\n",
			overlay: "[1]\n",
			wantErr: "cannot merge a list into a map"},
		{name: "first clash in key order",
			base:    "a: {x: 1}\nb: {x: 1}\nc: {x: 1}\n",
			overlay: "c: 1\nb: 1\na: {x: {y: 1}}\n",
			wantErr: "a.x: cannot merge a map into an integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := parseYAML(t, "base.yml", tt.base)
			overlay := parseYAML(t, "overlay.yml", tt.overlay)
			baseCopy, overlayCopy := deepCopy(base), deepCopy(overlay)
			for range 5 { // map order must not change the outcome
				got, err := Merge(base, overlay)
				if !equalTree(base, baseCopy) || !equalTree(overlay, overlayCopy) {
					t.Fatalf("Merge mutated an input")
				}
				if tt.wantErr != "" {
					var e *Error
					if !errors.As(err, &e) || err.Error() != tt.wantErr {
						t.Fatalf("Merge error = %v, want %q", err, tt.wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("Merge: %v", err)
				}
				want := parseYAML(t, "base.yml", tt.want)
				if !equalTree(stripPos(got), stripPos(want)) {
					t.Fatalf("Merge = %#v\nwant %#v", got, want)
				}
			}
		})
	}
}

// stripPos returns v with template positions cleared, for comparing trees
// parsed from different documents.
func stripPos(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, y := range x {
			out[k] = stripPos(y)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = stripPos(y)
		}
		return out
	case *Template:
		return &Template{Parts: x.Parts}
	}
	return v
}

func TestMergeSharesUntouchedSubtrees(t *testing.T) {
	t.Parallel()
	untouched := map[string]any{"size": int64(1)}
	list := []any{"a", "b"}
	base := map[string]any{
		"redis": untouched,
		"pg":    map[string]any{"version": int64(15), "hosts": list},
	}
	overlay := map[string]any{"pg": map[string]any{"version": int64(16)}}
	got, err := Merge(base, overlay)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := Lookup(got, "redis"); !sameMap(r, untouched) {
		t.Errorf("untouched map was copied")
	}
	if h, _ := Lookup(got, "pg", "hosts"); !sameList(h, list) {
		t.Errorf("untouched list was copied")
	}
	if v, _ := Lookup(base, "pg", "version"); v != int64(15) {
		t.Errorf("base was mutated: version = %v", v)
	}

	// An overlay that changes nothing returns base itself.
	for _, overlay := range []any{
		nil,
		map[string]any{},
		map[string]any{"pg": map[string]any{"version": int64(15)}},
		map[string]any{"absent": nil},
	} {
		got, err := Merge(base, overlay)
		if err != nil || !sameMap(got, base) {
			t.Errorf("Merge(base, %#v) did not return base itself", overlay)
		}
	}

	// An added map without nils is shared too.
	added := map[string]any{"k": "v"}
	got, err = Merge(base, map[string]any{"new": added})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := Lookup(got, "new"); !sameMap(n, added) {
		t.Errorf("added map was copied")
	}
}
