package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// Summary holds the typed figures of a rendered configuration that other
// resources consume without parsing YAML.
type Summary struct {
	Limits    Limits
	Databases map[string]Database
	Isolation Isolation
}

// Limits are the subscription figures of a configuration.
type Limits struct {
	MaxUsers         int64
	StorageGB        float64
	APICallsPerMonth int64
	DBConnections    int64
}

// Database is one engine of a configuration. Resource figures are nil when
// the configuration does not set them.
type Database struct {
	Enabled        bool
	Deployment     string
	Isolation      string
	CPUCores       *float64
	MemoryGB       *float64
	StorageGB      *float64
	MaxConnections *int64
	IOPS           *int64
}

// Isolation holds the names that keep a tenant's data apart.
type Isolation struct {
	PostgreSQLSchemas  map[string]string
	MongoDBCollections map[string]string
	RedisNamespaces    map[string]string
}

// Summarize derives the typed summary of a rendered configuration.
func Summarize(cfg map[string]any) Summary {
	var s Summary
	sub, _ := lookupOr(cfg, map[string]any(nil), "subscription")
	s.Limits = Limits{
		MaxUsers:         asInt(sub["max_users"]),
		StorageGB:        asFloat(sub["storage_gb"]),
		APICallsPerMonth: asInt(sub["api_calls_per_month"]),
		DBConnections:    asInt(sub["db_connections"]),
	}
	dbs, _ := lookupOr(cfg, map[string]any(nil), "databases")
	s.Databases = make(map[string]Database, len(dbs))
	// The figures of all engines, allocated at once.
	floats := make([]float64, 0, 3*len(dbs))
	ints := make([]int64, 0, 2*len(dbs))
	floatPtr := func(x any) *float64 {
		f, ok := number(x)
		if !ok {
			return nil
		}
		floats = append(floats, f)
		return &floats[len(floats)-1]
	}
	intPtr := func(x any) *int64 {
		if _, ok := number(x); !ok {
			return nil
		}
		ints = append(ints, asInt(x))
		return &ints[len(ints)-1]
	}
	for name, x := range dbs {
		db, _ := x.(map[string]any)
		d := Database{}
		d.Enabled, _ = db["enabled"].(bool)
		d.Deployment, _ = db["deployment"].(string)
		d.Isolation, _ = db["isolation"].(string)
		res, _ := db["resources"].(map[string]any)
		d.CPUCores = floatPtr(res["cpu_cores"])
		d.MemoryGB = floatPtr(res["memory_gb"])
		d.StorageGB = floatPtr(res["storage_gb"])
		d.MaxConnections = intPtr(res["max_connections"])
		d.IOPS = intPtr(res["iops"])
		s.Databases[name] = d
	}
	s.Isolation = Isolation{
		PostgreSQLSchemas:  stringMap(cfg, "databases", "postgresql", "schemas"),
		MongoDBCollections: stringMap(cfg, "databases", "mongodb", "collections"),
		RedisNamespaces:    stringMap(cfg, "databases", "redis", "namespaces"),
	}
	return s
}

func asInt(x any) int64 {
	if n, ok := x.(int64); ok {
		return n
	}
	f, _ := number(x)
	return int64(f)
}

func asFloat(x any) float64 {
	f, _ := number(x)
	return f
}

