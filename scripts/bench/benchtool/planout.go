package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var (
	planSummary = regexp.MustCompile(`^Plan: (\d+) to add, (\d+) to change, (\d+) to destroy\.`)
	// A resource's header in a plan: "  # ADDRESS will be updated in-place",
	// "  # ADDRESS must be replaced", and so on.
	resourceHeader = regexp.MustCompile(`^\s*# (\S+) (will|must) be `)
	// An attribute of a resource's block, or the note on those hidden:
	// "      ~ NAME = ...", "        NAME = ...", "        # (N unchanged ...".
	blockAttribute = regexp.MustCompile(`^      (?:[ ~+-] ([A-Za-z0-9_]+)\s+=|  # \()`)
)

// planOutput is what `benchtool plan-output` reads from the -no-color output
// of `terraform plan`.
type planOutput struct {
	add, change, destroy int
	// lines is the number of lines that show the changes of the resources
	// whose address holds the -tenant id: from each one's header to its
	// closing brace (trailing blank lines left out).
	lines int
	// attrLines is the number of those lines that show the attributes named
	// by -attrs: from each one's first line to the line before the next
	// attribute of the block, blank lines left out.
	attrLines int
	// outputLines is the number of lines of the whole output.
	outputLines int
}

// parsePlanOutput reads a plan's output. A plan shows either "No changes."
// or "Plan: A to add, C to change, D to destroy."; anything else is an error.
func parsePlanOutput(text, tenantID string, attrs []string) (planOutput, error) {
	var p planOutput
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	p.outputLines = len(lines)
	summary := false
	counting, count := false, 0
	inAttr := false
	flush := func() {
		if counting {
			p.lines += count
		}
		counting, count, inAttr = false, 0, false
	}
	blank := 0
	for _, line := range lines {
		if m := planSummary.FindStringSubmatch(line); m != nil {
			flush()
			p.add, _ = strconv.Atoi(m[1])
			p.change, _ = strconv.Atoi(m[2])
			p.destroy, _ = strconv.Atoi(m[3])
			summary = true
			continue
		}
		if strings.HasPrefix(line, "No changes.") {
			summary = true
			continue
		}
		if m := resourceHeader.FindStringSubmatch(line); m != nil {
			flush()
			counting = tenantID != "" && strings.Contains(m[1], tenantID)
			blank = 0
		}
		if !counting {
			continue
		}
		if m := blockAttribute.FindStringSubmatch(line); m != nil {
			inAttr = m[1] != "" && slices.Contains(attrs, m[1])
		} else if strings.HasPrefix(line, "    }") {
			inAttr = false
		}
		if inAttr && strings.TrimSpace(line) != "" {
			p.attrLines++
		}
		if strings.TrimSpace(line) == "" {
			blank++
			continue
		}
		count += blank + 1
		blank = 0
	}
	flush()
	if !summary {
		return p, errors.New(`no "Plan:" or "No changes." line: not the output of a plan`)
	}
	return p, nil
}

// planOutputCmd prints, as key=value fields, the resource changes a plan's
// output announces and the lines that show the changes of one tenant.
func planOutputCmd(args []string) error {
	fs := flag.NewFlagSet("plan-output", flag.ExitOnError)
	log := fs.String("log", "", "the -no-color output of terraform plan")
	tenantID := fs.String("tenant", "", "count the lines of the changes of the resources whose address holds this id")
	attrs := fs.String("attrs", "", "comma-separated attribute names: count the lines of their changes in those resources too")
	_ = fs.Parse(args)
	if *log == "" {
		fs.Usage()
		return errors.New("need -log")
	}
	data, err := os.ReadFile(*log)
	if err != nil {
		return err
	}
	p, err := parsePlanOutput(string(data), *tenantID, strings.Split(*attrs, ","))
	if err != nil {
		return fmt.Errorf("%s: %w", *log, err)
	}
	fmt.Printf("add=%d change=%d destroy=%d lines=%d attr_lines=%d output_lines=%d\n",
		p.add, p.change, p.destroy, p.lines, p.attrLines, p.outputLines)
	return nil
}
