# Configuration using provider functions must include required_providers.
terraform {
  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
  # Provider functions require Terraform 1.8 and later.
  required_version = ">= 1.8"
}

variable "globex_db_password" {
  description = "Password of the Globex tenant's PostgreSQL user, from your secret store."
  type        = string
  sensitive   = true
  # A placeholder so that the example plans on its own.
  default = "example-only-change-me"
}

resource "tenant_config" "globex" {
  tenant_id   = "globex"
  tenant_name = "Globex Corporation"
  tier        = "premium"

  sensitive_overrides = {
    databases = { postgresql = { password = var.globex_db_password } }
  }
}

# The export without sensitive data as canonical YAML (keys sorted, one
# fixed style, the same bytes for the same configuration), the password
# written as "(sensitive)". Safe to publish, for example to a service
# catalog or a configuration repository.
output "globex_config_yaml" {
  value = provider::tenant::export(tenant_config.globex.rendered_json, "yaml")
}

# The complete export, password included (rendered_json_sensitive is null
# for a tenant without secrets: coalesce(rendered_json_sensitive,
# rendered_json) exports any tenant in full). Terraform keeps the result of a
# function of a sensitive value sensitive, so the output must say so.
output "globex_config_yaml_complete" {
  value     = provider::tenant::export(coalesce(tenant_config.globex.rendered_json_sensitive, tenant_config.globex.rendered_json), "yaml")
  sensitive = true
}

# The "json" export of rendered_json is rendered_json itself, byte for byte:
# canonical JSON, keys sorted, compact.
output "globex_config_json" {
  value = provider::tenant::export(tenant_config.globex.rendered_json, "json")
}
