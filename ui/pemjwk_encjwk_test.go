package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func stepFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "convert", "keys", "encjwk", "testdata", "step", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Issue 19: a passphrase-encrypted private JWK or JWK Set (RFC 7516 JWE,
// RFC 7518 §4.8 PBES2; step's JSON form and the compact form) gets the
// passphrase row encrypted PEM gets: asked, wrong said, right converted.
func TestPEMTabEncryptedJWK(t *testing.T) {
	pass := strings.TrimSpace(stepFile(t, "passphrase.txt"))
	cases := []struct {
		name, file, prompt, found string
	}{
		{"RFC7516_7.2.2/step JSON JWK", "ec-p256.priv.json", "This is a private JWK encrypted with a passphrase (PBES2-HS256+A128KW, p2c 100,000)", "JWK (EC P-256, private) — encrypted with a passphrase"},
		{"RFC7516_7.1/compact JWK", "ca-provisioner.jwe", "This is a private JWK encrypted with a passphrase", "decrypted"},
		{"RFC7517_5/step JSON JWK Set", "set.priv.json", "This is a private JWK Set encrypted with a passphrase", "JWKS key (OKP Ed25519, private)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, p := pemWindow(t)
			in := stepFile(t, c.file)
			convertWait(t, p, func() { p.input.SetText(in) })
			if !p.passRow.Visible() || !strings.Contains(p.inputErr.Text, c.prompt) || !strings.Contains(p.inputErr.Text, "enter its passphrase below") {
				t.Fatalf("no passphrase prompt: %q", p.inputErr.Text)
			}
			test.Type(p.pass, "wrong")
			convertWait(t, p, func() { p.pass.OnSubmitted(p.pass.Text) })
			if !p.passErr.Visible() || !strings.Contains(p.passErr.Text, "passphrase does not decrypt this encrypted JWK") {
				t.Errorf("wrong passphrase: %q", p.passErr.Text)
			}
			if p.input.Text != in || p.pubJWK.content != "" {
				t.Error("input changed or a result shown after a wrong passphrase")
			}
			p.pass.SetText(pass)
			convertWait(t, p, func() { p.pass.OnSubmitted(p.pass.Text) })
			if p.passErr.Visible() || p.inputErr.Visible() || !strings.Contains(p.found.Text, c.found) || p.pubJWK.content == "" {
				t.Errorf("right passphrase: found %q, errors %q %q", p.found.Text, p.inputErr.Text, p.passErr.Text)
			}
			if !p.passRow.Visible() {
				t.Error("the passphrase row hid after decrypting")
			}
		})
	}
}

// Paste-and-route and opened files send an encrypted JWK (RFC 7516 §7.1
// compact, whose five parts look like a token, and §7.2.2 JSON) to the
// PEM / JWK tab, where its passphrase is asked.
func TestRouteEncryptedJWKToThePEMTabRFC7516_7(t *testing.T) {
	for _, file := range []string{"ec-p256.priv.json", "ca-provisioner.jwe", "set.priv.json"} {
		t.Run(file, func(t *testing.T) {
			_, mw := newTestWindow(t)
			text := stepFile(t, file)
			convertWait(t, mw.pem, func() { mw.routeText(text, "the clipboard") })
			if mw.Tabs.SelectedIndex() != tabPEM || mw.pem.input.Text != text {
				t.Fatalf("routed to tab %d", mw.Tabs.SelectedIndex())
			}
			if !strings.Contains(mw.sh.status.Text, "Opened a passphrase-encrypted JWK from the clipboard in the PEM / JWK tab") || !mw.pem.passRow.Visible() {
				t.Errorf("status %q", mw.sh.status.Text)
			}
			mw.selectTab(tabJWT)
			mw.routeFile(file, []byte(text)) // the same text: nothing converts again
			if mw.Tabs.SelectedIndex() != tabPEM {
				t.Errorf("file routed to tab %d", mw.Tabs.SelectedIndex())
			}
		})
	}
}
