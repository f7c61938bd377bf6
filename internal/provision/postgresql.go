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
	logins := make([]string, len(g.users))
	for i, u := range g.users {
		logins[i] = u.Name
	}
	all := append([]string{owner}, logins...)
	schemaNames := make([]string, len(schemas))
	for i, s := range schemas {
		schemaNames[i] = s.name
	}

	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	b.WriteString(g.header("PostgreSQL provisioning"))
	b.WriteString("-- Run it as a superuser on PostgreSQL >= 13: psql -v ON_ERROR_STOP=1. Passwords are set out of band.\n")
	if e.SSLRequired {
		b.WriteString("-- SSL is required: let the login roles in through hostssl lines of pg_hba.conf only.\n")
	}
	b.WriteString(pgSearchPath + "\n")

	b.WriteString("-- Roles: the owner of the schemas cannot log in; the login roles have no password until one is set.\n")
	w("DO %s\nBEGIN\n", dollar)
	for _, r := range all {
		w("  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = %s) THEN\n", quoteLiteral(r))
		if r == owner {
			w("    CREATE ROLE %s NOLOGIN;\n", quoteIdent(r))
		} else {
			w("    CREATE ROLE %s LOGIN PASSWORD NULL;\n", quoteIdent(r))
		}
		b.WriteString("  END IF;\n")
	}
	w("END\n%s;\n", dollar)
	const attrs = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
	w("ALTER ROLE %s NOLOGIN %s NOINHERIT CONNECTION LIMIT 0;\n", quoteIdent(owner), attrs)
	for _, r := range logins {
		w("ALTER ROLE %s LOGIN %s INHERIT CONNECTION LIMIT %d;\n", quoteIdent(r), attrs, limit)
	}
	b.WriteString("\n")

	roleList := literalList(all)
	b.WriteString("-- Memberships: the tenant's roles are members of no role and have no members (nobody can SET ROLE to them).\n")
	w("DO %s\nDECLARE\n  m record;\nBEGIN\n", dollar)
	b.WriteString("  FOR m IN\n")
	b.WriteString("    SELECT r.rolname AS role, u.rolname AS member\n")
	b.WriteString("    FROM pg_catalog.pg_auth_members a\n")
	b.WriteString("    JOIN pg_catalog.pg_roles r ON r.oid = a.roleid\n")
	b.WriteString("    JOIN pg_catalog.pg_roles u ON u.oid = a.member\n")
	w("    WHERE r.rolname IN (%s) OR u.rolname IN (%s)\n", roleList, roleList)
	b.WriteString("  LOOP\n    EXECUTE format('REVOKE %I FROM %I CASCADE', m.role, m.member);\n  END LOOP;\n")
	w("END\n%s;\n\n", dollar)

	b.WriteString("-- Schemas, owned by the owner role, as is every relation in them.\n")
	for _, s := range schemaNames {
		w("CREATE SCHEMA IF NOT EXISTS %s AUTHORIZATION %s;\n", quoteIdent(s), quoteIdent(owner))
		w("ALTER SCHEMA %s OWNER TO %s;\n", quoteIdent(s), quoteIdent(owner))
	}
	schemaList := literalList(schemaNames)
	w("DO %s\nDECLARE\n  o record;\nBEGIN\n", dollar)
	b.WriteString("  FOR o IN\n")
	b.WriteString("    SELECT n.nspname, c.relname, c.relkind\n")
	b.WriteString("    FROM pg_catalog.pg_class c\n")
	b.WriteString("    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n")
	w("    WHERE n.nspname IN (%s)\n", schemaList)
	b.WriteString("      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')\n")
	w("      AND c.relowner <> (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = %s)\n", quoteLiteral(owner))
	b.WriteString("      AND NOT (c.relkind = 'S' AND EXISTS (\n")
	b.WriteString("        SELECT FROM pg_catalog.pg_depend d\n")
	b.WriteString("        WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))\n")
	b.WriteString("    ORDER BY 1, 2\n")
	b.WriteString("  LOOP\n")
	b.WriteString("    EXECUTE format('ALTER %s %I.%I OWNER TO %I',\n")
	b.WriteString("      CASE o.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,\n")
	w("      o.nspname, o.relname, %s);\n", quoteLiteral(owner))
	b.WriteString("  END LOOP;\n")
	w("END\n%s;\n\n", dollar)

	b.WriteString("-- Revoke every privilege but the owner's: on the schemas, their relations, routines and the owner's\n")
	b.WriteString("-- default privileges. What the tier grants is granted again below, so the result is exactly the tier's.\n")
	w("DO %s\nDECLARE\n  p record;\nBEGIN\n", dollar)
	b.WriteString("  FOR p IN\n")
	b.WriteString("    SELECT DISTINCT n.nspname, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END AS grantee\n")
	b.WriteString("    FROM pg_catalog.pg_namespace n, LATERAL pg_catalog.aclexplode(n.nspacl) a\n")
	w("    WHERE n.nspname IN (%s) AND a.grantee <> n.nspowner\n", schemaList)
	b.WriteString("  LOOP\n    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %s CASCADE', p.nspname, p.grantee);\n  END LOOP;\n")
	b.WriteString("  FOR p IN\n")
	b.WriteString("    SELECT DISTINCT n.nspname, c.relname, c.relkind, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END AS grantee\n")
	b.WriteString("    FROM pg_catalog.pg_class c\n")
	b.WriteString("    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace, LATERAL pg_catalog.aclexplode(c.relacl) a\n")
	w("    WHERE n.nspname IN (%s) AND a.grantee <> c.relowner\n", schemaList)
	b.WriteString("  LOOP\n")
	b.WriteString("    EXECUTE format('REVOKE ALL ON %s %I.%I FROM %s CASCADE', CASE WHEN p.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, p.nspname, p.relname, p.grantee);\n")
	b.WriteString("  END LOOP;\n")
	b.WriteString("  FOR p IN\n")
	b.WriteString("    SELECT DISTINCT n.nspname, d.defaclobjtype, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END AS grantee\n")
	b.WriteString("    FROM pg_catalog.pg_default_acl d\n")
	b.WriteString("    LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace, LATERAL pg_catalog.aclexplode(d.defaclacl) a\n")
	w("    WHERE d.defaclrole = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = %s)\n", quoteLiteral(owner))
	b.WriteString("      AND a.grantee <> d.defaclrole AND d.defaclobjtype IN ('r', 'S', 'f', 'T', 'n')\n")
	b.WriteString("  LOOP\n")
	b.WriteString("    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I %s REVOKE ALL ON %s FROM %s',\n")
	w("      %s,\n", quoteLiteral(owner))
	b.WriteString("      CASE WHEN p.nspname IS NULL THEN '' ELSE format('IN SCHEMA %I', p.nspname) END,\n")
	b.WriteString("      CASE p.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END,\n")
	b.WriteString("      p.grantee);\n")
	b.WriteString("  END LOOP;\n")
	b.WriteString("  -- PostgreSQL before 15 lets PUBLIC create in the schema public: no tenant may.\n")
	b.WriteString("  IF EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'public') THEN\n")
	b.WriteString("    REVOKE CREATE ON SCHEMA public FROM PUBLIC;\n")
	b.WriteString("  END IF;\n")
	w("END\n%s;\n", dollar)
	for _, s := range schemaNames {
		w("REVOKE ALL ON ALL ROUTINES IN SCHEMA %s FROM PUBLIC;\n", quoteIdent(s))
	}
	w("ALTER DEFAULT PRIVILEGES FOR ROLE %s REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n", quoteIdent(owner))
	w("ALTER DEFAULT PRIVILEGES FOR ROLE %s REVOKE USAGE ON TYPES FROM PUBLIC;\n\n", quoteIdent(owner))

	b.WriteString("-- Grants: exactly the tier's privileges, on the existing tables and on those the owner creates later.\n")
	for _, s := range schemaNames {
		qs := quoteIdent(s)
		var usage []string
		for _, ug := range grants {
			if len(ug.privileges) > 0 {
				usage = append(usage, quoteIdent(ug.user))
			}
		}
		if len(usage) == 0 {
			continue
		}
		w("GRANT USAGE ON SCHEMA %s TO %s;\n", qs, strings.Join(usage, ", "))
		for _, ug := range grants {
			if len(ug.privileges) == 0 {
				continue
			}
			privs, qu := strings.Join(ug.privileges, ", "), quoteIdent(ug.user)
			w("GRANT %s ON ALL TABLES IN SCHEMA %s TO %s;\n", privs, qs, qu)
			w("ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %s GRANT %s ON TABLES TO %s;\n", quoteIdent(owner), qs, privs, qu)
			if ug.has("INSERT") {
				// serial and identity columns draw from sequences.
				w("GRANT USAGE ON ALL SEQUENCES IN SCHEMA %s TO %s;\n", qs, qu)
				w("ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %s GRANT USAGE ON SEQUENCES TO %s;\n", quoteIdent(owner), qs, qu)
			}
		}
	}
	b.WriteString("\nCOMMIT;\n")

	var t strings.Builder
	t.WriteString(g.header("PostgreSQL teardown"))
	t.WriteString(pgSearchPath)
	quoted := make([]string, len(schemaNames))
	for i, s := range schemaNames {
		quoted[i] = quoteIdent(s)
	}
	fmt.Fprintf(&t, "DROP SCHEMA IF EXISTS %s CASCADE;\n", strings.Join(quoted, ", "))
	fmt.Fprintf(&t, "DO %s\nDECLARE\n  r text;\nBEGIN\n", dollar)
	fmt.Fprintf(&t, "  FOREACH r IN ARRAY ARRAY[%s] LOOP\n", literalList(all))
	t.WriteString("    IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN\n")
	t.WriteString("      EXECUTE format('DROP OWNED BY %I CASCADE', r);\n")
	t.WriteString("    END IF;\n  END LOOP;\n")
	fmt.Fprintf(&t, "END\n%s;\n", dollar)
	roles := make([]string, len(all))
	for i, r := range all {
		roles[i] = quoteIdent(r)
	}
	fmt.Fprintf(&t, "DROP ROLE IF EXISTS %s;\n", strings.Join(roles, ", "))
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
