package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

var (
	_ resource.Resource                   = (*tenantConfigResource)(nil)
	_ resource.ResourceWithConfigure      = (*tenantConfigResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*tenantConfigResource)(nil)
	_ resource.ResourceWithImportState    = (*tenantConfigResource)(nil)
	_ resource.ResourceWithValidateConfig = (*tenantConfigResource)(nil)
	_ resource.ResourceWithUpgradeState   = (*tenantConfigResource)(nil)
)

const defaultEnvironment = render.DefaultEnvironment

func newTenantConfigResource() resource.Resource {
	return &tenantConfigResource{}
}

type tenantConfigResource struct {
	data *providerData
}

func (r *tenantConfigResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_config"
}

func (r *tenantConfigResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = tenantConfigSchema()
}

// tenantConfigSchema is the schema at its current version, 1. Version 0 held
// the configuration as YAML (rendered_yaml, rendered_yaml_sensitive) and the
// provisioning artifacts; upgradeFromV0 converts its state.
func tenantConfigSchema() schema.Schema {
	return schema.Schema{
		Version: 1,
		MarkdownDescription: "Renders one tenant's full database configuration from its subscription tier at plan time. " +
			"The tier template, the environment's overrides and this resource's `overrides` are merged, the template " +
			"variables substituted, and the result validated against the tier's rules and the configuration's JSON Schema. " +
			"`terraform plan` shows the rendered configuration (`rendered_json`) and its typed summaries whenever the " +
			"inputs are known; a change shows as a diff of the values that changed. Changing `tier` is an in-place migration, never a replacement. There is no remote API: " +
			"Terraform state holds the rendered configuration for other resources and modules to consume.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The tenant id (the same as `tenant_id`).",
				Computed:            true,
			},
			"tenant_id": schema.StringAttribute{
				MarkdownDescription: "Identifier of the tenant. It becomes SQL role and schema names, MongoDB collection names and Redis key " +
					"prefixes, so it " + render.TenantIDRules + " (`" + render.TenantIDPattern + "`). Changing it forces a new resource.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{tenantIDValidator{}},
			},
			"tenant_name": schema.StringAttribute{
				MarkdownDescription: "Display name of the tenant: 1 to 200 characters, no control characters. It is inserted " +
					"literally: `${...}` or YAML syntax in it stays text.",
				Required:   true,
				Validators: []validator.String{tenantNameValidator{}},
			},
			"tier": schema.StringAttribute{
				MarkdownDescription: "Subscription tier: one of the catalog's tiers (`" + strings.Join(defaultTierNames(), "`, `") +
					"` in the embedded catalog, plus any tier a custom `templates_dir` adds). Changing it migrates the tenant " +
					"in place; moving to a lower rank needs `allow_downgrade = true`.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"environment": schema.StringAttribute{
				MarkdownDescription: "Environment whose catalog overrides apply: `" + strings.Join(catalog.Environments, "`, `") +
					"`, or another environment a custom catalog defines. Defaults to `" + defaultEnvironment + "`.",
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(defaultEnvironment),
			},
			"region": schema.StringAttribute{
				MarkdownDescription: "Cloud region of the tenant's data, such as `eu-west-1`. Defaults to the provider's `default_region`.",
				Optional:            true,
				Computed:            true,
			},
			"timezone": schema.StringAttribute{
				MarkdownDescription: "IANA time zone of the tenant, such as `Europe/Berlin`. Defaults to `UTC`.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString("UTC"),
			},
			"overrides": schema.DynamicAttribute{
				MarkdownDescription: "Object merged over the tier template, for example `{ monitoring = { alerts = { storage_threshold = 90 } } }` " +
					"or `yamldecode(file(\"${path.module}/acme.yaml\"))`. Objects merge key by key; lists and values replace; a key set to " +
					"`null` is deleted (a key that is absent keeps the template's value). Keys outside `custom` must be part " +
					"of the configuration's JSON Schema. The locked paths `" + strings.Join(render.LockedPaths(), "`, `") +
					"` cannot be overridden. Strings may use the template variables: in HCL write `$${TENANT_ID}` (HCL itself turns `$${` " +
					"into `${`) and `$$${` for a literal `${`; in a YAML file read with `yamldecode(file(...))` write `${TENANT_ID}` and `$${`. " +
					render.LimitsDescription,
				Optional: true,
			},
			"variables": schema.MapAttribute{
				MarkdownDescription: "Extra template variables for custom catalogs and overrides, by upper-case name (`SLACK_CHANNEL`). " +
					"Built-in variables (`" + strings.Join(render.BuiltinVariables, "`, `") + "` and the tier's " +
					"`<ENGINE>_CPU_CORES`, `_MEMORY_GB`, `_STORAGE_GB`, `_MAX_CONNECTIONS`, `_IOPS`) cannot be redefined.",
				ElementType: types.StringType,
				Optional:    true,
			},
			"regulations": schema.SetAttribute{
				MarkdownDescription: "Regulations the tenant claims: `" + strings.Join(catalog.Regulations, "`, `") + "`. " +
					"Each must be allowed by the tier, and its needs must hold: HIPAA and PCI-DSS need encryption at rest " +
					"and in transit, SOX and PCI-DSS need auditing, GDPR needs a retention period and the right to erasure. " +
					"Sets `compliance.regulations`; do not set that path in `overrides` as well.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(stringvalidator.OneOf(catalog.Regulations...))},
			},
			"allow_downgrade": schema.BoolAttribute{
				MarkdownDescription: "Allow a migration to a tier of lower rank. Without it such a migration fails at plan time; " +
					"with it the plan succeeds with a warning that lists what the tenant loses. Defaults to `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"rendered_json": schema.StringAttribute{
				MarkdownDescription: "The full rendered configuration as canonical JSON (keys sorted, compact): byte-identical for " +
					"identical inputs, every value that came from a sensitive input shown as `" + render.SensitiveMarker + "`. Known at plan " +
					"time when every input is known; unknown otherwise. `terraform plan` shows a change of it as a diff of the values that " +
					"changed. Read it with `jsondecode()` (or `yamldecode()`, which reads JSON too).",
				Computed: true,
			},
			"checksum": schema.StringAttribute{
				MarkdownDescription: "SHA-256 (hex) of `rendered_json`.",
				Computed:            true,
			},
			"limits": schema.SingleNestedAttribute{
				MarkdownDescription: "Subscription limits of the rendered configuration.",
				Computed:            true,
				Attributes:          resourceAttributes(limitsFields),
			},
			"databases": schema.MapNestedAttribute{
				MarkdownDescription: "Engines of the rendered configuration, by name (`" + strings.Join(catalog.Engines, "`, `") + "`).",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: resourceAttributes(databaseFields)},
			},
			"isolation": schema.SingleNestedAttribute{
				MarkdownDescription: "Names that keep the tenant's data apart, derived from `tenant_id`.",
				Computed:            true,
				Attributes:          resourceAttributes(isolationFields),
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the tenant configuration was created (or imported), RFC 3339 in UTC. Kept across updates and tier migrations.",
				Computed:            true,
			},
			"sensitive_overrides": schema.DynamicAttribute{
				MarkdownDescription: "Object merged after `overrides`, with the same rules, for secrets: passwords, tokens, webhook URLs. " +
					"Every value it sets is shown as `" + render.SensitiveMarker + "` in `rendered_json`, the summaries and every message and log; " +
					"the real value is only in `rendered_json_sensitive` and `encrypted_yaml`. The secret keys of the configuration " +
					"(`databases.<engine>.password`, `databases.<engine>.connection_string`, `monitoring.alerts.webhook_url`) can only be set here.",
				Optional:  true,
				Sensitive: true,
			},
			"sensitive_variables": schema.MapAttribute{
				MarkdownDescription: "Template variables whose values are secrets, used as `${NAME}` like `variables`. A string that uses one " +
					"is shown as `" + render.SensitiveMarker + "` as a whole.",
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
			},
			"encrypt_to": schema.ListAttribute{
				MarkdownDescription: "age X25519 recipients (`age1...`) that may read the full configuration: `encrypted_yaml` is encrypted to them.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.List{listvalidator.ValueStringsAre(ageRecipientValidator{})},
			},
			"rendered_json_sensitive": schema.StringAttribute{
				MarkdownDescription: "The full rendered configuration, secrets included, as canonical JSON. Known at plan time like `rendered_json`. " +
					"Null when the tenant has no secrets (neither `sensitive_overrides` nor `sensitive_variables` sets a value): `rendered_json` is then " +
					"the full configuration, and state holds it once. `coalesce(rendered_json_sensitive, rendered_json)` is the full configuration in every case.",
				Computed:  true,
				Sensitive: true,
			},
			"encrypted_yaml": schema.StringAttribute{
				MarkdownDescription: "The full configuration, secrets included, as canonical YAML (the product's own format, for applications) in an " +
					"ASCII-armored [age](https://age-encryption.org) file for the `encrypt_to` recipients; null without them. It stays the same while " +
					"the full configuration and the recipients do, and is made anew (at apply) when either changes.",
				Computed: true,
			},
		},
	}
}

