// Package render turns a tenant's inputs into its full configuration: it
// layers the catalog templates and the tenant's overrides, substitutes the
// template variables, validates the result against the tier's rules and the
// JSON Schema, and writes canonical JSON. It is the one place where rendering
// happens; it knows nothing of Terraform.
package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/engines"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// TenantIDPattern is the form of a tenant id: it becomes SQL identifiers and
// key prefixes. A tenant id must also not start with pg_, nor derive a name
// an engine reserves (TenantIDRules, CheckTenantID).
const TenantIDPattern = engines.TenantIDPattern

// TenantIDRules says in words what a tenant id must be, for the
// documentation and validators of tenant_id.
const TenantIDRules = "must start with a lowercase letter and hold 3 to 40 characters a-z, 0-9 and _, must not start with pg_ " +
	"(PostgreSQL reserves those role and schema names), and must not make a name an engine reserves " +
	"(the tenant ids current, session and system would own the PostgreSQL roles current_user, session_user and system_user)"

// CheckTenantID returns why id cannot be a tenant id, or "".
func CheckTenantID(id string) string { return engines.CheckTenantID(id) }

var (
	varNameRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	regionRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
)

// BuiltinVariables are the variables every render defines, besides the
// per-engine ceilings (<ENGINE>_CPU_CORES, ...).
var BuiltinVariables = []string{"TENANT_ID", "TENANT_NAME", "TENANT_TYPE", "ENVIRONMENT", "REGION", "TIMEZONE"}

// Input is what a tenant_config resource provides.
type Input struct {
	TenantID    string
	TenantName  string
	Tier        string
	Environment string
	Region      string
	Timezone    string
	// Overrides is a tree (see package tree) from the resource's overrides;
	// nil when unset. Render never modifies it.
	Overrides any
	// Variables are extra template variables.
	Variables map[string]string
	// Regulations are claimed by the resource's regulations argument; nil
	// when unset (then overrides may set compliance.regulations).
	Regulations []string
	// SensitiveOverrides is merged after Overrides with the same rules; every
	// value it sets is a secret. Nil when unset.
	SensitiveOverrides any
	// SensitiveVariables are template variables whose values are secrets.
	SensitiveVariables map[string]string
}

// Result is a rendered, validated configuration.
type Result struct {
	// Config is the rendered tree, secrets included. Callers must not modify
	// it.
	Config map[string]any
	// Shown is Config with every value that came from a sensitive input
	// replaced by SensitiveMarker; it is Config itself without secrets.
	Shown map[string]any
	// JSON is the canonical JSON of Shown (tree.EncodeJSON); SensitiveJSON
	// that of Config.
	JSON, SensitiveJSON string
	// Sensitive reports whether the input has secrets (sensitive overrides
	// or sensitive variables). Without them Config is Shown and JSON is
	// SensitiveJSON: the full configuration is JSON.
	Sensitive bool
	// Checksum is the hex SHA-256 of JSON.
	Checksum string
	// Summary holds the figures of Shown.
	Summary Summary
	// Warnings are problems that do not stop the render.
	Warnings Problems

	origins origins
}

// ProblemAt returns a problem of the rendered configuration at a dotted
// path, reported on the input that set the path (as Render's own problems
// are), for checks made on a Result outside this package.
func (r *Result) ProblemAt(path, summary, detail string) Problem {
	p := Problem{Field: r.origins.field(path, false), Path: path, Summary: summary, Detail: detail}
	return maskProblems(Problems{p}, append(SecretStrings(r.origins.in), secretLeaves(r.Config, r.Shown, nil)...))[0]
}

// LockedPaths returns the dotted paths overrides cannot change: the keys the
// JSON Schema marks readOnly (tenant_info, subscription.tier and the
// isolation names, which derive from the resource's arguments).
func LockedPaths() []string {
	cs, err := configSchema()
	if err != nil {
		return nil
	}
	out := make([]string, len(cs.locked))
	for i, p := range cs.locked {
		out[i] = strings.Join(p, ".")
	}
	return out
}

