package main

import (
	"os"
	"strings"
	"testing"
)

// Without any TF_LOG* variable the framework's own logs are off; any of
// them leaves logging as the framework sets it up.
func TestQuietFrameworkLogs(t *testing.T) {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") {
			t.Setenv(name, "") // restored when the test ends
			if err := os.Unsetenv(name); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Setenv("TF_LOG_SDK", "")
	if err := os.Unsetenv("TF_LOG_SDK"); err != nil {
		t.Fatal(err)
	}
	quietFrameworkLogs()
	if got := os.Getenv("TF_LOG_SDK"); got != "off" {
		t.Errorf("without TF_LOG*: TF_LOG_SDK=%q, want off", got)
	}

	if err := os.Unsetenv("TF_LOG_SDK"); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_LOG_PROVIDER", "debug")
	quietFrameworkLogs()
	if got, set := os.LookupEnv("TF_LOG_SDK"); set {
		t.Errorf("with TF_LOG_PROVIDER set: TF_LOG_SDK=%q, want it left unset", got)
	}
}
