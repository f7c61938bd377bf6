package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

// tenantConfigModelV0 is the resource's data at schema version 0.
type tenantConfigModelV0 struct {
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
	RenderedYAML   types.String  `tfsdk:"rendered_yaml"`
	Checksum       types.String  `tfsdk:"checksum"`
	Limits         types.Object  `tfsdk:"limits"`
	Databases      types.Map     `tfsdk:"databases"`
	Isolation      types.Object  `tfsdk:"isolation"`
	CreatedAt      types.String  `tfsdk:"created_at"`

	SensitiveOverrides    types.Dynamic `tfsdk:"sensitive_overrides"`
	SensitiveVariables    types.Map     `tfsdk:"sensitive_variables"`
	EncryptTo             types.List    `tfsdk:"encrypt_to"`
	RenderedYAMLSensitive types.String  `tfsdk:"rendered_yaml_sensitive"`
	EncryptedYAML         types.String  `tfsdk:"encrypted_yaml"`
	Provisioning          types.Object  `tfsdk:"provisioning"`
}

// attributes returns the model's values by attribute name.
func (m *tenantConfigModelV0) attributes() map[string]attr.Value {
	fs := m.fields()
	out := make(map[string]attr.Value, len(fs))
	for name, f := range fs {
		out[name] = f.get()
	}
	return out
}

// modelField reads and writes one field of the model.
type modelField struct {
	get func() attr.Value
	set func(attr.Value) bool // false, and the field unchanged, for a value of another type
}

func bind[T attr.Value](field *T) modelField {
	return modelField{
		get: func() attr.Value { return *field },
		set: func(v attr.Value) bool {
			t, ok := v.(T)
			if ok {
				*field = t
			}
			return ok
		},
	}
}

// fields returns the model's fields by attribute name: the one list of them
// that attributes and readModel use (TestModelAttributesMatchSchema).
func (m *tenantConfigModelV0) fields() map[string]modelField {
	return map[string]modelField{
		"id":              bind(&m.ID),
		"tenant_id":       bind(&m.TenantID),
		"tenant_name":     bind(&m.TenantName),
		"tier":            bind(&m.Tier),
		"environment":     bind(&m.Environment),
		"region":          bind(&m.Region),
		"timezone":        bind(&m.Timezone),
		"overrides":       bind(&m.Overrides),
		"variables":       bind(&m.Variables),
		"regulations":     bind(&m.Regulations),
		"allow_downgrade": bind(&m.AllowDowngrade),
		"rendered_yaml":   bind(&m.RenderedYAML),
		"checksum":        bind(&m.Checksum),
		"limits":          bind(&m.Limits),
		"databases":       bind(&m.Databases),
		"isolation":       bind(&m.Isolation),
		"created_at":      bind(&m.CreatedAt),

		"sensitive_overrides":     bind(&m.SensitiveOverrides),
		"sensitive_variables":     bind(&m.SensitiveVariables),
		"encrypt_to":              bind(&m.EncryptTo),
		"rendered_yaml_sensitive": bind(&m.RenderedYAMLSensitive),
		"encrypted_yaml":          bind(&m.EncryptedYAML),
		"provisioning":            bind(&m.Provisioning),
	}
}

// terraformValue returns m as a value of typ, the resource's type: each
// attribute converted on its own, without building (and checking) a
// framework object of the whole first.
func (m *tenantConfigModelV0) terraformValue(ctx context.Context, typ tftypes.Type) (tftypes.Value, error) {
	attrs := m.attributes()
	vals := make(map[string]tftypes.Value, len(attrs))
	for name, a := range attrs {
		v, err := a.ToTerraformValue(ctx)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
		}
		vals[name] = v
	}
	if err := tftypes.ValidateValue(typ, vals); err != nil {
		return tftypes.Value{}, err
	}
	return tftypes.NewValue(typ, vals), nil
}

