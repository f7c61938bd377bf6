package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// testClock is the clock of the provider under test: created_at is
// predictable.
var testClock = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

const testCreatedAt = "2026-01-02T03:04:05Z"

// testProvider makes the provider under test.
func testProvider() *tenantProvider { return &tenantProvider{version: "test", clock: testClock} }

// protocol6ServerWithError is newProtocol6Server in the form
// terraform-plugin-testing takes.
func protocol6ServerWithError(newProvider func() *tenantProvider) func() (tfprotov6.ProviderServer, error) {
	f := newProtocol6Server(newProvider)
	return func() (tfprotov6.ProviderServer, error) { return f(), nil }
}

// protoV6ProviderFactories runs the provider in-process, served as main
// serves it: no registry, no download.
var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"tenant": protocol6ServerWithError(testProvider),
}

// TestMain makes the acceptance tests (TF_ACC set) use the Terraform on PATH
// and never download one: without Terraform they fail loudly instead of
// skipping. Without TF_ACC only the unit tests run, and they need no
// Terraform.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") != "" && os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		tf, err := exec.LookPath("terraform")
		if err != nil {
			fmt.Fprintln(os.Stderr, "FAIL: TF_ACC is set, and the acceptance tests need the terraform binary on PATH (or TF_ACC_TERRAFORM_PATH); none was found. Install Terraform >= 1.11, or unset TF_ACC to run the unit tests only.")
			os.Exit(1)
		}
		_ = os.Setenv("TF_ACC_TERRAFORM_PATH", tf)
	}
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	_ = os.Setenv("TF_IN_AUTOMATION", "1")
	// An empty CLI configuration: no registry mirrors, no credentials, and
	// no warning about a missing ~/.terraformrc.
	var dir string
	if os.Getenv("TF_CLI_CONFIG_FILE") == "" {
		if d, err := os.MkdirTemp("", "tenant-acc-"); err == nil {
			dir = d
			cfg := filepath.Join(dir, "terraformrc")
			if os.WriteFile(cfg, nil, 0o600) == nil {
				_ = os.Setenv("TF_CLI_CONFIG_FILE", cfg)
			}
		}
	}
	code := m.Run()
	if dir != "" {
		_ = os.RemoveAll(dir)
	}
	os.Exit(code)
}

// expectError matches phrases in order, whatever line breaks Terraform puts
// between their words.
func expectError(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		parts[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}
