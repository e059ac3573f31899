package ui

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
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
//
// Under the cap, long texts are still slow to lay out, so:
//   - over wrapLimit the text is shown unwrapped: Fyne wraps a long line by
//     measuring it again and again (a 62 KiB token took 400 ms), while an
//     unwrapped line is measured once (30 ms);
//   - over holdLimit the text is held rather than shown: a card says what
//     was pasted, and Value gives it whole. A 900 KiB one-line JWKS in an
//     entry froze the real window for 25 s.
//
// Tabs put View() in their layout and read Value(), not Text.
type cappedEntry struct {
	widget.Entry
	limit    int
	onTooBig func(size int)
	// holdAt is the size over which the text is held (holdLimit unless the
	// tab sets less).
	holdAt int

	held     string // the text in use when it is too long to show
	heldNote *widget.Label
	heldBtn  *widget.Button // Clear; hidden where the tab has its own
	heldCard *fyne.Container
	view     *fyne.Container
}

// wrapLimit is the text size above which a cappedEntry shows its text
// unwrapped. Real tokens, keys and certificate chains are far below it.
const wrapLimit = 8 << 10

// holdLimit is the text size above which a cappedEntry holds its text
// instead of laying it out.
const holdLimit = 64 << 10

func newCappedEntry(limit int, onTooBig func(size int)) *cappedEntry {
	e := &cappedEntry{limit: limit, onTooBig: onTooBig, holdAt: holdLimit}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord // the hint wraps between words; a base64 line with no space still breaks
	e.ExtendBaseWidget(e)
	e.heldNote = widget.NewLabel("")
	e.heldNote.Wrapping = fyne.TextWrapWord
	e.heldBtn = widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), func() { e.SetText("") })
	e.heldCard = container.NewVBox(e.heldNote, container.NewHBox(e.heldBtn))
	e.heldCard.Hide()
	e.view = container.NewStack(e, e.heldCard)
	return e
}

// View is what the tab lays out: the entry, or the card of a held text.
func (e *cappedEntry) View() fyne.CanvasObject { return e.view }

// Value is the text in use: the held text, or what the entry shows.
func (e *cappedEntry) Value() string {
	if e.held != "" {
		return e.held
	}
	return e.Text
}

// fitWrapping sets the wrapping for a text of n bytes; it reports whether
// it changed.
func (e *cappedEntry) fitWrapping(n int) bool {
	want := fyne.TextWrapWord
	if n > wrapLimit {
		want = fyne.TextWrapOff
	}
	if e.Wrapping == want {
		return false
	}
	e.Wrapping = want
	return true
}

// SetText replaces the text: shown (wrapped or not), or held when long.
func (e *cappedEntry) SetText(text string) {
	if len(text) > e.holdAt {
		e.hold(text)
		return
	}
	wasHeld := e.held != ""
	if wasHeld {
		e.held = ""
		e.heldCard.Hide()
		e.Entry.Show()
	}
	e.fitWrapping(len(text))
	if wasHeld && text == e.Text && e.OnChanged != nil {
		e.OnChanged(text) // the value changed though the entry's text did not
	}
	e.Entry.SetText(text)
}

func (e *cappedEntry) hold(text string) {
	e.held = text
	lines := strings.Count(strings.TrimRight(text, "\n"), "\n") + 1
	e.heldNote.SetText(fmt.Sprintf("%s pasted (%s) — too long to show for editing, so it is kept as it is and used whole. Clear it to paste or type something else.",
		sizeText(len(text)), plural(lines, "line", "lines")))
	e.Entry.Hide()
	e.heldCard.Show()
	if e.Text != "" {
		e.Entry.SetText("") // OnChanged reports the held text through Value
		return
	}
	if e.OnChanged != nil {
		e.OnChanged(text)
	}
}

// TypedShortcut checks the clipboard's size on paste: over the cap it is
// refused, over holdLimit it replaces the text and is held.
func (e *cappedEntry) TypedShortcut(s fyne.Shortcut) {
	if p, ok := s.(*fyne.ShortcutPaste); ok && p.Clipboard != nil {
		content := p.Clipboard.Content()
		n := len(content)
		if n > e.limit {
			e.onTooBig(n)
			return
		}
		if len(e.Text)+n > e.holdAt {
			e.SetText(content)
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
