package render

import (
	"fmt"
	"testing"
)

func TestValidateResidency(t *testing.T) {
	inUS := func(in *Input) { in.Region = "us-east-1" }
	const euOnly = "compliance: {data_residency: {enabled: true, allowed_regions: [eu-*]}}\n"
	runValidationCases(t, []validationCase{
		{name: "the seed's requirements alone enforce nothing", tier: "enterprise",
			overrides: "compliance: {data_residency: {enabled: true, requirements: [EU_GDPR, US_SOX]}}"},
		{name: "allowed regions without enabled enforce nothing", tier: "enterprise",
			overrides: "compliance: {data_residency: {allowed_regions: [eu-*]}}"},
		{name: "an empty list of allowed regions enforces nothing", tier: "enterprise",
			overrides: "compliance: {data_residency: {enabled: true, allowed_regions: []}}"},
		{name: "failover region outside", tier: "enterprise", overrides: euOnly,
			wants: []want{ov("backup.disaster_recovery.failover_regions[0]",
				"Region us-west-2 at backup.disaster_recovery.failover_regions[0] is outside the allowed regions", `allows only "eu-*"`)}},
		{name: "every region inside", tier: "enterprise",
			overrides: euOnly + "backup: {disaster_recovery: {failover_regions: [eu-central-1, eu-north-1]}, cross_region: {target_regions: [eu-west-3]}}"},
		{name: "cross-region target outside", tier: "premium",
			overrides: euOnly + "backup: {cross_region: {target_regions: [eu-west-3, ap-south-1]}}",
			wants:     []want{ov("backup.cross_region.target_regions[1]", "Region ap-south-1", "outside the allowed regions")}},
		{name: "the tenant's region outside", tier: "premium", overrides: euOnly, mod: inUS,
			wants: []want{{FieldRegion, "tenant_info.region", []string{"Region us-east-1 at tenant_info.region is outside the allowed regions"}}}},
		{name: "several patterns and ? globbing", tier: "enterprise", mod: inUS,
			overrides: "compliance: {data_residency: {enabled: true, allowed_regions: ['us-?ast-1', 'us-west-*', eu-west-1]}}"},
		{name: "a bad pattern", tier: "premium",
			overrides: "compliance: {data_residency: {enabled: true, allowed_regions: ['eu-[', eu-*]}}",
			wants:     []want{ov("compliance.data_residency.allowed_regions[0]", `Invalid region pattern "eu-["`)}},
		{name: "requirements are strings", tier: "premium",
			overrides: "compliance: {data_residency: {requirements: [1]}}",
			wants:     []want{ov("compliance.data_residency.requirements.0", "wrong type")}},
	})
}

func TestValidateEngineParameters(t *testing.T) {
	conn := func(engine string, v any) string {
		return "databases: {" + engine + ": {custom_parameters: {max_connections: " + toYAML(v) + "}}}"
	}
	runValidationCases(t, []validationCase{
		{name: "within the tolerance", overrides: conn("postgresql", 110)},
		{name: "over the ceiling", overrides: conn("postgresql", 111),
			wants: []want{ov("databases.postgresql.custom_parameters.max_connections",
				"databases.postgresql.custom_parameters.max_connections 111 exceeds the ceiling of tier standard", "up to 100, or 110 with its tolerance of 10%.")}},
		{name: "a number written as a string counts", overrides: conn("mongodb", `"2000"`),
			wants: []want{ov("databases.mongodb.custom_parameters.max_connections", "2000 exceeds the ceiling of tier standard")}},
		{name: "not a number", overrides: conn("redis", "lots"),
			wants: []want{ov("databases.redis.custom_parameters.max_connections", "must be a positive whole number", `got "lots"`)}},
		{name: "not whole", overrides: conn("postgresql", 10.5),
			wants: []want{ov("databases.postgresql.custom_parameters.max_connections", "must be a positive whole number", "got 10.5")}},
		{name: "enterprise ceilings are defaults", tier: "enterprise", overrides: conn("postgresql", 2000)},
		{name: "enterprise stays positive", tier: "enterprise", overrides: conn("postgresql", 0),
			wants: []want{ov("databases.postgresql.custom_parameters.max_connections", "must be a positive whole number", "got 0")}},
		{name: "a disabled engine is not checked", overrides: conn("clickhouse", 100000)},
		{name: "other parameters are free", overrides: "databases: {postgresql: {custom_parameters: {work_mem: 64MB, shared_buffers: 2}}}"},
		{name: "replication within the cluster", tier: "premium",
			overrides: "databases: {clickhouse: {cluster_nodes: 3, replication_factor: 3, compression: zstd}}"},
		{name: "replication over the cluster", tier: "premium",
			overrides: "databases: {clickhouse: {cluster_nodes: 2, replication_factor: 3}}",
			wants:     []want{ov("databases.clickhouse.replication_factor", "replication factor exceeds the number of cluster nodes", "replication_factor is 3 and cluster_nodes 2")}},
		{name: "unknown compression", tier: "premium", overrides: "databases: {clickhouse: {compression: gzip}}",
			wants: []want{ov("databases.clickhouse.compression", "unsupported value", `"lz4"`)}},
	})
}

