# The import id is the tenant id. The first apply after an import adopts the
# users as they are, passwords included, and stores config in the state.
terraform import tenant_redis.acme acme
