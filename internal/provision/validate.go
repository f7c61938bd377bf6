package provision

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/tenantry/terraform-provider-tenant/internal/engines"
)

// TenantIDPattern is the form of a tenant id (SPEC section 6).
const TenantIDPattern = engines.TenantIDPattern

// Operations are the operations a privilege can belong to, as
// validate_access knows them.
var Operations = engines.Operations

// Classify returns the canonical spelling of an engine privilege and the
// operation it belongs to (see engines.Classify).
func Classify(engine, name string) (canonical, operation string, ok bool) {
	return engines.Classify(engine, name)
}

// Known lists the privileges of engine the provisioning grants.
func Known(engine string) string { return engines.Known(engine) }

// CheckTenantID returns why id cannot be a tenant id, or "" (see
// engines.CheckTenantID).
func CheckTenantID(id string) string { return engines.CheckTenantID(id) }

var (
	// A name suffix holds no underscore: "<id>_<suffix>" then names one
	// tenant only, as the last underscore splits it (tenant acme cannot
	// claim acme_b_data, the schema of tenant acme_b).
	suffixRE = regexp.MustCompile(`^[a-z0-9]+$`)
	// A Redis key prefix is "<word>:<id>:".
	redisWordRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	roleNameRE  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
)

// ValidTenantID reports whether id is a tenant id (see CheckTenantID).
func ValidTenantID(id string) bool { return CheckTenantID(id) == "" }

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
