package render

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// want is one problem a case expects: its field and path exactly, and each
// of texts somewhere in its summary or detail.
type want struct {
	field Field
	path  string
	texts []string
}

func ov(path string, texts ...string) want { return want{FieldOverrides, path, texts} }

// reg is a problem of the regulations argument at compliance.regulations.
func reg(texts ...string) want { return want{FieldRegulations, "compliance.regulations", texts} }

// validationCase renders a tenant of tier (standard when empty) with the
// overrides YAML and the edits of mod, and expects exactly the problems of
// wants (none: the render must succeed).
type validationCase struct {
	name      string
	tier      string
	overrides string
	mod       func(*Input)
	wants     []want
}

func runValidationCases(t *testing.T, cases []validationCase) {
	t.Helper()
	cat := defaultCatalog(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tier := c.tier
			if tier == "" {
				tier = "standard"
			}
			in := input(tier)
			if c.overrides != "" {
				in.Overrides = overrides(t, c.overrides)
			}
			if c.mod != nil {
				c.mod(&in)
			}
			res, ps := Render(cat, in)
			if len(c.wants) == 0 {
				if len(ps) > 0 {
					t.Fatalf("want no problem, got:\n%s", describe(ps))
				}
				if res == nil || shownYAML(t, res) == "" {
					t.Fatal("no problem but no result")
				}
				return
			}
			if res != nil {
				t.Fatalf("want %d problem(s), the render succeeded", len(c.wants))
			}
			checkProblems(t, ps, c.wants)
		})
	}
}

// checkProblems asserts that ps holds exactly one problem per want.
func checkProblems(t *testing.T, ps Problems, wants []want) {
	t.Helper()
	if len(ps) != len(wants) {
		t.Fatalf("want %d problem(s), got %d:\n%s", len(wants), len(ps), describe(ps))
	}
	used := make([]bool, len(ps))
next:
	for _, w := range wants {
		for i, p := range ps {
			if used[i] || p.Field != w.field || p.Path != w.path {
				continue
			}
			text := p.Summary + " " + p.Detail
			ok := true
			for _, s := range w.texts {
				ok = ok && strings.Contains(text, s)
			}
			if ok {
				used[i] = true
				continue next
			}
		}
		t.Errorf("no problem with field %s, path %q and texts %q in:\n%s", w.field, w.path, w.texts, describe(ps))
	}
	for _, p := range ps {
		if p.Summary == "" || p.Detail == "" {
			t.Errorf("problem without summary or detail: %+v", p)
		}
		if strings.HasPrefix(p.Summary, " ") || strings.Contains(p.Detail, "?.") {
			t.Errorf("badly formed message: %+v", p)
		}
	}
}

func withRegulations(regs ...string) func(*Input) {
	return func(in *Input) { in.Regulations = regs }
}

func TestValidateEngines(t *testing.T) {
	t.Parallel()
	runValidationCases(t, []validationCase{
		{name: "clickhouse enabled on premium", tier: "premium"},
		{name: "clickhouse disabled on standard", overrides: "databases: {clickhouse: {enabled: false}}"},
		{name: "clickhouse enabled on standard", overrides: "databases: {clickhouse: {enabled: true}}",
			wants: []want{ov("databases.clickhouse.enabled", "Engine clickhouse is not offered by tier standard", "available from tier premium")}},
		{name: "timescaledb enabled on premium", tier: "premium", overrides: "databases: {timescaledb: {enabled: true}}",
			wants: []want{ov("databases.timescaledb.enabled", "not offered by tier premium", "tier enterprise")}},
		{name: "elasticsearch enabled on free", tier: "free", overrides: "databases: {elasticsearch: {enabled: true}}",
			wants: []want{ov("databases.elasticsearch.enabled", "not offered by tier free", "postgresql, mongodb, redis")}},
	})
}

