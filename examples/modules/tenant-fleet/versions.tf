terraform {
  # The outputs call the provider function validate_access (Terraform 1.8).
  required_version = ">= 1.8"

  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
}
