package render

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

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
// goes from old to new (a downgrade): engines, backup features, support,
// monitoring, regulations and limits. Both are rendered configurations.
func Losses(old, new map[string]any) []string {
	var out []string
	for _, e := range catalog.Engines {
		was, _ := lookupOr(old, false, "databases", e, "enabled")
		is, _ := lookupOr(new, false, "databases", e, "enabled")
		if was && !is {
			out = append(out, fmt.Sprintf("the %s database (disabled)", e))
		}
	}
	flags := []struct {
		what string
		path []string
	}{
		{"backups", []string{"backup", "enabled"}},
		{"point-in-time recovery", []string{"backup", "point_in_time_recovery", "enabled"}},
		{"cross-region backup replication", []string{"backup", "cross_region", "enabled"}},
		{"disaster recovery", []string{"backup", "disaster_recovery", "enabled"}},
		{"encryption at rest", []string{"security", "encryption", "enabled"}},
		{"HSM-backed encryption", []string{"security", "encryption", "hsm"}},
		{"required SSL/TLS", []string{"security", "ssl", "required"}},
		{"auditing", []string{"audit", "enabled"}},
		{"auto scaling", []string{"performance_tier", "auto_scaling", "enabled"}},
		{"predictive scaling", []string{"performance_tier", "auto_scaling", "predictive"}},
		{"application performance monitoring", []string{"monitoring", "performance", "apm"}},
		{"monitoring dashboards", []string{"monitoring", "dashboards", "enabled"}},
	}
	for _, f := range flags {
		was, _ := lookupOr(old, false, f.path...)
		is, _ := lookupOr(new, false, f.path...)
		if was && !is {
			out = append(out, f.what)
		}
	}
	for _, c := range []struct {
		what string
		path []string
	}{
		{"support level", []string{"support", "level"}},
		{"monitoring level", []string{"monitoring", "level"}},
		{"QoS priority", []string{"performance_tier", "qos", "priority"}},
		{"audit retention", []string{"audit", "retention"}},
	} {
		was, _ := lookupOr(old, "", c.path...)
		is, _ := lookupOr(new, "", c.path...)
		if was != "" && levelBelow(is, was) {
			if is == "" {
				is = "none"
			}
			out = append(out, fmt.Sprintf("%s %s (now %s)", c.what, was, is))
		}
	}
	oldRegs, _ := lookupOr(old, []any(nil), "compliance", "regulations")
	newRegs, _ := lookupOr(new, []any(nil), "compliance", "regulations")
	for _, r := range oldRegs {
		if !slices.Contains(newRegs, r) {
			out = append(out, fmt.Sprintf("the %v regulation claim", r))
		}
	}
	for _, l := range []struct{ key, what, unit string }{
		{"max_users", "users", ""},
		{"storage_gb", "storage", " GB"},
		{"api_calls_per_month", "API calls per month", ""},
		{"db_connections", "database connections", ""},
	} {
		was, okWas := tree.Lookup(old, "subscription", l.key)
		is, okIs := tree.Lookup(new, "subscription", l.key)
		w, _ := number(was)
		n, _ := number(is)
		if okWas && okIs && n < w {
			out = append(out, fmt.Sprintf("%s: %s%s (now %s%s)", l.what, groupDigits(w), l.unit, groupDigits(n), l.unit))
		}
	}
	return out
}

// levelOrders are the levels of the configuration from lowest to highest,
// as the JSON Schema allows them.
var levelOrders = [][]string{
	{"community", "standard", "priority", "dedicated"}, // support.level
	{"basic", "standard", "premium", "enterprise"},     // monitoring.level
	{"low", "normal", "high", "highest"},               // performance_tier.qos.priority
}

// levelBelow reports whether the level is is a loss from was: unset, lower in
// its order, a shorter audit retention ("1y" < "3y"), or a value whose order
// is not known that differs.
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
	if i, ok := retentionDays(is); ok {
		if w, ok := retentionDays(was); ok {
			return i < w
		}
	}
	return true
}

// retentionDays reads an audit retention such as "90d", "6m" or "7y".
func retentionDays(s string) (int, bool) {
	if len(s) < 2 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 {
		return 0, false
	}
	switch s[len(s)-1] {
	case 'd':
		return n, true
	case 'm':
		return n * 30, true
	case 'y':
		return n * 365, true
	}
	return 0, false
}

// ParseRendered parses a rendered configuration (rendered_yaml) into a tree
// with the types Render produces (integers are int64).
func ParseRendered(text string) (map[string]any, error) {
	var v any
	if err := yaml.Unmarshal([]byte(text), &v); err != nil {
		return nil, fmt.Errorf("not a rendered configuration: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	m, ok := normalize(v).(map[string]any)
	if !ok {
		return nil, fmt.Errorf("not a rendered configuration: the YAML document is not a mapping")
	}
	return m, nil
}

func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
		return x
	case int:
		return int64(x)
	case uint64:
		return json.Number(strconv.FormatUint(x, 10))
	}
	return v
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