func TestValidateCeilings(t *testing.T) {
	t.Parallel()
	res := func(engine, dim string, v any) string {
		return fmt.Sprintf("databases: {%s: {resources: {%s: %v}}}", engine, dim, v)
	}
	runValidationCases(t, []validationCase{
		{name: "cpu at the ceiling", overrides: res("postgresql", "cpu_cores", 2)},
		{name: "cpu within the tolerance", overrides: res("postgresql", "cpu_cores", 2.2)},
		{name: "cpu over the tolerance", overrides: res("postgresql", "cpu_cores", 2.3),
			wants: []want{ov("databases.postgresql.resources.cpu_cores", "2.3 exceeds the ceiling of tier standard", "up to 2, or 2.2 with its tolerance of 10%.")}},
		{name: "connections within the tolerance", overrides: res("postgresql", "max_connections", 110)},
		{name: "connections over the tolerance", overrides: res("postgresql", "max_connections", 111),
			wants: []want{ov("databases.postgresql.resources.max_connections", "111 exceeds the ceiling", "up to 100, or 110 with its tolerance of 10%.")}},
		{name: "free redis memory within the tolerance", tier: "free", overrides: res("redis", "memory_gb", 0.07)},
		{name: "free redis memory over the tolerance", tier: "free", overrides: res("redis", "memory_gb", 0.08),
			wants: []want{ov("databases.redis.resources.memory_gb", "exceeds the ceiling of tier free")}},
		{name: "premium clickhouse storage over", tier: "premium", overrides: res("clickhouse", "storage_gb", 600),
			wants: []want{ov("databases.clickhouse.resources.storage_gb", "600 exceeds the ceiling of tier premium")}},
		{name: "over the ceiling on a disabled engine is not checked", tier: "premium",
			overrides: "databases: {clickhouse: {enabled: false, resources: {cpu_cores: 64}}}"},
		{name: "iops within the tolerance", overrides: res("postgresql", "iops", 1100)},
		{name: "iops over the tolerance", overrides: res("postgresql", "iops", 1101),
			wants: []want{ov("databases.postgresql.resources.iops", "1101 exceeds the ceiling")}},
		{name: "iops on an engine without an iops ceiling", overrides: res("mongodb", "iops", 100),
			wants: []want{ov("databases.mongodb.resources.iops", "Tier standard sets no iops for mongodb", "set it to null")}},
		{name: "iops on free postgresql", tier: "free", overrides: res("postgresql", "iops", 10),
			wants: []want{ov("databases.postgresql.resources.iops", "Tier free sets no iops for postgresql")}},
		{name: "enterprise ceilings may be raised", tier: "enterprise",
			overrides: "databases: {postgresql: {resources: {cpu_cores: 128, memory_gb: 512, max_connections: 5000, iops: 50000}}, mongodb: {resources: {iops: 3000}}}"},
		{name: "enterprise cpu must stay positive", tier: "enterprise", overrides: res("postgresql", "cpu_cores", 0),
			wants: []want{ov("databases.postgresql.resources.cpu_cores", "is out of range", "must be greater than 0; it is 0.")}},
		{name: "enterprise connections must stay positive", tier: "enterprise", overrides: res("redis", "max_connections", -5),
			wants: []want{ov("databases.redis.resources.max_connections", "is out of range", "must be greater than 0; it is -5.")}},
		{name: "connections must be whole", overrides: res("postgresql", "max_connections", 10.5),
			wants: []want{ov("databases.postgresql.resources.max_connections", "has the wrong type", "must be a whole number; it is")}},
	})
}

func TestValidateRequirements(t *testing.T) {
	t.Parallel()
	runValidationCases(t, []validationCase{
		{name: "standard may switch encryption off", overrides: "security: {encryption: {enabled: false}}"},
		{name: "standard may switch auditing off", overrides: "audit: {enabled: false}\ncompliance: {auditing: {enabled: false}}"},
		{name: "enterprise encryption off", tier: "enterprise", overrides: "security: {encryption: {enabled: false}}",
			wants: []want{ov("security.encryption.enabled", "Tier enterprise requires encryption", "cannot be disabled")}},
		{name: "premium audit off", tier: "premium", overrides: "audit: {enabled: false}",
			wants: []want{ov("audit.enabled", "Tier premium requires auditing")}},
		{name: "premium compliance auditing off", tier: "premium", overrides: "compliance: {auditing: {enabled: false}}",
			wants: []want{ov("compliance.auditing.enabled", "Tier premium requires auditing")}},
		{name: "enterprise both audit switches off", tier: "enterprise", overrides: "audit: {enabled: false}\ncompliance: {auditing: {enabled: false}}",
			wants: []want{ov("audit.enabled", "requires auditing"), ov("compliance.auditing.enabled", "requires auditing")}},
	})
}

