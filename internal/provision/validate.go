package provision

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// TenantIDPattern is the form of a tenant id (SPEC section 6).
const TenantIDPattern = `^[a-z][a-z0-9_]{2,39}$`

var (
	tenantIDRE = regexp.MustCompile(TenantIDPattern)
	// A name suffix holds no underscore: "<id>_<suffix>" then names one
	// tenant only, as the last underscore splits it (tenant acme cannot
	// claim acme_b_data, the schema of tenant acme_b).
	suffixRE = regexp.MustCompile(`^[a-z0-9]+$`)
	// A Redis key prefix is "<word>:<id>:".
	redisWordRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	roleNameRE  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
	wordRE      = regexp.MustCompile(`^[A-Za-z]+$`)
)

// Operations are the operations a privilege can belong to, as
// validate_access knows them.
var Operations = []string{"read", "write", "admin", "backup"}

// The privileges each engine knows, with the operation each belongs to.
// Anything else is rejected: a privilege is written into SQL, an ACL or a
// role document only when it is one of these.
var (
	postgresPrivileges = []privilege{
		{"SELECT", "read"}, {"INSERT", "write"}, {"UPDATE", "write"}, {"DELETE", "write"},
		{"TRUNCATE", "write"}, {"REFERENCES", "admin"}, {"TRIGGER", "admin"},
	}
	mongoActions = []privilege{
		{"find", "read"}, {"listIndexes", "read"}, {"collStats", "read"},
		{"insert", "write"}, {"update", "write"}, {"remove", "write"},
		{"createIndex", "admin"}, {"dropIndex", "admin"}, {"createCollection", "admin"},
		{"dropCollection", "admin"}, {"collMod", "admin"},
	}
	clickhousePrivileges = []privilege{
		{"SELECT", "read"}, {"SHOW TABLES", "read"}, {"SHOW COLUMNS", "read"},
		{"INSERT", "write"}, {"ALTER UPDATE", "write"}, {"ALTER DELETE", "write"}, {"TRUNCATE", "write"},
		{"CREATE TABLE", "admin"}, {"DROP TABLE", "admin"}, {"ALTER TABLE", "admin"}, {"OPTIMIZE", "admin"},
	}
	elasticsearchPrivileges = []privilege{
		{"read", "read"}, {"view_index_metadata", "read"}, {"monitor", "read"},
		{"index", "write"}, {"create", "write"}, {"create_doc", "write"}, {"delete", "write"}, {"write", "write"},
		{"manage", "admin"}, {"create_index", "admin"}, {"delete_index", "admin"},
	}
	// redisCommands are the data commands a tenant role may be given: each
	// works on the keys it names only (the key patterns limit it). Commands
	// that reach every key or the server (KEYS, SCAN, FLUSHALL, CONFIG, EVAL,
	// ...) are not here and are rejected.
	redisCommands = []privilege{
		{"GET", "read"}, {"MGET", "read"}, {"EXISTS", "read"}, {"TTL", "read"}, {"PTTL", "read"},
		{"TYPE", "read"}, {"STRLEN", "read"}, {"GETRANGE", "read"}, {"HGET", "read"}, {"HMGET", "read"},
		{"HGETALL", "read"}, {"HEXISTS", "read"}, {"HKEYS", "read"}, {"HVALS", "read"}, {"HLEN", "read"},
		{"LRANGE", "read"}, {"LLEN", "read"}, {"LINDEX", "read"}, {"SMEMBERS", "read"},
		{"SISMEMBER", "read"}, {"SCARD", "read"}, {"ZRANGE", "read"}, {"ZSCORE", "read"},
		{"ZCARD", "read"}, {"ZRANK", "read"}, {"ZCOUNT", "read"},
		{"SET", "write"}, {"SETEX", "write"}, {"PSETEX", "write"}, {"SETNX", "write"}, {"MSET", "write"},
		{"DEL", "write"}, {"UNLINK", "write"}, {"EXPIRE", "write"}, {"PEXPIRE", "write"},
		{"EXPIREAT", "write"}, {"PEXPIREAT", "write"}, {"PERSIST", "write"}, {"INCR", "write"},
		{"INCRBY", "write"}, {"DECR", "write"}, {"DECRBY", "write"}, {"INCRBYFLOAT", "write"},
		{"APPEND", "write"}, {"GETDEL", "write"}, {"GETEX", "write"}, {"GETSET", "write"},
		{"HSET", "write"}, {"HSETNX", "write"}, {"HDEL", "write"}, {"HINCRBY", "write"},
		{"LPUSH", "write"}, {"RPUSH", "write"}, {"LPOP", "write"}, {"RPOP", "write"}, {"LREM", "write"},
		{"LSET", "write"}, {"LTRIM", "write"}, {"SADD", "write"}, {"SREM", "write"}, {"ZADD", "write"},
		{"ZREM", "write"}, {"ZINCRBY", "write"},
	}
)

