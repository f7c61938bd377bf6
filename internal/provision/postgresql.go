package provision

import (
	"fmt"
	"strings"
)

// The PL/pgSQL bodies are dollar-quoted with this tag; no checked name can
// hold a "$".
const dollar = "$provision$"

// pgSearchPath opens the transaction of both scripts: every unqualified name
// in them is then a catalog name, and nothing resolves to a user's schema
// (pg_temp is searched last, and never for functions or operators). The
// tenant's own objects are always written quoted, by name or qualified.
const pgSearchPath = "BEGIN;\nSET LOCAL search_path TO pg_catalog, pg_temp;\n"

// pgCreateRoles starts the DO block's body: the roles that are missing are
// created, without a password and without LOGIN until their ALTER ROLE.
const pgCreateRoles = `  -- Roles, created without a password; the owner cannot log in.
  FOREACH r IN ARRAY roles LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I', r);
    END IF;
  END LOOP;
`

// pgConverge is the rest of the DO block's body: it removes the memberships
// of the tenant's roles, gives the schemas and every relation in them to the
// owner and revokes every privilege but the owner's, so that the grants that
// follow are exactly the tier's.
const pgConverge = `  -- No membership in or of the tenant's roles: nobody can SET ROLE to them.
  FOR x IN SELECT pg_get_userbyid(roleid) AS role, pg_get_userbyid(member) AS member FROM pg_auth_members
    WHERE pg_get_userbyid(roleid) = ANY (roles) OR pg_get_userbyid(member) = ANY (roles)
  LOOP
    EXECUTE format('REVOKE %I FROM %I CASCADE', x.role, x.member);
  END LOOP;
  -- The owner owns the schemas and every relation in them (a column's sequence follows its table).
  FOREACH r IN ARRAY schemas LOOP
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', r, owner);
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', r, owner);
  END LOOP;
  FOR x IN SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY (schemas) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND pg_get_userbyid(c.relowner) <> owner
      AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
    ORDER BY 1, 2
  LOOP
    EXECUTE format('ALTER %s %I.%I OWNER TO %I', CASE x.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
      WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, x.nspname, x.relname, owner);
  END LOOP;
  -- Revoke all but the owner's privileges on the schemas and their relations, and the owner's defaults.
  FOR x IN
    SELECT DISTINCT n.nspname, CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee
    FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = ANY (schemas) AND a.grantee <> n.nspowner
  LOOP
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %s CASCADE', x.nspname, x.grantee);
  END LOOP;
  FOR x IN
    SELECT DISTINCT n.nspname, c.relname, c.relkind, CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
    WHERE n.nspname = ANY (schemas) AND a.grantee <> c.relowner
  LOOP
    EXECUTE format('REVOKE ALL ON %s %I.%I FROM %s CASCADE',
      CASE x.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, x.nspname, x.relname, x.grantee);
  END LOOP;
  FOR x IN
    SELECT DISTINCT n.nspname, d.defaclobjtype, CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee
    FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace, aclexplode(d.defaclacl) a
    WHERE pg_get_userbyid(d.defaclrole) = owner AND a.grantee <> d.defaclrole AND d.defaclobjtype IN ('r', 'S', 'f', 'T', 'n')
  LOOP
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I %s REVOKE ALL ON %s FROM %s', owner,
      CASE WHEN x.nspname IS NULL THEN '' ELSE format('IN SCHEMA %I', x.nspname) END,
      CASE x.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END,
      x.grantee);
  END LOOP;
  -- PostgreSQL before 15 lets PUBLIC create in the schema public: no tenant may.
  IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'public') THEN
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
  END IF;
`

// postgresqlArtifacts writes both PostgreSQL scripts into a.
func (g *generator) postgresqlArtifacts(e *Engine, a *Artifacts) error {
	script, teardown, err := g.postgresql(e)
	if err != nil {
		return err
	}
	a.PostgreSQL, a.PostgreSQLTeardown = &script, &teardown
	return nil
}

