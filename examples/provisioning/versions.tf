terraform {
  # terraform_data is built into Terraform 1.4 and later; nothing else is
  # needed besides this provider.
  required_version = ">= 1.4"
  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
}
