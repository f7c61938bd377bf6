# A standard tenant: the tier's template as it is.
resource "tenant_config" "initech" {
  tenant_id   = "initech"
  tenant_name = "Initech"
  tier        = "standard"
}

# A premium tenant that claims regulations, sets its own template variables
# and overrides parts of the premium template.
resource "tenant_config" "globex" {
  tenant_id   = "globex"
  tenant_name = "Globex Corporation"
  tier        = "premium"
  environment = "production"
  region      = "eu-central-1"
  timezone    = "Europe/Berlin"

  # Each regulation must be allowed by the tier (premium: GDPR, SOX, HIPAA).
  regulations = ["GDPR", "HIPAA"]

  # Extra template variables, usable in overrides and custom catalogs.
  variables = {
    ONCALL_CHANNEL = "#globex-oncall"
  }

  # Objects merge key by key into the template; lists and values replace.
  overrides = {
    databases = {
      postgresql = {
        # Within the premium ceilings (8 cores, 1000 GB).
        resources  = { cpu_cores = 6, storage_gb = 500 }
        extensions = ["pgcrypto", "pg_stat_statements"]
      }
      # Premium offers Elasticsearch; this tenant does not use it.
      elasticsearch = { enabled = false }
    }
    monitoring = {
      alerts = { storage_threshold = 90 }
    }
    compliance = {
      gdpr = { dpo_contact = "privacy@globex.example" }
    }
    custom = {
      # HCL interpolates ${...} itself, so a template placeholder is written
      # $${...}: HCL turns it into ${ONCALL_CHANNEL}, which the provider
      # replaces with the variable's value.
      oncall_channel = "$${ONCALL_CHANNEL}"
      runbook        = "https://runbooks.example.com/$${TENANT_ID}"
      # $$${ gives a literal ${ in the rendered configuration.
      log_format = "$$${request_id} $$${status}"
    }
  }
}

# Overrides kept in a YAML file next to the configuration. In that file a
# placeholder is written ${TENANT_ID}: HCL does not interpolate a file's
# content.
resource "tenant_config" "acme" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = "standard"

  overrides = yamldecode(file("${path.module}/acme.yaml"))
}
