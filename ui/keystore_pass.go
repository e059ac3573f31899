package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// newPassDialog asks for a new passphrase twice, with a hint on its length
// (encjwk.PassphraseHint: length, not rules). Exposed for tests.
type newPassDialog struct {
	d        *dialog.CustomDialog
	pass     *widget.Entry
	again    *widget.Entry
	hint     *widget.Label
	errLabel *widget.Label
	ok       *widget.Button
}

// askNewPassphrase shows the dialog; onOK gets the passphrase once both
// entries match and it is not empty. The entries are cleared on close.
func (s *shell) askNewPassphrase(title, intro, okText string, onOK func(pass []byte)) *newPassDialog {
	p := &newPassDialog{pass: widget.NewPasswordEntry(), again: widget.NewPasswordEntry(), hint: widget.NewLabel(""), errLabel: widget.NewLabel("")}
	p.pass.SetPlaceHolder("passphrase")
	p.again.SetPlaceHolder("the same passphrase again")
	p.hint.Wrapping = fyne.TextWrapWord
	p.errLabel.Importance = widget.DangerImportance
	p.errLabel.Wrapping = fyne.TextWrapWord
	p.errLabel.Hide()
	p.pass.OnChanged = func(text string) { p.hint.SetText(passHintText(text)) }
	p.hint.SetText(passHintText(""))
	submit := func() {
		switch {
		case p.pass.Text == "":
			p.showErr("Type a passphrase: four or more random words make a good one.")
		case p.pass.Text != p.again.Text:
			p.showErr("The two passphrases differ: type the same one twice.")
		default:
			pass := []byte(p.pass.Text)
			p.clear()
			p.d.Hide()
			onOK(pass)
		}
	}
	p.again.OnSubmitted = func(string) { submit() }
	p.ok = widget.NewButton(okText, submit)
	p.ok.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { p.clear(); p.d.Hide() })
	width := min(float32(460), s.win.Canvas().Size().Width-80)
	content := atWidth(max(width, 260), textLabel(intro), p.pass, p.again, p.hint, p.errLabel)
	p.d = dialog.NewCustomWithoutButtons(title, content, s.win)
	p.d.SetButtons([]fyne.CanvasObject{cancel, p.ok})
	p.d.Show()
	s.win.Canvas().Focus(p.pass)
	return p
}

func (p *newPassDialog) showErr(msg string) {
	p.errLabel.SetText(msg)
	p.errLabel.Show()
}

func (p *newPassDialog) clear() {
	p.pass.SetText("")
	p.again.SetText("")
}

// passHintText grades a passphrase by its length.
func passHintText(text string) string {
	h := encjwk.PassphraseHint([]byte(text))
	if h.Strength == encjwk.StrengthEmpty {
		return "Length is what counts: 16 characters or more (four random words) recommended."
	}
	return sentence(h.Text) + "."
}