func TestValidateRegulations(t *testing.T) {
	t.Parallel()
	runValidationCases(t, []validationCase{
		{name: "GDPR on standard", mod: withRegulations("GDPR")},
		{name: "GDPR on standard through overrides", overrides: "compliance: {regulations: [GDPR]}"},
		{name: "HIPAA and SOX on premium", tier: "premium", mod: withRegulations("HIPAA", "SOX", "GDPR")},
		{name: "every regulation on enterprise", tier: "enterprise", mod: withRegulations("PCI-DSS", "HIPAA", "SOX", "GDPR")},
		{name: "HIPAA on standard", mod: withRegulations("HIPAA"),
			wants: []want{reg("Regulation HIPAA cannot be claimed on tier standard", "from tier premium")}},
		{name: "PCI-DSS on premium", tier: "premium", mod: withRegulations("PCI-DSS"),
			wants: []want{reg("PCI-DSS cannot be claimed on tier premium", "from tier enterprise")}},
		{name: "GDPR on free", tier: "free", mod: withRegulations("GDPR"),
			wants: []want{reg("GDPR cannot be claimed on tier free", "allows no regulation")}},
		{name: "unknown regulation argument", mod: withRegulations("HIPPA"),
			wants: []want{{FieldRegulations, "", []string{`Unknown regulation "HIPPA"`, `Did you mean "HIPAA"?`}}}},
		{name: "unknown regulation in overrides", overrides: "compliance: {regulations: [FOO]}",
			wants: []want{ov("compliance.regulations.0", "unsupported value", `"GDPR"`), ov("compliance.regulations", "Regulation FOO cannot be claimed")}},
		{name: "regulations in argument and overrides", mod: withRegulations("GDPR"), overrides: "compliance: {regulations: [GDPR]}",
			wants: []want{{FieldRegulations, "compliance.regulations", []string{"set twice", "not both"}}}},
		{name: "HIPAA needs encryption at rest", tier: "premium", mod: withRegulations("HIPAA"),
			overrides: "security: {encryption: {enabled: false}}",
			wants:     []want{ov("security.encryption.enabled", "HIPAA needs encryption at rest and in transit")}},
		{name: "HIPAA needs SSL", tier: "premium", mod: withRegulations("HIPAA"),
			overrides: "security: {ssl: {enabled: false, required: false}}",
			wants: []want{ov("security.ssl.enabled", "HIPAA needs encryption"),
				ov("security.ssl.required", "HIPAA needs encryption", "stop claiming HIPAA")}},
		{name: "PCI-DSS needs SSL required", tier: "enterprise", mod: withRegulations("PCI-DSS"),
			overrides: "security: {ssl: {required: false}}",
			wants:     []want{ov("security.ssl.required", "PCI-DSS needs encryption")}},
		{name: "PCI-DSS needs auditing", tier: "enterprise", mod: withRegulations("PCI-DSS"),
			overrides: "audit: {enabled: false}",
			wants:     []want{ov("audit.enabled", "Tier enterprise requires auditing"), ov("audit.enabled", "PCI-DSS needs auditing")}},
		{name: "SOX needs auditing", tier: "premium", mod: withRegulations("SOX"),
			overrides: "compliance: {auditing: {enabled: false}}",
			wants:     []want{ov("compliance.auditing.enabled", "Tier premium requires auditing"), ov("compliance.auditing.enabled", "SOX needs auditing")}},
		{name: "GDPR needs a retention period", mod: withRegulations("GDPR"),
			overrides: `compliance: {gdpr: {data_retention_period: " "}}`,
			wants:     []want{ov("compliance.gdpr.data_retention_period", "GDPR needs a data retention period", `for example "2_years"`)}},
		{name: "GDPR retention deleted", mod: withRegulations("GDPR"),
			overrides: "compliance: {gdpr: {data_retention_period: null}}",
			wants:     []want{ov("compliance.gdpr.data_retention_period", "GDPR needs a data retention period")}},
		{name: "no retention without GDPR", overrides: `compliance: {gdpr: {data_retention_period: ""}}`},
		{name: "GDPR needs the right to erasure", mod: withRegulations("GDPR"),
			overrides: "compliance: {gdpr: {right_to_erasure: false}}",
			wants:     []want{ov("compliance.gdpr.right_to_erasure", "GDPR needs the right to erasure")}},
	})
}

func TestValidateSubscription(t *testing.T) {
	t.Parallel()
	runValidationCases(t, []validationCase{
		{name: "at the limits", overrides: "subscription: {max_users: 1000, storage_gb: 100, api_calls_per_month: 1000000, db_connections: 100}"},
		{name: "below the limits", overrides: "subscription: {max_users: 5, storage_gb: 0.5}"},
		{name: "max users over", overrides: "subscription: {max_users: 1001}",
			wants: []want{ov("subscription.max_users", "subscription.max_users 1001 exceeds the limit of tier standard", "at most 1000")}},
		{name: "storage over", overrides: "subscription: {storage_gb: 100.5}",
			wants: []want{ov("subscription.storage_gb", "100.5 exceeds the limit")}},
		{name: "api calls over", tier: "free", overrides: "subscription: {api_calls_per_month: 10001}",
			wants: []want{ov("subscription.api_calls_per_month", "exceeds the limit of tier free")}},
		{name: "connections over", tier: "enterprise", overrides: "subscription: {db_connections: 1001}",
			wants: []want{ov("subscription.db_connections", "exceeds the limit of tier enterprise")}},
	})
}

