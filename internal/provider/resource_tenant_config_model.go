package provider

import (
	"context"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

// tenantConfigModelV1 is the resource's data at schema version 1.
type tenantConfigModelV1 struct {
	ID             types.String  `tfsdk:"id"`
	TenantID       types.String  `tfsdk:"tenant_id"`
	TenantName     types.String  `tfsdk:"tenant_name"`
	Tier           types.String  `tfsdk:"tier"`
	Environment    types.String  `tfsdk:"environment"`
	Region         types.String  `tfsdk:"region"`
	Timezone       types.String  `tfsdk:"timezone"`
	Overrides      types.Dynamic `tfsdk:"overrides"`
	Variables      types.Map     `tfsdk:"variables"`
	Regulations    types.Set     `tfsdk:"regulations"`
	AllowDowngrade types.Bool    `tfsdk:"allow_downgrade"`
	RenderedJSON   types.String  `tfsdk:"rendered_json"`
	Checksum       types.String  `tfsdk:"checksum"`
	Limits         types.Object  `tfsdk:"limits"`
	Databases      types.Map     `tfsdk:"databases"`
	Isolation      types.Object  `tfsdk:"isolation"`
	CreatedAt      types.String  `tfsdk:"created_at"`

	SensitiveOverrides    types.Dynamic `tfsdk:"sensitive_overrides"`
	SensitiveVariables    types.Map     `tfsdk:"sensitive_variables"`
	EncryptTo             types.List    `tfsdk:"encrypt_to"`
	RenderedJSONSensitive types.String  `tfsdk:"rendered_json_sensitive"`
	EncryptedYAML         types.String  `tfsdk:"encrypted_yaml"`
}

// renderInput maps the model's known arguments to the render's input.
func renderInput(ctx context.Context, m *tenantConfigModelV1, diags *diag.Diagnostics) (render.Input, bool) {
	in := render.Input{
		TenantID:    m.TenantID.ValueString(),
		TenantName:  m.TenantName.ValueString(),
		Tier:        m.Tier.ValueString(),
		Environment: m.Environment.ValueString(),
		Region:      m.Region.ValueString(),
		Timezone:    m.Timezone.ValueString(),
		Variables:   stringMap(m.Variables, "variables", diags),
		Regulations: stringSet(m.Regulations, "regulations", diags),

		SensitiveVariables: stringMap(m.SensitiveVariables, "sensitive_variables", diags),
	}
	in.Overrides = overridesTree(ctx, m.Overrides, "overrides", diags)
	in.SensitiveOverrides = overridesTree(ctx, m.SensitiveOverrides, "sensitive_overrides", diags)
	return in, !diags.HasError()
}

// overridesTree converts a known overrides attribute; nil when null. An
// error names the path, never a value.
func overridesTree(ctx context.Context, d types.Dynamic, attr string, diags *diag.Diagnostics) any {
	v, err := dynamicToTerraform(ctx, d)
	var out any
	if err == nil && v.Type() != nil && !v.IsNull() {
		out, err = toTree(v)
	}
	if err != nil {
		diags.AddAttributeError(path.Root(attr), "Invalid "+attr, err.Error()+".")
	}
	return out
}

// inputsKnown reports whether every input of the render is known.
func inputsKnown(ctx context.Context, m *tenantConfigModelV1) bool {
	for _, s := range []types.String{m.TenantID, m.TenantName, m.Tier, m.Environment, m.Region, m.Timezone} {
		if s.IsUnknown() {
			return false
		}
	}
	for _, mp := range []types.Map{m.Variables, m.SensitiveVariables} {
		if mp.IsUnknown() || slices.ContainsFunc(slices.Collect(maps.Values(mp.Elements())), attr.Value.IsUnknown) {
			return false
		}
	}
	for _, l := range [][]attr.Value{m.Regulations.Elements(), m.EncryptTo.Elements()} {
		if slices.ContainsFunc(l, attr.Value.IsUnknown) {
			return false
		}
	}
	return !m.AllowDowngrade.IsUnknown() && !m.Regulations.IsUnknown() && !m.EncryptTo.IsUnknown() &&
		fullyKnown(ctx, m.Overrides) && fullyKnown(ctx, m.SensitiveOverrides)
}

func setUnknown(m *tenantConfigModelV1) {
	m.RenderedJSON = types.StringUnknown()
	m.Checksum = types.StringUnknown()
	m.Limits = types.ObjectUnknown(limitsAttrTypes)
	m.Databases = types.MapUnknown(types.ObjectType{AttrTypes: databaseAttrTypes})
	m.Isolation = types.ObjectUnknown(isolationAttrTypes)
	m.RenderedJSONSensitive = types.StringUnknown()
	m.EncryptedYAML = types.StringUnknown()
}

// setResult stores a render's result in the computed attributes.
func setResult(m *tenantConfigModelV1, res *render.Result) diag.Diagnostics {
	var diags, d diag.Diagnostics
	m.RenderedJSON = types.StringValue(res.JSON)
	m.RenderedJSONSensitive = types.StringNull() // rendered_json is the full configuration
	if res.Sensitive {
		m.RenderedJSONSensitive = types.StringValue(res.SensitiveJSON)
	}
	m.Checksum = types.StringValue(res.Checksum)
	m.Limits, d = limitsValue(res.Summary.Limits)
	diags.Append(d...)

	dbs := make(map[string]attr.Value, len(res.Summary.Databases))
	for name, db := range res.Summary.Databases {
		dbs[name], d = types.ObjectValue(databaseAttrTypes, map[string]attr.Value{
			"enabled":         types.BoolValue(db.Enabled),
			"deployment":      stringOrNull(db.Deployment),
			"isolation":       stringOrNull(db.Isolation),
			"cpu_cores":       types.Float64PointerValue(db.CPUCores),
			"memory_gb":       types.Float64PointerValue(db.MemoryGB),
			"storage_gb":      types.Float64PointerValue(db.StorageGB),
			"max_connections": types.Int64PointerValue(db.MaxConnections),
			"iops":            types.Int64PointerValue(db.IOPS),
		})
		diags.Append(d...)
	}
	m.Databases, d = types.MapValue(types.ObjectType{AttrTypes: databaseAttrTypes}, dbs)
	diags.Append(d...)

	iso := res.Summary.Isolation
	m.Isolation, d = types.ObjectValue(isolationAttrTypes, map[string]attr.Value{
		"postgresql_schemas":  stringMapValue(iso.PostgreSQLSchemas),
		"mongodb_collections": stringMapValue(iso.MongoDBCollections),
		"redis_namespaces":    stringMapValue(iso.RedisNamespaces),
	})
	diags.Append(d...)
	return diags
}

func limitsValue(l render.Limits) (types.Object, diag.Diagnostics) {
	return types.ObjectValue(limitsAttrTypes, map[string]attr.Value{
		"max_users":           types.Int64Value(l.MaxUsers),
		"storage_gb":          types.Float64Value(l.StorageGB),
		"api_calls_per_month": types.Int64Value(l.APICallsPerMonth),
		"db_connections":      types.Int64Value(l.DBConnections),
	})
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func stringMapValue(m map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(m))
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}
