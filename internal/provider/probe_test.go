package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Tests of what a hostile user can feed the provider: secrets that must not
// show in any message or log, tenant ids the engines refuse, oversized
// inputs, and the edges of the functions' arguments.

// renderedAttr is the attribute of tenant_config that holds the rendered
// configuration without secrets, as the tests below read it.
const renderedAttr = "rendered_json"

// planOutput writes main.tf and terraform.tfvars.json, runs terraform plan,
// which must exit with code, and returns what it printed.
func planOutput(c *cli, mainTF string, vars map[string]any, code int) string {
	c.t.Helper()
	files := map[string]string{"main.tf": requireTenant + mainTF, "terraform.tfvars.json": "{}"}
	if vars != nil {
		b, err := json.Marshal(vars)
		if err != nil {
			c.t.Fatal(err)
		}
		files["terraform.tfvars.json"] = string(b)
	}
	c.write(files)
	return c.run([]string{"plan", "-no-color", "-input=false"}, code)
}

// logText is what the provider logged so far ("" before its first line).
func logText(c *cli) string {
	data, _ := os.ReadFile(c.log)
	return string(data)
}

// oneLine joins Terraform's wrapped output into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// A value that came from a sensitive input never shows in a diagnostic or
// the provider's log, whatever the value became on the way: a number made
// by arithmetic, a string that interpolates a sensitive variable, a user name
// set in sensitive_overrides.
func TestAccProbe_secretsFollowTheirOrigin(t *testing.T) {
	c := newCLI(t, true)
	c.write(map[string]string{"main.tf": requireTenant})
	c.run([]string{"init", "-no-color"})
	cases := []struct {
		name, config string
		vars         map[string]any
		want         string   // a phrase of the error
		secrets      []string // texts that must show nowhere
	}{
		{
			name: "arithmetic on a sensitive number",
			config: `
variable "n1" {
  type      = number
  sensitive = true
}
resource "tenant_config" "t" {
  tenant_id           = "leak"
  tenant_name         = "Leak"
  tier                = "premium"
  sensitive_overrides = { databases = { postgresql = { resources = { cpu_cores = var.n1 * 100 } } } }
}`,
			vars:    map[string]any{"n1": 7.654321},
			want:    "exceeds the ceiling of tier premium",
			secrets: []string{"765.4321", "765,4321", "7.654321"},
		},
		{
			name: "a user name that interpolates a sensitive variable",
			config: `
variable "tok" {
  type      = string
  sensitive = true
}
resource "tenant_config" "t" {
  tenant_id           = "leak"
  tenant_name         = "Leak"
  tier                = "standard"
  sensitive_variables = { TOK = var.tok }
  overrides = { security = { access_control = { standard_users = [
    { username = "x$${TOK}", roles = ["tenant_user"], permissions = ["tenant:read"] },
  ] } } }
}`,
			vars:    map[string]any{"tok": "qz81tok"},
			want:    "does not belong to tenant leak",
			secrets: []string{"qz81tok"},
		},
		{
			name: "a user name set in sensitive_overrides",
			config: `
variable "s1" {
  type      = string
  sensitive = true
}
resource "tenant_config" "t" {
  tenant_id           = "leak"
  tenant_name         = "Leak"
  tier                = "standard"
  sensitive_overrides = { security = { access_control = { standard_users = [
    { username = var.s1, roles = ["tenant_user"], permissions = ["tenant:read"] },
  ] } } }
}`,
			vars:    map[string]any{"s1": "leakuser9"},
			want:    "does not belong to tenant leak",
			secrets: []string{"leakuser9"},
		},
		{
			name: "a bad privilege set in sensitive_overrides",
			config: `
variable "p" {
  type      = string
  sensitive = true
}
resource "tenant_config" "t" {
  tenant_id   = "leak"
  tenant_name = "Leak"
  tier        = "standard"
  sensitive_overrides = { security = { database_permissions = { postgresql = { privileges = {
    tenant_user = ["SELECT", var.p]
  } } } } }
}`,
			vars:    map[string]any{"p": "BOGUSPRIV"},
			want:    "privilege",
			secrets: []string{"BOGUSPRIV"},
		},
	}
	for _, tc := range cases {
		before := len(logText(c))
		out := planOutput(c, tc.config, tc.vars, 1)
		if !strings.Contains(oneLine(out), tc.want) {
			t.Errorf("%s: the plan does not say %q:\n%s", tc.name, tc.want, out)
		}
		logged := logText(c)[before:]
		for _, s := range tc.secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s: Terraform printed the secret %q:\n%s", tc.name, s, out)
			}
			if i := strings.Index(logged, s); i >= 0 {
				t.Errorf("%s: the provider logged the secret %q: ...%s...", tc.name, s, logged[max(0, i-200):min(len(logged), i+100)])
			}
		}
	}
}

