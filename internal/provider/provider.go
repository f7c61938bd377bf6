// Package provider maps Terraform values to the tenant rendering engine and
// its results and problems back to Terraform. The engine lives in the
// framework-free packages catalog, render and tree.
package provider

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/provision"
	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

var (
	_ provider.Provider              = (*tenantProvider)(nil)
	_ provider.ProviderWithFunctions = (*tenantProvider)(nil)
)

// Environment variables the provider reads when its arguments are unset.
const (
	envTemplatesDir  = "TENANT_TEMPLATES_DIR"
	envDefaultRegion = "TENANT_DEFAULT_REGION"
	defaultRegion    = "us-east-1"
	logSubsystem     = "tenant"
)

// New returns the provider factory for a version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &tenantProvider{version: version, clock: time.Now}
	}
}

type tenantProvider struct {
	version string
	// clock stamps created_at; tests replace it through newWithClock.
	clock func() time.Time
}

// providerData is what Configure hands to resources and data sources.
type providerData struct {
	// catalog is nil when the provider's arguments were unknown at plan
	// time: rendering is then deferred to apply.
	catalog       *catalog.Catalog
	defaultRegion types.String
	clock         func() time.Time
	// build names the provider's build for render fingerprints
	// (buildIdentity); "" never reuses a render.
	build string
	// redis is the server of the redis block, connected on first use.
	redis *redisServer
	// postgres connects to the postgresql block's server when a
	// tenant_postgresql first needs it.
	postgres *pgConnector
}

type providerModelV0 struct {
	TemplatesDir  types.String       `tfsdk:"templates_dir"`
	DefaultRegion types.String       `tfsdk:"default_region"`
	PostgreSQL    *postgresqlModelV0 `tfsdk:"postgresql"`
	Redis         types.Object       `tfsdk:"redis"`
}

func (p *tenantProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "tenant"
	resp.Version = p.version
}

func (p *tenantProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The tenant provider renders each tenant's database configuration of a multi-tenant SaaS " +
			"from its subscription tier at plan time. It has no remote API: Terraform state is the system of record.",
		Attributes: map[string]schema.Attribute{
			"templates_dir": schema.StringAttribute{
				MarkdownDescription: "Directory of a custom tier catalog: `*.yml` files in the format of the embedded catalog. " +
					"A file replaces the embedded file of the same name; a new file adds a tier, which may `extends:` any other. " +
					"Use a path inside the configuration (for example `\"${path.module}/tiers\"`) so that remote runs find it. " +
					"The catalog is loaded and checked once, when the provider is configured; errors name the file and line. " +
					"Defaults to the `" + envTemplatesDir + "` environment variable, then to the embedded catalog.",
				Optional: true,
			},
			"default_region": schema.StringAttribute{
				MarkdownDescription: "Region of tenants whose `region` is unset. Defaults to the `" + envDefaultRegion +
					"` environment variable, then to `" + defaultRegion + "`.",
				Optional: true,
			},
		},
		Blocks: map[string]schema.Block{
			"postgresql": postgresqlBlock(),
			"redis":      redisBlockSchema(),
		},
	}
}

func (p *tenantProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	ctx = tflog.NewSubsystem(ctx, logSubsystem)
	var cfg providerModelV0
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data := &providerData{clock: p.clock, build: buildIdentity(p.version), postgres: newPGConnector(cfg.PostgreSQL)}
	data.redis = configureRedis(ctx, cfg.Redis, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	switch {
	case cfg.DefaultRegion.IsUnknown():
		data.defaultRegion = types.StringUnknown()
	case !cfg.DefaultRegion.IsNull():
		data.defaultRegion = cfg.DefaultRegion
	case os.Getenv(envDefaultRegion) != "":
		data.defaultRegion = types.StringValue(os.Getenv(envDefaultRegion))
	default:
		data.defaultRegion = types.StringValue(defaultRegion)
	}

	if cfg.TemplatesDir.IsUnknown() {
		tflog.SubsystemDebug(ctx, logSubsystem, "templates_dir is unknown: rendering is deferred to apply")
		resp.ResourceData, resp.DataSourceData = data, data
		return
	}
	dir := cfg.TemplatesDir.ValueString()
	if cfg.TemplatesDir.IsNull() {
		dir = os.Getenv(envTemplatesDir)
	}
	cat, err := loadCatalog(dir)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("templates_dir"), "Invalid tier catalog",
			"The tier catalog cannot be used: "+err.Error()+"\n\nFix the file named above. The custom catalog guide of this provider's "+
				"documentation describes the format, and the built-in catalog can be copied as a starting point.")
		return
	}
	data.catalog = cat
	tflog.SubsystemInfo(ctx, logSubsystem, "tier catalog loaded", map[string]any{"source": cat.Source, "tiers": cat.Names()})
	resp.ResourceData, resp.DataSourceData = data, data
}

// loadCatalog returns the embedded catalog, or the custom one in dir,
// checked by rendering every tier once.
func loadCatalog(dir string) (*catalog.Catalog, error) {
	load := catalog.Default
	if dir != "" {
		load = func() (*catalog.Catalog, error) { return catalog.LoadDir(dir) }
	}
	cat, err := load()
	if err != nil {
		return nil, err
	}
	if err := render.CheckCatalog(cat); err != nil {
		return nil, err
	}
	if err := provision.CheckCatalog(cat); err != nil {
		return nil, err
	}
	return cat, nil
}

func (p *tenantProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newTenantConfigResource, newTenantPostgreSQLResource, newTenantRedisResource}
}

func (p *tenantProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newTenantTierDataSource, newTenantTiersDataSource}
}

func (p *tenantProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{newValidateAccessFunction, newExportFunction, newProvisioningFunction}
}

// providerDataOf is what Configure handed to a resource or data source: nil
// before the provider is configured, and an error for anything else.
func providerDataOf(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider.", data))
	}
	return pd
}
