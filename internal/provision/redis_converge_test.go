package provision

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tenantry/terraform-provider-tenant/internal/engines"
	"github.com/tenantry/terraform-provider-tenant/internal/enginetest"
)

func redisPlanOf(t *testing.T, id, tier string) RedisPlan {
	t.Helper()
	in, err := FromConfig(tenantConfig(t, defaultCatalog(t), id, tier))
	if err != nil {
		t.Fatal(err)
	}
	p, err := PlanRedis(in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlanRedisRules(t *testing.T) {
	t.Parallel()
	p := redisPlanOf(t, "acme", "standard")
	want := map[string]string{
		"acme_admin": "on ~analytics:acme:* ~cache:acme:* ~session:acme:* resetchannels -@all +del +expire +get +set",
		"acme_user":  "on ~analytics:acme:* ~cache:acme:* ~session:acme:* resetchannels -@all +get",
	}
	got := p.Rules()
	for u, w := range want {
		if got[u] != w {
			t.Errorf("%s: %q, want %q", u, got[u], w)
		}
	}
	if len(got) != 2 {
		t.Errorf("rules of %d users: %v", len(got), got)
	}
	if strings.Join(p.Prefixes, " ") != "analytics:acme: cache:acme: session:acme:" {
		t.Errorf("prefixes %v", p.Prefixes)
	}
	in, err := FromConfig(tenantConfig(t, defaultCatalog(t), "acme", "standard"))
	if err != nil {
		t.Fatal(err)
	}
	in.Redis = nil
	if _, err := PlanRedis(in); err == nil || !strings.Contains(err.Error(), "databases.redis.enabled") {
		t.Errorf("a tenant without Redis: %v", err)
	}
}

// Redis describes rules in its own order; both the plan and the reply go
// through the same canonical form.
func TestCanonicalACL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		a    aclRules
		want string
	}{
		{"plan", aclRules{flags: []string{"on"}, keys: []string{"~b*", "~a*"}, commands: []string{"-@all", "+set", "+get"}},
			"on ~a* ~b* resetchannels -@all +get +set"},
		{"reply order", aclRules{flags: []string{"sanitize-payload", "nopass", "on"}, keys: []string{"~a*", "~b*"}, channels: []string{"&y", "&x"}, commands: []string{"+@all", "-keys", "-flushall"}},
			"on nopass ~a* ~b* resetchannels &x &y +@all -flushall -keys"},
		{"a category in shorthand", aclRules{flags: []string{"on"}, commands: []string{"-@all", "+@string", "+del", "-setrange"}},
			"on resetchannels -@all +del +get +set"},
		{"the same without shorthand", aclRules{flags: []string{"on"}, commands: []string{"-@all", "+set", "+del", "+get"}},
			"on resetchannels -@all +del +get +set"},
		{"a container", aclRules{flags: []string{"on"}, commands: []string{"-@all", "+config", "-config|set"}},
			"on resetchannels -@all +config +config|get"},
		{"every command but some", aclRules{flags: []string{"on"}, commands: []string{"+@all", "-config|set", "-@string", "+get"}},
			"on resetchannels +@all -config|set -set -setrange"},
		{"reset in the middle", aclRules{flags: []string{"on"}, commands: []string{"+@all", "-@all", "+get"}},
			"on resetchannels -@all +get"},
		{"all channels", aclRules{flags: []string{"off"}, keys: []string{"~*"}, channels: []string{"&*"}, commands: []string{"+@all"}},
			"off ~* &* +@all"},
		{"redis 6 arrays", aclRules{flags: []string{"on", "allkeys", "allchannels"}, keys: []string{"*"}, channels: []string{"*"}, commands: []string{"+@all"}},
			"on ~* &* +@all"},
		{"selectors", aclRules{flags: []string{"on"}, keys: []string{"~a*"}, commands: []string{"-@all"}, selectors: []aclRules{
			{keys: []string{"%W~w*"}, commands: []string{"-@all", "+set"}},
			{keys: []string{"~x*"}, channels: []string{"&c"}, commands: []string{"-@all", "+get"}},
		}}, "on ~a* resetchannels -@all (%W~w* resetchannels -@all +set) (~x* resetchannels &c -@all +get)"},
	} {
		got, err := tc.a.canonical(fakeCommands{})
		if err != nil || got != tc.want {
			t.Errorf("%s: %q (%v), want %q", tc.name, got, err, tc.want)
		}
	}
}

