// Command benchtool is the Go half of scripts/bench.sh: it writes the
// benchmark's Terraform configurations, extracts the rendered configurations
// from a plan, checks and sizes a state, reads what a plan's output shows,
// and turns the timings into medians, ratios and budget verdicts. It uses the
// standard library only.
//
//	benchtool config      -kind tenant|floor -n N -dir DIR [-layout for_each|blocks] [-rendered DIR] [-change ID]
//	benchtool extract     -plan PLAN.json -dir DIR [-only ID]
//	benchtool state       -state terraform.tfstate -rendered DIR
//	benchtool plan-output -log PLAN.txt [-tenant ID]
//	benchtool report      -results FILE [-states FILE] [-plans FILE] [budget flags]
//
// Each exits 2 on an error; report exits 1 when a budget fails.
//
// The tenants are generated, not random: tenant i has the same inputs at
// every N, so the rendered configurations of the largest N serve every N.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "config":
		err = configCmd(args)
	case "extract":
		err = extractCmd(args)
	case "state":
		err = stateCmd(args)
	case "plan-output":
		err = planOutputCmd(args)
	case "report":
		var ok bool
		ok, err = reportCmd(args, os.Stdout)
		if err == nil && !ok {
			os.Exit(1)
		}
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtool %s: %s\n", os.Args[1], err)
		os.Exit(2)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: benchtool config|extract|state|plan-output|report [flags] (see the package comment)")
	os.Exit(2)
}
