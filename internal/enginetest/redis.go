package enginetest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
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
	// ACLFile is the server's aclfile; empty when it has none.
	ACLFile string

	server   string
	confPath string
	mu       sync.Mutex
	cmd      *exec.Cmd
	done     chan struct{}
}

// RedisOption changes how StartRedis configures the server.
type RedisOption func(*redisConfig)

type redisConfig struct{ aclFile bool }

// WithACLFile starts the server with an aclfile (users.acl in its folder),
// so that ACL SAVE persists the users across a restart.
func WithACLFile() RedisOption { return func(c *redisConfig) { c.aclFile = true } }

// StartRedis starts a server, shut down when the test ends.
func StartRedis(tb testing.TB, opts ...RedisOption) *Redis {
	tb.Helper()
	var rc redisConfig
	for _, o := range opts {
		o(&rc)
	}
	bins := RequireBinaries(tb, "redis-server", "redis-cli")
	d := dir(tb, nil)
	socket := filepath.Join(d, "redis.sock")
	conf := fmt.Sprintf("port 0\nunixsocket %s\nunixsocketperm 700\ndir %s\nsave \"\"\nappendonly no\ndaemonize no\nlogfile %s\n",
		socket, d, filepath.Join(d, "redis.log"))
	s := &Redis{Socket: socket, CLI: bins["redis-cli"], Dir: d, server: bins["redis-server"], confPath: filepath.Join(d, "redis.conf")}
	if rc.aclFile {
		s.ACLFile = filepath.Join(d, "users.acl")
		if err := os.WriteFile(s.ACLFile, nil, 0o600); err != nil {
			tb.Fatal(err)
		}
		conf += fmt.Sprintf("aclfile %s\n", s.ACLFile)
	}
	if err := os.WriteFile(s.confPath, []byte(conf), 0o600); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.stop() })
	s.start(tb)
	return s
}

// start runs the server and waits until it answers; then it makes sure the
// ops user exists (after a restart it does only when an aclfile kept it).
func (s *Redis) start(tb testing.TB) {
	tb.Helper()
	cmd := exec.Command(s.server, s.confPath)
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait() // after SHUTDOWN NOSAVE, or the kill in stop
		close(done)
	}()
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	ctx := context.Background()
	ops := s.Client(OpsUser, OpsPassword)
	defer func() { _ = ops.Close() }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := ops.Ping(ctx).Err()
		if err == nil {
			return // the aclfile kept the ops user
		}
		if strings.HasPrefix(err.Error(), "WRONGPASS") {
			break // up, without the ops user
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(s.Dir, "redis.log"))
			tb.Fatalf("redis-server did not answer on %s: %v\n%s", s.Socket, err, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	def := s.Client("", "")
	defer func() { _ = def.Close() }()
	if err := def.Do(ctx, "ACL", "SETUSER", OpsUser, "reset", "on", ">"+OpsPassword, "~*", "&*", "+@all").Err(); err != nil {
		tb.Fatal(err)
	}
}

// stop shuts the server down without saving and waits for it.
func (s *Redis) stop() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	c := s.Client(OpsUser, OpsPassword)
	_ = c.Do(context.Background(), "SHUTDOWN", "NOSAVE").Err()
	_ = c.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// Restart stops the server and starts it again on the same socket: the
// users it held in memory are gone, those in its aclfile (WithACLFile, after
// ACL SAVE) are loaded again. The default user is on, without a password,
// unless the aclfile says otherwise.
func (s *Redis) Restart(tb testing.TB) {
	tb.Helper()
	s.stop()
	_ = os.Remove(s.Socket)
	s.start(tb)
}

// URL is the server's address as a unix:// URL.
func (s *Redis) URL() string { return "unix://" + s.Socket }

// Client is a go-redis client that authenticates as user (none when user is
// empty) with RESP2 and no client-identity commands, so that the only
// commands sent are the test's own.
func (s *Redis) Client(user, password string) *redis.Client {
	return s.ClientProtocol(2, user, password)
}

// ClientProtocol is Client with RESP version protocol (2 or 3).
func (s *Redis) ClientProtocol(protocol int, user, password string) *redis.Client {
	return redis.NewClient(&redis.Options{
		Network: "unix", Addr: s.Socket,
		Username: user, Password: password,
		Protocol: protocol, DisableIdentity: true,
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
