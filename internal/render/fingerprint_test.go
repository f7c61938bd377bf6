package render

import (
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
)

// Any change of an input, the catalog, the build or the caller's extra
// values changes the fingerprint; the same of each gives the same one.
func TestFingerprint(t *testing.T) {
	cat := defaultCatalog(t)
	salt := []byte("0123456789abcdef0123456789abcdef")
	base := func() Input {
		in := input("premium")
		in.Overrides = overrides(t, "monitoring: {alerts: {storage_threshold: 85}}\ncustom: {ratio: 0.5}\n")
		in.SensitiveOverrides = overrides(t, "databases: {postgresql: {password: S3cret}}\n")
		in.Variables = map[string]string{"TEAM": "data"}
		in.SensitiveVariables = map[string]string{"TOKEN": "tok"}
		in.Regulations = []string{"GDPR", "HIPAA"}
		return in
	}
	fp := func(in Input, cat *catalog.Catalog, build string, extra ...string) string {
		t.Helper()
		s, err := Fingerprint(salt, cat, build, in, extra...)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	want := fp(base(), cat, "v1", "x")
	if again := fp(base(), cat, "v1", "x"); again != want {
		t.Fatal("the same input gives another fingerprint")
	}
	reordered := base()
	reordered.Regulations = []string{"HIPAA", "GDPR"}
	if fp(reordered, cat, "v1", "x") != want {
		t.Error("the order of the regulations (a set) changes the fingerprint")
	}
	other := *cat
	other.Digest = "0000"
	changes := map[string]string{
		"catalog": fp(base(), &other, "v1", "x"),
		"build":   fp(base(), cat, "v2", "x"),
		"extra":   fp(base(), cat, "v1", "y"),
	}
	for name, change := range map[string]func(*Input){
		"tenant_id":   func(in *Input) { in.TenantID = "acme2" },
		"tenant_name": func(in *Input) { in.TenantName = "Acme" },
		"tier":        func(in *Input) { in.Tier = "enterprise" },
		"environment": func(in *Input) { in.Environment = "staging" },
		"region":      func(in *Input) { in.Region = "eu-west-2" },
		"timezone":    func(in *Input) { in.Timezone = "UTC" },
		"overrides": func(in *Input) {
			in.Overrides = overrides(t, "monitoring: {alerts: {storage_threshold: 86}}\ncustom: {ratio: 0.5}\n")
		},
		"overrides number": func(in *Input) {
			in.Overrides = overrides(t, "monitoring: {alerts: {storage_threshold: 85}}\ncustom: {ratio: 0.50001}\n")
		},
		"sensitive_overrides": func(in *Input) {
			in.SensitiveOverrides = overrides(t, "databases: {postgresql: {password: S3cret2}}\n")
		},
		"variables":           func(in *Input) { in.Variables = map[string]string{"TEAM": "web"} },
		"sensitive_variables": func(in *Input) { in.SensitiveVariables = map[string]string{"TOKEN": "tok2"} },
		"regulations":         func(in *Input) { in.Regulations = []string{"GDPR"} },
	} {
		in := base()
		change(&in)
		changes[name] = fp(in, cat, "v1", "x")
	}
	seen := map[string]string{want: "base"}
	for _, name := range slices.Sorted(maps.Keys(changes)) {
		if prev, dup := seen[changes[name]]; dup {
			t.Errorf("changing %s gives the fingerprint of %s", name, prev)
		}
		seen[changes[name]] = name
	}
	if _, err := Fingerprint(nil, cat, "v1", base()); err == nil {
		t.Error("a fingerprint without a salt")
	}
	if _, err := Fingerprint(salt, cat, "", base()); err == nil {
		t.Error("a fingerprint without a build")
	}
	if fp2, _ := Fingerprint([]byte("another salt, just as long....."), cat, "v1", base(), "x"); fp2 == want {
		t.Error("another salt gives the same fingerprint")
	}
}

// Warnings gives, without rendering, exactly the warnings of a render.
func TestWarningsAgreeWithRender(t *testing.T) {
	cat := defaultCatalog(t)
	in := input("standard")
	in.Overrides = overrides(t, "custom: {api_token: not-secret, password_hint: x, nested: {secret_key: y}, plain: z}\n")
	in.SensitiveOverrides = overrides(t, "custom: {password_hint: replaced}\n")
	res := mustRender(t, cat, in)
	if len(res.Warnings) != 2 {
		t.Fatalf("the render warns %d times, want 2: %v", len(res.Warnings), res.Warnings)
	}
	if got := Warnings(in); !reflect.DeepEqual(got, res.Warnings) {
		t.Errorf("Warnings = %v, the render's are %v", got, res.Warnings)
	}
	if got := Warnings(input("standard")); len(got) != 0 {
		t.Errorf("warnings without overrides: %v", got)
	}
}
