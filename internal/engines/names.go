package engines

import (
	"fmt"
	"slices"
	"strings"
)

// DerivedName is a name an artifact derives from the tenant id.
type DerivedName struct {
	// Engine is the engine whose rules the name must follow.
	Engine string
	// Kind says what the name is: "role", "schema", "user", "database",
	// "collection", "key prefix" or "index prefix".
	Kind string
	Name string
}

// DerivedNames returns every name the artifacts (and the default catalog's
// isolation names) derive from tenant id: what the engines must accept.
func DerivedNames(id string) []DerivedName {
	var out []DerivedName
	add := func(engine, kind string, names ...string) {
		for _, n := range names {
			out = append(out, DerivedName{engine, kind, n})
		}
	}
	users := []string{id + "_admin", id + "_user"}
	roles := []string{id + "_admin_role", id + "_user_role"}
	add(PostgreSQL, "role", append([]string{id + "_owner"}, users...)...)
	add(PostgreSQL, "schema", id+"_data", id+"_analytics", id+"_audit", id+"_timeseries")
	add(MongoDB, "collection", id+"_users", id+"_tracks", id+"_playlists")
	add(MongoDB, "role", roles...)
	add(MongoDB, "user", users...)
	add(Redis, "user", users...)
	add(Redis, "key prefix", "cache:"+id+":", "session:"+id+":", "analytics:"+id+":")
	add(ClickHouse, "database", id+"_analytics")
	add(ClickHouse, "role", roles...)
	add(ClickHouse, "user", users...)
	add(Elasticsearch, "index prefix", id+"_")
	add(Elasticsearch, "role", roles...)
	add(Elasticsearch, "user", users...)
	return out
}

// reservedNames are names an engine keeps for itself, by engine and kind of
// name ("" for every kind).
var reservedNames = map[string]map[string][]string{
	// PostgreSQL: the role names it reserves (public, none, pg_*), the role
	// specifications that are keywords (current_user, session_user,
	// current_role, system_user: written unquoted, by a script or a tool,
	// they name the session's own role) and its own schemas.
	PostgreSQL: {"": {"public", "none", "pg_catalog", "pg_toast", "information_schema"}},
	// The default user, and the databases ClickHouse itself uses.
	ClickHouse: {"": {"default", "system", "information_schema"}},
	Redis:      {"user": {"default"}},
	MongoDB:    {"": {"admin", "local", "config"}},
	// Elasticsearch's built-in users and reserved roles.
	Elasticsearch: {
		"user": {"elastic", "kibana", "kibana_system", "logstash_system", "beats_system", "apm_system", "remote_monitoring_user"},
		"role": {"superuser", "kibana_admin", "kibana_user", "kibana_system", "monitoring_user", "remote_monitoring_agent",
			"remote_monitoring_collector", "ingest_admin", "snapshot_user", "watcher_admin", "watcher_user", "transport_client",
			"machine_learning_admin", "machine_learning_user", "apm_user", "apm_system", "beats_admin", "beats_system",
			"logstash_admin", "logstash_system", "rollup_admin", "rollup_user", "transform_admin", "transform_user",
			"enrich_user", "editor", "viewer", "reporting_user"},
	},
}

// postgresRoleKeywords are the role specifications that are keywords.
var postgresRoleKeywords = []string{"current_user", "session_user", "current_role", "system_user"}

// CheckDerivedName returns why an engine refuses a derived name, or "".
func CheckDerivedName(n DerivedName) string {
	for _, kind := range []string{"", n.Kind} {
		if slices.Contains(reservedNames[n.Engine][kind], n.Name) {
			return fmt.Sprintf("%s reserves the %s name %s", engineTitle(n.Engine), n.Kind, n.Name)
		}
	}
	switch n.Engine {
	case PostgreSQL:
		if slices.Contains(postgresRoleKeywords, n.Name) {
			return fmt.Sprintf("PostgreSQL reads %s, unquoted, as the session's own role, not as the tenant's", n.Name)
		}
		if strings.HasPrefix(n.Name, "pg_") {
			return fmt.Sprintf("PostgreSQL reserves %s names that start with pg_ (%s)", n.Kind, n.Name)
		}
		if len(n.Name) > 63 {
			return fmt.Sprintf("PostgreSQL names hold at most 63 bytes (%s holds %d)", n.Name, len(n.Name))
		}
	case MongoDB:
		if strings.HasPrefix(n.Name, "system.") || strings.ContainsAny(n.Name, "$\x00") {
			return fmt.Sprintf("MongoDB refuses the %s name %s", n.Kind, n.Name)
		}
	case ClickHouse:
		if strings.EqualFold(n.Name, "information_schema") {
			return fmt.Sprintf("ClickHouse reserves the %s name %s", n.Kind, n.Name)
		}
	case Elasticsearch:
		if n.Kind == "index prefix" && (n.Name != strings.ToLower(n.Name) || strings.ContainsAny(n.Name, `\/*?"<>| ,#:`) ||
			strings.HasPrefix(n.Name, "_") || strings.HasPrefix(n.Name, "-") || strings.HasPrefix(n.Name, "+") || strings.HasPrefix(n.Name, ".")) {
			return fmt.Sprintf("Elasticsearch refuses the index prefix %s", n.Name)
		}
	case Redis:
		if strings.ContainsAny(n.Name, " *?[]\\\x00\n\r\t") {
			return fmt.Sprintf("Redis ACL rules cannot hold the %s %s", n.Kind, n.Name)
		}
	}
	return ""
}

// CheckTenantID returns why id cannot be a tenant id, or "": it must have
// the form TenantIDPattern, and no name derived from it may be one an
// engine refuses or reserves (PostgreSQL reserves role and schema names that
// start with pg_; tenant current would own the role current_user).
func CheckTenantID(id string) string {
	if !tenantIDRE.MatchString(id) {
		return "it must start with a lowercase letter and hold 3 to 40 characters a-z, 0-9 and _"
	}
	if strings.HasPrefix(id, "pg_") {
		return "it must not start with pg_: PostgreSQL reserves role and schema names that start with pg_ (the tenant's roles would be " + id + "_owner, " + id + "_admin and " + id + "_user)"
	}
	for _, n := range DerivedNames(id) {
		if why := CheckDerivedName(n); why != "" {
			return "the tenant's " + engineTitle(n.Engine) + " " + n.Kind + " would be " + n.Name + ", and " + why + ": pick another tenant id"
		}
	}
	return ""
}

func engineTitle(engine string) string {
	switch engine {
	case PostgreSQL:
		return "PostgreSQL"
	case MongoDB:
		return "MongoDB"
	case Redis:
		return "Redis"
	case ClickHouse:
		return "ClickHouse"
	case Elasticsearch:
		return "Elasticsearch"
	}
	return engine
}
