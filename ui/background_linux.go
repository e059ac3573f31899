package ui

import "syscall"

// lowerThreadPriority sets the calling thread's nice value to 10. On Linux
// PRIO_PROCESS with a thread ID applies to that thread alone.
func lowerThreadPriority() {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), 10)
}
