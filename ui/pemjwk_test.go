package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// convertWait runs action and waits for the conversion it schedules to be
// shown (see gatedWait).
func convertWait(t *testing.T, p *pemTab, action func()) {
	t.Helper()
	gatedWait(t, &p.deb, action)
}

func pemFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "convert", "keys", "testdata", "parse", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func pemWindow(t *testing.T) (fyne.App, *MainWindow, *pemTab) {
	t.Helper()
	a, mw := newTestWindow(t)
	mw.Tabs.SelectIndex(tabIndex(t, mw, mw.pem))
	return a, mw, mw.pem
}

func TestPEMTabPrivateKeyToJWK(t *testing.T) {
	a, mw, p := pemWindow(t)
	in := pemFixture(t, "rsa-pkcs1.pem")
	convertWait(t, p, func() { p.input.SetText(in) })
	if !strings.Contains(p.found.Text, "PKCS#1 RSA private key, 2048 bits") {
		t.Errorf("found %q", p.found.Text)
	}
	var pub map[string]any
	if err := json.Unmarshal([]byte(p.pubJWK.content), &pub); err != nil || pub["kty"] != "RSA" || pub["d"] != nil || pub["kid"] == nil {
		t.Fatalf("public JWK %v %v", pub, err)
	}
	var priv map[string]any
	_ = json.Unmarshal([]byte(p.privJWK.content), &priv)
	d, _ := priv["d"].(string)
	if d == "" || strings.Contains(p.privJWK.text.Text, d) {
		t.Error("private JWK missing or shown unmasked")
	}
	test.Tap(p.pubJWK.copyBtn)
	if a.Clipboard().Content() != p.pubJWK.content {
		t.Error("copy did not put the public JWK on the clipboard")
	}
	if p.input.Text != in {
		t.Error("the input was changed")
	}
	// The flavour chooser: PKCS#1 private PEM.
	p.prvPEMSel.SetSelected("PKCS#1")
	if !strings.HasPrefix(p.privPEM.content, "-----BEGIN RSA PRIVATE KEY-----") || !strings.Contains(p.privPEM.caption.Text, "PKCS#1") {
		t.Errorf("private PEM %q caption %q", p.privPEM.content[:40], p.privPEM.caption.Text)
	}
	// Add to JWKS.
	test.Tap(p.addBtn)
	if mw.sh.ws.Len() != 1 {
		t.Errorf("workspace holds %d keys", mw.sh.ws.Len())
	}
	// Options: a custom kid and an alg that fits.
	convertWait(t, p, func() { p.kidSel.SetSelected(kidCustom) })
	convertWait(t, p, func() { p.kidEntry.SetText("legacy-rsa") })
	convertWait(t, p, func() { p.algSel.SetSelected("PS256") })
	_ = json.Unmarshal([]byte(p.pubJWK.content), &pub)
	if pub["kid"] != "legacy-rsa" || pub["alg"] != "PS256" {
		t.Errorf("options not applied: %v", pub)
	}
}

func TestPEMTabCertificateChain(t *testing.T) {
	_, _, p := pemWindow(t)
	convertWait(t, p, func() { p.input.SetText(pemFixture(t, "chain.pem")) })
	if !strings.Contains(p.found.Text, "X.509 certificate, CN=auth.example.com") || !strings.Contains(p.found.Text, "(chain of 2)") {
		t.Errorf("found %q", p.found.Text)
	}
	var pub map[string]any
	_ = json.Unmarshal([]byte(p.pubJWK.content), &pub)
	if x5c, _ := pub["x5c"].([]any); len(x5c) != 2 || pub["x5t#S256"] == nil {
		t.Errorf("public JWK %v", pub)
	}
	if p.privJWK.content != "" {
		t.Error("a certificate has no private JWK")
	}
}

