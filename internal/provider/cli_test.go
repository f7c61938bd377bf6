package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// The tests of this file run the terraform binary themselves, for what
// terraform-plugin-testing cannot observe (a command's exit code), with the
// provider served in-process as terraform-plugin-testing serves it.

const providerAddress = "registry.terraform.io/tenantry/tenant"

// cliWorkspace is a folder holding one configuration, and the environment
// in which terraform reaches the in-process provider.
type cliWorkspace struct {
	t   *testing.T
	dir string
	env []string
}

// newCLIWorkspace writes config (main.tf, which must require
// tenantry/tenant) into a new folder, serves the provider for it and runs
// terraform init.
func newCLIWorkspace(t *testing.T, config string) *cliWorkspace {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test does)")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(providerAddress,
			newProtocol6Server(&tenantProvider{version: "test", clock: testClock}),
			tf6server.WithDebug(ctx, reattach, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t))
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-reattach:
	case err := <-served:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	info, err := json.Marshal(map[string]any{providerAddress: map[string]any{
		"Protocol": cfg.Protocol, "ProtocolVersion": cfg.ProtocolVersion, "Pid": cfg.Pid, "Test": true,
		"Addr": map[string]string{"Network": cfg.Addr.Network(), "String": cfg.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	w := &cliWorkspace{t: t, dir: dir, env: append(os.Environ(),
		"TF_REATTACH_PROVIDERS="+string(info), "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1",
		"TF_DATA_DIR="+filepath.Join(dir, ".terraform"))}
	w.mustRun("init", "-backend=false")
	return w
}

// run runs terraform with args in the workspace and returns its exit code
// and combined output.
func (w *cliWorkspace) run(args ...string) (int, string) {
	w.t.Helper()
	cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), append([]string{"-chdir=" + w.dir}, args...)...)
	cmd.Env = w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String()
	}
	w.t.Fatalf("terraform %v: %v", args, err)
	return -1, ""
}

func (w *cliWorkspace) mustRun(args ...string) string {
	w.t.Helper()
	code, out := w.run(args...)
	if code != 0 {
		w.t.Fatalf("terraform %v exited %d:\n%s", args, code, out)
	}
	return out
}

// After apply, nothing has drifted: a refresh-only plan with
// -detailed-exitcode exits 0 (2 would mean drift) for every tier, numbers of
// every kind in the summaries and the overrides included.
func TestAccTenantConfig_refreshOnlyNoDrift(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, `
terraform {
  required_providers {
    tenant = { source = "tenantry/tenant" }
  }
}

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
`)
	w.mustRun("apply", "-auto-approve", "-no-color")
	for _, args := range [][]string{
		{"plan", "-refresh-only", "-detailed-exitcode", "-no-color"},
		{"plan", "-detailed-exitcode", "-no-color"},
	} {
		if code, out := w.run(args...); code != 0 {
			t.Errorf("terraform %v exited %d, want 0 (nothing changed since apply):\n%s", args, code, out)
		}
	}
}

// terraform validate finds an unknown key of overrides: the keys do not
// depend on the catalog, which validate has not loaded.
func TestAccTenantConfig_validateFindsUnknownKeys(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, `
terraform {
  required_providers {
    tenant = { source = "tenantry/tenant" }
  }
}

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
`)
	code, out := w.run("validate", "-no-color")
	if code != 1 || !expectError("Unknown keys at monitoring: dashbords, levle", `dashbords (did you mean "dashboards"?), levle (did you mean "level"?)`).MatchString(out) {
		t.Fatalf("terraform validate exited %d, want 1 with the unknown keys:\n%s", code, out)
	}
}
