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
// A memo is a fixed table of slots, each key hashed to one slot. A key
// found in its slot is answered from it; any other is computed and takes
// the slot. A value that comes back often keeps its slot, or wins it back,
// whatever passes in between, and a memo that sees only new keys costs a
// hash and one comparison per key. Answers never depend on what the memo
// holds.
type memo[K comparable] struct {
	mu    sync.Mutex
	slots *[memoSlots]memoSlot[K] // made on first use
}

type memoSlot[K comparable] struct {
	key    K
	answer bool
	set    bool
}

// Limits of a memo: its number of slots (a power of two), and the longest
// string it keeps as a key.
const (
	memoSlots     = 512
	memoMaxString = 256
)

var memoSeed = maphash.MakeSeed()

func (c *memo[K]) get(k K, hash uint64, f func(K) bool) bool {
	i := hash & (memoSlots - 1)
	c.mu.Lock()
	if c.slots != nil {
		if s := &c.slots[i]; s.set && s.key == k {
			answer := s.answer
			c.mu.Unlock()
			return answer
		}
	}
	c.mu.Unlock()
	answer := f(k)
	c.mu.Lock()
	if c.slots == nil {
		c.slots = new([memoSlots]memoSlot[K])
	}
	c.slots[i] = memoSlot[K]{key: k, answer: answer, set: true}
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
