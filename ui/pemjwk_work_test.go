package ui

import (
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// countDerivations makes p's parses count the key derivations the engine
// announces (through convert.ParseOptions.OnDerive, the engine's seam).
func countDerivations(p *pemTab) *atomic.Int32 {
	var n atomic.Int32
	inner := p.parseFn
	p.parseFn = func(b []byte, o keys.ParseOptions) (*keys.ParseResult, error) {
		show := o.OnDerive
		o.OnDerive = func(d keys.Derivation) {
			n.Add(1)
			show(d)
		}
		return inner(b, o)
	}
	return &n
}

func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
	var zero T
	return zero
}

// After a successful decrypt, kid, use and alg changes (keystroke by
// keystroke) re-use the decrypted parse: no key is derived again. Only a
// changed input or a newly submitted passphrase derives again (issue 22.6:
// every keystroke re-ran the derivation). Every kind of encrypted input.
func TestPEMTabOptionChangesDoNotDeriveAgain(t *testing.T) {
	der := func(name string) string {
		block, _ := pem.Decode([]byte(pemFixture(t, name)))
		return base64.StdEncoding.EncodeToString(block.Bytes)
	}
	inputs := []struct{ name, in, found string }{
		{"RFC 8018 PBKDF2, PEM", pemFixture(t, "ec-p384-encrypted-pbkdf2.pem"), "encrypted PKCS#8 private key (decrypted), EC P-384"},
		{"RFC 8018 PBKDF2, base64 DER", der("ec-p384-encrypted-pbkdf2.pem"), "encrypted PKCS#8 private key (DER (base64), decrypted), EC P-384"},
		{"RFC 7914 scrypt, PEM", pemFixture(t, "ed25519-encrypted-scrypt.pem"), "encrypted PKCS#8 private key (decrypted), Ed25519"},
		{"RFC 1421 legacy Proc-Type PEM", pemFixture(t, "rsa-pkcs1-legacy-encrypted.pem"), "PKCS#1 RSA private key (decrypted), 2048 bits"},
		{"OpenSSH PROTOCOL.key bcrypt_pbkdf", pemFixture(t, "openssh-ed25519-encrypted.pem"), "OpenSSH private key, Ed25519"},
	}
	for _, c := range inputs {
		t.Run(c.name, func(t *testing.T) {
			_, _, p := pemWindow(t)
			p.deb.delay = time.Millisecond // the pause in typing is not what is tested
			derived := countDerivations(p)
			convertWait(t, p, func() { p.input.SetText(c.in) })
			if !p.passRow.Visible() || derived.Load() != 0 {
				t.Fatalf("no passphrase asked (%q), or derived %d times without one", p.inputErr.Text, derived.Load())
			}
			p.pass.SetText("correct-horse")
			convertWait(t, p, func() { p.pass.OnSubmitted(p.pass.Text) })
			if !strings.Contains(p.found.Text, c.found) || derived.Load() != 1 {
				t.Fatalf("found %q, derived %d", p.found.Text, derived.Load())
			}
			// Options, keystroke by keystroke.
			convertWait(t, p, func() { p.kidSel.SetSelected(kidCustom) })
			for _, kid := range []string{"r", "ro", "rot", "rota", "rotat", "rotate"} {
				convertWait(t, p, func() { p.kidEntry.SetText(kid) })
			}
			convertWait(t, p, func() { p.useSel.SetSelected(keys.UseSig) })
			alg := p.algSel.Options[1]
			convertWait(t, p, func() { p.algSel.SetSelected(alg) })
			// The same passphrase again, and one typed but not submitted; a
			// use the alg does not fit (the alg goes back to keep), then
			// back to what fits.
			convertWait(t, p, func() { test.Tap(p.decryptBtn) })
			p.pass.SetText("correct-hors")
			if slices.Contains(p.useSel.Options, keys.UseEnc) {
				convertWait(t, p, func() { p.useSel.SetSelected(keys.UseEnc) })
				if p.algSel.Selected == alg {
					t.Errorf("use enc kept the signing alg %s", alg)
				}
				convertWait(t, p, func() { p.useSel.SetSelected(keys.UseSig) })
				convertWait(t, p, func() { p.algSel.SetSelected(alg) })
			}
			var pub map[string]any
			_ = json.Unmarshal([]byte(p.pubJWK.content), &pub)
			if pub["kid"] != "rotate" || pub["alg"] != alg || pub["use"] != "sig" {
				t.Errorf("options not applied: %v", pub)
			}
			if n := derived.Load(); n != 1 {
				t.Errorf("derived %d times for one input and passphrase: option changes derived again", n)
			}
			// A changed input derives again, with the submitted passphrase.
			convertWait(t, p, func() { p.input.SetText(c.in + "\n") })
			if n := derived.Load(); n != 2 || !strings.Contains(p.found.Text, c.found) {
				t.Errorf("changed input: derived %d times, found %q", n, p.found.Text)
			}
		})
	}
}

