package render

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/robfig/cron/v3"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/engines"
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
	v.users()
	v.redisCommands()
	v.privileges()
	v.periods()
	v.residency()
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
	secret    map[string]any // the sensitive overrides
	// shown is the configuration without secrets: a value that came from a
	// sensitive input is SensitiveMarker there (nil when nothing is secret).
	shown map[string]any
}

// secretAt reports whether the value at a dotted path (list items as [i])
// came from a sensitive input: the configuration without secrets holds the
// marker there or at a section above it. Messages never show such a value,
// whatever it became on the way (a number computed from a secret, a string
// that interpolates one): masking follows the value's origin, not its text.
func (o origins) secretAt(path string) bool {
	if o.shown == nil {
		return false
	}
	var cur any = o.shown
	for _, k := range splitPath(path) {
		switch x := cur.(type) {
		case map[string]any:
			cur = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return false
			}
			cur = x[i]
		default:
			return cur == SensitiveMarker
		}
	}
	return cur == SensitiveMarker
}

// show is text, the rendering of the value at path in a message, or the
// marker when the value came from a sensitive input.
func (o origins) show(path, text string) string {
	if o.secretAt(path) {
		return SensitiveMarker
	}
	return text
}

// splitPath splits a dotted path whose list items are written [i] into its
// keys and indices: "a.b[2].c" is a, b, 2, c.
func splitPath(path string) []string {
	if path == "" {
		return nil
	}
	var out []string
	for _, part := range strings.Split(path, ".") {
		key, rest, _ := strings.Cut(part, "[")
		out = append(out, key)
		for rest != "" {
			idx, after, _ := strings.Cut(rest, "]")
			out = append(out, idx)
			_, rest, _ = strings.Cut(after, "[")
		}
	}
	return out
}

