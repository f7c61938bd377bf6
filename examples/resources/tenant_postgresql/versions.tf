terraform {
  # Write-only arguments (passwords_wo) need Terraform 1.11.
  required_version = ">= 1.11"

  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
}