func stringMap(cfg map[string]any, keys ...string) map[string]string {
	m, _ := lookupOr(cfg, map[string]any(nil), keys...)
	out := make(map[string]string, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// Losses lists, for a person, what a tenant loses when its configuration
// goes from old to new (a downgrade), in a fixed order: each engine that goes
// away with its data, each resource of a remaining engine that shrinks
// ("postgresql storage 400 GB → 100 GB") or whose deployment is less
// dedicated, the features switched off, the support, monitoring and QoS
// levels and the retention periods that go down, the regulation claims and
// the subscription limits. Both are rendered configurations.
func Losses(old, new map[string]any) []string {
	var out []string
	for _, e := range catalog.Engines {
		was, _ := lookupOr(old, false, "databases", e, "enabled")
		is, _ := lookupOr(new, false, "databases", e, "enabled")
		if !was {
			continue
		}
		if !is {
			out = append(out, fmt.Sprintf("%s is removed with its data", e))
			continue
		}
		for _, d := range resourceLosses {
			w, okW := number(lookupAny(old, "databases", e, "resources", d.key))
			n, okN := number(lookupAny(new, "databases", e, "resources", d.key))
			switch {
			case !okW:
			case !okN:
				out = append(out, fmt.Sprintf("%s %s %s → none", e, d.what, d.format(w, true)))
			case n < w:
				out = append(out, fmt.Sprintf("%s %s %s → %s", e, d.what, d.format(w, d.unitBoth), d.format(n, true)))
			}
		}
		wasDep, _ := lookupOr(old, "", "databases", e, "deployment")
		isDep, _ := lookupOr(new, "", "databases", e, "deployment")
		if w, n := slices.Index(deployments, wasDep), slices.Index(deployments, isDep); w >= 0 && n >= 0 && n < w {
			out = append(out, fmt.Sprintf("%s deployment %s → %s", e, wasDep, isDep))
		}
	}
	for _, f := range featureLosses {
		was, _ := lookupOr(old, false, f.path...)
		is, _ := lookupOr(new, false, f.path...)
		if was && !is {
			out = append(out, f.what)
		}
	}
	oldFeatures, _ := lookupOr(old, []any(nil), "subscription", "features")
	newFeatures, _ := lookupOr(new, []any(nil), "subscription", "features")
	for _, x := range oldFeatures {
		if f, ok := x.(string); ok && !slices.Contains(newFeatures, x) && !slices.Contains(namedFeatures, f) {
			out = append(out, fmt.Sprintf("the %s feature", f))
		}
	}
	for _, c := range []struct {
		what string
		path []string
	}{
		{"support level", []string{"support", "level"}},
		{"monitoring level", []string{"monitoring", "level"}},
		{"QoS priority", []string{"performance_tier", "qos", "priority"}},
	} {
		was, _ := lookupOr(old, "", c.path...)
		is, _ := lookupOr(new, "", c.path...)
		if was != "" && levelBelow(is, was) {
			if is == "" {
				is = "none"
			}
			out = append(out, fmt.Sprintf("%s %s → %s", c.what, was, is))
		}
	}
	out = append(out, retentionLosses(old, new)...)
	oldRegs, _ := lookupOr(old, []any(nil), "compliance", "regulations")
	newRegs, _ := lookupOr(new, []any(nil), "compliance", "regulations")
	for _, r := range oldRegs {
		if !slices.Contains(newRegs, r) {
			out = append(out, fmt.Sprintf("the %v regulation claim", r))
		}
	}
	for _, l := range []struct{ key, what, unit string }{
		{"max_users", "max users", ""},
		{"storage_gb", "subscription storage", " GB"},
		{"api_calls_per_month", "API calls per month", ""},
		{"db_connections", "database connections", ""},
	} {
		w, okWas := number(lookupAny(old, "subscription", l.key))
		n, okIs := number(lookupAny(new, "subscription", l.key))
		if okWas && okIs && n < w {
			out = append(out, fmt.Sprintf("%s %s%s → %s%s", l.what, groupDigits(w), l.unit, groupDigits(n), l.unit))
		}
	}
	return out
}

// resourceLoss names one resource dimension of an engine for Losses.
type resourceLoss struct {
	key, what, unit string
	// unitBoth writes the unit after both figures ("400 GB → 100 GB")
	// rather than after the second only ("8 → 2 cores").
	unitBoth bool
}

var resourceLosses = []resourceLoss{
	{"cpu_cores", "CPU", "cores", false},
	{"memory_gb", "memory", "GB", true},
	{"storage_gb", "storage", "GB", true},
	{"max_connections", "max connections", "", false},
	{"iops", "IOPS", "", false},
}

func (d resourceLoss) format(f float64, withUnit bool) string {
	s := groupDigits(f)
	if withUnit && d.unit != "" {
		unit := d.unit
		if f == 1 {
			unit = strings.TrimSuffix(unit, "s") // 1 core
		}
		s += " " + unit
	}
	return s
}

// featureLosses are the switches of a configuration whose loss Losses names.
var featureLosses = []struct {
	what string
	path []string
}{
	{"backups", []string{"backup", "enabled"}},
	{"point-in-time recovery", []string{"backup", "point_in_time_recovery", "enabled"}},
	{"cross-region backup replication", []string{"backup", "cross_region", "enabled"}},
	{"encryption of cross-region backups", []string{"backup", "cross_region", "encryption"}},
	{"disaster recovery", []string{"backup", "disaster_recovery", "enabled"}},
	{"encryption at rest", []string{"security", "encryption", "enabled"}},
	{"HSM-backed encryption", []string{"security", "encryption", "hsm"}},
	{"required SSL/TLS", []string{"security", "ssl", "required"}},
	{"auditing", []string{"audit", "enabled"}},
	{"auto scaling", []string{"performance_tier", "auto_scaling", "enabled"}},
	{"predictive scaling", []string{"performance_tier", "auto_scaling", "predictive_scaling"}},
	{"application performance monitoring", []string{"monitoring", "performance", "apm_enabled"}},
	{"monitoring dashboards", []string{"monitoring", "dashboards", "enabled"}},
	{"intrusion detection", []string{"monitoring", "security_monitoring", "intrusion_detection"}},
	{"anomaly detection", []string{"monitoring", "security_monitoring", "anomaly_detection"}},
	{"threat intelligence", []string{"monitoring", "security_monitoring", "threat_intelligence"}},
	{"multi-region deployment", []string{"subscription", "multi_region"}},
}

// namedFeatures are the subscription features featureLosses already names.
var namedFeatures = []string{"auto_scaling", "predictive_scaling", "apm"}

// deployments are the deployment models from the least to the most dedicated.
var deployments = []string{"shared", "dedicated", "dedicated_cluster"}

// retentionLosses names the retention periods that get shorter while the
// feature they belong to stays on: backups, point-in-time recovery,
// dashboards and the audit trail (audit.retention's entry for each
// configuration's own tier).
func retentionLosses(old, new map[string]any) []string {
	var out []string
	on := func(cfg map[string]any, keys ...string) bool {
		b, _ := lookupOr(cfg, false, keys...)
		return b
	}
	days := func(what string, gate, keys []string) {
		if !on(old, gate...) || !on(new, gate...) {
			return
		}
		w, okW := number(lookupAny(old, keys...))
		n, okN := number(lookupAny(new, keys...))
		if okW && okN && n < w {
			out = append(out, fmt.Sprintf("%s %s → %s days", what, groupDigits(w), groupDigits(n)))
		}
	}
	period := func(what string, wasText, isText string) {
		w, okW := periodDays(wasText)
		if !okW {
			return
		}
		if n, okN := periodDays(isText); !okN || n < w {
			if isText == "" {
				isText = "none"
			}
			out = append(out, fmt.Sprintf("%s %s → %s", what, wasText, isText))
		}
	}
	days("backup retention", []string{"backup", "enabled"}, []string{"backup", "retention_days"})
	if on(old, "backup", "point_in_time_recovery", "enabled") && on(new, "backup", "point_in_time_recovery", "enabled") {
		w, _ := lookupOr(old, "", "backup", "point_in_time_recovery", "retention_period")
		n, _ := lookupOr(new, "", "backup", "point_in_time_recovery", "retention_period")
		period("point-in-time recovery window", w, n)
	}
	days("dashboard retention", []string{"monitoring", "dashboards", "enabled"}, []string{"monitoring", "dashboards", "retention_days"})
	if on(old, "audit", "enabled") && on(new, "audit", "enabled") {
		period("audit retention", auditRetention(old), auditRetention(new))
	}
	return out
}

// auditRetention returns the audit retention of a configuration's own tier.
func auditRetention(cfg map[string]any) string {
	tier, _ := lookupOr(cfg, "", "tenant_info", "tenant_type")
	r, _ := lookupOr(cfg, "", "audit", "retention", tier)
	return r
}

func lookupAny(cfg map[string]any, keys ...string) any {
	x, _ := tree.Lookup(cfg, keys...)
	return x
}

// levelOrders are the levels of the configuration from lowest to highest,
// as the JSON Schema allows them.
var levelOrders = [][]string{
	{"community", "standard", "priority", "dedicated"}, // support.level
	{"basic", "standard", "premium", "enterprise"},     // monitoring.level
	{"low", "normal", "high", "highest"},               // performance_tier.qos.priority
}

// levelBelow reports whether the level is is a loss from was: unset, lower in
// its order, or a value whose order is not known that differs.
func levelBelow(is, was string) bool {
	if is == was {
		return false
	}
	if is == "" {
		return true
	}
	for _, order := range levelOrders {
		i, w := slices.Index(order, is), slices.Index(order, was)
		if i >= 0 && w >= 0 {
			return i < w
		}
	}
	return true
}

// groupDigits writes a number for people: 1000000 as 1,000,000.
func groupDigits(f float64) string {
	s := fmtNum(f)
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}
