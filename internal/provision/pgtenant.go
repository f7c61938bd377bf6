package provision

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// PostgreSQLTenant is what one tenant's objects on a PostgreSQL server must
// be, derived from its Input alone: the owner role (NOLOGIN) that owns the
// schemas, the login roles with the tier's connection limit, exactly the
// tier's privileges on the schemas, their tables and sequences (existing and
// future), and the roles that are members of the owner.
//
// Its privileges are written as canonical lines (see Planned): the same lines
// ReadPostgreSQL builds from the catalog, so that the plan of a tenant is what
// its tier grants and a refresh is what the server holds.
type PostgreSQLTenant struct {
	ID    string
	Owner string
	// Logins are <id>_admin and <id>_user.
	Logins []string
	// Schemas, sorted.
	Schemas []string
	// ConnectionLimit of the login roles; -1 for none.
	ConnectionLimit int64
	// Grants are the table privileges of each login role, in the engine
	// table's order (SELECT, INSERT, ...).
	Grants map[string][]string
	// OwnerMembers are the roles that may SET ROLE to the owner, sorted.
	OwnerMembers []string
}

// The kinds of a tenant's two login users, <id>_admin and <id>_user, on
// every engine: passwords are given by kind (passwords_wo keys).
const (
	PasswordAdmin = "admin"
	PasswordUser  = "user"
)

// PasswordKinds are the kinds of login users in their order: the keys a
// password map may have.
var PasswordKinds = []string{PasswordAdmin, PasswordUser}

// anyRoleRE is the form of a role name that owner_members accepts: a
// PostgreSQL identifier of at most 63 bytes without control characters.
var anyRoleRE = regexp.MustCompile(`^[^\x00-\x1f\x7f]{1,63}$`)

// NewPostgreSQLTenant checks in (as Generate does) and returns the tenant's
// PostgreSQL objects. ownerMembers are role names; the error of a bad one
// has the Path "owner_members".
func NewPostgreSQLTenant(in Input, ownerMembers []string) (*PostgreSQLTenant, error) {
	if in.PostgreSQL == nil {
		return nil, errorf("databases.postgresql.enabled", "is not true: the tenant has no PostgreSQL database to enforce; enable it in the tier or the overrides, or remove the tenant_postgresql resource")
	}
	g, err := newGenerator(in)
	if err != nil {
		return nil, err
	}
	e := in.PostgreSQL
	schemas, err := g.names(PostgreSQL, "schemas", e, checkName)
	if err != nil {
		return nil, err
	}
	grants, err := g.grants(PostgreSQL, e)
	if err != nil {
		return nil, err
	}
	if e.MaxConnections < -1 {
		return nil, errorf("databases.postgresql.resources.max_connections", "%d is not a connection limit: want -1 (none) or more", e.MaxConnections)
	}
	t := &PostgreSQLTenant{
		ID: g.id, Owner: g.owner(), ConnectionLimit: e.MaxConnections,
		Grants: map[string][]string{},
	}
	for _, s := range schemas {
		t.Schemas = append(t.Schemas, s.name)
	}
	slices.Sort(t.Schemas)
	for _, ug := range grants {
		t.Logins = append(t.Logins, ug.user)
		t.Grants[ug.user] = ug.privileges
	}
	for _, m := range ownerMembers {
		switch {
		case !anyRoleRE.MatchString(m):
			return nil, errorf("owner_members", "%q is not a role name: want 1 to 63 characters without control characters", m)
		case m == t.Owner || slices.Contains(t.Logins, m):
			return nil, errorf("owner_members", "%q is one of the tenant's own roles: list the roles (such as a migration role) that may SET ROLE to %s", m, t.Owner)
		case strings.EqualFold(m, "public"):
			return nil, errorf("owner_members", "%q is not a role: PUBLIC cannot be a member of %s", m, t.Owner)
		}
		if !slices.Contains(t.OwnerMembers, m) {
			t.OwnerMembers = append(t.OwnerMembers, m)
		}
	}
	slices.Sort(t.OwnerMembers)
	return t, nil
}

