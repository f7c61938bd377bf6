package provision

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// RedisUser is the ACL one tenant user gets on a Redis server.
type RedisUser struct {
	// Kind is PasswordAdmin or PasswordUser; Name is <id>_<kind>.
	Kind, Name string
	// KeyPatterns are the key patterns (~cache:<id>:* ...), sorted.
	KeyPatterns []string
	// Commands are the allowed commands in lower case, sorted.
	Commands []string
}

// RedisPlan is what a tenant's users hold on a Redis server: the same
// users, key prefixes and commands as the redis_acl artifact.
type RedisPlan struct {
	TenantID string
	// Prefixes are the tenant's key prefixes (cache:<id>: ...), sorted.
	Prefixes []string
	// Users are <id>_admin then <id>_user.
	Users []RedisUser
}

// PlanRedis checks the Redis part of in and returns the ACL of each tenant
// user. It fails with an *Error naming the configuration path at fault, and
// when the tenant has no Redis.
func PlanRedis(in Input) (RedisPlan, error) {
	g, err := newGenerator(in)
	if err != nil {
		return RedisPlan{}, err
	}
	if in.Redis == nil {
		return RedisPlan{}, errorf("databases.redis.enabled", "is not true: tenant %s has no Redis, so there is nothing to enforce on a Redis server", in.TenantID)
	}
	return g.planRedis(in.Redis)
}

func (g *generator) planRedis(e *Engine) (RedisPlan, error) {
	prefixes, err := g.names(Redis, "namespaces", e, checkRedisPrefix)
	if err != nil {
		return RedisPlan{}, err
	}
	grants, err := g.grants(Redis, e)
	if err != nil {
		return RedisPlan{}, err
	}
	p := RedisPlan{TenantID: g.id}
	var patterns []string
	for _, pn := range prefixes {
		p.Prefixes = append(p.Prefixes, pn.name)
		patterns = append(patterns, "~"+pn.name+"*")
	}
	slices.Sort(p.Prefixes)
	slices.Sort(patterns)
	for _, ug := range grants {
		cmds := make([]string, len(ug.privileges))
		for j, c := range ug.privileges {
			cmds[j] = strings.ToLower(c)
		}
		slices.Sort(cmds)
		kind := strings.TrimPrefix(ug.user, g.id+"_")
		p.Users = append(p.Users, RedisUser{Kind: kind, Name: ug.user, KeyPatterns: patterns, Commands: cmds})
	}
	return p, nil
}

// RedisUserName is the name of the tenant's user of a kind.
func RedisUserName(tenantID, kind string) string { return tenantID + "_" + kind }

// Rules are the canonical ACL rules of each user by name, as ReadRedis
// returns them from a server that holds exactly this plan.
func (p RedisPlan) Rules() map[string]string {
	out := make(map[string]string, len(p.Users))
	for _, u := range p.Users {
		out[u.Name] = u.Rules()
	}
	return out
}

// Rules are the user's canonical ACL rules: flags, key patterns, channels,
// commands; never a password.
func (u RedisUser) Rules() string {
	s, _ := u.acl().canonical(nil) // no category to expand: no error
	return s
}

func (u RedisUser) acl() aclRules {
	cmds := []string{"-@all"}
	for _, c := range u.Commands {
		cmds = append(cmds, "+"+c)
	}
	return aclRules{flags: []string{"on"}, keys: u.KeyPatterns, commands: cmds}
}

// setUserArgs is the one ACL SETUSER that makes the user hold exactly its
// rules, without reset: its passwords stay unless password is set (resetpass
// then clears them and removes nopass; >pw adds one).
func (u RedisUser) setUserArgs(resetPass bool, password *string) []any {
	args := []any{"ACL", "SETUSER", u.Name, "on"}
	if resetPass {
		args = append(args, "resetpass")
	}
	if password != nil {
		args = append(args, ">"+*password)
	}
	args = append(args, "resetkeys")
	for _, k := range u.KeyPatterns {
		args = append(args, k)
	}
	args = append(args, "resetchannels", "nocommands")
	for _, c := range u.Commands {
		args = append(args, "+"+c)
	}
	return append(args, "clearselectors", "sanitize-payload")
}

