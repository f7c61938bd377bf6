package render

import (
	"slices"
	"testing"
)

// Every class of problem names the argument a user has to change: the
// provider reports it on the attribute of that name and reads nothing else.
func TestProblemFields(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	for _, tc := range []struct {
		class     string
		tier      string
		mod       func(*Input)
		overrides string
		want      Field
	}{
		{class: "tenant id", mod: func(in *Input) { in.TenantID = "Acme" }, want: FieldTenantID},
		{class: "tenant name", mod: func(in *Input) { in.TenantName = "a\nb" }, want: FieldTenantName},
		{class: "unknown tier", mod: func(in *Input) { in.Tier = "gold" }, want: FieldTier},
		{class: "unknown environment", mod: func(in *Input) { in.Environment = "qa" }, want: FieldEnvironment},
		{class: "region", mod: func(in *Input) { in.Region = "EU West" }, want: FieldRegion},
		{class: "time zone", mod: func(in *Input) { in.Timezone = "Mars/Olympus" }, want: FieldTimezone},
		{class: "variable name", mod: func(in *Input) { in.Variables = map[string]string{"team": "x"} }, want: FieldVariables},
		{class: "built-in variable", mod: func(in *Input) { in.Variables = map[string]string{"TENANT_ID": "x"} }, want: FieldVariables},
		{class: "unknown regulation", mod: withRegulations("HIPPA"), want: FieldRegulations},
		{class: "regulation the tier does not allow", mod: withRegulations("HIPAA"), want: FieldRegulations},
		{class: "regulations set twice", mod: withRegulations("GDPR"), overrides: "compliance: {regulations: [GDPR]}", want: FieldRegulations},
		{class: "regulation claimed in overrides", overrides: "compliance: {regulations: [HIPAA]}", want: FieldOverrides},
		{class: "regulation need the overrides break", tier: "premium", mod: withRegulations("HIPAA"),
			overrides: "security: {ssl: {required: false}}", want: FieldOverrides},
		{class: "unknown key", overrides: "monitoring: {alerts: {storage_treshold: 90}}", want: FieldOverrides},
		{class: "ceiling", overrides: "databases: {postgresql: {resources: {cpu_cores: 3}}}", want: FieldOverrides},
		{class: "engine not offered", overrides: "databases: {clickhouse: {enabled: true}}", want: FieldOverrides},
		{class: "locked path", overrides: "databases: {postgresql: {schemas: {tenant_data: other_data}}}", want: FieldOverrides},
		{class: "unknown variable in overrides", overrides: "custom: {owner: '${OWNER}'}", want: FieldOverrides},
		{class: "type clash", overrides: "monitoring: 5", want: FieldOverrides},
		{class: "requirement", tier: "enterprise", overrides: "security: {encryption: {enabled: false}}", want: FieldOverrides},
	} {
		t.Run(tc.class, func(t *testing.T) {
			tier := tc.tier
			if tier == "" {
				tier = "standard"
			}
			in := input(tier)
			if tc.mod != nil {
				tc.mod(&in)
			}
			if tc.overrides != "" {
				in.Overrides = overrides(t, tc.overrides)
			}
			_, ps := Render(cat, in)
			if len(ps) == 0 {
				t.Fatal("no problem")
			}
			for _, p := range ps {
				if p.Field != tc.want {
					t.Errorf("problem %q is about %s, want %s", p.Summary, p.Field, tc.want)
				}
				if !slices.Contains(Fields, p.Field) {
					t.Errorf("problem %q names %q, which is not an argument", p.Summary, p.Field)
				}
			}
		})
	}
}

// A problem of the tier's own template is reported on the tier.
func TestProblemFieldsOfTheCatalog(t *testing.T) {
	t.Parallel()
	cat := customCatalog(t, startupTier)
	_, ps := Render(cat, input("startup"))
	if len(ps) != 1 || ps[0].Field != FieldTier {
		t.Fatalf("problems %s, want one about the tier", describe(ps))
	}
}
