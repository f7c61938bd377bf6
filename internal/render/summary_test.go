package render

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func f64(f float64) *float64 { return &f }
func i64(i int64) *int64     { return &i }

func TestSummarizePremium(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	res := mustRender(t, cat, input("premium"))
	s := res.Summary
	if !reflect.DeepEqual(s, Summarize(res.Config)) {
		t.Error("Result.Summary differs from Summarize(Result.Config)")
	}

	wantLimits := Limits{MaxUsers: 10000, StorageGB: 1000, APICallsPerMonth: 10000000, DBConnections: 500}
	if s.Limits != wantLimits {
		t.Errorf("limits = %+v, want %+v", s.Limits, wantLimits)
	}

	engine := func(deployment, isolation string, cpu, mem, storage float64, conns int64, iops *int64) Database {
		return Database{Enabled: true, Deployment: deployment, Isolation: isolation,
			CPUCores: f64(cpu), MemoryGB: f64(mem), StorageGB: f64(storage), MaxConnections: i64(conns), IOPS: iops}
	}
	wantDBs := map[string]Database{
		"postgresql":    engine("dedicated_cluster", "schema", 8, 32, 1000, 500, i64(5000)),
		"mongodb":       engine("dedicated_cluster", "collection", 8, 32, 1000, 500, nil),
		"redis":         engine("dedicated_cluster", "key_prefix", 4, 4, 100, 5000, nil),
		"clickhouse":    engine("dedicated_cluster", "database", 4, 16, 500, 200, nil),
		"elasticsearch": engine("dedicated_cluster", "index_prefix", 4, 16, 500, 200, nil),
		"timescaledb":   {Enabled: false, Isolation: "schema"},
	}
	if !reflect.DeepEqual(s.Databases, wantDBs) {
		for name, want := range wantDBs {
			if got := s.Databases[name]; !reflect.DeepEqual(got, want) {
				t.Errorf("databases[%s] = %s, want %s", name, showDB(got), showDB(want))
			}
		}
		if len(s.Databases) != len(wantDBs) {
			t.Errorf("databases has %d engines, want %d", len(s.Databases), len(wantDBs))
		}
	}

	wantIso := Isolation{
		PostgreSQLSchemas:  map[string]string{"tenant_data": "acme_data", "tenant_analytics": "acme_analytics", "tenant_audit": "acme_audit"},
		MongoDBCollections: map[string]string{"users": "acme_users", "tracks": "acme_tracks", "playlists": "acme_playlists"},
		RedisNamespaces:    map[string]string{"cache": "cache:acme:", "session": "session:acme:", "analytics": "analytics:acme:"},
	}
	if !reflect.DeepEqual(s.Isolation, wantIso) {
		t.Errorf("isolation = %+v, want %+v", s.Isolation, wantIso)
	}
}

// showDB writes d with its figures, not their addresses.
func showDB(d Database) string {
	deref := func(p any) any {
		switch x := p.(type) {
		case *float64:
			if x != nil {
				return *x
			}
		case *int64:
			if x != nil {
				return *x
			}
		}
		return nil
	}
	return fmt.Sprintf("{enabled=%v deployment=%q isolation=%q cpu=%v memory=%v storage=%v connections=%v iops=%v}",
		d.Enabled, d.Deployment, d.Isolation, deref(d.CPUCores), deref(d.MemoryGB), deref(d.StorageGB),
		deref(d.MaxConnections), deref(d.IOPS))
}

func TestSummarizeFollowsOverrides(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	in := input("standard")
	in.Overrides = overrides(t, "databases: {mongodb: null, postgresql: {resources: {cpu_cores: 1, iops: null}}}\nsubscription: {max_users: 250}")
	s := mustRender(t, cat, in).Summary
	if _, ok := s.Databases["mongodb"]; ok {
		t.Error("a deleted engine is still summarised")
	}
	if len(s.Isolation.MongoDBCollections) != 0 {
		t.Errorf("collections of a deleted engine: %v", s.Isolation.MongoDBCollections)
	}
	pg := s.Databases["postgresql"]
	if pg.CPUCores == nil || *pg.CPUCores != 1 || pg.IOPS != nil {
		t.Errorf("postgresql = %s, want cpu 1 and no iops", showDB(pg))
	}
	if s.Limits.MaxUsers != 250 {
		t.Errorf("max users = %d, want 250", s.Limits.MaxUsers)
	}
}

