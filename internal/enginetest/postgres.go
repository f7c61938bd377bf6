package enginetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// PostgresPort is the port number of the servers' socket files
// (.s.PGSQL.5432); no server listens on TCP.
const PostgresPort = 5432

// Postgres is a PostgreSQL server of one test, on a unix socket in Dir and no
// TCP port. The superuser postgres logs in without a password over the
// socket; every other role needs its password (scram-sha-256).
type Postgres struct {
	Dir string
}

// StartPostgres initializes and starts a server, stopped when the test ends.
func StartPostgres(tb testing.TB) *Postgres {
	tb.Helper()
	bins := RequireBinaries(tb, "initdb", "pg_ctl", "postgres")
	var owner *user.User
	var prefix []string
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			tb.Fatalf("running as root, the PostgreSQL server needs the unprivileged user postgres: %v", err)
		}
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			tb.Fatalf("running as root, starting PostgreSQL as postgres needs runuser: %v", err)
		}
		owner, prefix = u, []string{runuser, "-u", "postgres", "--"}
	}
	d := dir(tb, owner)
	data := filepath.Join(d, "data")
	run := func(args ...string) error {
		full := append(append([]string{}, prefix...), args...)
		cmd := exec.Command(full[0], full[1:]...)
		cmd.Dir = d
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		return nil
	}
	if err := run(bins["initdb"], "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "-N"); err != nil {
		tb.Fatal(err)
	}
	hba := "local all postgres trust\nlocal all all scram-sha-256\n"
	conf := fmt.Sprintf("\nlisten_addresses = ''\nunix_socket_directories = '%s'\nport = %d\nfsync = off\nmax_connections = 100\npassword_encryption = 'scram-sha-256'\n", d, PostgresPort)
	if err := os.WriteFile(filepath.Join(data, "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		tb.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	_, err = f.WriteString(conf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tb.Fatal(err)
	}
	if owner != nil {
		chown(tb, filepath.Join(data, "pg_hba.conf"), owner)
	}
	if err := run(bins["pg_ctl"], "-D", data, "-l", filepath.Join(d, "server.log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(d, "server.log"))
		tb.Fatalf("%v\n%s", err, log)
	}
	tb.Cleanup(func() {
		if err := run(bins["pg_ctl"], "-D", data, "-m", "fast", "-w", "stop"); err != nil {
			tb.Errorf("stopping PostgreSQL: %v", err)
		}
	})
	return &Postgres{Dir: d}
}

// DSN is a libpq connection string for role on database dbname.
func (s *Postgres) DSN(dbname, role string) string {
	return fmt.Sprintf("host=%s port=%d dbname=%s user=%s sslmode=disable", s.Dir, PostgresPort, dbname, role)
}

// Connect connects to the database postgres as role.
func (s *Postgres) Connect(ctx context.Context, role, password string) (*pgx.Conn, error) {
	return s.ConnectDB(ctx, "postgres", role, password)
}

// ConnectDB connects to database dbname as role.
func (s *Postgres) ConnectDB(ctx context.Context, dbname, role, password string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(s.DSN(dbname, role))
	if err != nil {
		return nil, err
	}
	cfg.Password = password
	return pgx.ConnectConfig(ctx, cfg)
}

// MustConnect connects as role or fails the test: a login that fails would
// make every later denial meaningless. The connection closes with the test.
func (s *Postgres) MustConnect(tb testing.TB, role, password string) *pgx.Conn {
	tb.Helper()
	conn, err := s.Connect(context.Background(), role, password)
	if err != nil {
		tb.Fatalf("connecting as %s: %v", role, err)
	}
	tb.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// InsufficientPrivilege is SQLSTATE 42501: "permission denied", "must be
// owner", "permission denied to set role".
const InsufficientPrivilege = "42501"

// SQLState is the SQLSTATE of a server error; "" for anything else.
func SQLState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// Denied reports a permission denial (InsufficientPrivilege): the only
// failure that counts as a denial in an isolation test. Any other error (a
// typo, a missing table, a refused login) proves nothing.
func Denied(err error) bool { return SQLState(err) == InsufficientPrivilege }

// Try runs sql in a transaction of conn that is rolled back, and returns
// its error.
func Try(ctx context.Context, conn *pgx.Conn, sql string) error {
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
