package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
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
// The provider logs at trace level into c.log. Not for parallel tests: the
// provider's log sink reads the process's environment.
func newCLI(t *testing.T) *cli {
	t.Helper()
	dir := t.TempDir()
	logFile := filepath.Join(dir, "provider.log")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
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
	env := append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(info), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
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

// providerLog returns what the provider logged so far.
func (c *cli) providerLog() string {
	c.t.Helper()
	data, err := os.ReadFile(c.log)
	if err != nil {
		c.t.Fatalf("reading the provider's log: %v", err)
	}
	return string(data)
}