func TestValidateSchedules(t *testing.T) {
	t.Parallel()
	cases := []validationCase{
		{name: "five fields", overrides: `backup: {schedule: {full_backup: "30 3 * * 1-5"}}`},
		{name: "steps and lists", overrides: `backup: {schedule: {incremental_backup: "*/15 0,12 1-7 * *"}}`},
	}
	for _, bad := range []string{"0 2 * *", "0 0 2 * * 0", "@daily", "garbage", "61 * * * *", ""} {
		cases = append(cases, validationCase{
			name:      fmt.Sprintf("invalid %q", bad),
			overrides: fmt.Sprintf("backup: {schedule: {full_backup: %q}}", bad),
			wants:     []want{ov("backup.schedule.full_backup", fmt.Sprintf("Invalid cron schedule %q", bad), "5-field")},
		})
	}
	cases = append(cases, validationCase{name: "premium transaction log", tier: "premium",
		overrides: `backup: {schedule: {transaction_log_backup: "@every 30m"}}`,
		wants:     []want{ov("backup.schedule.transaction_log_backup", "Invalid cron schedule")}})
	runValidationCases(t, cases)
}

func TestValidateNumbers(t *testing.T) {
	t.Parallel()
	runValidationCases(t, []validationCase{
		{name: "percentages at the bounds", overrides: "monitoring: {alerts: {storage_threshold: 100, connection_threshold: 0}}"},
		{name: "percentage over 100", overrides: "monitoring: {alerts: {storage_threshold: 101}}",
			wants: []want{ov("monitoring.alerts.storage_threshold", "is out of range", "monitoring.alerts.storage_threshold must be between 0 and 100; it is 101.")}},
		{name: "percentage below 0", overrides: "monitoring: {alerts: {connection_threshold: -1}}",
			wants: []want{ov("monitoring.alerts.connection_threshold", "is out of range", "between 0 and 100; it is -1.")}},
		{name: "scale-up over 100", overrides: "performance_tier: {auto_scaling: {scale_up_threshold: 150}}",
			wants: []want{ov("performance_tier.auto_scaling.scale_up_threshold", "is out of range", "between 0 and 100; it is 150.")}},
		{name: "min equals max", overrides: "performance_tier: {auto_scaling: {min_resources: 4, max_resources: 4}}"},
		{name: "min over max", overrides: "performance_tier: {auto_scaling: {min_resources: 5, max_resources: 4}}",
			wants: []want{ov("performance_tier.auto_scaling.min_resources", "minimum exceeds its maximum", "min_resources is 5 and max_resources 4")}},
		{name: "scale-down below scale-up", overrides: "performance_tier: {auto_scaling: {scale_down_threshold: 69}}"},
		{name: "scale-down equals scale-up", overrides: "performance_tier: {auto_scaling: {scale_down_threshold: 70}}",
			wants: []want{ov("performance_tier.auto_scaling.scale_down_threshold", "must be below the scale-up threshold")}},
		{name: "scale-down above scale-up", overrides: "performance_tier: {auto_scaling: {scale_down_threshold: 80, scale_up_threshold: 60}}",
			wants: []want{ov("performance_tier.auto_scaling.scale_down_threshold", "scale_down_threshold is 80% and scale_up_threshold 60%")}},
		{name: "guaranteed equals burst", tier: "premium", overrides: "performance_tier: {qos: {guaranteed_iops: 10000}}"},
		{name: "guaranteed over burst", tier: "premium", overrides: "performance_tier: {qos: {guaranteed_iops: 10001}}",
			wants: []want{ov("performance_tier.qos.guaranteed_iops", "Guaranteed IOPS exceed burst IOPS", "10001")}},
		{name: "retention days out of range", overrides: "backup: {retention_days: 0}",
			wants: []want{ov("backup.retention_days", "is out of range", "backup.retention_days must be between 1 and 3650; it is 0.")}},
	})
}

