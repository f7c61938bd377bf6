package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/render"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

var (
	_ datasource.DataSource              = (*tenantTierDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*tenantTierDataSource)(nil)
)

func newTenantTierDataSource() datasource.DataSource {
	return &tenantTierDataSource{}
}

type tenantTierDataSource struct {
	data *providerData
}

var (
	supportAttrTypes = map[string]attr.Type{"level": types.StringType, "response_time_hours": types.Int64Type}
	backupAttrTypes  = map[string]attr.Type{
		"enabled": types.BoolType, "full_schedule": types.StringType, "incremental_schedule": types.StringType,
		"retention_days": types.Int64Type, "point_in_time_recovery": types.BoolType,
	}
)

type tenantTierModelV0 struct {
	Name               types.String `tfsdk:"name"`
	Rank               types.Int64  `tfsdk:"rank"`
	Description        types.String `tfsdk:"description"`
	Limits             types.Object `tfsdk:"limits"`
	Databases          types.Map    `tfsdk:"databases"`
	Support            types.Object `tfsdk:"support"`
	MonitoringLevel    types.String `tfsdk:"monitoring_level"`
	Backup             types.Object `tfsdk:"backup"`
	EncryptionRequired types.Bool   `tfsdk:"encryption_required"`
	AuditRequired      types.Bool   `tfsdk:"audit_required"`
	Regulations        types.List   `tfsdk:"regulations"`
	QoSPriority        types.String `tfsdk:"qos_priority"`
}

func (d *tenantTierDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tier"
}

func (d *tenantTierDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One tier of the catalog: its rank, limits, per-engine ceilings and what it requires and offers. " +
			"Values come from the tier's metadata and from the configuration it renders for a tenant that overrides nothing.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Tier name: `" + strings.Join(defaultTierNames(), "`, `") + "` in the embedded catalog, or a tier of a custom `templates_dir`.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"rank":        schema.Int64Attribute{Computed: true, MarkdownDescription: "Rank of the tier: a higher rank is a higher tier; a migration to a lower rank is a downgrade."},
			"description": computed("What the tier is for."),
			"limits": schema.SingleNestedAttribute{
				Computed: true, MarkdownDescription: "Subscription limits: a tenant's `subscription` figures cannot exceed them.",
				Attributes: dataSourceAttributes(limitsFields),
			},
			"databases": schema.MapNestedAttribute{
				Computed: true,
				MarkdownDescription: "Ceilings of each engine the tier offers, by engine name. A tenant may exceed a ceiling by the " +
					"tier's tolerance (10 % in the embedded catalog); enterprise ceilings are defaults that may be raised.",
				NestedObject: schema.NestedAttributeObject{Attributes: dataSourceAttributes(ceilingFields)},
			},
			"support": schema.SingleNestedAttribute{
				Computed: true, MarkdownDescription: "Support level and response time.",
				Attributes: map[string]schema.Attribute{
					"level":               computed("`community`, `standard`, `priority` or `dedicated`."),
					"response_time_hours": schema.Int64Attribute{Computed: true, MarkdownDescription: "Guaranteed first response in hours; null for community support."},
				},
			},
			"monitoring_level": computed("Monitoring level: `basic`, `standard`, `premium` or `enterprise`."),
			"backup": schema.SingleNestedAttribute{
				Computed: true, MarkdownDescription: "Backups of the tier.",
				Attributes: map[string]schema.Attribute{
					"enabled":                schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the tier backs up tenants."},
					"full_schedule":          computed("Cron schedule of full backups; null without backups."),
					"incremental_schedule":   computed("Cron schedule of incremental backups; null without backups."),
					"retention_days":         schema.Int64Attribute{Computed: true, MarkdownDescription: "Days backups are kept; null without backups."},
					"point_in_time_recovery": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether point-in-time recovery is enabled."},
				},
			},
			"encryption_required": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether encryption is required: a tenant cannot switch it off."},
			"audit_required":      schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether auditing is required: a tenant cannot switch it off."},
			"regulations":         schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Regulations a tenant of the tier may claim."},
			"qos_priority":        computed("Quality-of-service priority: `low`, `normal`, `high` or `highest`."),
		},
	}
}