type privilege struct{ name, operation string }

// engineTable returns the privileges the engine knows and whether names
// compare without case (SQL keywords, Redis commands).
func engineTable(engine string) ([]privilege, bool) {
	switch engine {
	case PostgreSQL:
		return postgresPrivileges, true
	case MongoDB:
		return mongoActions, false
	case Redis:
		return redisCommands, true
	case ClickHouse:
		return clickhousePrivileges, true
	case Elasticsearch:
		return elasticsearchPrivileges, false
	}
	return nil, false
}

// Classify returns the canonical spelling of an engine privilege (a Redis
// command, an SQL privilege, a MongoDB action, an Elasticsearch privilege)
// and the operation it belongs to; ok is false for anything the generator
// does not know, which it rejects.
func Classify(engine, name string) (canonical, operation string, ok bool) {
	table, fold := engineTable(engine)
	if engine == Redis && !wordRE.MatchString(name) {
		return "", "", false
	}
	for _, p := range table {
		if p.name == name || fold && strings.EqualFold(p.name, name) {
			return p.name, p.operation, true
		}
	}
	return "", "", false
}

// known lists the privileges of engine for an error message.
func known(engine string) string {
	table, _ := engineTable(engine)
	names := make([]string, len(table))
	for i, p := range table {
		names[i] = p.name
	}
	return strings.Join(names, ", ")
}

// ValidTenantID reports whether id has the form of a tenant id.
func ValidTenantID(id string) bool { return tenantIDRE.MatchString(id) }

// checkName checks an isolation name of the tenant: "<id>_<suffix>", the
// suffix of lowercase letters and digits, at most 63 bytes (a PostgreSQL
// identifier).
func checkName(path, id, name string) error {
	suffix, found := strings.CutPrefix(name, id+"_")
	if !found || !suffixRE.MatchString(suffix) || len(name) > 63 {
		return errorf(path, "%q is not an isolation name of tenant %s: want %s_<suffix>, the suffix of lowercase letters and digits (at most 63 characters in all)", name, id, id)
	}
	return nil
}

// checkRedisPrefix checks a key prefix: "<word>:<id>:". The pattern written
// is the prefix followed by "*": the prefix holds no glob metacharacter,
// space or control character, and no other tenant's keys start with it.
func checkRedisPrefix(path, id, prefix string) error {
	word, rest, found := strings.Cut(prefix, ":")
	if !found || !redisWordRE.MatchString(word) || rest != id+":" {
		return errorf(path, "%q is not a key prefix of tenant %s: want <word>:%s: (a word of lowercase letters, digits and underscores, then the tenant id between colons), so that the pattern %q matches this tenant's keys only", prefix, id, id, prefix+"*")
	}
	return nil
}

// checkIndexPrefix checks an Elasticsearch index prefix: the tenant id and
// one separator (_, - or .).
func checkIndexPrefix(path, id, prefix string) error {
	sep, found := strings.CutPrefix(prefix, id)
	if !found || (sep != "_" && sep != "-" && sep != ".") {
		return errorf(path, "%q is not an index prefix of tenant %s: want %s_, %s- or %s.", prefix, id, id, id, id)
	}
	return nil
}

// indexPattern is the Elasticsearch index pattern of a checked prefix. A
// prefix that ends in "_" would also match other tenants' indices (acme_*
// matches acme_b_logs), so it is a regular expression that allows no
// further "_" right after the prefix's own.
func indexPattern(prefix string) string {
	if strings.HasSuffix(prefix, "_") {
		return "/" + prefix + "[^_]*/"
	}
	return prefix + "*"
}

func checkOperations(path string, ops []string) error {
	for i, op := range ops {
		if !slices.Contains(Operations, op) {
			return errorf(fmt.Sprintf("%s[%d]", path, i), "%q is not an operation: use one of %s", op, strings.Join(Operations, ", "))
		}
	}
	return nil
}

// quoteIdent quotes a PostgreSQL identifier. Names are checked before they
// get here; quoting still doubles any quote, so nothing can end the
// identifier early.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteLiteral quotes a PostgreSQL string literal (standard_conforming_strings).
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// quoteBacktick quotes a ClickHouse identifier.
func quoteBacktick(s string) string {
	return "`" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "`", "\\`") + "`"
}
