// Package engines holds what the database engines accept from the provider:
// the privileges each engine knows and the operation each belongs to, the
// names the artifacts derive from a tenant id, and the names each engine
// reserves. The renderer checks configurations with it at plan time and the
// provisioning checks every value it writes with it, so both apply one set
// of rules. It imports nothing of the provider.
package engines

import (
	"regexp"
	"strings"
)

// The engines with provisioning artifacts.
const (
	PostgreSQL    = "postgresql"
	MongoDB       = "mongodb"
	Redis         = "redis"
	ClickHouse    = "clickhouse"
	Elasticsearch = "elasticsearch"
)

// Engines lists the engines that have provisioning artifacts, in output order.
var Engines = []string{PostgreSQL, MongoDB, Redis, ClickHouse, Elasticsearch}

// TenantIDPattern is the form of a tenant id (SPEC section 6).
const TenantIDPattern = `^[a-z][a-z0-9_]{2,39}$`

var (
	tenantIDRE = regexp.MustCompile(TenantIDPattern)
	wordRE     = regexp.MustCompile(`^[A-Za-z]+$`)
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

// Known lists the privileges of engine the provisioning grants, for a message.
func Known(engine string) string {
	return strings.Join(Privileges(engine), ", ")
}

// Privileges returns the canonical names of the privileges engine knows, in
// the order the artifacts write them.
func Privileges(engine string) []string {
	table, _ := engineTable(engine)
	names := make([]string, len(table))
	for i, p := range table {
		names[i] = p.name
	}
	return names
}