// Render renders and validates one tenant's configuration: it checks the
// input, layers the tier's template for the environment, the regulations and
// the overrides, substitutes the variables, validates the result and writes
// it as canonical JSON. Identical inputs give a byte-identical Result.JSON.
// Render keeps nothing between calls.
func Render(cat *catalog.Catalog, in Input) (*Result, Problems) {
	res, problems := render(cat, in)
	if len(problems) > 0 {
		return nil, clampProblems(maskProblems(problems, SecretStrings(in)))
	}
	secrets := append(SecretStrings(in), secretLeaves(res.Config, res.Shown, nil)...)
	res.Warnings = maskProblems(res.Warnings, secrets)
	return res, nil
}

func render(cat *catalog.Catalog, in Input) (*Result, Problems) {
	tier, problems := checkInput(cat, in)
	if len(problems) > 0 {
		return nil, problems
	}
	cs, err := configSchema()
	if err != nil {
		return nil, Problems{{Field: FieldTier, Summary: "The configuration schema cannot be loaded", Detail: err.Error()}}
	}
	overrides, problems := compileOverrides(cs, in.Overrides, FieldOverrides)
	secret, more := compileOverrides(cs, in.SensitiveOverrides, FieldSensitiveOverrides)
	if problems = append(problems, more...); len(problems) > 0 {
		return nil, problems
	}
	tmpl, _ := tier.Template(in.Environment)
	layered, problems := layerRegulations(tmpl, in, overrides)
	if len(problems) > 0 {
		return nil, problems
	}
	cfg, problems := build(tier, in, layered, overrides, secret, false)
	if len(problems) > 0 {
		return nil, problems
	}
	shown, sensitive := cfg, len(secret) > 0 || len(in.SensitiveVariables) > 0
	if sensitive {
		// The same render with every secret replaced by the marker: what
		// plain attributes, summaries and messages show.
		if shown, problems = build(tier, in, layered, overrides, redact(secret), true); len(problems) > 0 {
			return nil, problems
		}
	}
	o := origins{in: in, overrides: overrides, secret: secret}
	if sensitive {
		o.shown = shown
	}
	problems = validate(cat, tier, cs, cfg, o)
	if problems = append(problems, checkSecretPaths(cs, cfg, shown, o)...); len(problems) > 0 {
		return nil, problems
	}
	full, err := tree.EncodeJSON(cfg)
	if err != nil {
		return nil, Problems{encodeProblem(o, err)}
	}
	text := full
	if sensitive {
		if text, err = tree.EncodeJSON(shown); err != nil {
			return nil, Problems{encodeProblem(o, err)}
		}
	}
	sum := sha256.Sum256(text)
	return &Result{
		Config:        cfg,
		Shown:         shown,
		JSON:          string(text),
		SensitiveJSON: string(full),
		Sensitive:     sensitive,
		Checksum:      hex.EncodeToString(sum[:]),
		Summary:       Summarize(shown),
		Warnings:      secretLookingKeys(overrides, secret, in.SensitiveVariables),
		origins:       o,
	}, nil
}

// encodeProblem reports a configuration that cannot be written (a value
// no format can hold), on the input that set its path.
func encodeProblem(o origins, err error) Problem {
	return Problem{Field: o.field(errPath(err), false), Path: errPath(err), Summary: "The configuration cannot be written", Detail: err.Error()}
}

// FullYAML is the full configuration, secrets included, as canonical YAML
// (tree.Encode): the product's own format, for applications.
func (r *Result) FullYAML() (string, error) {
	b, err := tree.Encode(r.Config)
	return string(b), err
}

// build merges the overrides and then the secret overrides into the layered
// template and substitutes the variables; redacted substitutes every
// sensitive variable with SensitiveMarker.
func build(tier *catalog.Tier, in Input, layered any, overrides, secret map[string]any, redacted bool) (map[string]any, Problems) {
	merged, err := tree.Merge(layered, overrides)
	if err != nil {
		return nil, Problems{mergeProblem(FieldOverrides, err)}
	}
	if merged, err = tree.Merge(merged, secret); err != nil {
		return nil, Problems{mergeProblem(FieldSensitiveOverrides, err)}
	}
	vars := variables(tier, in, redacted)
	if n := renderedSize(merged, vars); n > MaxRenderedBytes {
		field := FieldVariables
		switch {
		case renderedSize(merged, nil) > MaxRenderedBytes:
			field = FieldOverrides
		case textBytes(in.SensitiveVariables) > textBytes(in.Variables):
			field = FieldSensitiveVariables
		}
		return nil, Problems{{Field: field, Summary: "The rendered configuration is too large",
			Detail: fmt.Sprintf("With its variables substituted the configuration would hold more than %d MiB of text, the limit. "+
				"A variable used in many places counts each time: use shorter values or fewer placeholders. %s", MaxRenderedBytes>>20, LimitsDescription)}}
	}
	out, err := tree.Substitute(merged, vars)
	if err != nil {
		return nil, Problems{substitutionProblem(err)}
	}
	cfg, ok := out.(map[string]any)
	if !ok {
		return nil, Problems{{Field: FieldTier, Summary: "The tier template is not an object", Detail: "A template's config section must be a mapping." + catalogHint}}
	}
	return cfg, nil
}

