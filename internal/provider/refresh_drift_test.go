package provider

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// renderedAttribute is tenant_config's rendered configuration; the full one,
// secrets included, is renderedAttribute + "_sensitive".
const renderedAttribute = "rendered_json"

// Right after apply, `terraform plan -refresh-only -detailed-exitcode` exits
// 0, run after run, for tenants with and without secrets.
//
// Each run saves its plan, which holds the two states Terraform compares to
// decide the exit code: the state before refresh (tfstate-prev) and the
// state after it (tfstate). Where the two are the same in the plan file,
// sensitive attribute paths in the same order, the exit code must be 0: a 2
// then comes from what Terraform compares in memory only, the numbers
// (refresh_numbers.go). Terraform before 1.12 writes the sensitive paths of
// each object in an order it draws anew each time (hashicorp/terraform#36465),
// and counts a different order as a change: a run where the two orders
// differ says nothing about the provider, so on those versions the
// single-tenant cases run until enough runs drew the same order, and the
// fleet only checks that nothing but the order differs. From Terraform 1.12
// every run counts.
func TestAccTenantConfig_refreshOnlyExitCode(t *testing.T) {
	t.Parallel()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test does)")
	}
	sorted := sortsSensitivePaths(t)
	for _, tc := range []struct {
		name             string
		tenants, secrets int
		// runs that must compare equal, and the most runs to get them on a
		// Terraform that draws the order of sensitive paths (none: one run,
		// which must show no change but that order).
		want, most int
	}{
		{name: "one tenant without secrets", tenants: 1, secrets: 0, want: 2, most: 60},
		{name: "one tenant with secrets", tenants: 1, secrets: 1, want: 2, most: 60},
		{name: "fifty tenants", tenants: 50, secrets: 25, want: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newCLI(t, false)
			w.write(map[string]string{"main.tf": requireTenant + fleetConfig(tc.tenants, tc.secrets)})
			w.run([]string{"init", "-no-color"})
			w.run([]string{"apply", "-auto-approve", "-no-color"})
			most := tc.want
			if !sorted {
				most = max(tc.most, 1)
			}
			equal, runs := 0, 0
			for ; runs < most && equal < tc.want; runs++ {
				code, out := w.exitCode("plan", "-refresh-only", "-detailed-exitcode", "-no-color", "-input=false", "-out=refresh.tfplan")
				if code != 0 && code != 2 {
					t.Fatalf("run %d: terraform plan -refresh-only exited %d:\n%s", runs+1, code, out)
				}
				prev, prior := planStates(t, filepath.Join(w.dir, "refresh.tfplan"))
				if runs == 0 {
					checkSecretsInState(t, prior, tc.secrets)
				}
				switch {
				case bytes.Equal(canonicalResources(t, prev, false), canonicalResources(t, prior, false)):
					equal++
					if code != 0 {
						t.Fatalf("run %d: exit code %d after a refresh that changed nothing, sensitive paths in the same order; Terraform compared something only its memory holds (numbers written in binary by ReadResource?)\n%s", runs+1, code, out)
					}
				case bytes.Equal(canonicalResources(t, prev, true), canonicalResources(t, prior, true)):
					if sorted {
						t.Fatalf("run %d: the sensitive paths are in another order after refresh, on a Terraform that sorts them", runs+1)
					}
				default:
					t.Fatalf("run %d: the refresh changed the state:\nbefore %s\nafter  %s", runs+1, canonicalResources(t, prev, false), canonicalResources(t, prior, false))
				}
				if !strings.Contains(out, "No changes.") {
					t.Fatalf("run %d: the plan reports changes:\n%s", runs+1, out)
				}
			}
			t.Logf("%d of %d runs compared equal (exit code 0)", equal, runs)
			if tc.most > 0 && equal == 0 {
				t.Fatalf("in %d runs, Terraform never wrote the sensitive paths in the same order twice: nothing was checked", runs)
			}
		})
	}
}

