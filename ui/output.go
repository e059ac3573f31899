package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
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
	v.caption.TextStyle = fyne.TextStyle{Italic: true}
	v.text = widget.NewLabel("")
	v.text.TextStyle = fyne.TextStyle{Monospace: true}
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

// set shows new content (masked again if private); an empty content shows
// the note instead and disables the buttons.
func (v *outputView) set(content, note string) {
	v.content = content
	v.revealed = false
	if content == "" {
		v.caption.SetText(note)
		v.text.SetText("")
		v.copyBtn.Disable()
		v.saveBtn.Disable()
		if v.revealBtn != nil {
			v.revealBtn.Disable()
		}
		return
	}
	v.caption.SetText(note)
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

func (v *outputView) refresh() {
	shown := v.content
	if v.private && !v.revealed && v.mask != nil {
		shown = v.mask(shown)
	}
	v.text.SetText(shown)
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