// textBytes is the bytes of the values of vars.
func textBytes(vars map[string]string) int {
	n := 0
	for _, v := range vars {
		n += len(v)
	}
	return n
}

func mergeProblem(field Field, err error) Problem {
	return Problem{Field: field, Path: errPath(err), Summary: "Override does not fit the configuration",
		Detail: errText(err) + " An override replaces a value of the same kind: a section (object) with an object, a value with a value; null deletes a key."}
}

// catalogHint ends the detail of a problem in the tier's template itself.
const catalogHint = " This is a problem of the tier catalog, not of this resource: fix the template."

// variables returns the template variables of a render: the tier's ceilings,
// the resource's arguments and its variables maps (checkInput keeps the maps
// from redefining the others).
func variables(tier *catalog.Tier, in Input, redacted bool) map[string]any {
	vars := make(map[string]any, len(tier.Variables())+len(in.Variables)+len(in.SensitiveVariables)+len(BuiltinVariables))
	for k, v := range tier.Variables() {
		vars[k] = v
	}
	for k, v := range in.Variables {
		vars[k] = v
	}
	for k, v := range in.SensitiveVariables {
		vars[k] = v
		if redacted {
			vars[k] = tree.Redacted(SensitiveMarker)
		}
	}
	vars["TENANT_ID"] = in.TenantID
	vars["TENANT_NAME"] = in.TenantName
	vars["TENANT_TYPE"] = tier.Name
	vars["ENVIRONMENT"] = in.Environment
	vars["REGION"] = in.Region
	vars["TIMEZONE"] = in.Timezone
	return vars
}

// substitutionProblem reports a failed substitution on the input whose
// template failed: overrides, sensitive_overrides or the tier's template.
func substitutionProblem(err error) Problem {
	if te, ok := err.(*tree.Error); ok && (te.Pos.File == string(FieldOverrides) || te.Pos.File == string(FieldSensitiveOverrides)) {
		return Problem{Field: Field(te.Pos.File), Path: errPath(err), Summary: "Unknown template variable",
			Detail: errText(err) + " Define it in the resource's variables map. In HCL, write $${NAME} for a placeholder and $$${ for a literal ${; in a YAML file, ${NAME} and $${."}
	}
	return Problem{Field: FieldTier, Path: errPath(err), Summary: "Unknown template variable",
		Detail: errText(err) + " The tier's template uses this variable: set it in this resource's variables map, or fix the template."}
}