// aclRules is a user's ACL as Redis describes it (ACL GETUSER), without its
// passwords.
type aclRules struct {
	flags, keys, channels []string
	commands              []string
	selectors             []aclRules
}

// canonical writes the rules in the form of ACL LIST, with every list in a
// fixed order so that two equal rule sets give the same text whatever order
// and shorthand Redis keeps them in: flags (on or off first), key patterns
// sorted, "&*" or "resetchannels" and the channels sorted, the commands,
// then each selector in parentheses, sorted. The flag sanitize-payload is
// left out: it is the safe behavior, and apply sets it.
//
// Commands are compared by what they allow: Redis describes a set of
// commands in its own shorthand (-@all +@string -setrange ... for a list of
// commands that covers most of a category), so the rules are replayed into
// the set of commands they allow, with the categories and the commands the
// server lists (cs), and written as -@all and that set sorted, or as +@all
// and the commands it lacks when the rules start from every command. cs may
// be nil for rules without categories (a plan).
func (a aclRules) canonical(cs commandSets) (string, error) {
	var out []string
	var state, other []string
	for _, f := range a.flags {
		switch f {
		case "on", "off":
			state = append(state, f)
		case "sanitize-payload", "allkeys", "allchannels", "allcommands":
			// Redis 6 lists allkeys and friends as flags as well as rules.
		default:
			other = append(other, f)
		}
	}
	slices.Sort(other)
	out = append(out, state...)
	out = append(out, uniq(other)...)
	body, err := a.body(cs)
	if err != nil {
		return "", err
	}
	out = append(out, body...)
	var sels []string
	for _, s := range a.selectors {
		body, err := s.body(cs)
		if err != nil {
			return "", err
		}
		sels = append(sels, "("+strings.Join(body, " ")+")")
	}
	slices.Sort(sels)
	out = append(out, sels...)
	return strings.Join(out, " "), nil
}

