package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/token"
	"github.com/jwkdesk/jwkdesk/convert/token/jwe"
)

// jweInputs are the JWT tab's fields for an encrypted token: a shared
// secret (dir, A*KW, A*GCMKW), a passphrase (PBES2) and the RSA1_5 opt-in,
// each shown when the pasted token's alg needs it.
type jweInputs struct {
	box       *fyne.Container
	secretRow *fyne.Container
	secret    *widget.Entry
	secretEnc *widget.Select
	secretErr *widget.Label
	passRow   *fyne.Container
	pass      *widget.Entry
	rsa15     *widget.Check
	busy      *widget.Activity
}

// buildJWEInputs makes the fields, hidden until a JWE asks for them; a
// change inspects the token again.
func (t *jwtTab) buildJWEInputs() *fyne.Container {
	j := &t.jwe
	j.secret = widget.NewPasswordEntry()
	j.secret.SetPlaceHolder("shared secret (dir, A*KW, A*GCMKW)")
	j.secret.OnChanged = func(string) { t.scheduleInspect() }
	j.secretEnc = widget.NewSelect(token.SecretEncodings(), func(string) { t.scheduleInspect() })
	j.secretEnc.SetSelected(token.SecretText)
	j.secretErr = dangerLabel()
	j.secretRow = container.NewVBox(container.New(layout.NewFormLayout(), widget.NewLabel("Shared secret"),
		container.NewBorder(nil, nil, nil, j.secretEnc, j.secret)), j.secretErr)
	j.pass = widget.NewPasswordEntry()
	j.pass.SetPlaceHolder("passphrase (PBES2)")
	j.pass.OnChanged = func(string) { t.scheduleInspect() }
	j.passRow = container.New(layout.NewFormLayout(), widget.NewLabel("Passphrase"), j.pass)
	j.rsa15 = widget.NewCheck("Allow RSA1_5 (legacy, Bleichenbacher-prone)", func(bool) { t.scheduleInspect() })
	j.busy = widget.NewActivity()
	j.busy.Hide()
	j.box = container.NewVBox(j.secretRow, j.passRow, j.rsa15)
	j.showFor(nil)
	return j.box
}

// showFor shows the fields the report's JWE needs (none for a JWS or no
// token). A field with text in it stays, so what the user typed is never
// hidden away.
func (j *jweInputs) showFor(r *token.Report) {
	alg := ""
	if r != nil && r.JWE != nil {
		alg = r.JWE.Alg
	}
	need := jwe.Needs(alg)
	setVisible(j.secretRow, need == jwe.NeedSecret || j.secret.Text != "")
	setVisible(j.passRow, need == jwe.NeedPassphrase || j.pass.Text != "")
	setVisible(j.rsa15, alg == "RSA1_5" || j.rsa15.Checked)
	setVisible(j.box, j.secretRow.Visible() || j.passRow.Visible() || j.rsa15.Visible())
}

func setVisible(o fyne.CanvasObject, v bool) {
	if v {
		o.Show()
	} else {
		o.Hide()
	}
}

// options adds the JWE fields to the inspection options, read on the main
// goroutine; a secret that does not decode is said next to its field.
func (j *jweInputs) options(opts *token.InspectOptions) {
	showErr(j.secretErr, nil)
	if j.secret.Text != "" {
		secret, err := token.DecodeSecret(j.secret.Text, j.secretEnc.Selected)
		if err != nil {
			showErr(j.secretErr, err)
		} else {
			opts.Secret = secret
		}
	}
	if j.pass.Text != "" {
		opts.Passphrase = []byte(j.pass.Text)
	}
	opts.AllowRSA1_5 = j.rsa15.Checked
}

// working shows or hides the busy indicator (a PBES2 derivation can take a
// second).
func (j *jweInputs) working(on bool) {
	if on {
		j.busy.Show()
		j.busy.Start()
		return
	}
	j.busy.Stop()
	j.busy.Hide()
}