// Passphrases submitted while a derivation runs supersede it: the stale
// ones are cancelled before deriving, the newest waits for the running one,
// and no two parses ever run at once (issue 22.6: five derivations ran
// together, uncancelled). While deriving, the tab says so and Decrypt is
// disabled.
func TestPEMTabSupersededDerivationsRunOneAtATime(t *testing.T) {
	_, _, p := pemWindow(t)
	convertWait(t, p, func() { p.input.SetText(pemFixture(t, "ec-p384-encrypted-pbkdf2.pem")) })

	var mu sync.Mutex
	running, most := 0, 0
	var derived []string
	deriving := make(chan string, 10)
	release := make(chan struct{})
	inner := p.parseFn
	p.parseFn = func(b []byte, o keys.ParseOptions) (*keys.ParseResult, error) {
		mu.Lock()
		running++
		most = max(most, running)
		mu.Unlock()
		defer func() {
			mu.Lock()
			running--
			mu.Unlock()
		}()
		show := o.OnDerive
		o.OnDerive = func(d keys.Derivation) {
			show(d)
			mu.Lock()
			derived = append(derived, string(o.Passphrase))
			first := len(derived) == 1
			mu.Unlock()
			deriving <- string(o.Passphrase)
			if first {
				<-release // the first derivation runs long
			}
		}
		return inner(b, o)
	}
	queued := make(chan struct{}, 10)
	p.memo.mu.Lock()
	p.memo.queued = func() { queued <- struct{}{} }
	p.memo.mu.Unlock()
	p.deb.delay = 0 // each submit's work starts at once

	// Each submit's work starts once the submit has returned (the gate):
	// what it shows cannot race with the test's own widget changes.
	submit := func(pass string) {
		gate := make(chan struct{})
		p.deb.gate = gate
		p.pass.SetText(pass)
		p.pass.OnSubmitted(pass)
		p.deb.gate = nil
		close(gate)
		recv(t, queued, "the parse of "+pass)
	}
	submit("wrong-1")
	recv(t, deriving, "the first derivation")
	if !p.deriving.Visible() || !strings.Contains(p.deriving.Text, "Deriving the key from the passphrase: PBKDF2-HMAC-SHA256 (2048 iterations), about 0.1 s") || !p.decryptBtn.Disabled() {
		t.Errorf("while deriving: %q shown %v, Decrypt disabled %v", p.deriving.Text, p.deriving.Visible(), p.decryptBtn.Disabled())
	}
	submit("wrong-2")
	submit("wrong-3")
	submit("wrong-4")
	done := make(chan struct{})
	p.deb.after = func() { close(done) }
	submit("correct-horse")
	close(release)
	recv(t, done, "the last result")
	p.deb.inflight.Wait()

	mu.Lock()
	defer mu.Unlock()
	if most != 1 {
		t.Errorf("%d parses ran at once", most)
	}
	if strings.Join(derived, " ") != "wrong-1 correct-horse" {
		t.Errorf("derived for %q: want the running one and the newest only", derived)
	}
	if p.deriving.Visible() || p.decryptBtn.Disabled() || p.passErr.Visible() || !strings.Contains(p.found.Text, "(decrypted), EC P-384") {
		t.Errorf("after: deriving shown %v, Decrypt disabled %v, passErr %q, found %q", p.deriving.Visible(), p.decryptBtn.Disabled(), p.passErr.Text, p.found.Text)
	}
}