func TestLosses(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	cfg := map[string]map[string]any{}
	for _, tier := range []string{"free", "standard", "premium", "enterprise"} {
		cfg[tier] = mustRender(t, cat, input(tier)).Config
	}

	lost := Losses(cfg["premium"], cfg["free"])
	for _, want := range []string{
		"the clickhouse database (disabled)",
		"the elasticsearch database (disabled)",
		"backups",
		"point-in-time recovery",
		"cross-region backup replication",
		"support level priority (now community)",
		"monitoring level premium (now basic)",
		"QoS priority high (now low)",
		"users: 10,000 (now 10)",
	} {
		if !slices.Contains(lost, want) {
			t.Errorf("premium -> free: %q missing from %q", want, lost)
		}
	}
	for _, l := range lost {
		if strings.Contains(l, "postgresql") || strings.Contains(l, "redis") {
			t.Errorf("premium -> free lists %q, an engine both tiers have", l)
		}
	}

	if lost := Losses(cfg["free"], cfg["premium"]); len(lost) != 0 {
		t.Errorf("free -> premium loses %q, want nothing", lost)
	}
	if lost := Losses(cfg["standard"], cfg["standard"]); len(lost) != 0 {
		t.Errorf("standard -> standard loses %q, want nothing", lost)
	}

	lost = Losses(cfg["enterprise"], cfg["premium"])
	for _, want := range []string{"the timescaledb database (disabled)", "disaster recovery", "HSM-backed encryption", "support level dedicated (now priority)"} {
		if !slices.Contains(lost, want) {
			t.Errorf("enterprise -> premium: %q missing from %q", want, lost)
		}
	}

	if lost := Losses(cfg["premium"], cfg["standard"]); !slices.Contains(lost, "audit retention 3y (now 1y)") {
		t.Errorf("premium -> standard: shorter audit retention missing from %q", lost)
	}
	// A level that goes up is not a loss, even on a downgrade.
	better := input("standard")
	better.Overrides = overrides(t, "support: {level: dedicated}\nmonitoring: {level: enterprise}\naudit: {retention: 10y}")
	lost = Losses(cfg["premium"], mustRender(t, cat, better).Config)
	for _, l := range lost {
		if strings.HasPrefix(l, "support level") || strings.HasPrefix(l, "monitoring level") || strings.HasPrefix(l, "audit retention") {
			t.Errorf("premium -> standard with better levels lists %q", l)
		}
	}

	in := input("premium")
	in.Regulations = []string{"HIPAA"}
	withHIPAA := mustRender(t, cat, in).Config
	if lost := Losses(withHIPAA, cfg["standard"]); !slices.Contains(lost, "the HIPAA regulation claim") {
		t.Errorf("premium with HIPAA -> standard: regulation claim missing from %q", lost)
	}
}

