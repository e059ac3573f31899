package ui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/token"
	"github.com/jwkdesk/jwkdesk/convert/token/jwe"
)

// makeWait taps the make button and waits for the fyne.Do that shows the
// made token (encrypting runs off the UI goroutine).
func makeWait(t *testing.T, jt *jwtTab) {
	t.Helper()
	done := make(chan struct{})
	jt.mk.after = func() { close(done) }
	test.Tap(jt.signBtn)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the token was not made")
	}
	jt.mk.after = nil
}

// inspectMade puts the made token in the token entry ("Inspect this
// token") and waits for its inspection.
func inspectMade(t *testing.T, jt *jwtTab) {
	t.Helper()
	made := jt.signedView.content
	if strings.Count(made, ".") != 4 {
		t.Fatalf("not a compact JWE: %q (error %q)", made, jt.signErr.Text)
	}
	inspectWait(t, jt, func() { test.Tap(jt.inspectBtn) })
	if jt.tokenEntry.Value() != made {
		t.Fatal("the made token is not the one inspected")
	}
}

// "Make a test token" encrypts to a workspace key (RFC 7516), nests a
// signed token (RFC 7519 §5.2), and encrypts to a passphrase (RFC 7518
// §4.8) or a shared secret (§4.4, §4.5); the token made opens in the
// inspector.
func TestJWTTabMakeEncryptedTokens_RFC7516(t *testing.T) {
	_, jt, _, _ := jweWindow(t)
	jt.mk.p2c = 1000
	jt.signClaims.SetText(`{"sub":"made"}`)

	t.Run("encrypt to a workspace key", func(t *testing.T) {
		jt.mk.mode.SetSelected(makeEncr)
		if jt.signBtn.Text != "Encrypt" || jt.mk.signRows.Visible() || !jt.mk.encRows.Visible() {
			t.Fatalf("button %q, sign rows %v", jt.signBtn.Text, jt.mk.signRows.Visible())
		}
		if len(jt.mk.target.Options) != 4 || !strings.Contains(jt.mk.target.Selected, "enc-2026-11") {
			t.Fatalf("targets %v (chosen %q): the enc key first, no signing key", jt.mk.target.Options, jt.mk.target.Selected)
		}
		if jt.mk.alg.Selected != "RSA-OAEP-256" || jt.mk.enc.Selected != "A256GCM" || slices0(jt.mk.alg.Options) != "RSA-OAEP-256" {
			t.Fatalf("alg %q enc %q options %v", jt.mk.alg.Selected, jt.mk.enc.Selected, jt.mk.alg.Options)
		}
		makeWait(t, jt)
		inspectMade(t, jt)
		wantBanner(t, jt, token.StateDecrypted, `Decrypted with kid "enc-2026-11" (RSA-OAEP-256, A256GCM)`)
		wantText(t, "plaintext", jt.plainView.content, `"sub": "made"`)
	})
	t.Run("sign, then encrypt", func(t *testing.T) {
		jt.mk.mode.SetSelected(makeNested)
		jt.signClaims.SetText(`{"sub":"nested","exp":` + itoa64(tabNow.Add(time.Hour).Unix()) + `}`)
		if jt.signBtn.Text != "Sign and encrypt" || !jt.mk.signRows.Visible() || jt.signKid.Text != "k2" {
			t.Fatalf("button %q kid %q", jt.signBtn.Text, jt.signKid.Text)
		}
		makeWait(t, jt)
		inspectMade(t, jt)
		wantBanner(t, jt, token.StateVerified, `Decrypted with kid "enc-2026-11" (RSA-OAEP-256, A256GCM); inner token: verified with key k2`)
		wantText(t, "claims", jt.claimsView.content, `"sub": "nested"`)
	})
	t.Run("encrypt to a passphrase", func(t *testing.T) {
		jt.mk.mode.SetSelected(makeEncr)
		jt.mk.target.SetSelected(tgtPass)
		test.Type(jt.mk.pass, "pw")
		if jt.mk.alg.Selected != "PBES2-HS256+A128KW" {
			t.Fatalf("alg %q options %v", jt.mk.alg.Selected, jt.mk.alg.Options)
		}
		makeWait(t, jt)
		inspectMade(t, jt)
		wantBanner(t, jt, token.StateNotDecrypted, "needs the passphrase")
		inspectWait(t, jt, func() { jt.jwe.pass.SetText("pw") })
		wantBanner(t, jt, token.StateDecrypted, "Decrypted with the passphrase (p2c 1,000)")
		inspectWait(t, jt, func() { jt.jwe.pass.SetText("") })
	})
	t.Run("dir with a shared secret", func(t *testing.T) {
		jt.mk.target.SetSelected(tgtSecret)
		jt.mk.secret.SetText("0123456789abcdef0123456789abcdef")
		jt.mk.alg.SetSelected("dir")
		if jt.mk.enc.Selected != "A256GCM" {
			t.Fatalf("enc %q options %v", jt.mk.enc.Selected, jt.mk.enc.Options)
		}
		makeWait(t, jt)
		inspectMade(t, jt)
		inspectWait(t, jt, func() { jt.jwe.secret.SetText("0123456789abcdef0123456789abcdef") })
		wantBanner(t, jt, token.StateDecrypted, "Decrypted with the shared secret (dir, A256GCM)")
	})
}

// A pasted signing key is never encrypted to (RFC 7517 §4.2 use); the
// token field keeps what it held.
func TestJWTTabMakeRefusesSigningKey_RFC7517(t *testing.T) {
	_, jt, k1, _ := jweWindow(t)
	before := signToken(t, k1, map[string]any{"sub": "x"}, "k1")
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(before) })
	jt.mk.mode.SetSelected(makeEncr)
	jt.mk.target.SetSelected(tgtPasted)
	pub, _ := keys.MarshalPublicJWK(k1)
	jt.mk.pasted.SetText(string(pub))
	if len(jt.mk.alg.Options) != 0 {
		t.Fatalf("algs %v for a signing key", jt.mk.alg.Options)
	}
	makeWait(t, jt) // refused at once: nothing runs
	wantText(t, "error", jt.signErr.Text, "Paste one key that can take a JWE (use enc, not sig): 1 key pasted, 0 of them can")
	if jt.tokenEntry.Value() != before {
		t.Fatal("the token field changed")
	}
	g, err := keys.Generate(keys.Spec{Kty: keys.KtyOKP, Crv: "X25519", Use: keys.UseEnc})
	if err != nil {
		t.Fatal(err)
	}
	pubEnc, _ := keys.PublicOf(g.Private)
	b, _ := keys.MarshalPublicJWK(pubEnc)
	jt.mk.pasted.SetText(string(b))
	if jt.mk.alg.Selected != jwe.Algs(jwe.OneKey("", pubEnc), false)[0] {
		t.Fatalf("alg %q", jt.mk.alg.Selected)
	}
}

func slices0(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
