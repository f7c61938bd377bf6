// Package render turns a tenant's inputs into its full configuration: it
// layers the catalog templates and the tenant's overrides, substitutes the
// template variables, validates the result against the tier's rules and the
// JSON Schema, and writes canonical YAML. It is the one place where rendering
// happens; it knows nothing of Terraform.
package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// Limits on the overrides object: far above any real configuration, low
// enough that a runaway input cannot exhaust the provider.
const (
	MaxOverrideDepth = 32
	MaxOverrideNodes = 20000
)

// TenantIDPattern is the form of a tenant id: it becomes SQL identifiers and
// key prefixes.
const TenantIDPattern = `^[a-z][a-z0-9_]{2,39}$`

var (
	tenantIDRE = regexp.MustCompile(TenantIDPattern)
	varNameRE  = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	regionRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
)

// BuiltinVariables are the variables every render defines, besides the
// per-engine ceilings (<ENGINE>_CPU_CORES, ...).
var BuiltinVariables = []string{"TENANT_ID", "TENANT_NAME", "TENANT_TYPE", "ENVIRONMENT", "REGION", "TIMEZONE"}

// Field names the input an error is about.
type Field string

// The inputs a Problem can point at.
const (
	FieldTenantID    Field = "tenant_id"
	FieldTenantName  Field = "tenant_name"
	FieldTier        Field = "tier"
	FieldEnvironment Field = "environment"
	FieldRegion      Field = "region"
	FieldTimezone    Field = "timezone"
	FieldOverrides   Field = "overrides"
	FieldVariables   Field = "variables"
	FieldRegulations Field = "regulations"
	// FieldCatalog is a problem of the tier template itself.
	FieldCatalog Field = "catalog"
)

// Problem is one reason a configuration cannot be rendered.
type Problem struct {
	// Field is the input the problem is about.
	Field Field
	// Path is the dotted path inside the rendered configuration (and so
	// inside overrides), or the key of variables; empty when the whole
	// input is meant.
	Path string
	// Summary says what is wrong; Detail says why and how to fix it.
	Summary string
	Detail  string
}

func (p Problem) Error() string {
	where := string(p.Field)
	if p.Path != "" {
		where += " at " + p.Path
	}
	return fmt.Sprintf("%s: %s. %s", where, p.Summary, p.Detail)
}

// Problems is every problem a render found.
type Problems []Problem

func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "\n")
}

// Input is what a tenant_config resource provides.
type Input struct {
	TenantID    string
	TenantName  string
	Tier        string
	Environment string
	Region      string
	Timezone    string
	// Overrides is a tree (see package tree) from the resource's overrides;
	// nil when unset. Render never modifies it and may keep it, to share
	// work with later renders of the same overrides: do not modify it
	// afterwards.
	Overrides any
	// Variables are extra template variables.
	Variables map[string]string
	// Regulations are claimed by the resource's regulations argument; nil
	// when unset (then overrides may set compliance.regulations).
	Regulations []string
}

// Result is a rendered, validated configuration.
type Result struct {
	// Config is the rendered tree. Callers must not modify it.
	Config map[string]any
	// YAML is the canonical YAML of Config.
	YAML string
	// Checksum is the hex SHA-256 of YAML.
	Checksum string
	Summary  Summary
}

// lockedPaths cannot be set by overrides: they are derived from the tenant id
// (isolation names) or from the resource's own arguments.
var lockedPaths = [][]string{
	{"tenant_info"},
	{"subscription", "tier"},
	{"databases", "postgresql", "schemas"},
	{"databases", "mongodb", "collections"},
	{"databases", "redis", "namespaces"},
	{"databases", "clickhouse", "database"},
	{"databases", "elasticsearch", "index_prefix"},
	{"databases", "timescaledb", "schema"},
}

// LockedPaths returns the dotted paths overrides cannot change.
func LockedPaths() []string {
	out := make([]string, len(lockedPaths))
	for i, p := range lockedPaths {
		out[i] = strings.Join(p, ".")
	}
	return out
}

