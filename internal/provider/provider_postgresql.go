package provider

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// sslModes are libpq's sslmode values.
var sslModes = []string{"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}

// postgresqlModelV0 is the provider's postgresql block.
type postgresqlModelV0 struct {
	Host           types.String `tfsdk:"host"`
	Port           types.Int64  `tfsdk:"port"`
	Database       types.String `tfsdk:"database"`
	Username       types.String `tfsdk:"username"`
	Password       types.String `tfsdk:"password"`
	SSLMode        types.String `tfsdk:"sslmode"`
	SSLRootCert    types.String `tfsdk:"sslrootcert"`
	ConnectTimeout types.Int64  `tfsdk:"connect_timeout"`
}

func postgresqlBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "The PostgreSQL server (and database) that `tenant_postgresql` resources converge. Each argument " +
			"falls back to libpq's environment variable (`PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD`, `PGSSLMODE`, " +
			"`PGSSLROOTCERT`, `PGCONNECT_TIMEOUT`), then to libpq's default. The provider connects only when a `tenant_postgresql` " +
			"needs the server: rendering (`tenant_config`, the data sources and functions) never does. Without this block and " +
			"without `PGHOST`, a `tenant_postgresql` is an error. The role it logs in as must be a superuser, or own (be a " +
			"member of the roles that own) everything it converges; on managed services without a superuser, use the service's " +
			"administrator role. For several servers or databases, use one aliased provider configuration each.",
		Attributes: map[string]schema.Attribute{
			"host": schema.StringAttribute{
				MarkdownDescription: "Host name or IP address of the server, or the directory of its unix socket (a path starting " +
					"with `/`, such as `/var/run/postgresql`). Defaults to `PGHOST`.",
				Optional: true,
			},
			"port": schema.Int64Attribute{
				MarkdownDescription: "TCP port (or the number of the socket file `.s.PGSQL.<port>`). Defaults to `PGPORT`, then `5432`.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 65535)},
			},
			"database": schema.StringAttribute{
				MarkdownDescription: "Database the tenants' schemas live in; it is part of each `tenant_postgresql`'s id, and " +
					"changing it replaces the tenants. Defaults to `PGDATABASE`, then to the user name (as libpq does).",
				Optional: true,
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "Role to log in as. Defaults to `PGUSER`, then to the name of the operating system user.",
				Optional:            true,
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password of `username`. Defaults to `PGPASSWORD`, then to the password file (`PGPASSFILE`, " +
					"`~/.pgpass`).",
				Optional:  true,
				Sensitive: true,
			},
			"sslmode": schema.StringAttribute{
				MarkdownDescription: "libpq's SSL mode: `" + strings.Join(sslModes, "`, `") + "`. Defaults to `PGSSLMODE`, then to " +
					"`prefer`. **`prefer` (and `allow`) fall back to an unencrypted connection when the server offers no TLS, " +
					"without an error**, and `require` does not check the server's certificate: across a network, use " +
					"`verify-full` with `sslrootcert` so that the superuser's password and the tenants' passwords travel " +
					"encrypted to the server you meant.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(sslModes...)},
			},
			"sslrootcert": schema.StringAttribute{
				MarkdownDescription: "Path of the file of CA certificates that `verify-ca` and `verify-full` check the server's " +
					"certificate against. Defaults to `PGSSLROOTCERT`. In a remote run (HCP Terraform), use a path inside the " +
					"configuration or a file the agent provides.",
				Optional: true,
			},
			"connect_timeout": schema.Int64Attribute{
				MarkdownDescription: "Seconds to wait for a connection. Defaults to `PGCONNECT_TIMEOUT`, then to no limit.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(0)},
			},
		},
	}
}

// pgConnector connects to the provider's PostgreSQL server on first use and
// keeps a small pool for the rest of the run.
type pgConnector struct {
	// block is nil when the configuration has no postgresql block.
	block *postgresqlModelV0
	// getenv reads the environment (libpq's variables).
	getenv func(string) string

	mu   sync.Mutex
	pool *pgxpool.Pool
}

func newPGConnector(block *postgresqlModelV0) *pgConnector {
	return &pgConnector{block: block, getenv: os.Getenv}
}

// errNoPostgreSQL is the detail of the error when there is no server to
// connect to.
const errNoPostgreSQL = "A tenant_postgresql resource converges a PostgreSQL server, and this provider configuration names none: " +
	"add a `postgresql` block to the provider (host, database, username, password, sslmode, ...), or set libpq's PGHOST " +
	"(and PGDATABASE, PGUSER, PGPASSWORD, ...) in the environment of Terraform. For several servers, use one aliased " +
	"provider configuration per server and set `provider` on the resource."

