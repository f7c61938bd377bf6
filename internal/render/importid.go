package render

import (
	"fmt"
	"strings"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
)

// ImportID is a parsed import identifier.
type ImportID struct {
	TenantID, Tier, Environment string
}

// DefaultEnvironment is the environment of a tenant that names none.
const DefaultEnvironment = "production"

// ParseImportID reads <tenant_id>:<tier>[:<environment>] and, when cat is not
// nil, checks the tenant id, the tier and the environment against it.
func ParseImportID(cat *catalog.Catalog, id string) (ImportID, Problems) {
	parts := strings.Split(id, ":")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" || len(parts) == 3 && parts[2] == "" {
		return ImportID{}, Problems{{Field: FieldTenantID, Summary: "Invalid import ID",
			Detail: fmt.Sprintf("Expected <tenant_id>:<tier> or <tenant_id>:<tier>:<environment>, for example acme:standard:production; got %q.", id)}}
	}
	out := ImportID{TenantID: parts[0], Tier: parts[1], Environment: DefaultEnvironment}
	if len(parts) == 3 {
		out.Environment = parts[2]
	}
	if cat == nil {
		return out, nil
	}
	_, ps := checkInput(cat, Input{TenantID: out.TenantID, TenantName: out.TenantID, Tier: out.Tier,
		Environment: out.Environment, Region: "us-east-1", Timezone: "UTC"})
	var bad Problems
	for _, p := range ps {
		if p.Field == FieldTenantID || p.Field == FieldTier || p.Field == FieldEnvironment {
			p.Summary = "Invalid import ID: " + p.Summary
			bad = append(bad, p)
		}
	}
	return out, bad
}