// A problem of a value that sensitive_overrides set points at
// sensitive_overrides, as the same problem points at overrides when
// overrides set it; a sensitive number the configuration needs as a number
// stays a number.
func TestAccProbe_sensitiveOverridesProblemsPointAtThem(t *testing.T) {
	privileges := `{ security = { database_permissions = { postgresql = { privileges = {
    tenant_user = ["SELECT", "BOGUS"]
  } } } } }`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      tenantConfig("standard", "sensitive_overrides = "+privileges),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)privilege.*\n\s*\d+:\s+sensitive_overrides = `),
			},
			{
				Config:      tenantConfig("standard", "overrides = "+privileges),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)privilege.*\n\s*\d+:\s+overrides = `),
			},
			{
				// A sensitive connection limit is a number like any other:
				// the plan checks the full configuration.
				Config:             tenantConfig("standard", "sensitive_overrides = { databases = { postgresql = { resources = { max_connections = 50 } } } }"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// The configuration without secrets shows the number as the
				// marker: the artifacts derived from it say where the value
				// came from instead of reading the marker as a string.
				Config: tenantConfig("standard", "sensitive_overrides = { databases = { postgresql = { resources = { max_connections = 50 } } } }") +
					`output "sql" { value = provider::tenant::provisioning(tenant_config.test.rendered_json).postgresql }`,
				PlanOnly:    true,
				ExpectError: expectError("comes from a sensitive input", "rendered_json_sensitive"),
			},
		},
	})
}