func TestValidateUsersAndRegulationSections(t *testing.T) {
	runValidationCases(t, []validationCase{
		{name: "a user of another tenant",
			overrides: "security: {access_control: {admin_users: [{username: other_admin, roles: [tenant_admin]}]}}",
			wants:     []want{ov("security.access_control.admin_users[0].username", `User "other_admin" does not belong to tenant acme`, "${TENANT_ID}_other_admin")}},
		{name: "a role nobody defined",
			overrides: "security: {access_control: {standard_users: [{username: acme_user, roles: [tenant_usr]}]}}",
			wants:     []want{ov("security.access_control.standard_users[0].roles[0]", "Role tenant_usr is not defined", `Did you mean "tenant_user"?`)}},
		{name: "a Redis privilege outside the whitelist",
			overrides: "security: {database_permissions: {redis: {command_whitelist: [GET, SET, EXPIRE]}}}",
			wants:     []want{ov("security.database_permissions.redis.privileges.tenant_admin[2]", "Redis command DEL of role tenant_admin is not in the command whitelist")}},
		{name: "the whitelist compares without case",
			overrides: "security: {database_permissions: {redis: {command_whitelist: [get, set, del, expire]}}}"},
		{name: "a user needs a name",
			overrides: "security: {access_control: {standard_users: [{roles: [tenant_user]}]}}",
			wants:     []want{ov("security.access_control.standard_users.0.username", "is required")}},
		{name: "an enabled section claims its regulation", tier: "free", overrides: "compliance: {gdpr: {enabled: true}}",
			wants: []want{ov("compliance.gdpr.enabled", "Regulation GDPR cannot be claimed on tier free", "tier standard")}},
		{name: "a claimed regulation switched off", mod: withRegulations("GDPR"), overrides: "compliance: {gdpr: {enabled: false}}",
			wants: []want{ov("compliance.gdpr.enabled", "GDPR is claimed but compliance.gdpr.enabled is false")}},
		{name: "HIPAA without encryption at rest", tier: "premium", mod: withRegulations("HIPAA"),
			overrides: "compliance: {hipaa: {encryption_at_rest: false}}",
			wants:     []want{ov("compliance.hipaa.encryption_at_rest", "HIPAA needs encryption at rest", "Set compliance.hipaa.encryption_at_rest = true")}},
		{name: "SOX claimed by its section without an audit trail", tier: "premium",
			overrides: "compliance: {sox: {enabled: true, audit_trail: false}}",
			wants:     []want{ov("compliance.sox.audit_trail", "SOX needs audit trail")}},
		{name: "a section switched off claims nothing", tier: "free", overrides: "compliance: {hipaa: {enabled: false, encryption_at_rest: false}}"},
		{name: "an unknown lawful basis", overrides: "compliance: {gdpr: {lawful_basis: because}}",
			wants: []want{ov("compliance.gdpr.lawful_basis", "unsupported value", `"legitimate_interest"`)}},
	})
}

func TestValidatePeriods(t *testing.T) {
	pitr := func(v string) string { return "backup: {point_in_time_recovery: {retention_period: " + v + "}}" }
	cases := []validationCase{
		{name: "one day", tier: "premium", overrides: pitr(`"1 day"`)},
		{name: "35 days", tier: "premium", overrides: pitr(`"35 days"`)},
		{name: "a number is the wrong type", tier: "premium", overrides: pitr("7"),
			wants: []want{ov("backup.point_in_time_recovery.retention_period", "has the wrong type")}},
		{name: "audit retention in weeks and months", overrides: "audit: {retention: {standard: 6_months, premium: 52_weeks}}"},
	}
	for _, bad := range []string{`"36 days"`, `"7"`, `"1 week"`, `"seven days"`, `""`} {
		cases = append(cases, validationCase{name: "window " + bad, tier: "premium", overrides: pitr(bad),
			wants: []want{ov("backup.point_in_time_recovery.retention_period",
				"backup.point_in_time_recovery.retention_period must be 1 to 35 days", `for example "7 days"`)}})
	}
	runValidationCases(t, cases)
}

// toYAML writes a scalar for an overrides YAML text.
func toYAML(v any) string { return fmt.Sprint(v) }