// The passphrase is capped like every other input: a paste over
// convert.MaxPassphrase never reaches the field, and a longer passphrase is
// refused by the engine before any derivation, next to the field.
func TestPEMTabPassphraseCapped(t *testing.T) {
	a, _, p := pemWindow(t)
	derived := countDerivations(p)
	convertWait(t, p, func() { p.input.SetText(pemFixture(t, "ed25519-encrypted-scrypt.pem")) })
	a.Clipboard().SetContent(strings.Repeat("p", input.MaxPassphrase+1024))
	p.pass.TypedShortcut(&fyne.ShortcutPaste{Clipboard: a.Clipboard()})
	if p.pass.Text != "" || p.passErr.Text != "Not pasted: the clipboard holds 5 KiB, over the 4 KiB limit for a passphrase. The passphrase is one line of text." {
		t.Errorf("paste over the cap: field %d bytes, error %q", len(p.pass.Text), p.passErr.Text)
	}
	a.Clipboard().SetContent("correct-horse")
	p.pass.TypedShortcut(&fyne.ShortcutPaste{Clipboard: a.Clipboard()})
	if p.pass.Text != "correct-horse" {
		t.Errorf("paste under the cap: %q", p.pass.Text)
	}
	p.pass.SetText(strings.Repeat("p", input.MaxPassphrase+1))
	convertWait(t, p, func() { p.pass.OnSubmitted(p.pass.Text) })
	if p.passErr.Text != "The passphrase is over 4 KiB: a passphrase is one line of text" || derived.Load() != 0 || p.inputErr.Visible() {
		t.Errorf("typed over the cap: %q (input error %q), derived %d", p.passErr.Text, p.inputErr.Text, derived.Load())
	}
}

// Opened and dropped files are read through the engine's capped reader: an
// endless file (/dev/zero) or one over the cap costs the cap, is not opened,
// and the status line says why; a file under it is routed.
func TestOpenAndDropReadCapped(t *testing.T) {
	_, mw := newTestWindow(t)
	dir := t.TempDir()
	big := filepath.Join(dir, "big.pem")
	if err := os.WriteFile(big, make([]byte, input.MaxKeyInput+1), 0o600); err != nil {
		t.Fatal(err)
	}
	files := []string{big}
	if _, err := os.Stat("/dev/zero"); err == nil {
		files = append(files, "/dev/zero")
	}
	for _, f := range files {
		u := storage.NewFileURI(f)
		want := "Not opened: " + u.Name() + " is over 1 MiB, the limit for keys, certificates and key sets: give one key, bundle or set at a time."
		mw.sh.setStatus("")
		mw.onDropped(fyne.Position{}, []fyne.URI{u})
		if mw.sh.status.Text != want {
			t.Errorf("dropped %s: status %q", f, mw.sh.status.Text)
		}
		mw.sh.setStatus("")
		r, err := storage.Reader(u)
		if err != nil {
			t.Fatal(err)
		}
		mw.onFileChosen(r, nil)
		if mw.sh.status.Text != want {
			t.Errorf("opened %s: status %q", f, mw.sh.status.Text)
		}
	}
	key := storage.NewFileURI(filepath.Join("..", "convert", "keys", "testdata", "parse", "ec-p384-spki.der"))
	r, err := storage.Reader(key)
	if err != nil {
		t.Fatal(err)
	}
	convertWait(t, mw.pem, func() { mw.onFileChosen(r, nil) })
	if mw.current() != mw.pem || !strings.Contains(mw.pem.found.Text, "SPKI public key (DER (base64)), EC P-384") {
		t.Errorf("opened DER: tab %q, found %q", mw.Tabs.Selected().Text, mw.pem.found.Text)
	}
}
