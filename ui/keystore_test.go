package ui

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// Issue 19: the private keystore through the window — Settings turns it
// on (passphrase twice), a restart unlocks it (a wrong passphrase asks
// again and leaves the file as it is), the keys come back usable, quit no
// longer warns, the passphrase changes, the keystore is forgotten.

const (
	ksTestPass = "a keystore passphrase for the tests"
	ksNewPass  = "another keystore passphrase, changed"
)

// await runs action and waits until done is called (set by the caller on
// the hook the action ends with).
func await(t *testing.T, hook *func(), action func()) {
	t.Helper()
	ch := make(chan struct{})
	*hook = func() { close(ch) }
	action()
	select {
	case <-ch:
	case <-time.After(90 * time.Second):
		t.Fatal("the keystore action did not finish")
	}
	*hook = nil
}

func keystoreWindow(t *testing.T, path string) *MainWindow {
	t.Helper()
	opts, loads := stateOptions(path)
	_, mw := newTestWindowWith(t, opts)
	(<-loads)()
	mw.jwks.store.Wait()
	return mw
}

// setPassTwice types the passphrase into a new-passphrase dialog and
// confirms it, waiting for the keystore settings' done.
func setPassTwice(t *testing.T, mw *MainWindow, open func(), pass string) {
	t.Helper()
	await(t, &mw.keystoreUI.done, func() {
		open()
		d := mw.keystoreUI.passDlg
		if d == nil {
			t.Fatal("no passphrase dialog")
		}
		test.Type(d.pass, pass)
		if !strings.Contains(d.hint.Text, "long enough") {
			t.Errorf("hint %q", d.hint.Text)
		}
		test.Type(d.again, pass)
		test.Tap(d.ok)
	})
}

func unlockWith(t *testing.T, u *unlockDialog, pass string) {
	t.Helper()
	u.pass.SetText(pass)
	await(t, &u.done, func() { test.Tap(u.unlock) })
}

