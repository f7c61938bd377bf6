package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var redisBlockTypes = map[string]attr.Type{"url": types.StringType, "username": types.StringType, "password": types.StringType}

func redisBlock(t *testing.T, url, user, pw types.String) types.Object {
	t.Helper()
	o, d := types.ObjectValue(redisBlockTypes, map[string]attr.Value{"url": url, "username": user, "password": pw})
	if d.HasError() {
		t.Fatal(d)
	}
	return o
}

func TestConfigureRedis(t *testing.T) {
	ctx := context.Background()
	null := types.StringNull()
	str := types.StringValue

	t.Setenv(envRedisURL, "")
	var diags diag.Diagnostics
	s := configureRedis(ctx, types.ObjectNull(redisBlockTypes), &diags)
	if diags.HasError() || s == nil || s.opts != nil {
		t.Fatalf("no block: %v %+v", diags, s)
	}
	if _, err := s.Client(ctx); err == nil || !strings.Contains(err.Error(), "redis block") || !strings.Contains(err.Error(), envRedisURL) {
		t.Errorf("no block: %v", err)
	}

	t.Setenv(envRedisURL, "redis://envuser:envpw@127.0.0.1:6390/2")
	s = configureRedis(ctx, types.ObjectNull(redisBlockTypes), &diags)
	if diags.HasError() || s.opts == nil || s.opts.Addr != "127.0.0.1:6390" || s.opts.DB != 2 || s.opts.Username != "envuser" || s.opts.Password != "envpw" {
		t.Fatalf("from %s: %v %+v", envRedisURL, diags, s.opts)
	}

	s = configureRedis(ctx, redisBlock(t, str("unix:///run/redis.sock"), str("prov"), str("secret")), &diags)
	if diags.HasError() || s.opts.Network != "unix" || s.opts.Addr != "/run/redis.sock" || s.opts.Username != "prov" || s.opts.Password != "secret" {
		t.Fatalf("unix url with credentials: %v %+v", diags, s.opts)
	}
	if s.address() != "unix:///run/redis.sock" {
		t.Errorf("address %q", s.address())
	}

	s = configureRedis(ctx, redisBlock(t, str("rediss://u:p@cache.example.com:6380"), null, null), &diags)
	if diags.HasError() || s.opts.TLSConfig == nil || s.opts.TLSConfig.ServerName != "cache.example.com" || s.opts.Password != "p" {
		t.Fatalf("rediss: %v %+v", diags, s.opts)
	}

	s = configureRedis(ctx, redisBlock(t, types.StringUnknown(), null, null), &diags)
	if diags.HasError() || !s.unknown {
		t.Fatalf("unknown url: %v %+v", diags, s)
	}

	// A bad URL in the block is an error at once, on the url, without the
	// URL's password.
	s = configureRedis(ctx, redisBlock(t, str("http://user:hunter2@host"), null, null), &diags)
	if s != nil || !diags.HasError() {
		t.Fatalf("bad url: %v %+v", diags, s)
	}
	for _, d := range diags {
		if strings.Contains(d.Detail(), "hunter2") || strings.Contains(d.Summary(), "hunter2") {
			t.Errorf("the URL's password is in %q", d.Detail())
		}
	}

	// A bad REDIS_URL waits until a tenant_redis needs the server.
	diags = nil
	t.Setenv(envRedisURL, "nonsense://x")
	s = configureRedis(ctx, types.ObjectNull(redisBlockTypes), &diags)
	if diags.HasError() {
		t.Fatalf("bad %s: %v", envRedisURL, diags)
	}
	if _, err := s.Client(ctx); err == nil || !strings.Contains(err.Error(), envRedisURL) {
		t.Errorf("bad %s: %v", envRedisURL, err)
	}
}
