#!/usr/bin/env bash
# make demo-engines: the isolation the provider enforces, on real servers.
#
# Starts a PostgreSQL and a Redis server of its own (on unix sockets in a
# temporary folder, no TCP port; installed from Debian packages when they are
# missing and this runs as root), builds the provider, and applies
# examples/provisioning: three tenants of different tiers, each enforced by
# tenant_postgresql and tenant_redis, passwords fed from a variable. Then it
# plays an operator who grants one tenant's admin access to another tenant's
# data behind Terraform's back: `plan` shows the drift, `apply` repairs it,
# and the tenant's admin is denied again. Everything it started is stopped,
# and its folder removed, when it ends (also on failure or Ctrl-C).
#
# Needs Go and Terraform >= 1.11 (write-only passwords) or OpenTofu; touches no
# network beyond the package install. TERRAFORM names the binary.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/dev-overrides.sh
. "$root/scripts/lib/dev-overrides.sh"
TERRAFORM=${TERRAFORM:-terraform}
command -v "$TERRAFORM" >/dev/null 2>&1 ||
	{ echo "make demo-engines needs $TERRAFORM (Terraform >= 1.11 or OpenTofu) on PATH" >&2; exit 1; }
tfname=${TERRAFORM##*/}
command -v go >/dev/null 2>&1 || { echo "make demo-engines needs go on PATH" >&2; exit 1; }

if [ -t 1 ]; then
	step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
else
	step() { printf '\n==> %s\n' "$*"; }
fi

# --- The servers' binaries ---------------------------------------------------
pgbin() { command -v "$1" 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1; }
missing=()
[ -n "$(pgbin initdb)" ] || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ]; then
	[ "$(id -u)" -eq 0 ] || { echo "make demo-engines needs ${missing[*]} (apt-get install -y ${missing[*]})" >&2; exit 1; }
	step "Installing ${missing[*]} from Debian packages"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
initdb=$(pgbin initdb) pg_ctl=$(pgbin pg_ctl) psql=$(pgbin psql)

# --- A folder of its own, and everything stopped at the end -------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/tenant-demo-engines.XXXXXX")
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
	# initdb refuses root: the server runs as the unprivileged postgres user.
	id postgres >/dev/null 2>&1 || { echo "running as root, PostgreSQL needs the user postgres" >&2; exit 1; }
	as_pg=(runuser -u postgres --)
