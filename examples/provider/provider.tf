terraform {
  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
}

# Every argument is optional. Without any, the provider renders tenants from
# the tier catalog built into it and places them in us-east-1.
provider "tenant" {
  # A custom tier catalog: a folder of *.yml files in the format of the
  # built-in catalog. A file replaces the built-in file of the same name and a
  # new file adds a tier. Keep the folder inside the configuration, so that
  # remote runs (HCP Terraform) find it. The catalog is checked once, when the
  # provider is configured. Defaults to the TENANT_TEMPLATES_DIR environment
  # variable, then to the built-in catalog.
  # templates_dir = "${path.module}/tiers"

  # Region of every tenant that does not set its own `region`. Defaults to the
  # TENANT_DEFAULT_REGION environment variable, then to "us-east-1".
  default_region = "eu-west-1"
}
