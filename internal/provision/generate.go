package provision

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tenantry/terraform-provider-tenant/internal/engines"
)

// Artifacts are the provisioning artifacts of one tenant; an engine that is
// disabled has none (nil).
type Artifacts struct {
	// PostgreSQL is an idempotent SQL script (PostgreSQL 13 or later) that a
	// superuser runs; running the script of another tier converges.
	PostgreSQL *string
	// PostgreSQLTeardown removes everything PostgreSQL created.
	PostgreSQLTeardown *string
	// RedisACL holds one ACL SETUSER command per line (redis-cli input).
	RedisACL *string
	// MongoDB is the canonical JSON of the createRole documents and of the
	// role of each user.
	MongoDB *string
	// ClickHouse is an SQL script (CREATE DATABASE, CREATE ROLE, GRANT).
	ClickHouse *string
	// Elasticsearch is the canonical JSON of the role documents and of the
	// roles of each user.
	Elasticsearch *string
}

// userGrant is what one engine user gets on one engine: canonical privilege
// names in the engine table's order.
type userGrant struct {
	user       string
	privileges []string
}

func (g userGrant) has(p string) bool { return slices.Contains(g.privileges, p) }

// generator holds the checked parts of an Input.
type generator struct {
	in        Input
	id        string
	users     []User // <id>_admin then <id>_user
	rolePerms map[string][]string
}

// Generate writes the artifacts of in. It checks every value that reaches an
// artifact (names against the tenant id, privileges and commands against
// allow-lists) and fails with an *Error naming the configuration path of the
// first bad one. A privilege is granted to a user only when one of its RBAC
// roles lists it, that role holds the permission tenant:<operation> of the
// privilege's operation and the engine's operations allow it — the same
// rules validate_access applies — so an operation validate_access denies is
// granted by no artifact. The output is deterministic, byte for byte.
func Generate(in Input) (Artifacts, error) {
	g, err := newGenerator(in)
	if err != nil {
		return Artifacts{}, err
	}
	var a Artifacts
	for _, d := range registry {
		if e := *d.input(&in); e != nil {
			if err := d.generate(g, e, &a); err != nil {
				return Artifacts{}, err
			}
		}
	}
	return a, nil
}

func newGenerator(in Input) (*generator, error) {
	id := in.TenantID
	if why := CheckTenantID(id); why != "" {
		return nil, errorf("tenant_info.tenant_id", "%q is not a tenant id: %s", id, why)
	}
	g := &generator{in: in, id: id, rolePerms: map[string][]string{}}
	for _, r := range in.Roles {
		g.rolePerms[r.Name] = append(g.rolePerms[r.Name], r.Permissions...)
	}
	byName := map[string]*User{id + "_admin": {Name: id + "_admin"}, id + "_user": {Name: id + "_user"}}
	for i, u := range in.Users {
		target, ok := byName[u.Name]
		if !ok {
			return nil, errorf(fmt.Sprintf("security.access_control.users[%d].username", i), "%q is not an engine user of tenant %s: only %s_admin and %s_user are provisioned", u.Name, id, id, id)
		}
		target.Roles = appendNew(target.Roles, u.Roles...)
		if u.Permissions != nil {
			target.Permissions = appendNew(append([]string{}, target.Permissions...), u.Permissions...)
		}
	}
	g.users = []User{*byName[id+"_admin"], *byName[id+"_user"]}
	return g, nil
}

// grants checks the engine's operations and privileges and returns what each
// engine user gets.
func (g *generator) grants(engine string, e *Engine) ([]userGrant, error) {
	base := "security.database_permissions." + engine
	if err := checkOperations(base+".operations", e.Operations); err != nil {
		return nil, err
	}
	table := engines.Privileges(engine)
	for _, role := range sortedKeys(e.Privileges) {
		for i, p := range e.Privileges[role] {
			if _, _, ok := Classify(engine, p); !ok {
				return nil, errorf(fmt.Sprintf("%s.privileges.%s[%d]", base, role, i), "%q is not a %s privilege the provisioning knows: use one of %s", p, engine, Known(engine))
			}
		}
	}
	for i, c := range e.AllowedCommands {
		if _, _, ok := Classify(engine, c); !ok {
			return nil, errorf(fmt.Sprintf("databases.%s.allowed_commands[%d]", engine, i), "%q is not a Redis command the provisioning knows: use one of %s", c, Known(engine))
		}
	}
	out := make([]userGrant, 0, len(g.users))
	for _, u := range g.users {
		granted := map[string]bool{}
		for _, role := range u.Roles {
			for _, p := range e.Privileges[role] {
				canonical, op, _ := Classify(engine, p)
				permission := "tenant:" + op
				switch {
				case !slices.Contains(e.Operations, op):
				case !slices.Contains(g.rolePerms[role], permission):
				case u.Permissions != nil && !slices.Contains(u.Permissions, permission):
				case e.AllowedCommands != nil && !slices.ContainsFunc(e.AllowedCommands, func(c string) bool { return strings.EqualFold(c, canonical) }):
				default:
					granted[canonical] = true
				}
			}
		}
		ug := userGrant{user: u.Name}
		for _, p := range table {
			if granted[p] {
				ug.privileges = append(ug.privileges, p)
			}
		}
		out = append(out, ug)
	}
	return out, nil
}

// names checks the isolation names at databases.<engine>.<key> and returns
// them sorted by purpose.
func (g *generator) names(engine, key string, e *Engine, check func(path, id, name string) error) ([]purposeName, error) {
	if len(e.Names) == 0 {
		return nil, errorf(fmt.Sprintf("databases.%s.%s", engine, key), "is missing: the %s isolation names are needed to provision it", engine)
	}
	out := make([]purposeName, 0, len(e.Names))
	for _, purpose := range sortedKeys(e.Names) {
		path := fmt.Sprintf("databases.%s.%s.%s", engine, key, purpose)
		if err := check(path, g.id, e.Names[purpose]); err != nil {
			return nil, err
		}
		out = append(out, purposeName{purpose, e.Names[purpose]})
	}
	return out, nil
}

type purposeName struct{ purpose, name string }

// header is the comment line that opens an SQL artifact, what it is (such
// as "PostgreSQL provisioning") first. Only checked values reach it (the
// tier name is checked as a role name would be).
func (g *generator) header(what string) string {
	tier := g.in.Tier
	if !roleNameRE.MatchString(tier) {
		tier = "(unnamed)"
	}
	return fmt.Sprintf("-- %s of tenant %s (tier %s), generated by terraform-provider-tenant; do not edit.\n", what, g.id, tier)
}

func (g *generator) owner() string { return g.id + "_owner" }

// roleOf is the engine role of an engine user on MongoDB, ClickHouse and
// Elasticsearch.
func roleOf(user string) string { return user + "_role" }
