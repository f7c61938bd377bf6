data "tenant_tiers" "all" {}

# Tier names ordered by rank: ["free", "standard", "premium", "enterprise"]
# with the built-in catalog, plus any tier a custom catalog adds.
output "tier_names" {
  value = data.tenant_tiers.all.names
}

# What each tier is for, by name.
output "tier_descriptions" {
  value = { for tier in data.tenant_tiers.all.tiers : tier.name => tier.description }
}

# The details of every tier, read with the tenant_tier data source.
data "tenant_tier" "each" {
  for_each = toset(data.tenant_tiers.all.names)

  name = each.key
}

output "max_users_by_tier" {
  value = { for name, tier in data.tenant_tier.each : name => tier.limits.max_users }
}

# The lowest tier whose limits cover the expected number of users.
variable "expected_users" {
  type    = number
  default = 2500
}

locals {
  smallest_fitting_tier = [
    for name in data.tenant_tiers.all.names : name
    if data.tenant_tier.each[name].limits.max_users >= var.expected_users
  ][0]
}

output "smallest_fitting_tier" {
  # "premium" for 2,500 users with the built-in catalog.
  value = local.smallest_fitting_tier
}