func (d *tenantTierDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = dataSourceProviderData(req, resp)
}

func dataSourceProviderData(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) *providerData {
	return providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (d *tenantTierDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m tenantTierModelV0
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cat := catalogOf(d.data, &resp.Diagnostics)
	if cat == nil {
		return
	}
	t, ok := cat.Tier(m.Name.ValueString())
	if !ok {
		resp.Diagnostics.AddAttributeError(path.Root("name"), fmt.Sprintf("Unknown tier %q", m.Name.ValueString()),
			fmt.Sprintf("The catalog's tiers are %s.%s", strings.Join(cat.Names(), ", "), suggestion(m.Name.ValueString(), cat.Names())))
		return
	}
	info, problems := render.DescribeTier(cat, t, defaultEnvironment)
	if len(problems) > 0 {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Tier cannot be rendered", problems.Error())
		return
	}
	resp.Diagnostics.Append(fillTier(&m, info)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func fillTier(m *tenantTierModelV0, t render.TierInfo) diag.Diagnostics {
	var diags, d diag.Diagnostics
	m.Rank = types.Int64Value(t.Rank)
	m.Description = types.StringValue(t.Description)
	m.Limits, d = limitsValue(t.Limits)
	diags.Append(d...)
	dbs := map[string]attr.Value{}
	for e, c := range t.Databases {
		dbs[e], d = types.ObjectValue(ceilingAttrTypes, map[string]attr.Value{
			"cpu_cores":       types.Float64PointerValue(c.CPUCores),
			"memory_gb":       types.Float64PointerValue(c.MemoryGB),
			"storage_gb":      types.Float64PointerValue(c.StorageGB),
			"max_connections": types.Int64PointerValue(c.MaxConnections),
			"iops":            types.Int64PointerValue(c.IOPS),
			"deployment":      types.StringPointerValue(c.Deployment),
			"isolation":       types.StringPointerValue(c.Isolation),
		})
		diags.Append(d...)
	}
	m.Databases, d = types.MapValue(types.ObjectType{AttrTypes: ceilingAttrTypes}, dbs)
	diags.Append(d...)
	m.Support, d = types.ObjectValue(supportAttrTypes, map[string]attr.Value{
		"level":               types.StringPointerValue(t.SupportLevel),
		"response_time_hours": types.Int64PointerValue(t.ResponseTimeHours),
	})
	diags.Append(d...)
	m.MonitoringLevel = types.StringPointerValue(t.MonitoringLevel)
	m.Backup, d = types.ObjectValue(backupAttrTypes, map[string]attr.Value{
		"enabled":                types.BoolValue(t.Backup.Enabled),
		"full_schedule":          types.StringPointerValue(t.Backup.FullSchedule),
		"incremental_schedule":   types.StringPointerValue(t.Backup.Incremental),
		"retention_days":         types.Int64PointerValue(t.Backup.RetentionDays),
		"point_in_time_recovery": types.BoolValue(t.Backup.PointInTimeRecoveryEnabled),
	})
	diags.Append(d...)
	m.EncryptionRequired = types.BoolValue(t.EncryptionRequired)
	m.AuditRequired = types.BoolValue(t.AuditRequired)
	m.Regulations, d = types.ListValueFrom(context.Background(), types.StringType, t.Regulations)
	diags.Append(d...)
	m.QoSPriority = types.StringPointerValue(t.QoSPriority)
	return diags
}

// catalogOf returns the configured catalog, or adds an error saying why
// there is none.
func catalogOf(data *providerData, diags *diag.Diagnostics) *catalog.Catalog {
	if data == nil || data.catalog == nil {
		diags.AddError("Provider not configured",
			"The tier catalog is not loaded yet: the provider's templates_dir is unknown. Data sources that read the catalog need a templates_dir known at plan time.")
		return nil
	}
	return data.catalog
}

func suggestion(word string, candidates []string) string {
	if s := tree.DidYouMean(word, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}
