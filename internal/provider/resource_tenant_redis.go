package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tenantry/terraform-provider-tenant/internal/provision"
	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

var (
	_ resource.Resource                = (*tenantRedisResource)(nil)
	_ resource.ResourceWithConfigure   = (*tenantRedisResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*tenantRedisResource)(nil)
	_ resource.ResourceWithImportState = (*tenantRedisResource)(nil)
)

func newTenantRedisResource() resource.Resource { return &tenantRedisResource{} }

type tenantRedisResource struct {
	data *providerData
}

func (r *tenantRedisResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_redis"
}

func (r *tenantRedisResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	kinds := "`" + strings.Join(provision.PasswordKinds, "`, `") + "`"
	resp.Schema = schema.Schema{
		Version: 0,
		MarkdownDescription: "Makes the provider's Redis server enforce one tenant's isolation: the users `<id>_admin` and " +
			"`<id>_user` get exactly the key patterns of the tenant's prefixes (`cache:<id>:*`, `session:<id>:*`, " +
			"`analytics:<id>:*`), no Pub/Sub channel, and only the commands the tier grants each role. Every refresh reads " +
			"the users back with `ACL GETUSER` into `rules`: an out-of-band rule, or a user lost in a restart, is a " +
			"difference in `terraform plan`, and apply repairs it.\n\n" +
			"Rules are applied with one `ACL SETUSER` per user and never with `reset` or `resetpass`, so a password stays " +
			"until `passwords_wo` sets another. A user that apply creates (the first time, or after a restart lost it) or " +
			"that has `nopass` gets the password of `passwords_wo`, or none: it is never left open, and without a password " +
			"it cannot log in until one is set (apply warns).\n\n" +
			"Redis keeps ACLs per node and does not replicate them: replicas and every cluster node each need the rules " +
			"(one aliased provider configuration and one `tenant_redis` per node). Apply persists the ACL with `ACL SAVE` " +
			"when the server has an `aclfile`; without one it warns that the rules live in memory until the next restart. " +
			"Destroy switches the users off, ends their connections (`CLIENT KILL USER`) and deletes them; the tenant's " +
			"keys stay unless `delete_keys_on_destroy` is true.",
		Attributes: map[string]schema.Attribute{
			"config": schema.StringAttribute{
				MarkdownDescription: "The tenant's rendered configuration as text, normally `tenant_config.<name>.rendered_json` " +
					"(YAML is read too). The tenant id, the key prefixes and each role's commands come from it. When it " +
					"names another tenant, apply removes the old tenant's users (as destroy does) and creates the new one's.",
				Required: true,
			},
			"passwords_wo": schema.MapAttribute{
				MarkdownDescription: "Passwords of the tenant's users by kind (" + kinds + " for `<id>_admin` and `<id>_user`). " +
					"Write-only (Terraform 1.11 or later): never stored in the plan or the state. They are set when the " +
					"resource is created, when `passwords_wo_version` changes, and on a user that apply creates again (after " +
					"a restart) or that had `nopass`; otherwise apply never touches a password, even when this value changes. " +
					"A kind without a password keeps the password set out of band.",
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
				MarkdownDescription: "Change it to set `passwords_wo` again on existing users (a rotation): `resetpass` and " +
					"then the new password, so the old one stops working for new connections.",
				Optional: true,
			},
			"delete_keys_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "When true, destroy also deletes the keys under the tenant's prefixes (`SCAN` and " +
					"`UNLINK` in the database of the provider's connection); no other tenant's key matches them, as a " +
					"prefix ends with `:`. Default `false`: the keys stay. Apply the change before the destroy that needs it.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"id": schema.StringAttribute{
				MarkdownDescription: "The tenant id. Import with the same id: `terraform import tenant_redis.x <tenant_id>`.",
				Computed:            true,
			},
			"rules": schema.MapAttribute{
				MarkdownDescription: "The canonical ACL rules by user name, without passwords: flags, key patterns, channels, " +
					"commands, selectors, in the form of `ACL LIST` with each list sorted. Planned: what the tier grants. Read: " +
					"what `ACL GETUSER` shows. A missing user has no entry.",
				ElementType: types.StringType,
				Computed:    true,
			},
		},
	}
}

