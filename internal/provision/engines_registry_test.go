package provision

import (
	"slices"
	"testing"

	"github.com/tenantry/terraform-provider-tenant/internal/engines"
)

// enforcers are the convergers of the engines that a resource enforces on a
// live server, by engine: a row of the registry with a resource needs one.
var enforcers = map[string]any{
	PostgreSQL: (*PostgreSQLTenant).Converge,
	Redis:      ConvergeRedis,
}

// TestEngineRegistry ties the registry to the generators, the artifacts and
// the resources: every engine has an entry of Input, a generator that fills
// its artifacts and only those, and every engine with a resource has its
// converger.
func TestEngineRegistry(t *testing.T) {
	cat := defaultCatalog(t)
	in, a := artifacts(t, cat, "sample", "enterprise")
	if len(registry) != len(Engines) {
		t.Fatalf("Engines has %d engines, the registry %d", len(Engines), len(registry))
	}
	seen := map[string]bool{}
	for i, d := range registry {
		if Engines[i] != d.name {
			t.Errorf("Engines[%d] = %s, registry row %s", i, Engines[i], d.name)
		}
		if d.input == nil || d.generate == nil || len(d.artifacts) == 0 {
			t.Errorf("%s: the registry row lacks its input, generator or artifacts", d.name)
			continue
		}
		e := in.engine(d.name)
		if e == nil {
			t.Errorf("%s: the enterprise sample does not enable it; every engine must be provable here", d.name)
			continue
		}
		g, err := newGenerator(in)
		if err != nil {
			t.Fatal(err)
		}
		var only Artifacts
		if err := d.generate(g, e, &only); err != nil {
			t.Errorf("%s: %v", d.name, err)
			continue
		}
		mine := map[string]bool{}
		for _, f := range d.artifacts {
			if seen[f.name] {
				t.Errorf("artifact %s appears twice", f.name)
			}
			seen[f.name], mine[f.name] = true, true
			if *f.get(&only) == nil || *f.get(&a) == nil {
				t.Errorf("%s: artifact %s is not generated", d.name, f.name)
			}
		}
		for name, v := range only.ByName() {
			if v != nil && !mine[name] {
				t.Errorf("%s's generator writes the artifact %s of another engine", d.name, name)
			}
		}
		var empty Input
		empty.setEngine(d.name, e)
		if empty.engine(d.name) != e {
			t.Errorf("%s: setEngine and engine disagree", d.name)
		}
		if d.resource != "" && enforcers[d.name] == nil {
			t.Errorf("%s is enforced by %s but has no converger", d.name, d.resource)
		}
	}
	if names := ArtifactNames(); len(names) != len(seen) || len(a.ByName()) != len(names) {
		t.Errorf("ArtifactNames %v, ByName %d entries", names, len(a.ByName()))
	}
	for name := range enforcers {
		if d := lookupEngine(name); d == nil || d.resource == "" {
			t.Errorf("%s has a converger but no resource in the registry", name)
		}
	}
	var resources []string
	for _, e := range Registry() {
		if e.Resource != "" {
			resources = append(resources, e.Resource)
		}
	}
	if !slices.Contains(resources, ResourcePostgreSQL) {
		t.Errorf("resources %v", resources)
	}
}

// The registry and the engines' rules (internal/engines) know the same
// engines, in the same order.
func TestEngineRegistryMatchesTheRules(t *testing.T) {
	if !slices.Equal(Engines, engines.Engines) {
		t.Errorf("the registry's engines %v, the rules' %v", Engines, engines.Engines)
	}
}
