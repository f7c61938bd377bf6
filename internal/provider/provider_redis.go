package provider

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/redis/go-redis/v9"
)

// envRedisURL is the environment variable read when the redis block sets
// no url.
const envRedisURL = "REDIS_URL"

// redisBlockModelV0 is the provider's redis block.
type redisBlockModelV0 struct {
	URL      types.String `tfsdk:"url"`
	Username types.String `tfsdk:"username"`
	Password types.String `tfsdk:"password"`
}

func redisBlockSchema() schema.Block {
	return schema.SingleNestedBlock{
		MarkdownDescription: "The Redis server that `tenant_redis` resources converge. The provider connects only when a " +
			"`tenant_redis` needs the server; rendering never does. The user it logs in as needs `ACL`, `CLIENT KILL`, " +
			"`CONFIG GET`, and for `delete_keys_on_destroy` `SCAN` and `UNLINK` on the tenants' keys. Redis keeps ACLs per " +
			"node: replicas and cluster nodes each need the rules (one aliased provider configuration per node), and the " +
			"rules survive a restart only with an `aclfile`. For several servers, use one aliased provider configuration per server.",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{
				MarkdownDescription: "Address of the server: `redis://[user:password@]host:port[/db]`, `rediss://…` for TLS, or " +
					"`unix://[user:password@]/path/to/redis.sock[?db=N]`. Defaults to the `" + envRedisURL + "` environment variable. " +
					"A password in the URL is a secret in your configuration: prefer `password`.",
				Optional: true,
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "ACL user to log in as; overrides the user of `url`. Default: the URL's, then `default`.",
				Optional:            true,
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password of `username`; overrides the password of `url`.",
				Optional:            true,
				Sensitive:           true,
			},
		},
	}
}

// redisServer is the server of the redis block. It connects on first use.
type redisServer struct {
	opts *redis.Options
	// problem says why there is no server to use; reported when a
	// tenant_redis needs one.
	problem string
	// unknown is true when the block's values are unknown (in a plan).
	unknown bool

	mu     sync.Mutex
	client *redis.Client
}

// configureRedis reads the redis block (a null object when absent) and
// REDIS_URL. A malformed url of the block is an error at once; everything
// else waits until a tenant_redis needs the server.
func configureRedis(ctx context.Context, block types.Object, diags *diag.Diagnostics) *redisServer {
	var m redisBlockModelV0
	if !block.IsNull() && !block.IsUnknown() {
		diags.Append(block.As(ctx, &m, basetypes.ObjectAsOptions{})...)
		if diags.HasError() {
			return nil
		}
	}
	if block.IsUnknown() || m.URL.IsUnknown() || m.Username.IsUnknown() || m.Password.IsUnknown() {
		return &redisServer{unknown: true, problem: "the provider's redis block has values that are not known until apply"}
	}
	raw, from := m.URL.ValueString(), "the url of the provider's redis block"
	if m.URL.IsNull() {
		raw, from = os.Getenv(envRedisURL), "the "+envRedisURL+" environment variable"
	}
	if raw == "" {
		return &redisServer{problem: "no Redis server is configured: set url in the provider's redis block (or the " + envRedisURL + " environment variable)"}
	}
	opts, err := parseRedisURL(raw)
	if err != nil {
		msg := fmt.Sprintf("%s is not a Redis URL: %v. Use redis://host:port, rediss://host:port (TLS) or unix:///path/to/redis.sock.", from, err)
		if !m.URL.IsNull() {
			diags.AddAttributeError(path.Root("redis").AtName("url"), "Invalid Redis URL", msg)
			return nil
		}
		return &redisServer{problem: msg}
	}
	if !m.Username.IsNull() {
		opts.Username = m.Username.ValueString()
	}
	if !m.Password.IsNull() {
		opts.Password = m.Password.ValueString()
	}
	opts.DisableIdentity = true
	opts.PoolSize = 4
	opts.ConnMaxIdleTime = 30 * time.Second
	if opts.DialTimeout == 0 {
		opts.DialTimeout = 10 * time.Second
	}
	return &redisServer{opts: opts}
}

// parseRedisURL parses url with go-redis, and keeps the URL's password out
// of its error.
func parseRedisURL(raw string) (*redis.Options, error) {
	opts, err := redis.ParseURL(raw)
	if err != nil {
		if u, uerr := url.Parse(raw); uerr == nil && u.User != nil {
			if pw, ok := u.User.Password(); ok && pw != "" {
				return nil, fmt.Errorf("%s", maskString(err.Error(), pw))
			}
		}
		return nil, err
	}
	return opts, nil
}

func maskString(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "(sensitive)")
}

// address is where the server is, without credentials, for messages.
func (s *redisServer) address() string {
	if s.opts.Network == "unix" {
		return "unix://" + s.opts.Addr
	}
	return s.opts.Addr
}

// Client returns the connected client, connecting (and checking the
// connection with PING) on first use.
func (s *redisServer) Client(ctx context.Context) (*redis.Client, error) {
	if s == nil {
		return nil, fmt.Errorf("the provider is not configured")
	}
	if s.opts == nil {
		return nil, fmt.Errorf("%s", s.problem)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client != nil {
		return s.client, nil
	}
	c := redis.NewClient(s.opts)
	if err := c.Ping(ctx).Err(); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("cannot reach the Redis server %s of the provider's redis block: %s", s.address(), maskString(err.Error(), s.opts.Password))
	}
	s.client = c
	return c, nil
}