// A tenant id whose derived names an engine reserves is refused at plan, on
// tenant_id, with the reason.
func TestAccProbe_reservedTenantIDs(t *testing.T) {
	for _, tc := range []struct{ id, why string }{
		{"pg_abc", "pg_"},
		{"pg_catalog", "pg_"},
		{"current", "current_user"},
		{"session", "session_user"},
	} {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: fmt.Sprintf(`
resource "tenant_config" "test" {
  tenant_id   = %q
  tenant_name = "Reserved"
  tier        = "standard"
}`, tc.id),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid tenant id.*\n\s*\d+:\s+tenant_id\s+= .*` + regexp.QuoteMeta(tc.why)),
			}},
		})
	}
}

// providerCost measures what the provider, served in this process, spends
// from now until the returned function is called: CPU time (Terraform runs
// as a child process and is not counted) and the peak resident set size,
// sampled (the process's own high-water mark would carry earlier cases').
func providerCost(t *testing.T) func() (time.Duration, int64) {
	t.Helper()
	debug.FreeOSMemory()
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			return 0
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	rss := func() int64 {
		data, err := os.ReadFile("/proc/self/statm")
		if err != nil {
			return 0
		}
		fields := strings.Fields(string(data))
		if len(fields) < 2 {
			return 0
		}
		pages, _ := strconv.ParseInt(fields[1], 10, 64)
		return pages * int64(os.Getpagesize())
	}
	start := cpu()
	var peak atomic.Int64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			if r := rss(); r > peak.Load() {
				peak.Store(r)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() (time.Duration, int64) {
		close(done)
		<-stopped
		return cpu() - start, peak.Load()
	}
}

// Every oversized input is refused with a short message, within the budget
// of provider CPU and memory. The inputs are a few times over the limits
// rather than at the sizes of the probe (100,000 keys), which cost Terraform
// itself minutes to evaluate; TestOversizedConfig and render's
// TestOversizedInputs take those sizes without Terraform. The protocol
// server answers with oversizedConfigDiagnostics before the framework
// decodes the value.
func TestAccProbe_oversizedInputs(t *testing.T) {
	c := newCLI(t, false)
	c.write(map[string]string{"main.tf": requireTenant})
	c.run([]string{"init", "-no-color"})
	huge := `format("%10000000s", "x")` // a 10 MB string
	cases := []struct {
		name, body, want string
		files            map[string]string
	}{
		{name: "a 10 MB region", body: "region = " + huge, want: "region"},
		{name: "a 10 MB recipient", body: "encrypt_to = [" + huge + "]", want: "encrypt_to"},
		{name: "a 10 MB string in custom", body: "overrides = { custom = { big = " + huge + " } }", want: "custom"},
		{name: "a 1 MB variable used 100 times", want: "variables",
			body: `variables = { BIG = format("%1000000s", "x") }
  overrides = { custom = { for i in range(100) : "k${i}" => "$${BIG}" } }`},
		{name: "a 60 KB variable used 100 times", want: "too large",
			body: `variables = { BIG = format("%60000s", "x") }
  overrides = { custom = { for i in range(100) : "k${i}" => "$${BIG}" } }`},
		{name: "30,000 keys in custom", want: "custom",
			body:  `overrides = { custom = jsondecode(file("${path.module}/keys.json")) }`,
			files: map[string]string{"keys.json": bigObject(30000, false)}},
		{name: "6,000 nested keys (36,000 values) in custom", want: "custom",
			body:  `overrides = { custom = jsondecode(file("${path.module}/nested.json")) }`,
			files: map[string]string{"nested.json": bigObject(6000, true)}},
		{name: "30,000 variables", want: "variables",
			body:  `variables = jsondecode(file("${path.module}/vars.json"))`,
			files: map[string]string{"vars.json": bigVariables(30000)}},
	}
	for _, tc := range cases {
		if tc.files != nil {
			c.write(tc.files)
		}
		cost := providerCost(t)
		start := time.Now()
		out := planOutput(c, `
resource "tenant_config" "t" {
  tenant_id   = "big"
  tenant_name = "Big"
  tier        = "premium"
  `+tc.body+`
}`, nil, 1)
		cpu, rss := cost()
		t.Logf("%s: refused in %s, provider CPU %s, provider peak RSS %d MB", tc.name, time.Since(start).Round(time.Millisecond), cpu.Round(time.Millisecond), rss>>20)
		if !strings.Contains(oneLine(out), tc.want) {
			t.Errorf("%s: the error does not name %q:\n%.3000s", tc.name, tc.want, out)
		}
		if len(out) > 20000 || strings.Contains(out, strings.Repeat(" ", 1000)) || strings.Contains(out, strings.Repeat("x", 1000)) {
			t.Errorf("%s: the error quotes the value (%d bytes):\n%.3000s", tc.name, len(out), out)
		}
		if cpu > 5*time.Second {
			t.Errorf("%s: the provider spent %s of CPU, want under 5 s", tc.name, cpu)
		}
		if rss > 300<<20 {
			t.Errorf("%s: provider peak RSS %d MB, want under 300 MB", tc.name, rss>>20)
		}
	}
}

// A 10 MB time zone is refused with a short message: ValidateConfig, which
// checks the time zone before the plan, quotes only its start.
func TestAccProbe_oversizedTimezone(t *testing.T) {
	c := newCLI(t, false)
	c.write(map[string]string{"main.tf": requireTenant})
	c.run([]string{"init", "-no-color"})
	for _, tc := range []struct{ size, want string }{
		{"10000000", "Argument timezone is too large"}, // refused before it is decoded
		{"60000", "is not an IANA time zone name"},     // within the limits: the check quotes its start
	} {
		out := planOutput(c, `
resource "tenant_config" "t" {
  tenant_id   = "big"
  tenant_name = "Big"
  tier        = "premium"
  timezone    = format("%`+tc.size+`s", "x")
}`, nil, 1)
		if !strings.Contains(oneLine(out), tc.want) || len(out) > 5000 {
			t.Errorf("a time zone of %s bytes: the error (%d bytes):\n%.3000s", tc.size, len(out), out)
		}
	}
}

// bigObject is a JSON object of n keys, each holding a number, or with
// nested, an object of two values.
func bigObject(n int, nested bool) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if nested {
			fmt.Fprintf(&b, `"k%d":{"a":[%d,"v"],"b":{"c":true}}`, i, i)
		} else {
			fmt.Fprintf(&b, `"k%d":%d`, i, i)
		}
	}
	b.WriteByte('}')
	return b.String()
}

func bigVariables(n int) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"V%d":"value %d"`, i, i)
	}
	b.WriteByte('}')
	return b.String()
}