func TestPEMTabEncryptedKey(t *testing.T) {
	_, _, p := pemWindow(t)
	in := pemFixture(t, "ec-p384-encrypted-pbkdf2.pem")
	convertWait(t, p, func() { p.input.SetText(in) })
	if !p.passRow.Visible() || !strings.Contains(p.inputErr.Text, "enter its passphrase") {
		t.Fatalf("no passphrase prompt: %q", p.inputErr.Text)
	}
	test.Type(p.pass, "wrong")
	convertWait(t, p, func() { p.pass.OnSubmitted(p.pass.Text) })
	if !p.passErr.Visible() || !strings.Contains(p.passErr.Text, "passphrase does not decrypt") {
		t.Errorf("wrong passphrase: %q", p.passErr.Text)
	}
	if p.input.Text != in || p.pubJWK.content != "" {
		t.Error("input changed or a result shown after a wrong passphrase")
	}
	p.pass.SetText("correct-horse")
	convertWait(t, p, func() { p.pass.OnSubmitted(p.pass.Text) })
	if p.passErr.Visible() || p.inputErr.Visible() || !strings.Contains(p.found.Text, "(decrypted), EC P-384") {
		t.Errorf("right passphrase: found %q, errors %q %q", p.found.Text, p.inputErr.Text, p.passErr.Text)
	}
}

func TestPEMTabJWKToPEM(t *testing.T) {
	_, _, p := pemWindow(t)
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256})
	jwkText, _ := keys.MarshalJWK(g.Private)
	convertWait(t, p, func() { p.input.SetText(string(jwkText)) })
	if !strings.HasPrefix(p.found.Text, "JWK:") {
		t.Errorf("found %q", p.found.Text)
	}
	if !strings.HasPrefix(p.pubPEM.content, "-----BEGIN PUBLIC KEY-----") || !strings.Contains(p.pubPEM.caption.Text, "SPKI") {
		t.Errorf("public PEM %q", p.pubPEM.caption.Text)
	}
	p.prvPEMSel.SetSelected("SEC1")
	if !strings.HasPrefix(p.privPEM.content, "-----BEGIN EC PRIVATE KEY-----") {
		t.Errorf("SEC1 %q", p.privPEM.content)
	}
	back, err := keys.ParseKeys([]byte(p.privPEM.content))
	if err != nil || len(back) != 1 {
		t.Fatal(err)
	}
	tp, _ := keys.ThumbprintOf(back[0])
	if tp != g.Thumbprint.Value {
		t.Error("the PEM holds another key")
	}
}

func TestPEMTabGarbageKeepsInput(t *testing.T) {
	_, _, p := pemWindow(t)
	inputs := map[string]string{
		"hello there":                "Not a key: paste a PEM key",
		pemFixture(t, "csr.pem"):     "certificate signing request (CSR), not a key",
		pemFixture(t, "dsa.pem"):     "Unknown PEM type `DSA PRIVATE KEY`: DSA keys cannot be used with JOSE",
		"-----BEGIN PUBLIC KEY-----": "without a matching END line",
	}
	for in, want := range inputs {
		convertWait(t, p, func() { p.input.SetText(in) })
		if !p.inputErr.Visible() || !strings.Contains(p.inputErr.Text, want) {
			t.Errorf("%.20q: error %q, want %q", in, p.inputErr.Text, want)
		}
		if p.input.Text != in || p.pubJWK.content != "" || !p.addBtn.Disabled() {
			t.Errorf("%.20q: input changed or a stale result kept", in)
		}
	}
}

func TestOpenFileRoutes(t *testing.T) {
	_, mw := newTestWindow(t)
	der, err := os.ReadFile(filepath.Join("..", "convert", "keys", "testdata", "parse", "ec-p384-spki.der"))
	if err != nil {
		t.Fatal(err)
	}
	convertWait(t, mw.pem, func() { mw.routeFile("key.der", der) })
	if mw.current() != mw.pem || !strings.Contains(mw.pem.found.Text, "SPKI public key (DER (base64)), EC P-384") {
		t.Errorf("DER file: tab %q, found %q", mw.Tabs.Selected().Text, mw.pem.found.Text)
	}
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	set, _ := keys.MarshalPublicJWKS(g.Private)
	mw.routeFile("jwks.json", set)
	if mw.current() != mw.jwks || mw.jwks.pasteEntry.Text != string(set) {
		t.Errorf("JWKS file went to %q", mw.Tabs.Selected().Text)
	}
	mw.routeFile("huge.pem", make([]byte, input.MaxKeyInput+1))
	if mw.sh.status.Text != "Not opened: huge.pem is over 1 MiB, the limit for keys, certificates and key sets: give one key, bundle or set at a time." {
		t.Errorf("status %q", mw.sh.status.Text)
	}
}
