package provision

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/tenantry/terraform-provider-tenant/internal/engines"
)

// The engines Generate writes artifacts for, in output order.
const (
	PostgreSQL    = engines.PostgreSQL
	MongoDB       = engines.MongoDB
	Redis         = engines.Redis
	ClickHouse    = engines.ClickHouse
	Elasticsearch = engines.Elasticsearch
)

// Engines lists the engines that have provisioning artifacts (the rows of
// the engine registry, engines.go).
var Engines = func() []string {
	out := make([]string, len(registry))
	for i, d := range registry {
		out[i] = d.name
	}
	return out
}()

// The RBAC roles of the two engine users (SPEC section 3).
const (
	RoleTenantAdmin = "tenant_admin"
	RoleTenantUser  = "tenant_user"
)

// DefaultMongoDatabase is the MongoDB database of the tenants' collections
// when the configuration names none.
const DefaultMongoDatabase = "tenants"

// Input is what the artifacts are generated from: a typed description of one
// tenant, extracted from its rendered configuration by FromConfig (or built
// by hand in tests).
type Input struct {
	TenantID string
	Tier     string
	// Roles are the tenant's RBAC roles (security.access_control.roles) with
	// the tenant:<operation> permissions each holds.
	Roles []Role
	// Users are the engine users and the RBAC roles each holds. Only the
	// users <id>_admin and <id>_user are provisioned; both always exist on
	// the engines, a user absent here holds no role and gets nothing.
	Users []User
	// One entry per engine; nil when the engine is disabled or absent.
	PostgreSQL    *Engine
	MongoDB       *Engine
	Redis         *Engine
	ClickHouse    *Engine
	Elasticsearch *Engine
}

// Role is an RBAC role of the tenant.
type Role struct {
	Name string
	// Permissions such as "tenant:read", "tenant:write".
	Permissions []string
}

// User is an engine user and its RBAC roles.
type User struct {
	Name  string
	Roles []string
	// Permissions, when not nil, restrict the user further: a privilege of
	// operation op is granted only when Permissions holds "tenant:"+op.
	Permissions []string
}

// Engine is what one enabled engine needs.
type Engine struct {
	// Names are the isolation names by purpose: PostgreSQL schemas
	// (tenant_data, ...), MongoDB collections (users, ...) or Redis key
	// prefixes (cache, ...).
	Names map[string]string
	// Database is the ClickHouse database, or the MongoDB database that
	// holds the collections.
	Database string
	// AuthDatabase is the MongoDB database that holds the roles and users
	// (security.database_permissions.mongodb.authentication_database).
	AuthDatabase string
	// IndexPrefix is the Elasticsearch index prefix.
	IndexPrefix string
	// MaxConnections is the tier's connection limit; -1 for none.
	MaxConnections int64
	SSLRequired    bool
	// Operations are the operations the engine's permissions allow (read,
	// write, admin, backup): a privilege of another operation is not granted.
	Operations []string
	// Privileges are the engine privileges of each RBAC role.
	Privileges map[string][]string
	// AllowedCommands, when not nil, is the Redis command allow-list: a
	// command outside it is not granted to anyone.
	AllowedCommands []string
}

// Error is a problem with one value of the configuration; Path is its
// dotted path (list elements as [i]).
type Error struct {
	Path    string
	Message string
}

func (e *Error) Error() string { return e.Path + ": " + e.Message }

func errorf(path, format string, args ...any) *Error {
	return &Error{Path: path, Message: fmt.Sprintf(format, args...)}
}

// reader walks a rendered configuration tree, remembering paths for errors;
// base is the path of cfg itself ("" at the top).
type reader struct {
	cfg  map[string]any
	base string
}

func (r reader) join(path []string) string {
	p := strings.Join(path, ".")
	if r.base == "" {
		return p
	}
	if p == "" {
		return r.base
	}
	return r.base + "." + p
}

// get returns the value at path; ok is false when a key is absent. A value
// on the way that is not a map is an error.
func (r reader) get(path ...string) (any, bool, error) {
	var cur any = r.cfg
	for i, k := range path {
		m, isMap := cur.(map[string]any)
		if !isMap {
			if cur == nil {
				return nil, false, nil
			}
			return nil, false, errorf(r.join(path[:i]), "is %s, want an object", typeName(cur))
		}
		v, ok := m[k]
		if !ok || v == nil {
			return nil, false, nil
		}
		cur = v
	}
	if cur == SensitiveMarker {
		return nil, false, sensitiveError(r.join(path))
	}
	return cur, true, nil
}

func (r reader) str(path ...string) (string, bool, error) {
	v, ok, err := r.get(path...)
	if err != nil || !ok {
		return "", false, err
	}
	s, isStr := v.(string)
	if !isStr {
		return "", false, errorf(r.join(path), "is %s, want a string", typeName(v))
	}
	return s, true, nil
}

