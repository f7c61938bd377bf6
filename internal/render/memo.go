package render

import "sync"

// memo remembers the answers of a pure function for a bounded number of
// keys. A fleet repeats the same values from tenant to tenant (a region, a
// backup schedule, an override shared by many tenants), and plan and apply
// each render every tenant, so most checks of a value have been made before.
// Once full, a memo keeps what it has and answers new keys without keeping
// them: the answers never depend on what it holds.
type memo[K comparable] struct {
	mu sync.Mutex
	m  map[K]bool
}

// Limits of a memo: the number of keys, and the longest string kept as one.
const (
	memoKeys      = 4096
	memoMaxString = 256
)

func (c *memo[K]) get(k K, f func(K) bool) bool {
	c.mu.Lock()
	v, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = f(k)
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[K]bool)
	}
	if len(c.m) < memoKeys {
		c.m[k] = v
	}
	c.mu.Unlock()
	return v
}

// memoizable reports whether a scalar is worth keeping as a memo key: short
// strings and the other scalars, but not NaN, which equals no key.
func memoizable(v any) bool {
	switch x := v.(type) {
	case string:
		return len(x) <= memoMaxString
	case float64:
		return x == x //nolint:gocritic // false for NaN only
	case int64, bool, nil:
		return true
	}
	return false
}
