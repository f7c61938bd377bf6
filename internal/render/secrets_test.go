package render

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
)

const (
	pgPassword = "pg-Secret-8f3a"
	hookToken  = "hook-Token-77c1"
)

func secretInput(t *testing.T) Input {
	in := input("premium")
	in.Overrides = overrides(t, "custom: {endpoint: 'https://hooks.example.com/${HOOK_TOKEN}'}\nmonitoring: {alerts: {channels: [email, webhook]}}")
	in.SensitiveOverrides = overrides(t, "databases: {postgresql: {password: "+pgPassword+"}}\nmonitoring: {alerts: {webhook_url: 'https://hooks.example.com/${HOOK_TOKEN}'}}")
	in.SensitiveVariables = map[string]string{"HOOK_TOKEN": hookToken}
	return in
}

// Every value from a sensitive input is the marker in rendered_yaml and the
// summaries, and itself only in the sensitive render.
func TestSecretsAreRedacted(t *testing.T) {
	t.Parallel()
	res := mustRender(t, defaultCatalog(t), secretInput(t))
	for _, secret := range []string{pgPassword, hookToken} {
		if strings.Contains(shownYAML(t, res), secret) {
			t.Errorf("rendered YAML shows %q:\n%s", secret, shownYAML(t, res))
		}
		if !strings.Contains(fullYAML(t, res), secret) {
			t.Errorf("the sensitive render lacks %q", secret)
		}
	}
	for _, path := range []string{
		"databases.postgresql.password",
		"monitoring.alerts.webhook_url",
		"custom.endpoint", // interpolates a sensitive variable
	} {
		if got := lookup(t, res.Shown, path); got != SensitiveMarker {
			t.Errorf("shown %s = %#v, want the marker", path, got)
		}
	}
	if got := lookup(t, res.Config, "databases.postgresql.password"); got != pgPassword {
		t.Errorf("full config password = %#v", got)
	}
	sum := sha256.Sum256([]byte(res.JSON))
	if res.Checksum != hex.EncodeToString(sum[:]) {
		t.Error("the checksum is not the digest of rendered_yaml")
	}
}

// Sensitive tells whether the full configuration differs from YAML: only
// a sensitive input that sets a value makes it so.
func TestSensitiveMeansSecrets(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	if res := mustRender(t, cat, secretInput(t)); !res.Sensitive || shownYAML(t, res) == fullYAML(t, res) {
		t.Errorf("with secrets: Sensitive %v, YAML equals the full render %v", res.Sensitive, shownYAML(t, res) == fullYAML(t, res))
	}
	plain := input("premium")
	plain.Overrides = overrides(t, "custom: {endpoint: 'https://hooks.example.com/x'}")
	empty := input("premium")
	empty.SensitiveOverrides = map[string]any{}
	empty.SensitiveVariables = map[string]string{}
	for name, in := range map[string]Input{"no sensitive input": plain, "empty sensitive inputs": empty} {
		if res := mustRender(t, cat, in); res.Sensitive || shownYAML(t, res) != fullYAML(t, res) {
			t.Errorf("%s: Sensitive %v, YAML equals the full render %v", name, res.Sensitive, shownYAML(t, res) == fullYAML(t, res))
		}
	}
}

// Rotating a secret changes the sensitive render only.
func TestRotatingASecret(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	in := secretInput(t)
	before := mustRender(t, cat, in)
	in.SensitiveVariables = map[string]string{"HOOK_TOKEN": "rotated-Token-0001"}
	after := mustRender(t, cat, in)
	if before.JSON != after.JSON || before.Checksum != after.Checksum {
		t.Error("rotating a secret changed rendered_yaml")
	}
	if fullYAML(t, before) == fullYAML(t, after) {
		t.Error("rotating a secret left the sensitive render as it was")
	}
}

// A secret key set from a plain input is an error on that input; the
// message says to use sensitive_overrides.
func TestSecretPathsNeedSensitiveInputs(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	for _, tc := range []struct {
		name      string
		overrides string
		vars      map[string]string
		secret    map[string]string
		want      Field
	}{
		{name: "password in overrides", overrides: "databases: {redis: {password: hunter2}}", want: FieldOverrides},
		{name: "webhook from a plain variable", overrides: "monitoring: {alerts: {webhook_url: 'https://h/${T}'}}", vars: map[string]string{"T": "x"}, want: FieldOverrides},
		{name: "webhook from a sensitive variable", overrides: "monitoring: {alerts: {webhook_url: 'https://h/${T}'}}", secret: map[string]string{"T": "x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := input("standard")
			in.Overrides = overrides(t, tc.overrides)
			in.Variables, in.SensitiveVariables = tc.vars, tc.secret
			_, ps := Render(cat, in)
			if tc.want == "" {
				if len(ps) > 0 {
					t.Fatalf("problems: %s", describe(ps))
				}
				return
			}
			if len(ps) != 1 || ps[0].Field != tc.want || !strings.Contains(ps[0].Summary, "must come from sensitive_overrides") {
				t.Fatalf("problems %s, want one on %s saying to use sensitive_overrides", describe(ps), tc.want)
			}
			if strings.Contains(ps[0].Summary+ps[0].Detail, "hunter2") {
				t.Error("the message shows the value")
			}
		})
	}
}

