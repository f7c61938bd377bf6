# The import id is <database>/<tenant_id>: the database of the provider's
# postgresql block, and the tenant's id.
terraform import tenant_postgresql.acme app/acme
