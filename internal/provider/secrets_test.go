package provider

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/armor"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/tenantry/terraform-provider-tenant/internal/render"
	"gopkg.in/yaml.v3"
)

const (
	testDBPassword = "Db-Pass-4f91c2"
	testHookToken  = "Hook-Tok-93ab7e"
)

const secretsConfig = requireTenant + `
variable "db_password" {
  type      = string
  sensitive = true
}
variable "hook_token" {
  type      = string
  sensitive = true
}
variable "recipient" { type = string }

resource "tenant_config" "acme" {
  tenant_id   = "acme"
  tenant_name = "Acme"
  tier        = "premium"
  overrides = {
    monitoring = { alerts = { channels = ["email", "webhook"] } }
    custom     = { endpoint = "https://hooks.example.com/$${HOOK_TOKEN}" }
  }
  sensitive_overrides = {
    databases  = { postgresql = { password = var.db_password } }
    monitoring = { alerts = { webhook_url = "https://hooks.example.com/$${HOOK_TOKEN}" } }
  }
  sensitive_variables = { HOOK_TOKEN = var.hook_token }
  encrypt_to          = [var.recipient]
}

resource "tenant_config" "bravo" {
  tenant_id   = "bravo"
  tenant_name = "Bravo"
  tier        = "standard"
  overrides   = { custom = { api_token = "not-secret-really" } }
  encrypt_to  = [var.recipient]
}

output "acme_json" { value = tenant_config.acme.rendered_json }
output "export_json" { value = provider::tenant::export(tenant_config.acme.rendered_json, "json") }
output "export_yaml" { value = provider::tenant::export(tenant_config.acme.rendered_json, "yaml") }
output "export_full" {
  value     = provider::tenant::export(tenant_config.acme.rendered_json_sensitive, "json")
  sensitive = true
}
`

