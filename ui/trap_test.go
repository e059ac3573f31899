package ui

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// Issue 21, item 1: states that trap. Every option change re-evaluates from
// the input, the lists offer only what fits the key and the use, and a
// refusal names the real conflict.

func pubJWKMap(t *testing.T, p *pemTab) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(p.pubJWK.content), &m); err != nil {
		t.Fatalf("public JWK %q: %v (options error %q)", p.pubJWK.content, err, p.optErr.Text)
	}
	return m
}

// RFC 7517 §4.2/§4.4: use sig leaves only the signature algorithms of the
// key's shape (RFC 7518 §3.1); the encryption ones (§4.1) are not offered.
func TestPEMTabAlgListFitsKeyAndUse_RFC7518(t *testing.T) {
	_, _, p := pemWindow(t)
	convertWait(t, p, func() { p.input.SetText(pemFixture(t, "ec-p256-spki.pem")) })
	if got := strings.Join(p.algSel.Options, ","); got != "(keep),ES256,ECDH-ES,ECDH-ES+A128KW,ECDH-ES+A192KW,ECDH-ES+A256KW" {
		t.Errorf("EC P-256 without use: algs %s", got)
	}
	convertWait(t, p, func() { p.useSel.SetSelected(keys.UseSig) })
	if got := strings.Join(p.algSel.Options, ","); got != "(keep),ES256" {
		t.Errorf("use sig still offers %s", got)
	}
	convertWait(t, p, func() { p.useSel.SetSelected(keys.UseEnc) })
	if slices.Contains(p.algSel.Options, "ES256") || !slices.Contains(p.algSel.Options, "ECDH-ES") {
		t.Errorf("use enc offers %v", p.algSel.Options)
	}
	// RFC 8037 §3.2: an X25519 key is offered use enc only.
	convertWait(t, p, func() { p.input.SetText(pemFixture(t, "x25519-spki.pem")) })
	if got := strings.Join(p.useSel.Options, ","); got != "(keep),enc" {
		t.Errorf("X25519 uses %s", got)
	}
}

// A refusal names the real conflict, and any option change afterwards is
// evaluated from the input again: picking a fitting alg leaves the refusal.
func TestPEMTabRefusalNamesTheConflictAndIsLeftByAnOption_RFC7517(t *testing.T) {
	_, mw, p := pemWindow(t)
	// An EC P-256 JWK whose own alg is ECDH-ES (RFC 7518 §4.6), no use.
	g, err := keys.Generate(keys.Spec{Kty: keys.KtyEC, Use: keys.UseEnc})
	if err != nil {
		t.Fatal(err)
	}
	k, _ := g.Public.Clone()
	_ = k.Remove("use")
	b, _ := keys.MarshalPublicJWK(k)
	convertWait(t, p, func() { p.input.SetText(string(b)) })
	convertWait(t, p, func() { p.useSel.SetSelected(keys.UseSig) })
	want := "The key has alg ECDH-ES: ECDH-ES is an encryption algorithm; use is sig: choose ES256, or set use to enc"
	if !p.optErr.Visible() || p.optErr.Text != want {
		t.Fatalf("use sig on an ECDH-ES key: error %v %q\nwant %q", p.optErr.Visible(), p.optErr.Text, want)
	}
	if p.pubJWK.content != "" || !strings.Contains(p.found.Text, "under the options") {
		t.Errorf("a result shown despite the refusal: %q", p.found.Text)
	}
	// The way out: an alg that fits, chosen from the list.
	convertWait(t, p, func() { p.algSel.SetSelected("ES256") })
	if p.optErr.Visible() {
		t.Fatalf("still refused after choosing ES256: %q", p.optErr.Text)
	}
	if m := pubJWKMap(t, p); m["alg"] != "ES256" || m["use"] != "sig" {
		t.Errorf("JWK %v", m)
	}
	// A kid refused (a control character), then fixed in the entry: the
	// input is read again without touching it.
	convertWait(t, p, func() { p.kidSel.SetSelected(kidCustom) })
	convertWait(t, p, func() { p.kidEntry.SetText("bad\tkid") })
	if !p.optErr.Visible() {
		t.Fatal("a kid with a tab accepted")
	}
	convertWait(t, p, func() { p.kidEntry.SetText("good-kid") })
	if p.optErr.Visible() || pubJWKMap(t, p)["kid"] != "good-kid" {
		t.Errorf("the fixed kid was not applied: %q", p.optErr.Text)
	}
	_ = mw
}