// fakeCommands is a server with a few commands and one category.
type fakeCommands struct{}

func (fakeCommands) category(name string) ([]string, error) {
	if name == "string" {
		return []string{"get", "set", "setrange"}, nil
	}
	return nil, fmt.Errorf("no category %s", name)
}

func (fakeCommands) all() ([]string, error) {
	return []string{"config", "config|get", "config|set", "del", "flushall", "get", "keys", "set", "setrange"}, nil
}

func TestParseGetUserShapes(t *testing.T) {
	t.Parallel()
	resp2 := []any{"flags", []any{"on", "sanitize-payload"}, "passwords", []any{"ab12"}, "commands", "-@all +set +get",
		"keys", "~cache:a:* ~session:a:*", "channels", "", "selectors", []any{
			[]any{"commands", "-@all +get", "keys", "~x*", "channels", "&c"},
		}}
	resp3 := map[any]any{"flags": []any{"on", "sanitize-payload"}, "passwords": []any{"ab12"}, "commands": "-@all +set +get",
		"keys": "~cache:a:* ~session:a:*", "channels": "", "selectors": []any{
			map[any]any{"commands": "-@all +get", "keys": "~x*", "channels": "&c"},
		}}
	want := "on ~cache:a:* ~session:a:* resetchannels -@all +get +set (~x* resetchannels &c -@all +get)"
	for name, v := range map[string]any{"RESP2": resp2, "RESP3": resp3} {
		a, err := parseGetUser(v, true)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := a.canonical(nil)
		if err != nil || got != want {
			t.Errorf("%s: %q (%v), want %q", name, got, err, want)
		}
		if strings.Contains(got, "ab12") {
			t.Errorf("%s: the password hash reached the rules", name)
		}
	}
	for _, bad := range []any{"x", []any{"flags"}, map[any]any{1: "x"}, []any{"keys", 3}} {
		if _, err := parseGetUser(bad, true); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

// Both reply shapes, from a real server: go-redis speaks RESP3 by default
// and RESP2 when asked.
func forEachProtocol(t *testing.T, f func(t *testing.T, srv *enginetest.Redis, ops *redis.Client)) {
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Parallel()
			srv := enginetest.StartRedis(t)
			ops := srv.ClientProtocol(proto, enginetest.OpsUser, enginetest.OpsPassword)
			t.Cleanup(func() { _ = ops.Close() })
			f(t, srv, ops)
		})
	}
}

// authErr is the answer to AUTH user pw on a new connection (nil for OK).
// The connection sends AUTH itself: a client with an empty password would
// send none and run as the default user.
func authErr(srv *enginetest.Redis, user, pw string) error {
	c := srv.Client("", "")
	defer func() { _ = c.Close() }()
	return c.Do(context.Background(), "AUTH", user, pw).Err()
}

func mustRules(t *testing.T, ops *redis.Client, id string) map[string]string {
	t.Helper()
	got, err := ReadRedis(t.Context(), ops, id)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func sameRules(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %v, want %v", what, got, want)
		return
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got[k], v)
		}
	}
}

