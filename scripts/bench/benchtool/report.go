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
	n             int
	planRatio     float64
	applyRatio    float64
	stateFactor   float64
	rssMiB        float64
	scaleFrom     int
	scaleTo       int
	statePerInst  float64
	yamlPerInst   float64
	stateMeasured bool
}

func reportCmd(args []string, w io.Writer) (bool, error) {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	results := fs.String("results", "", "results file written by scripts/bench.sh")
	var b budgets
	fs.IntVar(&b.n, "budget-n", 1000, "N at which the budgets apply")
	fs.Float64Var(&b.planRatio, "plan-ratio", 1.8, "budget: median plan time, tenant_config / floor")
	fs.Float64Var(&b.applyRatio, "apply-ratio", 1.3, "budget: median apply time, tenant_config / floor")
	fs.Float64Var(&b.stateFactor, "state-factor", 2, "budget: state bytes per tenant / rendered YAML bytes")
	fs.Float64Var(&b.rssMiB, "rss-mib", 100, "budget: provider peak RSS in MiB")
	scale := fs.String("scale", "500,1000", "N and 2N for the provider-share check")
	fs.Float64Var(&b.statePerInst, "state-per-tenant", 0, "state bytes per tenant at budget N")
	fs.Float64Var(&b.yamlPerInst, "yaml-per-tenant", 0, "rendered YAML bytes per tenant at budget N")
	_ = fs.Parse(args)
	if *results == "" {
		return false, errors.New("need -results")
	}
	b.stateMeasured = b.statePerInst > 0 && b.yamlPerInst > 0
	from, to, ok := strings.Cut(*scale, ",")
	var err1, err2 error
	b.scaleFrom, err1 = strconv.Atoi(from)
	b.scaleTo, err2 = strconv.Atoi(to)
	if !ok || err1 != nil || err2 != nil || b.scaleFrom <= 0 || b.scaleTo <= b.scaleFrom {
		return false, fmt.Errorf("-scale %q: want N,M with 0 < N < M", *scale)
	}
	runs, err := readRuns(*results)
	if err != nil {
		return false, err
	}
	return report(w, runs, b), nil
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

func report(w io.Writer, runs []run, b budgets) bool {
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

	fmt.Fprintln(w, "Terraform runs: median wall time in seconds of each kind (a = tenant_config, b = floor:")
	fmt.Fprintln(w, "terraform_data with the same rendered YAML); CPU = Terraform + provider, user + system.")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  %5s  %-5s  %6s  %8s  %8s  %7s  %-22s  %8s  %8s  %9s  %9s\n",
		"N", "cmd", "rounds", "a wall s", "b wall s", "a/b", "a/b by round", "a CPU s", "b CPU s", "prov CPU", "prov RSS")
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
			fmt.Fprintf(w, "  %5d  %-5s  %6s  %8.2f  %8.2f  %7.2f  %-22s  %8.2f  %8.2f  %8.2fs  %6.1fMiB\n",
				n, c, fmt.Sprintf("%d/%d", len(a), len(f)), a.median(wall), f.median(wall), a.median(wall)/f.median(wall),
				strings.Join(pairs, " "), a.median(cpu), f.median(cpu), a.median(provCPU), a.max(provRSS))
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintf(w, "Provider's own share, median a - median b (wall s), at N=%d and N=%d:\n", b.scaleFrom, b.scaleTo)
	shares := map[string]float64{}
	for _, c := range commands {
		s1 := get(b.scaleFrom, kindTenant, c).median(wall) - get(b.scaleFrom, kindFloor, c).median(wall)
		s2 := get(b.scaleTo, kindTenant, c).median(wall) - get(b.scaleTo, kindFloor, c).median(wall)
		switch {
		case math.IsNaN(s1) || math.IsNaN(s2):
			shares[c] = math.NaN()
			fmt.Fprintf(w, "  %-5s  not measured at both N\n", c)
		case s1 <= 0:
			// No measurable share at N: the ratio means nothing, and
			// whatever the share at 2N is, it is not a doubling of a cost.
			shares[c] = math.NaN()
			fmt.Fprintf(w, "  %-5s  %.2f s -> %.2f s: no measurable share at N=%d\n", c, s1, s2, b.scaleFrom)
		default:
			shares[c] = s2 / s1
			fmt.Fprintf(w, "  %-5s  %.2f s -> %.2f s: x%.2f for x%.2f tenants\n", c, s1, s2, s2/s1, float64(b.scaleTo)/float64(b.scaleFrom))
		}
	}

	fmt.Fprintln(w)
	if b.stateMeasured {
		fmt.Fprintf(w, "State at N=%d: %.0f bytes per tenant for %.0f bytes of rendered YAML (x%.2f).\n",
			b.n, b.statePerInst, b.yamlPerInst, b.statePerInst/b.yamlPerInst)
		fmt.Fprintln(w)
	}

	fmt.Fprintf(w, "Budgets at N=%d:\n", b.n)
	v := &verdicts{w: w}
	ratio := func(c string) float64 {
		return get(b.n, kindTenant, c).median(wall) / get(b.n, kindFloor, c).median(wall)
	}
	v.check("plan time, tenant_config / floor", ratio("plan"), b.planRatio, "%.2f")
	v.check("apply time, tenant_config / floor", ratio("apply"), b.applyRatio, "%.2f")
	stateRatio := math.NaN()
	if b.stateMeasured {
		stateRatio = b.statePerInst / b.yamlPerInst
	}
	v.check("state bytes per tenant / rendered YAML bytes", stateRatio, b.stateFactor, "%.2f")
	peak := math.NaN()
	for _, c := range commands {
		if m := get(b.n, kindTenant, c).max(provRSS); !math.IsNaN(m) && (math.IsNaN(peak) || m > peak) {
			peak = m
		}
	}
	v.check("provider peak RSS, MiB", peak, b.rssMiB, "%.1f")
	limit := float64(b.scaleTo) / float64(b.scaleFrom)
	for _, c := range commands {
		v.check(fmt.Sprintf("%s: provider share N=%d -> N=%d", c, b.scaleFrom, b.scaleTo), shares[c], limit, "x%.2f")
	}
	return !v.failed
}