func TestValidateLockedPaths(t *testing.T) {
	t.Parallel()
	cases := []validationCase{
		{name: "unlocked sibling of a locked path", overrides: "databases: {postgresql: {version: '16', extensions: [pg_trgm]}}"},
		{name: "subscription figures are not locked", overrides: "subscription: {max_users: 500, features: [sso]}"},
	}
	locked := []struct{ path, yaml string }{
		{"tenant_info", "tenant_info: {tenant_name: Other}"},
		{"tenant_info", "tenant_info: {tenant_id: other}"},
		{"tenant_info", "tenant_info: null"},
		{"tenant_info", "tenant_info: {}"},
		{"subscription.tier", "subscription: {tier: enterprise}"},
		{"subscription.tier", "subscription: {tier: null}"},
		{"databases.postgresql.schemas", "databases: {postgresql: {schemas: {tenant_data: shared_data}}}"},
		{"databases.postgresql.schemas", "databases: {postgresql: {schemas: {tenant_audit: null}}}"},
		{"databases.postgresql.schemas", "databases: {postgresql: {schemas: null}}"},
		{"databases.mongodb.collections", "databases: {mongodb: {collections: {users: all_users}}}"},
		{"databases.mongodb.collections", "databases: {mongodb: {collections: null}}"},
		{"databases.redis.namespaces", "databases: {redis: {namespaces: {cache: 'cache:'}}}"},
		{"databases.redis.namespaces", "databases: {redis: {namespaces: {session: null}}}"},
		{"databases.clickhouse.database", "databases: {clickhouse: {database: shared}}"},
		{"databases.elasticsearch.index_prefix", "databases: {elasticsearch: {index_prefix: x_}}"},
		{"databases.timescaledb.schema", "databases: {timescaledb: {schema: null}}"},
	}
	for _, l := range locked {
		cases = append(cases, validationCase{name: l.yaml, overrides: l.yaml,
			wants: []want{ov(l.path, l.path+" cannot be overridden", "remove this key")}})
	}
	cases = append(cases, validationCase{name: "two locked paths at once",
		overrides: "tenant_info: {tenant_type: x}\ndatabases: {redis: {namespaces: {cache: x}}}",
		wants:     []want{ov("tenant_info", "cannot be overridden"), ov("databases.redis.namespaces", "Isolation names", "cannot be overridden")}})
	runValidationCases(t, cases)
}

func TestValidateShape(t *testing.T) {
	t.Parallel()
	runValidationCases(t, []validationCase{
		{name: "custom is free-form", overrides: "custom: {anything: {deep: [1, {x: y}], 'with space': true}}"},
		{name: "custom parameters are free-form", overrides: "databases: {postgresql: {custom_parameters: {work_mem: 64MB, shared_buffers: 1}}}"},
		{name: "unknown key with suggestion", overrides: "monitoring: {alrets: {storage_threshold: 90}}",
			wants: []want{ov("monitoring.alrets", "Unknown key monitoring.alrets", `Did you mean "alerts"?`, "Free-form settings belong under custom")}},
		{name: "unknown top-level key", overrides: "monitorng: {level: basic}",
			wants: []want{ov("monitorng", "Unknown key monitorng", `Did you mean "monitoring"?`)}},
		{name: "unknown resource dimension", overrides: "databases: {postgresql: {resources: {cpu_core: 1}}}",
			wants: []want{ov("databases.postgresql.resources.cpu_core", "Unknown key", `Did you mean "cpu_cores"?`, "Known keys: cpu_cores, iops")}},
		{name: "unknown engine key", overrides: "databases: {postgresql: {verison: '16'}}",
			wants: []want{ov("databases.postgresql.verison", "Unknown key", `Did you mean "version"?`)}},
		{name: "unknown engine", overrides: "databases: {postgres: {enabled: true, isolation: schema}}",
			wants: []want{ov("databases.postgres", "Unknown key", `Did you mean "postgresql"?`)}},
		{name: "unknown engine in permissions", overrides: "security: {database_permissions: {postgres: {operations: [read]}}}",
			wants: []want{ov("security.database_permissions.postgres", "Invalid key", `Did you mean "postgresql"?`)}},
		{name: "invalid role name", overrides: "security: {access_control: {roles: {Admin: {permissions: ['tenant:read']}}}}",
			wants: []want{ov("security.access_control.roles.Admin", "Invalid key security.access_control.roles.Admin", `The key "Admin" must start with a lowercase letter and hold only lowercase letters, digits and _.`)}},
		{name: "string where a number belongs", overrides: "databases: {postgresql: {resources: {cpu_cores: two}}}",
			wants: []want{ov("databases.postgresql.resources.cpu_cores", "has the wrong type", `databases.postgresql.resources.cpu_cores must be a number; it is "two" (a string).`)}},
		{name: "string where a boolean belongs", overrides: "backup: {enabled: 'yes'}",
			wants: []want{ov("backup.enabled", "has the wrong type", `backup.enabled must be true or false; it is "yes" (a string).`)}},
		{name: "value outside an enum", overrides: "security: {encryption: {algorithm: DES}}",
			wants: []want{ov("security.encryption.algorithm", "unsupported value", `"AES-256-GCM"`)}},
		{name: "isolation cannot change", overrides: "databases: {postgresql: {isolation: database}}",
			wants: []want{ov("databases.postgresql.isolation", "cannot be changed", `"schema"`)}},
		{name: "audit retention period", overrides: "audit: {retention: {standard: 7y}}",
			wants: []want{ov("audit.retention.standard", "audit.retention.standard is not a period", `Got "7y"`, `"1_year"`)}},
		{name: "audit retention of another tier", overrides: "audit: {retention: {startup: 2_years}}"},
		{name: "audit retention is a map of tiers", overrides: "audit: {retention: {standard: 1}}",
			wants: []want{ov("audit.retention.standard", "has the wrong type")}},
		{name: "type errors do not hide unknown keys", overrides: "databases: {postgresql: {resources: {cpu_cores: two}, verison: '16'}}",
			wants: []want{ov("databases.postgresql.resources.cpu_cores", "wrong type"), ov("databases.postgresql.verison", "Unknown key")}},
		{name: "map over a scalar", overrides: "databases: {redis: big}",
			wants: []want{ov("databases.redis", "does not fit", "Cannot merge a string into a map")}},
		{name: "map over a list", overrides: "monitoring: {metrics: {a: 1}}",
			wants: []want{ov("monitoring.metrics", "does not fit", "Cannot merge a map into a list")}},
		{name: "scalar over a map", overrides: "backup: {schedule: daily}",
			wants: []want{ov("backup.schedule", "Cannot merge a string into a map")}},
		{name: "null deletes an optional key", overrides: "databases: {postgresql: {version: null}}\nmonitoring: {dashboards: null}"},
		{name: "null on a required key", overrides: "monitoring: {level: null}",
			wants: []want{ov("monitoring.level", "monitoring.level is required", "cannot be deleted")}},
		{name: "null on a required section", overrides: "security: {encryption: null}",
			wants: []want{ov("security.encryption", "is required")}},
		{name: "invalid UTF-8 names its path", mod: func(in *Input) {
			in.Overrides = map[string]any{"custom": map[string]any{"blob": "ok\xff"}}
		}, wants: []want{ov("custom.blob", "cannot be written", "UTF-8")}},
	})
}

