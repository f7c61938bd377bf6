package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// field is one computed attribute of a nested summary object, shared by the
// resource's and the data sources' schemas and by the values built for them.
type field struct {
	name string
	typ  attr.Type
	desc string
}

var (
	limitsFields = []field{
		{"max_users", types.Int64Type, "Maximum number of users."},
		{"storage_gb", types.Float64Type, "Storage in GB."},
		{"api_calls_per_month", types.Int64Type, "API calls per month."},
		{"db_connections", types.Int64Type, "Database connections."},
	}
	databaseFields = []field{
		{"enabled", types.BoolType, "Whether the engine is enabled."},
		{"deployment", types.StringType, "Deployment model: `shared`, `dedicated` or `dedicated_cluster`."},
		{"isolation", types.StringType, "How the tenant's data is isolated (`schema`, `collection`, `key_prefix`, `database`, `index_prefix`)."},
		{"cpu_cores", types.Float64Type, "CPU cores; null when not set."},
		{"memory_gb", types.Float64Type, "Memory in GB; null when not set."},
		{"storage_gb", types.Float64Type, "Storage in GB; null when not set."},
		{"max_connections", types.Int64Type, "Maximum connections; null when not set."},
		{"iops", types.Int64Type, "Provisioned IOPS; null when the tier provisions none."},
	}
	ceilingFields = []field{
		{"cpu_cores", types.Float64Type, "CPU cores."},
		{"memory_gb", types.Float64Type, "Memory in GB."},
		{"storage_gb", types.Float64Type, "Storage in GB."},
		{"max_connections", types.Int64Type, "Maximum connections."},
		{"iops", types.Int64Type, "Provisioned IOPS; null when the tier provisions none for the engine."},
		{"deployment", types.StringType, "Deployment model of the engine on this tier."},
		{"isolation", types.StringType, "How the tenant's data is isolated in the engine."},
	}
	isolationFields = []field{
		{"postgresql_schemas", stringMapType, "PostgreSQL schemas by purpose (`tenant_data`, `tenant_analytics`, `tenant_audit`)."},
		{"mongodb_collections", stringMapType, "MongoDB collections by purpose (`users`, `tracks`, `playlists`)."},
		{"redis_namespaces", stringMapType, "Redis key prefixes by purpose (`cache`, `session`, `analytics`)."},
	}
	stringMapType = types.MapType{ElemType: types.StringType}

	limitsAttrTypes    = attrTypes(limitsFields)
	databaseAttrTypes  = attrTypes(databaseFields)
	ceilingAttrTypes   = attrTypes(ceilingFields)
	isolationAttrTypes = attrTypes(isolationFields)
)

func attrTypes(fs []field) map[string]attr.Type {
	out := make(map[string]attr.Type, len(fs))
	for _, f := range fs {
		out[f.name] = f.typ
	}
	return out
}

// resourceAttributes returns fs as computed resource attributes.
func resourceAttributes(fs []field) map[string]rschema.Attribute {
	out := make(map[string]rschema.Attribute, len(fs))
	for _, f := range fs {
		switch f.typ {
		case types.Int64Type:
			out[f.name] = rschema.Int64Attribute{Computed: true, MarkdownDescription: f.desc}
		case types.Float64Type:
			out[f.name] = rschema.Float64Attribute{Computed: true, MarkdownDescription: f.desc}
		case types.BoolType:
			out[f.name] = rschema.BoolAttribute{Computed: true, MarkdownDescription: f.desc}
		case types.StringType:
			out[f.name] = rschema.StringAttribute{Computed: true, MarkdownDescription: f.desc}
		default:
			out[f.name] = rschema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: f.desc}
		}
	}
	return out
}

// dataSourceAttributes returns fs as computed data source attributes.
func dataSourceAttributes(fs []field) map[string]dschema.Attribute {
	out := make(map[string]dschema.Attribute, len(fs))
	for _, f := range fs {
		switch f.typ {
		case types.Int64Type:
			out[f.name] = dschema.Int64Attribute{Computed: true, MarkdownDescription: f.desc}
		case types.Float64Type:
			out[f.name] = dschema.Float64Attribute{Computed: true, MarkdownDescription: f.desc}
		case types.BoolType:
			out[f.name] = dschema.BoolAttribute{Computed: true, MarkdownDescription: f.desc}
		case types.StringType:
			out[f.name] = dschema.StringAttribute{Computed: true, MarkdownDescription: f.desc}
		default:
			out[f.name] = dschema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: f.desc}
		}
	}
	return out
}
