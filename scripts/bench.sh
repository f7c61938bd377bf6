#!/usr/bin/env bash
# make bench: the performance benchmarks and their budgets.
#
#  1. The Go benchmarks of the rendering engine (go test -bench).
#  2. Terraform runs: for each N, N tenant_config resources (a) against the
#     floor (b), N built-in terraform_data resources whose input is the very
#     same rendered_json, rendered by the provider itself. Both are one
#     resource block with for_each, fed by a variable given in
#     terraform.tfvars.json: for a, a map(object) of name, tier and overrides
#     (for_each over a flat map of the tiers made from it, see benchtool's
#     config.go); for b, a map(string) of the JSON. Each round times a and b,
#     alternating which goes first, in four kinds of run:
#      - the creating plan: `terraform plan` from an empty state;
#      - apply: `terraform apply -auto-approve` from an empty state;
#      - the steady-state plan, the plan a team runs every day: `terraform
#        plan` (refresh on) of N tenants already applied, nothing changed;
#      - one change: the same plan with one override value of one tenant
#        changed (its storage alert threshold raised by one; b holds that
#        tenant's new rendered_json), and the number of plan lines that show
#        the change.
#     Every provider process is measured (CPU, peak RSS) by a stand-in placed
#     under the provider's binary name in the dev_overrides directory.
#  3. A report: medians, ratios a/b, the provider's extra milliseconds per
#     tenant and its CPU time per tenant, its own share at N and 2N, state
#     size per tenant next to the rendered_json, the lines of the one change,
#     and PASS/FAIL per budget with the provider's CPU per tenant beside each
#     ratio. The script exits non-zero when a budget fails, unless
#     BENCH_STRICT=0.
#
# Needs Go and Terraform (>= 1.8) or OpenTofu on PATH and nothing from the
# network: the provider is built here and served through a dev_overrides CLI
# configuration written into .bench/, and terraform_data is built into
# Terraform. Settings (environment variables):
#
#   TERRAFORM=terraform      the binary to run (TERRAFORM=tofu for OpenTofu)
#   ROUNDS=3                 rounds of plan runs (a and b) per N: creating,
#                            steady-state and one-change plans
#   BENCH_PLAN_NS="500 1000" N of the creating plan runs
#   BENCH_APPLY_NS="300"     N of the apply runs (apply costs grow with N^2 in
#                            Terraform itself, see below)
#   APPLY_ROUNDS=            rounds of apply runs; default ROUNDS, but 1 at N >= 1000
#   BENCH_STEADY_NS="300"    N of the steady-state plan runs, on the state of
#                            the last apply at N (an N not in BENCH_APPLY_NS is
#                            applied once first: "300 1000" adds about ten
#                            minutes on 2 cores, for two applies at N=1000)
#   BENCH_CHANGE_N=300       N of the one-change plan runs, likewise on an
#                            applied state (empty: none)
#   BENCH_PARALLELISM=10     terraform -parallelism, the same for a and b
#   BENCH_LAYOUT=for_each    for_each: one resource block over a variable (as
#                            examples/modules/tenant-fleet); blocks: one
#                            resource block per tenant, values written literally
#   BENCH_GO=1               0 skips the Go benchmarks
#   BENCH_PROVIDER=          a provider binary to measure instead of building one
#   BENCH_STRICT=1           0 reports failed budgets without failing
#   BENCH_DIR=.bench         scratch directory (removed and rewritten)
#   Budgets, and the N they apply at (defaults: the largest N of each kind of
#   run, and the two largest N of plan and apply for the share checks):
#   BENCH_PLAN_BUDGET_N=1000  BENCH_STEADY_BUDGET_N=300  BENCH_APPLY_BUDGET_N=300
#   BENCH_SCALE=500,1000  BENCH_APPLY_SCALE=    (empty: no apply share check)
#   BENCH_PLAN_RATIO=2.5      creating plan, a / b
#   BENCH_STEADY_RATIO=2.2    steady-state plan, a / b
#   BENCH_APPLY_RATIO=1.0     apply, a / b
#   BENCH_STATE_FACTOR=2      state per tenant / rendered_json bytes
#   BENCH_RSS_MIB=100         provider peak RSS
#   BENCH_CHANGE_LINES=40     plan lines that show the one changed value
#
# Choices, and why:
#  - the floor is as lean as Terraform allows: a for_each over a map(string)
#    variable holding exactly the JSON, no jsondecode(file()) and no file()
#    per resource (an object of 1,000 differently typed attributes, or a file
#    read per instance, makes Terraform itself several times slower and hides
#    the provider's cost in the ratio). tenant_config is fed the same way,
#    its for_each a flat map: Terraform does work for each instance that
#    grows with the size of the whole for_each value, several times more for
#    a for_each over the map(object) itself.
#  - plans run as a user runs them, refresh on: from an empty state there is
#    nothing to refresh, for a and b alike (-refresh=false would change
#    nothing there and would not be what anybody types); in the steady-state
#    and one-change plans, refresh reads every applied tenant back, which is
#    part of what the provider costs a team every day.
#  - the floor is terraform_data, built into Terraform, carrying the same
#    bytes as rendered_json (checked in both states after the first apply):
#    a minus b is what the provider adds, plugin protocol included.
#  - applies at N=300: Terraform copies its whole state after each resource
#    it applies, so an apply from an empty state grows with N^2 in Terraform
#    itself, floor included (about 5 minutes per kind at N=1000 on 2 cores,
#    where one round is the default).
#  - the steady-state and one-change plans reuse the state the last apply
#    at N leaves (copied in before each run: a plan writes no state), so
#    they cost no apply of their own; the floor's one change is that
#    tenant's new rendered_json, taken from an untimed plan of a.
#  - the plan lines of the one change are counted from the resource's header
#    ("# tenant_config.t[...] will be updated in-place") to its closing brace:
#    what a reviewer reads for it. Of them, the lines of rendered_json's
#    change, beside those of the floor's input, are what Terraform prints for
#    the same change of a JSON string (the floor's whole count is larger:
#    terraform_data reprints its output's old value, known after apply).
#  - the provider's share, median a - median b, is compared at N=500 and
#    N=1000 rather than 1000 and 2000: the same doubling, and plan runs at
#    N=2000 would cost minutes each (Terraform's for_each itself grows faster
#    than N) for no extra information about the provider.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/dev-overrides.sh
. "$root/scripts/lib/dev-overrides.sh"
work=${BENCH_DIR:-"$root/.bench"}
TERRAFORM=${TERRAFORM:-terraform}
command -v "$TERRAFORM" >/dev/null 2>&1 ||
	{ echo "make bench needs $TERRAFORM (Terraform >= 1.8 or OpenTofu) on PATH; set TERRAFORM to use another binary" >&2; exit 1; }
