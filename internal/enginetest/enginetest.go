// Package enginetest starts real PostgreSQL and Redis servers for tests: each
// server belongs to one test, listens only on a unix socket in the test's
// temporary folder, and is stopped when the test ends.
//
// A missing server binary skips the test loudly; with TENANT_REQUIRE_ENGINES=1
// (as CI sets) it fails it instead.
package enginetest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// RequireEnv is the environment variable that turns a missing engine binary
// from a skip into a failure.
const RequireEnv = "TENANT_REQUIRE_ENGINES"

// RequireBinaries returns the paths of the named binaries, or skips the test
// loudly (fails it when TENANT_REQUIRE_ENGINES=1) when one is missing.
func RequireBinaries(tb testing.TB, names ...string) map[string]string {
	tb.Helper()
	paths := map[string]string{}
	var missing []string
	for _, n := range names {
		p, err := exec.LookPath(n)
		if err != nil {
			// Debian's PostgreSQL packages keep the server binaries off PATH.
			found, _ := filepath.Glob(filepath.Join("/usr/lib/postgresql", "*", "bin", n))
			if len(found) > 0 {
				slices.Sort(found)
				paths[n] = found[len(found)-1]
				continue
			}
			missing = append(missing, n)
			continue
		}
		paths[n] = p
	}
	if len(missing) > 0 {
		msg := fmt.Sprintf("%s: %s not found on PATH: this test needs a real engine and is NOT run", tb.Name(), strings.Join(missing, ", "))
		if os.Getenv(RequireEnv) == "1" {
			tb.Fatalf("%s (%s=1 makes this a failure; install them, e.g. apt-get install redis-server postgresql)", msg, RequireEnv)
		}
		fmt.Fprintf(os.Stderr, "WARNING: %s; skipping (set %s=1 to fail instead)\n", msg, RequireEnv)
		tb.Skip(msg)
	}
	return paths
}

// dir is a fresh folder for a server's data and sockets that the server's
// user can use. Under root the server runs as the unprivileged postgres user
// (initdb refuses root).
func dir(tb testing.TB, owner *user.User) string {
	tb.Helper()
	d := tb.TempDir()
	for _, x := range []string{filepath.Dir(d), d} {
		if err := os.Chmod(x, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	if owner != nil {
		chown(tb, d, owner)
	}
	return d
}

func chown(tb testing.TB, path string, owner *user.User) {
	tb.Helper()
	uid, _ := strconv.Atoi(owner.Uid)
	gid, _ := strconv.Atoi(owner.Gid)
	if err := os.Chown(path, uid, gid); err != nil {
		tb.Fatal(err)
	}
}
