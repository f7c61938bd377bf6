package render

import (
	"math"
	"testing"
)

func TestMemo(t *testing.T) {
	calls := 0
	isLong := func(v any) bool {
		calls++
		s, _ := v.(string)
		return len(s) > 3
	}
	var m memo[any]
	ask := func(v any) bool {
		t.Helper()
		h, ok := scalarHash(v)
		if !ok {
			t.Fatalf("scalarHash(%#v) refused", v)
		}
		return m.get(v, h, isLong)
	}
	if !ask("long") || ask("abc") {
		t.Fatal("wrong answers")
	}
	if !ask("long") || calls != 2 {
		t.Fatalf("a repeated key was computed again: %d calls", calls)
	}
	// Every slot taken by other keys: the answers stay right, and a key
	// pushed out is computed again and takes its slot back.
	for i := range 4 * memoSlots {
		if got, want := ask(int64(i)), false; got != want {
			t.Fatalf("int64 %d: %v", i, got)
		}
	}
	before := calls
	for range 2 {
		if !ask("long") {
			t.Fatal("wrong answer after eviction")
		}
	}
	if calls > before+1 {
		t.Fatalf("a key computed %d times after eviction", calls-before)
	}
	// Keys of one set used in turn keep their slots, even while new keys
	// pass through the set.
	var set memo[any]
	setCalls := 0
	count := func(any) bool { setCalls++; return true }
	for i := range 100 {
		set.get("a", 7, count)
		set.get("b", 7, count)
		set.get(int64(i), 7, count) // a new key each time
	}
	if setCalls != 2+100 {
		t.Errorf("keys in turn in one set: %d computations, want %d", setCalls, 2+100)
	}
	// Equal-looking values of different types are different keys.
	var types memo[any]
	isString := func(v any) bool { _, ok := v.(string); return ok }
	for range 2 {
		for _, v := range []any{"1", int64(1), float64(1), true, nil} {
			h, ok := scalarHash(v)
			if !ok {
				t.Fatalf("scalarHash(%#v) refused", v)
			}
			if got := types.get(v, h, isString); got != isString(v) {
				t.Fatalf("%#v: answer %v", v, got)
			}
		}
	}
	if _, ok := scalarHash(math.NaN()); ok {
		t.Error("NaN is kept as a key, though it equals nothing")
	}
	long := string(make([]byte, memoMaxString+1))
	if _, ok := scalarHash(long); ok {
		t.Error("a string over memoMaxString is kept as a key")
	}
	if _, ok := scalarHash(map[string]any{}); ok {
		t.Error("a map is kept as a key")
	}
}