tfname=${TERRAFORM##*/}
command -v go >/dev/null 2>&1 || { echo "make bench needs go on PATH" >&2; exit 1; }

ROUNDS=${ROUNDS:-3}
PLAN_NS=${BENCH_PLAN_NS-500 1000}
APPLY_NS=${BENCH_APPLY_NS-300}
APPLY_ROUNDS=${APPLY_ROUNDS:-}
STEADY_NS=${BENCH_STEADY_NS-300}
CHANGE_N=${BENCH_CHANGE_N-300}
PARALLELISM=${BENCH_PARALLELISM:-10}
LAYOUT=${BENCH_LAYOUT:-for_each}
STRICT=${BENCH_STRICT:-1}
# largest NS and two_largest NS: the defaults of the budgets' N (0 and
# nothing when NS is empty).
largest() { printf '%s\n' 0 $1 | sort -n -u | tail -n 1; }
two_largest() { printf '%s\n' $1 | sort -n -u | tail -n 2 | paste -s -d, - | grep , || true; }
PLAN_BUDGET_N=${BENCH_PLAN_BUDGET_N:-$(largest "$PLAN_NS")}
APPLY_BUDGET_N=${BENCH_APPLY_BUDGET_N:-$(largest "$APPLY_NS")}
STEADY_BUDGET_N=${BENCH_STEADY_BUDGET_N:-$(largest "$STEADY_NS")}
SCALE=${BENCH_SCALE-$(two_largest "$PLAN_NS")}
APPLY_SCALE=${BENCH_APPLY_SCALE-$(two_largest "$APPLY_NS")}

started=$SECONDS
# Bold headings on a terminal only: no escape codes in a log or a pipe.
if [ -t 1 ]; then
	step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
else
	step() { printf '\n==> %s\n' "$*"; }
fi
elapsed() { printf '%02d:%02d' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)); }
die() { echo "bench: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/bin" "$work/provider" "$work/tools" "$work/logs"

# --- Go benchmarks ----------------------------------------------------------
if [ "${BENCH_GO:-1}" != 0 ]; then
	step "Go benchmarks (go test ./internal/... -bench .)"
	(cd "$root" && go test ./internal/... -run '^$' -bench . -benchmem -count 1) | tee "$work/go-bench.txt"
fi

# --- Tools and the provider -------------------------------------------------
step "Building the provider and the measuring tools"
provider="$work/provider/terraform-provider-tenant"
provider_runs="$work/provider-runs.txt"
if [ -n "${BENCH_PROVIDER:-}" ]; then
	cp "$BENCH_PROVIDER" "$provider"
else
	(cd "$root" && go build -trimpath -o "$provider" .)
fi
(cd "$root" && go build -trimpath -o "$work/tools/rss" ./scripts/bench/rss)
(cd "$root" && go build -trimpath -o "$work/tools/benchtool" ./scripts/bench/benchtool)
# The stand-in Terraform starts: it runs the real provider, stdio untouched,
# and appends the provider process's CPU time and peak RSS to provider_runs.
(cd "$root" && go build -trimpath -o "$work/bin/terraform-provider-tenant" \
	-ldflags "-X main.wrapped=$provider -X main.output=$provider_runs" ./scripts/bench/rss)
rss="$work/tools/rss"
benchtool="$work/tools/benchtool"

use_dev_overrides "$work" "$work/bin"
export TF_INPUT=0
# Nothing from the caller's environment may change what is measured.
unset TF_LOG TF_LOG_CORE TF_LOG_PROVIDER TF_LOG_PROVIDER_TENANT TF_LOG_PATH TF_LOG_SDK \
	TF_LOG_SDK_FRAMEWORK TF_LOG_SDK_PROTO TF_CLI_ARGS TF_CLI_ARGS_plan TF_CLI_ARGS_apply \
	TF_DATA_DIR TF_WORKSPACE TENANT_TEMPLATES_DIR TENANT_DEFAULT_REGION GOGC GOMEMLIMIT

# The N that need an applied state (steady-state and one-change plans), and
# all N that are applied.
state_ns=$(printf '%s\n' $STEADY_NS $CHANGE_N | sort -n -u)
applied_ns=$(printf '%s\n' $APPLY_NS $state_ns | sort -n -u)
# The tenant whose override value the one-change plan changes: the first,
# which has overrides (see benchtool's tenantAt).
changed=tenant_00001

# --- The floor's input, rendered by the provider ----------------------------
max_n=0
for n in $PLAN_NS $applied_ns; do [ "$n" -gt "$max_n" ] && max_n=$n; done
step "Rendering $max_n tenants through the provider ($tfname plan -out, show -json): the floor's input"
"$benchtool" config -kind tenant -n "$max_n" -dir "$work/render" -layout "$LAYOUT"
"$TERRAFORM" -chdir="$work/render" plan -no-color -parallelism="$PARALLELISM" -out=tfplan >"$work/logs/render-plan.txt" 2>&1 ||
	{ tail -n 30 "$work/logs/render-plan.txt"; die "the plan of $max_n tenants failed"; }
"$TERRAFORM" -chdir="$work/render" show -json tfplan >"$work/render/plan.json"
"$benchtool" extract -plan "$work/render/plan.json" -dir "$work/rendered"
rm -f "$work/render/plan.json" "$work/render/tfplan"

# --- Timed runs ---------------------------------------------------------------
results="$work/results.txt"
echo "# n kind command round wall_s cpu_s provider_cpu_s provider_peak_rss_kb provider_processes" >"$results"
states="$work/states.txt"
echo "# n kind benchtool-state-output" >"$states"
plans="$work/plans.txt"
echo "# n kind command round benchtool-plan-output-fields" >"$plans"

# measure N KIND COMMAND ROUND: one timed terraform run. COMMAND plan and
# apply run in .bench/nN/KIND from an empty state; steady runs a plan there
# and change one in .bench/nN/KIND-change, both on the applied state
# .bench/nN/KIND.applied.tfstate, and what their plan shows goes into plans.
measure() {
	local n=$1 kind=$2 cmd=$3 round=$4
	local dir="$work/n$n/$kind" log="$work/logs/n$n-$kind-$cmd-$round.txt" tf="$work/tf-run.txt"
	local args=(plan)
	[ "$cmd" = apply ] && args=(apply -auto-approve)
	[ "$cmd" = change ] && dir="$work/n$n/$kind-change"
	rm -f "$dir/terraform.tfstate" "$dir/terraform.tfstate.backup" "$tf"
	case $cmd in steady | change) cp "$work/n$n/$kind.applied.tfstate" "$dir/terraform.tfstate" ;; esac
	: >"$provider_runs"
	printf '  [%s] N=%-5s %-6s %-6s round %s ... ' "$(elapsed)" "$n" "$cmd" "$kind" "$round"
	if ! "$rss" -o "$tf" -label terraform -- "$TERRAFORM" -chdir="$dir" "${args[@]}" -no-color \
		-parallelism="$PARALLELISM" >"$log" 2>&1; then
		echo "failed"
		tail -n 30 "$log"
		die "$tfname $cmd of $dir failed (log: $log)"
	fi
	local wall cpu pcpu prss procs
	read -r _ _ _ wall user sys _ <"$tf"
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
	read -r pcpu prss procs < <(awk '{ c += $5 + $6; if ($7 > m) m = $7; p++ } END { printf "%.3f %d %d\n", c, m, p }' "$provider_runs")
	echo "$n $kind $cmd $round $wall $cpu $pcpu $prss $procs" >>"$results"
	local shown=""
	case $cmd in steady | change)
		shown=$("$benchtool" plan-output -log "$log" -tenant "$changed" -attrs rendered_json,input) || die "reading the plan output $log"
		echo "$n $kind $cmd $round $shown" >>"$plans"
		shown=", $(plan_summary "$shown")"
		;;
	esac
	if [ "$kind" = tenant ]; then
		printf '%7.2f s  (CPU %.1f s, provider CPU %.1f s, provider peak RSS %d MiB, %d provider processes%s)\n' \
			"$wall" "$cpu" "$pcpu" $((prss / 1024)) "$procs" "$shown"
	else
		printf '%7.2f s  (CPU %.1f s%s)\n' "$wall" "$cpu" "$shown"
	fi
}

