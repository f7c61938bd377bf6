package provision

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/redis/go-redis/v9"
)

// requireEngineEnv is the environment variable that turns a missing engine
// binary from a skip into a failure (CI sets it).
const requireEngineEnv = "TENANT_REQUIRE_ENGINES"

// lookBinaries returns the paths of the named binaries, or skips the test
// loudly (fails it when TENANT_REQUIRE_ENGINES=1) when one is missing.
func lookBinaries(t *testing.T, names ...string) map[string]string {
	t.Helper()
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
		msg := fmt.Sprintf("%s: %s not found on PATH: the provisioning artifacts are NOT proven on a real engine", t.Name(), strings.Join(missing, ", "))
		if os.Getenv(requireEngineEnv) == "1" {
			t.Fatalf("%s (%s=1 makes this a failure; install them, e.g. apt-get install redis-server postgresql)", msg, requireEngineEnv)
		}
		fmt.Fprintf(os.Stderr, "WARNING: %s; skipping (set %s=1 to fail instead)\n", msg, requireEngineEnv)
		t.Skip(msg)
	}
	return paths
}

// engineDir is a fresh folder for a server's data and sockets that the
// server's user can use. Under root the server runs as the unprivileged
// postgres user (initdb refuses root).
func engineDir(t *testing.T, owner *user.User) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if owner != nil {
		uid, _ := strconv.Atoi(owner.Uid)
		gid, _ := strconv.Atoi(owner.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// pgServer is a PostgreSQL server of one test, on a unix socket in its own
// folder and no TCP port.
type pgServer struct {
	dir string
}

const pgPort = 5432

func startPostgres(t *testing.T) *pgServer {
	t.Helper()
	bins := lookBinaries(t, "initdb", "pg_ctl", "postgres")
	var owner *user.User
	var prefix []string
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root, the PostgreSQL server needs the unprivileged user postgres: %v", err)
		}
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			t.Fatalf("running as root, starting PostgreSQL as postgres needs runuser: %v", err)
		}
		owner, prefix = u, []string{runuser, "-u", "postgres", "--"}
	}
	dir := engineDir(t, owner)
	data := filepath.Join(dir, "data")
	run := func(args ...string) error {
		full := append(append([]string{}, prefix...), args...)
		cmd := exec.Command(full[0], full[1:]...)
		cmd.Dir = dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		return nil
	}
	if err := run(bins["initdb"], "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "-N"); err != nil {
		t.Fatal(err)
	}
	// The superuser comes in without a password over the private socket;
	// every other role needs its password (set out of band, as in use).
	hba := "local all postgres trust\nlocal all all scram-sha-256\n"
	conf := fmt.Sprintf("\nlisten_addresses = ''\nunix_socket_directories = '%s'\nport = %d\nfsync = off\nmax_connections = 40\npassword_encryption = 'scram-sha-256'\n", dir, pgPort)
	if err := os.WriteFile(filepath.Join(data, "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.WriteString(conf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if owner != nil {
		uid, _ := strconv.Atoi(owner.Uid)
		gid, _ := strconv.Atoi(owner.Gid)
		if err := os.Chown(filepath.Join(data, "pg_hba.conf"), uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	if err := run(bins["pg_ctl"], "-D", data, "-l", filepath.Join(dir, "server.log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		t.Fatalf("%v\n%s", err, log)
	}
	t.Cleanup(func() {
		if err := run(bins["pg_ctl"], "-D", data, "-m", "fast", "-w", "stop"); err != nil {
			t.Errorf("stopping PostgreSQL: %v", err)
		}
	})
	return &pgServer{dir: dir}
}

func (s *pgServer) connect(ctx context.Context, role, password string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(fmt.Sprintf("host=%s port=%d dbname=postgres sslmode=disable", s.dir, pgPort))
	if err != nil {
		return nil, err
	}
	cfg.User, cfg.Password = role, password
	return pgx.ConnectConfig(ctx, cfg)
}

// mustConnect connects as role or fails the test: a login that fails would
// make every later denial meaningless.
func (s *pgServer) mustConnect(t *testing.T, role, password string) *pgx.Conn {
	t.Helper()
	conn, err := s.connect(t.Context(), role, password)
	if err != nil {
		t.Fatalf("connecting as %s: %v", role, err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func exec1(t *testing.T, conn *pgx.Conn, sql string) {
	t.Helper()
	if _, err := conn.Exec(t.Context(), sql); err != nil {
		t.Fatalf("%v\nin:\n%s", err, sql)
	}
}

// sqlState is the SQLSTATE of a server error; "" for anything else.
func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// insufficientPrivilege is SQLSTATE 42501: "permission denied", "must be
// owner", "permission denied to set role". Only it counts as a denial.
const insufficientPrivilege = "42501"

// tryAs runs sql in a transaction of conn that is rolled back, and returns
// its error.
func tryAs(ctx context.Context, conn *pgx.Conn, sql string) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, sql)
	if rerr := tx.Rollback(ctx); err == nil && rerr != nil {
		err = rerr
	}
	return err
}

func queryStrings(t *testing.T, conn *pgx.Conn, sql string, args ...any) []string {
	t.Helper()
	rows, err := conn.Query(t.Context(), sql, args...)
	if err != nil {
		t.Fatalf("%v\nin: %s", err, sql)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("%v\nin: %s", err, sql)
	}
	return out
}

// redisServer is a Redis server of one test on a unix socket in its own
// folder (port 0: no TCP).
type redisServer struct {
	socket string
	cli    string
}

const opsPassword = "ops-password-for-tests"

func startRedis(t *testing.T) *redisServer {
	t.Helper()
	bins := lookBinaries(t, "redis-server", "redis-cli")
	dir := engineDir(t, nil)
	socket := filepath.Join(dir, "redis.sock")
	conf := fmt.Sprintf("port 0\nunixsocket %s\nunixsocketperm 700\ndir %s\nsave \"\"\nappendonly no\ndaemonize no\nlogfile %s\n",
		socket, dir, filepath.Join(dir, "redis.log"))
	confPath := filepath.Join(dir, "redis.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bins["redis-server"], confPath)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait() // after SHUTDOWN NOSAVE, or the kill below
		close(done)
	}()
	s := &redisServer{socket: socket, cli: bins["redis-cli"]}
	t.Cleanup(func() {
		c := s.client("ops", opsPassword)
		_ = c.Do(context.Background(), "SHUTDOWN", "NOSAVE").Err()
		_ = c.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	// Until setup ends, the default user is the only one; it is turned off
	// before any tenant user is tried.
	def := s.client("", "")
	defer func() { _ = def.Close() }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := def.Ping(t.Context()).Err()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "redis.log"))
			t.Fatalf("redis-server did not answer on %s: %v\n%s", socket, err, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := def.Do(t.Context(), "ACL", "SETUSER", "ops", "reset", "on", ">"+opsPassword, "~*", "&*", "+@all").Err(); err != nil {
		t.Fatal(err)
	}
	return s
}

// client is a go-redis client that authenticates as user (none when user is
// empty) with RESP2 and no client-identity commands, so that the only
// commands sent are the test's own.
func (s *redisServer) client(user, password string) *redis.Client {
	return redis.NewClient(&redis.Options{
		Network: "unix", Addr: s.socket,
		Username: user, Password: password,
		Protocol: 2, DisableIdentity: true,
		PoolSize: 1, MaxRetries: -1,
		DialTimeout: 5 * time.Second, ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second,
	})
}

// applyACL feeds the artifact to redis-cli as the ops user: it is valid
// redis-cli input, one command per line, each answered OK.
func (s *redisServer) applyACL(t *testing.T, acl string) {
	t.Helper()
	cmd := exec.Command(s.cli, "-s", s.socket, "--user", "ops", "--pass", opsPassword, "--no-auth-warning")
	cmd.Stdin = strings.NewReader(acl)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("redis-cli: %v\n%s", err, out)
	}
	lines := strings.Count(strings.TrimSpace(acl), "\n") + 1
	if got := strings.Fields(string(out)); len(got) != lines || strings.Count(string(out), "OK") != lines {
		t.Fatalf("redis-cli answered %q to %d ACL lines", out, lines)
	}
}