func (r *tenantRedisResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

// redisPlanOf reads a rendered configuration and plans its Redis users;
// problems are on config.
func redisPlanOf(text string, diags *diag.Diagnostics) (provision.RedisPlan, bool) {
	cfg, err := render.ParseRenderedConfig(text)
	if err != nil {
		diags.AddAttributeError(path.Root("config"), "Invalid config",
			"config is not a rendered configuration: "+err.Error()+". Pass tenant_config.<name>.rendered_json.")
		return provision.RedisPlan{}, false
	}
	in, err := provision.FromConfig(cfg)
	var p provision.RedisPlan
	if err == nil {
		p, err = provision.PlanRedis(in)
	}
	if err != nil {
		var pe *provision.Error
		if errors.As(err, &pe) {
			diags.AddAttributeError(path.Root("config"), "The configuration cannot be enforced on Redis",
				fmt.Sprintf("At %s: %s.", pe.Path, pe.Message))
		} else {
			diags.AddAttributeError(path.Root("config"), "The configuration cannot be enforced on Redis", err.Error())
		}
		return provision.RedisPlan{}, false
	}
	return p, true
}

func rulesValue(rules map[string]string, diags *diag.Diagnostics) types.Map {
	v, d := types.MapValueFrom(context.Background(), types.StringType, rules)
	diags.Append(d...)
	return v
}

// ModifyPlan plans id and rules from config: unknown while config is. A new
// tenant id is an update that moves the resource to the other tenant, never a
// replacement: config may be unknown in the plan, and an update planned then
// cannot become a replacement during apply, nor should an unknown config
// replace (and so cut off) a tenant whose id does not change.
func (r *tenantRedisResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan tenantRedisModelV0
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.Config.IsUnknown() {
		plan.ID, plan.Rules = types.StringUnknown(), types.MapUnknown(types.StringType)
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	p, ok := redisPlanOf(plan.Config.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	plan.ID = types.StringValue(p.TenantID)
	plan.Rules = rulesValue(p.Rules(), &resp.Diagnostics)
	if !req.State.Raw.IsNull() {
		var id types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
		if id.ValueString() != p.TenantID {
			resp.Diagnostics.AddAttributeWarning(path.Root("config"), "tenant_redis moves to another tenant",
				fmt.Sprintf("config now names tenant %s instead of %s: apply removes the users of %s (and, with "+
					"delete_keys_on_destroy, its keys) and then creates those of %s with passwords_wo.", p.TenantID, id.ValueString(), id.ValueString(), p.TenantID))
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *tenantRedisResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !provision.ValidTenantID(req.ID) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("%q is not a tenant id: the import id of tenant_redis is the tenant id (%s), e.g. terraform import tenant_redis.acme acme.", req.ID, provision.TenantIDPattern))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("delete_keys_on_destroy"), false)...)
}

// client is the connected client of the provider's redis block, or an error
// diagnostic that names the block.
func (r *tenantRedisResource) client(ctx context.Context, diags *diag.Diagnostics) (provision.RedisDoer, bool) {
	var srv *redisServer
	if r.data != nil {
		srv = r.data.redis
	}
	c, err := srv.Client(ctx)
	if err != nil {
		diags.AddError("No Redis server for tenant_redis",
			"tenant_redis needs the Redis server of the provider's redis block: "+err.Error()+".")
		return nil, false
	}
	return c, true
}

// passwordsWO reads passwords_wo from the configuration (write-only: never in
// the plan or the state).
func passwordsWO(ctx context.Context, cfg interface {
	GetAttribute(context.Context, path.Path, any) diag.Diagnostics
}, diags *diag.Diagnostics) map[string]string {
	var m types.Map
	diags.Append(cfg.GetAttribute(ctx, path.Root("passwords_wo"), &m)...)
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	out := map[string]string{}
	diags.Append(m.ElementsAs(ctx, &out, false)...)
	return out
}

func (r *tenantRedisResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan tenantRedisModelV0
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	pw := passwordsWO(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	r.converge(ctx, &plan, provision.RedisConvergeOptions{Passwords: pw, SetPasswords: true}, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *tenantRedisResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state tenantRedisModelV0
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	pw := passwordsWO(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// A resource just imported has no config in state: its first apply
	// adopts the users and their passwords as they are.
	rotate := !state.Config.IsNull() && !plan.PasswordsWOVersion.Equal(state.PasswordsWOVersion)
	p, ok := redisPlanOf(plan.Config.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	if old := state.ID.ValueString(); old != p.TenantID {
		// The plan could not see the new tenant id (config was unknown),
		// so the replacement happens here: the old tenant's users go
		// first, as a destroy would remove them.
		if !r.destroy(ctx, state, &resp.Diagnostics) {
			return
		}
		rotate = true
	}
	r.converge(ctx, &plan, provision.RedisConvergeOptions{Passwords: pw, SetPasswords: rotate}, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *tenantRedisResource) converge(ctx context.Context, plan *tenantRedisModelV0, opts provision.RedisConvergeOptions, diags *diag.Diagnostics) {
	p, ok := redisPlanOf(plan.Config.ValueString(), diags)
	if !ok {
		return
	}
	c, ok := r.client(ctx, diags)
	if !ok {
		return
	}
	res, err := provision.ConvergeRedis(ctx, c, p, opts)
	for _, w := range res.Warnings {
		diags.AddWarning("Redis ACL of tenant "+p.TenantID, w)
	}
	if err != nil {
		diags.AddError("Cannot converge the Redis users of tenant "+p.TenantID, err.Error())
		return
	}
	plan.ID = types.StringValue(p.TenantID)
	plan.Rules = rulesValue(res.Rules, diags)
	plan.PasswordsWO = types.MapNull(types.StringType)
	tflog.SubsystemInfo(tflog.NewSubsystem(ctx, logSubsystem), logSubsystem, "Redis users converged",
		map[string]any{"tenant_id": p.TenantID, "passwords_set": opts.SetPasswords && len(opts.Passwords) > 0})
}

func (r *tenantRedisResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state tenantRedisModelV0
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data != nil && r.data.redis != nil && r.data.redis.unknown {
		resp.Diagnostics.AddWarning("tenant_redis not refreshed",
			"The provider's redis block is not known until apply, so the Redis users of tenant "+state.ID.ValueString()+" were not read.")
		return
	}
	c, ok := r.client(ctx, &resp.Diagnostics)
	if !ok {
		return
	}
	rules, err := provision.ReadRedis(ctx, c, state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the Redis users of tenant "+state.ID.ValueString(), err.Error())
		return
	}
	if len(rules) == 0 && state.Config.IsNull() {
		// An import of a tenant that has no user on the server: there is
		// nothing to import. (A managed tenant whose users are gone stays,
		// and the plan shows them to create.)
		resp.State.RemoveResource(ctx)
		return
	}
	state.Rules = rulesValue(rules, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *tenantRedisResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state tenantRedisModelV0
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.destroy(ctx, state, &resp.Diagnostics)
}

// destroy removes the users of the tenant of state (and its keys with
// delete_keys_on_destroy); false when it failed.
func (r *tenantRedisResource) destroy(ctx context.Context, state tenantRedisModelV0, diags *diag.Diagnostics) bool {
	id := state.ID.ValueString()
	deleteKeys := state.DeleteKeysOnDestroy.ValueBool()
	var prefixes []string
	if deleteKeys {
		if state.Config.IsNull() {
			diags.AddAttributeError(path.Root("delete_keys_on_destroy"), "The tenant's key prefixes are unknown",
				"This tenant_redis was imported and never applied, so its state has no config to take the key prefixes from. "+
					"Apply once with config set, then destroy.")
			return false
		}
		p, ok := redisPlanOf(state.Config.ValueString(), diags)
		if !ok {
			return false
		}
		prefixes = p.Prefixes
	}
	c, ok := r.client(ctx, diags)
	if !ok {
		return false
	}
	res, err := provision.DestroyRedis(ctx, c, id, prefixes, deleteKeys)
	for _, w := range res.Warnings {
		diags.AddWarning("Redis ACL of tenant "+id, w)
	}
	if err != nil {
		diags.AddError("Cannot remove the Redis users of tenant "+id, err.Error())
		return false
	}
	tflog.SubsystemInfo(tflog.NewSubsystem(ctx, logSubsystem), logSubsystem, "Redis users removed",
		map[string]any{"tenant_id": id, "users": res.UsersDeleted, "connections_killed": res.ClientsKilled, "keys_deleted": res.KeysDeleted})
	return true
}

// tenantRedisModelV0 is tenant_redis at schema version 0.
type tenantRedisModelV0 struct {
	Config              types.String `tfsdk:"config"`
	PasswordsWO         types.Map    `tfsdk:"passwords_wo"`
	PasswordsWOVersion  types.Int64  `tfsdk:"passwords_wo_version"`
	DeleteKeysOnDestroy types.Bool   `tfsdk:"delete_keys_on_destroy"`
	ID                  types.String `tfsdk:"id"`
	Rules               types.Map    `tfsdk:"rules"`
}
