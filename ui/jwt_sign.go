package ui

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/token"
)

func (t *jwtTab) buildSignPanel() fyne.CanvasObject {
	t.signKeySel = widget.NewSelect(nil, func(string) { t.onSignKeyChanged() })
	t.signKeySel.PlaceHolder = "Private key from the workspace"
	t.signClaims = widget.NewMultiLineEntry()
	t.signClaims.SetMinRowsVisible(4)
	now := time.Now().Unix()
	t.signClaims.SetText(fmt.Sprintf("{\n  \"sub\": \"test-user\",\n  \"iat\": %d,\n  \"exp\": %d\n}", now, now+3600))
	t.signKid = widget.NewEntry()
	t.signKid.SetPlaceHolder("header kid (empty: none)")
	t.signErr = dangerLabel()
	t.signHint = wrapLabel()
	t.signHint.Importance = widget.LowImportance
	t.signBtn = widget.NewButtonWithIcon("Sign", theme.ConfirmIcon(), t.onMake)
	t.buildMakeInputs()
	t.signedView = newInlineOutputView("signed token", t.onCopy, t.onSave)
	t.signedView.set("", "A new token appears here; the token above is never altered.")
	t.inspectBtn = widget.NewButtonWithIcon("Inspect this token", theme.SearchIcon(), t.onInspectSigned)
	t.inspectBtn.Disable()
	t.signedView.toolbar.Add(t.inspectBtn)
	t.presetBtns = []*widget.Button{
		widget.NewButton("iat = now", func() { t.onPreset("iat", 0) }),
		widget.NewButton("exp +1 h", func() { t.onPreset("exp", time.Hour) }),
		widget.NewButton("exp +1 d", func() { t.onPreset("exp", 24*time.Hour) }),
	}
	t.mk.signRows = container.NewVBox(container.New(layout.NewFormLayout(),
		widget.NewLabel("Key"), t.signKeySel,
		widget.NewLabel("Header kid"), t.signKid,
	), t.signHint)
	t.refreshSignKeys()
	t.updateMakeMode()
	return container.NewVBox(
		widget.NewLabelWithStyle("Make a test token", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		t.mk.mode,
		t.mk.signRows,
		t.mk.encRows,
		container.NewHBox(t.presetBtns[0], t.presetBtns[1], t.presetBtns[2]),
		t.signClaims,
		t.signErr,
		t.signBtn,
		t.signedView.root,
	)
}

// refreshSignKeys offers the workspace's private keys.
func (t *jwtTab) refreshSignKeys() {
	t.signKeys = map[string]jwk.Key{}
	var opts []string
	for i, k := range t.sh.ws.Keys() {
		if !keys.IsPrivate(k) {
			continue
		}
		kid, _ := k.KeyID()
		alg, err := token.SignAlg(k)
		if err != nil {
			continue // an encryption key cannot sign
		}
		label := fmt.Sprintf("%d. %s (%s %s)", i+1, kid, k.KeyType(), alg)
		t.signKeys[label] = k
		opts = append(opts, label)
	}
	t.signKeySel.Options = opts
	if _, ok := t.signKeys[t.signKeySel.Selected]; !ok {
		t.signKeySel.ClearSelected()
		if len(opts) > 0 {
			t.signKeySel.SetSelected(opts[len(opts)-1])
		}
	}
	t.signKeySel.Refresh()
	if len(opts) == 0 {
		t.signBtn.Disable()
		t.signKeySel.PlaceHolder = "(no private signing key)"
		t.signHint.SetText("The workspace holds no private signing key: generate one and press Add to JWKS (Ctrl+J).")
		t.signHint.Show()
	} else {
		t.signBtn.Enable()
		t.signHint.Hide()
	}
	t.refreshMakeTargets()
	t.updateMakeMode()
}

func (t *jwtTab) onSignKeyChanged() {
	if k, ok := t.signKeys[t.signKeySel.Selected]; ok {
		kid, _ := k.KeyID()
		t.signKid.SetText(kid)
	}
}

// onPreset sets a time claim in the claims JSON (now + d). The claims must
// be a JSON object; the entry is left alone otherwise.
func (t *jwtTab) onPreset(name string, d time.Duration) {
	var claims map[string]any
	dec := json.NewDecoder(strings.NewReader(t.signClaims.Text))
	dec.UseNumber()
	if err := dec.Decode(&claims); err != nil || claims == nil {
		showErr(t.signErr, fmt.Errorf("the claims are not a JSON object, so %s cannot be set: fix them first", name))
		t.left.Refresh()
		return
	}
	claims[name] = t.now().Add(d).Unix()
	out, _ := json.MarshalIndent(claims, "", "  ")
	showErr(t.signErr, nil)
	t.signClaims.SetText(string(out))
}

func (t *jwtTab) onSign() {
	key, ok := t.signKeys[t.signKeySel.Selected]
	if !ok {
		showErr(t.signErr, fmt.Errorf("choose a private key to sign with"))
		return
	}
	tok, err := token.Sign(key, []byte(t.signClaims.Text), strings.TrimSpace(t.signKid.Text))
	showErr(t.signErr, err)
	t.left.Refresh()
	if err != nil {
		t.sh.setStatus("Cannot sign: " + err.Error())
		return
	}
	t.signedView.set(tok, "A new token, signed with "+t.signKeySel.Selected+". The token above is left as it was.")
	t.inspectBtn.Enable()
	t.showSigned()
	t.sh.setStatus("Signed a test token. Press \"Inspect this token\" to verify it.")
}

// onInspectSigned puts the signed token in the token entry: the only way
// the tab ever writes there, and only on the user's click.
func (t *jwtTab) onInspectSigned() {
	if t.signedView.content != "" {
		t.tokenEntry.SetText(t.signedView.content)
	}
}
