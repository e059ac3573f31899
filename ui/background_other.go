//go:build !linux

package ui

// lowerThreadPriority does nothing where threads have no nice value of
// their own; the work still runs off the UI thread.
func lowerThreadPriority() {}