// Render renders and validates one tenant's configuration. Identical inputs
// give a byte-identical Result.YAML.
func Render(cat *catalog.Catalog, in Input) (*Result, Problems) {
	tier, problems := checkInput(cat, in)
	if len(problems) > 0 {
		return nil, problems
	}
	ref := referenceFor(cat, tier, in.Environment)
	if shared, rest := share(cat, tier, in, ref); shared != nil {
		// The shared template holds the regulations and the sections of
		// the overrides that other tenants share, which rendered for the
		// sample tenant without a problem; the rest is this tenant's own.
		ref, in = shared, rest
	}
	return render(cat, tier, in, ref)
}

// render renders checked input with the reference of its tier and
// environment, which makes the work faster, never different.
func render(cat *catalog.Catalog, tier *catalog.Tier, in Input, ref *reference) (*Result, Problems) {
	cfg, problems := build(ref, in)
	if len(problems) > 0 {
		return nil, problems
	}
	if problems := validate(cat, tier, cfg, ref.cfg); len(problems) > 0 {
		return nil, problems
	}
	out, err := tree.EncodeWith(cfg, ref.yaml)
	if err != nil {
		return nil, Problems{{Field: FieldOverrides, Path: errPath(err), Summary: "The configuration cannot be written as YAML", Detail: err.Error()}}
	}
	sum := sha256.Sum256(unsafe.Slice(unsafe.StringData(out), len(out))) // read only
	return &Result{
		Config:   cfg,
		YAML:     out,
		Checksum: hex.EncodeToString(sum[:]),
		Summary:  Summarize(cfg),
	}, nil
}

// reference holds what every render of one tier and environment shares:
// the template with the variables that are the same for every tenant already
// resolved (the ceilings, TENANT_TYPE and ENVIRONMENT), and the render of a
// sample tenant from it, checked and written once. A tenant's render shares
// most of its maps with that sample, so only the rest is checked against
// the schema and written as YAML again.
type reference struct {
	base *tree.Base
	// cfg and yaml are the sample's render; nil while the sample itself is
	// rendered, or when it does not render.
	cfg  map[string]any
	yaml *tree.Encoded
}

type referenceKey struct{ tier, environment string }

// referenceFor returns the reference of a tier and environment, made on first
// use and kept with the catalog.
func referenceFor(cat *catalog.Catalog, tier *catalog.Tier, environment string) *reference {
	v := cat.Memo(referenceKey{tier.Name, environment}, func() any {
		tmpl, _ := tier.Template(environment)
		ref := &reference{base: tree.NewBase(tmpl, fixedVars(tier, environment))}
		// Without a sample, renders only share the base (the catalog check
		// reports the sample's problems).
		ref.renderSample(cat, tier, sampleInput(tier, environment))
		return ref
	})
	ref, _ := v.(*reference)
	return ref
}

// renderSample renders sample from the reference's base with the full
// checks and, when it renders without a problem, keeps it as the
// reference's sample. It reports whether it did.
func (r *reference) renderSample(cat *catalog.Catalog, tier *catalog.Tier, sample Input) bool {
	res, ps := render(cat, tier, sample, r)
	if len(ps) > 0 {
		return false
	}
	enc, err := tree.NewEncoded(res.Config)
	if err != nil {
		return false
	}
	r.cfg, r.yaml = res.Config, enc
	return true
}

// fixedVars returns the variables that are the same for every tenant of a
// tier and environment: the tier's ceilings, TENANT_TYPE and ENVIRONMENT.
func fixedVars(tier *catalog.Tier, environment string) map[string]any {
	vars := make(map[string]any, len(tier.Variables())+len(BuiltinVariables))
	for k, v := range tier.Variables() {
		vars[k] = v
	}
	vars["TENANT_TYPE"] = tier.Name
	vars["ENVIRONMENT"] = environment
	return vars
}

