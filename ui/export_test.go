package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// Issue 19: private keys leave the window encrypted with a passphrase by
// default (RFC 7516 JWE, RFC 7518 §4.8 PBES2-HS512+A256KW, p2c 600,000),
// or in plaintext when chosen, after today's warning.

func exportWindow(t *testing.T) (*MainWindow, string) {
	t.Helper()
	o := testOptions()
	o.plainExports = false
	_, mw := newTestWindowWith(t, o)
	dir := t.TempDir()
	mw.sh.saveDialog = func(name string, onPath func(string)) { onPath(filepath.Join(dir, name)) }
	return mw, dir
}

// readSealed opens an encrypted file with pass through the one reader.
func readSealed(t *testing.T, path, pass string, form encjwk.Form) *keys.ParseResult {
	t.Helper()
	data := assertFile(t, path, 0o600, "")
	if f, ok := encjwk.Detect([]byte(data)); !ok || f != form {
		t.Fatalf("not an encrypted JWK in the %v form: %.80s", form, data)
	}
	info, _ := encjwk.Inspect([]byte(data))
	if info.Alg != encjwk.DefaultAlg || info.Enc != encjwk.DefaultEnc || info.P2C != encjwk.WriteFloor {
		t.Errorf("info %+v", info)
	}
	res, err := keys.Parse([]byte(data), keys.ParseOptions{Passphrase: []byte(pass)})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestExportPrivateJWKSEncryptedByDefault(t *testing.T) {
	mw, dir := exportWindow(t)
	j := mw.jwks
	ec, _ := jwkText(t, keys.Spec{Kty: keys.KtyEC}, false)
	oct, _ := jwkText(t, keys.Spec{Kty: keys.KtyOct}, false)
	paste(t, j, `{"keys":[`+ec+`,`+oct+`]}`)
	test.Tap(j.privBtn)
	d := mw.sh.lastExport
	if d == nil || d.choice.Selected != exportEncrypted || !d.pass.Visible() || d.warn.Visible() {
		t.Fatal("the export does not default to encrypted")
	}
	test.Type(d.pass, "short")
	test.Type(d.again, "short")
	if !strings.Contains(d.hint.Text, "5 characters: too short") {
		t.Errorf("hint %q", d.hint.Text)
	}
	test.Tap(d.ok)
	d.pass.SetText(ksTestPass)
	d.again.SetText(ksTestPass + "!")
	test.Tap(d.ok)
	if !d.errLabel.Visible() || !strings.Contains(d.errLabel.Text, "differ") {
		t.Fatalf("mismatch: %q", d.errLabel.Text)
	}
	d.again.SetText(ksTestPass)
	await(t, &j.afterExport, func() { test.Tap(d.ok) })
	res := readSealed(t, filepath.Join(dir, "jwks.private.jwe.json"), ksTestPass, encjwk.FormFlattened)
	if len(res.Keys()) != 2 || !strings.HasPrefix(res.Summary, "encrypted JWKS") {
		t.Errorf("read back %q, %d keys", res.Summary, len(res.Keys()))
	}

	// Plaintext, when chosen, after the warning.
	test.Tap(j.privBtn)
	d = mw.sh.lastExport
	d.choice.SetSelected(exportPlain)
	if d.pass.Visible() || !d.warn.Visible() {
		t.Error("plaintext shows the passphrase, or no warning")
	}
	var asked string
	j.confirm = func(title, _ string, onOK func()) { asked = title; onOK() }
	test.Tap(d.ok)
	data := assertFile(t, filepath.Join(dir, "jwks.private.json"), 0o600, "")
	if asked != "Export private keys?" || !strings.Contains(data, `"d":`) {
		t.Errorf("plaintext export after %q", asked)
	}
}

func TestGeneratePrivateJWKEncryptedByDefault(t *testing.T) {
	mw, dir := exportWindow(t)
	g := mw.generate
	generate(t, g, func() { test.Tap(g.genBtn) })
	g.onSave(g.privJWK)
	d := mw.sh.lastExport
	if d == nil || d.choice.Selected != exportEncrypted {
		t.Fatal("the private JWK's save does not default to encrypted")
	}
	d.pass.SetText(ksTestPass)
	d.again.SetText(ksTestPass)
	await(t, &g.afterExport, func() { test.Tap(d.ok) })
	kid, _ := g.current.Private.KeyID()
	res := readSealed(t, filepath.Join(dir, fileSafe(kid)+".private.jwe.json"), ksTestPass, encjwk.FormFlattened)
	if got, _ := res.Keys()[0].KeyID(); got != kid || !keys.IsPrivate(res.Keys()[0]) {
		t.Errorf("read back kid %q", got)
	}
	if len(mw.sh.unsavedKeys(g.currentKey())) != 0 {
		t.Error("an encrypted save does not count as saved")
	}
	if _, err := os.Stat(filepath.Join(dir, fileSafe(kid)+".private.jwk.json")); err == nil {
		t.Error("a plaintext file was written too")
	}
}
