package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const changePlan = `tenant_config.t["tenant_00002"]: Refreshing state... [id=tenant_00002]
tenant_config.t["tenant_00001"]: Refreshing state... [id=tenant_00001]

Terraform used the selected providers to generate the following execution
plan. Resource actions are indicated with the following symbols:
  ~ update in-place

Terraform will perform the following actions:

  # tenant_config.t["tenant_00001"] will be updated in-place
  ~ resource "tenant_config" "t" {
      ~ checksum      = "aa" -> "bb"
        id            = "tenant_00001"
      ~ rendered_json = jsonencode(
          ~ {
              ~ monitoring = {
                  ~ storage_threshold = 70 -> 71
                }
                # (12 unchanged attributes hidden)
            }
        )

        # (9 unchanged attributes hidden)
    }

  # tenant_config.t["tenant_00010"] must be replaced
-/+ resource "tenant_config" "t" {
        id = "tenant_00010"
    }

Plan: 1 to add, 1 to change, 1 to destroy.
`

func TestParsePlanOutput(t *testing.T) {
	p, err := parsePlanOutput(changePlan, "tenant_00001", []string{"rendered_json", "input"})
	if err != nil {
		t.Fatal(err)
	}
	// The header to the closing brace, the blank line inside included, the
	// other resource's block and the blank line after it left out; of
	// them, rendered_json's, from its name to its closing parenthesis.
	want := planOutput{add: 1, change: 1, destroy: 1, lines: 15, attrLines: 8, outputLines: 31}
	if p != want {
		t.Errorf("got %+v, want %+v", p, want)
	}

	p, err = parsePlanOutput(changePlan, "tenant_00010", nil)
	if err != nil || p.lines != 4 {
		t.Errorf("tenant_00010: got %+v, %v; want 4 lines", p, err)
	}

	p, err = parsePlanOutput("x: Refreshing state...\n\nNo changes. Your infrastructure matches the configuration.\n", "tenant_00001", nil)
	if err != nil || p != (planOutput{outputLines: 3}) {
		t.Errorf("no changes: got %+v, %v", p, err)
	}

	if _, err := parsePlanOutput("Error: something failed\n", "", nil); err == nil {
		t.Error("an output with neither Plan: nor No changes. was read as a plan")
	}
}

func TestConfigChange(t *testing.T) {
	dir := t.TempDir()
	write := func(sub string, extra ...string) map[string]tenant {
		t.Helper()
		args := append([]string{"-kind", "tenant", "-n", "4", "-dir", filepath.Join(dir, sub)}, extra...)
		if err := configCmd(args); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dir, sub, "terraform.tfvars.json"))
		if err != nil {
			t.Fatal(err)
		}
		var v struct{ Tenants map[string]tenant }
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		return v.Tenants
	}
	threshold := func(tn tenant) any {
		return tn.Overrides["monitoring"].(map[string]any)["alerts"].(map[string]any)["storage_threshold"]
	}
	before, after := write("a"), write("b", "-change", "tenant_00004")
	for id, tn := range before {
		if id == "tenant_00004" {
			if threshold(tn) != 73.0 || threshold(after[id]) != 74.0 {
				t.Errorf("%s: storage_threshold %v -> %v, want 73 -> 74", id, threshold(tn), threshold(after[id]))
			}
			continue
		}
		a, _ := json.Marshal(tn)
		b, _ := json.Marshal(after[id])
		if string(a) != string(b) {
			t.Errorf("%s changed too: %s -> %s", id, a, b)
		}
	}
	if err := configCmd([]string{"-kind", "tenant", "-n", "4", "-dir", dir, "-change", "tenant_00002"}); err == nil ||
		!strings.Contains(err.Error(), "no storage_threshold") {
		t.Errorf("a tenant without overrides: got %v", err)
	}
	if err := configCmd([]string{"-kind", "tenant", "-n", "4", "-dir", dir, "-change", "tenant_00007"}); err == nil {
		t.Error("a tenant beyond N was accepted")
	}
}

