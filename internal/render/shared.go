package render

import (
	"cmp"
	"hash/maphash"
	"maps"
	"slices"
	"sync"

	"github.com/tenantry/terraform-provider-tenant/internal/catalog"
	"github.com/tenantry/terraform-provider-tenant/internal/tree"
)

// Tenants that share sections of their overrides
//
// A fleet often gives many tenants the same overrides, or the same sections
// of them (a module's monitoring and backup defaults, a handful of
// profiles), next to sections of their own (a cost center, an owner). The
// renders of such tenants differ from each other in their own sections and
// names only, so they can share a reference of their own: the tier's
// template with the shared sections (and the regulations) merged in, and the
// render of a sample tenant from it, checked and written once. Each render
// then merges, checks and writes only its own sections and names.
//
// A section is a top-level key of the overrides with its value. Sections
// seen for a second time, in any tenant, are shared; a reference is made for
// a set of shared sections (and regulations) when that set comes again. Both
// are kept in small tables of slots in sets of four, as in a memo: keys hash
// to a set, and new keys take its least recently used slot, so that what is
// in use together stays. A fleet whose overrides are each tenant's own pays
// only for hashing them, and never for a reference it would use once.
//
// The sections of the overrides are disjoint keys, so merging the shared
// ones into the template first and the others later gives exactly the merge
// of all of them at once.

// Sizes of the tables (powers of two): their number of slots and the size of
// their sets. A reference holds a sample render of a few tens of kilobytes.
const (
	sharedSlots  = 64
	sectionSlots = 256
	tableWays    = 4
)

type sharedTables struct {
	mu       sync.Mutex
	clock    uint64 // counts uses, to tell the least recent
	refs     [sharedSlots]sharedSlot
	sections [sectionSlots]sectionSlot
}

// sectionSlot is one section of overrides seen in a tier and environment.
type sectionSlot struct {
	hash      uint64
	tier, env string
	name      string
	value     any    // as first seen: later equal values share it
	used      uint64 // the clock at the last use; 0 for a free slot
}

// sharedSlot is a set of shared sections and regulations seen together.
type sharedSlot struct {
	hash      uint64
	tier, env string
	// sections are the shared sections, by name: the values kept by the
	// section slots, compared by identity.
	sections    map[string]any
	regulations []string
	used        uint64
	// ref is made on the second render with these sections; nil before, or
	// when they do not render for the sample tenant.
	ref  *reference
	made bool
}

type sharedTablesKey struct{}

var sharedSeed = maphash.MakeSeed()

// share returns the reference in's renders can share and what remains of
// in for them: its own sections as overrides, and no regulations. It
// returns nil and in when in shares nothing yet, or when sharing cannot
// give exactly the render without it. ref is the tier and environment's
// reference.
func share(cat *catalog.Catalog, tier *catalog.Tier, in Input, ref *reference) (*reference, Input) {
	if in.Overrides == nil && in.Regulations == nil || ref.cfg == nil {
		return nil, in
	}
	overrides, isMap := in.Overrides.(map[string]any)
	if in.Overrides != nil && !isMap {
		return nil, in // an error, reported without sharing
	}
	var buf [16]section
	secs := buf[:0]
	nodes, levels := 1, 1
	for name, v := range overrides {
		h, n, l, ok := tree.Hash(sharedSeed, v)
		if !ok {
			return nil, in
		}
		nodes, levels = nodes+n, max(levels, l+1)
		secs = append(secs, section{name: name, hash: h, value: v})
	}
	if nodes > MaxOverrideNodes || levels > MaxOverrideDepth {
		return nil, in // too large: reported without sharing
	}
	slices.SortFunc(secs, func(a, b section) int { return cmp.Compare(a.name, b.name) })

	t, _ := cat.Memo(sharedTablesKey{}, func() any { return new(sharedTables) }).(*sharedTables)
	t.mu.Lock()
	defer t.mu.Unlock()
	h := maphash.String(sharedSeed, tier.Name) ^ maphash.String(sharedSeed, in.Environment)*3
	own, shared := 0, 0
	for i := range secs {
		s := &secs[i]
		s.kept, s.shared = t.section(tier.Name, in.Environment, s.name, s.hash, s.value)
		if s.shared {
			shared++
			h = (h^maphash.String(sharedSeed, s.name))*0x9e3779b97f4a7c15 ^ s.hash
		} else {
			own++
		}
	}
	if shared == 0 && in.Regulations == nil {
		return nil, in
	}
	rest := in
	rest.Overrides, rest.Regulations = nil, nil
	if own > 0 {
		m := make(map[string]any, own)
		for _, s := range secs {
			if !s.shared {
				m[s.name] = s.value
			}
		}
		if in.Regulations != nil {
			if _, set := tree.Lookup(m, "compliance", "regulations"); set {
				return nil, in // set twice: reported without sharing
			}
		}
		rest.Overrides = m
	}
	for _, r := range in.Regulations {
		h = h*31 + maphash.String(sharedSeed, r)
	}
	if in.Regulations != nil {
		h++ // set, though maybe empty
	}
	slot := t.reference(h, tier.Name, in.Environment, secs, shared, in.Regulations)
	if slot == nil {
		return nil, in
	}
	if !slot.made {
		with := in
		with.Overrides = nil
		if len(slot.sections) > 0 {
			with.Overrides = slot.sections
		}
		slot.ref, slot.made = newSharedReference(cat, tier, with, ref), true
	}
	if slot.ref == nil {
		return nil, in
	}
	return slot.ref, rest
}

