package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/jackc/pgx/v5"
)

func TestPGConnectorSettings(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }

	// No block and no PGHOST: an error that names the block.
	c := &pgConnector{getenv: getenv}
	if _, _, err := c.Database(); err == nil || !strings.Contains(err.Error(), "`postgresql` block") {
		t.Errorf("no block, no PGHOST: %v", err)
	}
	var none *pgConnector
	if _, err := none.check(); err == nil {
		t.Error("an unconfigured provider has a server")
	}

	// PGHOST alone: libpq's variables decide; the database defaults to the user.
	env["PGHOST"], env["PGUSER"] = "/run/pg", "ops"
	if db, known, err := c.Database(); err != nil || !known || db != "ops" {
		t.Errorf("database from PGUSER: %q %v %v", db, known, err)
	}
	env["PGDATABASE"] = "app"
	if db, _, _ := c.Database(); db != "app" {
		t.Errorf("database from PGDATABASE: %q", db)
	}

	// The block wins over the environment, and its values are quoted.
	c.block = &postgresqlModelV0{
		Host: types.StringValue("/tmp/sock dir"), Port: types.Int64Value(6432), Database: types.StringValue("tenants"),
		Username: types.StringNull(), Password: types.StringValue(`it's a \ secret`), SSLMode: types.StringValue("verify-full"),
		SSLRootCert: types.StringNull(), ConnectTimeout: types.Int64Value(7),
	}
	if db, _, _ := c.Database(); db != "tenants" {
		t.Errorf("database from the block: %q", db)
	}
	cfg, err := pgx.ParseConfig(c.connString())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != "/tmp/sock dir" || cfg.Port != 6432 || cfg.Database != "tenants" || cfg.Password != `it's a \ secret` || cfg.ConnectTimeout.Seconds() != 7 {
		t.Errorf("parsed %s %d %s %s %q %v", cfg.Host, cfg.Port, cfg.Database, cfg.User, cfg.Password, cfg.ConnectTimeout)
	}
	if d := describeConn(cfg); strings.Contains(d, "secret") {
		t.Errorf("the description of a connection holds its password: %s", d)
	}

	// An unknown value: known at apply only.
	c.block.Host = types.StringUnknown()
	if _, known, err := c.Database(); known || err != nil {
		t.Errorf("unknown host: known=%v err=%v", known, err)
	}
}
