package ui

import (
	"runtime"
	"syscall"
	"testing"
)

// niceOfThisThread is the calling thread's nice value (the raw syscall
// returns 20 - nice).
func niceOfThisThread(t *testing.T) int {
	t.Helper()
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		t.Fatal(err)
	}
	return 20 - p
}

// Background work runs at nice 10 on a thread of its own; the caller's
// thread, and later goroutines, keep their priority.
func TestGoBackgroundLowersOnlyItsThread(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before := niceOfThisThread(t)
	if before >= 10 {
		// At nice 10 or more already, running at 10 is no change to see (and
		// an unprivileged thread cannot go back to 10 from above it).
		t.Skipf("the tests run at nice %d: a lowering to 10 cannot be seen; run them at a nice value under 10", before)
	}
	got := make(chan int)
	goBackground(func() { got <- niceOfThisThread(t) })
	if n := <-got; n != 10 {
		t.Errorf("background nice %d, want 10 (was %d)", n, before)
	}
	if n := niceOfThisThread(t); n != before {
		t.Errorf("caller's nice changed from %d to %d", before, n)
	}
	later := make(chan int)
	for range 4 {
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			later <- niceOfThisThread(t)
		}()
		if n := <-later; n != before {
			t.Errorf("a later goroutine runs at nice %d, want %d", n, before)
		}
	}
}
