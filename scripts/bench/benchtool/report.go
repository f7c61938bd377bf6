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
// (the provider processes) included.
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

type budgets struct {
	planN, applyN int
	planRatio     float64
	applyRatio    float64
	planCPUms     float64
	stateFactor   float64
	rssMiB        float64
	// scale holds, per command, the N and 2N of the provider-share check
	// (zero: not checked).
	scale map[string][2]int
}

func reportCmd(args []string, w io.Writer) (bool, error) {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	results := fs.String("results", "", "results file written by scripts/bench.sh")
	states := fs.String("states", "", "state measurements written by scripts/bench.sh (optional)")
	var b budgets
	fs.IntVar(&b.planN, "plan-n", 1000, "N at which the plan budgets apply")
	fs.IntVar(&b.applyN, "apply-n", 300, "N at which the apply and state budgets apply")
	fs.Float64Var(&b.planRatio, "plan-ratio", 1.8, "budget: median plan time, tenant_config / floor")
	fs.Float64Var(&b.applyRatio, "apply-ratio", 1.3, "budget: median apply time, tenant_config / floor")
	fs.Float64Var(&b.planCPUms, "plan-cpu-ms", 1.5, "budget: provider CPU time of a plan per tenant, ms")
	fs.Float64Var(&b.stateFactor, "state-factor", 2, "budget: state bytes per tenant / rendered YAML bytes")
	fs.Float64Var(&b.rssMiB, "rss-mib", 100, "budget: provider peak RSS in MiB")
	planScale := fs.String("plan-scale", "500,1000", "N and 2N of the plan's provider-share check (empty: none)")
	applyScale := fs.String("apply-scale", "", "N and 2N of the apply's provider-share check (empty: none)")
	_ = fs.Parse(args)
	if *results == "" {
		return false, errors.New("need -results")
	}
	b.scale = map[string][2]int{}
	for c, v := range map[string]string{"plan": *planScale, "apply": *applyScale} {
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
	var sts []stateSize
	if *states != "" {
		if sts, err = readStates(*states); err != nil {
			return false, err
		}
	}
	return report(w, runs, sts, b), nil
}

// stateSize is a line of the states file written by scripts/bench.sh: N,
// kind, then the key=value fields that `benchtool state` prints.
type stateSize struct {
	n                         int
	kind                      string
	perInstance, attrs, yamlB float64
}

func readStates(name string) ([]stateSize, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out []stateSize
	for i, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		st := stateSize{kind: fields[1]}
		if st.n, err = strconv.Atoi(fields[0]); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, i+1, err)
		}
		for _, f := range fields[2:] {
			k, v, _ := strings.Cut(f, "=")
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %s: %w", name, i+1, k, err)
			}
			switch k {
			case "state_per_instance":
				st.perInstance = x
			case "attributes_per_instance":
				st.attrs = x
			case "yaml_per_instance":
				st.yamlB = x
			}
		}
		out = append(out, st)
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

func (v *verdicts) check(name string, got, limit float64, format string) {
	switch {
	case math.IsNaN(got):
		fmt.Fprintf(v.w, "  SKIP  %-44s not measured\n", name)
	case got <= limit:
		fmt.Fprintf(v.w, "  PASS  %-44s "+format+" <= "+format+"\n", name, got, limit)
	default:
		v.failed = true
		fmt.Fprintf(v.w, "  FAIL  %-44s "+format+" >  "+format+"\n", name, got, limit)
	}
}

