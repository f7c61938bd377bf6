package render

import (
	"math/big"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// Every kind of JSON Schema failure that the schema can produce reads as a
// sentence that names the path, the value and what is allowed.
func TestSchemaMessages(t *testing.T) {
	runValidationCases(t, []validationCase{
		{name: "exclusiveMinimum", tier: "premium", overrides: "databases: {clickhouse: {cluster_nodes: 0}}",
			wants: []want{ov("databases.clickhouse.cluster_nodes", "databases.clickhouse.cluster_nodes is out of range",
				"databases.clickhouse.cluster_nodes must be greater than 0; it is 0.")}},
		{name: "minimum and maximum", overrides: "security: {encryption: {key_rotation_days: 0}}",
			wants: []want{ov("security.encryption.key_rotation_days", "is out of range",
				"security.encryption.key_rotation_days must be between 1 and 3650; it is 0.")}},
		{name: "minimum alone", overrides: "monitoring: {performance: {slow_query_threshold: 0}}",
			wants: []want{ov("monitoring.performance.slow_query_threshold", "is out of range",
				"monitoring.performance.slow_query_threshold must be at least 1; it is 0.")}},
		{name: "maximum with a fraction", overrides: "monitoring: {alerts: {storage_threshold: 100.5}}",
			wants: []want{ov("monitoring.alerts.storage_threshold", "must be between 0 and 100; it is 100.5.")}},
		{name: "uniqueItems", overrides: "monitoring: {alerts: {channels: [email, slack, email]}}",
			wants: []want{ov("monitoring.alerts.channels", "monitoring.alerts.channels lists email twice",
				"monitoring.alerts.channels lists email twice (items 0 and 2): each item may appear once.")}},
		{name: "minLength", tier: "premium", overrides: "compliance: {gdpr: {data_processing_purpose: ''}}",
			wants: []want{ov("compliance.gdpr.data_processing_purpose", "compliance.gdpr.data_processing_purpose is empty",
				"compliance.gdpr.data_processing_purpose must not be empty")}},
		{name: "pattern of a list item", overrides: "security: {database_permissions: {redis: {command_whitelist: [GET, SET, DEL, EXPIRE, 'FLUSH ALL']}}}",
			wants: []want{ov("security.database_permissions.redis.command_whitelist.4", "is not in the required form",
				`security.database_permissions.redis.command_whitelist.4 is "FLUSH ALL": it must be a command or command category name`)}},
		{name: "pattern of a key", overrides: "audit: {retention: {'Audit Logs': 30 days}}",
			wants: []want{ov("audit.retention.Audit Logs", "Invalid key audit.retention.Audit Logs",
				`The key "Audit Logs" must start with a lowercase letter and hold only lowercase letters, digits, _ and -.`)}},
		{name: "enum", overrides: "monitoring: {alerts: {channels: [emial]}}",
			wants: []want{ov("monitoring.alerts.channels.0", "has an unsupported value",
				`monitoring.alerts.channels.0 is "emial"; the allowed values are "email", "slack", "pagerduty", "webhook". Did you mean "email"?`)}},
		{name: "const", overrides: "databases: {postgresql: {isolation: database}}",
			wants: []want{ov("databases.postgresql.isolation", "cannot be changed",
				`databases.postgresql.isolation must be "schema"; it is "database".`)}},
		{name: "type", overrides: "backup: {retention_days: '30'}",
			wants: []want{ov("backup.retention_days", "has the wrong type", `backup.retention_days must be a whole number; it is "30" (a string).`)}},
		{name: "several unknown keys in one object", overrides: "monitoring: {levle: premium, alrets: {}, zzz: 1}",
			wants: []want{ov("monitoring", "Unknown keys at monitoring: alrets, levle, zzz",
				`These keys are not part of the configuration at monitoring: alrets (did you mean "alerts"?), levle (did you mean "level"?), zzz.`,
				"Known keys: ", "Free-form settings belong under custom.")}},
		{name: "unknown keys in two objects", overrides: "monitoring: {levle: premium, alrets: {}}\nbackup: {retention_dayz: 3}",
			wants: []want{
				ov("backup.retention_dayz", "Unknown key backup.retention_dayz", `Did you mean "retention_days"?`),
				ov("monitoring", "Unknown keys at monitoring: alrets, levle"),
			}},
		{name: "several unknown sections", overrides: "monitorng: {}\nsecurty: {}",
			wants: []want{ov("", "Unknown keys monitorng, securty", `monitorng (did you mean "monitoring"?), securty (did you mean "security"?)`)}},
	})
}

// The kinds the schema does not use today read as sentences too.
func TestDescribeFailure(t *testing.T) {
	r := func(n int64) *big.Rat { return big.NewRat(n, 1) }
	for _, tc := range []struct {
		kind    jsonschema.ErrorKind
		bounds  map[string]any
		value   any
		summary string
		detail  string
	}{
		{&kind.MaxLength{Got: 250, Want: 200}, nil, nil, "x.y is too long", "x.y must hold at most 200 characters; it holds 250."},
		{&kind.MinLength{Got: 1, Want: 3}, nil, nil, "x.y is too short", "x.y must hold at least 3 characters; it holds 1."},
		{&kind.MinItems{Got: 0, Want: 1}, nil, nil, "x.y has too few items", "x.y must list at least 1 item; it lists 0."},
		{&kind.MaxItems{Got: 5, Want: 3}, nil, nil, "x.y has too many items", "x.y must list at most 3 items; it lists 5."},
		{&kind.MinProperties{Got: 0, Want: 2}, nil, nil, "x.y has too few keys", "x.y must have at least 2 keys; it has 0."},
		{&kind.MaxProperties{Got: 3, Want: 1}, nil, nil, "x.y has too many keys", "x.y must have at most 1 key; it has 3."},
		{&kind.ExclusiveMaximum{Got: r(10), Want: r(10)}, nil, nil, "x.y is out of range", "x.y must be less than 10; it is 10."},
		{&kind.Minimum{Got: big.NewRat(1, 4), Want: big.NewRat(1, 2)}, nil, nil, "x.y is out of range", "x.y must be at least 0.5; it is 0.25."},
		{&kind.Maximum{Got: r(11), Want: r(10)}, map[string]any{"exclusiveMinimum": 0.0, "maximum": 10.0}, nil, "x.y is out of range",
			"x.y must be greater than 0 and at most 10; it is 11."},
		{&kind.MultipleOf{Got: r(7), Want: r(5)}, nil, nil, "x.y is out of range", "x.y must be a multiple of 5; it is 7."},
		{&kind.UniqueItems{Duplicates: [2]int{0, 1}}, nil, []any{int64(3), int64(3)}, "x.y lists 3 twice", "x.y lists 3 twice (items 0 and 1): each item may appear once."},
	} {
		summary, detail := describeFailure("x.y", "x.y", tc.kind, tc.bounds, tc.value, tc.value != nil, false)
		if summary != tc.summary || !strings.HasPrefix(detail, tc.detail) {
			t.Errorf("%T:\n got %q / %q\nwant %q / %q", tc.kind, summary, detail, tc.summary, tc.detail)
		}
		for _, raw := range []string{"got", "want", "Items at"} {
			if strings.Contains(detail, raw) {
				t.Errorf("%T: %q reads like the validator", tc.kind, detail)
			}
		}
	}
}