func TestStateChecksTheRenderedBytes(t *testing.T) {
	dir := t.TempDir()
	rendered := filepath.Join(dir, "rendered")
	if err := os.MkdirAll(rendered, 0o755); err != nil {
		t.Fatal(err)
	}
	const text = `{"tenant_info":{"tenant_id":"tenant_00001"}}`
	if err := os.WriteFile(filepath.Join(rendered, "tenant_00001.json"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	state := func(name, attrs string) string {
		p := filepath.Join(dir, name)
		s := `{"resources":[{"type":"terraform_data","name":"t","instances":[{"index_key":"tenant_00001","attributes":` + attrs + `}]}]}`
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	quoted, _ := json.Marshal(text)
	good := state("good.tfstate", `{"input":{"value":`+string(quoted)+`,"type":"string"}}`)
	if err := stateCmd([]string{"-state", good, "-rendered", rendered}); err != nil {
		t.Errorf("the same bytes: %v", err)
	}
	quoted, _ = json.Marshal(text + "\n")
	bad := state("bad.tfstate", `{"input":{"value":`+string(quoted)+`,"type":"string"}}`)
	if err := stateCmd([]string{"-state", bad, "-rendered", rendered}); err == nil {
		t.Error("a state with other bytes than the rendered_json passed")
	}
}

func TestReportBudgets(t *testing.T) {
	b := budgets{
		n:           map[string]int{cmdPlan: 1000, cmdSteady: 300, cmdChange: 300, cmdApply: 300},
		planRatio:   2.5,
		steadyRatio: 2.2,
		applyRatio:  1.0,
		stateFactor: 2,
		rssMiB:      100,
		changeLines: 40,
		scale:       map[string][2]int{},
	}
	r := func(n int, kind, cmd string, wall, provCPU float64) run {
		return run{n: n, kind: kind, command: cmd, round: 1, wall: wall, cpu: wall, provCPU: provCPU, provRSSKB: 50 * 1024}
	}
	runs := []run{
		r(1000, kindTenant, cmdPlan, 8, 3), r(1000, kindFloor, cmdPlan, 4, 0),
		r(300, kindTenant, cmdSteady, 3, 0.6), r(300, kindFloor, cmdSteady, 1, 0),
		r(300, kindTenant, cmdChange, 3, 0.6), r(300, kindFloor, cmdChange, 1, 0),
		r(300, kindTenant, cmdApply, 30, 3), r(300, kindFloor, cmdApply, 30, 0),
	}
	states := []facts{
		{n: 300, kind: kindTenant, v: map[string]float64{"state_per_instance": 9000, "rendered_per_instance": 5000}},
	}
	plans := []facts{
		{n: 300, kind: kindTenant, command: cmdSteady, v: map[string]float64{"add": 0, "change": 0, "destroy": 0}},
		{n: 300, kind: kindTenant, command: cmdChange, v: map[string]float64{"add": 0, "change": 1, "destroy": 0, "lines": 17, "attr_lines": 9}},
		{n: 300, kind: kindFloor, command: cmdChange, v: map[string]float64{"add": 0, "change": 1, "destroy": 0, "lines": 30, "attr_lines": 8}},
	}
	var out strings.Builder
	ok := report(&out, runs, states, plans, b)
	text := out.String()
	for _, want := range []string{
		"PASS  creating plan time, tenant_config / floor            2.00 <= 2.50   provider CPU 3.00 ms/tenant",
		"FAIL  steady-state plan time, tenant_config / floor        3.00 >  2.20   provider CPU 2.00 ms/tenant",
		"PASS  apply time, tenant_config / floor                    1.00 <= 1.00",
		"PASS  state bytes per tenant / rendered_json bytes         1.80 <= 2.00",
		"PASS  provider peak RSS, MiB                               50.0 <= 100.0",
		"PASS  plan lines of one changed override value             17 <= 40",
		"PASS  resources changed in the steady-state plans          0 <= 0",
		"PASS  one-change plans that change other than one resource 0 <= 0",
		"a 17 (of them rendered_json's 9), b 30 (of them input's 8)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	if ok {
		t.Error("a failed budget did not fail the report")
	}

	// A steady-state plan that changes something, and a change plan that
	// replaces, fail.
	plans[0].v["change"] = 2
	plans[1].v["add"], plans[1].v["destroy"] = 1, 1
	runs[2].wall = 2
	out.Reset()
	ok = report(&out, runs, states, plans, b)
	text = out.String()
	for _, want := range []string{
		"PASS  steady-state plan time",
		"FAIL  resources changed in the steady-state plans          2 >  0",
		"FAIL  one-change plans that change other than one resource 1 >  0",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	if ok {
		t.Error("a steady-state plan with changes did not fail the report")
	}
}