// postgresql writes the provisioning script and the teardown script.
//
// The script converges rather than adds: it creates what is missing, resets
// the attributes of the tenant's roles, removes every membership of them,
// gives every relation of the tenant's schemas to the owner role, revokes
// every privilege on the schemas, their relations and routines and the
// owner's default privileges from everyone but the owner, and then grants
// exactly the tier's privileges. Running it twice changes nothing; running
// another tier's script over the tenant leaves that tier's grants only.
// Passwords are never touched: a role is created without one, and a
// password set out of band survives a later run.
//
// A user's grants are the same on every schema (grants are per user), so
// each is one statement over all the schemas.
func (g *generator) postgresql(e *Engine) (string, string, error) {
	schemas, err := g.names(PostgreSQL, "schemas", e, checkName)
	if err != nil {
		return "", "", err
	}
	grants, err := g.grants(PostgreSQL, e)
	if err != nil {
		return "", "", err
	}
	limit := e.MaxConnections
	if limit < -1 {
		return "", "", errorf("databases.postgresql.resources.max_connections", "%d is not a connection limit: want -1 (none) or more", limit)
	}
	owner := g.owner()
	all := []string{owner}
	for _, u := range g.users {
		all = append(all, u.Name)
	}
	schemaNames := make([]string, len(schemas))
	for i, s := range schemas {
		schemaNames[i] = s.name
	}
	qOwner, qSchemas := quoteIdent(owner), identList(schemaNames)

	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	b.WriteString(g.header("PostgreSQL provisioning"))
	b.WriteString("-- Run it as a superuser on PostgreSQL >= 13: psql -v ON_ERROR_STOP=1. Passwords are set out of band.\n")
	if e.SSLRequired {
		b.WriteString("-- SSL is required: let the login roles in through hostssl lines of pg_hba.conf only.\n")
	}
	b.WriteString(pgSearchPath + "\n")
	w("DO %s\nDECLARE\n", dollar)
	w("  owner text := %s;\n", quoteLiteral(owner))
	w("  roles text[] := ARRAY[%s];\n", literalList(all))
	w("  schemas text[] := ARRAY[%s];\n", literalList(schemaNames))
	b.WriteString("  r text;\n  x record;\nBEGIN\n")
	b.WriteString(pgCreateRoles)
	const attrs = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
	w("  ALTER ROLE %s NOLOGIN %s NOINHERIT CONNECTION LIMIT 0;\n", qOwner, attrs)
	for _, r := range all[1:] {
		w("  ALTER ROLE %s LOGIN %s INHERIT CONNECTION LIMIT %d;\n", quoteIdent(r), attrs, limit)
	}
	b.WriteString(pgConverge)
	w("END\n%s;\n", dollar)
	w("REVOKE ALL ON ALL ROUTINES IN SCHEMA %s FROM PUBLIC;\n", qSchemas)
	w("ALTER DEFAULT PRIVILEGES FOR ROLE %s REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n", qOwner)
	w("ALTER DEFAULT PRIVILEGES FOR ROLE %s REVOKE USAGE ON TYPES FROM PUBLIC;\n\n", qOwner)

	b.WriteString("-- The tier's grants, on existing tables and on those the owner creates later.\n")
	var usage []string
	for _, ug := range grants {
		if len(ug.privileges) > 0 {
			usage = append(usage, ug.user)
		}
	}
	if len(usage) > 0 {
		w("GRANT USAGE ON SCHEMA %s TO %s;\n", qSchemas, identList(usage))
	}
	for _, ug := range grants {
		if len(ug.privileges) == 0 {
			continue
		}
		privs, qu := strings.Join(ug.privileges, ", "), quoteIdent(ug.user)
		w("GRANT %s ON ALL TABLES IN SCHEMA %s TO %s;\n", privs, qSchemas, qu)
		w("ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %s GRANT %s ON TABLES TO %s;\n", qOwner, qSchemas, privs, qu)
		if ug.has("INSERT") {
			// serial and identity columns draw from sequences.
			w("GRANT USAGE ON ALL SEQUENCES IN SCHEMA %s TO %s;\n", qSchemas, qu)
			w("ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %s GRANT USAGE ON SEQUENCES TO %s;\n", qOwner, qSchemas, qu)
		}
	}
	b.WriteString("COMMIT;\n")

	var t strings.Builder
	t.WriteString(g.header("PostgreSQL teardown"))
	t.WriteString(pgSearchPath)
	fmt.Fprintf(&t, "DROP SCHEMA IF EXISTS %s CASCADE;\n", qSchemas)
	fmt.Fprintf(&t, "DO %s\nDECLARE\n  r text;\nBEGIN\n", dollar)
	fmt.Fprintf(&t, "  FOREACH r IN ARRAY ARRAY[%s] LOOP\n", literalList(all))
	t.WriteString("    IF EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN\n")
	t.WriteString("      EXECUTE format('DROP OWNED BY %I CASCADE', r);\n")
	t.WriteString("    END IF;\n  END LOOP;\n")
	fmt.Fprintf(&t, "END\n%s;\n", dollar)
	fmt.Fprintf(&t, "DROP ROLE IF EXISTS %s;\n", identList(all))
	t.WriteString("COMMIT;\n")
	return b.String(), t.String(), nil
}

func literalList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = quoteLiteral(x)
	}
	return strings.Join(q, ", ")
}

func identList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = quoteIdent(x)
	}
	return strings.Join(q, ", ")
}
