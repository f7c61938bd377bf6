package render

import (
	"fmt"
	"slices"
	"strings"
)

// Operations are the operations validate_access answers for.
var Operations = []string{"read", "write", "admin", "backup"}

// Access answers whether the tenant of a rendered configuration may perform
// operation on database, and why. A disabled or absent engine, an operation
// no role of the tenant grants or the engine does not allow, and backup on a
// configuration without backups are denied.
func Access(cfg map[string]any, database, operation string) (bool, string) {
	tenant, _ := lookupOr(cfg, "the tenant", "tenant_info", "tenant_id")
	tierName, _ := lookupOr(cfg, "its tier", "tenant_info", "tenant_type")
	if err := CheckOperation(operation); err != nil {
		return false, err.Error()
	}
	if err := CheckDatabase(database); err != nil {
		return false, err.Error()
	}
	db, ok := lookupOr(cfg, map[string]any(nil), "databases", database)
	if !ok {
		return false, fmt.Sprintf("%s has no %s database", tenant, database)
	}
	if enabled, _ := db["enabled"].(bool); !enabled {
		return false, fmt.Sprintf("%s is not enabled for %s (tier %s)", database, tenant, tierName)
	}
	permission := "tenant:" + operation
	roles, _ := lookupOr(cfg, map[string]any(nil), "security", "access_control", "roles")
	var granting []string
	for _, name := range sortedKeys(roles) {
		role, _ := roles[name].(map[string]any)
		perms, _ := role["permissions"].([]any)
		if slices.Contains(perms, any(permission)) {
			granting = append(granting, name)
		}
	}
	if len(granting) == 0 {
		return false, fmt.Sprintf("no role of %s grants %s", tenant, permission)
	}
	ops, hasPerms := lookupOr(cfg, []any(nil), "security", "database_permissions", database, "operations")
	if !hasPerms {
		return false, fmt.Sprintf("%s defines no database permissions for %s", tenant, database)
	}
	if !slices.Contains(ops, any(operation)) {
		return false, fmt.Sprintf("the %s permissions of %s do not allow %s", database, tenant, operation)
	}
	if operation == "backup" {
		if enabled, _ := lookupOr(cfg, false, "backup", "enabled"); !enabled {
			return false, fmt.Sprintf("backups are not enabled for %s (tier %s): a backup needs backup.enabled", tenant, tierName)
		}
	}
	return true, fmt.Sprintf("%s may %s %s through the role %s", tenant, operation, database, strings.Join(granting, ", "))
}
