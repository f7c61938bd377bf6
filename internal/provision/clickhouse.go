package provision

import (
	"fmt"
	"strings"
)

// clickhouse writes the tenant's database, one role per engine user with
// exactly its privileges on that database (REVOKE ALL first, so a tier
// change converges) and the tier's connection limit as a role setting.
func (g *generator) clickhouse(e *Engine) (string, error) {
	path := "databases.clickhouse.database"
	if e.Database == "" {
		return "", errorf(path, "is missing: the ClickHouse database is needed to provision it")
	}
	if err := checkName(path, g.id, e.Database); err != nil {
		return "", err
	}
	grants, err := g.grants(ClickHouse, e)
	if err != nil {
		return "", err
	}
	db := quoteBacktick(e.Database)
	var b strings.Builder
	b.WriteString(g.header("ClickHouse provisioning"))
	b.WriteString("-- Run it as a user with access management; create the users out of band, then run the role grants at the end.\n")
	if e.SSLRequired {
		b.WriteString("-- SSL is required: serve the tenant's users on the secure ports only.\n")
	}
	fmt.Fprintf(&b, "CREATE DATABASE IF NOT EXISTS %s;\n", db)
	for _, ug := range grants {
		role := quoteBacktick(roleOf(ug.user))
		fmt.Fprintf(&b, "CREATE ROLE IF NOT EXISTS %s;\n", role)
		fmt.Fprintf(&b, "REVOKE ALL ON *.* FROM %s;\n", role)
		if len(ug.privileges) > 0 {
			fmt.Fprintf(&b, "GRANT %s ON %s.* TO %s;\n", strings.Join(ug.privileges, ", "), db, role)
		}
		if e.MaxConnections > 0 {
			fmt.Fprintf(&b, "ALTER ROLE %s SETTINGS max_concurrent_queries_for_user = %d;\n", role, e.MaxConnections)
		}
	}
	for _, ug := range grants {
		fmt.Fprintf(&b, "-- GRANT %s TO %s;\n", quoteBacktick(roleOf(ug.user)), quoteBacktick(ug.user))
	}
	return b.String(), nil
}