func report(w io.Writer, runs []run, states []stateSize, b budgets) bool {
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
	commands := []string{"plan", "apply"}
	budgetN := map[string]int{"plan": b.planN, "apply": b.applyN}

	fmt.Fprintln(w, "Terraform runs, medians (a = tenant_config, b = the floor: terraform_data fed the same")
	fmt.Fprintln(w, "rendered YAML from a map(string) variable). CPU = Terraform + provider, user + system;")
	fmt.Fprintln(w, "+ms/tenant = (a wall - b wall) / N; a TF CPU = Terraform's own CPU in a (a CPU - prov CPU),")
	fmt.Fprintln(w, "to compare with b CPU, all Terraform's; prov ms/t = the provider's CPU time / N.")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  %5s  %-5s  %6s  %8s  %8s  %6s  %10s  %-18s  %7s  %7s  %8s  %8s  %9s  %8s\n",
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
			fmt.Fprintf(w, "  %5d  %-5s  %6s  %8.2f  %8.2f  %6.2f  %10.2f  %-18s  %7.2f  %7.2f  %7.2fs  %7.2fs  %9.2f  %5.1fMiB\n",
				n, c, fmt.Sprintf("%d/%d", len(a), len(f)), a.median(wall), f.median(wall), a.median(wall)/f.median(wall),
				extraMS(a, f, n), strings.Join(pairs, " "), a.median(cpu), f.median(cpu), a.median(tfCPU), a.median(provCPU),
				a.median(provCPU)/float64(n)*1000, a.max(provRSS))
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Provider's own share, median a - median b (wall s), for twice the tenants:")
	shares := map[string]float64{}
	for _, c := range commands {
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
		fmt.Fprintln(w, "attributes alone, as compact JSON), next to the rendered YAML it carries:")
		for _, n := range ns {
			var a, f *stateSize
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
			yaml := 0.0
			if a != nil {
				yaml = a.yamlB
				line += fmt.Sprintf("  a %6.0f bytes (attributes %6.0f, x%.2f the YAML)", a.perInstance, a.attrs, a.perInstance/a.yamlB)
				if n == b.applyN {
					stateRatio = a.perInstance / a.yamlB
				}
			}
			if f != nil {
				yaml = f.yamlB
				line += fmt.Sprintf("  b %6.0f bytes (attributes %6.0f, x%.2f)", f.perInstance, f.attrs, f.perInstance/f.yamlB)
			}
			fmt.Fprintf(w, "%s  YAML %.0f bytes\n", line, yaml)
		}
	}

	fmt.Fprintln(w)
	at := func(n int) string {
		if n <= 0 {
			return "none run"
		}
		return fmt.Sprintf("N=%d", n)
	}
	fmt.Fprintf(w, "Budgets (plans: %s; applies and state: %s):\n", at(b.planN), at(b.applyN))
	v := &verdicts{w: w}
	ratio := func(c string) float64 {
		n := budgetN[c]
		return get(n, kindTenant, c).median(wall) / get(n, kindFloor, c).median(wall)
	}
	v.check("plan time, tenant_config / floor", ratio("plan"), b.planRatio, "%.2f")
	v.check("apply time, tenant_config / floor", ratio("apply"), b.applyRatio, "%.2f")
	v.check("provider CPU per tenant in plan, ms", get(b.planN, kindTenant, "plan").median(provCPU)/float64(b.planN)*1000,
		b.planCPUms, "%.2f")
	v.check("state bytes per tenant / rendered YAML bytes", stateRatio, b.stateFactor, "%.2f")
	peak := math.NaN()
	for _, c := range commands {
		if m := get(budgetN[c], kindTenant, c).max(provRSS); !math.IsNaN(m) && (math.IsNaN(peak) || m > peak) {
			peak = m
		}
	}
	v.check("provider peak RSS, MiB", peak, b.rssMiB, "%.1f")
	for _, c := range commands {
		name := c + ": provider share for x2 tenants"
		limit := 2.0
		if sc, ok := b.scale[c]; ok {
			name = fmt.Sprintf("%s: provider share N=%d -> N=%d", c, sc[0], sc[1])
			limit = float64(sc[1]) / float64(sc[0])
		}
		v.check(name, shares[c], limit, "x%.2f")
	}
	return !v.failed
}

// extraMS is the provider's extra wall time per tenant, in milliseconds:
// (median a - median b) / N.
func extraMS(a, f series, n int) float64 {
	return (a.median(wall) - f.median(wall)) / float64(n) * 1000
}
