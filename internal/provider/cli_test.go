package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// cli runs the real terraform binary in a working directory against the
// provider served in-process (reattached, as terraform-plugin-testing does),
// for tests about what a user sees: the CLI's output, the state file and the
// provider's log.
type cli struct {
	t   *testing.T
	dir string
	env []string
	log string // the provider's log file (trace level)
}

// newCLI serves the provider in this process and returns a CLI bound to it.
// With withLog the provider logs at trace level into c.log; such a test
// cannot run in parallel, since the provider's log sink reads the process's
// environment.
func newCLI(t *testing.T, withLog bool) *cli {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test does)")
	}
	dir := t.TempDir()
	logFile := filepath.Join(dir, "provider.log")
	if withLog {
		t.Setenv("TF_ACC_LOG_PATH", logFile)
	}
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	go func() {
		_ = tf6server.Serve("registry.terraform.io/tenantry/tenant",
			newProtocol6Server(testProvider),
			tf6server.WithDebug(ctx, reattach, closed), tf6server.WithLoggingSink(t),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-reattach:
	case <-closed:
		t.Fatal("the provider server stopped before it started")
	}
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	info, err := json.Marshal(map[string]any{"registry.terraform.io/tenantry/tenant": map[string]any{
		"Protocol": cfg.Protocol, "ProtocolVersion": cfg.ProtocolVersion, "Pid": cfg.Pid, "Test": cfg.Test,
		"Addr": map[string]string{"Network": cfg.Addr.Network(), "String": cfg.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(info), "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1")
	return &cli{t: t, dir: filepath.Join(dir, "work"), env: env, log: logFile}
}

// write writes the working directory's files.
func (c *cli) write(files map[string]string) {
	c.t.Helper()
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		c.t.Fatal(err)
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(c.dir, name), []byte(text), 0o600); err != nil {
			c.t.Fatal(err)
		}
	}
}

// run runs terraform with args and returns its combined output; an exit
// code other than the ones listed (0 by default) fails the test.
func (c *cli) run(args []string, codes ...int) string {
	c.t.Helper()
	if len(codes) == 0 {
		codes = []int{0}
	}
	cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), args...)
	cmd.Dir, cmd.Env = c.dir, c.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	for _, want := range codes {
		if code == want {
			return out.String()
		}
	}
	c.t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, out.String())
	return ""
}

// requireTenant starts a configuration that uses this provider.
const requireTenant = `
terraform {
  required_providers {
    tenant = { source = "tenantry/tenant" }
  }
}
`

// providerLog returns what the provider logged so far.
func (c *cli) providerLog() string {
	c.t.Helper()
	data, err := os.ReadFile(c.log)
	if err != nil {
		c.t.Fatalf("reading the provider's log: %v", err)
	}
	return string(data)
}

// After apply, nothing has drifted: a refresh-only plan reports no drift and
// keeps every value, numbers of every kind in the summaries and the overrides
// included (refresh_numbers.go writes the state's numbers back as text).
func TestAccTenantConfig_refreshOnlyNoDrift(t *testing.T) {
	t.Parallel()
	w := newCLI(t, false)
	w.write(map[string]string{"main.tf": requireTenant + `
resource "tenant_config" "free" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = "free"
}

resource "tenant_config" "enterprise" {
  tenant_id   = "globex"
  tenant_name = "Globex"
  tier        = "enterprise"
  overrides = {
    databases  = { redis = { resources = { cpu_cores = 0.1, memory_gb = 0.064 } } }
    monitoring = { alerts = { storage_threshold = 85.5 } }
    custom     = { large = 12345678901234567890, negative = -3, ratio = 0.3 }
  }
}
`})
	w.run([]string{"init", "-no-color"})
	w.run([]string{"apply", "-auto-approve", "-no-color"})
	w.run([]string{"plan", "-detailed-exitcode", "-no-color"}) // exit 0: nothing to change
	// The exit code is TestAccTenantConfig_refreshOnlyExitCode's subject
	// (before 1.12 Terraform draws it at random); here: the refresh changes
	// no value.
	w.run([]string{"plan", "-refresh-only", "-detailed-exitcode", "-no-color", "-out=refresh"}, 0, 2)
	var plan struct {
		ResourceDrift []struct {
			Address string `json:"address"`
		} `json:"resource_drift"`
		PriorState struct {
			Values json.RawMessage `json:"values"`
		} `json:"prior_state"`
	}
	if err := json.Unmarshal([]byte(w.run([]string{"show", "-json", "refresh"})), &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan.ResourceDrift) > 0 || len(plan.PriorState.Values) == 0 {
		t.Errorf("a refresh right after apply reports drift in %v", plan.ResourceDrift)
	}
	state, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var before struct {
		Values json.RawMessage `json:"values"`
	}
	_ = json.Unmarshal([]byte(w.run([]string{"show", "-json"})), &before)
	if !bytes.Equal(normalizeJSON(t, before.Values), normalizeJSON(t, plan.PriorState.Values)) || len(state) == 0 {
		t.Error("the refreshed state differs from the state after apply")
	}
}

// normalizeJSON re-encodes JSON with sorted keys.
func normalizeJSON(t *testing.T, data []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	return out
}

