package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

// v0Attributes returns the attributes of a tenant_config state of schema
// version 0 for a render, as Terraform keeps them: the configuration as
// YAML and the provisioning artifacts.
func v0Attributes(t *testing.T, res *render.Result) map[string]any {
	t.Helper()
	shown, err := render.Export(res.JSON, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(shown))
	var full any
	if res.Sensitive {
		full, _ = res.FullYAML()
	}
	return map[string]any{
		"rendered_yaml":           shown,
		"rendered_yaml_sensitive": full,
		"checksum":                hex.EncodeToString(sum[:]),
		"provisioning": map[string]any{
			"postgresql": "CREATE ROLE ...", "postgresql_teardown": "DROP ...", "redis_acl": "ACL SETUSER ...",
			"mongodb": nil, "clickhouse": nil, "elasticsearch": nil,
		},
	}
}

// The upgrader turns rendered_yaml into the same configuration as
// rendered_json, byte for byte what a render of today gives, recomputes the
// checksum, drops provisioning and keeps every other attribute.
func TestUpgradeFromV0(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]render.Input{
		"plain": {TenantID: "acme", TenantName: "Acme Corp", Tier: "premium", Environment: "production", Region: "eu-west-1", Timezone: "UTC",
			Overrides: map[string]any{"monitoring": map[string]any{"alerts": map[string]any{"storage_threshold": int64(85)}}, "custom": map[string]any{"ratio": 0.5, "four": 4.0}}},
		"secrets": {TenantID: "bravo", TenantName: "Bravo <&>", Tier: "standard", Environment: "staging", Region: "us-east-1", Timezone: "UTC",
			SensitiveOverrides: map[string]any{"databases": map[string]any{"postgresql": map[string]any{"password": "S3cret-pass"}}}},
	} {
		t.Run(name, func(t *testing.T) {
			res, problems := render.Render(cat, in)
			if len(problems) > 0 {
				t.Fatal(problems)
			}
			attrs := v0Attributes(t, res)
			attrs["tenant_id"], attrs["id"], attrs["tier"], attrs["created_at"] = in.TenantID, in.TenantID, in.Tier, testCreatedAt
			raw, _ := json.Marshal(attrs)
			var resp resource.UpgradeStateResponse
			upgradeFromV0(context.Background(), resource.UpgradeStateRequest{RawState: &tfprotov6.RawState{JSON: raw}}, &resp)
			if resp.Diagnostics.HasError() || resp.DynamicValue == nil {
				t.Fatalf("upgrade failed: %v", resp.Diagnostics)
			}
			typ := tenantConfigSchema().Type().TerraformType(context.Background())
			v, err := resp.DynamicValue.Unmarshal(typ)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]tftypes.Value
			if err := v.As(&got); err != nil {
				t.Fatal(err)
			}
			str := func(name string) *string {
				var s *string
				if err := got[name].As(&s); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				return s
			}
			if s := str("rendered_json"); s == nil || *s != res.JSON {
				t.Errorf("rendered_json is not the render's JSON:\n%v", s)
			}
			if s := str("checksum"); s == nil || *s != res.Checksum {
				t.Errorf("checksum %v, want %s", s, res.Checksum)
			}
			full := str("rendered_json_sensitive")
			if res.Sensitive && (full == nil || *full != res.SensitiveJSON) || !res.Sensitive && full != nil {
				t.Errorf("rendered_json_sensitive is %v", full)
			}
			if s := str("tenant_id"); s == nil || *s != in.TenantID {
				t.Errorf("tenant_id not kept: %v", s)
			}
			if s := str("created_at"); s == nil || *s != testCreatedAt {
				t.Errorf("created_at not kept: %v", s)
			}
		})
	}
}

