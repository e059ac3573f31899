//go:build jwkdesk_bench

// The benchmark hooks: built only with the jwkdesk_bench tag, which
// `make bench` (scripts/bench.sh) sets; the shipped binary reads no
// benchmark environment variable (heartbeat_off.go).

package ui

import (
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// heartbeat measures how long the UI event loop stalls: every 10 ms it asks
// the main goroutine (fyne.Do) to record the time, and keeps the longest gap
// between two records. Enabled when JWKDESK_HEARTBEAT names a file:
// every second a line "<unix ms> <longest gap in ms during that second>" is
// appended, so a benchmark script can take the worst stall over the time it
// drove a scenario.
func startHeartbeat() {
	path := os.Getenv("JWKDESK_HEARTBEAT")
	if path == "" {
		return
	}
	var mu sync.Mutex
	last := time.Now()
	var worst time.Duration
	go func() {
		tick := time.NewTicker(10 * time.Millisecond)
		report := time.NewTicker(time.Second)
		for {
			select {
			case <-tick.C:
				fyne.Do(func() {
					now := time.Now()
					mu.Lock()
					if gap := now.Sub(last); gap > worst {
						worst = gap
					}
					last = now
					mu.Unlock()
				})
			case now := <-report.C:
				mu.Lock()
				w := worst
				worst = 0
				mu.Unlock()
				if f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
					fmt.Fprintf(f, "%d %d\n", now.UnixMilli(), w.Milliseconds())
					f.Close()
				}
			}
		}
	}()
}

// startProfile writes a CPU profile of the whole run to the file named by
// JWKDESK_CPUPROFILE (for the benchmarks: where a stall comes from); it
// returns the function that ends it, run when the app stops.
func startProfile() (stop func()) {
	path := os.Getenv("JWKDESK_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "JWKDESK_CPUPROFILE:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "JWKDESK_CPUPROFILE:", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
