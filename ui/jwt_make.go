package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/token"
	"github.com/jwkdesk/jwkdesk/convert/token/jwe"
)

// What "Make a test token" makes.
const (
	makeSign   = "Sign"
	makeEncr   = "Encrypt"
	makeNested = "Sign, then encrypt (nested JWT)"
)

// Encryption targets besides the workspace's encryption keys.
const (
	tgtPasted = "A public key pasted below"
	tgtSecret = "A shared secret"
	tgtPass   = "A passphrase (PBES2)"
)

// makeInputs are the encrypting half of the JWT tab's "Make a test token":
// what to make, what to encrypt to, and alg and enc (only what fits the
// target, the default first).
type makeInputs struct {
	mode      *widget.RadioGroup
	signRows  *fyne.Container
	encRows   *fyne.Container
	target    *widget.Select
	targets   map[string]jwe.Source
	pasted    *widget.Entry
	secret    *widget.Entry
	secretEnc *widget.Select
	pass      *widget.Entry
	alg, enc  *widget.Select
	p2c       int    // PBES2 iterations (0: jwe.DefaultP2C; tests lower it)
	after     func() // tests: runs at the end of the fyne.Do that shows a made token
}

func (t *jwtTab) buildMakeInputs() {
	m := &t.mk
	m.alg = widget.NewSelect(nil, func(string) { t.refreshMakeEncs() })
	m.enc = widget.NewSelect(nil, nil)
	m.target = widget.NewSelect(nil, func(string) { t.onMakeTarget() })
	m.target.PlaceHolder = "Encryption key, secret or passphrase"
	m.pasted = widget.NewMultiLineEntry()
	m.pasted.SetPlaceHolder("Paste the recipient's public JWK or PEM (use enc)")
	m.pasted.SetMinRowsVisible(2)
	m.pasted.OnChanged = func(string) { t.refreshMakeAlgs() }
	m.secret = widget.NewPasswordEntry()
	m.secret.SetPlaceHolder("shared secret")
	m.secret.OnChanged = func(string) { t.refreshMakeAlgs() }
	m.secretEnc = widget.NewSelect(token.SecretEncodings(), func(string) { t.refreshMakeAlgs() })
	m.secretEnc.SetSelected(token.SecretText)
	m.pass = widget.NewPasswordEntry()
	m.pass.SetPlaceHolder("passphrase")
	m.pass.OnChanged = func(string) { t.refreshMakeAlgs() }
	m.encRows = container.NewVBox()
	m.mode = widget.NewRadioGroup([]string{makeSign, makeEncr, makeNested}, func(string) { t.updateMakeMode() })
	// One choice per row: side by side they made the tab 990 px wide.
	m.mode.Required = true
	m.mode.SetSelected(makeSign)
}

// layoutEncRows shows the target's own field (a pasted key, a secret, a
// passphrase) under the target chooser, then alg and enc.
func (t *jwtTab) layoutEncRows() {
	m := &t.mk
	form := container.New(layout.NewFormLayout(), widget.NewLabel("Encrypt to"), m.target)
	switch m.target.Selected {
	case tgtPasted:
		form.Add(widget.NewLabel("Public key"))
		form.Add(m.pasted)
	case tgtSecret:
		form.Add(widget.NewLabel("Secret"))
		form.Add(container.NewBorder(nil, nil, nil, m.secretEnc, m.secret))
	case tgtPass:
		form.Add(widget.NewLabel("Passphrase"))
		form.Add(m.pass)
	}
	form.Add(widget.NewLabel("alg"))
	form.Add(m.alg)
	form.Add(widget.NewLabel("enc"))
	form.Add(m.enc)
	m.encRows.Objects = []fyne.CanvasObject{form}
	m.encRows.Refresh()
}

// refreshMakeTargets offers the workspace's keys that can take a JWE (a
// private key is used through its public half), then the other targets.
func (t *jwtTab) refreshMakeTargets() {
	m := &t.mk
	m.targets = map[string]jwe.Source{}
	var opts []string
	list := t.sh.ws.Keys()
	for i, k := range list {
		if !token.CanEncryptTo(k, false) {
			continue
		}
		kid, _ := k.KeyID()
		label := fmt.Sprintf("%d. %s (%s)", i+1, kid, keys.DescribeKey(k))
		m.targets[label] = jwe.OneKey("workspace key "+kid, k)
		opts = append(opts, label)
	}
	m.target.Options = append(opts, tgtPasted, tgtSecret, tgtPass)
	if !slices.Contains(m.target.Options, m.target.Selected) || len(opts) > 0 && t.targetUnfilled() {
		m.target.SetSelected(m.target.Options[0])
	}
	m.target.Refresh()
	t.refreshMakeAlgs()
}

// targetUnfilled reports whether the chosen target is not a workspace key
// and its field is still empty: it follows the workspace, which now offers
// a key.
func (t *jwtTab) targetUnfilled() bool {
	m := &t.mk
	switch m.target.Selected {
	case tgtPasted:
		return m.pasted.Text == ""
	case tgtSecret:
		return m.secret.Text == ""
	case tgtPass:
		return m.pass.Text == ""
	}
	return false
}

func (t *jwtTab) onMakeTarget() {
	t.layoutEncRows()
	t.refreshMakeAlgs()
	if t.left != nil {
		t.left.Refresh()
	}
}

