variable "tenants_file" {
  description = <<-EOT
    Path of a YAML file of tenants: a map from tenant id to the tenant's
    settings (see the module's README). Use a path inside the configuration,
    for example "$${path.module}/tenants.yaml". Null reads no file.
  EOT
  type        = string
  default     = null
}

variable "tenants" {
  description = <<-EOT
    Tenants given in HCL, by tenant id, in the same shape as an entry of
    tenants_file: name and tier are required; environment, region, timezone,
    regulations, overrides, variables and allow_downgrade are optional. A
    tenant given here replaces the tenant of the same id in tenants_file.
  EOT
  # Any: each tenant's overrides may have a different shape.
  type     = any
  default  = {}
  nullable = false

  validation {
    condition     = can(keys(var.tenants))
    error_message = "tenants must be a map (or object) from tenant id to the tenant's settings."
  }
}

variable "environment" {
  description = "Environment of every tenant that does not set its own: development, staging or production."
  type        = string
  default     = "production"
  nullable    = false
}

variable "sensitive_tenants" {
  description = <<-EOT
    Secrets of the tenants, by tenant id: for each tenant an object with
    sensitive_overrides (merged after its overrides, every value a secret)
    and sensitive_variables (template variables whose values are secrets),
    both optional. Kept apart from tenants and tenants_file so that it can
    come from a sensitive source (a secrets manager, a *.tfvars file kept out
    of version control, TF_VAR_sensitive_tenants) and so that Terraform
    treats all of it as sensitive. Keys are not secret: only values are.
  EOT
  type        = any
  default     = {}
  nullable    = false
  sensitive   = true

  validation {
    condition = can(keys(var.sensitive_tenants)) && alltrue([
      for id, t in var.sensitive_tenants : length(setsubtract(keys(t), ["sensitive_overrides", "sensitive_variables"])) == 0
    ])
    error_message = "sensitive_tenants must be a map from tenant id to an object with sensitive_overrides and/or sensitive_variables, and nothing else."
  }
}