// A number that does not fit a 64-bit float is refused wherever it is, with
// its path.
func TestAccProbe_hugeNumbers(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      tenantConfig("premium", `overrides = { custom = { x = 1e400 } }`),
				PlanOnly:    true,
				ExpectError: expectError("custom.x", "does not fit"),
			},
			{
				Config:      tenantConfig("premium", `overrides = { databases = { postgresql = { resources = { cpu_cores = 1e400 } } } }`),
				PlanOnly:    true,
				ExpectError: expectError("databases.postgresql.resources.cpu_cores", "does not fit"),
			},
		},
	})
}

// An imported tenant has no prior render: planning it into another tier than
// the import ID named is not judged as a migration.
func TestAccProbe_importIntoAnotherTier(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             tenantConfig("standard", ""),
				ResourceName:       addr,
				ImportState:        true,
				ImportStateId:      "acme:premium",
				ImportStatePersist: true,
			},
			{
				Config: tenantConfig("standard", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("tier"), knownvalue.StringExact("standard")),
				},
			},
		},
	})
}

// The downgrade error names allow_downgrade as the argument of tenant_config
// it is, whichever way the configuration is written.
func TestAccProbe_downgradeMessage(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: tenantConfig("premium", "")},
			{
				Config:      tenantConfig("standard", ""),
				ExpectError: expectError("set the argument allow_downgrade of this tenant_config resource to true"),
			},
		},
	})
}

// The functions read a rendered configuration with one strict parser: a
// duplicate key is refused by each, and their errors end with one full stop
// (Terraform adds it).
func TestAccProbe_functionsShareOneParser(t *testing.T) {
	// The export as YAML is a rendered configuration whatever the
	// attribute's format; a second tenant_info makes it a duplicate key.
	dup := tenantConfig("premium", "") + `
locals {
  dup = "${provider::tenant::export(tenant_config.test.` + renderedAttr + `, "yaml")}tenant_info:\n  tenant_id: other\n"
}
`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      dup + `output "x" { value = provider::tenant::export(local.dup, "json") }`,
				ExpectError: expectError(`duplicate key "tenant_info"`),
			},
			{
				Config:      dup + `output "x" { value = provider::tenant::validate_access(local.dup, "postgresql", "read") }`,
				ExpectError: expectError(`duplicate key "tenant_info"`),
			},
			{
				Config:      `output "x" { value = provider::tenant::export("{}", "toml") }`,
				ExpectError: regexp.MustCompile(`(?s)use "yaml" or\s+"json"[^.]*\.(?:[^.]|$)`),
			},
			{
				Config:      tenantConfig("premium", "") + `output "x" { value = provider::tenant::validate_access(tenant_config.test.` + renderedAttr + `, "postgres", "read") }`,
				ExpectError: regexp.MustCompile(`(?s)\(did you mean\s+"postgresql"\?\)\.(?:[^.]|$)`),
			},
			{
				Config:      `output "x" { value = provider::tenant::validate_access("a: 1", "postgresql", "read") }`,
				ExpectError: regexp.MustCompile(`(?s)of a\s+tenant_config\s+resource\.(?:[^.]|$)`),
			},
		},
	})
}
