package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/token"
	"github.com/jwkdesk/jwkdesk/convert/token/jwe"
)

// encKeyNoAlg is an enc key without alg (RSA-OAEP-256 and RSA1_5 both fit).
func encKeyNoAlg(t *testing.T, kty, kid string) jwk.Key {
	t.Helper()
	g, err := keys.Generate(keys.Spec{Kty: kty, Use: keys.UseEnc, KidStrategy: keys.KidCustom, CustomKid: kid})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Private.Remove(jwk.AlgorithmKey); err != nil {
		t.Fatal(err)
	}
	return g.Private
}

func encryptTo(t *testing.T, pt string, to jwe.Source, alg string, opts jwe.EncryptOptions) string {
	t.Helper()
	tok, err := jwe.Encrypt([]byte(pt), to, alg, "A256GCM", opts)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// jweWindow is jwtWindow with the RSA enc key "enc-2026-11" added to the
// workspace.
func jweWindow(t *testing.T) (*MainWindow, *jwtTab, jwk.Key, jwk.Key) {
	t.Helper()
	_, mw, jt, k1 := jwtWindow(t)
	enc := encKeyNoAlg(t, keys.KtyRSA, "enc-2026-11")
	if _, err := mw.sh.ws.Add("test", enc); err != nil {
		t.Fatal(err)
	}
	mw.sh.workspaceChanged()
	jt.deb.inflight.Wait()
	return mw, jt, k1, enc
}

// pasteToken pastes tok and checks, once it is inspected, that the entry
// still holds it exactly (a token is never altered, whatever the verdict).
func pasteToken(t *testing.T, jt *jwtTab, tok string) {
	t.Helper()
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(tok) })
	if jt.tokenEntry.Value() != tok {
		t.Fatalf("the pasted token changed")
	}
}

func wantText(t *testing.T, what, got string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(got, s) {
			t.Errorf("%s %q: want it to contain %q", what, got, s)
		}
	}
}

// A JWE in the JWT tab: decrypted with the workspace's private key (RFC
// 7516 §5.2), or why not (wrong kid, the public half only), with the
// pasted token left as it is after every outcome.
func TestJWTTabJWEWorkspaceKey_RFC7516(t *testing.T) {
	_, jt, _, enc := jweWindow(t)
	pubEnc, err := keys.PublicOf(enc)
	if err != nil {
		t.Fatal(err)
	}
	tok := encryptTo(t, `{"sub":"alice"}`, jwe.OneKey("k", pubEnc), "RSA-OAEP-256", jwe.EncryptOptions{})

	t.Run("decrypted with a workspace key", func(t *testing.T) {
		pasteToken(t, jt, tok)
		wantBanner(t, jt, token.StateDecrypted, `Decrypted with kid "enc-2026-11" (RSA-OAEP-256, A256GCM)`)
		wantText(t, "kid line", jt.kidLabel.Text, "Encrypted (JWE): alg RSA-OAEP-256 · enc A256GCM", `needs the private key with kid "enc-2026-11"`, "Kids in the JWKS workspace: k1, k2, enc-2026-11")
		wantText(t, "candidates", jt.candidates.Text, "✓ enc-2026-11 [RSA]", "the key opened the token")
		wantText(t, "plaintext", jt.plainView.content, `"sub": "alice"`)
		if jt.jwe.box.Visible() {
			t.Error("secret/passphrase fields shown for RSA-OAEP-256")
		}
	})
	t.Run("wrong kid", func(t *testing.T) {
		other := encryptTo(t, "x", jwe.OneKey("k", pubEnc), "RSA-OAEP-256", jwe.EncryptOptions{})
		h := `{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"enc-2027-01"}`
		parts := strings.Split(other, ".")
		parts[0] = b64u(h) // the tag no longer authenticates; the kid is what is looked up first
		pasteToken(t, jt, strings.Join(parts, "."))
		wantBanner(t, jt, token.StateNotDecrypted, `kid "enc-2027-01" is not in the JWKS workspace`)
		wantText(t, "candidates", jt.candidates.Text, `✗ enc-2026-11 [RSA]`, `wrong kid: the key's kid is "enc-2026-11", the token names "enc-2027-01"`)
	})
	t.Run("public half only", func(t *testing.T) {
		pubJWK, _ := keys.MarshalPublicJWK(enc)
		inspectWait(t, jt, func() { jt.sourceRadio.SetSelected(srcPasted) })
		inspectWait(t, jt, func() { jt.keysEntry.SetText(string(pubJWK)) })
		pasteToken(t, jt, tok)
		wantBanner(t, jt, token.StateNotDecrypted, "this is the public half: decrypting needs the private key")
		if jt.plainView.content != "" || jt.tokenEntry.Value() != tok {
			t.Errorf("plaintext %q", jt.plainView.content)
		}
		inspectWait(t, jt, func() { jt.sourceRadio.SetSelected(srcWorkspace) })
	})
}

