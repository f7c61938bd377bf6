package render

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/robfig/cron/v3"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// cronParser accepts exactly the five standard fields: no seconds, no
// descriptors such as @daily, so that every consumer reads the same schedule.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// regulationNeeds says, per regulation, what it needs of the configuration.
var regulationNeeds = map[string][]string{
	"GDPR":    {"retention", "erasure"},
	"SOX":     {"auditing"},
	"HIPAA":   {"encryption"},
	"PCI-DSS": {"encryption", "auditing"},
}

// validate checks a rendered configuration against the JSON Schema and the
// tier's rules. Every problem names the path it is about, and the input it
// came from (see origins).
func validate(cat *catalog.Catalog, tier *catalog.Tier, cs *compiledSchema, cfg map[string]any, o origins) Problems {
	// The rules below read values defensively (a value of the wrong type
	// counts as unset), so they run even when the schema fails: the user
	// sees every offending path at once.
	v := &validator{cat: cat, tier: tier, cfg: cfg, o: o, ps: cs.validate(cfg, o)}
	v.engines()
	v.subscription()
	v.requirements()
	v.regulations()
	v.schedules()
	v.scaling()
	return v.ps
}

type validator struct {
	cat  *catalog.Catalog
	tier *catalog.Tier
	cfg  map[string]any
	o    origins
	ps   Problems
}

// add reports a problem of the configuration at path.
func (v *validator) add(path, summary, detail string) {
	v.ps = append(v.ps, Problem{Field: v.o.field(path, false), Path: path, Summary: summary, Detail: detail})
}

// addRegulation reports a problem that a claimed regulation causes.
func (v *validator) addRegulation(path, summary, detail string) {
	v.ps = append(v.ps, Problem{Field: v.o.field(path, true), Path: path, Summary: summary, Detail: detail})
}

// origins tells which input a problem of the rendered configuration comes
// from, so that Terraform points at the argument to change.
type origins struct {
	in        Input
	overrides map[string]any
}

// field returns the input responsible for a problem at a dotted path: the
// overrides when they set the path or a section of it; for a problem a
// claimed regulation causes, the regulations argument when it claims them;
// otherwise the overrides when there are any (they may have changed what the
// path depends on), else the tier whose template it is.
func (o origins) field(path string, regulation bool) Field {
	if o.setsPath(path) {
		return FieldOverrides
	}
	switch {
	case regulation && o.in.Regulations != nil:
		return FieldRegulations
	case len(o.overrides) > 0:
		return FieldOverrides
	}
	return FieldTier
}

// setsPath reports whether the overrides set a dotted path or a section
// that holds it.
func (o origins) setsPath(path string) bool {
	if path == "" || o.overrides == nil {
		return false
	}
	keys := strings.Split(path, ".")
	var cur any = o.overrides
	for _, k := range keys {
		m, ok := cur.(map[string]any)
		if !ok {
			return true // a value set above the path replaces it
		}
		next, ok := m[k]
		if !ok {
			return false
		}
		cur = next
	}
	return true
}

func (v *validator) get(keys ...string) (any, bool) { return tree.Lookup(v.cfg, keys...) }

func (v *validator) bool(keys ...string) bool {
	b, _ := lookupOr(v.cfg, false, keys...)
	return b
}

func lookupOr[T any](m map[string]any, def T, keys ...string) (T, bool) {
	x, ok := tree.Lookup(m, keys...)
	if !ok {
		return def, false
	}
	t, ok := x.(T)
	if !ok {
		return def, false
	}
	return t, true
}

