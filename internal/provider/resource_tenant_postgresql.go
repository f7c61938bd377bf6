package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tenantry/terraform-provider-tenant/internal/provision"
	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

var (
	_ resource.Resource                = (*tenantPostgreSQLResource)(nil)
	_ resource.ResourceWithConfigure   = (*tenantPostgreSQLResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*tenantPostgreSQLResource)(nil)
	_ resource.ResourceWithImportState = (*tenantPostgreSQLResource)(nil)
)

func newTenantPostgreSQLResource() resource.Resource {
	return &tenantPostgreSQLResource{}
}

type tenantPostgreSQLResource struct {
	data *providerData
}

// tenantPostgreSQLModelV0 is the resource's state at schema version 0.
type tenantPostgreSQLModelV0 struct {
	ID                 types.String `tfsdk:"id"`
	Config             types.String `tfsdk:"config"`
	OwnerMembers       types.Set    `tfsdk:"owner_members"`
	PasswordsWO        types.Map    `tfsdk:"passwords_wo"`
	PasswordsWOVersion types.Int64  `tfsdk:"passwords_wo_version"`
	DeletionPolicy     types.String `tfsdk:"deletion_policy"`
	Privileges         types.Set    `tfsdk:"privileges"`
}

func (r *tenantPostgreSQLResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_postgresql"
}

func (r *tenantPostgreSQLResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Version: 0,
		MarkdownDescription: "Enforces one tenant's isolation on a database of the provider's `postgresql` server, and keeps it " +
			"enforced. Apply creates or converges, in one transaction serialised against the other tenants' applies: the role " +
			"`<id>_owner` (NOLOGIN) that owns the schemas `<id>_data`, `<id>_analytics` and `<id>_audit`, the login roles " +
			"`<id>_admin` and `<id>_user` with the tier's connection limit, exactly the tier's privileges on the schemas and on " +
			"their existing and future tables and sequences, and the members of `<id>_owner` that `owner_members` lists. " +
			"Every other privilege on the tenant's objects (to PUBLIC, to other roles, on columns, in default privileges) and " +
			"every other membership of its roles is revoked. Every refresh reads the catalog back into `privileges`, so an " +
			"out-of-band grant or revoke shows in `terraform plan` and the next apply repairs it. Passwords are set only from " +
			"`passwords_wo` when `passwords_wo_version` changes, and never reset otherwise.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<database>/<tenant_id>`. Import with the same id: `terraform import tenant_postgresql.x app/acme`.",
				Computed:            true,
			},
			"config": schema.StringAttribute{
				MarkdownDescription: "The tenant's rendered configuration: `tenant_config.<name>.rendered_json` (the same config as " +
					"YAML works too). The tenant id, the schema names, the tier's privileges and connection limit come from it. A change " +
					"of tier converges the tenant in place; a change of tenant id replaces it.",
				Required: true,
			},
			"owner_members": schema.SetAttribute{
				MarkdownDescription: "Roles that are members of `<id>_owner` and so may `SET ROLE` to it, such as the role that runs " +
					"the tenant's schema migrations. The roles must exist. Any other membership in or of the tenant's roles is drift " +
					"and is revoked.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(stringvalidator.LengthBetween(1, 63))},
			},
			"passwords_wo": schema.MapAttribute{
				MarkdownDescription: "Passwords of the login roles by kind: `admin` (`<id>_admin`) and `user` (`<id>_user`). " +
					"Write-only (Terraform 1.11 or later): never stored in the plan or the state. They are set when the resource is " +
					"created and whenever `passwords_wo_version` changes, and never otherwise, so a tier migration or a drift repair " +
					"keeps the passwords. Only a SCRAM-SHA-256 verifier is sent to the server, never the password's text. A login " +
					"role without a password cannot log in.",
				ElementType: types.StringType,
				Optional:    true,
				WriteOnly:   true,
				Sensitive:   true,
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.OneOf(provision.PasswordKinds...)),
					mapvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
				},
			},
			"passwords_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Changing it sets `passwords_wo` again: the way to rotate the passwords. Without a change, apply " +
					"never touches a password.",
				Optional: true,
			},
			"deletion_policy": schema.StringAttribute{
				MarkdownDescription: "What destroying the resource does: `RESTRICT` (default) refuses, changing nothing and naming " +
					"them, while the tenant's schemas hold tables, and otherwise drops the schemas and roles; `CASCADE` drops the " +
					"schemas with their data; `ABANDON` only removes the resource from the state. Every policy but `ABANDON` ends the " +
					"login roles' sessions and drops the tenant's roles, so that no credential keeps working. Apply a new policy " +
					"before the destroy that needs it.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(provision.DeleteRestrict),
				Validators: []validator.String{stringvalidator.OneOf(provision.DeletionPolicies...)},
			},
			"privileges": schema.SetAttribute{
				MarkdownDescription: "One canonical line per privilege the tenant's objects hold: role attributes " +
					"(`acme_admin LOGIN CONNECTION LIMIT 5`), ownership (`acme_owner OWNS SCHEMA acme_data`), grants " +
					"(`acme_admin USAGE ON SCHEMA acme_data`, `acme_user SELECT ON ALL TABLES IN SCHEMA acme_data`, " +
					"`PUBLIC SELECT ON TABLE acme_data.t1`), column grants (`bob SELECT (email) ON TABLE acme_data.t1`), default " +
					"privileges (`acme_user SELECT ON TABLES IN SCHEMA acme_data (default, for acme_owner)`) and memberships " +
					"(`acme_migrator MEMBER OF acme_owner`). Planned: what the tier grants. Read: what the catalog holds. Any " +
					"difference is drift, shown by `terraform plan` (and `plan -refresh-only -detailed-exitcode` exits 2), that " +
					"apply repairs.",
				ElementType: types.StringType,
				Computed:    true,
			},
		},
	}
}

