package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// debouncer runs a tab's slow work off the UI thread after a pause in
// typing, and applies the result on the main goroutine in one fyne.Do —
// unless newer work was scheduled meanwhile (a stale result is dropped).
type debouncer struct {
	delay    time.Duration
	mu       sync.Mutex // guards seq and timer
	seq      int
	timer    *time.Timer
	inflight sync.WaitGroup // work scheduled and not yet applied (tests wait on it)
	// after, when set (tests), runs at the end of the fyne.Do that applied a
	// result, or right after cancel.
	after func()
	// gate, when set (tests), holds the work back until closed: Fyne's test
	// driver runs fyne.Do in place, so a test closes it once the widget
	// change that scheduled the work has returned, and neither the result
	// nor any progress the work shows meanwhile races with that change.
	gate chan struct{}
}

// stop drops scheduled work; call with mu held.
func (d *debouncer) stop() {
	d.seq++
	if d.timer != nil && d.timer.Stop() {
		d.inflight.Done() // the stopped work will never run
	}
	d.timer = nil
}

// cancel drops scheduled work (the input was emptied, say).
func (d *debouncer) cancel() {
	d.mu.Lock()
	d.stop()
	d.mu.Unlock()
	d.finish()
}

// schedule runs work after the delay on its own goroutine; work returns the
// function that shows its result, which runs on the main goroutine.
func (d *debouncer) schedule(work func() (apply func())) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stop()
	seq := d.seq
	d.inflight.Add(1)
	gate := d.gate
	d.timer = time.AfterFunc(d.delay, func() {
		defer d.inflight.Done()
		if gate != nil {
			<-gate
		}
		apply := work()
		fyne.Do(func() {
			d.mu.Lock()
			stale := seq != d.seq
			d.mu.Unlock()
			if stale {
				return
			}
			apply()
			d.finish()
		})
	})
}

func (d *debouncer) finish() {
	if d.after != nil {
		d.after()
	}
}