func TestConvergeRedis(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, srv *enginetest.Redis, ops *redis.Client) {
		ctx := t.Context()
		std, free := redisPlanOf(t, "acme", "standard"), redisPlanOf(t, "acme", "free")
		other := redisPlanOf(t, "globex", "premium")
		pw := map[string]string{PasswordAdmin: "admin-pw one", PasswordUser: "user-pw"}
		if got := mustRules(t, ops, "acme"); len(got) != 0 {
			t.Fatalf("before: %v", got)
		}

		// Create: the users get the planned rules and the passwords.
		res, err := ConvergeRedis(ctx, ops, std, RedisConvergeOptions{Passwords: pw, SetPasswords: true})
		if err != nil {
			t.Fatal(err)
		}
		sameRules(t, "after create", res.Rules, std.Rules())
		sameRules(t, "read", mustRules(t, ops, "acme"), std.Rules())
		if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "no aclfile") {
			t.Errorf("warnings %v, want the in-memory warning", res.Warnings)
		}
		for _, kind := range PasswordKinds {
			if err := authErr(srv, RedisUserName("acme", kind), pw[kind]); err != nil {
				t.Errorf("AUTH %s: %v", kind, err)
			}
		}
		if _, err := ConvergeRedis(ctx, ops, other, RedisConvergeOptions{}); err != nil {
			t.Fatal(err)
		}

		// A tier change and a change of the passwords given without
		// SetPasswords: the passwords stay.
		if _, err := ConvergeRedis(ctx, ops, free, RedisConvergeOptions{Passwords: map[string]string{PasswordAdmin: "ignored"}}); err != nil {
			t.Fatal(err)
		}
		sameRules(t, "after the tier change", mustRules(t, ops, "acme"), free.Rules())
		if _, err := ConvergeRedis(ctx, ops, std, RedisConvergeOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := authErr(srv, "acme_admin", pw[PasswordAdmin]); err != nil {
			t.Errorf("the password did not survive two tier changes: %v", err)
		}
		if err := authErr(srv, "acme_admin", "ignored"); err == nil || !strings.HasPrefix(err.Error(), "WRONGPASS") {
			t.Errorf("a password given without SetPasswords was set: %v", err)
		}

		// Drift of every kind reads as a difference and converges back.
		for _, drift := range [][]any{
			{"ACL", "SETUSER", "acme_admin", "~cache:globex:*", "+keys"},
			{"ACL", "SETUSER", "acme_admin", "allkeys"},
			{"ACL", "SETUSER", "acme_user", "&events", "+@read"},
			{"ACL", "SETUSER", "acme_user", "(~cache:globex:* +get)"},
			{"ACL", "SETUSER", "acme_user", "skip-sanitize-payload", "off"},
			{"ACL", "DELUSER", "acme_user"},
		} {
			if err := ops.Do(ctx, drift...).Err(); err != nil {
				t.Fatalf("%v: %v", drift, err)
			}
			got := mustRules(t, ops, "acme")
			if got["acme_admin"] == std.Rules()["acme_admin"] && got["acme_user"] == std.Rules()["acme_user"] {
				t.Errorf("%v: the read shows no drift: %v", drift, got)
			}
			if _, err := ConvergeRedis(ctx, ops, std, RedisConvergeOptions{Passwords: pw}); err != nil {
				t.Fatalf("after %v: %v", drift, err)
			}
			sameRules(t, fmt.Sprintf("after repairing %v", drift), mustRules(t, ops, "acme"), std.Rules())
		}
		// The deleted user came back with its password from Passwords.
		if err := authErr(srv, "acme_user", pw[PasswordUser]); err != nil {
			t.Errorf("the recreated user does not take its password: %v", err)
		}

		// nopass is repaired: without a password given the user is locked.
		if err := ops.Do(ctx, "ACL", "SETUSER", "acme_admin", "nopass").Err(); err != nil {
			t.Fatal(err)
		}
		if got := mustRules(t, ops, "acme")["acme_admin"]; !strings.Contains(got, "nopass") {
			t.Errorf("nopass does not show: %q", got)
		}
		res, err = ConvergeRedis(ctx, ops, std, RedisConvergeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Warnings) != 2 || !strings.Contains(res.Warnings[0], "acme_admin has no password") {
			t.Errorf("warnings %v", res.Warnings)
		}
		for _, try := range []string{"", "anything", pw[PasswordAdmin]} {
			if err := authErr(srv, "acme_admin", try); err == nil || !strings.HasPrefix(err.Error(), "WRONGPASS") {
				t.Errorf("AUTH acme_admin %q after repairing nopass: %v, want WRONGPASS", try, err)
			}
		}

		// Rotation.
		rot := map[string]string{PasswordAdmin: "rotated-admin", PasswordUser: "rotated-user"}
		if _, err := ConvergeRedis(ctx, ops, std, RedisConvergeOptions{Passwords: rot, SetPasswords: true}); err != nil {
			t.Fatal(err)
		}
		if err := authErr(srv, "acme_user", pw[PasswordUser]); err == nil || !strings.HasPrefix(err.Error(), "WRONGPASS") {
			t.Errorf("the old password still works after a rotation: %v", err)
		}
		for _, kind := range PasswordKinds {
			if err := authErr(srv, RedisUserName("acme", kind), rot[kind]); err != nil {
				t.Errorf("AUTH %s with the rotated password: %v", kind, err)
			}
		}

		// A restart loses the users; converging creates them with the
		// passwords given.
		srv.Restart(t)
		if got := mustRules(t, ops, "acme"); len(got) != 0 {
			t.Fatalf("after a restart without aclfile: %v", got)
		}
		if _, err := ConvergeRedis(ctx, ops, std, RedisConvergeOptions{Passwords: rot}); err != nil {
			t.Fatal(err)
		}
		if err := authErr(srv, "acme_admin", rot[PasswordAdmin]); err != nil {
			t.Errorf("AUTH after the restart: %v", err)
		}
		// The other tenant was never touched by acme's converges.
		sameRules(t, "globex", mustRules(t, ops, "globex"), map[string]string{})
	})
}