# plan_summary FIELDS: the changes and lines of benchtool plan-output's
# key=value output, in words.
plan_summary() {
	local add change destroy lines attr_lines kv
	for kv in $1; do
		case $kv in
		add=*) add=${kv#*=} ;; change=*) change=${kv#*=} ;; destroy=*) destroy=${kv#*=} ;;
		lines=*) lines=${kv#*=} ;; attr_lines=*) attr_lines=${kv#*=} ;;
		esac
	done
	if [ "$((add + change + destroy))" = 0 ]; then
		echo "no changes"
	else
		echo "$add to add, $change to change, $destroy to destroy; $lines lines for $changed, $attr_lines of them the rendered JSON's"
	fi
}

# rounds_of ROUNDS N COMMAND: ROUNDS rounds of COMMAND at N, a and b in each,
# alternating which goes first.
rounds_of() {
	local rounds=$1 n=$2 cmd=$3 r kind order
	for ((r = 1; r <= rounds; r++)); do
		order="tenant floor"
		((r % 2 == 0)) && order="floor tenant"
		for kind in $order; do measure "$n" "$kind" "$cmd" "$r"; done
	done
}

# check_state N KIND: the applied state holds the rendered bytes; its size
# per tenant goes into the report.
check_state() {
	local n=$1 kind=$2 out
	out=$("$benchtool" state -state "$work/n$n/$kind/terraform.tfstate" -rendered "$work/rendered") ||
		die "the state of N=$n $kind does not hold the rendered configurations"
	echo "  state of $kind at N=$n: $out"
	echo "$n $kind $out" >>"$states"
}

