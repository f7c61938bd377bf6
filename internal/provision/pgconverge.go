package provision

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Beginner starts a transaction: a *pgx.Conn or a *pgxpool.Pool.
type Beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// AdvisoryLockKey is the key of the transaction-level advisory lock that
// serialises every change this provider makes on a database, so that
// tenants applied in parallel never update the same catalog rows at once
// ("tuple concurrently updated").
const AdvisoryLockKey int64 = 0x74656e616e74 // "tenant"

// The deletion policies of a tenant's PostgreSQL objects.
const (
	DeleteRestrict = "RESTRICT"
	DeleteCascade  = "CASCADE"
	DeleteAbandon  = "ABANDON"
)

// DeletionPolicies lists the deletion policies, the default first.
var DeletionPolicies = []string{DeleteRestrict, DeleteCascade, DeleteAbandon}

// recordPrefix opens the comment on the owner role that records the
// database a tenant lives in: roles are server-wide, a tenant's schemas are
// not.
const recordPrefix = "terraform-provider-tenant tenant="

func (t *PostgreSQLTenant) record(database string) string {
	return recordPrefix + t.ID + " database=" + database
}

// recordedDatabase returns the database a comment of the owner records; ok
// is false for any other comment.
func (t *PostgreSQLTenant) recordedDatabase(comment string) (string, bool) {
	return strings.CutPrefix(comment, recordPrefix+t.ID+" database=")
}

// LockedPostgreSQLTenant is the scope of a tenant known only by its id (an
// import): its roles and its locked schema names, and no grant.
func LockedPostgreSQLTenant(id string) (*PostgreSQLTenant, error) {
	if !ValidTenantID(id) {
		return nil, fmt.Errorf("%q is not a tenant id: want %s", id, TenantIDPattern)
	}
	return &PostgreSQLTenant{
		ID: id, Owner: id + "_owner", Logins: []string{id + "_admin", id + "_user"},
		Schemas: []string{id + "_analytics", id + "_audit", id + "_data"}, ConnectionLimit: -1,
		Grants: map[string][]string{},
	}, nil
}

// PostgreSQLReading is what ReadPostgreSQL found.
type PostgreSQLReading struct {
	// Exists is false when the tenant's owner role does not exist.
	Exists bool
	// Database is the database the tenant is recorded in; "" when the owner
	// role carries no record.
	Database string
	// Privileges are the canonical lines of what the catalog holds.
	Privileges []string
	// OwnerMembers are the roles that are members of the owner role.
	OwnerMembers []string
}

const serverLock = `DO $lock$ BEGIN
  IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
    LOCK TABLE pg_catalog.pg_authid IN SHARE UPDATE EXCLUSIVE MODE;
  END IF;
END $lock$`

// begin opens the transaction every change runs in: catalog names first in
// the search path, and the provider's advisory lock.
func begin(ctx context.Context, db Beginner) (pgx.Tx, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, "SET LOCAL search_path TO pg_catalog, pg_temp"); err != nil {
		_ = tx.Rollback(ctx)
		return nil, err
	}
	if _, err := tx.Exec(ctx, "SELECT pg_catalog.pg_advisory_xact_lock($1)", AdvisoryLockKey); err != nil {
		_ = tx.Rollback(ctx)
		return nil, err
	}
	// Advisory locks belong to one database, roles to the whole server: a
	// superuser also takes a lock on pg_authid that only another such
	// change waits for (SHARE UPDATE EXCLUSIVE conflicts with itself, not
	// with the locks of CREATE, ALTER or DROP ROLE), so that applies on two
	// databases of the server never change roles at once either.
	if _, err := tx.Exec(ctx, serverLock); err != nil {
		_ = tx.Rollback(ctx)
		return nil, err
	}
	return tx, nil
}

// ReadPostgreSQL reads the tenant's privileges from the catalog of the
// database db is connected to, in the canonical lines of Planned.
func (t *PostgreSQLTenant) ReadPostgreSQL(ctx context.Context, db Beginner) (PostgreSQLReading, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return PostgreSQLReading{}, err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, "SET LOCAL search_path TO pg_catalog, pg_temp"); err != nil {
		return PostgreSQLReading{}, err
	}
	st, err := t.read(ctx, tx)
	if err != nil {
		return PostgreSQLReading{}, err
	}
	return t.reading(st), nil
}