// CheckInput checks the resource's scalar arguments against the catalog
// without rendering.
func checkInput(cat *catalog.Catalog, in Input) (*catalog.Tier, Problems) {
	var ps Problems
	add := func(f Field, path, summary, detail string) {
		ps = append(ps, Problem{Field: f, Path: path, Summary: summary, Detail: detail})
	}
	if !tenantIDRE.MatchString(in.TenantID) {
		add(FieldTenantID, "", fmt.Sprintf("Invalid tenant id %q", in.TenantID),
			"A tenant id becomes SQL identifiers and key prefixes: it must start with a lowercase letter and hold 3 to 40 characters a-z, 0-9 and _.")
	}
	if msg := CheckTenantName(in.TenantName); msg != "" {
		add(FieldTenantName, "", "Invalid tenant name", msg)
	}
	tier, ok := cat.Tier(in.Tier)
	if !ok {
		add(FieldTier, "", fmt.Sprintf("Unknown tier %q", in.Tier),
			fmt.Sprintf("The catalog's tiers are %s.%s", quoteList(cat.Names()), didYouMean(in.Tier, cat.Names())))
	} else if _, ok := tier.Template(in.Environment); !ok {
		add(FieldEnvironment, "", fmt.Sprintf("Unknown environment %q", in.Environment),
			fmt.Sprintf("Tier %s defines the environments %s.%s", tier.Name, quoteList(tier.Environments()), didYouMean(in.Environment, tier.Environments())))
	}
	if !regionRE.MatchString(in.Region) {
		add(FieldRegion, "", fmt.Sprintf("Invalid region %q", in.Region),
			"A region is a lowercase cloud region name such as us-east-1 or eu-west-1.")
	}
	if err := CheckTimezone(in.Timezone); err != nil {
		add(FieldTimezone, "", fmt.Sprintf("Unknown time zone %q", in.Timezone),
			"Use an IANA time zone name such as UTC, Europe/Berlin or America/New_York.")
	}
	for _, k := range sortedKeys(in.Variables) {
		switch {
		case !varNameRE.MatchString(k):
			add(FieldVariables, k, fmt.Sprintf("Invalid variable name %q", k),
				"Variable names are upper case: a letter, then letters, digits and _ (for example SLACK_CHANNEL).")
		case slices.Contains(BuiltinVariables, k) || tier != nil && tier.Variables()[k] != nil || isCeilingVariable(k):
			add(FieldVariables, k, fmt.Sprintf("Variable %s is built in", k),
				"Built-in variables come from the resource's arguments and the tier's ceilings; pick another name.")
		}
	}
	for _, r := range in.Regulations {
		if !slices.Contains(catalog.Regulations, r) {
			add(FieldRegulations, "", fmt.Sprintf("Unknown regulation %q", r),
				fmt.Sprintf("Regulations are %s.%s", quoteList(catalog.Regulations), didYouMean(r, catalog.Regulations)))
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

var zones sync.Map

// CheckTimezone reports whether name is an IANA time zone. Results are
// cached: loading a zone reads the zone database.
func CheckTimezone(name string) error {
	if v, ok := zones.Load(name); ok {
		if v == nil {
			return nil
		}
		return v.(error) //nolint:forcetypeassert // only errors are stored
	}
	// Local is the machine's zone, not a name a configuration can rely on.
	_, err := time.LoadLocation(name)
	if name == "" || name == "Local" {
		err = fmt.Errorf("unknown time zone %q", name)
	}
	if err != nil {
		zones.Store(name, err)
		return err
	}
	zones.Store(name, nil)
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

// build layers the templates and the tenant's inputs, then substitutes the
// variables.
func build(ref *reference, in Input) (map[string]any, Problems) {
	layered, overrides, ps := layer(ref, in)
	if len(ps) > 0 {
		return nil, ps
	}

	// The base holds the variables that are the same for every tenant;
	// checkInput keeps the resource's variables from redefining them.
	vars := make(map[string]any, len(in.Variables)+4)
	for k, v := range in.Variables {
		vars[k] = v
	}
	vars["TENANT_ID"] = in.TenantID
	vars["TENANT_NAME"] = in.TenantName
	vars["REGION"] = in.Region
	vars["TIMEZONE"] = in.Timezone

	out, ok := ref.base.MergeSubstitute(layered, overrides, vars)
	if !ok {
		// Merge, then substitute, to tell which fails and why.
		merged, err := tree.Merge(layered, overrides)
		if err != nil {
			return nil, Problems{{Field: FieldOverrides, Path: errPath(err), Summary: "Override does not fit the configuration",
				Detail: errText(err) + " An override replaces a value of the same kind: a section (object) with an object, a value with a value; null deletes a key."}}
		}
		if out, err = ref.base.Substitute(merged, vars); err != nil {
			f := FieldCatalog
			if te, ok := err.(*tree.Error); ok && te.Pos.File == string(FieldOverrides) {
				f = FieldOverrides
			}
			return nil, Problems{{Field: f, Path: errPath(err), Summary: "Unknown template variable",
				Detail: errText(err) + " Define it in the resource's variables map, or write $${ for a literal ${."}}
		}
	}
	cfg, ok := out.(map[string]any)
	if !ok {
		return nil, Problems{{Field: FieldCatalog, Summary: "The tier template is not an object", Detail: "A template's config section must be a mapping."}}
	}
	return cfg, nil
}

// layer compiles and checks the tenant's overrides and layers the
// regulations on the base's tree. The overrides are merged in with the
// substitution.
func layer(ref *reference, in Input) (layered any, overrides map[string]any, ps Problems) {
	if in.Overrides != nil {
		if err := tree.CheckLimits(in.Overrides, MaxOverrideDepth, MaxOverrideNodes); err != nil {
			return nil, nil, Problems{{Field: FieldOverrides, Path: errPath(err), Summary: "Overrides are too large", Detail: err.Error()}}
		}
		m, ok := in.Overrides.(map[string]any)
		if !ok {
			return nil, nil, Problems{{Field: FieldOverrides, Summary: "Overrides must be an object",
				Detail: "Set overrides to an object whose keys are sections of the configuration, for example { monitoring = { alerts = { storage_threshold = 90 } } }."}}
		}
		compiled, err := tree.FromOverrides(m, string(FieldOverrides))
		if err != nil {
			return nil, nil, Problems{{Field: FieldOverrides, Path: errPath(err), Summary: "Invalid placeholder in overrides", Detail: errText(err) + " Write $${ for a literal ${."}}
		}
		overrides, _ = compiled.(map[string]any)
		ps = append(ps, checkLocked(overrides)...)
	}

	layered = ref.base.Root()
	if in.Regulations != nil {
		if _, set := tree.Lookup(overrides, "compliance", "regulations"); set {
			ps = append(ps, Problem{Field: FieldRegulations, Path: "compliance.regulations",
				Summary: "Regulations are set twice",
				Detail:  "Set regulations either with the regulations argument or in overrides at compliance.regulations, not both."})
		}
		regs := make([]any, 0, len(in.Regulations))
		for _, r := range sortedUnique(in.Regulations) {
			regs = append(regs, r)
		}
		var err error
		layered, err = tree.Merge(layered, map[string]any{"compliance": map[string]any{"regulations": regs}})
		if err != nil {
			ps = append(ps, Problem{Field: FieldCatalog, Path: "compliance", Summary: "The tier template cannot hold regulations", Detail: errText(err)})
		}
	}
	return layered, overrides, ps
}

// checkLocked reports every override of a locked path.
func checkLocked(overrides map[string]any) Problems {
	var ps Problems
	for _, p := range lockedPaths {
		if _, set := tree.Lookup(overrides, p...); set {
			dotted := strings.Join(p, ".")
			ps = append(ps, Problem{Field: FieldOverrides, Path: dotted,
				Summary: fmt.Sprintf("%s cannot be overridden", dotted),
				Detail:  lockedDetail(p[0])})
		}
	}
	return ps
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
