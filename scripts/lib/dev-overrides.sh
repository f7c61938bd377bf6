# Sourced by the scripts of this folder's parent.
#
# use_dev_overrides WORKDIR BINDIR writes WORKDIR/terraformrc, a CLI
# configuration whose dev_overrides serve the provider built into BINDIR, and
# exports TF_CLI_CONFIG_FILE so that Terraform (or OpenTofu) reads it instead
# of the user's own configuration. The override's key is the plain
# "tenantry/tenant": each tool completes it with its own default registry host,
# as it does the configurations' `source = "tenantry/tenant"`, so the same file
# serves `terraform` and `tofu`. Checkpoint (the version check) is turned off:
# these scripts touch no network.
use_dev_overrides() {
	cat >"$1/terraformrc" <<CFG
provider_installation {
  dev_overrides {
    "tenantry/tenant" = "$2"
  }
  direct {}
}
CFG
	export TF_CLI_CONFIG_FILE="$1/terraformrc"
	export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
}