// A secret given through sensitive_overrides and sensitive_variables never
// shows in what Terraform prints, in rendered_json or in the provider's log
// at trace level; it is in rendered_json_sensitive and encrypted_yaml, and
// nowhere in another tenant's configuration.
func TestAccTenantConfig_secretsNeverInPlainText(t *testing.T) {
	identity, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	c := newCLI(t, true)
	vars := func(password string) string {
		b, _ := json.Marshal(map[string]string{"db_password": password, "hook_token": testHookToken, "recipient": identity.Recipient().String()})
		return string(b)
	}
	c.write(map[string]string{"main.tf": secretsConfig, "terraform.tfvars.json": vars(testDBPassword)})

	var shown []string // everything Terraform printed
	shown = append(shown, c.run([]string{"init", "-no-color"}))
	planOut := c.run([]string{"plan", "-no-color", "-out=tfplan"})
	if !strings.Contains(strings.Join(strings.Fields(planOut), " "), "custom.api_token looks like a secret") {
		t.Errorf("the plan does not warn of custom.api_token:\n%s", planOut)
	}
	shown = append(shown, planOut)
	shown = append(shown, c.run([]string{"show", "-no-color", "tfplan"}))
	planJSON := c.run([]string{"show", "-json", "tfplan"})
	shown = append(shown, c.run([]string{"apply", "-no-color", "tfplan"}))
	shown = append(shown, c.run([]string{"show", "-no-color"}))
	shown = append(shown, c.run([]string{"output", "-no-color"}))
	for _, secret := range []string{testDBPassword, testHookToken} {
		for _, out := range shown {
			if strings.Contains(out, secret) {
				t.Fatalf("Terraform printed the secret %q:\n%s", secret, out)
			}
		}
	}

	var plan struct {
		PlannedValues struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"planned_values"`
	}
	if err := json.Unmarshal([]byte(planJSON), &plan); err != nil {
		t.Fatal(err)
	}
	planned := map[string]map[string]any{}
	for _, r := range plan.PlannedValues.RootModule.Resources {
		planned[r.Address] = r.Values
	}
	acme := planned["tenant_config.acme"]
	if y, _ := acme["rendered_json"].(string); y == "" || strings.Contains(y, testDBPassword) || !strings.Contains(y, `"password":"(sensitive)"`) {
		t.Errorf("planned rendered_json holds the secret or no marker:\n%s", y)
	}
	if y, _ := acme["rendered_json_sensitive"].(string); !strings.Contains(y, testDBPassword) || !strings.Contains(y, testHookToken) {
		t.Errorf("planned rendered_json_sensitive lacks the secrets")
	}
	bravo := planned["tenant_config.bravo"]
	if y, _ := bravo["rendered_json"].(string); y == "" || strings.Contains(y, testDBPassword) || strings.Contains(y, testHookToken) {
		t.Errorf("another tenant's configuration holds acme's secrets, or is empty")
	}
	// Without secrets rendered_json is the full configuration, stored once.
	if v, ok := bravo["rendered_json_sensitive"]; !ok || v != nil {
		t.Errorf("rendered_json_sensitive of a tenant without secrets is %v, want null", v)
	}

	state := readState(t, filepath.Join(c.dir, "terraform.tfstate"))
	attrs := state["tenant_config.acme"]
	full, _ := attrs["rendered_json_sensitive"].(string)
	if attrs["rendered_json"] != acme["rendered_json"] || full != acme["rendered_json_sensitive"] {
		t.Error("apply did not write what was planned")
	}
	// encrypted_yaml is the full configuration in the product's YAML.
	if plain := decrypt(t, attrs["encrypted_yaml"], identity); plain != yamlOf(t, full) || full == "" {
		t.Error("encrypted_yaml does not decrypt to the YAML of rendered_json_sensitive")
	}
	// A tenant without secrets: encrypted_yaml is its rendered_json as YAML.
	bravoJSON, _ := state["tenant_config.bravo"]["rendered_json"].(string)
	if plain := decrypt(t, state["tenant_config.bravo"]["encrypted_yaml"], identity); plain == "" || plain != yamlOf(t, bravoJSON) {
		t.Error("encrypted_yaml of a tenant without secrets does not decrypt to the YAML of its rendered_json")
	}

	// export holds exactly jsondecode(rendered_json), in both formats, and
	// its JSON is rendered_json itself.
	var outputs map[string]struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal([]byte(c.run([]string{"output", "-json"})), &outputs); err != nil {
		t.Fatal(err)
	}
	var fromJSON, fromExportYAML any
	_ = json.Unmarshal([]byte(outputs["acme_json"].Value.(string)), &fromJSON)
	_ = yaml.Unmarshal([]byte(outputs["export_yaml"].Value.(string)), &fromExportYAML)
	if outputs["export_json"].Value != outputs["acme_json"].Value || !reflect.DeepEqual(normalJSON(t, fromExportYAML), normalJSON(t, fromJSON)) || fromJSON == nil {
		t.Error("export differs from jsondecode(rendered_json)")
	}
	if s, _ := outputs["export_full"].Value.(string); !strings.Contains(s, testDBPassword) {
		t.Error("the export of rendered_json_sensitive lacks the secret")
	}

	// After apply the plan is empty: the ciphertext is kept.
	c.run([]string{"plan", "-no-color", "-detailed-exitcode"})

	// Rotating only the secret changes rendered_json_sensitive, not
	// rendered_json.
	c.write(map[string]string{"terraform.tfvars.json": vars("Rotated-Pass-77")})
	c.run([]string{"plan", "-no-color", "-out=rotate"})
	var rot struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions      []string       `json:"actions"`
				Before       map[string]any `json:"before"`
				After        map[string]any `json:"after"`
				AfterUnknown map[string]any `json:"after_unknown"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(c.run([]string{"show", "-json", "rotate"})), &rot); err != nil {
		t.Fatal(err)
	}
	for _, rc := range rot.ResourceChanges {
		ch := rc.Change
		switch rc.Address {
		case "tenant_config.acme":
			if ch.Actions[0] != "update" || ch.Before["rendered_json"] != ch.After["rendered_json"] ||
				ch.Before["rendered_json_sensitive"] == ch.After["rendered_json_sensitive"] || ch.AfterUnknown["encrypted_yaml"] != true {
				t.Errorf("rotating a secret: actions %v, rendered_json changed %v, sensitive changed %v, new ciphertext %v", ch.Actions,
					ch.Before["rendered_json"] != ch.After["rendered_json"], ch.Before["rendered_json_sensitive"] != ch.After["rendered_json_sensitive"], ch.AfterUnknown["encrypted_yaml"])
			}
		case "tenant_config.bravo":
			if ch.Actions[0] != "no-op" {
				t.Errorf("rotating acme's secret changes bravo: %v", ch.Actions)
			}
		}
	}

	logText := c.providerLog()
	if !strings.Contains(logText, "tenant configuration created") {
		t.Fatalf("the provider's log lacks its own entries (%d bytes): the check below would prove nothing", len(logText))
	}
	for _, secret := range []string{testDBPassword, testHookToken, "Rotated-Pass-77"} {
		if strings.Contains(logText, secret) {
			t.Errorf("the provider's log holds the secret %q", secret)
		}
	}
}

func readState(t *testing.T, file string) map[string]map[string]any {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, r := range st.Resources {
		out[r.Type+"."+r.Name] = r.Instances[0].Attributes
	}
	return out
}

// normalJSON returns v as encoding/json reads it back.
func normalJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// A secret key set from plain overrides is a plan error on overrides that
// says where it belongs.
func TestAccTenantConfig_plainSecrets(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      tenantConfig("standard", `overrides = { databases = { redis = { password = "hunter2" } } }`),
				ExpectError: expectError("databases.redis.password is a secret and must come from sensitive_overrides", "overrides"),
			},
			{
				Config:      tenantConfig("standard", `encrypt_to = ["age1notarecipient"]`),
				ExpectError: expectError("Invalid age recipient", "encrypt_to"),
			},
		},
	})
}

// decrypt returns the plaintext of an ASCII-armored age file (a state
// attribute) for identity.
func decrypt(t *testing.T, armored any, identity age.Identity) string {
	t.Helper()
	text, _ := armored.(string)
	r, err := age.Decrypt(armor.NewReader(strings.NewReader(text)), identity)
	if err != nil {
		t.Fatalf("encrypted_yaml does not decrypt: %v", err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(plain)
}

// yamlOf is the canonical YAML of a rendered configuration given as JSON.
func yamlOf(t *testing.T, jsonText string) string {
	t.Helper()
	out, err := render.Export(jsonText, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	return out
}