// A problem with a sensitive value names the sensitive input and never shows
// the value.
func TestProblemsMaskSecrets(t *testing.T) {
	t.Parallel()
	in := input("standard")
	in.SensitiveOverrides = overrides(t, "backup: {schedule: {full_backup: not-a-cron-Secret-42}}")
	_, ps := Render(defaultCatalog(t), in)
	if len(ps) == 0 {
		t.Fatal("no problem")
	}
	for _, p := range ps {
		if strings.Contains(p.Summary+p.Detail, "Secret-42") {
			t.Errorf("problem shows the secret: %s", p.Error())
		}
		if p.Field != FieldSensitiveOverrides {
			t.Errorf("problem %q is about %s, want sensitive_overrides", p.Summary, p.Field)
		}
	}
	in = input("standard")
	in.SensitiveVariables = map[string]string{"TENANT_ID": "x", "team": "y"}
	_, ps = Render(defaultCatalog(t), in)
	checkProblems(t, ps, []want{{FieldSensitiveVariables, "TENANT_ID", []string{"built in"}}, {FieldSensitiveVariables, "team", []string{"Invalid variable name"}}})
}

// A key under custom that reads like a secret, set in plain overrides, gets
// a warning.
func TestSecretLookingCustomKeys(t *testing.T) {
	t.Parallel()
	in := input("standard")
	in.Overrides = overrides(t, "custom: {team: x, billing: {api_token: abc}, Password: p}")
	res := mustRender(t, defaultCatalog(t), in)
	var paths []string
	for _, w := range res.Warnings {
		paths = append(paths, w.Path)
	}
	if strings.Join(paths, ",") != "custom.Password,custom.billing.api_token" {
		t.Errorf("warnings at %q", paths)
	}
}

// One tenant's secrets never reach another's render.
func TestSecretsStayWithTheirTenant(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	a := secretInput(t)
	b := input("premium")
	b.TenantID, b.TenantName = "bravo", "Bravo"
	alone := mustRender(t, cat, b)
	mustRender(t, cat, a)
	after := mustRender(t, cat, b)
	if fullYAML(t, alone) != fullYAML(t, after) || strings.Contains(fullYAML(t, after), pgPassword) {
		t.Error("a tenant's render changed after another tenant's render with secrets")
	}
}

// FuzzRedaction puts fuzzed secrets at fuzzed places of the sensitive inputs:
// whenever the render succeeds, no secret shows in rendered_yaml, the
// summaries or the warnings, and each is in the sensitive render.
func FuzzRedaction(f *testing.F) {
	f.Add("s3cr3t", uint8(0), "x")
	f.Add("p@ss: word\n", uint8(1), "${TENANT_ID}")
	f.Add("1234", uint8(2), "$${LITERAL}")
	f.Add("\u2028quoted\"", uint8(3), "")
	cat := defaultCatalog(f)
	places := []string{"databases.postgresql.password", "monitoring.alerts.webhook_url", "custom.note", "custom.deep.list"}
	f.Fuzz(func(t *testing.T, secret string, pick uint8, extra string) {
		if len(secret) > 256 || len(extra) > 64 {
			return
		}
		token := "zqx" + secret // unlikely to stand anywhere by chance
		in := input("standard")
		path := strings.Split(places[int(pick)%len(places)], ".")
		var leaf any = token
		if path[len(path)-1] == "list" {
			leaf = []any{token, extra}
		}
		tree := map[string]any{path[len(path)-1]: leaf}
		for i := len(path) - 2; i >= 0; i-- {
			tree = map[string]any{path[i]: tree}
		}
		in.SensitiveOverrides = tree
		in.SensitiveVariables = map[string]string{"SECRET_VAR": token}
		in.Overrides = map[string]any{"custom": map[string]any{"uses": "a-${SECRET_VAR}-" + extra}}
		res, ps := Render(cat, in)
		for _, p := range ps {
			if strings.Contains(p.Summary+p.Detail, token) {
				t.Fatalf("a problem shows the secret: %s", p.Error())
			}
		}
		if res == nil {
			return
		}
		if strings.Contains(shownYAML(t, res), token) || strings.Contains(shownYAML(t, res), strings.Trim(strconv.Quote(token), `"`)) {
			t.Fatalf("rendered YAML shows the secret:\n%s", shownYAML(t, res))
		}
		for _, w := range res.Warnings {
			if strings.Contains(w.Summary+w.Detail, token) {
				t.Fatalf("a warning shows the secret")
			}
		}
		back, err := ParseRendered(fullYAML(t, res))
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := lookupPath(back, path); got == nil {
			t.Fatalf("the sensitive render lacks the secret at %v", path)
		}
	})
}

func lookupPath(cfg map[string]any, path []string) (any, bool) {
	var cur any = cfg
	for _, k := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = m[k]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

// Masking replaces a secret where it stands as a word or a value, never
// inside another word.
func TestMask(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		`value "x" at custom.x`:      `value "(sensitive)" at custom.(sensitive)`,
		"an example text":            "an example text",
		"token p@ss: word in a line": "token (sensitive) in a line",
		`quoted "a\"b" value`:        `quoted "(sensitive)" value`,
	} {
		if got := Mask(text, cleanSecrets([]string{"x", "p@ss: word", `a"b`})); got != want {
			t.Errorf("Mask(%q) = %q, want %q", text, got, want)
		}
	}
}

// A plain key that reads like a secret gets no warning when its value uses a
// sensitive variable: it is shown redacted.
func TestSecretLookingKeyFromASensitiveVariable(t *testing.T) {
	t.Parallel()
	in := input("standard")
	in.Overrides = overrides(t, "custom: {api_token: '${TOK}'}")
	in.SensitiveVariables = map[string]string{"TOK": "abc123"}
	res := mustRender(t, defaultCatalog(t), in)
	if len(res.Warnings) > 0 {
		t.Errorf("warnings %s", describe(res.Warnings))
	}
}