func (t *PostgreSQLTenant) reading(st *pgState) PostgreSQLReading {
	owner, ok := st.roles[t.Owner]
	if !ok {
		return PostgreSQLReading{}
	}
	r := PostgreSQLReading{Exists: true, Privileges: st.lines(t.Owner)}
	r.Database, _ = t.recordedDatabase(owner.comment)
	for _, m := range st.members {
		if m.role == t.Owner && !slices.Contains(t.Roles(), m.member) {
			r.OwnerMembers = append(r.OwnerMembers, m.member)
		}
	}
	slices.Sort(r.OwnerMembers)
	r.OwnerMembers = slices.Compact(r.OwnerMembers)
	return r
}

// The catalog queries of read: $1 the schemas (the roles for the roles and
// members), $2 the roles, $3 the owner.
const (
	// An ACL entry as text: grantor and grantee names, "" for PUBLIC, NULL
	// when the object has no privilege at all.
	pgACLColumns = `CASE WHEN a.grantee IS NULL THEN NULL WHEN a.grantor = 0 THEN '' ELSE pg_get_userbyid(a.grantor)::text END,
  CASE WHEN a.grantee IS NULL THEN NULL WHEN a.grantee = 0 THEN '' ELSE pg_get_userbyid(a.grantee)::text END,
  a.privilege_type, COALESCE(a.is_grantable, false)`

	pgRolesQuery = `SELECT rolname::text, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls,
  rolconnlimit, COALESCE(shobj_description(oid, 'pg_authid'), '')
FROM pg_roles WHERE rolname = ANY ($1)`

	pgObjectsQuery = `SELECT o.kind, o.schema, o.name, pg_get_userbyid(o.ownerid)::text, o.dependent, ` + pgACLColumns + `
FROM (
  SELECT 'SCHEMA' AS kind, n.nspname::text AS schema, ''::text AS name, n.nspowner AS ownerid, false AS dependent,
    COALESCE(n.nspacl, acldefault('n', n.nspowner)) AS acl
  FROM pg_namespace n WHERE n.nspname = ANY ($1)
  UNION ALL
  SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, n.nspname::text, c.relname::text, c.relowner,
    c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')),
    COALESCE(c.relacl, acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner))
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY ($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  UNION ALL
  SELECT 'FUNCTION', n.nspname::text, p.oid::regprocedure::text, p.proowner, false, COALESCE(p.proacl, acldefault('f', p.proowner))
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ANY ($1)
) o LEFT JOIN LATERAL aclexplode(o.acl) a ON true`

	pgColumnsQuery = `SELECT n.nspname::text, c.relname::text, att.attname::text, ` + pgACLColumns + `
FROM pg_attribute att JOIN pg_class c ON c.oid = att.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace,
  LATERAL aclexplode(att.attacl) a
WHERE n.nspname = ANY ($1) AND att.attnum > 0 AND NOT att.attisdropped AND att.attacl IS NOT NULL`

	// The owner's global defaults that have no entry are the built-in ones
	// (PUBLIC may execute functions and use types).
	pgDefaultsQuery = `SELECT pg_get_userbyid(d.defaclrole)::text, COALESCE(n.nspname::text, ''), d.defaclobjtype::text, ` + pgACLColumns + `
FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace LEFT JOIN LATERAL aclexplode(d.defaclacl) a ON true
WHERE n.nspname = ANY ($1) OR pg_get_userbyid(d.defaclrole) = ANY ($2)
UNION ALL
SELECT r.rolname::text, '', t.objtype, ` + pgACLColumns + `
FROM pg_roles r, (VALUES ('r', 'r'), ('S', 's'), ('f', 'f'), ('T', 'T'), ('n', 'n')) t (objtype, k),
  LATERAL aclexplode(acldefault(t.k::"char", r.oid)) a
WHERE r.rolname = $3 AND NOT EXISTS (SELECT FROM pg_default_acl d
  WHERE d.defaclrole = r.oid AND d.defaclnamespace = 0 AND d.defaclobjtype = t.objtype::"char")`

	pgMembersQuery = `SELECT pg_get_userbyid(m.roleid)::text, pg_get_userbyid(m.member)::text, pg_get_userbyid(m.grantor)::text, m.admin_option
FROM pg_auth_members m WHERE pg_get_userbyid(m.roleid) = ANY ($1) OR pg_get_userbyid(m.member) = ANY ($1)`
)

