package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// Issue 21, item 6: the same input, one answer, whichever tab reads it.

// RFC 7517 §4.7: a private key pasted with its certificate is one private
// JWK carrying the certificate as x5c, in the PEM / JWK tab and in JWKS ›
// Add keys alike.
func TestKeyWithItsCertificateIsOneJWKInEveryTab_RFC7517(t *testing.T) {
	_, mw, p := pemWindow(t)
	in := pemFixture(t, "leaf.key") + pemFixture(t, "leaf.pem")
	convertWait(t, p, func() { p.input.SetText(in) })
	if len(p.keys) != 1 {
		t.Fatalf("PEM / JWK: %d keys, found %q", len(p.keys), p.found.Text)
	}
	k := p.keys[0]
	if !keys.IsPrivate(k) || !k.Has(jwk.X509CertChainKey) || !strings.Contains(p.pubJWK.content, `"x5c"`) {
		t.Errorf("PEM / JWK: private %v, x5c %v", keys.IsPrivate(k), k.Has(jwk.X509CertChainKey))
	}
	kid, _ := k.KeyID()
	tp, _ := keys.ThumbprintOf(k)
	if kid != tp {
		t.Errorf("kid %q, want the RFC 7638 thumbprint %q", kid, tp)
	}

	j := mw.jwks
	paste(t, j, in)
	es := mw.sh.ws.Entries()
	if len(es) != 1 || !keys.IsPrivate(es[0].Key) || !es[0].Key.Has(jwk.X509CertChainKey) {
		t.Fatalf("JWKS › Add keys: %d keys", len(es))
	}
	if es[0].Thumbprint != tp {
		t.Errorf("JWKS thumbprint %q, want %q", es[0].Thumbprint, tp)
	}
}

// Ctrl+J adds the key of the tab in front: on the PEM / JWK tab, the
// converted key (it said "generate a key first" while one was on screen).
func TestCtrlJAddsTheConvertedKeyOnThePEMTab(t *testing.T) {
	_, mw, p := pemWindow(t)
	convertWait(t, p, func() { p.input.SetText(pemFixture(t, "ec-p384-pkcs8.pem")) })
	mw.Tabs.SelectIndex(tabPEM)
	menuAction(t, mw.Window, fyne.KeyJ, fyne.KeyModifierShortcutDefault)()
	if mw.sh.ws.Len() != 1 {
		t.Fatalf("Ctrl+J on the PEM / JWK tab: workspace holds %d keys; status %q", mw.sh.ws.Len(), mw.sh.status.Text)
	}
	if strings.Contains(mw.sh.status.Text, "generate a key first") {
		t.Errorf("status %q", mw.sh.status.Text)
	}
	// The JWKS tab: its paste box, as its button (and Ctrl+Enter) does.
	x, _ := jwkText(t, keys.Spec{Kty: keys.KtyOKP}, true)
	mw.Tabs.SelectIndex(tabJWKS)
	mw.jwks.pasteEntry.SetText(x)
	wait(t, &mw.jwks.afterPaste, menuAction(t, mw.Window, fyne.KeyJ, fyne.KeyModifierShortcutDefault))
	if mw.sh.ws.Len() != 2 {
		t.Errorf("Ctrl+J on the JWKS tab: %d keys", mw.sh.ws.Len())
	}
}
