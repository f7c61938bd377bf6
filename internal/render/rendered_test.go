package render

import (
	"strings"
	"testing"
)

func TestParseRenderedConfig(t *testing.T) {
	res, ps := Render(defaultCatalog(t), input("standard"))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if cfg, err := ParseRenderedConfig(shownYAML(t, res)); err != nil || cfg["tenant_info"] == nil {
		t.Fatalf("a rendered configuration is refused: %v", err)
	}
	for name, tc := range map[string]struct{ text, want string }{
		"empty":           {"", "empty"},
		"not a mapping":   {"- a\n- b", "not a mapping"},
		"scalar":          {"42", "not a mapping"},
		"unrelated":       {"a: 1", "none of the sections tenant_info, subscription"},
		"broken YAML":     {"a: [", "not a rendered configuration"},
		"missing section": {strings.Replace(shownYAML(t, res), "\nsupport:", "\nsupportt:", 1), "the sections support are missing"},
		"no tenant id":    {strings.Replace(shownYAML(t, res), "  tenant_id: acme\n", "", 1), "tenant_info.tenant_id is missing"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseRenderedConfig(tc.text)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestCheckDatabaseAndOperation(t *testing.T) {
	if CheckDatabase("postgresql") != nil || CheckOperation("write") != nil {
		t.Fatal("a valid database or operation is refused")
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{CheckDatabase("postgres"), `"postgres" is not a database engine: use one of postgresql, mongodb, redis, clickhouse, elasticsearch, timescaledb (did you mean "postgresql"?)`},
		{CheckDatabase("oracle"), `"oracle" is not a database engine: use one of`},
		{CheckOperation("delete"), `"delete" is not an operation: use one of read, write, admin, backup`},
		{CheckOperation("wirte"), `(did you mean "write"?)`},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("got %v, want %q", tc.err, tc.want)
		}
	}
}