// Roles are the tenant's three roles, the owner first.
func (t *PostgreSQLTenant) Roles() []string { return append([]string{t.Owner}, t.Logins...) }

// Login returns the login role of a password kind (admin, user).
func (t *PostgreSQLTenant) Login(kind string) (string, bool) {
	switch kind {
	case PasswordAdmin:
		return t.ID + "_admin", true
	case PasswordUser:
		return t.ID + "_user", true
	}
	return "", false
}

// Planned returns the canonical privilege lines of the tenant once it is
// converged: what its tier grants, the owner's memberships and the roles'
// attributes. A converged tenant reads back exactly these lines.
func (t *PostgreSQLTenant) Planned() []string { return t.desired().lines(t.Owner) }

// desired is the catalog of a converged tenant that holds no table yet.
func (t *PostgreSQLTenant) desired() *pgState {
	st := &pgState{roles: map[string]pgRole{}}
	st.roles[t.Owner] = pgRole{name: t.Owner, connlimit: 0}
	for _, l := range t.Logins {
		st.roles[l] = pgRole{name: l, login: true, inherit: true, connlimit: t.ConnectionLimit}
	}
	for _, s := range t.Schemas {
		st.objects = append(st.objects, pgObject{kind: kindSchema, schema: s, owner: t.Owner, acl: t.wantACL(kindSchema)})
		st.defaults = append(st.defaults,
			pgDefault{role: t.Owner, schema: s, objtype: "r", acl: t.wantACL(kindTable)},
			pgDefault{role: t.Owner, schema: s, objtype: "S", acl: t.wantACL(kindSequence)})
	}
	for _, m := range t.OwnerMembers {
		st.members = append(st.members, pgMember{role: t.Owner, member: m})
	}
	return st
}

// wantACL is what the tier grants on an object of a kind (the owner's own
// privileges aside), granted by the owner.
func (t *PostgreSQLTenant) wantACL(kind string) []aclEntry {
	var out []aclEntry
	for _, l := range t.Logins {
		g := t.Grants[l]
		switch kind {
		case kindSchema:
			if len(g) > 0 {
				out = append(out, aclEntry{grantor: t.Owner, grantee: l, privilege: "USAGE"})
			}
		case kindTable:
			for _, p := range g {
				out = append(out, aclEntry{grantor: t.Owner, grantee: l, privilege: p})
			}
		case kindSequence:
			if slices.Contains(g, "INSERT") {
				// serial and identity columns draw from sequences.
				out = append(out, aclEntry{grantor: t.Owner, grantee: l, privilege: "USAGE"})
			}
		}
	}
	return out
}

// wantDefaultACL is what the owner's default privileges must hold in a
// schema ("" for the global entry) for an object type of pg_default_acl.
func (t *PostgreSQLTenant) wantDefaultACL(schema, objtype string) []aclEntry {
	if schema == "" {
		return nil
	}
	switch objtype {
	case "r":
		return t.wantACL(kindTable)
	case "S":
		return t.wantACL(kindSequence)
	}
	return nil
}

// The kinds of objects a tenant's privilege lines are about.
const (
	kindSchema   = "SCHEMA"
	kindTable    = "TABLE"
	kindSequence = "SEQUENCE"
	kindFunction = "FUNCTION"
)

// pgState is the part of a server's catalog that is about one tenant.
type pgState struct {
	roles    map[string]pgRole
	objects  []pgObject
	defaults []pgDefault
	members  []pgMember
}

type pgRole struct {
	name                                                         string
	super, inherit, createrole, createdb, login, repl, bypassrls bool
	connlimit                                                    int64
	comment                                                      string
}

