package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// Private keys leave the window encrypted with a passphrase by default
// (issue 19): a JWE that step and node jose read (PBES2-HS512+A256KW, p2c
// 600,000, A256GCM), or, when chosen, in plaintext with today's warning.

const (
	exportEncrypted = "Encrypted with a passphrase (recommended)"
	exportPlain     = "Plaintext"
)

// privateExportDialog asks how to write private keys. Exposed for tests.
type privateExportDialog struct {
	d        *dialog.CustomDialog
	choice   *widget.RadioGroup
	pass     *widget.Entry
	again    *widget.Entry
	hint     *widget.Label
	warn     *widget.Label
	errLabel *widget.Label
	ok       *widget.Button
}

// askPrivateExport shows the dialog; onChoice gets the passphrase, or nil
// for plaintext. The shell's askExport is this (tests replace it).
func (s *shell) askPrivateExport(what string, onChoice func(pass []byte)) {
	s.lastExport = s.newPrivateExportDialog(what, onChoice)
}

func (s *shell) newPrivateExportDialog(what string, onChoice func(pass []byte)) *privateExportDialog {
	p := &privateExportDialog{pass: widget.NewPasswordEntry(), again: widget.NewPasswordEntry(), hint: widget.NewLabel(passHintText("")),
		warn: textLabel("Anyone with a plaintext file can sign as you: keep it out of backups and shares, and never publish it."), errLabel: widget.NewLabel("")}
	p.pass.SetPlaceHolder("passphrase")
	p.again.SetPlaceHolder("the same passphrase again")
	p.pass.OnChanged = func(text string) { p.hint.SetText(passHintText(text)) }
	p.hint.Wrapping = fyne.TextWrapWord
	p.warn.Importance = widget.WarningImportance
	p.errLabel.Importance = widget.DangerImportance
	p.errLabel.Wrapping = fyne.TextWrapWord
	p.errLabel.Hide()
	p.choice = widget.NewRadioGroup([]string{exportEncrypted, exportPlain}, func(string) { p.showChoice() })
	p.choice.Required = true
	p.choice.SetSelected(exportEncrypted)
	submit := func() {
		if p.choice.Selected == exportPlain {
			p.close()
			onChoice(nil)
			return
		}
		switch {
		case p.pass.Text == "":
			p.errLabel.SetText("Type a passphrase: four or more random words make a good one.")
			p.errLabel.Show()
		case p.pass.Text != p.again.Text:
			p.errLabel.SetText("The two passphrases differ: type the same one twice.")
			p.errLabel.Show()
		default:
			pass := []byte(p.pass.Text)
			p.close()
			onChoice(pass)
		}
	}
	p.again.OnSubmitted = func(string) { submit() }
	p.ok = widget.NewButton("Save…", submit)
	p.ok.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", p.close)
	intro := "How should the " + what + " be written? Encrypted, it is a JWE (PBES2-HS512+A256KW, 600,000 iterations) that JWK Desk, step and node jose open with the passphrase."
	width := min(float32(480), s.win.Canvas().Size().Width-80)
	p.d = dialog.NewCustomWithoutButtons("Save the "+what, atWidth(max(width, 260), textLabel(intro), p.choice, p.pass, p.again, p.hint, p.warn, p.errLabel), s.win)
	p.d.SetButtons([]fyne.CanvasObject{cancel, p.ok})
	p.showChoice()
	p.d.Show()
	return p
}

// showChoice shows the passphrase entries or the plaintext warning.
func (p *privateExportDialog) showChoice() {
	enc := p.choice.Selected != exportPlain
	for _, o := range []fyne.CanvasObject{p.pass, p.again, p.hint} {
		if enc {
			o.Show()
		} else {
			o.Hide()
		}
	}
	if enc {
		p.warn.Hide()
	} else {
		p.warn.Show()
	}
	p.errLabel.Hide()
}

func (p *privateExportDialog) close() {
	p.pass.SetText("")
	p.again.SetText("")
	p.d.Hide()
}

// saveSealed encrypts list off the UI goroutine (a derivation: about 1 s)
// and saves it through saveKeys (mode 0600): one key as a JWK, asSet or
// several as a JWK Set. done, when set (tests), runs after.
func (s *shell) saveSealed(defaultName, what string, list []jwk.Key, asSet bool, pass []byte, done func()) {
	s.setStatus("Encrypting the " + what + "…")
	go func() {
		var out []byte
		err := recovered("encrypting the "+what, func() (err error) {
			if asSet || len(list) > 1 {
				out, err = keys.SealPrivateJWKS(list, pass, encjwk.SealOptions{})
			} else {
				out, err = keys.SealPrivateJWK(list[0], pass, encjwk.SealOptions{})
			}
			return err
		})
		clear(pass)
		fyne.Do(func() {
			if err != nil {
				s.showError("encrypting the "+what, err)
			} else {
				s.saveKeys(defaultName, "encrypted "+what, out, list...)
			}
			if done != nil {
				done()
			}
		})
	}()
}
