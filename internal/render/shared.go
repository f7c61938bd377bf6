package render

import (
	"hash/maphash"
	"maps"
	"slices"
	"sync"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// Tenants that share their overrides
//
// A fleet often gives many tenants the same overrides and regulations (a
// module's defaults, a handful of profiles). Their renders then differ from
// each other only where their names differ, as renders without overrides
// do, so they can share a reference of their own: the tier's template with
// those overrides and regulations merged in, and the render of a sample
// tenant from it, checked and written once.
//
// Such a reference is made when the same overrides and regulations come
// again for the same tier and environment, and kept in a small table of
// slots in sets of four, as in a memo: inputs hash to a set, and new inputs
// take the set's least recently used slot. A fleet whose overrides are each
// tenant's own pays only for hashing them, and never for a reference it
// would use once; the profiles of a fleet in use together keep their slots.

// The table's number of slots and the size of its sets (powers of two).
// Each slot holds a sample render of a few tens of kilobytes.
const (
	sharedSlots = 64
	sharedWays  = 4
)

type sharedTable struct {
	mu    sync.Mutex
	slots [sharedSlots]sharedSlot
	clock uint64 // counts uses, to tell the least recent
}

// sharedSlot is overrides and regulations seen at its slot.
type sharedSlot struct {
	hash        uint64
	tier, env   string
	overrides   any
	regulations []string
	used        uint64 // the clock at the last use; 0 for a free slot
	// ref is made on the second render with these inputs; nil before, or
	// when they do not render for the sample tenant.
	ref  *reference
	made bool
}

type sharedTableKey struct{}

var sharedSeed = maphash.MakeSeed()

// sharedReference returns the reference of the tenants that share in's
// tier, environment, overrides and regulations, or nil: when in has neither
// overrides nor regulations, when they are seen for the first time, or when
// they do not render. ref is the reference of the tier and environment.
func sharedReference(cat *catalog.Catalog, tier *catalog.Tier, in Input, ref *reference) *reference {
	if in.Overrides == nil && in.Regulations == nil || ref.cfg == nil {
		return nil
	}
	h, ok := tree.Hash(sharedSeed, in.Overrides)
	if !ok {
		return nil
	}
	for _, r := range in.Regulations {
		h = h*31 + maphash.String(sharedSeed, r)
	}
	if in.Regulations != nil {
		h++ // set, though maybe empty
	}
	h ^= maphash.String(sharedSeed, tier.Name) ^ maphash.String(sharedSeed, in.Environment)*3

	t, _ := cat.Memo(sharedTableKey{}, func() any { return new(sharedTable) }).(*sharedTable)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clock++
	first := int(h%(sharedSlots/sharedWays)) * sharedWays
	set := t.slots[first : first+sharedWays]
	var s *sharedSlot
	for i := range set {
		if set[i].used > 0 && set[i].hash == h && set[i].tier == tier.Name && set[i].env == in.Environment &&
			sameRegulations(set[i].regulations, in.Regulations) && tree.Equal(set[i].overrides, in.Overrides) {
			s = &set[i]
			break
		}
	}
	if s == nil {
		oldest := &set[0]
		for i := range set {
			if set[i].used < oldest.used {
				oldest = &set[i]
			}
		}
		*oldest = sharedSlot{hash: h, tier: tier.Name, env: in.Environment, overrides: in.Overrides,
			regulations: slices.Clone(in.Regulations), used: t.clock}
		return nil
	}
	s.used = t.clock
	if !s.made {
		s.ref, s.made = newSharedReference(cat, tier, in, ref), true
	}
	return s.ref
}

func sameRegulations(a, b []string) bool {
	return (a == nil) == (b == nil) && slices.Equal(a, b)
}

// newSharedReference makes the reference of in's overrides and regulations,
// or returns nil when they do not render for the sample tenant (then each
// render reports its problems as without sharing).
func newSharedReference(cat *catalog.Catalog, tier *catalog.Tier, in Input, ref *reference) *reference {
	layered, overrides, ps := layer(ref, in)
	if len(ps) > 0 {
		return nil
	}
	merged, err := tree.Merge(layered, overrides)
	if err != nil {
		return nil
	}
	shared := &reference{base: tree.NewBase(merged, fixedVars(tier, in.Environment))}
	// The sample tenant, with the variables of in (its overrides may use
	// them) over the sample's own.
	sample := sampleInput(tier, in.Environment)
	maps.Copy(sample.Variables, in.Variables)
	res, ps := render(cat, tier, sample, shared)
	if len(ps) > 0 {
		return nil
	}
	enc, err := tree.NewEncoded(res.Config)
	if err != nil {
		return nil
	}
	shared.cfg, shared.yaml = res.Config, enc
	return shared
}
