locals {
  # Keys a tenant entry may hold; any other key is a mistake, reported by the
  # precondition below rather than silently ignored.
  tenant_keys = [
    "name", "tier", "environment", "region", "timezone",
    "regulations", "overrides", "variables", "allow_downgrade",
  ]

  # The file's tenants; none when tenants_file is null. (A conditional
  # `var.tenants_file == null ? {} : ...` would not do: its two results must
  # have the same type, and an empty object does not have the file's type.)
  from_file = merge([for path in compact([var.tenants_file]) : yamldecode(file(path))]...)

  # Tenants of the HCL map replace those of the file with the same id.
  tenants = merge(local.from_file, var.tenants)

  # The ids that sensitive_tenants names, for the check below. Keys are not
  # secret (only the values are), so they can be compared and shown.
  secret_ids = nonsensitive(toset(keys(var.sensitive_tenants)))
}

resource "tenant_config" "this" {
  for_each = local.tenants

  tenant_id   = each.key
  tenant_name = try(each.value.name, null)
  tier        = try(each.value.tier, null)

  # Unset settings fall back to the module's or the provider's defaults.
  environment     = try(each.value.environment, var.environment)
  region          = try(each.value.region, null)
  timezone        = try(each.value.timezone, null)
  regulations     = try(each.value.regulations, null)
  overrides       = try(each.value.overrides, null)
  variables       = try(each.value.variables, null)
  allow_downgrade = try(each.value.allow_downgrade, false)

  # Secrets come from the separate, sensitive variable sensitive_tenants,
  # never from the tenants file or the tenants map.
  sensitive_overrides = try(var.sensitive_tenants[each.key].sensitive_overrides, null)
  sensitive_variables = try(var.sensitive_tenants[each.key].sensitive_variables, null)

  lifecycle {
    precondition {
      condition     = can(each.value.name) && can(each.value.tier)
      error_message = "Tenant ${each.key} needs a name and a tier."
    }
    precondition {
      condition     = length(setsubtract(keys(each.value), local.tenant_keys)) == 0
      error_message = "Tenant ${each.key} has unknown settings ${join(", ", setsubtract(keys(each.value), local.tenant_keys))}; a tenant takes ${join(", ", local.tenant_keys)}. Secrets (sensitive_overrides, sensitive_variables) go in the module's sensitive_tenants variable."
    }
    precondition {
      condition     = length(setsubtract(local.secret_ids, keys(local.tenants))) == 0
      error_message = "sensitive_tenants names tenants that the fleet does not have: ${join(", ", setsubtract(local.secret_ids, keys(local.tenants)))}."
    }
  }
}
