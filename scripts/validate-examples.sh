#!/usr/bin/env bash
# Checks every Terraform configuration under examples/ against the provider
# built from this checkout:
#
#   1. terraform fmt -check -recursive examples/
#   2. for every folder that holds *.tf files:
#        terraform validate   (the configuration is well formed)
#        terraform plan       (the provider renders and validates every tenant,
#                              as a user's plan would; nothing is applied)
#        terraform test       (where the folder has *.tftest.hcl files)
#
# The provider is found through a dev_overrides CLI configuration written to a
# temporary folder, so neither the provider nor Terraform is downloaded. A
# folder that calls a local module gets `terraform get`, which installs modules
# only: `terraform init` would ask registry.terraform.io for tenantry/tenant
# even though dev_overrides serve it. Terraform's working data (.terraform/)
# goes to the temporary folder too, so the examples are left untouched.
#
# TERRAFORM names the binary (default terraform; TERRAFORM=tofu for OpenTofu:
# the same checks with `tofu fmt`, `tofu validate`, ...).
#
# Needs go and terraform (1.8 or later) or OpenTofu on PATH; never uses the network (Go
# modules come from the local module cache: run `go mod download` once if the
# build reports a missing module). Set SKIP_PLAN=1 to run validate only.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/dev-overrides.sh
. "$root/scripts/lib/dev-overrides.sh"
cd "$root"

TERRAFORM=${TERRAFORM:-terraform}
tfname=${TERRAFORM##*/}
for tool in go "$TERRAFORM"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "error: $tool was not found on PATH" >&2
		exit 1
	fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/validate-examples.XXXXXX")
trap 'rm -rf "$work"' EXIT

# No network: modules from the local cache only, no toolchain download, no
# version check, no prompts.
export GOPROXY=off GOFLAGS=-mod=readonly GOTOOLCHAIN=local
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
unset TF_WORKSPACE TF_CLI_ARGS TF_CLI_ARGS_validate TF_CLI_ARGS_plan TF_CLI_ARGS_get

echo "==> Building the provider"
mkdir -p "$work/bin"
if ! go build -trimpath -o "$work/bin/terraform-provider-tenant" . 2>"$work/build.log"; then
	cat "$work/build.log" >&2
	echo "FAIL: go build (if a module is missing from the module cache, run 'go mod download' once)" >&2
	exit 1
fi

use_dev_overrides "$work" "$work/bin"

failed=()

echo "==> $tfname fmt -check -recursive examples/"
if ! "$TERRAFORM" fmt -check -recursive -diff -no-color examples/ >"$work/fmt.log" 2>&1; then
	cat "$work/fmt.log"
	echo "FAIL: examples/ is not formatted (run: $tfname fmt -recursive examples/)"
	failed+=("$tfname fmt")
fi

# Folders holding *.tf files, quickstart included, sorted.
mapfile -t dirs < <(find examples -type f -name '*.tf' -not -path '*/.terraform/*' -exec dirname {} \; | sort -u)
if [ "${#dirs[@]}" -eq 0 ]; then
	echo "FAIL: no Terraform configuration found under examples/" >&2
	exit 1
fi

# run <dir> <step> <terraform arguments...>: runs $TERRAFORM in dir with the
# folder's own data dir, prints the output only when it fails.
run() {
	local dir=$1 step=$2
	shift 2
	if ! "$TERRAFORM" -chdir="$root/$dir" "$@" >"$log" 2>&1; then
		sed 's/^/    /' "$log"
		echo "FAIL: $dir ($step)"
		failed+=("$dir ($step)")
		return 1
	fi
}

echo "==> $tfname validate and plan in ${#dirs[@]} folders"
n=0
for dir in "${dirs[@]}"; do
	n=$((n + 1))
	export TF_DATA_DIR="$work/data/$n"
	log="$work/$n.log"
	steps="validate"
	if grep -Eqs '^[[:space:]]*module[[:space:]]+"' "$dir"/*.tf; then
		run "$dir" "$tfname get" get -no-color || continue
	fi
	run "$dir" "$tfname validate" validate -no-color || continue
	if [ "${SKIP_PLAN:-}" != 1 ]; then
		run "$dir" "$tfname plan" plan -no-color -input=false -lock=false -refresh=false || continue
		steps="validate, plan"
	fi
	# A folder with *.tftest.hcl files runs them (their runs plan; see examples/tests).
	if compgen -G "$dir/*.tftest.hcl" >/dev/null; then
		run "$dir" "terraform test" test -no-color || continue
		steps="$steps, test"
	fi
	echo "ok   $dir ($steps)"
done

if [ "${#failed[@]}" -gt 0 ]; then
	echo ""
	echo "${#failed[@]} check(s) failed:"
	printf '  - %s\n' "${failed[@]}"
	exit 1
fi
echo ""
echo "All ${#dirs[@]} example folders are formatted, valid and plan cleanly."