// check returns why the connector cannot be used yet, without connecting:
// no block and no PGHOST, or a value of the block that is unknown.
func (c *pgConnector) check() (unknown bool, err error) {
	if c == nil || (c.block == nil && c.getenv("PGHOST") == "") {
		return false, fmt.Errorf("%s", errNoPostgreSQL)
	}
	if b := c.block; b != nil {
		for _, v := range []interface{ IsUnknown() bool }{b.Host, b.Port, b.Database, b.Username, b.Password, b.SSLMode, b.SSLRootCert, b.ConnectTimeout} {
			if v.IsUnknown() {
				return true, nil
			}
		}
	}
	return false, nil
}

// setting is a value of the block, or the environment variable's.
func (c *pgConnector) setting(v types.String, env string) string {
	if c.block != nil && !v.IsNull() && !v.IsUnknown() {
		return v.ValueString()
	}
	return c.getenv(env)
}

// Database returns the name of the database the connector connects to,
// as libpq picks it, without connecting: database, PGDATABASE, then the
// user name.
func (c *pgConnector) Database() (name string, known bool, err error) {
	unknown, err := c.check()
	if err != nil || unknown {
		return "", false, err
	}
	var b postgresqlModelV0
	if c.block != nil {
		b = *c.block
	}
	if db := c.setting(b.Database, "PGDATABASE"); db != "" {
		return db, true, nil
	}
	if u := c.setting(b.Username, "PGUSER"); u != "" {
		return u, true, nil
	}
	u, err := user.Current()
	if err != nil {
		return "", false, fmt.Errorf("the postgresql block names no database and no username, and the operating system user is unknown: %w", err)
	}
	return u.Username, true, nil
}

// connString is the libpq keyword/value string of the block's values that
// are set; pgx reads libpq's environment variables for the others.
func (c *pgConnector) connString() string {
	var parts []string
	add := func(key, value string) {
		v := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(value)
		parts = append(parts, key+"='"+v+"'")
	}
	b := c.block
	if b == nil {
		return ""
	}
	for _, s := range []struct {
		key string
		v   types.String
	}{{"host", b.Host}, {"dbname", b.Database}, {"user", b.Username}, {"password", b.Password}, {"sslmode", b.SSLMode}, {"sslrootcert", b.SSLRootCert}} {
		if !s.v.IsNull() && !s.v.IsUnknown() {
			add(s.key, s.v.ValueString())
		}
	}
	for _, s := range []struct {
		key string
		v   types.Int64
	}{{"port", b.Port}, {"connect_timeout", b.ConnectTimeout}} {
		if !s.v.IsNull() && !s.v.IsUnknown() {
			add(s.key, strconv.FormatInt(s.v.ValueInt64(), 10))
		}
	}
	return strings.Join(parts, " ")
}

// Pool connects on first use and returns the pool; a failed attempt is
// tried again on the next use.
func (c *pgConnector) Pool(ctx context.Context) (*pgxpool.Pool, error) {
	unknown, err := c.check()
	if err != nil {
		return nil, err
	}
	if unknown {
		return nil, fmt.Errorf("the provider's postgresql block has values that are not known yet (they depend on resources not yet " +
			"created): apply those first, for example with -target, or pass the values as variables")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pool != nil {
		return c.pool, nil
	}
	cfg, err := pgxpool.ParseConfig(c.connString())
	if err != nil {
		return nil, fmt.Errorf("the provider's postgresql block (with libpq's environment variables) is not a valid connection: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "terraform-provider-tenant"
	// A few connections serve any -parallelism (changes are serialised on
	// the server), and idle ones are closed soon: Terraform starts the
	// provider anew for every command.
	cfg.MaxConns = 4
	cfg.MaxConnIdleTime = 5 * time.Second
	cfg.HealthCheckPeriod = time.Second
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot connect to PostgreSQL (%s): %w", describeConn(cfg.ConnConfig), err)
	}
	c.pool = pool
	return pool, nil
}

// describeConn names the server, database and role of a connection,
// without its password.
func describeConn(cfg *pgx.ConnConfig) string {
	return fmt.Sprintf("host %s, port %d, database %s, user %s", cfg.Host, cfg.Port, cfg.Database, cfg.User)
}
