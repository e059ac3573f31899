package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// parseMemo is the PEM / JWK tab's one conversion at a time. It remembers
// the last parse (its input, passphrase and result): a kid, use or alg
// change converts the same input again and gets that result back, so a
// decrypted key is not derived again for every keystroke. A parse of
// another input or passphrase supersedes the last: the last is cancelled
// before its next key derivation, and the new one waits for it to end, so
// no two derivations ever run at once (issue 22.6: five did, uncancelled).
type parseMemo struct {
	mu   sync.Mutex
	last *parseJob
	// queued, when set (tests), runs when a new parse has been registered,
	// before it waits for the one it supersedes.
	queued func()
}

type parseJob struct {
	text, pass string
	cancel     context.CancelFunc
	done       chan struct{} // closed when res and err are final
	res        *keys.ParseResult
	err        error
}

// parse returns the parse of text with pass: the one under way or done for
// the same pair, or a new one made by run (which must stop when its context
// is cancelled). A panic inside run is the parse's error.
func (m *parseMemo) parse(text, pass string, run func(context.Context) (*keys.ParseResult, error)) (*keys.ParseResult, error) {
	for {
		m.mu.Lock()
		prev := m.last
		if prev != nil && prev.text == text && prev.pass == pass {
			m.mu.Unlock()
			<-prev.done
			if !errors.Is(prev.err, context.Canceled) {
				return prev.res, prev.err
			}
			m.mu.Lock()
			if m.last == prev {
				m.last = nil // cancelled before it was done: parse again
			}
			m.mu.Unlock()
			continue
		}
		ctx, cancel := context.WithCancel(context.Background())
		job := &parseJob{text: text, pass: pass, cancel: cancel, done: make(chan struct{})}
		m.last = job
		queued := m.queued
		m.mu.Unlock()
		if queued != nil {
			queued()
		}
		if prev != nil {
			prev.cancel()
			<-prev.done
		}
		func() {
			defer close(job.done)
			defer cancel()
			if job.err = ctx.Err(); job.err != nil {
				return // superseded while it waited
			}
			job.err = recovered("converting the input", func() (err error) {
				job.res, err = run(ctx)
				return err
			})
		}()
		return job.res, job.err
	}
}

// forget cancels the last parse (the input was cleared): it stops before its
// next derivation, and is parsed again if the same input comes back.
func (m *parseMemo) forget() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.last != nil {
		m.last.cancel()
	}
}

// onDerive shows that a key is being derived from the passphrase, with what
// it costs; called by the engine off the main goroutine, before each
// derivation. The next result hides it.
func (t *pemTab) onDerive(d keys.Derivation) {
	fyne.Do(func() {
		t.deriving.SetText("Deriving the key from the passphrase: " + d.KDF + ", about " + estimateText(d) + "…")
		t.deriving.Show()
		t.decryptBtn.Disable()
	})
}

// doneDeriving hides the derivation progress (a result arrived).
func (t *pemTab) doneDeriving() {
	t.deriving.Hide()
	t.decryptBtn.Enable()
}

func estimateText(d keys.Derivation) string {
	return fmt.Sprintf("%.1f s", max(d.Estimate.Seconds(), 0.1))
}

// submitPassphrase makes the passphrase field's text the passphrase in use
// (Enter, or Decrypt) and converts with it. Typing in the field alone
// changes nothing: option changes go on using the submitted one.
func (t *pemTab) submitPassphrase() {
	t.usedPass = t.pass.Text
	t.scheduleConvert()
}

// passEntry is the passphrase field: a password entry that refuses a paste
// over convert.MaxPassphrase before the text reaches it.
type passEntry struct {
	widget.Entry
	onTooBig func(size int)
}

func newPassEntry(onTooBig func(int)) *passEntry {
	e := &passEntry{onTooBig: onTooBig}
	e.Password = true // the renderer adds the reveal button, as NewPasswordEntry's
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut refuses a paste that would make the passphrase too long.
func (e *passEntry) TypedShortcut(s fyne.Shortcut) {
	if p, ok := s.(*fyne.ShortcutPaste); ok && p.Clipboard != nil {
		if n := len(e.Text) + len(p.Clipboard.Content()); n > input.MaxPassphrase {
			e.onTooBig(n)
			return
		}
	}
	e.Entry.TypedShortcut(s)
}
