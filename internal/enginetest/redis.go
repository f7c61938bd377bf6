package enginetest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// The administrator of the test servers: a user with every right, made at
// start; the default user stays as Redis sets it up until a test turns it off.
const (
	OpsUser     = "ops"
	OpsPassword = "ops-password-for-tests"
)

// Redis is a Redis server of one test on a unix socket in its own folder
// (port 0: no TCP).
type Redis struct {
	Socket string
	CLI    string
	Dir    string
}

// StartRedis starts a server, shut down when the test ends.
func StartRedis(tb testing.TB) *Redis {
	tb.Helper()
	bins := RequireBinaries(tb, "redis-server", "redis-cli")
	d := dir(tb, nil)
	socket := filepath.Join(d, "redis.sock")
	conf := fmt.Sprintf("port 0\nunixsocket %s\nunixsocketperm 700\ndir %s\nsave \"\"\nappendonly no\ndaemonize no\nlogfile %s\n",
		socket, d, filepath.Join(d, "redis.log"))
	confPath := filepath.Join(d, "redis.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(bins["redis-server"], confPath)
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait() // after SHUTDOWN NOSAVE, or the kill below
		close(done)
	}()
	s := &Redis{Socket: socket, CLI: bins["redis-cli"], Dir: d}
	tb.Cleanup(func() {
		c := s.Client(OpsUser, OpsPassword)
		_ = c.Do(context.Background(), "SHUTDOWN", "NOSAVE").Err()
		_ = c.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	def := s.Client("", "")
	defer func() { _ = def.Close() }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := def.Ping(context.Background()).Err()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(d, "redis.log"))
			tb.Fatalf("redis-server did not answer on %s: %v\n%s", socket, err, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := def.Do(context.Background(), "ACL", "SETUSER", OpsUser, "reset", "on", ">"+OpsPassword, "~*", "&*", "+@all").Err(); err != nil {
		tb.Fatal(err)
	}
	return s
}

// Client is a go-redis client that authenticates as user (none when user is
// empty) with RESP2 and no client-identity commands, so that the only
// commands sent are the test's own.
func (s *Redis) Client(user, password string) *redis.Client {
	return redis.NewClient(&redis.Options{
		Network: "unix", Addr: s.Socket,
		Username: user, Password: password,
		Protocol: 2, DisableIdentity: true,
		PoolSize: 1, MaxRetries: -1,
		DialTimeout: 5 * time.Second, ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second,
	})
}

// ApplyACL feeds acl to redis-cli as the ops user: valid redis-cli input, one
// command per line, each answered OK.
func (s *Redis) ApplyACL(tb testing.TB, acl string) {
	tb.Helper()
	cmd := exec.Command(s.CLI, "-s", s.Socket, "--user", OpsUser, "--pass", OpsPassword, "--no-auth-warning")
	cmd.Stdin = strings.NewReader(acl)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("redis-cli: %v\n%s", err, out)
	}
	lines := strings.Count(strings.TrimSpace(acl), "\n") + 1
	if got := strings.Fields(string(out)); len(got) != lines || strings.Count(string(out), "OK") != lines {
		tb.Fatalf("redis-cli answered %q to %d ACL lines", out, lines)
	}
}