// attributes is the canonical text of the role's attributes.
func (r pgRole) attributes() string {
	var b []string
	if r.login {
		b = append(b, "LOGIN")
	} else {
		b = append(b, "NOLOGIN")
	}
	for _, a := range []struct {
		on   bool
		name string
	}{{r.super, "SUPERUSER"}, {r.createdb, "CREATEDB"}, {r.createrole, "CREATEROLE"}, {!r.inherit, "NOINHERIT"}, {r.repl, "REPLICATION"}, {r.bypassrls, "BYPASSRLS"}} {
		if a.on {
			b = append(b, a.name)
		}
	}
	return strings.Join(b, " ") + fmt.Sprintf(" CONNECTION LIMIT %d", r.connlimit)
}

// pgObject is a schema, relation or routine with its privileges.
type pgObject struct {
	kind string
	// schema, and the relation's name or the routine's signature
	// (schema-qualified, as regprocedure writes it); "" for a schema.
	schema, name string
	owner        string
	// dependent is true for a sequence that belongs to a column.
	dependent bool
	acl       []aclEntry
	// columns are the column privileges of a table, by column.
	columns map[string][]aclEntry
}

// display is the object as a privilege line names it.
func (o pgObject) display() string {
	switch o.kind {
	case kindSchema:
		return displayIdent(o.schema)
	case kindFunction:
		return o.name
	}
	return displayIdent(o.schema) + "." + displayIdent(o.name)
}

// sql is the object as a GRANT or ALTER statement names it.
func (o pgObject) sql() string {
	switch o.kind {
	case kindSchema:
		return "SCHEMA " + quoteIdent(o.schema)
	case kindFunction:
		return "ROUTINE " + o.name
	case kindSequence:
		return "SEQUENCE " + quoteIdent(o.schema) + "." + quoteIdent(o.name)
	}
	return "TABLE " + quoteIdent(o.schema) + "." + quoteIdent(o.name)
}

// pgDefault is an entry of pg_default_acl: the privileges that objects of a
// type that role creates (in schema; "" for everywhere) get.
type pgDefault struct {
	role, schema, objtype string
	acl                   []aclEntry
}

// defaultTypes names pg_default_acl's object types.
var defaultTypes = map[string]string{"r": "TABLES", "S": "SEQUENCES", "f": "FUNCTIONS", "T": "TYPES", "n": "SCHEMAS"}

// defaultKinds maps the object types whose defaults fold the privilege
// lines of a schema's objects into one "ON ALL ... IN SCHEMA" line.
var defaultKinds = map[string]string{"r": kindTable, "S": kindSequence, "f": kindFunction}

type pgMember struct {
	role, member, grantor string
	admin                 bool
}

// aclEntry is one privilege; grantee "" is PUBLIC.
type aclEntry struct {
	grantor, grantee, privilege string
	grantable                   bool
}

func grantee(g string) string {
	if g == "" {
		return "PUBLIC"
	}
	return displayIdent(g)
}

func granteeSQL(g string) string {
	if g == "" {
		return "PUBLIC"
	}
	return quoteIdent(g)
}

func withGrant(line string, grantable bool) string {
	if grantable {
		return line + " WITH GRANT OPTION"
	}
	return line
}

