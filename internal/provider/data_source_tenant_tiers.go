package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = (*tenantTiersDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*tenantTiersDataSource)(nil)
)

func newTenantTiersDataSource() datasource.DataSource {
	return &tenantTiersDataSource{}
}

type tenantTiersDataSource struct {
	data *providerData
}

type tenantTiersModelV0 struct {
	Names types.List `tfsdk:"names"`
	Tiers types.List `tfsdk:"tiers"`
}

var tierSummaryAttrTypes = map[string]attr.Type{"name": types.StringType, "rank": types.Int64Type, "description": types.StringType}

func (d *tenantTiersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tiers"
}

func (d *tenantTiersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every tier of the catalog, ordered by rank (then name), custom tiers included.",
		Attributes: map[string]schema.Attribute{
			"names": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Tier names ordered by rank: `[\"free\", \"standard\", \"premium\", \"enterprise\"]` with the embedded catalog.",
			},
			"tiers": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "Every tier with its rank and description, ordered like `names`.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "Tier name."},
					"rank":        schema.Int64Attribute{Computed: true, MarkdownDescription: "Tier rank."},
					"description": schema.StringAttribute{Computed: true, MarkdownDescription: "What the tier is for."},
				}},
			},
		},
	}
}

func (d *tenantTiersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = dataSourceProviderData(req, resp)
}

func (ds *tenantTiersDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	cat := catalogOf(ds.data, &resp.Diagnostics)
	if cat == nil {
		return
	}
	var m tenantTiersModelV0
	var d diag.Diagnostics
	m.Names, d = types.ListValueFrom(ctx, types.StringType, cat.Names())
	resp.Diagnostics.Append(d...)
	tiers := make([]attr.Value, 0, len(cat.Tiers()))
	for _, t := range cat.Tiers() {
		o, d := types.ObjectValue(tierSummaryAttrTypes, map[string]attr.Value{
			"name": types.StringValue(t.Name), "rank": types.Int64Value(int64(t.Rank)), "description": types.StringValue(t.Description),
		})
		resp.Diagnostics.Append(d...)
		tiers = append(tiers, o)
	}
	m.Tiers, d = types.ListValue(types.ObjectType{AttrTypes: tierSummaryAttrTypes}, tiers)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
