package ui

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// showErr shows err in the error label next to a field, or hides the label
// when err is nil.
func showErr(l *widget.Label, err error) {
	if err == nil {
		l.SetText("")
		l.Hide()
		return
	}
	l.SetText(sentence(err.Error()))
	l.Show()
}

// sentence starts a message with a capital letter: Go error strings start
// lower-case, a message on screen does not.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// recovered runs f and turns a panic inside it into an error that says what
// was being done: the UI boundary for work that runs off the main goroutine,
// so no bug in an operation takes the window (and the user's work) down.
func recovered(doing string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error while %s: %v (your input and the workspace are unchanged)", doing, r)
		}
	}()
	return f()
}

// cappedEntry is a multi-line entry that refuses a paste over its size cap
// before the text reaches the widget: laying out megabytes of text would
// freeze the window long before the engine could say the input is too big.
// Over wrapLimit it also stops wrapping: Fyne wraps a long line by
// measuring it again and again (a 62 KiB token took 400 ms), while an
// unwrapped line is measured once (30 ms).
type cappedEntry struct {
	widget.Entry
	limit    int
	onTooBig func(size int)
}

// wrapLimit is the text size above which a cappedEntry shows its text
// unwrapped. Real tokens, keys and certificate chains are far below it.
const wrapLimit = 8 << 10

func newCappedEntry(limit int, onTooBig func(size int)) *cappedEntry {
	e := &cappedEntry{limit: limit, onTooBig: onTooBig}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapBreak
	e.ExtendBaseWidget(e)
	return e
}

// fitWrapping sets the wrapping for a text of n bytes; it reports whether
// it changed.
func (e *cappedEntry) fitWrapping(n int) bool {
	want := fyne.TextWrapBreak
	if n > wrapLimit {
		want = fyne.TextWrapOff
	}
	if e.Wrapping == want {
		return false
	}
	e.Wrapping = want
	return true
}

// SetText replaces the text, choosing the wrapping first.
func (e *cappedEntry) SetText(text string) {
	e.fitWrapping(len(text))
	e.Entry.SetText(text)
}

// TypedShortcut checks the clipboard's size on paste.
func (e *cappedEntry) TypedShortcut(s fyne.Shortcut) {
	if p, ok := s.(*fyne.ShortcutPaste); ok && p.Clipboard != nil {
		n := len(p.Clipboard.Content())
		if n > e.limit {
			e.onTooBig(n)
			return
		}
		e.fitWrapping(len(e.Text) + n)
	}
	e.Entry.TypedShortcut(s)
	e.rewrap()
}

// TypedKey lets the text wrap again once deleting made it short.
func (e *cappedEntry) TypedKey(k *fyne.KeyEvent) {
	e.Entry.TypedKey(k)
	e.rewrap()
}

func (e *cappedEntry) rewrap() {
	if e.Wrapping == fyne.TextWrapOff && e.fitWrapping(len(e.Text)) {
		e.Refresh()
	}
}

// tooBigMessage says a paste was refused and what to do instead.
func tooBigMessage(size, limit int, what, instead string) string {
	return fmt.Sprintf("Not pasted: the clipboard holds %d KiB, over the %d KiB limit for %s. %s", size>>10, limit>>10, what, instead)
}
