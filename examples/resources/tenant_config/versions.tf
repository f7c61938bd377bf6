terraform {
  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
}