// Clear starts afresh, and another key pasted over the options of the last
// one keeps no alg that does not fit it.
func TestPEMTabClearAndANewKeyResetWhatNoLongerFits(t *testing.T) {
	_, mw, p := pemWindow(t)
	convertWait(t, p, func() { p.input.SetText(pemFixture(t, "ec-p256-spki.pem")) })
	convertWait(t, p, func() { p.useSel.SetSelected(keys.UseSig) })
	convertWait(t, p, func() { p.algSel.SetSelected("ES256") })
	rsa, _ := jwkText(t, keys.Spec{Kty: keys.KtyRSA}, true)

	// Pasted over: ES256 does not fit RSA 2048, so it goes back to (keep)
	// and the status line says so; use sig still fits and stays.
	convertWait(t, p, func() { p.input.SetText(rsa) })
	if p.optErr.Visible() || p.algSel.Selected != keepValue || p.useSel.Selected != keys.UseSig {
		t.Errorf("after an RSA key: error %q alg %q use %q", p.optErr.Text, p.algSel.Selected, p.useSel.Selected)
	}
	if got := strings.Join(p.algSel.Options, ","); got != "(keep),RS256,RS384,RS512,PS256,PS384,PS512" {
		t.Errorf("RSA use sig algs %s", got)
	}
	if mw.sh.status.Text != "Algorithm ES256 does not fit this key: set back to (keep)." {
		t.Errorf("status %q", mw.sh.status.Text)
	}
	if m := pubJWKMap(t, p); m["kty"] != "RSA" || m["use"] != "sig" {
		t.Errorf("JWK %v", m)
	}

	// Clear: kid, use and alg back to their defaults.
	convertWait(t, p, func() { p.algSel.SetSelected("PS256") })
	clearBtn := findButton(t, mw.Tabs.Items[tabPEM].Content, "Clear")
	test.Tap(clearBtn)
	if p.useSel.Selected != keepValue || p.algSel.Selected != keepValue || p.kidSel.Selected != kidKeep {
		t.Errorf("after Clear: use %q alg %q kid %q", p.useSel.Selected, p.algSel.Selected, p.kidSel.Selected)
	}
	convertWait(t, p, func() { p.input.SetText(pemFixture(t, "ec-p256-spki.pem")) })
	if p.optErr.Visible() || pubJWKMap(t, p)["alg"] != nil {
		t.Errorf("an option survived Clear: %q", p.optErr.Text)
	}
}

// The JWKS tab's key editor (the sibling): its Use list offers only what the
// selected key can do (RFC 8037 §3.2: X25519 encrypts, never signs).
func TestJWKSEditorUseListFitsTheKey_RFC8037(t *testing.T) {
	_, mw := newTestWindow(t)
	j := mw.jwks
	x, _ := jwkText(t, keys.Spec{Kty: keys.KtyOKP, Crv: keys.CrvX25519, Use: keys.UseEnc}, true)
	paste(t, j, x)
	j.list.Select(0)
	if got := strings.Join(j.useSel.Options, ","); got != "(none),enc" {
		t.Errorf("X25519 uses %s", got)
	}
	if got := strings.Join(j.algSel.Options, ","); strings.Contains(got, "EdDSA") || !strings.Contains(got, "ECDH-ES") {
		t.Errorf("X25519 algs %s", got)
	}
}
