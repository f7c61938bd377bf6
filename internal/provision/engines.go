package provision

// The engine registry: one row per engine that has provisioning artifacts,
// in output order. Generate, FromConfig, the provisioning function's fields
// and the resources that enforce an engine on a live server all read it, and
// TestEngineRegistry ties them together, so that a new engine is one row here
// plus its generator method.
var registry = []engineDef{
	{
		name:     PostgreSQL,
		input:    func(in *Input) **Engine { return &in.PostgreSQL },
		generate: func(g *generator, e *Engine, a *Artifacts) error { return g.postgresqlArtifacts(e, a) },
		artifacts: []artifactField{
			{"postgresql", func(a *Artifacts) **string { return &a.PostgreSQL }},
			{"postgresql_teardown", func(a *Artifacts) **string { return &a.PostgreSQLTeardown }},
		},
		resource: ResourcePostgreSQL,
	},
	{
		name:     MongoDB,
		input:    func(in *Input) **Engine { return &in.MongoDB },
		generate: func(g *generator, e *Engine, a *Artifacts) error { return set(&a.MongoDB)(g.mongodb(e)) },
		artifacts: []artifactField{
			{"mongodb", func(a *Artifacts) **string { return &a.MongoDB }},
		},
	},
	{
		name:     Redis,
		input:    func(in *Input) **Engine { return &in.Redis },
		generate: func(g *generator, e *Engine, a *Artifacts) error { return set(&a.RedisACL)(g.redis(e)) },
		artifacts: []artifactField{
			{"redis_acl", func(a *Artifacts) **string { return &a.RedisACL }},
		},
		resource: ResourceRedis,
	},
	{
		name:     ClickHouse,
		input:    func(in *Input) **Engine { return &in.ClickHouse },
		generate: func(g *generator, e *Engine, a *Artifacts) error { return set(&a.ClickHouse)(g.clickhouse(e)) },
		artifacts: []artifactField{
			{"clickhouse", func(a *Artifacts) **string { return &a.ClickHouse }},
		},
	},
	{
		name:     Elasticsearch,
		input:    func(in *Input) **Engine { return &in.Elasticsearch },
		generate: func(g *generator, e *Engine, a *Artifacts) error { return set(&a.Elasticsearch)(g.elasticsearch(e)) },
		artifacts: []artifactField{
			{"elasticsearch", func(a *Artifacts) **string { return &a.Elasticsearch }},
		},
	},
}

// The Terraform resource types that enforce an engine on a live server.
const (
	ResourcePostgreSQL = "tenant_postgresql"
	ResourceRedis      = "tenant_redis"
)

// engineDef is one row of the registry.
type engineDef struct {
	name string
	// input is the engine's entry of an Input.
	input func(*Input) **Engine
	// generate writes the engine's artifacts into a.
	generate func(g *generator, e *Engine, a *Artifacts) error
	// artifacts are the engine's fields of Artifacts, by the name the
	// provisioning function gives them.
	artifacts []artifactField
	// resource is the type of the resource that converges the engine on a
	// server; "" when there is none.
	resource string
}

type artifactField struct {
	name string
	get  func(*Artifacts) **string
}

// set stores a generator's result in *field.
func set(field **string) func(string, error) error {
	return func(s string, err error) error {
		if err != nil {
			return err
		}
		*field = &s
		return nil
	}
}

// EngineInfo describes one engine of the registry.
type EngineInfo struct {
	Name string
	// Artifacts are the names of the engine's provisioning artifacts.
	Artifacts []string
	// Resource is the type of the resource that enforces the engine on a
	// server ("" when none does).
	Resource string
}

// Registry lists the engines with provisioning artifacts, in output order.
func Registry() []EngineInfo {
	out := make([]EngineInfo, len(registry))
	for i, d := range registry {
		out[i] = EngineInfo{Name: d.name, Resource: d.resource}
		for _, f := range d.artifacts {
			out[i].Artifacts = append(out[i].Artifacts, f.name)
		}
	}
	return out
}

// ArtifactNames lists the names of every artifact, in output order.
func ArtifactNames() []string {
	var out []string
	for _, d := range registry {
		for _, f := range d.artifacts {
			out = append(out, f.name)
		}
	}
	return out
}

// ByName returns the artifacts by name (ArtifactNames); an artifact of a
// disabled engine is nil.
func (a *Artifacts) ByName() map[string]*string {
	out := map[string]*string{}
	for _, d := range registry {
		for _, f := range d.artifacts {
			out[f.name] = *f.get(a)
		}
	}
	return out
}

func lookupEngine(name string) *engineDef {
	for i := range registry {
		if registry[i].name == name {
			return &registry[i]
		}
	}
	return nil
}

// engine returns the entry of the named engine.
func (in *Input) engine(name string) *Engine {
	if d := lookupEngine(name); d != nil {
		return *d.input(in)
	}
	return nil
}

func (in *Input) setEngine(name string, e *Engine) {
	if d := lookupEngine(name); d != nil {
		*d.input(in) = e
	}
}