func (r *tenantPostgreSQLResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (r *tenantPostgreSQLResource) connector() *pgConnector {
	if r.data == nil {
		return nil
	}
	return r.data.postgres
}

// tenant reads the tenant's PostgreSQL objects from the model's config and
// owner_members; ok is false when one is unknown.
func pgTenantOf(ctx context.Context, m tenantPostgreSQLModelV0, diags *diag.Diagnostics) (*provision.PostgreSQLTenant, bool) {
	if m.Config.IsUnknown() || m.OwnerMembers.IsUnknown() {
		return nil, false
	}
	var members []string
	if !m.OwnerMembers.IsNull() {
		diags.Append(m.OwnerMembers.ElementsAs(ctx, &members, false)...)
		if diags.HasError() {
			return nil, false
		}
		for _, x := range members {
			if x == "" {
				return nil, false
			}
		}
	}
	cfg, err := render.ParseRenderedConfig(m.Config.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("config"), "Invalid config",
			capitalize(err.Error())+". Pass the rendered configuration of a tenant_config: tenant_config.<name>.rendered_json.")
		return nil, false
	}
	in, err := provision.FromConfig(cfg)
	var t *provision.PostgreSQLTenant
	if err == nil {
		t, err = provision.NewPostgreSQLTenant(in, members)
	}
	if err != nil {
		addProvisionError(diags, err)
		return nil, false
	}
	return t, true
}

// addProvisionError reports a problem of the core on the attribute it is
// about: owner_members, or a path of the config.
func addProvisionError(diags *diag.Diagnostics, err error) {
	var pe *provision.Error
	if !errors.As(err, &pe) {
		diags.AddError("Cannot enforce the tenant on PostgreSQL", capitalize(err.Error())+".")
		return
	}
	if pe.Path == "owner_members" {
		diags.AddAttributeError(path.Root("owner_members"), "Invalid owner_members", capitalize(pe.Message)+".")
		return
	}
	diags.AddAttributeError(path.Root("config"), "The tenant cannot be enforced on PostgreSQL",
		fmt.Sprintf("At %s in the rendered configuration: %s.", pe.Path, pe.Message))
}

func (r *tenantPostgreSQLResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan tenantPostgreSQLModelV0
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.Privileges = types.SetUnknown(types.StringType)
	plan.ID = types.StringUnknown()
	if r.data != nil {
		database, known, err := r.connector().Database()
		if err != nil {
			resp.Diagnostics.AddError("No PostgreSQL server to enforce the tenant on", err.Error())
			return
		}
		t, ok := pgTenantOf(ctx, plan, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		if ok {
			plan.Privileges = linesSet(t.Planned())
			if known {
				plan.ID = types.StringValue(database + "/" + t.ID)
			}
		}
	}
	if !req.State.Raw.IsNull() {
		var state tenantPostgreSQLModelV0
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !plan.ID.IsUnknown() && !plan.ID.Equal(state.ID) {
			// Another tenant id or another database: the tenant is a new one.
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("config"))
		}
		if plan.ID.IsUnknown() && plan.Config.Equal(state.Config) {
			plan.ID = state.ID
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *tenantPostgreSQLResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	database, id, ok := strings.Cut(req.ID, "/")
	if !ok || database == "" || !provision.ValidTenantID(id) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("%q is not <database>/<tenant_id>: import a tenant_postgresql as, for example, app/acme (the tenant acme in the database app).", req.ID))
		return
	}
	if current, known, err := r.connector().Database(); err != nil {
		resp.Diagnostics.AddError("No PostgreSQL server to import the tenant from", err.Error())
		return
	} else if known && current != database {
		resp.Diagnostics.AddError("Tenant imported from another database",
			fmt.Sprintf("The import id names the database %q, but the provider's postgresql block connects to %q. Import with the id %s/%s, or with a provider configuration for %q.", database, current, current, id, database))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("deletion_policy"), provision.DeleteRestrict)...)
}

// scope is the tenant a state is about: from its config, or from its id
// when it has none (right after an import).
func (r *tenantPostgreSQLResource) scope(ctx context.Context, m tenantPostgreSQLModelV0, diags *diag.Diagnostics) *provision.PostgreSQLTenant {
	if !m.Config.IsNull() {
		var d diag.Diagnostics
		if t, ok := pgTenantOf(ctx, m, &d); ok && !d.HasError() {
			return t
		}
	}
	_, id, _ := strings.Cut(m.ID.ValueString(), "/")
	t, err := provision.LockedPostgreSQLTenant(id)
	if err != nil {
		diags.AddError("Invalid state", fmt.Sprintf("The id %q of the state is not <database>/<tenant_id>: %v.", m.ID.ValueString(), err))
		return nil
	}
	return t
}