// The shared secret (dir, RFC 7518 §4.5) and the passphrase (PBES2, RFC
// 7518 §4.8) fields appear when the token's alg needs them; typing in
// them decrypts it.
func TestJWTTabJWESecretAndPassphrase_RFC7518(t *testing.T) {
	_, jt, _, _ := jweWindow(t)
	secret := "0123456789abcdef0123456789abcdef"
	dir := encryptTo(t, "for dir", jwe.SharedSecret([]byte(secret)), "dir", jwe.EncryptOptions{})
	pbes := encryptTo(t, "for pbes2", jwe.Passphrase([]byte("pw")), "PBES2-HS256+A128KW", jwe.EncryptOptions{P2C: 1000})

	pasteToken(t, jt, dir)
	wantBanner(t, jt, token.StateNotDecrypted, "dir with A256GCM needs the 32-byte shared content key")
	if !jt.jwe.secretRow.Visible() || jt.jwe.passRow.Visible() || jt.jwe.rsa15.Visible() {
		t.Fatal("dir: the shared secret field alone should show")
	}
	inspectWait(t, jt, func() { jt.jwe.secret.SetText(secret) })
	wantBanner(t, jt, token.StateDecrypted, "Decrypted with the shared secret (dir, A256GCM)")
	wantText(t, "plaintext", jt.plainView.content, "for dir")
	inspectWait(t, jt, func() { jt.jwe.secret.SetText("") })

	pasteToken(t, jt, pbes)
	wantBanner(t, jt, token.StateNotDecrypted, "PBES2-HS256+A128KW needs the passphrase")
	if !jt.jwe.passRow.Visible() || jt.jwe.secretRow.Visible() {
		t.Fatal("PBES2: the passphrase field alone should show")
	}
	wantText(t, "kid line", jt.kidLabel.Text, "p2c 1,000", "opened with a passphrase")
	inspectWait(t, jt, func() { test.Type(jt.jwe.pass, "pw") })
	wantBanner(t, jt, token.StateDecrypted, "Decrypted with the passphrase (p2c 1,000)")
	wantText(t, "plaintext", jt.plainView.content, "for pbes2")
	inspectWait(t, jt, func() { jt.jwe.pass.SetText("wrong") })
	wantBanner(t, jt, token.StateNotDecrypted, "wrong passphrase")
	if jt.tokenEntry.Value() != pbes || jt.jwe.busy.Visible() {
		t.Error("the token changed, or the busy indicator stayed")
	}
}

// RSA1_5 is refused with its reason and the opt-in shown; ticking it
// decrypts (RFC 8725 §3.2).
func TestJWTTabJWERSA1_5OptIn_RFC8725(t *testing.T) {
	_, jt, _, enc := jweWindow(t)
	pubEnc, _ := keys.PublicOf(enc)
	tok := encryptTo(t, "legacy", jwe.OneKey("k", pubEnc), "RSA1_5", jwe.EncryptOptions{AllowRSA1_5: true})
	pasteToken(t, jt, tok)
	wantBanner(t, jt, token.StateNotDecrypted, "RSA1_5")
	if !jt.jwe.rsa15.Visible() || jt.jwe.rsa15.Checked {
		t.Fatal("the RSA1_5 opt-in is not offered")
	}
	inspectWait(t, jt, func() { test.Tap(jt.jwe.rsa15) })
	wantBanner(t, jt, token.StateDecrypted, `Decrypted with kid "enc-2026-11" (RSA1_5, A256GCM)`)
	if jt.tokenEntry.Value() != tok {
		t.Error("the token changed")
	}
}

// A nested JWT (RFC 7519 §5.2): both layers with their own verdicts, the
// banner the combined one, the claims the inner token's.
func TestJWTTabJWENested_RFC7519(t *testing.T) {
	_, jt, k1, enc := jweWindow(t)
	pubEnc, _ := keys.PublicOf(enc)
	inner := signToken(t, k1, map[string]any{"sub": "bob", "exp": tabNow.Add(time.Hour).Unix()}, "k1")
	tok := encryptTo(t, inner, jwe.OneKey("k", pubEnc), "RSA-OAEP-256", jwe.EncryptOptions{Cty: "JWT"})
	pasteToken(t, jt, tok)
	wantBanner(t, jt, token.StateVerified, `Decrypted with kid "enc-2026-11" (RSA-OAEP-256, A256GCM); inner token: verified with key k1`)
	wantText(t, "candidates", jt.candidates.Text, "✓ enc-2026-11 [RSA]", `Inner token (JWS, alg ES256, kid "k1"): Verified with key k1`, "✓ k1 [EC ES256]")
	wantText(t, "claims", jt.claimsView.content, `"sub": "bob"`)
	wantText(t, "plaintext", jt.plainView.content, inner)
	wantText(t, "times", jt.timesLabel.Text, "exp ")

	stranger := signToken(t, ecKey(t, "k1"), map[string]any{"sub": "eve"}, "k1")
	bad := encryptTo(t, stranger, jwe.OneKey("k", pubEnc), "RSA-OAEP-256", jwe.EncryptOptions{Cty: "JWT"})
	pasteToken(t, jt, bad)
	wantBanner(t, jt, token.StateNotVerified, "inner token: not verified: signature does not match")
}
