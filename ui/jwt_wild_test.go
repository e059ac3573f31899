package ui

import (
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/token"
)

// The JWT tab agrees with the engine and the CLI on the inputs of issues 16
// and 22 (convert/inspect_wild_test.go holds the engine's tables).

var rawB64 = base64.RawURLEncoding.EncodeToString

func craftHS256(header, payload string, secret []byte) string {
	input := rawB64([]byte(header)) + "." + rawB64([]byte(payload))
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(input))
	return input + "." + rawB64(m.Sum(nil))
}

func craftES256(t *testing.T, header, payload string, key jwk.Key) string {
	t.Helper()
	var priv ecdsa.PrivateKey
	if err := jwk.Export(key, &priv); err != nil {
		t.Fatal(err)
	}
	input := rawB64([]byte(header)) + "." + rawB64([]byte(payload))
	sum := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, &priv, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return input + "." + rawB64(sig)
}

func pasteKeys(t *testing.T, jt *jwtTab, text string) {
	t.Helper()
	if jt.sourceRadio.Selected != srcPasted {
		inspectWait(t, jt, func() { jt.sourceRadio.SetSelected(srcPasted) })
	}
	inspectWait(t, jt, func() { jt.keysEntry.SetText(text) })
	if jt.keysErr.Visible() {
		t.Fatalf("keys error %q", jt.keysErr.Text)
	}
}

func TestJWTTabDirectKey_RFC7515_4_1_4(t *testing.T) {
	_, _, jt, k1 := jwtWindow(t)
	tok := signToken(t, k1, map[string]any{"exp": tabNow.Add(time.Hour).Unix()}, "other-kid")
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(tok) })
	wantBanner(t, jt, token.StateNotVerified, "kid other-kid not in the set (the set has: k1, k2)")

	spki, err := keys.ExportPEM(k1, keys.PEMSPKI, true)
	if err != nil {
		t.Fatal(err)
	}
	pasteKeys(t, jt, string(spki.PEM))
	wantBanner(t, jt, token.StateVerified, "Verified with the key with thumbprint ")
	if !strings.Contains(jt.kidLabel.Text, "The pasted key is the one key you chose: it is tried whatever kid the token names.") ||
		!strings.Contains(jt.warnings.Text, `the token names kid "other-kid" and the key you gave has no kid`) {
		t.Errorf("kid line %q warnings %q", jt.kidLabel.Text, jt.warnings.Text)
	}
	// A JWKS of that one key is a set: the kid rules hold.
	jwks, _ := keys.MarshalPublicJWKS(k1)
	pasteKeys(t, jt, string(jwks))
	wantBanner(t, jt, token.StateNotVerified, "kid other-kid not in the set (the set has: k1)")
}

func TestJWTTabSigningInputAndWhitespace_RFC7515_5_2(t *testing.T) {
	_, _, jt, k1 := jwtWindow(t)
	inspectWait(t, jt, func() {
		jt.tokenEntry.SetText(craftES256(t, "{\"alg\":\"ES256\",\"kid\":\"k1\"}\n", `{"sub":"a"}`, k1))
	})
	wantBanner(t, jt, token.StateVerified, "Verified with key k1")

	tok := signToken(t, k1, map[string]any{"sub": "a"}, "k1")
	spaced := tok[:len(tok)-20] + "  " + tok[len(tok)-20:]
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(spaced) })
	wantBanner(t, jt, token.StateNotVerified, "the signature (third part) holds 2 spaces: whitespace inside a segment is not part of a token")
	if jt.tokenEntry.Value() != spaced || !strings.Contains(jt.claimsView.content, `"sub": "a"`) {
		t.Errorf("entry %q claims %q", jt.tokenEntry.Value(), jt.claimsView.content)
	}
	wrapped := "Bearer " + tok[:40] + "\n    " + tok[40:]
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(wrapped) })
	wantBanner(t, jt, token.StateVerified, "Verified with key k1")
	if !jt.cleaned.Visible() || !strings.Contains(jt.cleaned.Text, "removed 5 spaces or line breaks") {
		t.Errorf("cleaned %q", jt.cleaned.Text)
	}
}