func TestValidatePlaceholders(t *testing.T) {
	t.Parallel()
	runValidationCases(t, []validationCase{
		{name: "built-in variable in overrides", overrides: `custom: {owner: "${TENANT_ID}@example.com"}`},
		{name: "escape", overrides: `custom: {note: "cost $${PRICE}"}`},
		{name: "unknown variable", overrides: `custom: {note: "${NOPE}"}`,
			wants: []want{ov("custom.note", "Unknown template variable", `"NOPE"`, "variables map")}},
		{name: "unknown variable with suggestion", overrides: `custom: {note: "x ${TENNANT_ID}"}`,
			wants: []want{ov("custom.note", "Unknown template variable", `did you mean "TENANT_ID"?`)}},
		{name: "unterminated placeholder", overrides: `custom: {note: "${oops"}`,
			wants: []want{ov("custom.note", "Invalid placeholder", "Unterminated")}},
		{name: "invalid placeholder name", overrides: `monitoring: {alerts: {channels: ["${1X}"]}}`,
			wants: []want{ov("monitoring.alerts.channels[0]", "Invalid placeholder", `Invalid variable name "1X"`)}},
		{name: "custom variable", overrides: `custom: {channel: "${SLACK_CHANNEL}"}`,
			mod: func(in *Input) { in.Variables = map[string]string{"SLACK_CHANNEL": "#ops"} }},
		{name: "invalid variable name", mod: func(in *Input) { in.Variables = map[string]string{"slack": "x"} },
			wants: []want{{FieldVariables, "slack", []string{`Invalid variable name "slack"`, "upper case"}}}},
		{name: "built-in variable redefined", mod: func(in *Input) { in.Variables = map[string]string{"TENANT_ID": "x"} },
			wants: []want{{FieldVariables, "TENANT_ID", []string{"Variable TENANT_ID is built in"}}}},
		{name: "ceiling variable redefined", mod: func(in *Input) { in.Variables = map[string]string{"POSTGRESQL_CPU_CORES": "64"} },
			wants: []want{{FieldVariables, "POSTGRESQL_CPU_CORES", []string{"is built in"}}}},
		{name: "ceiling variable of an engine the tier lacks", mod: func(in *Input) { in.Variables = map[string]string{"CLICKHOUSE_CPU_CORES": "4"} },
			wants: []want{{FieldVariables, "CLICKHOUSE_CPU_CORES", []string{"is built in"}}}},
	})
}

