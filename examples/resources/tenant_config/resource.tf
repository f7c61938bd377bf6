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

# Secrets come only through sensitive_overrides and sensitive_variables. In
# rendered_json, the summaries, messages and logs they show as "(sensitive)";
# the full configuration is in rendered_json_sensitive (a sensitive
# attribute; null for a tenant without secrets, whose rendered_json is the
# full configuration) and, for the encrypt_to recipients, in encrypted_yaml
# (as YAML, the format applications read).
variable "umbrella_db_password" {
  description = "Password of the Umbrella tenant's PostgreSQL user, from your secret store (TF_VAR_umbrella_db_password)."
  type        = string
  sensitive   = true
  # A placeholder so that the example plans on its own: set the real value
  # from outside the configuration.
  default = "example-only-change-me"
}

variable "umbrella_webhook_token" {
  description = "Token of the Umbrella tenant's alert webhook."
  type        = string
  sensitive   = true
  default     = "example-only-change-me"
}

resource "tenant_config" "umbrella" {
  tenant_id   = "umbrella"
  tenant_name = "Umbrella Corporation"
  tier        = "enterprise"

  overrides = {
    monitoring = { alerts = { channels = ["email", "webhook"] } }
  }

  # Merged after overrides, with the same rules. The secret keys of the
  # configuration (databases.<engine>.password, .connection_string and
  # monitoring.alerts.webhook_url) can only be set here.
  sensitive_overrides = {
    databases = { postgresql = { password = var.umbrella_db_password } }
    monitoring = {
      # A string that uses a sensitive variable is a secret as a whole.
      alerts = { webhook_url = "https://hooks.example.com/services/$${WEBHOOK_TOKEN}" }
    }
  }
  sensitive_variables = {
    WEBHOOK_TOKEN = var.umbrella_webhook_token
  }

  # The age public keys (age-keygen prints them) of the applications that
  # read the full configuration from encrypted_yaml.
  encrypt_to = ["age19hkclsnczgppeg5amxlt70yxaykxpraudefsa29lnr4k67j8jgwsu00hvk"]
}

# Read the configuration with jsondecode(): a tenant's settings as an object.
output "globex_postgresql" {
  value = jsondecode(tenant_config.globex.rendered_json).databases.postgresql
}

# The full configuration, secrets included, of any tenant.
output "umbrella_config_complete" {
  value     = jsondecode(coalesce(tenant_config.umbrella.rendered_json_sensitive, tenant_config.umbrella.rendered_json))
  sensitive = true
}