// section is one top-level key of a tenant's overrides, with its value.
type section struct {
	name   string
	hash   uint64
	value  any
	kept   any // the value kept for it, when shared
	shared bool
}

// section records a sighting of a section and returns the value kept for
// it and whether it is shared: seen before, now or in another tenant.
func (t *sharedTables) section(tier, env, name string, h uint64, v any) (any, bool) {
	t.clock++
	first := int(h%(sectionSlots/tableWays)) * tableWays
	set := t.sections[first : first+tableWays]
	for i := range set {
		s := &set[i]
		if s.used > 0 && s.hash == h && s.name == name && s.tier == tier && s.env == env && tree.Equal(s.value, v) {
			s.used = t.clock
			return s.value, true
		}
	}
	*oldest(set, func(s *sectionSlot) uint64 { return s.used }) = sectionSlot{hash: h, tier: tier, env: env, name: name,
		value: v, used: t.clock}
	return nil, false
}

// reference returns the slot of the shared sections of secs (shared of
// them) and the regulations, or nil when they are seen for the first time.
func (t *sharedTables) reference(h uint64, tier, env string, secs []section, shared int, regulations []string) *sharedSlot {
	t.clock++
	first := int(h%(sharedSlots/tableWays)) * tableWays
	set := t.refs[first : first+tableWays]
	for i := range set {
		s := &set[i]
		if s.used > 0 && s.hash == h && s.tier == tier && s.env == env && sameRegulations(s.regulations, regulations) &&
			sameSections(s.sections, secs, shared) {
			s.used = t.clock
			return s
		}
	}
	kept := make(map[string]any, shared)
	for _, s := range secs {
		if s.shared {
			kept[s.name] = s.kept
		}
	}
	*oldest(set, func(s *sharedSlot) uint64 { return s.used }) = sharedSlot{hash: h, tier: tier, env: env,
		sections: kept, regulations: slices.Clone(regulations), used: t.clock}
	return nil
}

// oldest returns the least recently used slot of a set.
func oldest[S any](set []S, used func(*S) uint64) *S {
	o := &set[0]
	for i := range set {
		if used(&set[i]) < used(o) {
			o = &set[i]
		}
	}
	return o
}

// sameSections reports whether kept holds exactly the shared sections of
// secs (shared of them), by the very same kept values.
func sameSections(kept map[string]any, secs []section, shared int) bool {
	if len(kept) != shared {
		return false
	}
	for _, s := range secs {
		if !s.shared {
			continue
		}
		v, ok := kept[s.name]
		if !ok || !tree.Same(v, s.kept) {
			return false
		}
	}
	return true
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
	if !shared.renderSample(cat, tier, sample) {
		return nil
	}
	return shared
}