func TestValidateArguments(t *testing.T) {
	t.Parallel()
	set := func(f func(*Input)) func(*Input) { return f }
	runValidationCases(t, []validationCase{
		{name: "shortest tenant id", mod: set(func(in *Input) { in.TenantID = "abc" })},
		{name: "longest tenant id", mod: set(func(in *Input) { in.TenantID = "a" + strings.Repeat("b_9", 13) })},
		{name: "tenant id too short", mod: set(func(in *Input) { in.TenantID = "ab" }),
			wants: []want{{FieldTenantID, "", []string{`Invalid tenant id "ab"`, "3 to 40"}}}},
		{name: "tenant id too long", mod: set(func(in *Input) { in.TenantID = strings.Repeat("a", 41) }),
			wants: []want{{FieldTenantID, "", []string{"Invalid tenant id"}}}},
		{name: "tenant id upper case", mod: set(func(in *Input) { in.TenantID = "Acme" }),
			wants: []want{{FieldTenantID, "", []string{"Invalid tenant id"}}}},
		{name: "tenant id with a dash", mod: set(func(in *Input) { in.TenantID = "acme-corp" }),
			wants: []want{{FieldTenantID, "", []string{"Invalid tenant id"}}}},
		{name: "tenant id starting with a digit", mod: set(func(in *Input) { in.TenantID = "1acme" }),
			wants: []want{{FieldTenantID, "", []string{"Invalid tenant id"}}}},
		{name: "tenant name of 200 characters", mod: set(func(in *Input) { in.TenantName = strings.Repeat("é", 200) })},
		{name: "tenant name too long", mod: set(func(in *Input) { in.TenantName = strings.Repeat("é", 201) }),
			wants: []want{{FieldTenantName, "", []string{"Invalid tenant name", "1 to 200 characters; it holds 201"}}}},
		{name: "empty tenant name", mod: set(func(in *Input) { in.TenantName = "" }),
			wants: []want{{FieldTenantName, "", []string{"it holds 0"}}}},
		{name: "tenant name with a newline", mod: set(func(in *Input) { in.TenantName = "Acme\nCorp" }),
			wants: []want{{FieldTenantName, "", []string{"control characters"}}}},
		{name: "tenant name with a C1 control", mod: set(func(in *Input) { in.TenantName = "Acme\u0085Corp" }),
			wants: []want{{FieldTenantName, "", []string{"control characters"}}}},
		{name: "tenant name not UTF-8", mod: set(func(in *Input) { in.TenantName = "Acme\xff" }),
			wants: []want{{FieldTenantName, "", []string{"UTF-8"}}}},
		{name: "unknown tier with suggestion", mod: set(func(in *Input) { in.Tier = "standrd" }),
			wants: []want{{FieldTier, "", []string{`Unknown tier "standrd"`, `Did you mean "standard"?`, `"free", "standard", "premium", "enterprise"`}}}},
		{name: "the base template is not a tier", mod: set(func(in *Input) { in.Tier = "tenant" }),
			wants: []want{{FieldTier, "", []string{`Unknown tier "tenant"`}}}},
		{name: "unknown environment", mod: set(func(in *Input) { in.Environment = "productoin" }),
			wants: []want{{FieldEnvironment, "", []string{`Unknown environment "productoin"`, `Did you mean "production"?`}}}},
		{name: "environment development", mod: set(func(in *Input) { in.Environment = "development" })},
		{name: "time zone", mod: set(func(in *Input) { in.Timezone = "America/New_York" })},
		{name: "unknown time zone", mod: set(func(in *Input) { in.Timezone = "Mars/Olympus_Mons" }),
			wants: []want{{FieldTimezone, "", []string{`Unknown time zone "Mars/Olympus_Mons"`, "IANA"}}}},
		{name: "Local is not a time zone name", mod: set(func(in *Input) { in.Timezone = "Local" }),
			wants: []want{{FieldTimezone, "", []string{"Unknown time zone"}}}},
		{name: "empty time zone", mod: set(func(in *Input) { in.Timezone = "" }),
			wants: []want{{FieldTimezone, "", []string{"Unknown time zone"}}}},
		{name: "bad region", mod: set(func(in *Input) { in.Region = "US East" }),
			wants: []want{{FieldRegion, "", []string{`Invalid region "US East"`, "us-east-1"}}}},
		{name: "empty region", mod: set(func(in *Input) { in.Region = "" }),
			wants: []want{{FieldRegion, "", []string{"Invalid region"}}}},
		{name: "every argument wrong", mod: set(func(in *Input) {
			*in = Input{TenantID: "X", TenantName: "", Tier: "gold", Environment: "production", Region: "?", Timezone: "Nowhere",
				Variables: map[string]string{"bad-name": "x"}, Regulations: []string{"ISO"}}
		}), wants: []want{
			{FieldTenantID, "", nil}, {FieldTenantName, "", nil}, {FieldTier, "", nil}, {FieldRegion, "", nil},
			{FieldTimezone, "", nil}, {FieldVariables, "bad-name", nil}, {FieldRegulations, "", nil},
		}},
	})
}

