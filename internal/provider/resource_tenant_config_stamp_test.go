package provider

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
)

// stampModel is a premium tenant with overrides and a secret, as a plan
// reads it.
func stampModel() tenantConfigModelV1 {
	return tenantConfigModelV1{
		TenantID: types.StringValue("acme"), TenantName: types.StringValue("Acme Corp"), Tier: types.StringValue("premium"),
		Environment: types.StringValue("production"), Region: types.StringValue("eu-west-1"), Timezone: types.StringValue("UTC"),
		Overrides: types.DynamicValue(types.ObjectValueMust(map[string]attr.Type{"custom": types.ObjectType{AttrTypes: map[string]attr.Type{"note": types.StringType}}},
			map[string]attr.Value{"custom": types.ObjectValueMust(map[string]attr.Type{"note": types.StringType}, map[string]attr.Value{"note": types.StringValue("a")})})),
		Variables:          types.MapNull(types.StringType),
		Regulations:        types.SetNull(types.StringType),
		AllowDowngrade:     types.BoolValue(false),
		SensitiveOverrides: types.DynamicNull(),
		SensitiveVariables: types.MapValueMust(types.StringType, map[string]attr.Value{"TOKEN": types.StringValue("s3cret")}),
		EncryptTo:          types.ListNull(types.StringType),
		CreatedAt:          types.StringValue(testCreatedAt),
	}
}

// A plan reuses the prior rendering only when the stamp proves the same
// inputs, catalog and build; any change of an input, of a provider setting,
// of a catalog file or of the provider's version renders afresh.
func TestPlanReusesAStampedRenderOnly(t *testing.T) {
	ctx := context.Background()
	def, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "startup.yml"), []byte("tier:\n  name: startup\n  rank: 2\n  extends: standard\n  description: A startup.\nconfig: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	custom, err := catalog.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	newResource := func(cat *catalog.Catalog, build, region string) *tenantConfigResource {
		return &tenantConfigResource{data: &providerData{catalog: cat, build: build, defaultRegion: types.StringValue(region), clock: testClock}}
	}
	r := newResource(def, "v1", "eu-west-1")

	// The applied state and its stamp.
	var diags diag.Diagnostics
	prior := stampModel()
	r.plan(ctx, &prior, false, nil, false, nil, &diags)
	if diags.HasError() || prior.RenderedJSON.IsUnknown() {
		t.Fatalf("the first plan did not render: %v", diags)
	}
	salt := []byte("a salt of this tenant, 32 bytes.")
	in, _ := renderInput(ctx, &prior, &diags)
	fp, ok := r.fingerprint(salt, in)
	if !ok {
		t.Fatal("no fingerprint")
	}
	stamp := &renderStamp{Salt: salt, Fingerprint: fp}
	// A marked prior rendering shows whether the plan reused it.
	const marked = `{"reused":true}`
	prior.RenderedJSON = types.StringValue(marked)

	plan := func(r *tenantConfigResource, change func(*tenantConfigModelV1), regionUnset bool, stamp *renderStamp) string {
		t.Helper()
		m := stampModel()
		change(&m)
		var diags diag.Diagnostics
		r.plan(ctx, &m, regionUnset, &prior, true, stamp, &diags)
		if diags.HasError() {
			t.Fatal(diags)
		}
		return m.RenderedJSON.ValueString()
	}
	same := func(*tenantConfigModelV1) {}
	if got := plan(r, same, false, stamp); got != marked {
		t.Fatalf("an unchanged tenant was rendered again: %.80s", got)
	}
	if got := plan(r, same, true, stamp); got != marked {
		t.Errorf("the default region (the same) rendered again")
	}
	fresh := map[string]string{
		"no stamp":         plan(r, same, false, nil),
		"another salt":     plan(r, same, false, &renderStamp{Salt: []byte("another salt of 32 bytes........"), Fingerprint: fp}),
		"tenant_name":      plan(r, func(m *tenantConfigModelV1) { m.TenantName = types.StringValue("Acme") }, false, stamp),
		"timezone":         plan(r, func(m *tenantConfigModelV1) { m.Timezone = types.StringValue("Europe/Berlin") }, false, stamp),
		"overrides":        plan(r, func(m *tenantConfigModelV1) { m.Overrides = types.DynamicNull() }, false, stamp),
		"secret":           plan(r, func(m *tenantConfigModelV1) { m.SensitiveVariables = types.MapNull(types.StringType) }, false, stamp),
		"default_region":   plan(newResource(def, "v1", "us-east-1"), same, true, stamp),
		"catalog file":     plan(newResource(custom, "v1", "eu-west-1"), same, false, stamp),
		"provider version": plan(newResource(def, "v2", "eu-west-1"), same, false, stamp),
		"unnamed build":    plan(newResource(def, "", "eu-west-1"), same, false, stamp),
	}
	for name, got := range fresh {
		if got == marked || got == "" {
			t.Errorf("%s: the plan reused the prior render (%.40s)", name, got)
		}
	}
}

// End to end: after apply, a plan that changes nothing reuses each tenant's
// render (its stamp is in the tenant's private state), and a change of a
// catalog file plans the change although no argument changed.
func TestAccTenantConfig_steadyPlanReusesTheRender(t *testing.T) {
	c := newCLI(t, true)
	tier := func(threshold int) string {
		return "tier:\n  name: startup\n  rank: 2\n  extends: standard\n  description: A startup.\n" +
			"config:\n  monitoring:\n    alerts:\n      storage_threshold: " + strconv.Itoa(threshold) + "\n"
	}
	catalogDir := filepath.Join(c.dir, "tiers")
	writeTier := func(threshold int) {
		t.Helper()
		if err := os.MkdirAll(catalogDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(catalogDir, "startup.yml"), []byte(tier(threshold)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The provider is served in this process: the directory must be absolute.
	c.write(map[string]string{"main.tf": requireTenant + `
provider "tenant" {
  templates_dir = "` + catalogDir + `"
}

resource "tenant_config" "acme" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = "startup"
}

resource "tenant_config" "bravo" {
  tenant_id   = "bravo"
  tenant_name = "Bravo"
  tier        = "premium"
}
`})
	writeTier(80)
	c.run([]string{"init", "-no-color"})
	c.run([]string{"apply", "-auto-approve", "-no-color"})
	before := strings.Count(c.providerLog(), "the prior render is the plan")
	c.run([]string{"plan", "-detailed-exitcode", "-no-color"})
	if reused := strings.Count(c.providerLog(), "the prior render is the plan") - before; reused != 2 {
		t.Errorf("an unchanged plan reused %d renders, want 2 (one per tenant)", reused)
	}
	writeTier(85)
	out := c.run([]string{"plan", "-detailed-exitcode", "-no-color"}, 2)
	if !regexp.MustCompile(`~ storage_threshold\s+= 80 -> 85`).MatchString(out) || !strings.Contains(out, "1 to change") {
		t.Errorf("a changed catalog file did not plan the change:\n%s", out)
	}
}