// body is the key patterns, channels and commands in canonical order.
func (a aclRules) body(cs commandSets) ([]string, error) {
	var out []string
	keys := make([]string, 0, len(a.keys))
	for _, k := range a.keys {
		if !strings.HasPrefix(k, "~") && !strings.HasPrefix(k, "%") {
			k = "~" + k // Redis 6 lists bare patterns
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out = append(out, uniq(keys)...)
	chans := make([]string, 0, len(a.channels))
	all := false
	for _, c := range a.channels {
		if !strings.HasPrefix(c, "&") {
			c = "&" + c
		}
		if c == "&*" {
			all = true
		}
		chans = append(chans, c)
	}
	if all {
		out = append(out, "&*")
	} else {
		slices.Sort(chans)
		out = append(out, "resetchannels")
		out = append(out, uniq(chans)...)
	}
	cmds, err := canonicalCommands(a.commands, cs)
	if err != nil {
		return nil, err
	}
	return append(out, cmds...), nil
}

// commandSets answers what a category and "every command" hold.
type commandSets interface {
	// category lists the commands (and subcommands, as container|sub) of a
	// category.
	category(name string) ([]string, error)
	// all lists every command and subcommand of the server.
	all() ([]string, error)
}

// canonicalCommands replays command rules into the set of commands they
// allow and writes it as "-@all +a +b ..." (sorted), or as "+@all -a -b
// ..." when the rules start from every command.
func canonicalCommands(rules []string, cs commandSets) ([]string, error) {
	allowed := map[string]bool{}
	fromAll := false
	everything := func() ([]string, error) {
		if cs == nil {
			return nil, fmt.Errorf("no command list to expand the rules %q", strings.Join(rules, " "))
		}
		return cs.all()
	}
	// withSubs is a command and, for a container, its subcommands.
	withSubs := func(name string) ([]string, error) {
		if cs == nil || strings.Contains(name, "|") {
			return []string{name}, nil
		}
		every, err := cs.all()
		if err != nil {
			return nil, err
		}
		out := []string{name}
		for _, c := range every {
			if strings.HasPrefix(c, name+"|") {
				out = append(out, c)
			}
		}
		return out, nil
	}
	for _, r := range rules {
		r = strings.ToLower(r)
		switch r {
		case "nocommands", "-@all":
			allowed, fromAll = map[string]bool{}, false
			continue
		case "allcommands", "+@all":
			every, err := everything()
			if err != nil {
				return nil, err
			}
			allowed, fromAll = map[string]bool{}, true
			for _, c := range every {
				allowed[c] = true
			}
			continue
		}
		if len(r) < 2 || (r[0] != '+' && r[0] != '-') {
			return nil, fmt.Errorf("unknown command rule %q", r)
		}
		add, name := r[0] == '+', r[1:]
		var names []string
		var err error
		if cat, ok := strings.CutPrefix(name, "@"); ok {
			if cs == nil {
				return nil, fmt.Errorf("no command list to expand the category %q", r)
			}
			names, err = cs.category(cat)
		} else {
			names, err = withSubs(name)
		}
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			if add {
				allowed[n] = true
			} else {
				delete(allowed, n)
			}
		}
	}
	if fromAll {
		every, err := everything()
		if err != nil {
			return nil, err
		}
		out := []string{"+@all"}
		var missing, extra []string
		known := map[string]bool{}
		for _, c := range every {
			known[c] = true
			if !allowed[c] {
				missing = append(missing, "-"+c)
			}
		}
		for c := range allowed {
			if !known[c] {
				extra = append(extra, "+"+c)
			}
		}
		slices.Sort(missing)
		slices.Sort(extra)
		return append(append(out, uniq(missing)...), extra...), nil
	}
	out := make([]string, 0, len(allowed)+1)
	for c := range allowed {
		out = append(out, "+"+c)
	}
	slices.Sort(out)
	return append([]string{"-@all"}, out...), nil
}

// serverCommands reads categories and the command list from a server, each
// once.
type serverCommands struct {
	ctx   context.Context
	c     RedisDoer
	cats  map[string][]string
	every []string
}

func (s *serverCommands) category(name string) ([]string, error) {
	if l, ok := s.cats[name]; ok {
		return l, nil
	}
	l, err := s.strings("ACL", "CAT", name)
	if err != nil {
		return nil, err
	}
	if s.cats == nil {
		s.cats = map[string][]string{}
	}
	s.cats[name] = l
	return l, nil
}

func (s *serverCommands) all() ([]string, error) {
	if s.every != nil {
		return s.every, nil
	}
	l, err := s.strings("COMMAND", "LIST")
	if err != nil {
		return nil, err
	}
	s.every = l
	return l, nil
}

func (s *serverCommands) strings(args ...any) ([]string, error) {
	v, err := s.c.Do(s.ctx, args...).Result()
	if err != nil {
		return nil, fmt.Errorf("%v: %w", args, err)
	}
	words, err := replyWords(v)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", args, err)
	}
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	return words, nil
}

func uniq(s []string) []string { return slices.Compact(s) }

// RedisDoer is the part of a go-redis client the convergence uses.
type RedisDoer interface {
	Do(ctx context.Context, args ...any) *redis.Cmd
}

// ReadRedis returns the canonical rules of the tenant's users that exist on
// the server, by name; a missing user has no entry.
func ReadRedis(ctx context.Context, c RedisDoer, tenantID string) (map[string]string, error) {
	if !ValidTenantID(tenantID) {
		return nil, fmt.Errorf("%q is not a tenant id: want %s", tenantID, TenantIDPattern)
	}
	out := map[string]string{}
	cs := &serverCommands{ctx: ctx, c: c}
	for _, kind := range PasswordKinds {
		name := RedisUserName(tenantID, kind)
		a, ok, err := getUser(ctx, c, name)
		if err != nil {
			return nil, err
		}
		if ok {
			if out[name], err = a.canonical(cs); err != nil {
				return nil, fmt.Errorf("ACL GETUSER %s: %w", name, err)
			}
		}
	}
	return out, nil
}