// fleetConfig configures tenants tenant_config resources, the first secrets
// of them with secrets, every one with numbers of each kind in its state.
func fleetConfig(tenants, secrets int) string {
	return fmt.Sprintf(`
variable "db_password" {
  type      = string
  sensitive = true
  default   = "pw-7f3a9c41d2"
}

locals {
  tenants = { for i in range(%d) : format("t%%03d", i) => i < %d }
}

resource "tenant_config" "fleet" {
  for_each    = local.tenants
  tenant_id   = each.key
  tenant_name = "Tenant ${each.key}"
  tier        = "standard"
  overrides = {
    databases  = { redis = { resources = { memory_gb = 0.5 } } }
    monitoring = { alerts = { storage_threshold = 85.5 } }
    custom     = { count = 1000, negative = -3, tenth = 0.1, large = 12345678901234567890 }
  }
  sensitive_overrides = each.value ? {
    databases = { postgresql = { password = var.db_password } }
    custom    = { pin = 4321 }
  } : null
  sensitive_variables = each.value ? { API_TOKEN = var.db_password } : null
}
`, tenants, secrets)
}

// exitCode runs terraform with args and returns its exit code and combined
// output.
func (c *cli) exitCode(args ...string) (int, string) {
	c.t.Helper()
	cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), args...)
	cmd.Dir, cmd.Env = c.dir, c.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), out.String()
	}
	if err != nil {
		c.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return 0, out.String()
}

// sortsSensitivePaths tells whether the Terraform under test writes each
// object's sensitive attribute paths in a fixed order (1.12 and later).
func sortsSensitivePaths(t *testing.T) bool {
	t.Helper()
	out, err := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "version", "-json").Output()
	if err != nil {
		t.Fatalf("terraform version: %v", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("terraform version -json: %v", err)
	}
	parts := strings.SplitN(v.Version, ".", 3)
	if len(parts) < 2 {
		t.Fatalf("terraform version %q", v.Version)
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		t.Fatalf("terraform version %q", v.Version)
	}
	return major > 1 || major == 1 && minor >= 12
}

// stateFile is what the test reads of a state file.
type stateFile struct {
	Resources []struct {
		Type      string `json:"type"`
		Instances []struct {
			IndexKey            any               `json:"index_key"`
			Attributes          map[string]any    `json:"attributes"`
			SensitiveAttributes []json.RawMessage `json:"sensitive_attributes"`
		} `json:"instances"`
	} `json:"resources"`
}

// planStates returns the states a saved plan holds: before refresh and after.
func planStates(t *testing.T, planFile string) (prev, prior []byte) {
	t.Helper()
	zr, err := zip.OpenReader(planFile)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	read := func(name string) []byte {
		f, err := zr.Open(name)
		if err != nil {
			t.Fatalf("the saved plan has no %s: %v", name, err)
		}
		defer f.Close()
		data, err := io.ReadAll(f)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	return read("tfstate-prev"), read("tfstate")
}

// canonicalResources returns the resources of a state file as canonical JSON;
// with anyOrder, each object's sensitive attribute paths sorted.
func canonicalResources(t *testing.T, state []byte, anyOrder bool) []byte {
	t.Helper()
	var s struct {
		Resources []map[string]any `json:"resources"`
	}
	if err := json.Unmarshal(state, &s); err != nil {
		t.Fatal(err)
	}
	if anyOrder {
		for _, r := range s.Resources {
			instances, _ := r["instances"].([]any)
			for _, i := range instances {
				inst, _ := i.(map[string]any)
				paths, _ := inst["sensitive_attributes"].([]any)
				slices.SortFunc(paths, func(a, b any) int {
					ja, _ := json.Marshal(a)
					jb, _ := json.Marshal(b)
					return bytes.Compare(ja, jb)
				})
			}
		}
	}
	out, err := json.Marshal(s.Resources) // map keys sorted
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkSecretsInState checks that the state holds tenants with secrets (the
// full configuration set) and without (null), as configured: the test covers
// sensitive attributes both null and set.
func checkSecretsInState(t *testing.T, state []byte, secrets int) {
	t.Helper()
	var s stateFile
	if err := json.Unmarshal(state, &s); err != nil {
		t.Fatal(err)
	}
	with, without := 0, 0
	for _, r := range s.Resources {
		if r.Type != "tenant_config" {
			continue
		}
		for _, i := range r.Instances {
			if len(i.SensitiveAttributes) < 3 {
				t.Errorf("tenant %v: %d sensitive attribute paths in state, want at least 3", i.IndexKey, len(i.SensitiveAttributes))
			}
			if full, _ := i.Attributes[renderedAttribute+"_sensitive"].(string); full != "" {
				with++
			} else {
				without++
			}
		}
	}
	if with != secrets || with+without == 0 {
		t.Fatalf("%d tenants with secrets and %d without in state, want %d with", with, without, secrets)
	}
}