func TestAccess(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	rendered := func(tier, overridesYAML string) map[string]any {
		t.Helper()
		in := input(tier)
		if overridesYAML != "" {
			in.Overrides = overrides(t, overridesYAML)
		}
		cfg, err := ParseRendered(mustRender(t, cat, in).YAML)
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	standard := rendered("standard", "")
	premium := rendered("premium", "")
	free := rendered("free", "")
	adminGranted := rendered("standard", `
security:
  access_control: {roles: {tenant_admin: {permissions: ["tenant:read", "tenant:write", "tenant:backup", "tenant:admin"]}}}
  database_permissions: {postgresql: {operations: [read, write, backup, admin]}}`)
	adminRoleOnly := rendered("standard", `security: {access_control: {roles: {dba: {permissions: ["tenant:admin"]}}}}`)
	noMongo := rendered("standard", "databases: {mongodb: null}")
	noPermissions := rendered("standard", "security: {database_permissions: {mongodb: null}}")
	backupsOff := rendered("standard", "backup: {enabled: false}")

	cases := []struct {
		name      string
		cfg       map[string]any
		db, op    string
		allowed   bool
		reasonHas []string
	}{
		{"read postgresql", standard, "postgresql", "read", true, []string{"acme may read postgresql", "tenant_admin, tenant_user"}},
		{"write postgresql", standard, "postgresql", "write", true, []string{"acme may write postgresql through the role tenant_admin"}},
		{"write mongodb", standard, "mongodb", "write", true, nil},
		{"write redis", standard, "redis", "write", true, nil},
		{"write clickhouse on standard", standard, "clickhouse", "write", false, []string{"clickhouse is not enabled for acme (tier standard)"}},
		{"write clickhouse on premium", premium, "clickhouse", "write", true, []string{"acme may write clickhouse"}},
		{"timescaledb on premium", premium, "timescaledb", "read", false, []string{"timescaledb is not enabled for acme"}},
		{"admin without a role", standard, "postgresql", "admin", false, []string{"no role of acme grants tenant:admin"}},
		{"admin granted", adminGranted, "postgresql", "admin", true, []string{"acme may admin postgresql through the role tenant_admin"}},
		{"admin role but not an engine operation", adminRoleOnly, "postgresql", "admin", false, []string{"the postgresql permissions of acme do not allow admin"}},
		{"admin granted on postgresql only", adminGranted, "mongodb", "admin", false, []string{"mongodb permissions of acme do not allow admin"}},
		{"backup on free", free, "postgresql", "backup", false, []string{"backups are not enabled for acme (tier free)"}},
		{"backup on standard", standard, "postgresql", "backup", true, []string{"acme may backup postgresql"}},
		{"backup switched off", backupsOff, "mongodb", "backup", false, []string{"backups are not enabled"}},
		{"backup on redis", standard, "redis", "backup", false, []string{"the redis permissions of acme do not allow backup"}},
		{"unknown engine", standard, "mysql", "read", false, []string{`"mysql" is not a database engine`, "postgresql, mongodb"}},
		{"unknown operation", standard, "postgresql", "drop", false, []string{`"drop" is not an operation`, "read, write, admin, backup"}},
		{"absent engine", noMongo, "mongodb", "read", false, []string{"acme has no mongodb database"}},
		{"engine without permissions", noPermissions, "mongodb", "read", false, []string{"acme defines no database permissions for mongodb"}},
		{"empty configuration", map[string]any{}, "postgresql", "read", false, []string{"the tenant has no postgresql database"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			allowed, reason := Access(c.cfg, c.db, c.op)
			if allowed != c.allowed {
				t.Errorf("Access(%s, %s) = %v (%s), want %v", c.db, c.op, allowed, reason, c.allowed)
			}
			if reason == "" {
				t.Error("empty reason")
			}
			for _, s := range c.reasonHas {
				if !strings.Contains(reason, s) {
					t.Errorf("reason %q lacks %q", reason, s)
				}
			}
		})
	}
}

func TestCheckCatalogEmbedded(t *testing.T) {
	t.Parallel()
	if err := CheckCatalog(defaultCatalog(t)); err != nil {
		t.Fatalf("the embedded catalog fails its own check: %v", err)
	}
	cat := defaultCatalog(t)
	for _, tier := range cat.Tiers() {
		for _, env := range tier.Environments() {
			res, ps := RenderSample(cat, tier, env)
			if len(ps) > 0 {
				t.Fatalf("RenderSample(%s, %s): %s", tier.Name, env, describe(ps))
			}
			if got := lookup(t, res.Config, "tenant_info.id"); got != "sample_tenant" {
				t.Errorf("sample tenant id = %v", got)
			}
		}
	}
}
