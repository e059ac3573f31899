package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// outputView is a read-only monospace view of one output (a JWK, a PEM…)
// with its own Copy and Save buttons, and for private material a Reveal
// toggle: the text is masked until revealed.
type outputView struct {
	what     string // "public JWK", "private PEM"…: used in messages and file names
	private  bool
	mask     func(string) string
	content  string
	revealed bool
	note     string // the caption the tab gave; a private view adds where its members are

	caption   *widget.Label
	text      *widget.Label
	copyBtn   *widget.Button
	saveBtn   *widget.Button
	revealBtn *widget.Button
	toolbar   *fyne.Container
	root      fyne.CanvasObject
}

func newOutputView(what string, private bool, mask func(string) string, onCopy, onSave func(*outputView)) *outputView {
	v := &outputView{what: what, private: private, mask: mask}
	v.caption = widget.NewLabel("")
	// The caption wraps: one line as wide as a kid and a flavour name made
	// the whole tab wider than half a screen, and moved the divider next to
	// it whenever the caption changed.
	v.caption.Wrapping = fyne.TextWrapWord
	// Each text style is another set of font faces to load (~7 MiB and
	// ~50 ms): the caption is regular, not italic, and the text turns
	// monospace only with content (refresh), so that empty views in the
	// start window load no face of their own.
	v.text = widget.NewLabel("")
	v.text.Wrapping = fyne.TextWrapBreak
	v.text.Selectable = true
	v.copyBtn = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { onCopy(v) })
	v.saveBtn = widget.NewButtonWithIcon("Save…", theme.DocumentSaveIcon(), func() { onSave(v) })
	v.toolbar = container.NewHBox(v.copyBtn, v.saveBtn)
	if private {
		v.revealBtn = widget.NewButtonWithIcon("Reveal", theme.VisibilityIcon(), v.toggleReveal)
		v.toolbar.Add(v.revealBtn)
	}
	v.root = container.NewBorder(container.NewVBox(v.toolbar, v.caption), nil, nil, nil, container.NewVScroll(v.text))
	v.set("", "")
	return v
}

// newInlineOutputView is an output view whose text is laid out whole, not
// in a scroll of its own: for a column that scrolls as a whole (the JWT
// tab's signed token).
func newInlineOutputView(what string, onCopy, onSave func(*outputView)) *outputView {
	v := newOutputView(what, false, nil, onCopy, onSave)
	v.root = container.NewVBox(v.toolbar, v.caption, v.text)
	return v
}

// set shows new content (masked again if private); an empty content shows
// the note instead and disables the buttons. The same content again (a
// token inspected anew after the key set changed) only takes the new note:
// laying it out again costs up to ~100 ms for nothing, and it stays
// revealed or masked as the user left it.
func (v *outputView) set(content, note string) {
	v.note = note
	v.showCaption()
	if content != "" && content == v.content && v.text.Text != "" {
		return
	}
	v.content = content
	v.revealed = false
	if content == "" {
		v.text.TextStyle = fyne.TextStyle{}
		v.text.SetText("")
		v.copyBtn.Disable()
		v.saveBtn.Disable()
		if v.revealBtn != nil {
			v.revealBtn.Disable()
		}
		return
	}
	v.copyBtn.Enable()
	v.saveBtn.Enable()
	if v.revealBtn != nil {
		v.revealBtn.Enable()
	}
	v.refresh()
}

func (v *outputView) toggleReveal() {
	v.revealed = !v.revealed
	v.refresh()
}

// showCaption shows the tab's note and, for private content, whether its
// private members are hidden or shown: the words follow the Reveal button.
func (v *outputView) showCaption() {
	text := v.note
	if v.private && v.mask != nil && v.content != "" {
		hint := "The private part is hidden until you press Reveal."
		if v.revealed {
			hint = "The private part is shown: press Hide to mask it again."
		}
		text = strings.TrimSpace(text + " " + hint)
	}
	v.caption.SetText(text)
}

// maxShown caps the text an output view lays out: enough for any single
// key (an RSA 4096 private JWK or PEM is about 3.3 KiB). Laying out text
// is slow under software GL: after a 10,000-key import, showing 8 KiB of
// the public JWKS took ~60 ms of the UI goroutine (profiled), and with the
// JWT tab's report the window stalled 153–189 ms; with 4 KiB, 75–124 ms.
// A wrapped label takes ~200 ms for 64 KiB, and a 10,000-key JWKS is
// megabytes. Copy and Save give the whole content.
const maxShown = 4 << 10

// maxLine caps each line an output view lays out: wrapping one 8 KiB line
// (a padded claim) costs ~5× what 8 KiB in lines of 2 KiB does. 2 KiB
// keeps a whole x5c certificate of a usual size on screen.
const maxLine = 2 << 10

// shownText cuts s to maxShown, at a line end when there is one in the
// last quarter, and each line to maxLine, and says how much more Copy and
// Save give.
func shownText(s string) string {
	if len(s) <= maxShown {
		return cutLongLines(s)
	}
	cut := strings.LastIndexByte(s[:maxShown], '\n') + 1
	if cut < maxShown*3/4 {
		cut = runeCut(s, maxShown)
	}
	more := len(s) - cut
	sep := ""
	if s[cut-1] != '\n' {
		sep = "\n"
	}
	return cutLongLines(s[:cut]) + sep + fmt.Sprintf("… %s more not shown: Copy or Save gives the whole text.\n", sizeText(more))
}

// cutLongLines cuts every line over maxLine (on a rune boundary) and says
// how much of it is not shown.
func cutLongLines(s string) string {
	if len(s) <= maxLine {
		return s
	}
	var b strings.Builder
	for rest := s; rest != ""; {
		line, after, nl := strings.Cut(rest, "\n")
		if len(line) > maxLine {
			cut := runeCut(line, maxLine)
			fmt.Fprintf(&b, "%s … (%s more in this line)", line[:cut], sizeText(len(line)-cut))
		} else {
			b.WriteString(line)
		}
		if nl {
			b.WriteByte('\n')
		}
		rest = after
	}
	return b.String()
}

// runeCut is the largest n' <= n at which s can be cut without splitting a
// UTF-8 sequence (len(s) must be over n).
func runeCut(s string, n int) int {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

// sizeText is a byte count for people: "870 bytes", "31 KiB", "1.2 MiB".
func sizeText(n int) string {
	switch {
	case n < 1<<10:
		return plural(n, "byte", "bytes")
	case n < 1<<20:
		return fmt.Sprintf("%d KiB", (n+512)>>10)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

func (v *outputView) refresh() {
	shown := v.content
	if v.private && !v.revealed && v.mask != nil {
		shown = v.mask(shown)
	}
	v.text.TextStyle = fyne.TextStyle{Monospace: true}
	v.text.SetText(shownText(shown))
	v.showCaption()
	if v.revealBtn != nil {
		if v.revealed {
			v.revealBtn.SetText("Hide")
			v.revealBtn.SetIcon(theme.VisibilityOffIcon())
		} else {
			v.revealBtn.SetText("Reveal")
			v.revealBtn.SetIcon(theme.VisibilityIcon())
		}
	}
}

// maskText stands on screen for a private value until Reveal is pressed.
const maskText = "•••••••• hidden: press Reveal ••••••••"

// maskJWK and maskPEM hide private members and PEM bodies with maskText
// (the engine's keys.MaskJWK and keys.MaskPEM).
func maskJWK(s string) string { return keys.MaskJWK(s, maskText) }
func maskPEM(s string) string { return keys.MaskPEM(s, maskText) }