func TestKeystoreThroughTheWindow(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "jwks-workspace.json")
	ksPath := keystoreFileBeside(state)

	// First run: private keys, then Settings › Keep private keys.
	mw := keystoreWindow(t, state)
	if mw.unlock != nil {
		t.Fatal("an unlock dialog without a keystore")
	}
	ec, _ := jwkText(t, keys.Spec{Kty: keys.KtyEC}, false)
	oct, _ := jwkText(t, keys.Spec{Kty: keys.KtyOct}, false)
	paste(t, mw.jwks, `{"keys":[`+ec+`,`+oct+`]}`)
	mw.showSettings()
	k := mw.keystoreUI
	if k.keep.Checked || !k.change.Disabled() {
		t.Fatal("the keystore is on by default")
	}
	// Two passphrases that differ are refused.
	k.passDlg = nil
	test.Tap(k.keep)
	if k.keep.Checked || k.passDlg == nil {
		t.Fatal("no passphrase asked")
	}
	test.Type(k.passDlg.pass, ksTestPass)
	test.Type(k.passDlg.again, ksTestPass+"x")
	test.Tap(k.passDlg.ok)
	if !k.passDlg.errLabel.Visible() || !strings.Contains(k.passDlg.errLabel.Text, "differ") {
		t.Errorf("mismatch: %q", k.passDlg.errLabel.Text)
	}
	k.passDlg.d.Hide()
	setPassTwice(t, mw, func() { test.Tap(k.keep) }, ksTestPass)
	if !k.keep.Checked || k.change.Disabled() || !mw.keystoreOn() {
		t.Fatal("the keystore is not on")
	}
	assertFile(t, ksPath, 0o600, "")
	// A key added later is kept too (background, coalesced).
	ed, _ := jwkText(t, keys.Spec{Kty: keys.KtyOKP, Crv: keys.CrvEd25519}, false)
	paste(t, mw.jwks, ed)
	mw.jwks.store.Wait()
	mw.keystore.Wait()
	for _, needle := range []string{`"d"`, `"k"`, ksTestPass} {
		if data, _ := os.ReadFile(ksPath); bytes.Contains(data, []byte(needle)) {
			t.Errorf("the keystore holds %s in plaintext", needle)
		}
		if data, _ := os.ReadFile(state); bytes.Contains(data, []byte(needle)) {
			t.Errorf("the state file holds %s", needle)
		}
	}
	// Quit does not warn: the private keys are kept.
	mw.generate.current = nil
	closed := false
	mw.closeWindow = func() { closed = true }
	mw.sh.ask = func(title, _, _, _ string, _ func()) { t.Errorf("quit asked %q", title) }
	mw.quit()
	if !closed {
		t.Error("quit did not close")
	}

	// Restart: the unlock dialog; a wrong passphrase keeps the file.
	mw2 := keystoreWindow(t, state)
	u := mw2.unlock
	if u == nil || len(mw2.sh.ws.Private()) != 0 {
		t.Fatal("no unlock dialog at start, or private keys without it")
	}
	before, _ := os.ReadFile(ksPath)
	unlockWith(t, u, "not the passphrase")
	if !u.errLabel.Visible() || !strings.Contains(u.errLabel.Text, "Wrong passphrase") || u.unlock.Disabled() || u.pass.Text != "" {
		t.Errorf("wrong passphrase: %q", u.errLabel.Text)
	}
	if after, _ := os.ReadFile(ksPath); !bytes.Equal(before, after) {
		t.Error("a wrong passphrase changed the keystore")
	}
	unlockWith(t, u, ksTestPass)
	priv := mw2.sh.ws.Private()
	if len(priv) != 3 || !strings.HasPrefix(mw2.sh.status.Text, "Unlocked the private keystore: 3 private keys back") {
		t.Fatalf("%d private keys; status %q", len(priv), mw2.sh.status.Text)
	}
	for _, e := range mw2.sh.ws.Entries() {
		if e.Key.KeyType() == jwa.EC() {
			if _, err := jws.Sign([]byte("payload"), jws.WithKey(jwa.ES256(), e.Key)); err != nil {
				t.Errorf("the unlocked EC key does not sign: %v", err)
			}
		}
	}

	// Change the passphrase: the old one no longer opens it.
	mw2.showSettings()
	setPassTwice(t, mw2, func() { test.Tap(mw2.keystoreUI.change) }, ksNewPass)
	if _, _, err := keyset.NewKeystore(ksPath, nil).Unlock(context.Background(), []byte(ksTestPass)); !errors.Is(err, keys.ErrWrongPassphrase) {
		t.Errorf("old passphrase after a change: %v", err)
	}
	if got, _, err := keyset.NewKeystore(ksPath, nil).Unlock(context.Background(), []byte(ksNewPass)); err != nil || len(got) != 3 {
		t.Errorf("new passphrase: %d keys, %v", len(got), err)
	}

	// Forget: the file goes, the box unticks, the next start asks nothing.
	await(t, &mw2.keystoreUI.done, func() { test.Tap(mw2.keystoreUI.forget) })
	if _, err := os.Stat(ksPath); !errors.Is(err, os.ErrNotExist) || mw2.keystoreUI.keep.Checked || mw2.keystoreOn() {
		t.Errorf("after forget: %v, checked %v", err, mw2.keystoreUI.keep.Checked)
	}
	if mw3 := keystoreWindow(t, state); mw3.unlock != nil {
		t.Error("an unlock dialog after forget")
	}
}