func (r *tenantPostgreSQLResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config tenantPostgreSQLModelV0
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.converge(ctx, &plan, config.PasswordsWO, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *tenantPostgreSQLResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, config tenantPostgreSQLModelV0
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	passwords := types.MapNull(types.StringType)
	if !plan.PasswordsWOVersion.Equal(state.PasswordsWOVersion) {
		passwords = config.PasswordsWO
		if passwords.IsNull() {
			resp.Diagnostics.AddAttributeWarning(path.Root("passwords_wo_version"), "No passwords to set",
				"passwords_wo_version changed, but passwords_wo is not set: the passwords stay as they are.")
		}
	}
	r.converge(ctx, &plan, passwords, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// converge enforces the tenant of plan, with the passwords when not null,
// and sets plan's id and privileges to what the server holds.
func (r *tenantPostgreSQLResource) converge(ctx context.Context, plan *tenantPostgreSQLModelV0, passwordsWO types.Map, diags *diag.Diagnostics) {
	t, ok := pgTenantOf(ctx, *plan, diags)
	if diags.HasError() {
		return
	}
	if !ok {
		diags.AddError("Unknown tenant", "config and owner_members must be known when the tenant is applied. This is a bug in the provider.")
		return
	}
	var passwords map[string]string
	if !passwordsWO.IsNull() && !passwordsWO.IsUnknown() {
		diags.Append(passwordsWO.ElementsAs(ctx, &passwords, false)...)
		if diags.HasError() {
			return
		}
	}
	pool, err := r.connector().Pool(ctx)
	if err != nil {
		diags.AddError("Cannot connect to PostgreSQL", capitalize(err.Error())+".")
		return
	}
	database, _, err := r.connector().Database()
	if err != nil {
		diags.AddError("No PostgreSQL server to enforce the tenant on", err.Error())
		return
	}
	tflog.Info(ctx, "converging tenant on PostgreSQL", map[string]any{"tenant": t.ID, "database": database, "passwords_set": len(passwords)})
	lines, err := t.Converge(ctx, pool, passwords)
	if err != nil {
		addProvisionError(diags, err)
		return
	}
	plan.ID = types.StringValue(database + "/" + t.ID)
	plan.Privileges = linesSet(lines)
	plan.PasswordsWO = types.MapNull(types.StringType)
}

func (r *tenantPostgreSQLResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state tenantPostgreSQLModelV0
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	t := r.scope(ctx, state, &resp.Diagnostics)
	if t == nil {
		return
	}
	pool, err := r.connector().Pool(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot connect to PostgreSQL", capitalize(err.Error())+".")
		return
	}
	reading, err := t.ReadPostgreSQL(ctx, pool)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the tenant from PostgreSQL", capitalize(err.Error())+".")
		return
	}
	if !reading.Exists {
		tflog.Info(ctx, "the tenant has no role and no schema on the server: removing it from the state", map[string]any{"tenant": t.ID})
		resp.State.RemoveResource(ctx)
		return
	}
	state.Privileges = linesSet(reading.Privileges)
	if state.Config.IsNull() {
		// Imported: what the catalog says of the arguments it holds.
		state.OwnerMembers = types.SetNull(types.StringType)
		if len(reading.OwnerMembers) > 0 {
			state.OwnerMembers = linesSet(reading.OwnerMembers)
		}
		if state.DeletionPolicy.IsNull() {
			state.DeletionPolicy = types.StringValue(provision.DeleteRestrict)
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *tenantPostgreSQLResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state tenantPostgreSQLModelV0
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	policy := state.DeletionPolicy.ValueString()
	if policy == "" {
		policy = provision.DeleteRestrict
	}
	if policy == provision.DeleteAbandon {
		tflog.Info(ctx, "deletion_policy is ABANDON: the tenant's roles and schemas stay on the server", map[string]any{"id": state.ID.ValueString()})
		return
	}
	t := r.scope(ctx, state, &resp.Diagnostics)
	if t == nil {
		return
	}
	pool, err := r.connector().Pool(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot connect to PostgreSQL", capitalize(err.Error())+".")
		return
	}
	if err := t.Drop(ctx, pool, policy); err != nil {
		var re *provision.RestrictError
		if errors.As(err, &re) {
			resp.Diagnostics.AddAttributeError(path.Root("deletion_policy"), "The tenant's schemas hold tables", capitalize(err.Error())+".")
			return
		}
		resp.Diagnostics.AddError("Cannot remove the tenant from PostgreSQL", capitalize(err.Error())+".")
	}
}

func linesSet(xs []string) types.Set {
	elems := make([]attr.Value, len(xs))
	for i, x := range xs {
		elems[i] = types.StringValue(x)
	}
	return types.SetValueMust(types.StringType, elems)
}
