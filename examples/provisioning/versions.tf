terraform {
  # Provider functions need Terraform 1.8 and later; terraform_data is built
  # in, so nothing else is needed besides this provider.
  required_version = ">= 1.8"
  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
}