func TestConvergeRedisMasksPasswords(t *testing.T) {
	t.Parallel()
	srv := enginetest.StartRedis(t)
	ops := srv.Client(enginetest.OpsUser, enginetest.OpsPassword)
	t.Cleanup(func() { _ = ops.Close() })
	p := redisPlanOf(t, "acme", "standard")
	p.Users[0].Commands = append(p.Users[0].Commands, "no-such-command")
	_, err := ConvergeRedis(t.Context(), ops, p, RedisConvergeOptions{Passwords: map[string]string{PasswordAdmin: "s3cret"}, SetPasswords: true})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error %v", err)
	}
}

func TestConvergeRedisACLFile(t *testing.T) {
	t.Parallel()
	srv := enginetest.StartRedis(t, enginetest.WithACLFile())
	ops := srv.Client(enginetest.OpsUser, enginetest.OpsPassword)
	t.Cleanup(func() { _ = ops.Close() })
	ctx := t.Context()
	p := redisPlanOf(t, "acme", "premium")
	res, err := ConvergeRedis(ctx, ops, p, RedisConvergeOptions{Passwords: map[string]string{PasswordAdmin: "a-pw"}, SetPasswords: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "acme_user has no password") {
		t.Errorf("warnings %v: want only the user without a password", res.Warnings)
	}
	saved, err := os.ReadFile(srv.ACLFile)
	if err != nil || !strings.Contains(string(saved), "user acme_admin on") {
		t.Fatalf("the aclfile holds %q (%v)", saved, err)
	}
	srv.Restart(t)
	ops2 := srv.Client(enginetest.OpsUser, enginetest.OpsPassword)
	t.Cleanup(func() { _ = ops2.Close() })
	sameRules(t, "after a restart with an aclfile", mustRules(t, ops2, "acme"), p.Rules())
	if err := authErr(srv, "acme_admin", "a-pw"); err != nil {
		t.Errorf("AUTH after the restart: %v", err)
	}
	dres, err := DestroyRedis(ctx, ops2, "acme", p.Prefixes, false)
	if err != nil || len(dres.Warnings) != 0 {
		t.Fatalf("destroy: %v %v", dres, err)
	}
	srv.Restart(t)
	ops3 := srv.Client(enginetest.OpsUser, enginetest.OpsPassword)
	t.Cleanup(func() { _ = ops3.Close() })
	if got := mustRules(t, ops3, "acme"); len(got) != 0 {
		t.Errorf("the destroyed users came back from the aclfile: %v", got)
	}
}

func TestDestroyRedis(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, srv *enginetest.Redis, ops *redis.Client) {
		ctx := t.Context()
		acme, acme2 := redisPlanOf(t, "acme", "standard"), redisPlanOf(t, "acme2", "standard")
		pw := map[string]string{PasswordAdmin: "a", PasswordUser: "u"}
		for _, p := range []RedisPlan{acme, acme2} {
			if _, err := ConvergeRedis(ctx, ops, p, RedisConvergeOptions{Passwords: pw, SetPasswords: true}); err != nil {
				t.Fatal(err)
			}
		}
		keys := []string{"cache:acme:1", "session:acme:2", "analytics:acme:3", "cache:acme2:1", "session:acme2:x", "cache:acme", "cache:acmeX:1", "other"}
		for i := 0; i < 2500; i++ { // more than one SCAN page
			keys = append(keys, fmt.Sprintf("cache:acme:bulk%d", i))
		}
		for _, k := range keys {
			if err := ops.Set(ctx, k, "v", 0).Err(); err != nil {
				t.Fatal(err)
			}
		}
		live := srv.Client("acme_admin", "a")
		t.Cleanup(func() { _ = live.Close() })
		if err := live.Get(ctx, "cache:acme:1").Err(); err != nil {
			t.Fatal(err)
		}

		res, err := DestroyRedis(ctx, ops, "acme", acme.Prefixes, false)
		if err != nil {
			t.Fatal(err)
		}
		if res.UsersDeleted != 2 || res.ClientsKilled != 1 || res.KeysDeleted != 0 {
			t.Errorf("destroy: %+v", res)
		}
		if got := mustRules(t, ops, "acme"); len(got) != 0 {
			t.Errorf("users left: %v", got)
		}
		if err := live.Get(ctx, "cache:acme:1").Err(); err == nil {
			t.Errorf("the live connection of acme_admin still works")
		}
		if n, _ := ops.Exists(ctx, keys...).Result(); n != int64(len(keys)) {
			t.Errorf("%d of %d keys left without delete_keys_on_destroy", n, len(keys))
		}
		sameRules(t, "acme2", mustRules(t, ops, "acme2"), acme2.Rules())

		// Again, with the keys: only acme's go.
		res, err = DestroyRedis(ctx, ops, "acme", acme.Prefixes, true)
		if err != nil {
			t.Fatal(err)
		}
		if res.UsersDeleted != 0 || res.KeysDeleted != 2503 {
			t.Errorf("destroy with keys: %+v", res)
		}
		for _, k := range keys {
			n, _ := ops.Exists(ctx, k).Result()
			gone := strings.HasPrefix(k, "cache:acme:") || strings.HasPrefix(k, "session:acme:") || strings.HasPrefix(k, "analytics:acme:")
			if gone != (n == 0) {
				t.Errorf("%s: exists=%d after destroying acme's keys", k, n)
			}
		}
		if _, err := DestroyRedis(ctx, ops, "acme", []string{"cache:acme2:"}, true); err == nil {
			t.Errorf("a prefix of another tenant was accepted")
		}
	})
}

// Every command the provisioning knows reads back as planned, so a
// converged user never shows a false difference.
func TestRedisRulesRoundTripEveryCommand(t *testing.T) {
	t.Parallel()
	srv := enginetest.StartRedis(t)
	ops := srv.ClientProtocol(3, enginetest.OpsUser, enginetest.OpsPassword)
	t.Cleanup(func() { _ = ops.Close() })
	p := redisPlanOf(t, "acme", "enterprise")
	var all []string
	for _, c := range engines.Privileges(engines.Redis) {
		all = append(all, strings.ToLower(c))
	}
	slices.Sort(all)
	p.Users[0].Commands = all
	p.Users[1].Commands = nil
	res, err := ConvergeRedis(t.Context(), ops, p, RedisConvergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameRules(t, "every command", res.Rules, p.Rules())
	if !strings.HasSuffix(p.Rules()["acme_user"], " resetchannels -@all") {
		t.Errorf("a user without commands: %q", p.Rules()["acme_user"])
	}
}