func (r reader) boolean(path ...string) (bool, bool, error) {
	v, ok, err := r.get(path...)
	if err != nil || !ok {
		return false, false, err
	}
	b, isBool := v.(bool)
	if !isBool {
		return false, false, errorf(r.join(path), "is %s, want a boolean", typeName(v))
	}
	return b, true, nil
}

func (r reader) object(path ...string) (map[string]any, bool, error) {
	v, ok, err := r.get(path...)
	if err != nil || !ok {
		return nil, false, err
	}
	m, isMap := v.(map[string]any)
	if !isMap {
		return nil, false, errorf(r.join(path), "is %s, want an object", typeName(v))
	}
	return m, true, nil
}

func (r reader) list(path ...string) ([]any, bool, error) {
	v, ok, err := r.get(path...)
	if err != nil || !ok {
		return nil, false, err
	}
	l, isList := v.([]any)
	if !isList {
		return nil, false, errorf(r.join(path), "is %s, want a list", typeName(v))
	}
	return l, true, nil
}

// strings reads a list of strings; nil (not an empty list) when absent.
func (r reader) strings(path ...string) ([]string, bool, error) {
	l, ok, err := r.list(path...)
	if err != nil || !ok {
		return nil, false, err
	}
	return stringList(r.join(path), l)
}

func stringList(path string, l []any) ([]string, bool, error) {
	out := make([]string, 0, len(l))
	for i, x := range l {
		s, isStr := x.(string)
		if s == SensitiveMarker {
			return nil, false, sensitiveError(fmt.Sprintf("%s[%d]", path, i))
		}
		if !isStr {
			return nil, false, errorf(fmt.Sprintf("%s[%d]", path, i), "is %s, want a string", typeName(x))
		}
		out = append(out, s)
	}
	return out, true, nil
}

// integer reads a whole number (int64, or a float64 without a fraction).
func (r reader) integer(path ...string) (int64, bool, error) {
	v, ok, err := r.get(path...)
	if err != nil || !ok {
		return 0, false, err
	}
	switch n := v.(type) {
	case int64:
		return n, true, nil
	case int:
		return int64(n), true, nil
	case float64:
		if n == math.Trunc(n) && n >= math.MinInt32 && n <= math.MaxInt32 {
			return int64(n), true, nil
		}
		return 0, false, errorf(r.join(path), "is %v, want a whole number", n)
	}
	return 0, false, errorf(r.join(path), "is %s, want a number", typeName(v))
}

// stringMap reads an object whose values are all strings.
func (r reader) stringMap(path ...string) (map[string]string, bool, error) {
	m, ok, err := r.object(path...)
	if err != nil || !ok {
		return nil, false, err
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		s, isStr := v.(string)
		if !isStr {
			return nil, false, errorf(r.join(path)+"."+k, "is %s, want a string", typeName(v))
		}
		out[k] = s
	}
	return out, true, nil
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int, int64, float64:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
}

// namesPath is where each engine's isolation names live.
var namesPath = map[string]string{
	PostgreSQL: "schemas",
	MongoDB:    "collections",
	Redis:      "namespaces",
}

// FromConfig extracts the Input of a rendered configuration tree (maps
// map[string]any, lists []any, scalars string, bool, int64, float64). It
// reads both shapes of security.access_control: users as lists of
// {username, roles, permissions} objects, and the older lists of user names
// (admin_users hold tenant_admin, standard_users tenant_user). Errors name
// the path of the value at fault; values are checked by Generate.
func FromConfig(cfg map[string]any) (Input, error) {
	r := reader{cfg: cfg}
	var in Input
	id, ok, err := r.str("tenant_info", "tenant_id")
	if err != nil {
		return Input{}, err
	}
	if !ok {
		if id, ok, err = r.str("tenant_info", "id"); err != nil {
			return Input{}, err
		}
	}
	if !ok {
		return Input{}, errorf("tenant_info.tenant_id", "is missing: a rendered configuration names its tenant")
	}
	in.TenantID = id
	for _, p := range [][]string{{"tenant_info", "tier"}, {"tenant_info", "tenant_type"}, {"subscription", "tier"}} {
		tier, ok, err := r.str(p...)
		if err != nil {
			return Input{}, err
		}
		if ok {
			in.Tier = tier
			break
		}
	}

	roles, _, err := r.object("security", "access_control", "roles")
	if err != nil {
		return Input{}, err
	}
	for _, name := range sortedKeys(roles) {
		perms, _, err := r.strings("security", "access_control", "roles", name, "permissions")
		if err != nil {
			return Input{}, err
		}
		in.Roles = append(in.Roles, Role{Name: name, Permissions: perms})
	}
	if in.Users, err = readUsers(r, id); err != nil {
		return Input{}, err
	}

	for _, name := range Engines {
		e, err := readEngine(r, name)
		if err != nil {
			return Input{}, err
		}
		in.setEngine(name, e)
	}
	return in, nil
}