fi
mkdir -p "$work/pg"
[ "${#as_pg[@]}" -eq 0 ] || chown postgres "$work/pg"
cleanup() {
	set +e
	[ -f "$work/pg/data/postmaster.pid" ] && "${as_pg[@]}" "$pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1
	[ -S "$work/redis.sock" ] && redis-cli -s "$work/redis.sock" --user ops --pass ops-demo --no-auth-warning shutdown nosave >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

step "Starting PostgreSQL and Redis on sockets in $work"
"${as_pg[@]}" "$initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
printf 'local all postgres trust\nlocal all all scram-sha-256\n' | "${as_pg[@]}" tee "$work/pg/data/pg_hba.conf" >/dev/null
"${as_pg[@]}" "$pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
	-o "-c listen_addresses='' -c unix_socket_directories='$work/pg' -c fsync=off" start >/dev/null
sql() { "$psql" --no-psqlrc -qAt -h "$work/pg" -U postgres -d postgres -v ON_ERROR_STOP=1 -c "$1"; }
echo "PostgreSQL $(sql 'SHOW server_version')"
printf 'port 0\nunixsocket %s\nunixsocketperm 700\ndir %s\nsave ""\nappendonly no\ndaemonize yes\nlogfile %s\n' \
	"$work/redis.sock" "$work" "$work/redis.log" >"$work/redis.conf"
redis-server "$work/redis.conf"
for _ in $(seq 100); do [ -S "$work/redis.sock" ] && break; sleep 0.1; done
redis-cli -s "$work/redis.sock" ACL SETUSER ops on '>ops-demo' '~*' '&*' +@all >/dev/null
redis-cli -s "$work/redis.sock" --user ops --pass ops-demo --no-auth-warning ACL SETUSER default off >/dev/null
echo "Redis $(redis-cli -s "$work/redis.sock" --user ops --pass ops-demo --no-auth-warning INFO server | sed -n 's/^redis_version:\(.*\)\r$/\1/p')"

# --- The provider and the example --------------------------------------------
step "Building the provider"
mkdir -p "$work/bin"
(cd "$root" && go build -trimpath -o "$work/bin/terraform-provider-tenant" .)
use_dev_overrides "$work" "$work/bin"
cp -r "$root/examples/provisioning" "$work/provisioning"
cat >"$work/provisioning/terraform.tfvars.json" <<JSON
{
  "postgresql_host": "$work/pg",
  "postgresql_database": "postgres",
  "postgresql_username": "postgres",
  "redis_url": "unix://$work/redis.sock",
  "redis_username": "ops",
  "tenant_passwords": {
    "initech": {"admin": "initech-admin-demo-pw", "user": "initech-user-demo-pw"},
    "globex": {"admin": "globex-admin-demo-pw", "user": "globex-user-demo-pw"},
    "hooli": {"admin": "hooli-admin-demo-pw", "user": "hooli-user-demo-pw"}
  }
}
JSON
export TF_VAR_redis_password=ops-demo
tf() { "$TERRAFORM" -chdir="$work/provisioning" "$@"; }

step "$tfname apply: three tenants, converged on both servers"
tf apply -auto-approve -no-color -compact-warnings >"$work/apply.txt"
grep -E 'Creation complete|Apply complete' "$work/apply.txt"

step "What PostgreSQL holds for globex (tenant_postgresql.this[\"globex\"].privileges, read from the catalog)"
tf state show -no-color 'tenant_postgresql.this["globex"]' | sed -n '/privileges/,/]/p' >"$work/privileges.txt"
sed -n '1,12p' "$work/privileges.txt"
echo "        ... ($(grep -c '"' "$work/privileges.txt") lines in all)"

rcli() { redis-cli -s "$work/redis.sock" --no-auth-warning "$@"; }
step "An operator grants initech's admin globex's data, out of band, on both servers"
sql "CREATE TABLE globex_data.invoices (id int); INSERT INTO globex_data.invoices VALUES (1);
     GRANT USAGE ON SCHEMA globex_data TO initech_admin; GRANT SELECT ON globex_data.invoices TO initech_admin;"
PGPASSWORD=initech-admin-demo-pw "$psql" --no-psqlrc -qAt -h "$work/pg" -U initech_admin -d postgres \
	-c 'SELECT count(*) AS rows_initech_can_read FROM globex_data.invoices'
rcli --user ops --pass ops-demo SET cache:globex:plan gold >/dev/null
rcli --user ops --pass ops-demo ACL SETUSER initech_admin '~cache:globex:*' +keys >/dev/null
echo "initech_admin reads globex's cache: $(rcli --user initech_admin --pass initech-admin-demo-pw GET cache:globex:plan)"

step "$tfname plan -refresh-only -detailed-exitcode: the drift shows (exit code 2)"
set +e
tf plan -refresh-only -detailed-exitcode -no-color >"$work/drift.txt"
code=$?
set -e
awk '/Objects have changed outside of/,/Unless you have made equivalent changes/' "$work/drift.txt" |
	grep -E 'has changed|initech_admin|cache:globex' | sed 's/"initech_admin" =/initech_admin =/' | awk '!seen[$0]++' || true
echo "exit code: $code"
[ "$code" -eq 2 ] || { cat "$work/drift.txt"; echo "the drift did not show" >&2; exit 1; }

step "$tfname apply: the provider revokes what the tier does not grant"
tf apply -auto-approve -no-color -compact-warnings >"$work/repair.txt"
grep -E 'Modifications complete|Apply complete' "$work/repair.txt"
set +e
PGPASSWORD=initech-admin-demo-pw "$psql" --no-psqlrc -qAt -h "$work/pg" -U initech_admin -d postgres \
	-c 'SELECT count(*) FROM globex_data.invoices' 2>&1 | head -n 1 | sed 's/^/initech_admin on PostgreSQL: /'
echo "initech_admin on Redis: $(rcli --user initech_admin --pass initech-admin-demo-pw GET cache:globex:plan 2>&1)"
set -e
tf plan -detailed-exitcode -no-color >/dev/null && echo "$tfname plan: no changes"

step "Done. The servers are stopped and $work is removed."