// CheckInput checks the resource's scalar arguments against the catalog
// without rendering.
func checkInput(cat *catalog.Catalog, in Input) (*catalog.Tier, Problems) {
	var ps Problems
	add := func(f Field, path, summary, detail string) {
		ps = append(ps, Problem{Field: f, Path: path, Summary: summary, Detail: detail})
	}
	if why := engines.CheckTenantID(in.TenantID); why != "" {
		add(FieldTenantID, "", fmt.Sprintf("Invalid tenant id %s", QuoteShort(in.TenantID)),
			"A tenant id becomes SQL identifiers, database users and key prefixes: "+why+".")
	}
	if msg := CheckTenantName(in.TenantName); msg != "" {
		add(FieldTenantName, "", "Invalid tenant name", msg)
	}
	tier, ok := cat.Tier(in.Tier)
	if !ok {
		add(FieldTier, "", fmt.Sprintf("Unknown tier %s", QuoteShort(in.Tier)),
			fmt.Sprintf("The catalog's tiers are %s.%s", quoteList(cat.Names()), didYouMean(truncate(in.Tier, maxQuoted), cat.Names())))
	} else if _, ok := tier.Template(in.Environment); !ok {
		add(FieldEnvironment, "", fmt.Sprintf("Unknown environment %s", QuoteShort(in.Environment)),
			fmt.Sprintf("Tier %s defines the environments %s.%s", tier.Name, quoteList(tier.Environments()), didYouMean(truncate(in.Environment, maxQuoted), tier.Environments())))
	}
	if !regionRE.MatchString(in.Region) {
		add(FieldRegion, "", fmt.Sprintf("Invalid region %s", QuoteShort(in.Region)),
			"A region is a lowercase cloud region name such as us-east-1 or eu-west-1.")
	}
	if err := CheckTimezone(in.Timezone); err != nil {
		add(FieldTimezone, "", fmt.Sprintf("Unknown time zone %s", QuoteShort(in.Timezone)),
			"Use an IANA time zone name such as UTC, Europe/Berlin or America/New_York.")
	}
	for _, vs := range []struct {
		field Field
		vars  map[string]string
	}{{FieldVariables, in.Variables}, {FieldSensitiveVariables, in.SensitiveVariables}} {
		if len(vs.vars) > MaxVariables {
			add(vs.field, "", fmt.Sprintf("Too many %s", vs.field),
				fmt.Sprintf("%s holds %d entries; the limit is %d. %s", vs.field, len(vs.vars), MaxVariables, LimitsDescription))
			continue
		}
		if n := textBytes(vs.vars); n > MaxRenderedBytes {
			add(vs.field, "", fmt.Sprintf("%s are too large", capitalize(string(vs.field))),
				fmt.Sprintf("The values of %s hold %d bytes in all; the limit is %d MiB, that of a rendered configuration. %s", vs.field, n, MaxRenderedBytes>>20, LimitsDescription))
			continue
		}
		for _, k := range sortedKeys(vs.vars) {
			switch {
			case len(k) > maxQuoted:
				add(vs.field, "", fmt.Sprintf("Invalid variable name %s", QuoteShort(k)),
					fmt.Sprintf("Variable names are upper case and hold at most %d characters.", maxQuoted))
			case !varNameRE.MatchString(k):
				add(vs.field, k, fmt.Sprintf("Invalid variable name %q", k),
					"Variable names are upper case: a letter, then letters, digits and _ (for example SLACK_CHANNEL).")
			case slices.Contains(BuiltinVariables, k) || tier != nil && tier.Variables()[k] != nil || isCeilingVariable(k):
				add(vs.field, k, fmt.Sprintf("Variable %s is built in", k),
					"Built-in variables come from the resource's arguments and the tier's ceilings; pick another name.")
			case vs.field == FieldSensitiveVariables && hasKey(in.Variables, k):
				add(vs.field, k, fmt.Sprintf("Variable %s is defined twice", k),
					"Define a variable either in variables or in sensitive_variables, not in both.")
			case len(vs.vars[k]) > MaxStringBytes:
				add(vs.field, k, fmt.Sprintf("Variable %s is too long", k), tooLong("Its value", vs.vars[k]))
			}
		}
	}
	for _, r := range in.Regulations {
		if !slices.Contains(catalog.Regulations, r) {
			add(FieldRegulations, "", fmt.Sprintf("Unknown regulation %s", QuoteShort(r)),
				fmt.Sprintf("Regulations are %s.%s", quoteList(catalog.Regulations), didYouMean(truncate(r, maxQuoted), catalog.Regulations)))
		}
	}
	return tier, ps
}

// CheckTenantName returns why name is not a valid tenant name, or "".
func CheckTenantName(name string) string {
	n := utf8.RuneCountInString(name)
	switch {
	case !utf8.ValidString(name):
		return "The name must be valid UTF-8."
	case n < 1 || n > 200:
		return fmt.Sprintf("The name must hold 1 to 200 characters; it holds %d.", n)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "The name must not contain control characters such as newlines or tabs."
	}
	return ""
}

// CheckTimezone reports whether name is an IANA time zone (the provider
// ships the zone database, so the answer is the same on every machine).
func CheckTimezone(name string) error {
	// Local is the machine's zone, not a name a configuration can rely on.
	// No zone name is longer than a few dozen bytes.
	if name == "" || name == "Local" || len(name) > 255 {
		return fmt.Errorf("unknown time zone %s", QuoteShort(name))
	}
	if _, err := time.LoadLocation(name); err != nil {
		return fmt.Errorf("unknown time zone %s", QuoteShort(name))
	}
	return nil
}

