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

	// premium -> standard, whole: every per-engine shrink with its units,
	// the engines that go away, the features, levels and retention periods.
	want := []string{
		"postgresql CPU 8 → 2 cores",
		"postgresql memory 32 GB → 8 GB",
		"postgresql storage 1,000 GB → 100 GB",
		"postgresql max connections 500 → 100",
		"postgresql IOPS 5,000 → 1,000",
		"postgresql deployment dedicated_cluster → dedicated",
		"mongodb CPU 8 → 2 cores",
		"mongodb memory 32 GB → 8 GB",
		"mongodb storage 1,000 GB → 100 GB",
		"mongodb max connections 500 → 100",
		"mongodb deployment dedicated_cluster → dedicated",
		"redis CPU 4 → 1 core",
		"redis memory 4 GB → 1 GB",
		"redis storage 100 GB → 10 GB",
		"redis max connections 5,000 → 1,000",
		"redis deployment dedicated_cluster → dedicated",
		"clickhouse is removed with its data",
		"elasticsearch is removed with its data",
		"point-in-time recovery",
		"cross-region backup replication",
		"predictive scaling",
		"application performance monitoring",
		"support level priority → standard",
		"monitoring level premium → standard",
		"QoS priority high → normal",
		"dashboard retention 30 → 7 days",
		"audit retention 3_years → 1_year",
		"max users 10,000 → 1,000",
		"subscription storage 1,000 GB → 100 GB",
		"API calls per month 10,000,000 → 1,000,000",
		"database connections 500 → 100",
	}
	if got := Losses(cfg["premium"], cfg["standard"]); !slices.Equal(got, want) {
		t.Errorf("premium -> standard loses\n  %q\nwant\n  %q", got, want)
	}

	// The example: a larger PostgreSQL than the tier below gives.
	in := input("premium")
	in.Overrides = overrides(t, "databases: {postgresql: {resources: {storage_gb: 400}}}")
	if lost := Losses(mustRender(t, cat, in).Config, cfg["standard"]); !slices.Contains(lost, "postgresql storage 400 GB → 100 GB") {
		t.Errorf("premium with 400 GB -> standard: storage shrink missing from %q", lost)
	}

	lost := Losses(cfg["premium"], cfg["free"])
	for _, w := range []string{
		"postgresql IOPS 5,000 → none",
		"redis memory 4 GB → 0.064 GB",
		"clickhouse is removed with its data",
		"backups",
		"encryption at rest",
		"auditing",
		"support level priority → community",
		"max users 10,000 → 10",
	} {
		if !slices.Contains(lost, w) {
			t.Errorf("premium -> free: %q missing from %q", w, lost)
		}
	}
	for _, l := range lost {
		if strings.HasPrefix(l, "audit retention") || strings.HasPrefix(l, "backup retention") {
			t.Errorf("premium -> free lists %q although the feature itself is lost", l)
		}
	}
	if again := Losses(cfg["premium"], cfg["free"]); !slices.Equal(lost, again) {
		t.Errorf("Losses is not deterministic:\n  %q\n  %q", lost, again)
	}

	if lost := Losses(cfg["free"], cfg["premium"]); len(lost) != 0 {
		t.Errorf("free -> premium loses %q, want nothing", lost)
	}
	if lost := Losses(cfg["standard"], cfg["standard"]); len(lost) != 0 {
		t.Errorf("standard -> standard loses %q, want nothing", lost)
	}

	lost = Losses(cfg["enterprise"], cfg["premium"])
	for _, w := range []string{"timescaledb is removed with its data", "disaster recovery", "encryption of cross-region backups",
		"HSM-backed encryption", "intrusion detection", "multi-region deployment", "the ml_services feature",
		"support level dedicated → priority", "audit retention 7_years → 3_years", "postgresql CPU 32 → 8 cores"} {
		if !slices.Contains(lost, w) {
			t.Errorf("enterprise -> premium: %q missing from %q", w, lost)
		}
	}

	// A level or a period that goes up is not a loss, even on a downgrade.
	better := input("standard")
	better.Overrides = overrides(t, "support: {level: dedicated}\nmonitoring: {level: enterprise, dashboards: {retention_days: 60}}\naudit: {retention: {standard: 10_years}}")
	lost = Losses(cfg["premium"], mustRender(t, cat, better).Config)
	for _, l := range lost {
		for _, p := range []string{"support level", "monitoring level", "audit retention", "dashboard retention"} {
			if strings.HasPrefix(l, p) {
				t.Errorf("premium -> standard with better levels lists %q", l)
			}
		}
	}

	// A shorter point-in-time recovery window while it stays on.
	shorter := input("premium")
	shorter.Overrides = overrides(t, "backup: {point_in_time_recovery: {retention_period: 3 days}}")
	if lost := Losses(cfg["enterprise"], mustRender(t, cat, shorter).Config); !slices.Contains(lost, "point-in-time recovery window 7 days → 3 days") {
		t.Errorf("enterprise -> premium with 3 days of PITR: window missing from %q", lost)
	}

	in = input("premium")
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
		cfg, err := ParseRendered(mustRender(t, cat, in).JSON)
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
			if got := lookup(t, res.Config, "tenant_info.tenant_id"); got != "sample_tenant" {
				t.Errorf("sample tenant id = %v", got)
			}
		}
	}
}

// An import has no prior render: moving to another tier than the import ID
// named is not judged as a migration (there is nothing to compare).
func TestCheckMigrationWithoutPriorRender(t *testing.T) {
	cat := defaultCatalog(t)
	res := mustRender(t, cat, input("standard"))
	if m := CheckMigration(cat, "premium", "", "standard", res, false); m.Problem != nil || m.Warning != nil || m.Downgrade {
		t.Errorf("CheckMigration without a prior render = %+v, want none", m)
	}
	prior := mustRender(t, cat, input("premium"))
	m := CheckMigration(cat, "premium", prior.JSON, "standard", res, false)
	if m.Problem == nil || !strings.Contains(m.Problem.Detail, "set the argument allow_downgrade of this tenant_config resource to true") {
		t.Errorf("a downgrade: %+v", m.Problem)
	}
}