// A state whose YAML is not a configuration is an error that names the
// attribute and never quotes the text.
func TestUpgradeFromV0RefusesWhatIsNotAConfiguration(t *testing.T) {
	raw, _ := json.Marshal(map[string]any{"rendered_yaml_sensitive": "password: [hunter2"})
	var resp resource.UpgradeStateResponse
	upgradeFromV0(context.Background(), resource.UpgradeStateRequest{RawState: &tfprotov6.RawState{JSON: raw}}, &resp)
	if !resp.Diagnostics.HasError() {
		t.Fatal("a state that is not a configuration was upgraded")
	}
	text := resp.Diagnostics[0].Detail()
	if !strings.Contains(text, "rendered_yaml_sensitive") || strings.Contains(text, "hunter2") {
		t.Errorf("the error should name the attribute and not quote it: %s", text)
	}
}

// A state written by the provider before schema version 1 upgrades in
// place: the next plan has nothing to change, and the state then holds
// rendered_json and no provisioning.
func TestAccTenantConfig_upgradeFromV0(t *testing.T) {
	c := newCLI(t, false)
	c.write(map[string]string{"main.tf": requireTenant + `
variable "password" {
  type      = string
  sensitive = true
  default   = "S3cret-pass"
}

resource "tenant_config" "acme" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = "premium"
  overrides   = { monitoring = { alerts = { storage_threshold = 85 } }, custom = { ratio = 0.5 } }
}

resource "tenant_config" "bravo" {
  tenant_id           = "bravo"
  tenant_name         = "Bravo"
  tier                = "standard"
  sensitive_overrides = { databases = { postgresql = { password = var.password } } }
}
`})
	c.run([]string{"init", "-no-color"})
	c.run([]string{"apply", "-auto-approve", "-no-color"})

	// Rewrite the state as schema version 0 held it.
	file := filepath.Join(c.dir, "terraform.tfstate")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	for _, r := range st["resources"].([]any) {
		inst := r.(map[string]any)["instances"].([]any)[0].(map[string]any)
		attrs := inst["attributes"].(map[string]any)
		shown, err := render.Export(attrs["rendered_json"].(string), "yaml")
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(shown))
		var full any
		if s, ok := attrs["rendered_json_sensitive"].(string); ok {
			if full, err = render.Export(s, "yaml"); err != nil {
				t.Fatal(err)
			}
		}
		delete(attrs, "rendered_json")
		delete(attrs, "rendered_json_sensitive")
		attrs["rendered_yaml"], attrs["rendered_yaml_sensitive"], attrs["checksum"] = shown, full, hex.EncodeToString(sum[:])
		attrs["provisioning"] = map[string]any{"postgresql": "CREATE ROLE ...", "postgresql_teardown": nil, "redis_acl": nil, "mongodb": nil, "clickhouse": nil, "elasticsearch": nil}
		inst["schema_version"] = 0
		paths, _ := json.Marshal(inst["sensitive_attributes"])
		var sens any
		_ = json.Unmarshal([]byte(strings.ReplaceAll(string(paths), "rendered_json_sensitive", "rendered_yaml_sensitive")), &sens)
		inst["sensitive_attributes"] = sens
	}
	out, _ := json.MarshalIndent(st, "", "  ")
	if err := os.WriteFile(file, out, 0o600); err != nil {
		t.Fatal(err)
	}

	// exit 0: the upgraded state is exactly what the configuration renders.
	c.run([]string{"plan", "-detailed-exitcode", "-no-color"})
	c.run([]string{"apply", "-auto-approve", "-no-color"})
	after := readState(t, file)
	for _, name := range []string{"tenant_config.acme", "tenant_config.bravo"} {
		attrs := after[name]
		if _, ok := attrs["provisioning"]; ok {
			t.Errorf("%s still has provisioning", name)
		}
		if s, _ := attrs["rendered_json"].(string); !strings.HasPrefix(s, `{"audit":`) {
			t.Errorf("%s has no rendered_json: %v", name, attrs["rendered_json"])
		}
	}
	if s, _ := after["tenant_config.bravo"]["rendered_json_sensitive"].(string); !strings.Contains(s, "S3cret-pass") {
		t.Error("the upgraded rendered_json_sensitive lacks the secret")
	}
}