// terraform validate finds an unknown key of overrides: the keys do not
// depend on the catalog, which validate has not loaded.
func TestAccTenantConfig_validateFindsUnknownKeys(t *testing.T) {
	t.Parallel()
	w := newCLI(t, false)
	w.write(map[string]string{"main.tf": requireTenant + `
variable "threshold" {
  type = number
}

resource "tenant_config" "test" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = "standard"
  overrides = {
    monitoring = { alerts = { storage_threshold = var.threshold }, levle = "basic", dashbords = {} }
  }
}
`})
	w.run([]string{"init", "-no-color"})
	out := w.run([]string{"validate", "-no-color"}, 1)
	if !expectError("Unknown keys at monitoring: dashbords, levle", `dashbords (did you mean "dashboards"?), levle (did you mean "level"?)`).MatchString(out) {
		t.Fatalf("terraform validate does not name the unknown keys:\n%s", out)
	}
}

// An import block with -generate-config-out writes a configuration that
// plans: the imported tenant's name is its id.
func TestAccTenantConfig_generateConfig(t *testing.T) {
	t.Parallel()
	w := newCLI(t, false)
	w.write(map[string]string{"main.tf": requireTenant + `
import {
  to = tenant_config.acme
  id = "acme:standard"
}
`})
	w.run([]string{"init", "-no-color"})
	w.run([]string{"plan", "-no-color", "-generate-config-out=generated.tf"})
	generated, err := os.ReadFile(filepath.Join(w.dir, "generated.tf"))
	if err != nil || !bytes.Contains(generated, []byte(`tenant_name`)) || !bytes.Contains(generated, []byte(`"acme"`)) {
		t.Fatalf("generated configuration (%v):\n%s", err, generated)
	}
	w.run([]string{"apply", "-auto-approve", "-no-color"})
	w.run([]string{"plan", "-no-color", "-detailed-exitcode"})
}

// A missing or invalid created_at in state is set at the next apply, and then
// stays.
func TestAccTenantConfig_createdAtRepaired(t *testing.T) {
	t.Parallel()
	w := newCLI(t, false)
	w.write(map[string]string{"main.tf": requireTenant + `
resource "tenant_config" "acme" {
  tenant_id   = "acme"
  tenant_name = "Acme"
  tier        = "free"
}
`})
	w.run([]string{"init", "-no-color"})
	w.run([]string{"apply", "-auto-approve", "-no-color"})
	file := filepath.Join(w.dir, "terraform.tfstate")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	broken := bytes.Replace(data, []byte(`"created_at": "`+testCreatedAt+`"`), []byte(`"created_at": "last tuesday"`), 1)
	if bytes.Equal(broken, data) {
		t.Fatal("the state holds no created_at to break")
	}
	if err := os.WriteFile(file, broken, 0o600); err != nil {
		t.Fatal(err)
	}
	w.run([]string{"plan", "-no-color", "-detailed-exitcode"}, 2)
	w.run([]string{"apply", "-auto-approve", "-no-color"})
	if got := readState(t, file)["tenant_config.acme"]["created_at"]; got != testCreatedAt {
		t.Errorf("created_at after the repair: %v", got)
	}
	w.run([]string{"plan", "-no-color", "-detailed-exitcode"})
}

// Changing one override value of an applied tenant plans as a short diff
// that a reviewer can read: the changed value inside rendered_json with the
// unchanged keys hidden, and the checksum; not the whole configuration.
func TestAccTenantConfig_oneValueChangePlan(t *testing.T) {
	t.Parallel()
	w := newCLI(t, false)
	config := func(threshold int) string {
		return requireTenant + fmt.Sprintf(`
resource "tenant_config" "acme" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = "premium"
  overrides   = { monitoring = { alerts = { storage_threshold = %d } } }
}
`, threshold)
	}
	w.write(map[string]string{"main.tf": config(85)})
	w.run([]string{"init", "-no-color"})
	w.run([]string{"apply", "-auto-approve", "-no-color"})
	w.write(map[string]string{"main.tf": config(90)})
	out := w.run([]string{"plan", "-no-color"})
	start := strings.Index(out, "# tenant_config.acme will be updated in-place")
	end := strings.Index(out, "Plan: 0 to add, 1 to change, 0 to destroy.")
	if start < 0 || end < start {
		t.Fatalf("not a plan of one in-place update:\n%s", out)
	}
	diff := strings.TrimSpace(out[start:end])
	if !regexp.MustCompile(`~ storage_threshold\s+= 85 -> 90`).MatchString(diff) || !strings.Contains(diff, "~ checksum") {
		t.Errorf("the plan does not show the changed value and the checksum:\n%s", diff)
	}
	lines := strings.Count(diff, "\n") + 1
	if lines > 40 {
		t.Errorf("a one-value change plans %d lines (at most 40):\n%s", lines, diff)
	}
	t.Logf("a one-value change plans %d lines:\n%s", lines, diff)
	for _, unchanged := range []string{"tenant_name", "limits", "databases", "isolation", "connection_count"} {
		if strings.Contains(diff, unchanged) {
			t.Errorf("the plan shows the unchanged %s:\n%s", unchanged, diff)
		}
	}
}