func (r *tenantConfigResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks what needs no catalog; it runs before the provider is
// configured, so catalog-dependent checks wait for ModifyPlan.
func (r *tenantConfigResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	// Only two attributes are checked: reading just them spares converting
	// the whole configuration into the model, which Terraform has this
	// method do for every tenant of a plan.
	var timezone types.String
	var overrides types.Dynamic
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timezone"), &timezone)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("overrides"), &overrides)...)
	if resp.Diagnostics.HasError() {
		return
	}
	tz, err := timezone.ToTerraformValue(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Invalid configuration", err.Error()+". This is a bug in the provider.")
		return
	}
	ov, err := overrides.ToTerraformValue(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Invalid configuration", err.Error()+". This is a bug in the provider.")
		return
	}
	checkConfig(tz, ov, &resp.Diagnostics)
}

// checkConfig checks the configuration's timezone and overrides, as
// Terraform sends them, for what needs no catalog.
func checkConfig(timezone, overrides tftypes.Value, diags *diag.Diagnostics) {
	var tz string
	if timezone.IsKnown() && !timezone.IsNull() && timezone.As(&tz) == nil {
		if err := render.CheckTimezone(tz); err != nil {
			diags.AddAttributeError(path.Root("timezone"), "Unknown time zone",
				fmt.Sprintf("%s is not an IANA time zone name. Use a name such as UTC, Europe/Berlin or America/New_York.", render.QuoteShort(tz)))
		}
	}
	if overrides.IsFullyKnown() && !overrides.IsNull() && !overrides.Type().Is(tftypes.Object{}) && !overrides.Type().Is(tftypes.Map{}) {
		diags.AddAttributeError(path.Root("overrides"), "Overrides must be an object",
			"Set overrides to an object whose keys are sections of the configuration, for example { monitoring = { alerts = { storage_threshold = 90 } } }.")
	}
	checkOverrideKeyValues(overrides, diags)
}

func (r *tenantConfigResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy: never needs the catalog
	}
	ctx = tflog.NewSubsystem(ctx, logSubsystem)
	var plan tenantConfigModelV1
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	// Of the configuration only region matters here (is it set?).
	var cfgRegion types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("region"), &cfgRegion)...)
	var prior *tenantConfigModelV1
	if !req.State.Raw.IsNull() {
		prior = &tenantConfigModelV1{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	var stamp *renderStamp
	if prior != nil {
		stamp = readStamp(ctx, req.Private)
	}
	if !r.plan(ctx, &plan, cfgRegion.IsNull(), prior, req.Plan.Raw.Equal(req.State.Raw), stamp, &resp.Diagnostics) {
		return // the plan keeps the state
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// plan computes the planned values of m, the proposed new state, given
// whether the configuration leaves region unset, the prior state (nil on
// create), whether the proposed state is the prior one, and the stamp of the
// prior render (nil when there is none). It reports false
// when the plan is the prior state as it is: an unchanged tenant whose tier
// the catalog no longer has, which keeps its last render and can be
// destroyed.
func (r *tenantConfigResource) plan(ctx context.Context, m *tenantConfigModelV1, regionUnset bool, prior *tenantConfigModelV1, unchanged bool, stamp *renderStamp, diags *diag.Diagnostics) bool {
	if prior != nil && unchanged && r.retiredTier(prior.Tier, diags) {
		return false
	}
	m.ID = m.TenantID
	if regionUnset {
		m.Region = types.StringUnknown()
		if r.data != nil {
			m.Region = r.data.defaultRegion
		}
	}
	m.CreatedAt = types.StringUnknown()
	if prior != nil && validTime(prior.CreatedAt) {
		m.CreatedAt = prior.CreatedAt
	}
	r.render(ctx, m, prior, stamp, diags)
	return true
}

// render fills the computed attributes of m from its inputs. With an input
// unknown (or the provider's configuration unknown) they are all unknown,
// never a prior value. prior is the state before a change, nil on create;
// when stamp proves that prior was rendered from the same inputs, catalog and
// build, prior's rendering is the plan (reuseRender).
func (r *tenantConfigResource) render(ctx context.Context, m *tenantConfigModelV1, prior *tenantConfigModelV1, stamp *renderStamp, diags *diag.Diagnostics) {
	if r.data == nil || r.data.catalog == nil || !inputsKnown(ctx, m) {
		checkOverrideKeys(ctx, m.Overrides, diags) // what is known of overrides is checked now
		setUnknown(m)
		return
	}
	in, ok := renderInput(ctx, m, diags)
	if !ok {
		return
	}
	if r.reuseRender(ctx, m, prior, stamp, in, diags) {
		return
	}
	ctx, res := r.renderResult(ctx, in, diags)
	if res == nil {
		return
	}
	if prior != nil && !prior.Tier.IsNull() && prior.Tier.ValueString() != m.Tier.ValueString() {
		from := prior.Tier.ValueString()
		mig := render.CheckMigration(r.data.catalog, from, prior.RenderedJSON.ValueString(), m.Tier.ValueString(), res, m.AllowDowngrade.ValueBool())
		tflog.SubsystemInfo(ctx, logSubsystem, "tier migration planned", map[string]any{
			"tenant_id": m.TenantID.ValueString(), "from_tier": from, "to_tier": m.Tier.ValueString(), "downgrade": mig.Downgrade, "losses": mig.Losses,
		})
		if mig.Problem != nil {
			addProblems(diags, render.Problems{*mig.Problem})
			return
		}
		if w := mig.Warning; w != nil {
			diags.AddAttributeWarning(problemPath(*w), w.Summary, problemDetail(*w))
		}
	}
	for _, w := range res.Warnings {
		diags.AddAttributeWarning(problemPath(w), w.Summary, problemDetail(w))
	}
	diags.Append(setResult(m, res)...)
	m.EncryptedYAML = plannedCiphertext(m, prior)
}

// renderResult renders in and checks that the engines can enforce the
// result; nil after a problem. The context it returns masks the tenant's
// secrets in log lines.
func (r *tenantConfigResource) renderResult(ctx context.Context, in render.Input, diags *diag.Diagnostics) (context.Context, *render.Result) {
	ctx = maskSecrets(ctx, render.SecretStrings(in))
	res, problems := render.Render(r.data.catalog, in)
	if len(problems) == 0 {
		problems = provisionProblems(res)
	}
	if len(problems) > 0 {
		tflog.SubsystemWarn(ctx, logSubsystem, "tenant configuration failed validation", map[string]any{
			"tenant_id": in.TenantID, "tier": in.Tier, "problems": len(problems), "first_problem": problems[0].Error(),
		})
		addProblems(diags, problems)
		return ctx, nil
	}
	return ctx, res
}

// plannedCiphertext is the encrypted_yaml of a plan: null without
// recipients, the prior ciphertext while the full configuration and the
// recipients are unchanged, else unknown (encrypted at apply, since each
// encryption is new).
func plannedCiphertext(m, prior *tenantConfigModelV1) types.String {
	switch {
	case m.EncryptTo.IsNull() || len(m.EncryptTo.Elements()) == 0:
		return types.StringNull()
	case prior != nil && !prior.EncryptedYAML.IsNull() && !prior.EncryptedYAML.IsUnknown() &&
		prior.RenderedJSON.Equal(m.RenderedJSON) && prior.RenderedJSONSensitive.Equal(m.RenderedJSONSensitive) &&
		prior.EncryptTo.Equal(m.EncryptTo):
		return prior.EncryptedYAML
	}
	return types.StringUnknown()
}

// ImportState accepts <tenant_id>:<tier>[:<environment>]. The tenant's name
// starts as its id, so that a generated configuration plans; the rendered
// configuration follows on the next plan, from the resource's configuration.
func (r *tenantConfigResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var cat *catalog.Catalog
	if r.data != nil {
		cat = r.data.catalog
	}
	id, problems := render.ParseImportID(cat, req.ID)
	for _, p := range problems {
		resp.Diagnostics.AddError(p.Summary, p.Detail)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	m := tenantConfigModelV1{
		ID:             types.StringValue(id.TenantID),
		TenantID:       types.StringValue(id.TenantID),
		TenantName:     types.StringValue(id.TenantID),
		Tier:           types.StringValue(id.Tier),
		Environment:    types.StringValue(id.Environment),
		Region:         types.StringNull(),
		Timezone:       types.StringValue("UTC"),
		Overrides:      types.DynamicNull(),
		Variables:      types.MapNull(types.StringType),
		Regulations:    types.SetNull(types.StringType),
		AllowDowngrade: types.BoolValue(false),
		RenderedJSON:   types.StringNull(),
		Checksum:       types.StringNull(),
		Limits:         types.ObjectNull(limitsAttrTypes),
		Databases:      types.MapNull(types.ObjectType{AttrTypes: databaseAttrTypes}),
		Isolation:      types.ObjectNull(isolationAttrTypes),
		CreatedAt:      types.StringValue(r.now()),

		SensitiveOverrides:    types.DynamicNull(),
		SensitiveVariables:    types.MapNull(types.StringType),
		EncryptTo:             types.ListNull(types.StringType),
		RenderedJSONSensitive: types.StringNull(),
		EncryptedYAML:         types.StringNull(),
	}
	if r.data != nil && !r.data.defaultRegion.IsUnknown() {
		m.Region = r.data.defaultRegion
	}
	tflog.SubsystemInfo(tflog.NewSubsystem(ctx, logSubsystem), logSubsystem, "tenant configuration imported",
		map[string]any{"tenant_id": id.TenantID, "tier": id.Tier, "environment": id.Environment})
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *tenantConfigResource) now() string {
	clock := time.Now
	if r.data != nil && r.data.clock != nil {
		clock = r.data.clock
	}
	return clock().UTC().Format(time.RFC3339)
}

// validTime reports whether a created_at in state is a known RFC 3339 time;
// one that is not is set anew at the next apply.
func validTime(s types.String) bool {
	if s.IsNull() || s.IsUnknown() {
		return false
	}
	_, err := time.Parse(time.RFC3339, s.ValueString())
	return err == nil
}

func (r *tenantConfigResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.apply(ctx, req.Plan, nil, nil, &resp.State, resp.Private, &resp.Diagnostics)
}

// Read returns the state unchanged: state is the system of record, and the
// framework hands Read a response that already holds it.
func (r *tenantConfigResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {
}

func (r *tenantConfigResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.apply(ctx, req.Plan, &req.State, req.Private, &resp.State, resp.Private, &resp.Diagnostics)
}

// apply writes the planned configuration into state. It renders what the
// plan could not (the provider's configuration was unknown at plan time),
// encrypts the full configuration when the plan left encrypted_yaml unknown,
// sets created_at when the state has no valid one, and stamps the render
// into the private state (priorPrivate holds the prior stamp, nil on
// create).
func (r *tenantConfigResource) apply(ctx context.Context, plan tfsdk.Plan, prior *tfsdk.State, priorPrivate privateData, state *tfsdk.State, private privateData, diags *diag.Diagnostics) {
	ctx = tflog.NewSubsystem(ctx, logSubsystem)
	var m tenantConfigModelV1
	diags.Append(plan.Get(ctx, &m)...)
	var old *tenantConfigModelV1
	if prior != nil {
		old = &tenantConfigModelV1{}
		diags.Append(prior.Get(ctx, old)...)
	}
	if diags.HasError() {
		return
	}
	if m.Region.IsUnknown() && r.data != nil {
		m.Region = r.data.defaultRegion
	}
	if m.RenderedJSON.IsUnknown() {
		r.render(ctx, &m, old, nil, diags)
		if diags.HasError() {
			return
		}
		if m.RenderedJSON.IsUnknown() {
			diags.AddError("Configuration cannot be rendered",
				"An input of the tenant configuration or the provider's configuration is still unknown at apply time. This is a bug in the provider: please report it.")
			return
		}
	}
	m.ID = m.TenantID
	if m.CreatedAt.IsUnknown() {
		m.CreatedAt = types.StringValue(r.now())
	}
	if m.EncryptedYAML.IsUnknown() {
		m.EncryptedYAML = plannedCiphertext(&m, nil)
	}
	if m.EncryptedYAML.IsUnknown() && !r.encrypt(ctx, &m, diags) {
		return
	}
	fields := map[string]any{"tenant_id": m.TenantID.ValueString(), "tier": m.Tier.ValueString(), "checksum": m.Checksum.ValueString()}
	switch {
	case old == nil:
		tflog.SubsystemInfo(ctx, logSubsystem, "tenant configuration created", fields)
	case old.Tier.ValueString() != m.Tier.ValueString():
		fields["from_tier"] = old.Tier.ValueString()
		tflog.SubsystemInfo(ctx, logSubsystem, "tenant migrated", fields)
	default:
		tflog.SubsystemInfo(ctx, logSubsystem, "tenant configuration modified", fields)
	}
	diags.Append(state.Set(ctx, &m)...)
	var salt []byte
	if priorPrivate != nil {
		if prev := readStamp(ctx, priorPrivate); prev != nil {
			salt = prev.Salt
		}
	}
	r.writeStamp(ctx, &m, salt, private, diags)
}

// encrypt sets encrypted_yaml: the full configuration as canonical YAML,
// encrypted to the recipients. The YAML comes from the same render as the
// planned rendered_json, which it must match.
func (r *tenantConfigResource) encrypt(ctx context.Context, m *tenantConfigModelV1, diags *diag.Diagnostics) bool {
	in, ok := renderInput(ctx, m, diags)
	if !ok {
		return false
	}
	_, res := r.renderResult(ctx, in, diags)
	if res == nil {
		return false
	}
	if res.JSON != m.RenderedJSON.ValueString() {
		diags.AddError("Configuration cannot be encrypted",
			"The configuration rendered at apply time differs from the planned one. This is a bug in the provider: please report it.")
		return false
	}
	text, err := res.FullYAML()
	var recipients []string
	diags.Append(m.EncryptTo.ElementsAs(ctx, &recipients, false)...)
	var armored string
	if err == nil && !diags.HasError() {
		armored, err = encryptYAML(text, recipients)
	}
	if err != nil {
		diags.AddAttributeError(path.Root("encrypt_to"), "Cannot encrypt the configuration", err.Error())
		return false
	}
	m.EncryptedYAML = types.StringValue(armored)
	return !diags.HasError()
}

func (r *tenantConfigResource) Delete(ctx context.Context, req resource.DeleteRequest, _ *resource.DeleteResponse) {
	var tenantID, tier types.String
	req.State.GetAttribute(ctx, path.Root("tenant_id"), &tenantID)
	req.State.GetAttribute(ctx, path.Root("tier"), &tier)
	tflog.SubsystemInfo(tflog.NewSubsystem(ctx, logSubsystem), logSubsystem, "tenant configuration deleted",
		map[string]any{"tenant_id": tenantID.ValueString(), "tier": tier.ValueString()})
}

// defaultTierNames lists the embedded catalog's tiers for documentation.
func defaultTierNames() []string {
	cat, err := catalog.Default()
	if err != nil {
		return nil
	}
	return cat.Names()
}

// tenantNameValidator checks a tenant name: 1 to 200 characters, no control
// characters.
type tenantNameValidator struct{}

func (tenantNameValidator) Description(context.Context) string {
	return "1 to 200 characters, no control characters"
}

func (v tenantNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (tenantNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := render.CheckTenantName(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid tenant name", msg)
	}
}
