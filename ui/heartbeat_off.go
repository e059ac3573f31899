//go:build !jwkdesk_bench

package ui

// startHeartbeat measures UI stalls in a benchmark build only
// (heartbeat.go, tag jwkdesk_bench); the shipped app does nothing here.
func startHeartbeat() {}

// startProfile profiles a benchmark build only (heartbeat.go); it returns
// the function that ends the profile.
func startProfile() (stop func()) { return func() {} }
