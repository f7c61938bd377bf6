package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tenantry/terraform-provider-tenant/internal/render"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// UpgradeState converts the state of earlier schema versions. Each upgrader
// goes straight to the current version.
func (r *tenantConfigResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{
		0: {StateUpgrader: upgradeFromV0},
	}
}

// upgradeFromV0 converts a state of schema version 0, which held the
// configuration as YAML and the provisioning artifacts: rendered_yaml and
// rendered_yaml_sensitive become rendered_json and rendered_json_sensitive
// (the same configuration as canonical JSON), the checksum covers the JSON,
// and provisioning is dropped (the provisioning function derives it). Every
// other attribute is kept as it is. The next plan renders the configuration
// afresh from the arguments, as every plan does.
func upgradeFromV0(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	if req.RawState == nil || req.RawState.JSON == nil {
		resp.Diagnostics.AddError("Cannot upgrade the tenant configuration's state",
			"The state of schema version 0 is missing or not JSON. This is a bug in the provider or in Terraform.")
		return
	}
	var attrs map[string]json.RawMessage
	if err := json.Unmarshal(req.RawState.JSON, &attrs); err != nil {
		resp.Diagnostics.AddError("Cannot upgrade the tenant configuration's state",
			"The state of schema version 0 is not a JSON object. This is a bug in the provider or in Terraform.")
		return
	}
	if err := upgradeAttributesFromV0(attrs); err != nil {
		resp.Diagnostics.AddError("Cannot upgrade the tenant configuration's state", err.Error())
		return
	}
	text, err := json.Marshal(attrs)
	typ := tenantConfigSchema().Type().TerraformType(ctx)
	var v tftypes.Value
	if err == nil {
		v, err = (&tfprotov6.RawState{JSON: text}).UnmarshalWithOpts(typ, tfprotov6.UnmarshalOpts{})
	}
	var dv tfprotov6.DynamicValue
	if err == nil {
		dv, err = tfprotov6.NewDynamicValue(typ, v)
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot upgrade the tenant configuration's state",
			fmt.Sprintf("The upgraded state does not fit schema version 1 (%v). This is a bug in the provider: please report it.", err))
		return
	}
	resp.DynamicValue = &dv
}

// upgradeAttributesFromV0 rewrites the attributes of a version 0 state, as
// decoded from its JSON, into those of version 1.
func upgradeAttributesFromV0(attrs map[string]json.RawMessage) error {
	shown, err := yamlAttributeAsJSON(attrs["rendered_yaml"], "rendered_yaml")
	if err != nil {
		return err
	}
	full, err := yamlAttributeAsJSON(attrs["rendered_yaml_sensitive"], "rendered_yaml_sensitive")
	if err != nil {
		return err
	}
	sum := json.RawMessage("null")
	if shown != nil {
		digest := sha256.Sum256([]byte(*shown))
		sum, _ = json.Marshal(hex.EncodeToString(digest[:]))
	}
	for _, old := range []string{"rendered_yaml", "rendered_yaml_sensitive", "provisioning"} {
		delete(attrs, old)
	}
	attrs["rendered_json"] = jsonString(shown)
	attrs["rendered_json_sensitive"] = jsonString(full)
	attrs["checksum"] = sum
	return nil
}

// yamlAttributeAsJSON converts the rendered YAML held by a string attribute
// of the state into canonical JSON; nil for a null or absent attribute. The
// error names the attribute and never quotes its text, which may hold
// secrets.
func yamlAttributeAsJSON(raw json.RawMessage, name string) (*string, error) {
	var text *string
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &text); err != nil {
			return nil, fmt.Errorf("%s in the state of schema version 0 is not a string", name)
		}
	}
	if text == nil {
		return nil, nil
	}
	cfg, err := render.ParseRendered(*text)
	var out []byte
	if err == nil {
		out, err = tree.EncodeJSON(cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("%s in the state of schema version 0 is not a rendered configuration that can be written as JSON. "+
			"Remove the resource from the state (terraform state rm) and import it again", name)
	}
	s := string(out)
	return &s, nil
}

func jsonString(s *string) json.RawMessage {
	if s == nil {
		return json.RawMessage("null")
	}
	out, _ := json.Marshal(*s)
	return out
}