// getUser reads a user with ACL GETUSER, from a RESP2 (array) or RESP3 (map)
// reply; ok is false when the user does not exist.
func getUser(ctx context.Context, c RedisDoer, name string) (aclRules, bool, error) {
	v, err := c.Do(ctx, "ACL", "GETUSER", name).Result()
	if errors.Is(err, redis.Nil) || (err == nil && v == nil) {
		return aclRules{}, false, nil
	}
	if err != nil {
		return aclRules{}, false, fmt.Errorf("ACL GETUSER %s: %w", name, err)
	}
	a, err := parseGetUser(v, true)
	if err != nil {
		return aclRules{}, false, fmt.Errorf("ACL GETUSER %s: %w", name, err)
	}
	return a, true, nil
}

func parseGetUser(v any, top bool) (aclRules, error) {
	fields, err := replyMap(v)
	if err != nil {
		return aclRules{}, err
	}
	var a aclRules
	if top {
		if a.flags, err = replyWords(fields["flags"]); err != nil {
			return aclRules{}, fmt.Errorf("flags: %w", err)
		}
	}
	if a.keys, err = replyWords(fields["keys"]); err != nil {
		return aclRules{}, fmt.Errorf("keys: %w", err)
	}
	if a.channels, err = replyWords(fields["channels"]); err != nil {
		return aclRules{}, fmt.Errorf("channels: %w", err)
	}
	if a.commands, err = replyWords(fields["commands"]); err != nil {
		return aclRules{}, fmt.Errorf("commands: %w", err)
	}
	if top {
		sels, isList := fields["selectors"].([]any)
		if fields["selectors"] != nil && !isList {
			return aclRules{}, fmt.Errorf("selectors: unexpected %T", fields["selectors"])
		}
		for _, s := range sels {
			sel, err := parseGetUser(s, false)
			if err != nil {
				return aclRules{}, fmt.Errorf("selector: %w", err)
			}
			a.selectors = append(a.selectors, sel)
		}
	}
	return a, nil
}

// replyMap reads a map reply: a RESP3 map, or a RESP2 array of pairs.
func replyMap(v any) (map[string]any, error) {
	out := map[string]any{}
	switch m := v.(type) {
	case map[any]any:
		for k, x := range m {
			ks, ok := k.(string)
			if !ok {
				return nil, fmt.Errorf("unexpected key %T", k)
			}
			out[ks] = x
		}
	case map[string]any:
		for k, x := range m {
			out[k] = x
		}
	case []any:
		if len(m)%2 != 0 {
			return nil, fmt.Errorf("an array of %d elements is not a list of pairs", len(m))
		}
		for i := 0; i < len(m); i += 2 {
			ks, ok := m[i].(string)
			if !ok {
				return nil, fmt.Errorf("unexpected key %T", m[i])
			}
			out[ks] = m[i+1]
		}
	default:
		return nil, fmt.Errorf("unexpected reply %T", v)
	}
	return out, nil
}

// replyWords reads a space-separated string (Redis 7) or an array of strings
// (Redis 6, and flags) as words.
func replyWords(v any) ([]string, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return strings.Fields(x), nil
	case []any:
		var out []string
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("unexpected element %T", e)
			}
			out = append(out, strings.Fields(s)...)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unexpected %T", v)
}

// RedisConvergeOptions say which passwords apply sets.
type RedisConvergeOptions struct {
	// Passwords by kind (PasswordAdmin, PasswordUser). Nil or a missing kind: the
	// user's passwords are left as they are.
	Passwords map[string]string
	// SetPasswords sets the given passwords on users that exist too (the
	// first apply, a rotation). A user that apply creates, or that has the
	// nopass flag, gets the given password whatever SetPasswords says.
	SetPasswords bool
}

// RedisResult is what an apply did.
type RedisResult struct {
	// Rules as read back after the apply, by user name.
	Rules map[string]string
	// Warnings for the person running the apply: rules kept in memory only,
	// users left without a password.
	Warnings []string
}