# has LIST N: whether N is one of the words of LIST.
has() { [[ " ${1//$'\n'/ } " == *" $2 "* ]]; }

all_ns=$(printf '%s\n' $PLAN_NS $applied_ns | sort -n -u)
for n in $all_ns; do
	for kind in tenant floor; do
		"$benchtool" config -kind "$kind" -n "$n" -dir "$work/n$n/$kind" -layout "$LAYOUT" -rendered "$work/rendered"
	done
	if has "$PLAN_NS" "$n"; then
		step "N=$n: $tfname plan (creating), $ROUNDS round(s) (a = tenant_config, b = floor)"
		rounds_of "$ROUNDS" "$n" plan
	fi
	if has "$applied_ns" "$n"; then
		rounds=${APPLY_ROUNDS:-$ROUNDS}
		[ -z "$APPLY_ROUNDS" ] && [ "$n" -ge 1000 ] && rounds=1
		# An N applied only for the plans on its state: one apply, timed too.
		has "$APPLY_NS" "$n" || rounds=1
		step "N=$n: $tfname apply -auto-approve from an empty state, $rounds round(s)"
		for ((r = 1; r <= rounds; r++)); do
			order="tenant floor"
			((r % 2 == 0)) && order="floor tenant"
			for kind in $order; do
				measure "$n" "$kind" apply "$r"
				[ "$r" = 1 ] && check_state "$n" "$kind"
				# The last round's state serves the plans on an applied state.
				if [ "$r" = "$rounds" ] && has "$state_ns" "$n"; then
					mv "$work/n$n/$kind/terraform.tfstate" "$work/n$n/$kind.applied.tfstate"
				fi
				rm -f "$work/n$n/$kind/terraform.tfstate" "$work/n$n/$kind/terraform.tfstate.backup"
			done
		done
	fi
	if has "$STEADY_NS" "$n"; then
		step "N=$n: $tfname plan of $n applied tenants, nothing changed (steady state), $ROUNDS round(s)"
		rounds_of "$ROUNDS" "$n" steady
		rm -f "$work/n$n"/*/terraform.tfstate
	fi
	if [ "$n" = "$CHANGE_N" ]; then
		step "N=$n: $tfname plan of one changed override value ($changed's storage alert threshold + 1) in $n applied tenants, $ROUNDS round(s)"
		# a's configuration with the change; b's rendered_json of it, from an
		# untimed plan of a on the applied state.
		"$benchtool" config -kind tenant -n "$n" -dir "$work/n$n/tenant-change" -layout "$LAYOUT" -change "$changed"
		cp "$work/n$n/tenant.applied.tfstate" "$work/n$n/tenant-change/terraform.tfstate"
		"$TERRAFORM" -chdir="$work/n$n/tenant-change" plan -no-color -parallelism="$PARALLELISM" -out=tfplan \
			>"$work/logs/n$n-change-render.txt" 2>&1 ||
			{ tail -n 30 "$work/logs/n$n-change-render.txt"; die "the plan of the changed tenant failed"; }
		"$TERRAFORM" -chdir="$work/n$n/tenant-change" show -json tfplan >"$work/n$n/change-plan.json"
		rm -rf "$work/rendered-change"
		cp -R "$work/rendered" "$work/rendered-change"
		"$benchtool" extract -plan "$work/n$n/change-plan.json" -dir "$work/rendered-change" -only "$changed" >/dev/null
		cmp -s "$work/rendered/$changed.json" "$work/rendered-change/$changed.json" &&
			die "the changed override value did not change $changed's rendered_json"
		rm -f "$work/n$n/change-plan.json" "$work/n$n/tenant-change/tfplan"
		"$benchtool" config -kind floor -n "$n" -dir "$work/n$n/floor-change" -layout "$LAYOUT" -rendered "$work/rendered-change"
		rounds_of "$ROUNDS" "$n" change
		rm -f "$work/n$n"/*/terraform.tfstate
	fi
	rm -f "$work/n$n"/*.applied.tfstate
done

# --- Report -----------------------------------------------------------------
step "Report ($(elapsed) in all; raw figures in ${results#"$root"/})"
rc=0
"$benchtool" report -results "$results" -states "$states" -plans "$plans" \
	-plan-n "$PLAN_BUDGET_N" -steady-n "$STEADY_BUDGET_N" -apply-n "$APPLY_BUDGET_N" -change-n "${CHANGE_N:-0}" \
	-plan-scale "$SCALE" -apply-scale "$APPLY_SCALE" \
	-plan-ratio "${BENCH_PLAN_RATIO:-2.5}" -steady-ratio "${BENCH_STEADY_RATIO:-2.2}" \
	-apply-ratio "${BENCH_APPLY_RATIO:-1.0}" -state-factor "${BENCH_STATE_FACTOR:-2}" \
	-rss-mib "${BENCH_RSS_MIB:-100}" -change-lines "${BENCH_CHANGE_LINES:-40}" || rc=$?
# benchtool report exits 1 when a budget fails, 2 on an error.
case $rc in
0) ;;
1)
	if [ "$STRICT" != 0 ]; then
		echo
		echo "bench: a budget failed (BENCH_STRICT=0 reports without failing)." >&2
		exit 1
	fi
	;;
*) die "the report failed" ;;
esac