// makeTarget reads the chosen target on the main goroutine.
func (t *jwtTab) makeTarget() (jwe.Source, error) {
	m := &t.mk
	switch m.target.Selected {
	case tgtPasted:
		list, _, err := keys.ReadKeys([]byte(m.pasted.Text))
		if err != nil {
			return jwe.Source{}, fmt.Errorf("the pasted key: %w", err)
		}
		fit := token.EncryptionKeys(list, false)
		if len(fit) != 1 {
			return jwe.Source{}, fmt.Errorf("paste one key that can take a JWE (use enc, not sig): %s pasted, %d of them can", plural(len(list), "key", "keys"), len(fit))
		}
		return jwe.OneKey("pasted key", fit[0]), nil
	case tgtSecret:
		secret, err := token.DecodeSecret(m.secret.Text, m.secretEnc.Selected)
		if err == nil && len(secret) == 0 {
			err = errors.New("enter the shared secret")
		}
		return jwe.SharedSecret(secret), err
	case tgtPass:
		if m.pass.Text == "" {
			return jwe.Source{}, errors.New("enter the passphrase")
		}
		return jwe.Passphrase([]byte(m.pass.Text)), nil
	}
	if src, ok := m.targets[m.target.Selected]; ok {
		return src, nil
	}
	return jwe.Source{}, errors.New("choose what to encrypt to")
}

// refreshMakeAlgs offers the algs that fit the target, the default first.
func (t *jwtTab) refreshMakeAlgs() {
	m := &t.mk
	var algs []string
	if src, err := t.makeTarget(); err == nil {
		algs = jwe.Algs(src, false)
	}
	setOptions(m.alg, algs)
	t.refreshMakeEncs()
}

func (t *jwtTab) refreshMakeEncs() {
	m := &t.mk
	var encs []string
	if src, err := t.makeTarget(); err == nil && m.alg.Selected != "" {
		encs = jwe.Encs(src, m.alg.Selected)
	}
	setOptions(m.enc, encs)
}

// setOptions replaces a chooser's options, keeping its choice when it is
// still offered, else choosing the first (the default).
func setOptions(s *widget.Select, opts []string) {
	s.Options = opts
	switch {
	case len(opts) == 0:
		s.ClearSelected()
	case !slices.Contains(opts, s.Selected):
		s.SetSelected(opts[0])
	}
	s.Refresh()
}

// updateMakeMode shows the rows the chosen kind of token needs, and names
// the button after it.
func (t *jwtTab) updateMakeMode() {
	m := &t.mk
	if m.signRows == nil || t.signBtn == nil {
		return
	}
	mode := m.mode.Selected
	setVisible(m.signRows, mode != makeEncr)
	setVisible(m.encRows, mode != makeSign)
	t.signBtn.SetText(map[string]string{makeSign: "Sign", makeEncr: "Encrypt", makeNested: "Sign and encrypt"}[mode])
	if mode == makeEncr || len(t.signKeys) > 0 {
		t.signBtn.Enable()
	} else {
		t.signBtn.Disable()
	}
	if mode != makeSign {
		t.layoutEncRows()
	}
	if t.left != nil {
		t.left.Refresh()
	}
}

// onMake makes the chosen kind of token. Encrypting (a PBES2 derivation
// takes a second) runs off the UI goroutine, with the button disabled;
// the token comes back in one fyne.Do.
func (t *jwtTab) onMake() {
	m := &t.mk
	if m.mode.Selected == makeSign {
		t.onSign()
		return
	}
	to, err := t.makeTarget()
	key, hasKey := t.signKeys[t.signKeySel.Selected]
	switch {
	case err != nil:
	case m.alg.Selected == "" || m.enc.Selected == "":
		err = errors.New("this target takes no JWE: choose a key with use enc, a secret of 16, 24, 32, 48 or 64 bytes, or a passphrase")
	case m.mode.Selected == makeNested && !hasKey:
		err = errors.New("choose a private key to sign with")
	}
	showErr(t.signErr, err)
	if err != nil {
		t.left.Refresh()
		t.madeHook()
		return
	}
	plaintext, kid, alg, enc := []byte(t.signClaims.Text), strings.TrimSpace(t.signKid.Text), m.alg.Selected, m.enc.Selected
	opts := jwe.EncryptOptions{P2C: m.p2c}
	nested := m.mode.Selected == makeNested
	t.signBtn.Disable()
	go func() {
		var tok string
		err := recovered("making a test token", func() (err error) {
			if nested {
				tok, err = token.SignThenEncrypt(key, plaintext, kid, to, alg, enc, opts)
				return err
			}
			tok, err = jwe.Encrypt(plaintext, to, alg, enc, opts)
			return err
		})
		fyne.Do(func() { t.showMade(tok, to.Name, alg, enc, err) })
	}()
}

// showMade shows an encrypted test token (or why not) in the panel.
func (t *jwtTab) showMade(tok, to, alg, enc string, err error) {
	t.signBtn.Enable()
	showErr(t.signErr, err)
	if err != nil {
		t.left.Refresh()
		t.sh.setStatus("Cannot encrypt: " + err.Error())
	} else {
		t.signedView.set(tok, fmt.Sprintf("A new token, encrypted to the %s (%s, %s). The token above is left as it was.", to, alg, enc))
		t.inspectBtn.Enable()
		t.showSigned()
		t.sh.setStatus("Made a test token. Press \"Inspect this token\" to decrypt it.")
	}
	t.madeHook()
}

// madeHook tells a test that the make button's work is shown.
func (t *jwtTab) madeHook() {
	if t.mk.after != nil {
		t.mk.after()
	}
}