func TestJWTTabNumericDate_RFC7519_2(t *testing.T) {
	_, _, jt, k1 := jwtWindow(t)
	inspectWait(t, jt, func() { jt.skewEntry.SetText("0") })
	now := tabNow.Unix()
	cases := []struct {
		claims, state, banner, times string
		drawn                        bool // the claim is on the lifetime bar
	}{
		{`{"exp":` + itoa(now) + `.5}`, token.StateVerified, "Verified with key k1", ".5 UTC · valid for another 0 s", true},
		{`{"nbf":` + itoa(now) + `.25}`, token.StateNotYetValid, "Signature valid but not valid for another 0 s", ".25 UTC · not valid for another 0 s", true},
		{`{"nbf":1e16}`, token.StateNotYetValid, "Signature valid but not valid until after year 9999", "nbf 1e16 = after year 9999 · not valid until after year 9999", false},
		{`{"exp":-1e300}`, token.StateExpired, "Signature valid but expired before year 1", "exp -1e300 = before year 1 · expired before year 1", false},
		{`{"exp":null}`, token.StateNotVerified, `claim "exp" is null, not a NumericDate (RFC 7519 §4.1.4`, "exp null\n    warning: null, not a number", false},
	}
	for _, c := range cases {
		t.Run(c.claims, func(t *testing.T) {
			inspectWait(t, jt, func() { jt.tokenEntry.SetText(craftES256(t, `{"alg":"ES256","kid":"k1"}`, c.claims, k1)) })
			if jt.state != c.state || !strings.Contains(jt.bannerText.Text, c.banner) {
				t.Errorf("banner %s %q, want %s %q", jt.state, jt.bannerText.Text, c.state, c.banner)
			}
			if !strings.Contains(jt.timesLabel.Text, c.times) {
				t.Errorf("times %q, want %q", jt.timesLabel.Text, c.times)
			}
			if drawn := jt.lifetime.lt != nil; drawn != c.drawn {
				t.Errorf("lifetime bar drawn %v", drawn)
			}
		})
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestJWTTabBoundsAndKeyConfusion_RFC7518_3_3(t *testing.T) {
	_, _, jt, _ := jwtWindow(t)
	// An RSA key of 20,000 bits, pasted: refused before any check.
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 20000))
	n.SetBit(n, 19999, 1).SetBit(n, 0, 1)
	huge, err := jwk.Import(&rsa.PublicKey{N: n, E: 65537})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(huge)
	inspectWait(t, jt, func() {
		jt.tokenEntry.SetText(rawB64([]byte(`{"alg":"RS256"}`)) + "." + rawB64([]byte(`{}`)) + "." + rawB64(make([]byte, 2500)))
	})
	pasteKeys(t, jt, string(j))
	wantBanner(t, jt, token.StateNotVerified, "RSA key is 20000 bits: over 16384 never verifies here")

	// Claims nested 9,800 deep: the view is cut and says so.
	secret := []byte("0123456789abcdef0123456789abcdef")
	inspectWait(t, jt, func() { jt.sourceRadio.SetSelected(srcSecret) })
	inspectWait(t, jt, func() { jt.secretEnc.SetSelected(token.SecretText) })
	inspectWait(t, jt, func() { jt.secretEntry.SetText(string(secret)) })
	inspectWait(t, jt, func() {
		jt.tokenEntry.SetText(craftHS256(`{"alg":"HS256"}`, `{"a":`+strings.Repeat("[", 9800)+strings.Repeat("]", 9800)+`}`, secret))
	})
	wantBanner(t, jt, token.StateVerified, "Verified with the HMAC secret (text)")
	if len(jt.claimsView.content) > 64<<10 || !strings.Contains(jt.claimsView.caption.Text, "Cut: the claims nest 9801 levels deep") {
		t.Errorf("claims view %d bytes, note %q", len(jt.claimsView.content), jt.claimsView.caption.Text)
	}

	// A public key's PEM body, without its armour, as the HMAC secret.
	ec := ecKey(t, "e")
	spki, _ := keys.ExportPEM(ec, keys.PEMSPKI, true)
	block, _ := pem.Decode(spki.PEM)
	body := base64.StdEncoding.EncodeToString(block.Bytes)
	inspectWait(t, jt, func() { jt.secretEntry.SetText(body) })
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(craftHS256(`{"alg":"HS256"}`, `{"sub":"admin"}`, []byte(body))) })
	wantBanner(t, jt, token.StateNotVerified, "the HMAC secret is a key, not a secret (SPKI public key")
}

func TestJWTTabInconsistentKeysAndClaims_RFC7517_4_7(t *testing.T) {
	_, _, jt, _ := jwtWindow(t)
	a, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "a", Cert: &keys.CertSpec{CommonName: "a", Days: 30}})
	b, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, Cert: &keys.CertSpec{CommonName: "b", Days: 30}})
	mixed, _ := a.Public.Clone()
	chain, _ := b.Public.X509CertChain()
	_ = mixed.Set(jwk.X509CertChainKey, chain)
	j, _ := json.Marshal(mixed)
	inspectWait(t, jt, func() {
		jt.tokenEntry.SetText(craftES256(t, `{"alg":"ES256","kid":"a","Kid":"b"}`, `{"sub":"a"}`, a.Private))
	})
	pasteKeys(t, jt, string(j))
	wantBanner(t, jt, token.StateNotVerified, "the key's x5c certificate holds another public key (RFC 7517 §4.7")
	if !strings.Contains(jt.warnings.Text, `the header member "Kid" differs from the registered "kid" only in case`) {
		t.Errorf("warnings %q", jt.warnings.Text)
	}
	j, _ = json.Marshal(a.Public)
	pasteKeys(t, jt, string(j))
	inspectWait(t, jt, func() {
		jt.tokenEntry.SetText(craftES256(t, `{"alg":"ES256","kid":"a"}`, `{"exp":1,"exp":9999999999}`, a.Private))
	})
	wantBanner(t, jt, token.StateNotVerified, `the claims have the member "exp" twice (verifiers disagree on which one wins): refused`)
}