func TestValidateOverridesShapeAndSize(t *testing.T) {
	t.Parallel()
	deep := "x"
	for range MaxOverrideDepth {
		deep = "{a: " + deep + "}"
	}
	fits := "x"
	for range MaxOverrideDepth - 1 {
		fits = "{a: " + fits + "}"
	}
	many := make([]any, MaxOverrideNodes)
	for i := range many {
		many[i] = int64(i)
	}
	runValidationCases(t, []validationCase{
		{name: "as deep as allowed", overrides: "custom: " + fits},
		{name: "deeper than allowed", overrides: "custom: " + deep,
			wants: []want{ov("custom"+strings.Repeat(".a", MaxOverrideDepth-1), "Overrides are too large", "nested deeper than 32 levels")}},
		{name: "more nodes than allowed", mod: func(in *Input) {
			in.Overrides = map[string]any{"custom": map[string]any{"list": many}}
		},
			// The root, custom and the list are three nodes: the item past the limit is named.
			wants: []want{ov(fmt.Sprintf("custom.list[%d]", MaxOverrideNodes-3), "Overrides are too large", fmt.Sprintf("more than %d nodes", MaxOverrideNodes))}},
		{name: "a list", mod: func(in *Input) { in.Overrides = []any{"a"} },
			wants: []want{ov("", "Overrides must be an object")}},
		{name: "a string", mod: func(in *Input) { in.Overrides = "monitoring" },
			wants: []want{ov("", "Overrides must be an object")}},
		{name: "an empty object", mod: func(in *Input) { in.Overrides = map[string]any{} }},
	})
}

// TestSeveralProblems checks that independent problems are all reported at
// once, not one per plan.
func TestSeveralProblems(t *testing.T) {
	t.Parallel()
	runValidationCases(t, []validationCase{
		{name: "engine, regulation and ceiling", mod: withRegulations("HIPAA"),
			overrides: "databases: {clickhouse: {enabled: true}, postgresql: {resources: {cpu_cores: 3}}}",
			wants: []want{
				ov("databases.clickhouse.enabled", "not offered"),
				reg("HIPAA cannot be claimed"),
				ov("databases.postgresql.resources.cpu_cores", "exceeds the ceiling"),
			}},
		{name: "schema and rules together", tier: "enterprise",
			overrides: "monitoring: {alrets: {}}\nsecurity: {encryption: {enabled: false}}\nbackup: {schedule: {full_backup: '@daily'}}\nperformance_tier: {qos: {guaranteed_iops: 30000}}",
			wants: []want{
				ov("monitoring.alrets", "Unknown key"),
				ov("security.encryption.enabled", "requires encryption"),
				ov("backup.schedule.full_backup", "Invalid cron"),
				ov("performance_tier.qos.guaranteed_iops", "exceed burst"),
			}},
		{name: "locked paths are all reported", overrides: "tenant_info: null\nsubscription: {tier: free}\ndatabases: {postgresql: {schemas: {}}}",
			wants: []want{ov("tenant_info"), ov("subscription.tier"), ov("databases.postgresql.schemas")}},
	})
}

// TestProblemsAreSortedAndStable checks that the problems of one input come
// in the same order on every render.
func TestProblemsAreStable(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	in := input("standard")
	in.Regulations = []string{"HIPAA", "SOX"}
	in.Overrides = overrides(t, "monitoring: {alrets: {}, levle: x}\ndatabases: {clickhouse: {enabled: true}, elasticsearch: {enabled: true}}")
	_, first := Render(cat, in)
	if len(first) < 5 {
		t.Fatalf("want at least 5 problems, got:\n%s", describe(first))
	}
	for range 20 {
		_, again := Render(cat, in)
		if !slices.Equal(first, again) {
			t.Fatalf("problems differ between renders:\n%s\nthen\n%s", describe(first), describe(again))
		}
	}
}
