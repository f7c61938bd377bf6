// Package catalog loads the tier catalog: the generic tenant template and one
// template per subscription tier. A catalog is parsed and checked once; the
// tiers it returns are immutable and safe to share between goroutines.
package catalog

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/tenantry/terraform-provider-tenant/internal/tree"
	"github.com/tenantry/terraform-provider-tenant/templates"
)

// BaseName is the name of the generic template every tier extends.
const BaseName = "tenant"

// Engines lists the database engines a configuration can hold, in the order
// they are shown to users: the engines of the base template's databases
// section, in the order it lists them. Adding an engine is adding it there,
// to the JSON Schema and to the tiers that offer it.
var Engines = baseEngines()

// baseEngines reads the keys of config.databases in the embedded base
// template, in file order.
func baseEngines() []string {
	data, err := templates.FS.ReadFile(BaseName + ".yml")
	if err != nil {
		panic("the embedded catalog has no base template: " + err.Error())
	}
	var doc struct {
		Config struct {
			Databases yaml.Node `yaml:"databases"`
		} `yaml:"config"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil || doc.Config.Databases.Kind != yaml.MappingNode {
		panic(fmt.Sprintf("the embedded base template has no databases section: %v", err))
	}
	var out []string
	for i := 0; i+1 < len(doc.Config.Databases.Content); i += 2 {
		out = append(out, doc.Config.Databases.Content[i].Value)
	}
	return out
}

// Dimensions lists the per-engine resource dimensions a tier sets ceilings on.
var Dimensions = []string{"cpu_cores", "memory_gb", "storage_gb", "max_connections", "iops"}

// Regulations lists the regulations a tenant may claim, when its tier allows.
var Regulations = []string{"GDPR", "SOX", "HIPAA", "PCI-DSS"}

// Environments lists the environments every catalog defines overrides for.
var Environments = []string{"development", "staging", "production"}

var tierNameRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

// maxFileSize bounds a catalog file: a catalog is hand-written YAML.
const maxFileSize = 1 << 20

// Limits are a tier's subscription limits.
type Limits struct {
	MaxUsers         int64   `yaml:"max_users"`
	StorageGB        float64 `yaml:"storage_gb"`
	APICallsPerMonth int64   `yaml:"api_calls_per_month"`
	DBConnections    int64   `yaml:"db_connections"`
}

// Ceiling is a tier's ceiling for one engine. A nil dimension has no ceiling:
// the tier does not provision it.
type Ceiling struct {
	CPUCores       *float64 `yaml:"cpu_cores"`
	MemoryGB       *float64 `yaml:"memory_gb"`
	StorageGB      *float64 `yaml:"storage_gb"`
	MaxConnections *float64 `yaml:"max_connections"`
	IOPS           *float64 `yaml:"iops"`
}

// Get returns the ceiling for a dimension of Dimensions.
func (c Ceiling) Get(dim string) (float64, bool) {
	var p *float64
	switch dim {
	case "cpu_cores":
		p = c.CPUCores
	case "memory_gb":
		p = c.MemoryGB
	case "storage_gb":
		p = c.StorageGB
	case "max_connections":
		p = c.MaxConnections
	case "iops":
		p = c.IOPS
	}
	if p == nil {
		return 0, false
	}
	return *p, true
}

// Requirements are what a tier requires and a tenant cannot switch off.
type Requirements struct {
	Encryption bool `yaml:"encryption"`
	Auditing   bool `yaml:"auditing"`
}

// Tier is one tier of the catalog after `extends` is resolved.
type Tier struct {
	Name        string
	File        string
	Rank        int
	Description string
	Extends     string
	Abstract    bool

	Limits           Limits
	Ceilings         map[string]Ceiling
	CeilingsRaisable bool
	TolerancePercent float64
	Requires         Requirements
	Regulations      []string

	// config is the merged template (base, ancestors, this tier) with its
	// placeholders still in place; envConfig adds each environment's layer.
	config    any
	envLayers []map[string]any
	envConfig map[string]any
	vars      map[string]any
	// origins say where each file of the tier's ancestry, base first, sets
	// the paths of its config and environments.
	origins []*origin
}

// origin records the line of every mapping key of one file's config and
// environment layers, by dotted path.
type origin struct {
	file   string
	config map[string]int
	envs   map[string]map[string]int
}

// Origin returns the catalog file and line that set a dotted config path in
// the tier's template for environment: the last layer that sets it (the
// environment layers come after every config). When no file sets path
// itself, the closest enclosing path that one sets is used; line is 0 when
// none is found.
func (t *Tier) Origin(environment, path string) (file string, line int) {
	for p := path; p != ""; p = parentPath(p) {
		for i := len(t.origins) - 1; i >= 0; i-- {
			if l, ok := t.origins[i].envs[environment][p]; ok {
				return t.origins[i].file, l
			}
		}
		for i := len(t.origins) - 1; i >= 0; i-- {
			if l, ok := t.origins[i].config[p]; ok {
				return t.origins[i].file, l
			}
		}
	}
	return "", 0
}

// parentPath returns the dotted path above p ("a.b[0]" and "a.b.0" are below "a.b").
func parentPath(p string) string {
	if i := strings.LastIndexAny(p, ".["); i > 0 {
		return p[:i]
	}
	return ""
}

// keyLines returns the line of every mapping key under node, by dotted path.
func keyLines(node *yaml.Node) map[string]int {
	out := map[string]int{}
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := n.Content[i].Value
			if prefix != "" {
				p = prefix + "." + p
			}
			out[p] = n.Content[i].Line
			walk(n.Content[i+1], p)
		}
	}
	walk(node, "")
	return out
}

// Offers reports whether the tier offers an engine.
func (t *Tier) Offers(engine string) bool {
	_, ok := t.Ceilings[engine]
	return ok
}

// OfferedEngines returns the engines the tier offers, in Engines order.
func (t *Tier) OfferedEngines() []string {
	var out []string
	for _, e := range Engines {
		if t.Offers(e) {
			out = append(out, e)
		}
	}
	return out
}

// AllowsRegulation reports whether a tenant of the tier may claim reg.
func (t *Tier) AllowsRegulation(reg string) bool {
	return slices.Contains(t.Regulations, reg)
}

// Template returns the tier's merged template for an environment, with its
// placeholders unresolved. The tree is shared: callers must not modify it.
func (t *Tier) Template(environment string) (any, bool) {
	c, ok := t.envConfig[environment]
	return c, ok
}

// Environments returns the environments the tier defines, sorted.
func (t *Tier) Environments() []string {
	out := make([]string, 0, len(t.envConfig))
	for e := range t.envConfig {
		out = append(out, e)
	}
	slices.Sort(out)
	return out
}

// Variables returns the tier's own template variables: the per-engine
// ceilings (POSTGRESQL_CPU_CORES, ...). Callers must not modify the map.
func (t *Tier) Variables() map[string]any { return t.vars }

// Catalog is a loaded, checked tier catalog.
type Catalog struct {
	tiers  map[string]*Tier
	ranked []*Tier
	// Source says where the catalog came from: "embedded" or a directory.
	Source string
	// Digest is the hex SHA-256 of the catalog's files (their names and
	// bytes, in name order): equal digests mean the same catalog.
	Digest string
}

// Tier returns the named tier. The base template is not a tier.
func (c *Catalog) Tier(name string) (*Tier, bool) {
	t, ok := c.tiers[name]
	if !ok || t.Abstract {
		return nil, false
	}
	return t, true
}

// Tiers returns every tier ordered by rank, then name.
func (c *Catalog) Tiers() []*Tier { return c.ranked }

// Names returns the tier names ordered by rank, then name.
func (c *Catalog) Names() []string {
	out := make([]string, len(c.ranked))
	for i, t := range c.ranked {
		out[i] = t.Name
	}
	return out
}

// FirstOffering returns the lowest-ranked tier that offers engine, if any.
func (c *Catalog) FirstOffering(engine string) (*Tier, bool) {
	for _, t := range c.ranked {
		if t.Offers(engine) {
			return t, true
		}
	}
	return nil, false
}

// FirstAllowing returns the lowest-ranked tier that allows a regulation.
func (c *Catalog) FirstAllowing(reg string) (*Tier, bool) {
	for _, t := range c.ranked {
		if t.AllowsRegulation(reg) {
			return t, true
		}
	}
	return nil, false
}

var defaultCatalog = sync.OnceValues(func() (*Catalog, error) {
	return load(templates.FS, nil, "embedded")
})

// Default returns the embedded catalog, parsed once per process.
func Default() (*Catalog, error) { return defaultCatalog() }

// LoadDir loads a custom catalog: the embedded templates plus every *.yml
// file of dir. A file of dir replaces the embedded file of the same name, and
// a new file adds a tier that may extend any other.
func LoadDir(dir string) (*Catalog, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("templates_dir %q: %w", dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("templates_dir %q is not a directory", dir)
	}
	return load(templates.FS, os.DirFS(dir), dir)
}

// Error is a catalog problem; it names the file and, when known, the line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// fileMeta is the `tier:` part of one file, before `extends` is resolved.
// Pointer fields tell "not set" (inherited) from a zero value.
type fileMeta struct {
	Name             string               `yaml:"name"`
	Rank             *int                 `yaml:"rank"`
	Extends          *string              `yaml:"extends"`
	Abstract         bool                 `yaml:"abstract"`
	Description      *string              `yaml:"description"`
	Limits           *Limits              `yaml:"limits"`
	Databases        map[string]Ceiling   `yaml:"databases"`
	CeilingsRaisable *bool                `yaml:"ceilings_raisable"`
	TolerancePercent *float64             `yaml:"tolerance_percent"`
	Requires         *Requirements        `yaml:"requires"`
	Regulations      *[]string            `yaml:"regulations"`
	Environments     map[string]yaml.Node `yaml:"environments"`
}

type parsedFile struct {
	file    string
	meta    fileMeta
	metaPos int
	// metaLines holds the line of every key of `tier:`, by dotted path.
	metaLines map[string]int
	config    any
	envs      map[string]any
	origin    *origin
	// sum is the SHA-256 of the file's bytes.
	sum [sha256.Size]byte
}

func load(embedded fs.FS, custom fs.FS, source string) (*Catalog, error) {
	files := map[string]*parsedFile{}
	if err := readAll(embedded, files); err != nil {
		return nil, err
	}
	if custom != nil {
		if err := readAll(custom, files); err != nil {
			return nil, err
		}
	}
	if _, ok := files[BaseName]; !ok {
		return nil, &Error{File: BaseName + ".yml", Msg: "the base template is missing"}
	}

	c := &Catalog{tiers: map[string]*Tier{}, Source: source, Digest: digest(files)}
	var resolve func(name string, seen []string) (*Tier, error)
	resolve = func(name string, seen []string) (*Tier, error) {
		if t, ok := c.tiers[name]; ok {
			return t, nil
		}
		pf := files[name]
		if slices.Contains(seen, name) {
			return nil, &Error{File: pf.file, Line: pf.metaPos, Msg: fmt.Sprintf("extends cycle: %s -> %s", strings.Join(seen, " -> "), name)}
		}
		t, err := resolveTier(pf, files, func(parent string) (*Tier, error) { return resolve(parent, append(seen, name)) })
		if err != nil {
			return nil, err
		}
		c.tiers[name] = t
		return t, nil
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		t, err := resolve(name, nil)
		if err != nil {
			return nil, err
		}
		if !t.Abstract {
			c.ranked = append(c.ranked, t)
		}
	}
	if len(c.ranked) == 0 {
		return nil, &Error{File: source, Msg: "the catalog defines no tier"}
	}
	slices.SortFunc(c.ranked, func(a, b *Tier) int {
		return cmp.Or(cmp.Compare(a.Rank, b.Rank), cmp.Compare(a.Name, b.Name))
	})
	return c, nil
}

// digest is the Catalog.Digest of files.
func digest(files map[string]*parsedFile) string {
	h := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(files)) {
		pf := files[name]
		fmt.Fprintf(h, "%d:%s:", len(pf.file), pf.file)
		h.Write(pf.sum[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// readAll parses every *.yml file at the top of fsys into files.
func readAll(fsys fs.FS, files map[string]*parsedFile) error {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return fmt.Errorf("reading the catalog: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yml") {
			continue
		}
		pf, err := parseFile(fsys, e.Name())
		if err != nil {
			return err
		}
		files[pf.meta.Name] = pf
	}
	return nil
}

func parseFile(fsys fs.FS, name string) (*parsedFile, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	if len(data) > maxFileSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("file is larger than %d bytes", maxFileSize)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: name, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: 1, Msg: "a catalog file is a mapping with the keys `tier` and `config`"}
	}
	root := doc.Content[0]
	pf := &parsedFile{file: name, sum: sha256.Sum256(data)}
	var metaNode, configNode *yaml.Node
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if first, dup := seen[k.Value]; dup {
			return nil, &Error{File: name, Line: k.Line, Msg: fmt.Sprintf("duplicate key %q (first defined at line %d)", k.Value, first)}
		}
		seen[k.Value] = k.Line
		switch k.Value {
		case "tier":
			metaNode = v
		case "config":
			configNode = v
		default:
			return nil, &Error{File: name, Line: k.Line, Msg: fmt.Sprintf("unknown top-level key %q: a catalog file has the keys `tier` and `config`", k.Value)}
		}
	}
	if metaNode == nil {
		return nil, &Error{File: name, Line: 1, Msg: "missing the `tier` section"}
	}
	if configNode == nil {
		return nil, &Error{File: name, Line: 1, Msg: "missing the `config` section"}
	}
	pf.metaPos = metaNode.Line
	pf.metaLines = keyLines(metaNode)
	if err := decodeStrict(data, &pf.meta); err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	stem := strings.TrimSuffix(path.Base(name), ".yml")
	if pf.meta.Name == "" {
		return nil, &Error{File: name, Line: metaNode.Line, Msg: "tier.name is required"}
	}
	if pf.meta.Name != stem {
		return nil, &Error{File: name, Line: metaNode.Line, Msg: fmt.Sprintf("tier.name %q must match the file name %q", pf.meta.Name, stem)}
	}
	if !tierNameRE.MatchString(pf.meta.Name) {
		return nil, &Error{File: name, Line: metaNode.Line, Msg: fmt.Sprintf("tier name %q must start with a lowercase letter and hold only a-z, 0-9, _ and - (at most 40 characters)", pf.meta.Name)}
	}
	if configNode.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: configNode.Line, Msg: "`config` must be a mapping"}
	}
	cfg, err := tree.FromYAML(configNode, name)
	if err != nil {
		return nil, err
	}
	pf.config = cfg
	pf.envs = map[string]any{}
	pf.origin = &origin{file: name, config: keyLines(configNode), envs: map[string]map[string]int{}}
	for env, node := range pf.meta.Environments {
		pf.origin.envs[env] = keyLines(&node)
		if node.Kind != yaml.MappingNode {
			return nil, &Error{File: name, Line: node.Line, Msg: fmt.Sprintf("tier.environments.%s must be a mapping of config overrides", env)}
		}
		v, err := tree.FromYAML(&node, name)
		if err != nil {
			return nil, err
		}
		pf.envs[env] = v
	}
	return pf, nil
}

// decodeStrict decodes the `tier:` part of a catalog file into meta and
// rejects unknown fields, so that a misspelled key in a catalog is an error, not
// a silently ignored setting. It decodes the file's own text, so that line
// numbers (in errors and in the environments' nodes) are the file's.
func decodeStrict(data []byte, meta *fileMeta) error {
	doc := struct {
		Tier   *fileMeta `yaml:"tier"`
		Config yaml.Node `yaml:"config"`
	}{Tier: meta}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return remapLines(err, 0)
	}
	return nil
}

var lineRE = regexp.MustCompile(`line (\d+)`)

func remapLines(err error, offset int) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.ReplaceAll(msg, "unmarshal errors:\n  ", "")
	msg = strings.ReplaceAll(msg, "\n  ", "; ")
	msg = lineRE.ReplaceAllStringFunc(msg, func(s string) string {
		var n int
		_, _ = fmt.Sscanf(s, "line %d", &n)
		return fmt.Sprintf("line %d", n+offset)
	})
	msg = strings.ReplaceAll(msg, "catalog.fileMeta", "tier")
	msg = strings.ReplaceAll(msg, "catalog.Limits", "limits")
	msg = strings.ReplaceAll(msg, "catalog.Ceiling", "ceiling")
	msg = strings.ReplaceAll(msg, "catalog.Requirements", "requires")
	return errors.New(msg)
}

func resolveTier(pf *parsedFile, files map[string]*parsedFile, parentOf func(string) (*Tier, error)) (*Tier, error) {
	m := pf.meta
	t := &Tier{Name: m.Name, File: pf.file, Abstract: m.Abstract}
	// fail reports a problem at the line of key in this file's `tier:`
	// section (or of its nearest parent key); a value inherited from another
	// file is reported at the `tier:` line.
	fail := func(key, format string, args ...any) error {
		line := pf.metaPos
		for k := key; k != ""; k = parentKey(k) {
			if l, ok := pf.metaLines[k]; ok {
				line = l
				break
			}
		}
		return &Error{File: pf.file, Line: line, Msg: fmt.Sprintf(format, args...)}
	}

	var parent *Tier
	if m.Name != BaseName {
		t.Extends = BaseName
		if m.Extends != nil {
			t.Extends = *m.Extends
		}
		if _, ok := files[t.Extends]; !ok {
			return nil, fail("extends", "tier.extends: unknown template %q%s", t.Extends, suggest(t.Extends, keys(files)))
		}
		var err error
		if parent, err = parentOf(t.Extends); err != nil {
			return nil, err
		}
	} else if m.Extends != nil {
		return nil, fail("extends", "the base template cannot extend another template")
	}

	// Metadata: inherited from the parent unless set here.
	if parent != nil {
		t.Rank, t.Description, t.Limits = parent.Rank, parent.Description, parent.Limits
		t.CeilingsRaisable, t.TolerancePercent, t.Requires = parent.CeilingsRaisable, parent.TolerancePercent, parent.Requires
		t.Regulations = slices.Clone(parent.Regulations)
		t.Ceilings = make(map[string]Ceiling, len(parent.Ceilings))
		for e, c := range parent.Ceilings {
			t.Ceilings[e] = c
		}
	} else {
		t.Ceilings = map[string]Ceiling{}
	}
	if m.Rank != nil {
		t.Rank = *m.Rank
	}
	if m.Description != nil {
		t.Description = *m.Description
	}
	if m.Limits != nil {
		t.Limits = *m.Limits
	}
	if m.CeilingsRaisable != nil {
		t.CeilingsRaisable = *m.CeilingsRaisable
	}
	if m.TolerancePercent != nil {
		t.TolerancePercent = *m.TolerancePercent
	}
	if m.Requires != nil {
		t.Requires = *m.Requires
	}
	if m.Regulations != nil {
		t.Regulations = slices.Clone(*m.Regulations)
	}
	for e, c := range m.Databases {
		t.Ceilings[e] = c
	}
	if err := checkMeta(t, fail); err != nil {
		return nil, err
	}

	// Config: the parent's merged template, then this file's.
	var err error
	t.config = pf.config
	if parent != nil {
		if t.config, err = tree.Merge(parent.config, pf.config); err != nil {
			return nil, &Error{File: pf.file, Msg: "config: " + err.Error()}
		}
	}
	// Environments: the layers of every ancestor, then this file's, on top.
	if parent != nil {
		t.envLayers = slices.Clone(parent.envLayers)
	}
	t.envLayers = append(t.envLayers, pf.envs)
	t.envConfig = map[string]any{}
	for _, layer := range t.envLayers {
		for e := range layer {
			t.envConfig[e] = nil
		}
	}
	for e := range t.envConfig {
		layered := t.config
		for _, layer := range t.envLayers {
			if ov, ok := layer[e]; ok {
				if layered, err = tree.Merge(layered, ov); err != nil {
					return nil, &Error{File: pf.file, Msg: fmt.Sprintf("environment %s: %v", e, err)}
				}
			}
		}
		t.envConfig[e] = layered
	}
	if parent != nil {
		t.origins = slices.Clone(parent.origins)
	}
	t.origins = append(t.origins, pf.origin)
	t.vars = ceilingVars(t)
	return t, nil
}

func checkMeta(t *Tier, fail func(key, format string, args ...any) error) error {
	for e, c := range t.Ceilings {
		if !slices.Contains(Engines, e) {
			return fail("databases."+e, "tier.databases: unknown engine %q%s (engines: %s)", e, suggest(e, Engines), strings.Join(Engines, ", "))
		}
		for _, d := range Dimensions {
			if v, ok := c.Get(d); ok && v <= 0 {
				return fail("databases."+e+"."+d, "tier.databases.%s.%s must be positive, got %v", e, d, v)
			}
		}
	}
	for _, r := range t.Regulations {
		if !slices.Contains(Regulations, r) {
			return fail("regulations", "tier.regulations: unknown regulation %q%s (known: %s)", r, suggest(r, Regulations), strings.Join(Regulations, ", "))
		}
	}
	if t.TolerancePercent < 0 || t.TolerancePercent > 100 {
		return fail("tolerance_percent", "tier.tolerance_percent must be between 0 and 100, got %v", t.TolerancePercent)
	}
	if t.Abstract {
		return nil
	}
	if t.Rank < 1 {
		return fail("rank", "tier.rank is required and must be at least 1")
	}
	if t.Limits.MaxUsers <= 0 || t.Limits.StorageGB <= 0 || t.Limits.APICallsPerMonth <= 0 || t.Limits.DBConnections <= 0 {
		return fail("limits", "tier.limits: max_users, storage_gb, api_calls_per_month and db_connections are required and must be positive")
	}
	if len(t.Ceilings) == 0 {
		return fail("databases", "tier.databases: a tier must offer at least one engine")
	}
	return nil
}

// ceilingVars returns the <ENGINE>_<DIMENSION> variables of a tier: counts
// (connections, IOPS) are integers, sizes are numbers.
func ceilingVars(t *Tier) map[string]any {
	vars := map[string]any{}
	for e, c := range t.Ceilings {
		for _, d := range Dimensions {
			v, ok := c.Get(d)
			if !ok {
				continue
			}
			name := strings.ToUpper(e + "_" + d)
			if d == "max_connections" || d == "iops" {
				vars[name] = int64(v)
			} else {
				vars[name] = v
			}
		}
	}
	return vars
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func suggest(word string, candidates []string) string {
	if s := tree.DidYouMean(word, candidates); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}

// parentKey returns the dotted path of key's parent, or "".
func parentKey(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[:i]
	}
	return ""
}
