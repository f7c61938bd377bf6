package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// run is one timed Terraform command: a line of the results file,
//
//	n kind command round wall_s cpu_s provider_cpu_s provider_peak_rss_kb provider_processes
//
// where cpu_s is Terraform's user+system time with its waited-for children
// (the provider processes) included, and command is one of the commands
// below.
type run struct {
	n             int
	kind, command string
	round         int
	wall, cpu     float64
	provCPU       float64
	provRSSKB     float64
}

const (
	kindTenant = "tenant"
	kindFloor  = "floor"
)

// The commands of the results file, in the report's order.
const (
	// cmdPlan is the creating plan: `terraform plan` from an empty state.
	cmdPlan = "plan"
	// cmdSteady is the steady-state plan: `terraform plan` (refresh on) of
	// N resources already applied, nothing changed.
	cmdSteady = "steady"
	// cmdChange is the plan of one changed override value of one tenant
	// in an applied fleet of N, refresh on.
	cmdChange = "change"
	// cmdApply is `terraform apply -auto-approve` from an empty state.
	cmdApply = "apply"
)

var commands = []string{cmdPlan, cmdSteady, cmdChange, cmdApply}

type budgets struct {
	// n is the N at which each command's budgets apply (the state's: that
	// of apply).
	n           map[string]int
	planRatio   float64
	steadyRatio float64
	applyRatio  float64
	stateFactor float64
	rssMiB      float64
	changeLines float64
	// scale holds, per command, the N and 2N of the provider-share check
	// (zero: not checked).
	scale map[string][2]int
}

func reportCmd(args []string, w io.Writer) (bool, error) {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	results := fs.String("results", "", "results file written by scripts/bench.sh")
	states := fs.String("states", "", "state measurements written by scripts/bench.sh (optional)")
	plans := fs.String("plans", "", "what the steady-state and change plans showed, written by scripts/bench.sh (optional)")
	b := budgets{n: map[string]int{}}
	planN := fs.Int("plan-n", 1000, "N at which the creating plan's budget applies")
	steadyN := fs.Int("steady-n", 300, "N at which the steady-state plan's budget applies")
	changeN := fs.Int("change-n", 300, "N at which the one-change plan's budget applies")
	applyN := fs.Int("apply-n", 300, "N at which the apply and state budgets apply")
	fs.Float64Var(&b.planRatio, "plan-ratio", 2.5, "budget: median creating plan time, tenant_config / floor")
	fs.Float64Var(&b.steadyRatio, "steady-ratio", 2.2, "budget: median steady-state plan time, tenant_config / floor")
	fs.Float64Var(&b.applyRatio, "apply-ratio", 1.0, "budget: median apply time, tenant_config / floor")
	fs.Float64Var(&b.stateFactor, "state-factor", 2, "budget: state bytes per tenant / rendered_json bytes")
	fs.Float64Var(&b.rssMiB, "rss-mib", 100, "budget: provider peak RSS in MiB")
	fs.Float64Var(&b.changeLines, "change-lines", 40, "budget: plan lines that show one changed override value")
	planScale := fs.String("plan-scale", "500,1000", "N and 2N of the creating plan's provider-share check (empty: none)")
	applyScale := fs.String("apply-scale", "", "N and 2N of the apply's provider-share check (empty: none)")
	_ = fs.Parse(args)
	if *results == "" {
		return false, errors.New("need -results")
	}
	b.n[cmdPlan], b.n[cmdSteady], b.n[cmdChange], b.n[cmdApply] = *planN, *steadyN, *changeN, *applyN
	b.scale = map[string][2]int{}
	for c, v := range map[string]string{cmdPlan: *planScale, cmdApply: *applyScale} {
		if v == "" {
			continue
		}
		from, to, ok := strings.Cut(v, ",")
		n1, err1 := strconv.Atoi(from)
		n2, err2 := strconv.Atoi(to)
		if !ok || err1 != nil || err2 != nil || n1 <= 0 || n2 <= n1 {
			return false, fmt.Errorf("-%s-scale %q: want N,M with 0 < N < M", c, v)
		}
		b.scale[c] = [2]int{n1, n2}
	}
	runs, err := readRuns(*results)
	if err != nil {
		return false, err
	}
	var sts, pls []facts
	if *states != "" {
		if sts, err = readFacts(*states, 2); err != nil {
			return false, err
		}
	}
	if *plans != "" {
		if pls, err = readFacts(*plans, 4); err != nil {
			return false, err
		}
	}
	return report(w, runs, sts, pls, b), nil
}

