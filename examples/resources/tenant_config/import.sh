# The import id is <tenant_id>:<tier>[:<environment>]; the environment
# defaults to production.
terraform import tenant_config.acme acme:standard:production
