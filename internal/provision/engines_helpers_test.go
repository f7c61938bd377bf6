package provision

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

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