// facts is a line of the states or plans file written by scripts/bench.sh:
// N, kind, for plans the command and round, then the key=value fields that
// `benchtool state` or `benchtool plan-output` prints.
type facts struct {
	n       int
	kind    string
	command string
	round   int
	v       map[string]float64
}

// get returns the value of key, NaN when the line has none.
func (f facts) get(key string) float64 {
	if x, ok := f.v[key]; ok {
		return x
	}
	return math.NaN()
}

// readFacts reads a states file (lead = 2: n kind) or a plans file (lead =
// 4: n kind command round).
func readFacts(name string, lead int) ([]facts, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out []facts
	for i, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) < lead || strings.HasPrefix(fields[0], "#") {
			continue
		}
		f := facts{kind: fields[1], v: map[string]float64{}}
		if f.n, err = strconv.Atoi(fields[0]); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, i+1, err)
		}
		if lead == 4 {
			f.command = fields[2]
			if f.round, err = strconv.Atoi(fields[3]); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, i+1, err)
			}
		}
		for _, kv := range fields[lead:] {
			k, v, _ := strings.Cut(kv, "=")
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %s: %w", name, i+1, k, err)
			}
			f.v[k] = x
		}
		out = append(out, f)
	}
	return out, nil
}

func readRuns(name string) ([]run, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var runs []run
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if len(fields) < 8 {
			return nil, fmt.Errorf("%s:%d: want 8 fields or more, got %d", name, line, len(fields))
		}
		var r run
		var errs [7]error
		r.n, errs[0] = strconv.Atoi(fields[0])
		r.kind, r.command = fields[1], fields[2]
		r.round, errs[1] = strconv.Atoi(fields[3])
		r.wall, errs[2] = strconv.ParseFloat(fields[4], 64)
		r.cpu, errs[3] = strconv.ParseFloat(fields[5], 64)
		r.provCPU, errs[4] = strconv.ParseFloat(fields[6], 64)
		r.provRSSKB, errs[5] = strconv.ParseFloat(fields[7], 64)
		if !slices.Contains(commands, r.command) {
			errs[6] = fmt.Errorf("unknown command %q", r.command)
		}
		if err := errors.Join(errs[:]...); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		runs = append(runs, r)
	}
	return runs, sc.Err()
}

// series is the runs of one N, kind and command, in round order.
type series []run

