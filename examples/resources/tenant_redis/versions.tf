terraform {
  # passwords_wo is write-only: Terraform 1.11 or later.
  required_version = ">= 1.11"
  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
}