// readUsers returns the two engine users <id>_admin and <id>_user with the
// roles the configuration gives them. Other users of the configuration are
// not engine users and are not provisioned.
func readUsers(r reader, id string) ([]User, error) {
	users := map[string]*User{
		id + "_admin": {Name: id + "_admin"},
		id + "_user":  {Name: id + "_user"},
	}
	lists := []struct{ key, role string }{{"admin_users", RoleTenantAdmin}, {"standard_users", RoleTenantUser}}
	for _, list := range lists {
		l, _, err := r.list("security", "access_control", list.key)
		if err != nil {
			return nil, err
		}
		for i, x := range l {
			path := fmt.Sprintf("security.access_control.%s[%d]", list.key, i)
			var name string
			var roles, perms []string
			switch u := x.(type) {
			case string:
				name, roles = u, []string{list.role}
			case map[string]any:
				ur := reader{cfg: u, base: path}
				var ok bool
				var err error
				if name, ok, err = ur.str("username"); err != nil {
					return nil, err
				} else if !ok {
					return nil, errorf(path+".username", "is missing: a user object needs its username")
				}
				if roles, ok, err = ur.strings("roles"); err != nil {
					return nil, err
				} else if !ok {
					roles = []string{list.role}
				}
				if perms, _, err = ur.strings("permissions"); err != nil {
					return nil, err
				}
			default:
				return nil, errorf(path, "is %s, want a user name or a {username, roles, permissions} object", typeName(x))
			}
			u, engineUser := users[name]
			if !engineUser {
				continue
			}
			u.Roles = appendNew(u.Roles, roles...)
			if perms != nil {
				u.Permissions = appendNew(u.Permissions, perms...)
				if len(u.Permissions) == 0 {
					u.Permissions = []string{}
				}
			}
		}
	}
	return []User{*users[id+"_admin"], *users[id+"_user"]}, nil
}

func appendNew(list []string, xs ...string) []string {
	for _, x := range xs {
		found := false
		for _, y := range list {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			list = append(list, x)
		}
	}
	return list
}

func readEngine(r reader, name string) (*Engine, error) {
	enabled, _, err := r.boolean("databases", name, "enabled")
	if err != nil || !enabled {
		return nil, err
	}
	e := &Engine{MaxConnections: -1}
	if key, ok := namesPath[name]; ok {
		if e.Names, _, err = r.stringMap("databases", name, key); err != nil {
			return nil, err
		}
	}
	switch name {
	case ClickHouse:
		if e.Database, _, err = r.str("databases", name, "database"); err != nil {
			return nil, err
		}
	case MongoDB:
		db, ok, err := r.str("databases", name, "database")
		if err != nil {
			return nil, err
		}
		e.Database = DefaultMongoDatabase
		if ok {
			e.Database = db
		}
		auth, ok, err := r.str("security", "database_permissions", name, "authentication_database")
		if err != nil {
			return nil, err
		}
		e.AuthDatabase = e.Database
		if ok {
			e.AuthDatabase = auth
		}
	case Elasticsearch:
		if e.IndexPrefix, _, err = r.str("databases", name, "index_prefix"); err != nil {
			return nil, err
		}
	}
	if n, ok, err := r.integer("databases", name, "resources", "max_connections"); err != nil {
		return nil, err
	} else if ok {
		e.MaxConnections = n
	}
	if e.SSLRequired, _, err = r.boolean("security", "ssl", "required"); err != nil {
		return nil, err
	}
	if name == PostgreSQL {
		if req, ok, err := r.boolean("security", "database_permissions", name, "ssl_required"); err != nil {
			return nil, err
		} else if ok {
			e.SSLRequired = req
		}
	}
	if e.Operations, _, err = r.strings("security", "database_permissions", name, "operations"); err != nil {
		return nil, err
	}
	privs, _, err := r.object("security", "database_permissions", name, "privileges")
	if err != nil {
		return nil, err
	}
	if len(privs) > 0 {
		e.Privileges = make(map[string][]string, len(privs))
	}
	for _, role := range sortedKeys(privs) {
		if e.Privileges[role], _, err = r.strings("security", "database_permissions", name, "privileges", role); err != nil {
			return nil, err
		}
	}
	if name == Redis {
		allowed, okA, err := r.strings("databases", name, "allowed_commands")
		if err != nil {
			return nil, err
		}
		white, okW, err := r.strings("security", "database_permissions", name, "command_whitelist")
		if err != nil {
			return nil, err
		}
		switch {
		case okA && okW:
			e.AllowedCommands = intersectFold(allowed, white)
		case okA:
			e.AllowedCommands = allowed
		case okW:
			e.AllowedCommands = white
		}
	}
	return e, nil
}

// intersectFold keeps the commands of a that b holds, ignoring case.
func intersectFold(a, b []string) []string {
	out := []string{}
	for _, x := range a {
		for _, y := range b {
			if strings.EqualFold(x, y) {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
