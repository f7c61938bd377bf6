package provision

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// canonicalJSON writes v with sorted keys, no insignificant whitespace (as
// RFC 8785 does: not even a final newline) and no HTML escaping.
func canonicalJSON(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

func sortedCopy(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}

// anyList turns strings into a JSON list that is never null.
func anyList(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// mongodb writes the createRole document of each engine user's role
// (privileges only on the tenant's collections of the tenants' database) and
// the grantRolesToUser document that gives each user its role. A role that
// exists already is brought to the same privileges with updateRole and the
// same privileges list.
func (g *generator) mongodb(e *Engine) (string, error) {
	collections, err := g.names(MongoDB, "collections", e, checkName)
	if err != nil {
		return "", err
	}
	if !roleNameRE.MatchString(e.Database) {
		return "", errorf("databases.mongodb.database", "%q is not a database name: want lowercase letters, digits and underscores, starting with a letter", e.Database)
	}
	if !roleNameRE.MatchString(e.AuthDatabase) {
		return "", errorf("security.database_permissions.mongodb.authentication_database", "%q is not a database name: want lowercase letters, digits and underscores, starting with a letter", e.AuthDatabase)
	}
	grants, err := g.grants(MongoDB, e)
	if err != nil {
		return "", err
	}
	var roles, users []any
	for _, ug := range grants {
		privileges := []any{}
		if len(ug.privileges) > 0 {
			for _, c := range collections {
				privileges = append(privileges, map[string]any{
					"resource": map[string]any{"db": e.Database, "collection": c.name},
					"actions":  anyList(sortedCopy(ug.privileges)),
				})
			}
		}
		roles = append(roles, map[string]any{
			"createRole": roleOf(ug.user),
			"privileges": privileges,
			"roles":      []any{},
		})
		users = append(users, map[string]any{
			"grantRolesToUser": ug.user,
			"roles":            []any{map[string]any{"role": roleOf(ug.user), "db": e.AuthDatabase}},
		})
	}
	return canonicalJSON(map[string]any{
		"database":     e.AuthDatabase,
		"roles":        roles,
		"users":        users,
		"ssl_required": e.SSLRequired,
	})
}

// elasticsearch writes the role document of each engine user's role (index
// privileges on the tenant's index pattern only, no cluster privilege) and
// the roles of each user.
func (g *generator) elasticsearch(e *Engine) (string, error) {
	if err := checkIndexPrefix("databases.elasticsearch.index_prefix", g.id, e.IndexPrefix); err != nil {
		return "", err
	}
	grants, err := g.grants(Elasticsearch, e)
	if err != nil {
		return "", err
	}
	roles, users := map[string]any{}, map[string]any{}
	for _, ug := range grants {
		indices := []any{}
		if len(ug.privileges) > 0 {
			indices = append(indices, map[string]any{
				"names":      []any{indexPattern(e.IndexPrefix)},
				"privileges": anyList(sortedCopy(ug.privileges)),
			})
		}
		roles[roleOf(ug.user)] = map[string]any{"cluster": []any{}, "indices": indices}
		users[ug.user] = []any{roleOf(ug.user)}
	}
	return canonicalJSON(map[string]any{"roles": roles, "users": users})
}
