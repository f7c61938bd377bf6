package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

// tenantIDValidator checks a tenant id with render.CheckTenantID: its form,
// and no name derived from it that an engine reserves (pg_*, current_user).
// Unlike stringvalidator.RegexMatches, its error quotes at most the start of
// a long value.
type tenantIDValidator struct{}

func (tenantIDValidator) Description(context.Context) string {
	return render.TenantIDRules
}

func (v tenantIDValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (tenantIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	id := req.ConfigValue.ValueString()
	if why := render.CheckTenantID(id); why != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid tenant id "+render.QuoteShort(id),
			"A tenant id becomes SQL identifiers, database users and key prefixes: "+why+".")
	}
}