func (s series) median(f func(run) float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	v := make([]float64, len(s))
	for i, r := range s {
		v[i] = f(r)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func (s series) max(f func(run) float64) float64 {
	m := math.NaN()
	for _, r := range s {
		if v := f(r); math.IsNaN(m) || v > m {
			m = v
		}
	}
	return m
}

func wall(r run) float64    { return r.wall }
func cpu(r run) float64     { return r.cpu }
func provCPU(r run) float64 { return r.provCPU }

// tfCPU is Terraform's own CPU time in a run: all of it, less the provider's.
func tfCPU(r run) float64   { return r.cpu - r.provCPU }
func provRSS(r run) float64 { return r.provRSSKB / 1024 }

type verdicts struct {
	w      io.Writer
	failed bool
}

// check prints a budget's verdict, and beside it note (may be empty).
func (v *verdicts) check(name string, got, limit float64, format, note string) {
	if note != "" {
		note = "   " + note
	}
	switch {
	case math.IsNaN(got):
		fmt.Fprintf(v.w, "  SKIP  %-52s not measured\n", name)
	case got <= limit:
		fmt.Fprintf(v.w, "  PASS  %-52s "+format+" <= "+format+"%s\n", name, got, limit, note)
	default:
		v.failed = true
		fmt.Fprintf(v.w, "  FAIL  %-52s "+format+" >  "+format+"%s\n", name, got, limit, note)
	}
}

func report(w io.Writer, runs []run, states, plans []facts, b budgets) bool {
	get := func(n int, kind, command string) series {
		var s series
		for _, r := range runs {
			if r.n == n && r.kind == kind && r.command == command {
				s = append(s, r)
			}
		}
		slices.SortFunc(s, func(a, b run) int { return a.round - b.round })
		return s
	}
	var ns []int
	for _, r := range runs {
		if !slices.Contains(ns, r.n) {
			ns = append(ns, r.n)
		}
	}
	slices.Sort(ns)
	// provMS is the provider's median CPU time per tenant in the tenant_config
	// runs of a command at N, in milliseconds.
	provMS := func(n int, c string) float64 {
		return get(n, kindTenant, c).median(provCPU) / float64(n) * 1000
	}

	fmt.Fprintln(w, "Terraform runs, medians (a = tenant_config, b = the floor: terraform_data fed the same")
	fmt.Fprintln(w, "rendered_json from a map(string) variable). plan = the creating plan, from an empty state;")
	fmt.Fprintln(w, "steady = plan (refresh on) of N tenants already applied, nothing changed; change = the same")
	fmt.Fprintln(w, "with one override value of one tenant changed; apply = apply from an empty state.")
	fmt.Fprintln(w, "CPU = Terraform + provider, user + system; +ms/tenant = (a wall - b wall) / N; a TF CPU =")
	fmt.Fprintln(w, "Terraform's own CPU in a (a CPU - prov CPU), to compare with b CPU, all Terraform's;")
	fmt.Fprintln(w, "prov ms/t = the provider's CPU time / N.")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  %5s  %-6s  %6s  %8s  %8s  %6s  %10s  %-18s  %7s  %7s  %8s  %8s  %9s  %8s\n",
		"N", "cmd", "rounds", "a wall s", "b wall s", "a/b", "+ms/tenant", "a/b by round", "a CPU s", "b CPU s",
		"a TF CPU", "prov CPU", "prov ms/t", "prov RSS")
	for _, n := range ns {
		for _, c := range commands {
			a, f := get(n, kindTenant, c), get(n, kindFloor, c)
			if len(a) == 0 && len(f) == 0 {
				continue
			}
			var pairs []string
			for _, ra := range a {
				for _, rb := range f {
					if ra.round == rb.round {
						pairs = append(pairs, fmt.Sprintf("%.2f", ra.wall/rb.wall))
					}
				}
			}
			fmt.Fprintf(w, "  %5d  %-6s  %6s  %8.2f  %8.2f  %6.2f  %10.2f  %-18s  %7.2f  %7.2f  %7.2fs  %7.2fs  %9.2f  %5.1fMiB\n",
				n, c, fmt.Sprintf("%d/%d", len(a), len(f)), a.median(wall), f.median(wall), a.median(wall)/f.median(wall),
				extraMS(a, f, n), strings.Join(pairs, " "), a.median(cpu), f.median(cpu), a.median(tfCPU), a.median(provCPU),
				provMS(n, c), a.max(provRSS))
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Provider's own share, median a - median b (wall s), for twice the tenants:")
	shares := map[string]float64{}
	for _, c := range []string{cmdPlan, cmdApply} {
		sc, ok := b.scale[c]
		if !ok {
			shares[c] = math.NaN()
			fmt.Fprintf(w, "  %-5s  not checked (no pair of N given)\n", c)
			continue
		}
		s1 := get(sc[0], kindTenant, c).median(wall) - get(sc[0], kindFloor, c).median(wall)
		s2 := get(sc[1], kindTenant, c).median(wall) - get(sc[1], kindFloor, c).median(wall)
		switch {
		case math.IsNaN(s1) || math.IsNaN(s2):
			shares[c] = math.NaN()
			fmt.Fprintf(w, "  %-5s  not measured at both N=%d and N=%d\n", c, sc[0], sc[1])
		case s1 <= 0:
			// No measurable share at N: the ratio means nothing, and
			// whatever the share at 2N is, it is not a doubling of a cost.
			shares[c] = math.NaN()
			fmt.Fprintf(w, "  %-5s  N=%d: %.2f s -> N=%d: %.2f s: no measurable share at N=%d\n", c, sc[0], s1, sc[1], s2, sc[0])
		default:
			shares[c] = s2 / s1
			fmt.Fprintf(w, "  %-5s  N=%d: %.2f s -> N=%d: %.2f s: x%.2f for x%.2f tenants\n",
				c, sc[0], s1, sc[1], s2, s2/s1, float64(sc[1])/float64(sc[0]))
		}
	}

	stateRatio := math.NaN()
	if len(states) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "State per tenant after an apply (terraform.tfstate bytes / N; attributes: the instance's")
		fmt.Fprintln(w, "attributes alone, as compact JSON), next to the rendered_json it carries:")
		for _, n := range ns {
			var a, f *facts
			for i := range states {
				switch {
				case states[i].n == n && states[i].kind == kindTenant:
					a = &states[i]
				case states[i].n == n && states[i].kind == kindFloor:
					f = &states[i]
				}
			}
			if a == nil && f == nil {
				continue
			}
			line := fmt.Sprintf("  N=%-5d", n)
			rendered := 0.0
			if a != nil {
				rendered = a.get("rendered_per_instance")
				ratio := a.get("state_per_instance") / rendered
				line += fmt.Sprintf("  a %6.0f bytes (attributes %6.0f, x%.2f the JSON)",
					a.get("state_per_instance"), a.get("attributes_per_instance"), ratio)
				if n == b.n[cmdApply] {
					stateRatio = ratio
				}
			}
			if f != nil {
				rendered = f.get("rendered_per_instance")
				line += fmt.Sprintf("  b %6.0f bytes (attributes %6.0f, x%.2f)",
					f.get("state_per_instance"), f.get("attributes_per_instance"), f.get("state_per_instance")/rendered)
			}
			fmt.Fprintf(w, "%s  rendered_json %.0f bytes\n", line, rendered)
		}
	}

	// What the steady-state and change plans showed, at their budgets' N.
	// A steady-state plan that announces a change is no steady state (it
	// is a perpetual diff); a change plan must update the one tenant alone.
	steadyChanges, oddChanges := math.NaN(), math.NaN()
	lines := map[string]float64{kindTenant: math.NaN(), kindFloor: math.NaN()}
	attrLines := map[string]float64{kindTenant: math.NaN(), kindFloor: math.NaN()}
	outLines := map[string]float64{kindTenant: math.NaN(), kindFloor: math.NaN()}
	for _, p := range plans {
		if p.n != b.n[p.command] {
			continue
		}
		switch p.command {
		case cmdSteady:
			steadyChanges = nanMax(steadyChanges, p.get("add")+p.get("change")+p.get("destroy"))
		case cmdChange:
			odd := 0.0
			if p.get("add") != 0 || p.get("change") != 1 || p.get("destroy") != 0 {
				odd = 1
			}
			oddChanges = nanMax(oddChanges, 0) + odd
			lines[p.kind] = nanMax(lines[p.kind], p.get("lines"))
			attrLines[p.kind] = nanMax(attrLines[p.kind], p.get("attr_lines"))
			outLines[p.kind] = nanMax(outLines[p.kind], p.get("output_lines"))
		}
	}
	if n := b.n[cmdChange]; !math.IsNaN(oddChanges) {
		a, f := get(n, kindTenant, cmdChange), get(n, kindFloor, cmdChange)
		fmt.Fprintln(w)
		fmt.Fprintf(w, "One changed override value in an applied fleet of N=%d (plan, refresh on): a %.2f s, b %.2f s,\n",
			n, a.median(wall), f.median(wall))
		fmt.Fprintf(w, "a/b %.2f, provider CPU %.2f ms/tenant. Lines that show the change, from the resource's header\n",
			a.median(wall)/f.median(wall), provMS(n, cmdChange))
		fmt.Fprintf(w, "to its closing brace: a %.0f (of them rendered_json's %.0f), b %.0f (of them input's %.0f);\n",
			lines[kindTenant], attrLines[kindTenant], lines[kindFloor], attrLines[kindFloor])
		fmt.Fprintf(w, "the whole plan output: a %.0f, b %.0f lines. (b's terraform_data then shows its output's\n",
			outLines[kindTenant], outLines[kindFloor])
		fmt.Fprintln(w, "old value whole, -> known after apply.)")
	}

	fmt.Fprintln(w)
	at := func(c string) string {
		if b.n[c] <= 0 {
			return "none run"
		}
		return fmt.Sprintf("N=%d", b.n[c])
	}
	fmt.Fprintf(w, "Budgets (creating plan %s; steady-state plan %s; apply and state %s; one change %s):\n",
		at(cmdPlan), at(cmdSteady), at(cmdApply), at(cmdChange))
	v := &verdicts{w: w}
	ratio := func(c string) float64 {
		n := b.n[c]
		return get(n, kindTenant, c).median(wall) / get(n, kindFloor, c).median(wall)
	}
	cpuNote := func(c string) string {
		ms := provMS(b.n[c], c)
		if math.IsNaN(ms) {
			return ""
		}
		return fmt.Sprintf("provider CPU %.2f ms/tenant", ms)
	}
	v.check("creating plan time, tenant_config / floor", ratio(cmdPlan), b.planRatio, "%.2f", cpuNote(cmdPlan))
	v.check("steady-state plan time, tenant_config / floor", ratio(cmdSteady), b.steadyRatio, "%.2f", cpuNote(cmdSteady))
	v.check("apply time, tenant_config / floor", ratio(cmdApply), b.applyRatio, "%.2f", cpuNote(cmdApply))
	v.check("state bytes per tenant / rendered_json bytes", stateRatio, b.stateFactor, "%.2f", "")
	peak := math.NaN()
	for _, c := range commands {
		if m := get(b.n[c], kindTenant, c).max(provRSS); !math.IsNaN(m) && (math.IsNaN(peak) || m > peak) {
			peak = m
		}
	}
	v.check("provider peak RSS, MiB", peak, b.rssMiB, "%.1f", "")
	v.check("plan lines of one changed override value", lines[kindTenant], b.changeLines, "%.0f", "")
	v.check("resources changed in the steady-state plans", steadyChanges, 0, "%.0f", "")
	v.check("one-change plans that change other than one resource", oddChanges, 0, "%.0f", "")
	for _, c := range []string{cmdPlan, cmdApply} {
		name := c + ": provider share for x2 tenants"
		limit := 2.0
		if sc, ok := b.scale[c]; ok {
			name = fmt.Sprintf("%s: provider share N=%d -> N=%d", c, sc[0], sc[1])
			limit = float64(sc[1]) / float64(sc[0])
		}
		v.check(name, shares[c], limit, "x%.2f", "")
	}
	return !v.failed
}

// nanMax is the larger of a and b, where NaN is no value.
func nanMax(a, b float64) float64 {
	switch {
	case math.IsNaN(a):
		return b
	case math.IsNaN(b):
		return a
	}
	return max(a, b)
}

// extraMS is the provider's extra wall time per tenant, in milliseconds:
// (median a - median b) / N.
func extraMS(a, f series, n int) float64 {
	return (a.median(wall) - f.median(wall)) / float64(n) * 1000
}
