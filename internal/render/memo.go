package render

import (
	"hash/maphash"
	"math"
	"sync"
)

// memo remembers the answers of a pure function for recent keys. A fleet
// repeats the same values from tenant to tenant (a region, a backup
// schedule, an override shared by many tenants), and plan and apply each
// render every tenant, so most checks of such a value have been made before.
// Other values are each tenant's own (its name, its schema names) and are
// seldom asked again.
//
// A memo is a fixed table of slots in sets of memoWays: a key hashes to a
// set, is answered from it when found there, and is otherwise computed and
// takes the set's least recently used slot. A value that comes back often
// keeps its slot, or wins it back, whatever passes in between, and a few
// values in use together never push each other out; a memo that sees only
// new keys costs a hash and a few comparisons per key. Answers never depend
// on what the memo holds.
type memo[K comparable] struct {
	mu    sync.Mutex
	slots *[memoSlots]memoSlot[K] // made on first use
	clock uint64                  // counts uses, to tell the least recent
}

type memoSlot[K comparable] struct {
	hash   uint64
	key    K
	answer bool
	set    bool
	used   uint64 // the clock at the last use
}

// Limits of a memo: its number of slots and the size of its sets (powers of
// two), and the longest string it keeps as a key.
const (
	memoSlots     = 512
	memoWays      = 4
	memoMaxString = 256
)

var memoSeed = maphash.MakeSeed()

func (c *memo[K]) get(k K, hash uint64, f func(K) bool) bool {
	first := int(hash%(memoSlots/memoWays)) * memoWays
	c.mu.Lock()
	if c.slots != nil {
		set := c.slots[first : first+memoWays]
		for i := range set {
			if set[i].set && set[i].hash == hash && set[i].key == k {
				c.clock++
				set[i].used = c.clock
				answer := set[i].answer
				c.mu.Unlock()
				return answer
			}
		}
	}
	c.mu.Unlock()
	answer := f(k)
	c.mu.Lock()
	if c.slots == nil {
		c.slots = new([memoSlots]memoSlot[K])
	}
	set := c.slots[first : first+memoWays]
	oldest := 0
	for i := range set {
		if set[i].used < set[oldest].used {
			oldest = i
		}
	}
	c.clock++
	set[oldest] = memoSlot[K]{hash: hash, key: k, answer: answer, set: true, used: c.clock}
	c.mu.Unlock()
	return answer
}

// scalarHash returns the hash of a scalar worth keeping as a memo key, and
// false for other values: strings longer than memoMaxString, NaN (which
// equals no key), maps and lists. Values of different types hash apart.
func scalarHash(v any) (uint64, bool) {
	switch x := v.(type) {
	case string:
		if len(x) > memoMaxString {
			return 0, false
		}
		return maphash.String(memoSeed, x), true
	case float64:
		if math.IsNaN(x) {
			return 0, false
		}
		return maphash.Comparable(memoSeed, math.Float64bits(x)) ^ 1, true
	case int64:
		return maphash.Comparable(memoSeed, x) ^ 2, true
	case bool:
		if x {
			return 3, true
		}
		return 4, true
	case nil:
		return 5, true
	}
	return 0, false
}
