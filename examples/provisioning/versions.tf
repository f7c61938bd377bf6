terraform {
  # Write-only passwords (passwords_wo) need Terraform 1.11 or later.
  required_version = ">= 1.11"
  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
}