// readModel reads v, a value of the resource's type (attributes of types
// attrTypes), into m: what the framework's Get does for the model, without
// its reflection (which in framework 1.19 compiles a regular expression for
// every field of the struct on every call, a tenth of the provider's CPU in
// a plan). Each attribute is converted by its schema type, as Get converts
// it.
func readModel(ctx context.Context, attrTypes map[string]attr.Type, v tftypes.Value, m *tenantConfigModelV0) diag.Diagnostics {
	var diags diag.Diagnostics
	var vals map[string]tftypes.Value
	if err := v.As(&vals); err != nil || vals == nil {
		diags.AddError("Cannot read the tenant configuration", fmt.Sprintf("The value is not a known object (%v). This is a bug in the provider.", err))
		return diags
	}
	fields := m.fields()
	for name, tv := range vals {
		at, ok := attrTypes[name]
		field, known := fields[name]
		if !ok || !known {
			diags.AddError("Cannot read the tenant configuration", fmt.Sprintf("Unexpected attribute %q. This is a bug in the provider.", name))
			continue
		}
		val, err := at.ValueFromTerraform(ctx, tv)
		if err == nil && !field.set(val) {
			err = fmt.Errorf("a %T does not fit the model", val)
		}
		if err != nil {
			diags.AddAttributeError(path.Root(name), "Cannot read the tenant configuration", err.Error()+". This is a bug in the provider.")
		}
	}
	return diags
}

// attributeTypes returns the attribute types of a schema's type, an object.
func attributeTypes(typ attr.Type) map[string]attr.Type {
	if o, ok := typ.(attr.TypeWithAttributeTypes); ok {
		return o.AttributeTypes()
	}
	return nil
}

// settable is a plan or a state being written (*tfsdk.Plan, *tfsdk.State).
type settable interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// store writes m into a plan or state whose schema has type typ. Given a
// Terraform value, Set only checks its type; given the model itself, it
// would read the struct tags and convert every attribute back and forth by
// reflection, several times the work and the garbage, for each tenant of a
// plan or an apply.
func store(ctx context.Context, dst settable, typ attr.Type, m *tenantConfigModelV0) diag.Diagnostics {
	var diags diag.Diagnostics
	v, err := m.terraformValue(ctx, typ.TerraformType(ctx))
	if err != nil {
		diags.AddError("Cannot convert the tenant configuration", err.Error()+". This is a bug in the provider.")
		return diags
	}
	return dst.Set(ctx, v)
}

// renderInput maps the model's known arguments to the render's input.
func renderInput(ctx context.Context, m *tenantConfigModelV0, diags *diag.Diagnostics) (render.Input, bool) {
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
func inputsKnown(ctx context.Context, m *tenantConfigModelV0) bool {
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

// fullYAML is the full configuration, secrets included: rendered_yaml_sensitive,
// or rendered_yaml when the tenant has no secrets.
func (m *tenantConfigModelV0) fullYAML() string {
	if m.RenderedYAMLSensitive.IsNull() {
		return m.RenderedYAML.ValueString()
	}
	return m.RenderedYAMLSensitive.ValueString()
}

func setUnknown(m *tenantConfigModelV0) {
	m.RenderedYAML = types.StringUnknown()
	m.Checksum = types.StringUnknown()
	m.Limits = types.ObjectUnknown(limitsAttrTypes)
	m.Databases = types.MapUnknown(types.ObjectType{AttrTypes: databaseAttrTypes})
	m.Isolation = types.ObjectUnknown(isolationAttrTypes)
	m.RenderedYAMLSensitive = types.StringUnknown()
	m.EncryptedYAML = types.StringUnknown()
	m.Provisioning = types.ObjectUnknown(provisioningAttrTypes)
}

// setResult stores a render's result in the computed attributes.
func setResult(m *tenantConfigModelV0, res *render.Result) diag.Diagnostics {
	var diags, d diag.Diagnostics
	m.RenderedYAML = types.StringValue(res.YAML)
	m.RenderedYAMLSensitive = types.StringNull() // rendered_yaml is the full configuration
	if res.Sensitive {
		m.RenderedYAMLSensitive = types.StringValue(res.SensitiveYAML)
	}
	m.Checksum = types.StringValue(res.Checksum)
	m.Limits, d = limitsValue(res.Summary.Limits)
	diags.Append(d...)
	m.Provisioning, d = provisioningValue(res)
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
