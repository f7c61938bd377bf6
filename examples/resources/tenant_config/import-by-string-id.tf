# The import id is <tenant_id>:<tier>[:<environment>]; the environment
# defaults to production.
import {
  to = tenant_config.acme
  id = "acme:standard:production"
}
