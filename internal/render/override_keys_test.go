package render

import (
	"strings"
	"testing"
)

// CheckOverrideKeys finds the unknown keys that Render would, without a
// catalog and next to values that are not known yet.
func TestCheckOverrideKeys(t *testing.T) {
	for _, tc := range []struct {
		name      string
		overrides any
		want      []want
	}{
		{"nothing", nil, nil},
		{"known keys", map[string]any{"monitoring": map[string]any{"alerts": map[string]any{"storage_threshold": Unknown}}}, nil},
		{"a typo next to an unknown value", map[string]any{"monitoring": map[string]any{"alerts": map[string]any{
			"storage_treshold": Unknown, "connection_threshold": int64(5)}}},
			[]want{ov("monitoring.alerts.storage_treshold", "Unknown key monitoring.alerts.storage_treshold", `Did you mean "storage_threshold"?`)}},
		{"several typos in one object", map[string]any{"monitoring": map[string]any{"levle": Unknown, "alrets": map[string]any{}}},
			[]want{ov("monitoring", "Unknown keys at monitoring: alrets, levle", `alrets (did you mean "alerts"?), levle (did you mean "level"?)`)}},
		{"a section", map[string]any{"monitorng": Unknown}, []want{ov("monitorng", "Unknown key monitorng", `Did you mean "monitoring"?`)}},
		{"an unknown section is skipped", map[string]any{"monitoring": Unknown}, nil},
		{"custom is free", map[string]any{"custom": map[string]any{"anything": map[string]any{"goes": Unknown}}}, nil},
		{"map keys are free, their values are checked", map[string]any{"security": map[string]any{"access_control": map[string]any{
			"roles": map[string]any{"auditor": map[string]any{"permissions": []any{"tenant:read"}, "permisions": Unknown}}}}},
			[]want{ov("security.access_control.roles.auditor.permisions", "Unknown key", `Did you mean "permissions"?`)}},
		{"list items", map[string]any{"security": map[string]any{"access_control": map[string]any{
			"admin_users": []any{map[string]any{"username": Unknown, "rolse": []any{"x"}}}}}},
			[]want{ov("security.access_control.admin_users.0.rolse", "Unknown key", `Did you mean "roles"?`)}},
		{"a null deletes nothing", map[string]any{"monitoring": map[string]any{"levle": nil}}, nil},
		{"engines", map[string]any{"databases": map[string]any{"postgres": Unknown}},
			[]want{ov("databases.postgres", "Unknown key databases.postgres", `Did you mean "postgresql"?`)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := CheckOverrideKeys(tc.overrides)
			if len(ps) != len(tc.want) {
				t.Fatalf("want %d problem(s), got:\n%s", len(tc.want), describe(ps))
			}
			for i, w := range tc.want {
				p := ps[i]
				text := p.Summary + " " + p.Detail
				if p.Field != w.field || p.Path != w.path {
					t.Errorf("problem %d: field %s path %q, want %s %q", i, p.Field, p.Path, w.field, w.path)
				}
				for _, s := range w.texts {
					if !strings.Contains(text, s) {
						t.Errorf("problem %d lacks %q: %s", i, s, text)
					}
				}
			}
		})
	}
}

// What CheckOverrideKeys reports of known overrides, Render reports too.
func TestCheckOverrideKeysAgreesWithRender(t *testing.T) {
	cat := defaultCatalog(t)
	for _, text := range []string{
		"monitoring: {alerts: {storage_treshold: 90}}",
		"monitoring: {levle: premium, alrets: {}}",
		"databases: {postgresql: {resources: {cpu_core: 1}, verison: '16'}}",
		"security: {access_control: {admin_users: [{username: a, rolse: [x]}]}}",
	} {
		in := input("standard")
		in.Overrides = overrides(t, text)
		_, rendered := Render(cat, in)
		checked := CheckOverrideKeys(in.Overrides)
		if len(checked) == 0 {
			t.Errorf("%s: no problem found", text)
		}
		for _, c := range checked {
			found := false
			for _, r := range rendered {
				found = found || r.Path == c.Path && r.Summary == c.Summary && r.Detail == c.Detail
			}
			if !found {
				t.Errorf("%s: %s is not what Render reports:\n%s", text, c.Error(), describe(rendered))
			}
		}
	}
}