// read reads the tenant's part of the catalog.
func (t *PostgreSQLTenant) read(ctx context.Context, tx pgx.Tx) (*pgState, error) {
	args := []any{t.Schemas, t.Roles(), t.Owner}
	st := &pgState{roles: map[string]pgRole{}}
	rows, err := tx.Query(ctx, pgRolesQuery, t.Roles())
	if err != nil {
		return nil, fmt.Errorf("reading the tenant's roles: %w", err)
	}
	var r pgRole
	_, err = pgx.ForEachRow(rows, []any{&r.name, &r.super, &r.inherit, &r.createrole, &r.createdb, &r.login, &r.repl, &r.bypassrls, &r.connlimit, &r.comment}, func() error {
		st.roles[r.name] = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the tenant's roles: %w", err)
	}

	type acl struct {
		grantor, grantee, privilege *string
		grantable                   bool
	}
	entry := func(a acl) (aclEntry, bool) {
		if a.grantee == nil || a.grantor == nil || a.privilege == nil {
			return aclEntry{}, false
		}
		return aclEntry{grantor: *a.grantor, grantee: *a.grantee, privilege: *a.privilege, grantable: a.grantable}, true
	}

	var o pgObject
	var a acl
	index := map[[3]string]int{}
	rows, err = tx.Query(ctx, pgObjectsQuery, t.Schemas)
	if err != nil {
		return nil, fmt.Errorf("reading the privileges on the tenant's objects: %w", err)
	}
	_, err = pgx.ForEachRow(rows, []any{&o.kind, &o.schema, &o.name, &o.owner, &o.dependent, &a.grantor, &a.grantee, &a.privilege, &a.grantable}, func() error {
		k := [3]string{o.kind, o.schema, o.name}
		i, ok := index[k]
		if !ok {
			i = len(st.objects)
			index[k] = i
			st.objects = append(st.objects, pgObject{kind: o.kind, schema: o.schema, name: o.name, owner: o.owner, dependent: o.dependent})
		}
		if e, ok := entry(a); ok {
			st.objects[i].acl = append(st.objects[i].acl, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the privileges on the tenant's objects: %w", err)
	}

	var col string
	rows, err = tx.Query(ctx, pgColumnsQuery, t.Schemas)
	if err != nil {
		return nil, fmt.Errorf("reading the column privileges of the tenant's tables: %w", err)
	}
	_, err = pgx.ForEachRow(rows, []any{&o.schema, &o.name, &col, &a.grantor, &a.grantee, &a.privilege, &a.grantable}, func() error {
		i, ok := index[[3]string{kindTable, o.schema, o.name}]
		e, isEntry := entry(a)
		if !ok || !isEntry {
			return nil
		}
		if st.objects[i].columns == nil {
			st.objects[i].columns = map[string][]aclEntry{}
		}
		st.objects[i].columns[col] = append(st.objects[i].columns[col], e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the column privileges of the tenant's tables: %w", err)
	}

	var d pgDefault
	dindex := map[[3]string]int{}
	rows, err = tx.Query(ctx, pgDefaultsQuery, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the default privileges: %w", err)
	}
	_, err = pgx.ForEachRow(rows, []any{&d.role, &d.schema, &d.objtype, &a.grantor, &a.grantee, &a.privilege, &a.grantable}, func() error {
		k := [3]string{d.role, d.schema, d.objtype}
		i, ok := dindex[k]
		if !ok {
			i = len(st.defaults)
			dindex[k] = i
			st.defaults = append(st.defaults, pgDefault{role: d.role, schema: d.schema, objtype: d.objtype})
		}
		if e, ok := entry(a); ok {
			st.defaults[i].acl = append(st.defaults[i].acl, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the default privileges: %w", err)
	}

	var m pgMember
	rows, err = tx.Query(ctx, pgMembersQuery, t.Roles())
	if err != nil {
		return nil, fmt.Errorf("reading the memberships of the tenant's roles: %w", err)
	}
	_, err = pgx.ForEachRow(rows, []any{&m.role, &m.member, &m.grantor, &m.admin}, func() error {
		st.members = append(st.members, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the memberships of the tenant's roles: %w", err)
	}
	return st, nil
}

// checkDatabase returns an error when the tenant's roles record another
// database than the current one.
func (t *PostgreSQLTenant) checkDatabase(ctx context.Context, tx pgx.Tx) (current string, err error) {
	if err := tx.QueryRow(ctx, "SELECT current_database()::text").Scan(&current); err != nil {
		return "", err
	}
	var comment string
	err = tx.QueryRow(ctx, `SELECT COALESCE(shobj_description(oid, 'pg_authid'), '') FROM pg_roles WHERE rolname = $1`, t.Owner).Scan(&comment)
	if errors.Is(err, pgx.ErrNoRows) {
		return current, nil
	}
	if err != nil {
		return "", err
	}
	if other, ok := t.recordedDatabase(comment); ok && other != current {
		return "", fmt.Errorf("tenant %s already lives in database %q of this server, so it cannot be enforced in database %q too: "+
			"PostgreSQL roles are server-wide, and %s and its login roles would be shared by both databases. "+
			"Remove the tenant from database %q first, or give this tenant another tenant id", t.ID, other, current, t.Owner, other)
	}
	return current, nil
}

// Converge makes the tenant's objects on the database db is connected to
// exactly what Planned describes, in one transaction serialised by the
// provider's advisory lock, and returns the privilege lines read back
// (Planned's). It creates the roles and schemas that are missing, sets the
// roles' attributes and connection limits, gives the schemas and every
// relation and routine in them to the owner, revokes every privilege,
// default privilege, column privilege and membership that the tier does not
// grant (as its grantor, so that the revocation takes) and grants what is
// missing. passwords (by kind, see PasswordKinds) are set when given; a
// password is never touched otherwise. It sends only SCRAM verifiers, never
// a password's text.
func (t *PostgreSQLTenant) Converge(ctx context.Context, db Beginner, passwords map[string]string) ([]string, error) {
	for kind := range passwords {
		if _, ok := t.Login(kind); !ok {
			return nil, fmt.Errorf("%q is not a password kind: use %s", kind, strings.Join(PasswordKinds, " or "))
		}
	}
	tx, err := begin(ctx, db)
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	current, err := t.checkDatabase(ctx, tx)
	if err != nil {
		return nil, err
	}
	var pg16 bool
	if err := tx.QueryRow(ctx, "SELECT current_setting('server_version_num')::int >= 160000").Scan(&pg16); err != nil {
		return nil, err
	}
	run := func(stmts []string) error {
		for _, s := range stmts {
			if _, err := tx.Exec(ctx, s); err != nil {
				// A password's verifier is never echoed.
				if before, _, found := strings.Cut(s, " PASSWORD "); found {
					s = before + " PASSWORD (sensitive)"
				}
				return fmt.Errorf("%w (in: %s)", err, s)
			}
		}
		return nil
	}

	st, err := t.read(ctx, tx)
	if err != nil {
		return nil, err
	}
	// Roles, their attributes and the record of the database.
	var stmts []string
	want := t.desired()
	for _, name := range t.Roles() {
		w := want.roles[name]
		attrs := roleAttributesSQL(w)
		have, ok := st.roles[name]
		switch {
		case !ok:
			stmts = append(stmts, "CREATE ROLE "+quoteIdent(name)+" "+attrs)
		case !sameAttributes(have, w):
			stmts = append(stmts, "ALTER ROLE "+quoteIdent(name)+" "+attrs)
		}
	}
	if st.roles[t.Owner].comment != t.record(current) {
		stmts = append(stmts, "COMMENT ON ROLE "+quoteIdent(t.Owner)+" IS "+quoteLiteral(t.record(current)))
	}
	for _, kind := range sortedKeys(passwords) {
		login, _ := t.Login(kind)
		verifier, err := scramVerifier(passwords[kind])
		if err != nil {
			return nil, fmt.Errorf("the %s password: %w", kind, err)
		}
		stmts = append(stmts, "ALTER ROLE "+quoteIdent(login)+" PASSWORD "+quoteLiteral(verifier))
	}
	// Schemas, and every relation and routine in them, belong to the owner.
	have := map[string]string{}
	for _, o := range st.objects {
		if o.kind == kindSchema {
			have[o.schema] = o.owner
		}
	}
	for _, s := range t.Schemas {
		switch owner, ok := have[s]; {
		case !ok:
			stmts = append(stmts, "CREATE SCHEMA "+quoteIdent(s)+" AUTHORIZATION "+quoteIdent(t.Owner))
		case owner != t.Owner:
			stmts = append(stmts, "ALTER SCHEMA "+quoteIdent(s)+" OWNER TO "+quoteIdent(t.Owner))
		}
	}
	for _, o := range st.objects {
		if o.kind != kindSchema && !o.dependent && o.owner != t.Owner {
			stmts = append(stmts, "ALTER "+o.sql()+" OWNER TO "+quoteIdent(t.Owner))
		}
	}
	// Nobody may create in the schema public (PostgreSQL before 15 lets PUBLIC).
	var publicCreate bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_namespace n, aclexplode(COALESCE(n.nspacl, acldefault('n', n.nspowner))) a
		WHERE n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type = 'CREATE')`).Scan(&publicCreate); err != nil {
		return nil, err
	}
	if publicCreate {
		stmts = append(stmts, "REVOKE CREATE ON SCHEMA public FROM PUBLIC")
	}
	if err := run(stmts); err != nil {
		return nil, err
	}

	// Revoke what the tier does not grant, as its grantor: first what the
	// owners granted (CASCADE takes what others granted on from it), then
	// what is left, each as the role that granted it.
	for round := 0; ; round++ {
		if st, err = t.read(ctx, tx); err != nil {
			return nil, err
		}
		byOwner, byOthers := t.revocations(st, pg16)
		if len(byOwner)+len(byOthers) == 0 {
			break
		}
		if round == 4 {
			return nil, fmt.Errorf("privileges still held after revoking them: %s", strings.Join(append(byOwner, byOthers...), "; "))
		}
		if len(byOwner) > 0 {
			err = run(byOwner)
		} else {
			err = run(byOthers)
		}
		if err != nil {
			return nil, err
		}
	}
	grants, err := t.grants(ctx, tx, st)
	if err != nil {
		return nil, err
	}
	if err := run(grants); err != nil {
		return nil, err
	}

	if st, err = t.read(ctx, tx); err != nil {
		return nil, err
	}
	got, planned := st.lines(t.Owner), t.Planned()
	if !slices.Equal(got, planned) {
		return nil, fmt.Errorf("after converging, the catalog does not hold exactly the planned privileges: %s", lineDiff(planned, got))
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}
	return got, nil
}

// lineDiff describes how got differs from want.
func lineDiff(want, got []string) string {
	var missing, extra []string
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			extra = append(extra, g)
		}
	}
	return fmt.Sprintf("missing [%s], not planned [%s]", strings.Join(missing, "; "), strings.Join(extra, "; "))
}

func roleAttributesSQL(r pgRole) string {
	login, inherit := "NOLOGIN", "NOINHERIT"
	if r.login {
		login = "LOGIN"
	}
	if r.inherit {
		inherit = "INHERIT"
	}
	return fmt.Sprintf("%s NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS %s CONNECTION LIMIT %d", login, inherit, r.connlimit)
}

func sameAttributes(a, b pgRole) bool {
	a.name, a.comment, b.name, b.comment = "", "", "", ""
	return a == b
}

// wantOn is what the tier grants on an object.
func (t *PostgreSQLTenant) wantOn(o pgObject) []aclEntry {
	if o.kind == kindFunction {
		return nil
	}
	return t.wantACL(o.kind)
}

// revocations returns the statements that revoke what st holds beyond the
// tier: those of grants made by the objects' owners (and every default
// privilege and membership), and those of grants made by others.
func (t *PostgreSQLTenant) revocations(st *pgState, pg16 bool) (byOwner, byOthers []string) {
	type group struct{ obj, grantor, grantee string }
	revoke := func(out *[]string, g group, privs []string, asRole bool) {
		s := fmt.Sprintf("REVOKE %s ON %s FROM %s CASCADE", strings.Join(privs, ", "), g.obj, granteeSQL(g.grantee))
		if asRole {
			s = "SET LOCAL ROLE " + quoteIdent(g.grantor) + "; " + s + "; RESET ROLE"
		}
		*out = append(*out, s)
	}
	for _, o := range st.objects {
		want := t.wantOn(o)
		groups := map[group][]string{}
		var order []group
		note := func(g group, p string) {
			if _, ok := groups[g]; !ok {
				order = append(order, g)
			}
			if !slices.Contains(groups[g], p) {
				groups[g] = append(groups[g], p)
			}
		}
		for _, a := range o.acl {
			if a.grantee == o.owner || slices.Contains(want, a) {
				continue
			}
			note(group{o.sql(), a.grantor, a.grantee}, a.privilege)
		}
		for _, col := range sortedKeys(o.columns) {
			for _, a := range o.columns[col] {
				note(group{o.sql(), a.grantor, a.grantee}, a.privilege+" ("+quoteIdent(col)+")")
			}
		}
		for _, g := range order {
			if g.grantor == o.owner {
				revoke(&byOwner, g, groups[g], false)
			} else {
				revoke(&byOthers, g, groups[g], true)
			}
		}
	}
	for _, d := range st.defaults {
		var want []aclEntry
		if d.role == t.Owner {
			want = t.wantDefaultACL(d.schema, d.objtype)
		}
		where := ""
		if d.schema != "" {
			where = " IN SCHEMA " + quoteIdent(d.schema)
		}
		for _, a := range d.acl {
			if a.grantee == d.role || slices.Contains(want, a) {
				continue
			}
			byOwner = append(byOwner, fmt.Sprintf("ALTER DEFAULT PRIVILEGES FOR ROLE %s%s REVOKE %s ON %s FROM %s CASCADE",
				quoteIdent(d.role), where, a.privilege, defaultTypes[d.objtype], granteeSQL(a.grantee)))
		}
	}
	for _, m := range st.members {
		wanted := m.role == t.Owner && slices.Contains(t.OwnerMembers, m.member)
		if wanted && !m.admin {
			continue
		}
		grantedBy := ""
		if pg16 {
			grantedBy = " GRANTED BY " + quoteIdent(m.grantor)
		}
		if wanted {
			byOwner = append(byOwner, fmt.Sprintf("REVOKE ADMIN OPTION FOR %s FROM %s%s", quoteIdent(m.role), quoteIdent(m.member), grantedBy))
			continue
		}
		byOwner = append(byOwner, fmt.Sprintf("REVOKE %s FROM %s%s CASCADE", quoteIdent(m.role), quoteIdent(m.member), grantedBy))
	}
	return byOwner, byOthers
}

// grants returns the statements that grant what the tier grants and st
// does not hold yet: privileges on the schemas, tables and sequences, the
// owner's default privileges, and the owner's members.
func (t *PostgreSQLTenant) grants(ctx context.Context, tx pgx.Tx, st *pgState) ([]string, error) {
	var out []string
	grant := func(what string, want, have []aclEntry) {
		var byGrantee []string
		privs := map[string][]string{}
		for _, w := range want {
			if slices.Contains(have, w) {
				continue
			}
			if _, ok := privs[w.grantee]; !ok {
				byGrantee = append(byGrantee, w.grantee)
			}
			privs[w.grantee] = append(privs[w.grantee], w.privilege)
		}
		for _, g := range byGrantee {
			out = append(out, fmt.Sprintf(what, strings.Join(privs[g], ", "), granteeSQL(g)))
		}
	}
	for _, o := range st.objects {
		grant("GRANT %s ON "+o.sql()+" TO %s", t.wantOn(o), o.acl)
	}
	for _, s := range t.Schemas {
		for _, objtype := range []string{"r", "S"} {
			var have []aclEntry
			for _, d := range st.defaults {
				if d.role == t.Owner && d.schema == s && d.objtype == objtype {
					have = d.acl
				}
			}
			grant(fmt.Sprintf("ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %s GRANT %%s ON %s TO %%s", quoteIdent(t.Owner), quoteIdent(s), defaultTypes[objtype]),
				t.wantDefaultACL(s, objtype), have)
		}
	}
	// Another tenant's role never joins this tenant: both tenants' applies
	// would revoke what the other grants.
	for _, m := range t.OwnerMembers {
		for _, suffix := range []string{"_owner", "_admin", "_user"} {
			other, found := strings.CutSuffix(m, suffix)
			if !found || !ValidTenantID(other) {
				continue
			}
			var isTenant bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1 AND shobj_description(oid, 'pg_authid') LIKE $2)`,
				other+"_owner", recordPrefix+other+" database=%").Scan(&isTenant); err != nil {
				return nil, err
			}
			if isTenant {
				return nil, errorf("owner_members", "%q is a role of tenant %s: a tenant's roles cannot be members of another tenant's owner; use a role of its own (such as a migration role)", m, other)
			}
		}
	}
	var missing []string
	for _, m := range t.OwnerMembers {
		if !slices.ContainsFunc(st.members, func(x pgMember) bool { return x.role == t.Owner && x.member == m }) {
			missing = append(missing, m)
		}
	}
	if len(missing) > 0 {
		var exist []string
		rows, err := tx.Query(ctx, "SELECT rolname::text FROM pg_roles WHERE rolname = ANY ($1)", missing)
		if err != nil {
			return nil, err
		}
		if exist, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return nil, err
		}
		for _, m := range missing {
			if !slices.Contains(exist, m) {
				return nil, errorf("owner_members", "the role %q does not exist on the server: create it first (it is the role that may SET ROLE to %s), or remove it from owner_members", m, t.Owner)
			}
			out = append(out, fmt.Sprintf("GRANT %s TO %s", quoteIdent(t.Owner), quoteIdent(m)))
		}
	}
	return out, nil
}

// Drop removes the tenant from the database db is connected to, as policy
// says: RESTRICT refuses, changing nothing, while the tenant's schemas (or
// its roles elsewhere) hold tables, and otherwise drops the schemas; CASCADE
// drops the schemas with their data. Both end the login roles' sessions and
// drop the tenant's roles. ABANDON changes nothing.
func (t *PostgreSQLTenant) Drop(ctx context.Context, db Beginner, policy string) error {
	switch policy {
	case DeleteAbandon:
		return nil
	case DeleteRestrict, DeleteCascade:
	default:
		return fmt.Errorf("%q is not a deletion policy: use one of %s", policy, strings.Join(DeletionPolicies, ", "))
	}
	tx, err := begin(ctx, db)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	current, err := t.checkDatabase(ctx, tx)
	if err != nil {
		return fmt.Errorf("%w. Nothing was dropped", err)
	}
	if policy == DeleteRestrict {
		rows, err := tx.Query(ctx, `SELECT format('%s.%s', quote_ident(n.nspname), quote_ident(c.relname))
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE (n.nspname = ANY ($1) OR pg_get_userbyid(c.relowner) = ANY ($2)) AND c.relkind IN ('r', 'p', 'm', 'f')
			ORDER BY 1`, t.Schemas, t.Roles())
		if err != nil {
			return err
		}
		tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		if len(tables) > 0 {
			return &RestrictError{Tenant: t.ID, Database: current, Tables: tables}
		}
	}
	var existing []string
	var oids []uint32
	rows, err := tx.Query(ctx, "SELECT rolname::text, oid::int8 FROM pg_roles WHERE rolname = ANY ($1)", t.Roles())
	if err != nil {
		return err
	}
	var name string
	var oid int64
	if _, err := pgx.ForEachRow(rows, []any{&name, &oid}, func() error {
		existing = append(existing, name)
		if name != t.Owner {
			oids = append(oids, uint32(oid))
		}
		return nil
	}); err != nil {
		return err
	}
	terminate := `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usesysid = ANY ($1::oid[]) AND pid <> pg_backend_pid()`
	if _, err := tx.Exec(ctx, terminate, oids); err != nil {
		return fmt.Errorf("ending the sessions of the tenant's login roles: %w", err)
	}
	stmts := []string{"DROP SCHEMA IF EXISTS " + identList(t.Schemas) + " CASCADE"}
	if len(existing) > 0 {
		stmts = append(stmts, "DROP OWNED BY "+identList(existing)+" CASCADE", "DROP ROLE "+identList(existing))
	}
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s); err != nil {
			return fmt.Errorf("%w (in: %s)", err, s)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	// A session that began between the first termination and the commit.
	if len(oids) > 0 {
		if tx, err := db.Begin(ctx); err == nil {
			_, _ = tx.Exec(ctx, terminate, oids)
			_ = tx.Commit(ctx)
		}
	}
	return nil
}

// RestrictError is the refusal of the RESTRICT deletion policy.
type RestrictError struct {
	Tenant, Database string
	Tables           []string
}

func (e *RestrictError) Error() string {
	tables := e.Tables
	more := ""
	if len(tables) > 20 {
		tables, more = tables[:20], fmt.Sprintf(" and %d more", len(e.Tables)-20)
	}
	return fmt.Sprintf("tenant %s still holds %d table(s) in database %q: %s%s. With deletion_policy = \"RESTRICT\" a tenant whose schemas hold "+
		"tables is not dropped, and nothing was changed. Drop or move the tables first, or set deletion_policy = \"CASCADE\" and apply it "+
		"before the destroy to drop them with the schemas (or \"ABANDON\" to leave everything in place)",
		e.Tenant, len(e.Tables), e.Database, strings.Join(tables, ", "), more)
}