func isCeilingVariable(name string) bool {
	for _, e := range catalog.Engines {
		for _, d := range catalog.Dimensions {
			if name == strings.ToUpper(e+"_"+d) {
				return true
			}
		}
	}
	return false
}

// compileOverrides checks the tenant's overrides and parses the templates in
// their strings.
func compileOverrides(cs *compiledSchema, v any, field Field) (map[string]any, Problems) {
	if v == nil {
		return nil, nil
	}
	if err := tree.CheckLimits(v, MaxOverrideDepth, MaxOverrideNodes); err != nil {
		return nil, Problems{{Field: field, Path: errPath(err), Summary: "Overrides are too large", Detail: err.Error()}}
	}
	if err := checkOverrideSize(v); err != nil {
		return nil, Problems{{Field: field, Summary: "Overrides are too large", Detail: sentence(capitalize(err.Error())) + " " + LimitsDescription}}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, Problems{{Field: field, Summary: "Overrides must be an object",
			Detail: "Set " + string(field) + " to an object whose keys are sections of the configuration, for example { monitoring = { alerts = { storage_threshold = 90 } } }."}}
	}
	compiled, err := tree.FromOverrides(m, string(field))
	if err != nil {
		return nil, Problems{{Field: field, Path: errPath(err), Summary: "Invalid placeholder in overrides",
			Detail: errText(err) + " In HCL, write $$${ for a literal ${ (HCL turns $${ into ${); in a YAML file, write $${."}}
	}
	overrides, _ := compiled.(map[string]any)
	var ps Problems
	for _, p := range cs.locked {
		if _, set := tree.Lookup(overrides, p...); set {
			dotted := strings.Join(p, ".")
			ps = append(ps, Problem{Field: field, Path: dotted,
				Summary: fmt.Sprintf("%s cannot be overridden", dotted),
				Detail:  lockedDetail(p[0])})
		}
	}
	return overrides, ps
}

// layerRegulations merges the regulations argument into the template.
func layerRegulations(tmpl any, in Input, overrides map[string]any) (any, Problems) {
	if in.Regulations == nil {
		return tmpl, nil
	}
	if _, set := tree.Lookup(overrides, "compliance", "regulations"); set {
		return nil, Problems{{Field: FieldRegulations, Path: "compliance.regulations",
			Summary: "Regulations are set twice",
			Detail:  "Set regulations either with the regulations argument or in overrides at compliance.regulations, not both."}}
	}
	regs := make([]any, 0, len(in.Regulations))
	for _, r := range sortedUnique(in.Regulations) {
		regs = append(regs, r)
	}
	layered, err := tree.Merge(tmpl, map[string]any{"compliance": map[string]any{"regulations": regs}})
	if err != nil {
		return nil, Problems{{Field: FieldTier, Path: "compliance", Summary: "The tier template cannot hold regulations", Detail: errText(err) + catalogHint}}
	}
	return layered, nil
}

func lockedDetail(section string) string {
	if section == "tenant_info" || section == "subscription" {
		return "It is derived from the resource's arguments (tenant_id, tenant_name, tier, environment, region, timezone): change those instead, and remove this key from overrides."
	}
	return "Isolation names are derived from tenant_id so that no two tenants can share a schema, collection or key prefix; remove this key from overrides."
}

func errPath(err error) string {
	if te, ok := err.(*tree.Error); ok {
		if te.Path != "" {
			return te.Path
		}
		return te.Pos.Path
	}
	return ""
}

// errText returns the error's message without the position prefix that
// errPath already carries for overrides.
func errText(err error) string {
	te, ok := err.(*tree.Error)
	if !ok {
		return err.Error()
	}
	if te.Pos.File != "" && te.Pos.Line > 0 {
		return sentence(te.Pos.String() + ": " + te.Msg)
	}
	return sentence(capitalize(te.Msg))
}

// sentence ends s with a full stop unless it already ends with punctuation.
func sentence(s string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return s
	}
	return s + "."
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sortedUnique(in []string) []string {
	out := slices.Clone(in)
	slices.Sort(out)
	return slices.Compact(out)
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func didYouMean(word string, candidates []string) string {
	if s := tree.DidYouMean(word, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}