func number(x any) (float64, bool) {
	switch n := x.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// engines checks that only offered engines are enabled and that resources
// stay within the tier's ceilings.
func (v *validator) engines() {
	dbs, _ := lookupOr(v.cfg, map[string]any(nil), "databases")
	for _, e := range catalog.Engines {
		db, ok := dbs[e].(map[string]any)
		if !ok {
			continue
		}
		enabled, _ := db["enabled"].(bool)
		if enabled && !v.tier.Offers(e) {
			detail := fmt.Sprintf("Tier %s offers %s.", v.tier.Name, strings.Join(v.tier.OfferedEngines(), ", "))
			if t, ok := v.cat.FirstOffering(e); ok {
				detail += fmt.Sprintf(" %s is available from tier %s (rank %d): change tier, or set databases.%s.enabled = false.", e, t.Name, t.Rank, e)
			} else {
				detail += fmt.Sprintf(" No tier of the catalog offers %s: set databases.%s.enabled = false.", e, e)
			}
			v.add("databases."+e+".enabled", fmt.Sprintf("Engine %s is not offered by tier %s", e, v.tier.Name), detail)
			continue
		}
		res, _ := db["resources"].(map[string]any)
		if !enabled || res == nil {
			continue
		}
		ceiling := v.tier.Ceilings[e]
		for _, d := range catalog.Dimensions {
			x, set := res[d]
			if !set {
				continue
			}
			val, _ := number(x)
			limit, has := ceiling.Get(d)
			path := func() string { return "databases." + e + ".resources." + d }
			switch {
			case v.tier.CeilingsRaisable:
				// Enterprise ceilings are defaults; the schema keeps them positive.
			case !has:
				v.add(path(), fmt.Sprintf("Tier %s sets no %s for %s", v.tier.Name, d, e),
					fmt.Sprintf("The tier does not provision %s for %s: remove this key (set it to null in overrides).", d, e))
			case val > limit*(1+v.tier.TolerancePercent/100)+1e-9:
				v.add(path(), fmt.Sprintf("%s %s exceeds the ceiling of tier %s", path(), fmtNum(val), v.tier.Name),
					fmt.Sprintf("Tier %s allows up to %s (%s with the %s%% tolerance). Lower the value or move the tenant to a higher tier.",
						v.tier.Name, fmtNum(limit), fmtNum(limit*(1+v.tier.TolerancePercent/100)), fmtNum(v.tier.TolerancePercent)))
			}
		}
	}
}

// subscription checks the subscription figures against the tier's limits.
func (v *validator) subscription() {
	l := v.tier.Limits
	for _, c := range []struct {
		key   string
		limit float64
	}{
		{"max_users", float64(l.MaxUsers)},
		{"storage_gb", l.StorageGB},
		{"api_calls_per_month", float64(l.APICallsPerMonth)},
		{"db_connections", float64(l.DBConnections)},
	} {
		x, _ := v.get("subscription", c.key)
		if val, ok := number(x); ok && val > c.limit {
			v.add("subscription."+c.key, fmt.Sprintf("subscription.%s %s exceeds the limit of tier %s", c.key, fmtNum(val), v.tier.Name),
				fmt.Sprintf("Tier %s allows at most %s. Lower the value or move the tenant to a higher tier.", v.tier.Name, fmtNum(c.limit)))
		}
	}
}

// requirements checks what the tier requires and a tenant cannot switch off.
func (v *validator) requirements() {
	if v.tier.Requires.Encryption && !v.bool("security", "encryption", "enabled") {
		v.add("security.encryption.enabled", fmt.Sprintf("Tier %s requires encryption", v.tier.Name),
			"Encryption at rest cannot be disabled on this tier: remove the override of security.encryption.enabled.")
	}
	if v.tier.Requires.Auditing {
		for _, p := range [][]string{{"audit", "enabled"}, {"compliance", "auditing", "enabled"}} {
			if !v.bool(p...) {
				v.add(strings.Join(p, "."), fmt.Sprintf("Tier %s requires auditing", v.tier.Name),
					fmt.Sprintf("Auditing cannot be switched off on this tier: remove the override of %s.", strings.Join(p, ".")))
			}
		}
	}
}

// regulations checks that claimed regulations are allowed by the tier and
// that each one's needs hold.
func (v *validator) regulations() {
	regs, _ := lookupOr(v.cfg, []any(nil), "compliance", "regulations")
	for _, x := range regs {
		r, _ := x.(string)
		if !v.tier.AllowsRegulation(r) {
			detail := fmt.Sprintf("Tier %s allows %s.", v.tier.Name, orNone(v.tier.Regulations))
			if t, ok := v.cat.FirstAllowing(r); ok {
				detail += fmt.Sprintf(" %s can be claimed from tier %s (rank %d).", r, t.Name, t.Rank)
			}
			v.addRegulation("compliance.regulations", fmt.Sprintf("Regulation %s cannot be claimed on tier %s", r, v.tier.Name), detail)
			continue
		}
		for _, need := range regulationNeeds[r] {
			switch need {
			case "encryption":
				for _, p := range [][]string{{"security", "encryption", "enabled"}, {"security", "ssl", "enabled"}, {"security", "ssl", "required"}} {
					if !v.bool(p...) {
						v.addRegulation(strings.Join(p, "."), fmt.Sprintf("%s needs encryption at rest and in transit", r),
							fmt.Sprintf("Set %s = true, or stop claiming %s.", strings.Join(p, "."), r))
					}
				}
			case "auditing":
				for _, p := range [][]string{{"audit", "enabled"}, {"compliance", "auditing", "enabled"}} {
					if !v.bool(p...) {
						v.addRegulation(strings.Join(p, "."), fmt.Sprintf("%s needs auditing", r),
							fmt.Sprintf("Set %s = true, or stop claiming %s.", strings.Join(p, "."), r))
					}
				}
			case "retention":
				x, _ := v.get("compliance", "gdpr", "data_retention_days")
				if n, ok := number(x); !ok || n <= 0 {
					v.addRegulation("compliance.gdpr.data_retention_days", "GDPR needs a data retention period",
						"Set compliance.gdpr.data_retention_days to the number of days personal data is kept (more than 0).")
				}
			case "erasure":
				if !v.bool("compliance", "gdpr", "right_to_erasure") {
					v.addRegulation("compliance.gdpr.right_to_erasure", "GDPR needs the right to erasure",
						"Set compliance.gdpr.right_to_erasure = true, or stop claiming GDPR.")
				}
			}
		}
	}
}

// schedules checks that backup schedules are 5-field cron expressions.
func (v *validator) schedules() {
	sched, _ := lookupOr(v.cfg, map[string]any(nil), "backup", "schedule")
	for _, k := range sortedKeys(sched) {
		s, _ := sched[k].(string)
		if !validCron(s) {
			v.add("backup.schedule."+k, fmt.Sprintf("Invalid cron schedule %q", s),
				"Write a 5-field cron expression: minute hour day-of-month month day-of-week, for example \"0 2 * * 0\".")
		}
	}
}

// scaling checks the auto-scaling and QoS figures against each other.
func (v *validator) scaling() {
	as, _ := lookupOr(v.cfg, map[string]any(nil), "performance_tier", "auto_scaling")
	minC, okMin := number(as["min_capacity"])
	maxC, okMax := number(as["max_capacity"])
	if okMin && okMax && minC > maxC {
		v.add("performance_tier.auto_scaling.min_capacity", "Auto-scaling minimum exceeds its maximum",
			fmt.Sprintf("min_capacity is %s and max_capacity %s: the minimum must not exceed the maximum.", fmtNum(minC), fmtNum(maxC)))
	}
	down, okDown := number(as["scale_down_threshold"])
	up, okUp := number(as["scale_up_threshold"])
	if okDown && okUp && down >= up {
		v.add("performance_tier.auto_scaling.scale_down_threshold", "Scale-down threshold must be below the scale-up threshold",
			fmt.Sprintf("scale_down_threshold is %s%% and scale_up_threshold %s%%: with scale-down at or above scale-up the capacity would oscillate.", fmtNum(down), fmtNum(up)))
	}
	qos, _ := lookupOr(v.cfg, map[string]any(nil), "performance_tier", "qos")
	g, okG := number(qos["guaranteed_iops"])
	b, okB := number(qos["burst_iops"])
	if okG && okB && g > b {
		v.add("performance_tier.qos.guaranteed_iops", "Guaranteed IOPS exceed burst IOPS",
			fmt.Sprintf("guaranteed_iops is %s and burst_iops %s: bursts start above the guarantee.", fmtNum(g), fmtNum(b)))
	}
}

// validCron reports whether s is a 5-field cron expression.
func validCron(s string) bool {
	_, err := cronParser.Parse(s)
	return err == nil && len(strings.Fields(s)) == 5
}

func fmtNum(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func orNone(items []string) string {
	if len(items) == 0 {
		return "no regulation"
	}
	return strings.Join(slices.Clone(items), ", ")
}
