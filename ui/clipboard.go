package ui

import (
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"github.com/atotto/clipboard"
)

// clipboardBackend is where copied text goes: the system clipboard through
// atotto/clipboard (xclip, xsel, wl-copy…), or Fyne's own clipboard where no
// such utility is installed.
type clipboardBackend interface {
	Write(text string) error
	Read() (string, error)
	Name() string
}

type systemClipboard struct{}

func (systemClipboard) Write(text string) error { return clipboard.WriteAll(text) }
func (systemClipboard) Read() (string, error)   { return clipboard.ReadAll() }
func (systemClipboard) Name() string            { return "system clipboard" }

// readsOffMain: atotto runs a helper (xclip…), which any goroutine may wait for.
func (systemClipboard) readsOffMain() bool { return true }

// fyneClipboard must be used on the Fyne main goroutine.
type fyneClipboard struct{ cb fyne.Clipboard }

func (f fyneClipboard) Write(text string) error { f.cb.SetContent(text); return nil }
func (f fyneClipboard) Read() (string, error)   { return f.cb.Content(), nil }
func (f fyneClipboard) Name() string            { return "Fyne clipboard" }

// chooseClipboard prefers the system clipboard and falls back to Fyne's when
// atotto reports that no clipboard utility is installed.
func chooseClipboard(systemUnsupported bool, app fyne.App) clipboardBackend {
	if systemUnsupported {
		return fyneClipboard{app.Clipboard()}
	}
	return systemClipboard{}
}

// Clipboard copies text and, for private material, clears it again after a
// delay (and on quit) if it still holds what was copied.
type Clipboard struct {
	primary  clipboardBackend
	fallback clipboardBackend
	delay    func() time.Duration
	// onCleared reports on the main goroutine that private material was cleared.
	onCleared func()

	mu      sync.Mutex
	pending string // private text we put on the clipboard and still owe a clear
	via     clipboardBackend
	timer   *time.Timer
}

func newClipboard(primary, fallback clipboardBackend, delay func() time.Duration) *Clipboard {
	return &Clipboard{primary: primary, fallback: fallback, delay: delay}
}

// Copy puts text on the clipboard. For private material it schedules the
// clear and returns how long until then. Call it on the main goroutine.
func (c *Clipboard) Copy(text string, private bool) (time.Duration, error) {
	via := c.primary
	if err := via.Write(text); err != nil {
		if c.fallback == nil {
			return 0, fmt.Errorf("could not write to the %s: %w", via.Name(), err)
		}
		via = c.fallback
		if err := via.Write(text); err != nil {
			return 0, fmt.Errorf("could not write to the clipboard: %w", err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	c.pending, c.via = "", nil
	if !private {
		return 0, nil
	}
	d := c.delay()
	c.pending, c.via = text, via
	c.timer = time.AfterFunc(d, func() { fyne.Do(c.ClearIfUnchanged) })
	return d, nil
}

// ClearIfUnchanged clears the clipboard if it still holds the private text we
// copied; text the user copied since is left alone. Main goroutine only.
func (c *Clipboard) ClearIfUnchanged() {
	c.mu.Lock()
	pending, via := c.pending, c.via
	c.pending, c.via = "", nil
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	c.mu.Unlock()
	if pending == "" {
		return
	}
	if cur, err := via.Read(); err == nil && cur == pending {
		_ = via.Write("")
		if c.onCleared != nil {
			c.onCleared()
		}
	}
}

// Pending reports whether a clear is still owed.
func (c *Clipboard) Pending() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pending != ""
}
