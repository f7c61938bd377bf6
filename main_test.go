package main

import (
	"os"
	rdebug "runtime/debug"
	"testing"
)

// The provider collects garbage at gcPercent unless GOGC says otherwise.
func TestTuneGC(t *testing.T) {
	defer rdebug.SetGCPercent(rdebug.SetGCPercent(100))

	t.Setenv("GOGC", "") // restored when the test ends
	if err := os.Unsetenv("GOGC"); err != nil {
		t.Fatal(err)
	}
	rdebug.SetGCPercent(100)
	tuneGC()
	if got := rdebug.SetGCPercent(100); got != gcPercent {
		t.Errorf("without GOGC: GC percent %d, want %d", got, gcPercent)
	}

	t.Setenv("GOGC", "50")
	rdebug.SetGCPercent(50)
	tuneGC()
	if got := rdebug.SetGCPercent(100); got != 50 {
		t.Errorf("with GOGC=50: GC percent %d, want the user's 50", got)
	}
}