// ConvergeRedis makes the server hold exactly the plan: one ACL SETUSER per
// user, without reset, so a user's passwords stay unless a password is set
// (see RedisConvergeOptions). A user that does not exist, or that has
// nopass, gets resetpass, so that it is never left open; without a password
// for it, it cannot log in until one is set (a warning says so). The rules
// are read back and must equal the plan. Then the ACL is saved when the
// server has an aclfile; otherwise a warning says the rules live in memory
// until the next restart.
func ConvergeRedis(ctx context.Context, c RedisDoer, p RedisPlan, opts RedisConvergeOptions) (RedisResult, error) {
	var res RedisResult
	mask := masker(opts.Passwords)
	for _, u := range p.Users {
		cur, exists, err := getUser(ctx, c, u.Name)
		if err != nil {
			return res, err
		}
		var pw *string
		if s, ok := opts.Passwords[u.Kind]; ok {
			pw = &s
		}
		nopass := exists && slices.Contains(cur.flags, "nopass")
		setPass := pw != nil && (opts.SetPasswords || !exists || nopass)
		resetPass := setPass || !exists || nopass
		if !setPass {
			pw = nil
		}
		if err := c.Do(ctx, u.setUserArgs(resetPass, pw)...).Err(); err != nil {
			hint := ""
			if strings.Contains(err.Error(), "clearselectors") {
				hint = " (the server is older than Redis 7.0, which tenant_redis needs: it knows no selectors)"
			}
			return res, fmt.Errorf("ACL SETUSER %s: %s%s", u.Name, mask(err.Error()), hint)
		}
		if resetPass && pw == nil {
			why := "it did not exist"
			if nopass {
				why = "it had nopass (any password opened it)"
			}
			res.Warnings = append(res.Warnings, fmt.Sprintf("Redis user %s has no password: %s, so apply created it without one. "+
				"It cannot log in until a password is set: give passwords_wo a %q entry and change passwords_wo_version, or set one out of band.", u.Name, why, u.Kind))
		}
	}
	got, err := ReadRedis(ctx, c, p.TenantID)
	if err != nil {
		return res, err
	}
	res.Rules = got
	want := p.Rules()
	for _, u := range p.Users {
		if got[u.Name] != want[u.Name] {
			return res, fmt.Errorf("after ACL SETUSER, user %s reads back as %q, not the planned %q: another client changed it meanwhile, or the server describes rules differently", u.Name, got[u.Name], want[u.Name])
		}
	}
	warn, err := saveACL(ctx, c)
	if err != nil {
		return res, err
	}
	if warn != "" {
		res.Warnings = append(res.Warnings, warn)
	}
	return res, nil
}

// saveACL persists the ACL with ACL SAVE when the server has an aclfile;
// without one it returns the warning that the rules live in memory only.
func saveACL(ctx context.Context, c RedisDoer) (string, error) {
	file, known := "", true
	v, err := c.Do(ctx, "CONFIG", "GET", "aclfile").Result()
	if err == nil {
		m, perr := replyMap(v)
		if perr != nil {
			return "", fmt.Errorf("CONFIG GET aclfile: %w", perr)
		}
		file, _ = m["aclfile"].(string)
	} else {
		known = false // CONFIG may be disabled (managed servers): try ACL SAVE
	}
	if known && file == "" {
		return noACLFileWarning, nil
	}
	if err := c.Do(ctx, "ACL", "SAVE").Err(); err != nil {
		if !known && strings.Contains(err.Error(), "not configured to use an ACL file") {
			return noACLFileWarning, nil
		}
		return "", fmt.Errorf("ACL SAVE: %w", err)
	}
	return "", nil
}

const noACLFileWarning = "The Redis server has no aclfile: the ACL rules live in memory until the next restart, " +
	"after which the tenant's users are gone (a later plan shows them missing, and apply creates them again). " +
	"Configure an aclfile on every node (apply then saves the ACL with ACL SAVE), or persist the users with CONFIG REWRITE."

// masker replaces every password in a text by the sensitive marker.
func masker(passwords map[string]string) func(string) string {
	return func(s string) string {
		for _, pw := range passwords {
			if pw != "" {
				s = strings.ReplaceAll(s, pw, "(sensitive)")
			}
		}
		return s
	}
}