// field returns the input responsible for a problem at a dotted path: the
// overrides when they set the path or a section of it; for a problem a
// claimed regulation causes, the regulations argument when it claims them;
// otherwise the overrides when there are any (they may have changed what the
// path depends on), else the tier whose template it is.
func (o origins) field(path string, regulation bool) Field {
	switch {
	case setsPath(o.secret, path):
		return FieldSensitiveOverrides
	case setsPath(o.overrides, path):
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

// setsPath reports whether overrides set a dotted path or a section that
// holds it.
func setsPath(overrides map[string]any, path string) bool {
	if path == "" || overrides == nil {
		return false
	}
	var cur any = overrides
	for _, k := range splitPath(path) {
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
		if !enabled {
			continue
		}
		if res, _ := db["resources"].(map[string]any); res != nil {
			for _, d := range catalog.Dimensions {
				if x, set := res[d]; set {
					val, _ := number(x)
					v.ceiling(e, d, val, func() string { return "databases." + e + ".resources." + d })
				}
			}
		}
		v.customConnections(e, db)
		if e == "clickhouse" {
			v.clickhouseCluster(db)
		}
	}
}

// ceiling checks one resource figure of an enabled engine against the tier's
// ceiling for it, with the tier's tolerance.
func (v *validator) ceiling(e, d string, val float64, path func() string) {
	limit, has := v.tier.Ceilings[e].Get(d)
	allowed := limit * (1 + v.tier.TolerancePercent/100)
	switch {
	case v.tier.CeilingsRaisable:
		// Enterprise ceilings are defaults; the schema (and customConnections)
		// keep them positive.
	case !has:
		v.add(path(), fmt.Sprintf("Tier %s sets no %s for %s", v.tier.Name, d, e),
			fmt.Sprintf("The tier does not provision %s for %s: remove this key (set it to null in overrides).", d, e))
	case val > allowed+1e-9:
		v.add(path(), fmt.Sprintf("%s %s exceeds the ceiling of tier %s", path(), v.o.show(path(), fmtNum(val)), v.tier.Name),
			fmt.Sprintf("Tier %s allows up to %s, or %s with its tolerance of %s%%. Lower the value or move the tenant to a higher tier.",
				v.tier.Name, fmtNum(limit), fmtNum(allowed), fmtNum(v.tier.TolerancePercent)))
	}
}

// customConnections checks databases.<engine>.custom_parameters.max_connections,
// the engine's own connection setting, against the tier's ceiling like
// resources.max_connections. Engine parameters are free-form, so a whole
// number written as a string ("2000") counts too.
func (v *validator) customConnections(e string, db map[string]any) {
	params, _ := db["custom_parameters"].(map[string]any)
	x, set := params["max_connections"]
	if !set {
		return
	}
	path := "databases." + e + ".custom_parameters.max_connections"
	val, ok := number(x)
	if s, isString := x.(string); isString {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		val, ok = float64(n), err == nil
	}
	if !ok || val != math.Trunc(val) || val <= 0 {
		v.add(path, fmt.Sprintf("%s must be a positive whole number", path),
			fmt.Sprintf("It sets the engine's connection limit, which counts against the tier's ceiling for max_connections; got %s.", v.o.show(path, describeValue(x))))
		return
	}
	v.ceiling(e, "max_connections", val, func() string { return path })
}

// clickhouseCluster checks that a ClickHouse cluster can hold its replicas.
func (v *validator) clickhouseCluster(db map[string]any) {
	nodes, okN := number(db["cluster_nodes"])
	repl, okR := number(db["replication_factor"])
	if okN && okR && repl > nodes {
		v.add("databases.clickhouse.replication_factor", "The ClickHouse replication factor exceeds the number of cluster nodes",
			fmt.Sprintf("replication_factor is %s and cluster_nodes %s: each replica of a shard needs a node of its own. Lower replication_factor or add nodes.", v.o.show("databases.clickhouse.replication_factor", fmtNum(repl)), v.o.show("databases.clickhouse.cluster_nodes", fmtNum(nodes))))
	}
}

// describeValue writes a value of the configuration for a message.
func describeValue(x any) string {
	switch t := x.(type) {
	case nil:
		return "null"
	case string:
		return QuoteShort(t)
	case bool:
		return strconv.FormatBool(t)
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	}
	if f, ok := number(x); ok {
		return fmtNum(f)
	}
	return fmt.Sprintf("%v", x)
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
			v.add("subscription."+c.key, fmt.Sprintf("subscription.%s %s exceeds the limit of tier %s", c.key, v.o.show("subscription."+c.key, fmtNum(val)), v.tier.Name),
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

// regulationSections are the sections of compliance that hold each
// regulation's settings; `enabled: true` in one claims the regulation as
// listing it in compliance.regulations does.
var regulationSections = map[string]string{"GDPR": "gdpr", "SOX": "sox", "HIPAA": "hipaa", "PCI-DSS": "pci_dss"}

// regulationFlags are the settings of a regulation's section that cannot be
// false while the regulation is claimed.
var regulationFlags = map[string][]string{
	"SOX":   {"audit_trail"},
	"HIPAA": {"encryption_at_rest", "encryption_in_transit"},
}

// regulations checks that claimed regulations are allowed by the tier and
// that each one's needs hold. A regulation is claimed by compliance.regulations
// or by compliance.<regulation>.enabled = true.
func (v *validator) regulations() {
	regs, _ := lookupOr(v.cfg, []any(nil), "compliance", "regulations")
	type claim struct{ name, path string }
	var claims []claim
	for _, x := range regs {
		r, _ := x.(string)
		claims = append(claims, claim{r, "compliance.regulations"})
	}
	for _, r := range catalog.Regulations {
		sec := regulationSections[r]
		enabled, set := lookupOr(v.cfg, false, "compliance", sec, "enabled")
		listed := slices.Contains(regs, any(r))
		switch {
		case set && enabled && !listed:
			claims = append(claims, claim{r, "compliance." + sec + ".enabled"})
		case set && !enabled && listed:
			v.addRegulation("compliance."+sec+".enabled", fmt.Sprintf("%s is claimed but compliance.%s.enabled is false", r, sec),
				fmt.Sprintf("compliance.regulations lists %s: set compliance.%s.enabled = true (or remove it), or stop claiming %s.", r, sec, r))
		}
	}
	for _, c := range claims {
		r := c.name
		if !v.tier.AllowsRegulation(r) {
			detail := fmt.Sprintf("Tier %s allows %s.", v.tier.Name, orNone(v.tier.Regulations))
			if t, ok := v.cat.FirstAllowing(r); ok {
				detail += fmt.Sprintf(" %s can be claimed from tier %s (rank %d).", r, t.Name, t.Rank)
			}
			v.addRegulation(c.path, fmt.Sprintf("Regulation %s cannot be claimed on tier %s", r, v.tier.Name), detail)
			continue
		}
		sec := regulationSections[r]
		for _, flag := range regulationFlags[r] {
			if on, set := lookupOr(v.cfg, false, "compliance", sec, flag); set && !on {
				p := "compliance." + sec + "." + flag
				v.addRegulation(p, fmt.Sprintf("%s needs %s", r, strings.ReplaceAll(flag, "_", " ")),
					fmt.Sprintf("Set %s = true, or stop claiming %s.", p, r))
			}
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
				if p, _ := lookupOr(v.cfg, "", "compliance", "gdpr", "data_retention_period"); strings.TrimSpace(p) == "" {
					v.addRegulation("compliance.gdpr.data_retention_period", "GDPR needs a data retention period",
						"Set compliance.gdpr.data_retention_period to how long personal data is kept, for example \"2_years\".")
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
			v.add("backup.schedule."+k, fmt.Sprintf("Invalid cron schedule %s", v.o.show("backup.schedule."+k, QuoteShort(s))),
				"Write a 5-field cron expression: minute hour day-of-month month day-of-week, for example \"0 2 * * 0\".")
		}
	}
}

// scaling checks the auto-scaling and QoS figures against each other.
func (v *validator) scaling() {
	as, _ := lookupOr(v.cfg, map[string]any(nil), "performance_tier", "auto_scaling")
	minC, okMin := number(as["min_resources"])
	maxC, okMax := number(as["max_resources"])
	if okMin && okMax && minC > maxC {
		v.add("performance_tier.auto_scaling.min_resources", "Auto-scaling minimum exceeds its maximum",
			fmt.Sprintf("min_resources is %s and max_resources %s: the minimum must not exceed the maximum.", v.o.show("performance_tier.auto_scaling.min_resources", fmtNum(minC)), v.o.show("performance_tier.auto_scaling.max_resources", fmtNum(maxC))))
	}
	down, okDown := number(as["scale_down_threshold"])
	up, okUp := number(as["scale_up_threshold"])
	if okDown && okUp && down >= up {
		v.add("performance_tier.auto_scaling.scale_down_threshold", "Scale-down threshold must be below the scale-up threshold",
			fmt.Sprintf("scale_down_threshold is %s%% and scale_up_threshold %s%%: with scale-down at or above scale-up the capacity would oscillate.", v.o.show("performance_tier.auto_scaling.scale_down_threshold", fmtNum(down)), v.o.show("performance_tier.auto_scaling.scale_up_threshold", fmtNum(up))))
	}
	qos, _ := lookupOr(v.cfg, map[string]any(nil), "performance_tier", "qos")
	g, okG := number(qos["guaranteed_iops"])
	b, okB := number(qos["burst_iops"])
	if okG && okB && g > b {
		v.add("performance_tier.qos.guaranteed_iops", "Guaranteed IOPS exceed burst IOPS",
			fmt.Sprintf("guaranteed_iops is %s and burst_iops %s: the guarantee must not exceed the burst. Lower guaranteed_iops or raise burst_iops.", v.o.show("performance_tier.qos.guaranteed_iops", fmtNum(g)), v.o.show("performance_tier.qos.burst_iops", fmtNum(b))))
	}
}

// validCron reports whether s is a 5-field cron expression.
func validCron(s string) bool {
	_, err := cronParser.Parse(s)
	return err == nil && len(strings.Fields(s)) == 5
}

// fmtNum writes a number for a message, to 12 significant digits, so that
// 100 * 1.1 reads 110 and not 110.00000000000001.
func fmtNum(f float64) string {
	if r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64); err == nil {
		f = r
	}
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

// users checks the RBAC users: each name belongs to the tenant (it starts
// with the tenant id, as the provisioning roles do) and each role it holds is
// defined in security.access_control.roles.
func (v *validator) users() {
	id, _ := lookupOr(v.cfg, "", "tenant_info", "tenant_id")
	roles, _ := lookupOr(v.cfg, map[string]any(nil), "security", "access_control", "roles")
	for _, list := range []string{"admin_users", "standard_users"} {
		users, _ := lookupOr(v.cfg, []any(nil), "security", "access_control", list)
		for i, x := range users {
			u, _ := x.(map[string]any)
			at := fmt.Sprintf("security.access_control.%s[%d]", list, i)
			if name, ok := u["username"].(string); ok && id != "" && !strings.HasPrefix(name, id+"_") {
				suffix := "<name>"
				if !v.o.secretAt(at + ".username") {
					suffix = strings.TrimPrefix(name, "_")
				}
				v.add(at+".username", fmt.Sprintf("User %s does not belong to tenant %s", v.o.show(at+".username", QuoteShort(name)), id),
					fmt.Sprintf("A tenant's user names start with its id and an underscore (%s_admin, %s_user) so that no two tenants share a database role. Write ${TENANT_ID}_%s.", id, id, truncate(suffix, 64)))
			}
			held, _ := u["roles"].([]any)
			for j, r := range held {
				name, ok := r.(string)
				if !ok {
					continue
				}
				if _, defined := roles[name]; !defined {
					rp := fmt.Sprintf("%s.roles[%d]", at, j)
					hint := didYouMean(name, sortedKeys(roles))
					if v.o.secretAt(rp) {
						hint = ""
					}
					v.add(rp, fmt.Sprintf("Role %s is not defined", v.o.show(rp, truncate(name, 64))),
						fmt.Sprintf("The roles of security.access_control.roles are %s.%s Define the role there, or give the user one of them.",
							quoteList(sortedKeys(roles)), hint))
				}
			}
		}
	}
}

// periodRE reads the periods of the product's format: "7 days", "2_years".
var periodRE = regexp.MustCompile(`^([1-9][0-9]{0,5})[ _](day|days|week|weeks|month|months|year|years)$`)

// periodDays returns the number of days of a period such as "7 days" or
// "2_years" (a month counts 30 days, a year 365).
func periodDays(s string) (int, bool) {
	m := periodRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, false
	}
	switch strings.TrimSuffix(m[2], "s") {
	case "day":
		return n, true
	case "week":
		return n * 7, true
	case "month":
		return n * 30, true
	}
	return n * 365, true
}

// maxPITRDays is the longest point-in-time recovery window.
const maxPITRDays = 35

// periods checks the periods written as text: the point-in-time recovery
// window and the audit retention of each tier.
func (v *validator) periods() {
	if x, set := v.get("backup", "point_in_time_recovery", "retention_period"); set {
		s, isString := x.(string) // the schema reports another type
		days, ok := periodDays(s)
		if isString && (!ok || days > maxPITRDays || !strings.Contains(s, "day")) {
			v.add("backup.point_in_time_recovery.retention_period",
				fmt.Sprintf("backup.point_in_time_recovery.retention_period must be 1 to %d days", maxPITRDays),
				fmt.Sprintf("Got %s. Write the window as a number of days, for example \"7 days\".", v.o.show("backup.point_in_time_recovery.retention_period", describeValue(x))))
		}
	}
	ret, _ := lookupOr(v.cfg, map[string]any(nil), "audit", "retention")
	for _, k := range sortedKeys(ret) {
		s, isString := ret[k].(string) // the schema reports another type
		if _, ok := periodDays(s); isString && !ok {
			v.add("audit.retention."+k, fmt.Sprintf("audit.retention.%s is not a period", k),
				fmt.Sprintf("Got %s. Write a number and a unit (days, weeks, months or years) joined by _, for example \"1_year\" or \"7_years\".", v.o.show("audit.retention."+k, describeValue(ret[k]))))
		}
	}
}

// redisCommands checks that the Redis privileges of each role stay within
// security.database_permissions.redis.command_whitelist, when it is set: the
// whitelist is what the tenant's users may run at all.
func (v *validator) redisCommands() {
	allowed, set := lookupOr(v.cfg, []any(nil), "security", "database_permissions", "redis", "command_whitelist")
	if !set {
		return
	}
	in := func(cmd string) bool {
		for _, a := range allowed {
			if s, ok := a.(string); ok && strings.EqualFold(s, cmd) {
				return true
			}
		}
		return false
	}
	privs, _ := lookupOr(v.cfg, map[string]any(nil), "security", "database_permissions", "redis", "privileges")
	for _, role := range sortedKeys(privs) {
		cmds, _ := privs[role].([]any)
		for i, x := range cmds {
			if cmd, ok := x.(string); ok && !in(cmd) {
				at := fmt.Sprintf("security.database_permissions.redis.privileges.%s[%d]", role, i)
				v.add(at, fmt.Sprintf("Redis command %s of role %s is not in the command whitelist", v.o.show(at, truncate(cmd, 64)), role),
					"security.database_permissions.redis.command_whitelist lists the commands the tenant's users may run at all: add it there, or remove it from the role.")
			}
		}
	}
}

// privileges checks that each privilege a role holds on an engine is one the
// provisioning knows, so that a configuration that plans can be provisioned:
// the problem points at the input that set it, and a privilege from a
// sensitive input is not shown.
func (v *validator) privileges() {
	for _, engine := range engines.Engines {
		privs, _ := lookupOr(v.cfg, map[string]any(nil), "security", "database_permissions", engine, "privileges")
		for _, role := range sortedKeys(privs) {
			list, _ := privs[role].([]any)
			for i, x := range list {
				p, ok := x.(string) // the schema reports another type
				if !ok {
					continue
				}
				if _, _, known := engines.Classify(engine, p); known {
					continue
				}
				at := fmt.Sprintf("security.database_permissions.%s.privileges.%s[%d]", engine, role, i)
				v.add(at, fmt.Sprintf("Unknown %s privilege %s of role %s", engine, v.o.show(at, QuoteShort(p)), role),
					fmt.Sprintf("The provisioning grants only the %s privileges %s. Use one of them, or remove this one.", engine, engines.Known(engine)))
			}
		}
	}
}
