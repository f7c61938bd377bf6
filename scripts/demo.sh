#!/usr/bin/env bash
# make demo: build the provider, point Terraform at it with a dev_overrides
# CLI configuration written here, plan and apply examples/quickstart, show a
# rendered configuration (rendered_json) and the provisioning function's
# artifacts for it (PostgreSQL SQL and Redis ACL lines), then migrate the free
# tenant to standard in place.
# Needs Go and Terraform (>= 1.8) or OpenTofu; touches no network. TERRAFORM
# names the binary (default terraform; TERRAFORM=tofu for OpenTofu). Terraform
# runs with -no-color, and the headings are bold only on a terminal, so a log
# or a pipe gets no escape codes.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/dev-overrides.sh
. "$root/scripts/lib/dev-overrides.sh"
work="$root/.demo"
TERRAFORM=${TERRAFORM:-terraform}
command -v "$TERRAFORM" >/dev/null 2>&1 ||
	{ echo "make demo needs $TERRAFORM (Terraform >= 1.8 or OpenTofu) on PATH; set TERRAFORM to use another binary" >&2; exit 1; }
tfname=${TERRAFORM##*/}
command -v go >/dev/null 2>&1 || { echo "make demo needs go on PATH" >&2; exit 1; }

if [ -t 1 ]; then
	step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
else
	step() { printf '\n==> %s\n' "$*"; }
fi

rm -rf "$work"
mkdir -p "$work/bin"
step "Building the provider"
(cd "$root" && go build -trimpath -o "$work/bin/terraform-provider-tenant" .)

use_dev_overrides "$work" "$work/bin"

cp -r "$root/examples/quickstart" "$work/quickstart"
tf() { "$TERRAFORM" -chdir="$work/quickstart" "$@"; }

# block FILE ADDRESS prints one resource's part of a plan.
block() { awk -v a="# $2 " 'index($0, a) {on=1} on {print} on && /^    }$/ {exit}' "$1"; }

step "$tfname plan: every tenant is rendered and validated at plan time"
tf plan -no-color -compact-warnings -out=tfplan >"$work/plan.txt"
grep -E '^  # |^Plan:' "$work/plan.txt"
step "The plan of the free tenant, as a reviewer sees it (rendered_json shown as its structure)"
block "$work/plan.txt" tenant_config.initech

step "$tfname apply"
tf apply -no-color -compact-warnings tfplan >"$work/apply.txt"
grep -E 'Creation complete|Apply complete' "$work/apply.txt"
tf output -no-color clickhouse_write

step "The rendered configuration of the premium tenant (jsondecode(rendered_json), first 60 lines)"
tf output -no-color globex_config >"$work/globex.txt"
sed -n '1,60p' "$work/globex.txt"
echo "  ... ($(wc -l <"$work/globex.txt") lines in all; rendered_json itself is one line of canonical JSON, $(tf output -raw globex_rendered_json | wc -c) bytes)"

step "What enforces the premium tenant's isolation on PostgreSQL (provider::tenant::provisioning(...).postgresql, first 23 lines)"
tf output -raw globex_postgresql_sql >"$work/globex.sql"
sed -n '1,23p' "$work/globex.sql"
echo "  ... ($(wc -l <"$work/globex.sql") lines in all; run it with psql -v ON_ERROR_STOP=1, see examples/provisioning)"

step "... and on Redis (provider::tenant::provisioning(...).redis_acl, one ACL SETUSER per engine user)"
tf output -raw globex_redis_acl

step "Migrating initech from free to standard: an in-place update, never a replacement, shown as a diff of the values that change"
tf plan -no-color -compact-warnings -var initech_tier=standard -out=migrate >"$work/migrate.txt"
grep -E '^  # |^Plan:' "$work/migrate.txt"
block "$work/migrate.txt" tenant_config.initech
tf apply -no-color -compact-warnings migrate >"$work/migrate-apply.txt"
grep -E 'Modifications complete|Apply complete' "$work/migrate-apply.txt"
tf output -no-color tenants

step "Done. State and plans are in .demo/quickstart; run 'make demo' again to start over."