// "Open without private keys" keeps the keystore as it is and writes
// nothing over it; Settings offers to unlock it later.
func TestKeystoreOpenWithoutPrivateKeys(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "jwks-workspace.json")
	ksPath := keystoreFileBeside(state)
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	ws := keyset.NewWorkspace()
	_, _ = ws.Add("generated", g.Private)
	if err := keyset.NewKeystore(ksPath, nil).Enable([]byte(ksTestPass), ws); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(ksPath)
	mw := keystoreWindow(t, state)
	test.Tap(mw.unlock.skip)
	if !strings.Contains(mw.sh.status.Text, "Opened without private keys") {
		t.Errorf("status %q", mw.sh.status.Text)
	}
	other, _ := jwkText(t, keys.Spec{Kty: keys.KtyEC}, false)
	paste(t, mw.jwks, other)
	mw.jwks.store.Wait()
	mw.keystore.Wait()
	if after, _ := os.ReadFile(ksPath); !bytes.Equal(before, after) {
		t.Error("a locked keystore was written")
	}
	mw.showSettings()
	k := mw.keystoreUI
	if k.keep.Checked || k.forget.Disabled() {
		t.Error("settings: a locked keystore shows as on, or cannot be forgotten")
	}
	test.Tap(k.keep)
	if k.unlockDlg == nil || k.passDlg != nil {
		t.Fatal("turning it on over a locked keystore did not ask to unlock it")
	}
	unlockWith(t, k.unlockDlg, ksTestPass)
	if !k.keep.Checked || len(mw.sh.ws.Private()) != 2 {
		t.Errorf("after unlocking from Settings: checked %v, %d private", k.keep.Checked, len(mw.sh.ws.Private()))
	}
}

// The keystore's p2c is configurable upwards through the preferences, and
// never under 600,000 (RFC 7518 §4.8.1.2; OWASP's figure).
func TestKeystoreP2CPreferenceRFC7518_4_8_1_2(t *testing.T) {
	for _, c := range []struct {
		pref int
		want float64
	}{{700_000, 700_000}, {100_000, 600_000}} {
		dir := t.TempDir()
		state := filepath.Join(dir, "jwks-workspace.json")
		opts, loads := stateOptions(state)
		a := test.NewTempApp(t)
		a.Preferences().SetInt(prefKeystoreP2C, c.pref)
		mw := NewMainWindow(a, opts)
		mw.generate.tick = 0
		t.Cleanup(mw.Window.Close)
		(<-loads)()
		mw.sh.ask = func(_, _, _, _ string, onOK func()) { onOK() }
		g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
		_, _ = mw.sh.ws.Add("generated", g.Private)
		mw.showSettings()
		setPassTwice(t, mw, func() { test.Tap(mw.keystoreUI.keep) }, ksTestPass)
		data, _ := os.ReadFile(keystoreFileBeside(state))
		info, err := encjwk.Inspect(data)
		if err != nil || float64(info.P2C) != c.want {
			t.Errorf("pref %d: p2c %d (%v)", c.pref, info.P2C, err)
		}
	}
}

// A keystore no passphrase opens is moved aside at unlock and the user is
// told; the window opens without private keys (RFC 7516 §5.2: the content
// does not authenticate).
func TestKeystoreDamagedAtStartRFC7516_5_2(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "jwks-workspace.json")
	ksPath := keystoreFileBeside(state)
	if err := os.WriteFile(ksPath, []byte(`{"protected":"e30","ciphertext":"AA"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	mw := keystoreWindow(t, state)
	if mw.unlock == nil {
		t.Fatal("no unlock dialog")
	}
	unlockWith(t, mw.unlock, ksTestPass)
	if !strings.Contains(mw.sh.status.Text, "The private keystore was damaged") || !strings.Contains(mw.sh.status.Text, ".corrupt-") {
		t.Errorf("status %q", mw.sh.status.Text)
	}
	if _, err := os.Stat(ksPath); !errors.Is(err, os.ErrNotExist) {
		t.Error("the damaged keystore was not moved aside")
	}
	if mw.keystoreOn() || len(mw.sh.ws.Private()) != 0 {
		t.Error("a damaged keystore unlocked")
	}
}