// lines returns the canonical privilege lines of a tenant's catalog, sorted:
//
//	acme_admin LOGIN CONNECTION LIMIT 5
//	acme_owner OWNS SCHEMA acme_data
//	acme_admin USAGE ON SCHEMA acme_data
//	acme_admin SELECT ON ALL TABLES IN SCHEMA acme_data
//	acme_admin SELECT ON TABLES IN SCHEMA acme_data (default, for acme_owner)
//	PUBLIC SELECT ON TABLE acme_data.t1
//	initech_admin SELECT (email) ON TABLE acme_data.t1
//	postgres OWNS TABLE acme_data.stray
//	acme_migrator MEMBER OF acme_owner
//
// A privilege that the owner's default privileges of a schema give and that
// every object of its kind in the schema holds is one "ON ALL TABLES IN
// SCHEMA" line (also when the schema holds no such object yet); any other is
// one line per object. The privileges an object's owner holds on it are its
// own and not listed.
func (st *pgState) lines(owner string) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	for _, r := range st.roles {
		add("%s %s", displayIdent(r.name), r.attributes())
	}
	for _, m := range st.members {
		l := fmt.Sprintf("%s MEMBER OF %s", displayIdent(m.member), displayIdent(m.role))
		if m.admin {
			l += " WITH ADMIN OPTION"
		}
		out = append(out, l)
	}
	for _, d := range st.defaults {
		where := defaultTypes[d.objtype]
		if where == "" {
			where = "OBJECTS OF TYPE " + d.objtype
		}
		if d.schema != "" {
			where += " IN SCHEMA " + displayIdent(d.schema)
		}
		for _, a := range d.acl {
			if a.grantee == d.role {
				continue
			}
			out = append(out, withGrant(fmt.Sprintf("%s %s ON %s (default, for %s)", grantee(a.grantee), a.privilege, where, displayIdent(d.role)), a.grantable))
		}
	}

	// The owner's default privileges of each schema, by object kind.
	folds := map[[2]string][]aclEntry{}
	for _, d := range st.defaults {
		if kind, ok := defaultKinds[d.objtype]; ok && d.role == owner && d.schema != "" {
			for _, a := range d.acl {
				if a.grantee != d.role {
					folds[[2]string{kind, d.schema}] = append(folds[[2]string{kind, d.schema}], aclEntry{grantee: a.grantee, privilege: a.privilege, grantable: a.grantable})
				}
			}
		}
	}
	// holds reports whether o holds a (whoever granted it).
	holds := func(o pgObject, a aclEntry) bool {
		return slices.ContainsFunc(o.acl, func(x aclEntry) bool {
			return x.grantee == a.grantee && x.privilege == a.privilege && x.grantable == a.grantable
		})
	}
	folded := map[[2]string][]aclEntry{}
	for k, entries := range folds {
		for _, a := range entries {
			all := true
			for _, o := range st.objects {
				if o.kind == k[0] && o.schema == k[1] && !holds(o, a) {
					all = false
					break
				}
			}
			if all {
				folded[k] = append(folded[k], a)
				out = append(out, withGrant(fmt.Sprintf("%s %s ON ALL %sS IN SCHEMA %s", grantee(a.grantee), a.privilege, k[0], displayIdent(k[1])), a.grantable))
			}
		}
	}
	for _, o := range st.objects {
		if o.kind == kindSchema || o.owner != owner {
			add("%s OWNS %s %s", displayIdent(o.owner), o.kind, o.display())
		}
		seen := map[aclEntry]bool{}
		for _, a := range o.acl {
			if a.grantee == o.owner {
				continue
			}
			k := aclEntry{grantee: a.grantee, privilege: a.privilege, grantable: a.grantable}
			if seen[k] || slices.Contains(folded[[2]string{o.kind, o.schema}], k) {
				continue
			}
			seen[k] = true
			out = append(out, withGrant(fmt.Sprintf("%s %s ON %s %s", grantee(a.grantee), a.privilege, o.kind, o.display()), a.grantable))
		}
		for _, col := range sortedKeys(o.columns) {
			for _, a := range o.columns[col] {
				out = append(out, withGrant(fmt.Sprintf("%s %s (%s) ON %s %s", grantee(a.grantee), a.privilege, displayIdent(col), o.kind, o.display()), a.grantable))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

var plainIdentRE = regexp.MustCompile(`^[a-z_][a-z0-9_$]*$`)

// displayIdent writes a name as PostgreSQL would need it in SQL: plain when
// it is a lowercase identifier, quoted otherwise.
func displayIdent(s string) string {
	if plainIdentRE.MatchString(s) {
		return s
	}
	return quoteIdent(s)
}
