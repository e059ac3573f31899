package ui

import "runtime"

// goBackground runs f on a goroutine with an OS thread of its own at a
// lowered scheduling priority, so CPU-bound work (an RSA 4096 key takes
// most of a second of one core) leaves the cores to the UI thread and the
// GL painter first: on a two-core machine generating at normal priority
// stalled the window for up to 350 ms.
func goBackground(f func()) {
	go func() {
		// Never unlocked: the thread ends with the goroutine and takes its
		// lowered priority with it (an unprivileged process cannot raise a
		// thread's priority back), so no other goroutine inherits it.
		runtime.LockOSThread()
		lowerThreadPriority()
		f()
	}()
}
