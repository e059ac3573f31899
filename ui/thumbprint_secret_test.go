package ui

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// 22.1: the Thumbprint view of an oct key shows nothing derived from the
// secret (neither its RFC 7638 hash nor the canonical JSON holding k), in
// the PEM / JWK tab and in the Generate tab; the secret is only in the
// private view, masked.
func TestThumbprintViewsShowNoSecretRFC7638(t *testing.T) {
	a, mw, p := pemWindow(t)
	const k = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow" // RFC 7515 A.1
	sum := sha256.Sum256([]byte(`{"k":"` + k + `","kty":"oct"}`))
	hash := base64.RawURLEncoding.EncodeToString(sum[:])
	for _, in := range []string{
		`{"kty":"oct","kid":"hs","k":"` + k + `"}`,
		`{"keys":[{"kty":"oct","kid":"hs","k":"` + k + `"},{"kty":"oct","kid":"hs2","k":"` + k[:43] + `"}]}`,
	} {
		convertWait(t, p, func() { p.input.SetText(in) })
		if p.inputErr.Visible() {
			t.Fatal(p.inputErr.Text)
		}
		for _, v := range []*outputView{p.details, p.pubJWK, p.pubPEM} {
			if strings.Contains(v.content, k) || strings.Contains(v.content, hash) || strings.Contains(v.content, k[:43]) || strings.Contains(v.text.Text, hash) {
				t.Errorf("%s shows secret material: %q", v.what, v.content)
			}
		}
		if !strings.Contains(p.details.content, "kid hs: an oct secret: no thumbprint is shown") {
			t.Errorf("thumbprint view %q", p.details.content)
		}
		if !strings.Contains(p.privJWK.content, k) || strings.Contains(p.privJWK.text.Text, k) || !p.privJWK.private {
			t.Error("the private JWK is missing, or shown unmasked")
		}
		// What Copy puts on the clipboard from the Thumbprint view holds nothing secret either.
		if p.details.content != "" {
			test.Tap(p.details.copyBtn)
			if got := a.Clipboard().Content(); strings.Contains(got, k) || strings.Contains(got, hash) {
				t.Errorf("clipboard %q", got)
			}
		}
	}
	// The Generate tab's Thumbprint view for a new secret.
	g := mw.generate
	choose(g, "oct", "256", "sig")
	generate(t, g, func() { test.Tap(g.genBtn) })
	var priv map[string]any
	_ = json.Unmarshal([]byte(g.privJWK.content), &priv)
	secret, _ := priv["k"].(string)
	raw, _ := base64.RawURLEncoding.DecodeString(secret)
	gsum := sha256.Sum256([]byte(`{"k":"` + base64.RawURLEncoding.EncodeToString(raw) + `","kty":"oct"}`))
	ghash := base64.RawURLEncoding.EncodeToString(gsum[:])
	for _, v := range []*outputView{g.details, g.pubJWK, g.jwks, g.pubPEM} {
		if secret == "" || strings.Contains(v.content, secret) || strings.Contains(v.content, ghash) {
			t.Errorf("Generate %s shows secret material", v.what)
		}
	}
	if strings.Contains(g.thumbLabel.Text, ghash) {
		t.Error("the Generate tab's thumbprint line shows the secret's hash")
	}
}