// RedisDestroyResult is what a destroy did.
type RedisDestroyResult struct {
	// UsersDeleted and ClientsKilled count what existed.
	UsersDeleted, ClientsKilled int
	// KeysDeleted counts the keys unlinked (delete_keys_on_destroy).
	KeysDeleted int
	Warnings    []string
}

// DestroyRedis removes the tenant's users: each is switched off, its
// connections are killed (CLIENT KILL USER: off alone does not end a live
// session) and it is deleted. With deleteKeys, the keys under the tenant's
// prefixes are unlinked too (SCAN + UNLINK, in the connection's database);
// a prefix must be <word>:<id>: so no other tenant's key matches.
func DestroyRedis(ctx context.Context, c RedisDoer, tenantID string, prefixes []string, deleteKeys bool) (RedisDestroyResult, error) {
	var res RedisDestroyResult
	if !ValidTenantID(tenantID) {
		return res, fmt.Errorf("%q is not a tenant id: want %s", tenantID, TenantIDPattern)
	}
	for _, kind := range PasswordKinds {
		name := RedisUserName(tenantID, kind)
		_, exists, err := getUser(ctx, c, name)
		if err != nil {
			return res, err
		}
		if !exists {
			continue
		}
		if err := c.Do(ctx, "ACL", "SETUSER", name, "off").Err(); err != nil {
			return res, fmt.Errorf("ACL SETUSER %s off: %w", name, err)
		}
		n, err := c.Do(ctx, "CLIENT", "KILL", "USER", name).Int()
		if err != nil {
			return res, fmt.Errorf("CLIENT KILL USER %s: %w", name, err)
		}
		res.ClientsKilled += n
		d, err := c.Do(ctx, "ACL", "DELUSER", name).Int()
		if err != nil {
			return res, fmt.Errorf("ACL DELUSER %s: %w", name, err)
		}
		res.UsersDeleted += d
	}
	if deleteKeys {
		for _, p := range prefixes {
			if err := checkRedisPrefix("databases.redis.namespaces", tenantID, p); err != nil {
				return res, err
			}
			n, err := unlinkPrefix(ctx, c, p)
			res.KeysDeleted += n
			if err != nil {
				return res, err
			}
		}
	}
	warn, err := saveACL(ctx, c)
	if err != nil {
		return res, err
	}
	if warn != "" {
		res.Warnings = append(res.Warnings, warn)
	}
	return res, nil
}

// unlinkPrefix unlinks every key that starts with prefix. The prefix holds
// no glob character (checkRedisPrefix), and each key is checked again.
func unlinkPrefix(ctx context.Context, c RedisDoer, prefix string) (int, error) {
	cursor, total := "0", 0
	for {
		v, err := c.Do(ctx, "SCAN", cursor, "MATCH", globEscape(prefix)+"*", "COUNT", 1000).Result()
		if err != nil {
			return total, fmt.Errorf("SCAN %s*: %w", prefix, err)
		}
		reply, ok := v.([]any)
		if !ok || len(reply) != 2 {
			return total, fmt.Errorf("SCAN %s*: unexpected reply %T", prefix, v)
		}
		next, ok1 := reply[0].(string)
		keys, ok2 := reply[1].([]any)
		if !ok1 || !ok2 {
			return total, fmt.Errorf("SCAN %s*: unexpected reply", prefix)
		}
		args := []any{"UNLINK"}
		for _, k := range keys {
			if s, ok := k.(string); ok && strings.HasPrefix(s, prefix) {
				args = append(args, s)
			}
		}
		if len(args) > 1 {
			n, err := c.Do(ctx, args...).Int()
			total += n
			if err != nil {
				return total, fmt.Errorf("UNLINK: %w", err)
			}
		}
		if next == "0" {
			return total, nil
		}
		if _, err := strconv.ParseUint(next, 10, 64); err != nil {
			return total, fmt.Errorf("SCAN %s*: cursor %q", prefix, next)
		}
		cursor = next
	}
}

// globEscape escapes Redis glob characters.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\^`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
