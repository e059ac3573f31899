package token

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

var b64 = base64.RawURLEncoding.EncodeToString

// inspectNow is the clock of the crafted tokens below.
var inspectNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func at(d time.Duration) int64 { return inspectNow.Add(d).Unix() }

var (
	rsaOnce sync.Once
	rsaKey  jwk.Key
)

// testRSA is one RSA 2048 private key with kid "rsa-1" and alg RS256,
// generated once for the whole package.
func testRSA(t testing.TB) jwk.Key {
	t.Helper()
	rsaOnce.Do(func() {
		g, err := keys.Generate(keys.Spec{Kty: keys.KtyRSA, KidStrategy: keys.KidCustom, CustomKid: "rsa-1"})
		if err != nil {
			panic(err)
		}
		rsaKey = g.Private
	})
	return rsaKey
}

func testEC(t testing.TB, kid string) jwk.Key {
	t.Helper()
	g, err := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: kid})
	if err != nil {
		t.Fatal(err)
	}
	return g.Private
}

func pub(t testing.TB, k jwk.Key) jwk.Key {
	t.Helper()
	p, err := keys.PublicOf(k)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func claimsJSON(m map[string]any) string {
	b, _ := json.Marshal(m)
	return string(b)
}

// craftHS builds a token from any header text with HMAC-SHA256, so headers
// jws.Sign would refuse to write (crit, b64, duplicates) can be tested.
func craftHS(header, payload string, secret []byte) string {
	input := b64([]byte(header)) + "." + b64([]byte(payload))
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(input))
	return input + "." + b64(m.Sum(nil))
}

// craftRS builds an RS256 token from any header text.
func craftRS(t testing.TB, header, payload string, key jwk.Key) string {
	t.Helper()
	var priv rsa.PrivateKey
	if err := jwk.Export(key, &priv); err != nil {
		t.Fatal(err)
	}
	input := b64([]byte(header)) + "." + b64([]byte(payload))
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, &priv, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + b64(sig)
}

func sign(t testing.TB, key jwk.Key, claims string, kid string) string {
	t.Helper()
	tok, err := Sign(key, []byte(claims), kid)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func inspect(t testing.TB, tok string, src KeySource) *Report {
	t.Helper()
	r, err := Inspect(tok, src, InspectOptions{Now: inspectNow, Skew: DefaultSkew})
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	return r
}

func set(t testing.TB, keys ...jwk.Key) KeySource {
	t.Helper()
	return NewKeySource("test set", keys)
}

func wantNotVerified(t *testing.T, r *Report, reason string) {
	t.Helper()
	if r.Verified || r.State != StateNotVerified {
		t.Fatalf("verified=%v state=%s, want not verified (%s)", r.Verified, r.State, r.Reason)
	}
	if !strings.Contains(r.Reason, reason) {
		t.Fatalf("reason %q\nwant it to contain %q", r.Reason, reason)
	}
	if !strings.HasPrefix(r.Verdict, "Not verified: ") {
		t.Errorf("verdict %q", r.Verdict)
	}
}

func outcome(t *testing.T, r *Report, kid string) Candidate {
	t.Helper()
	for _, c := range r.Candidates {
		if c.Kid == kid {
			return c
		}
	}
	t.Fatalf("no candidate %q in %+v", kid, r.Candidates)
	return Candidate{}
}

func TestInspectRFCVectors(t *testing.T) {
	raw, err := os.ReadFile("../keys/testdata/rfc.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		JWS []struct {
			Name    string          `json:"name"`
			Alg     string          `json:"alg"`
			Key     json.RawMessage `json:"key"`
			Compact string          `json:"compact"`
			Expect  bool            `json:"expect"`
		} `json:"jws"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.JWS) != 10 {
		t.Fatalf("%d vectors, want 10", len(file.JWS))
	}
	before := time.Date(2011, 3, 22, 0, 0, 0, 0, time.UTC) // exp 1300819380 = 2011-03-22 18:43:00 UTC
	for _, v := range file.JWS {
		t.Run(v.Name, func(t *testing.T) {
			key, err := jwk.ParseKey(v.Key)
			if err != nil {
				t.Fatal(err)
			}
			src := NewKeySource("vector key", []jwk.Key{key})
			r, err := Inspect(v.Compact, src, InspectOptions{Now: before, Skew: DefaultSkew})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verified != v.Expect {
				t.Fatalf("verified=%v want %v: %s", r.Verified, v.Expect, r.Reason)
			}
			hasExp := strings.Contains(r.ClaimsJSON(), `"exp"`)
			if !v.Expect {
				if r.Alg != "none" || !strings.Contains(r.Reason, `alg "none"`) {
					t.Errorf("alg %s reason %q", r.Alg, r.Reason)
				}
				return
			}
			if r.State != StateVerified || r.Expired || r.Alg != v.Alg {
				t.Errorf("state %s expired %v alg %s", r.State, r.Expired, r.Alg)
			}
			// The same token a day after exp: signature still valid, expired.
			r, _ = Inspect(v.Compact, src, InspectOptions{Now: before.Add(48 * time.Hour), Skew: DefaultSkew})
			if hasExp {
				if r.State != StateExpired || !r.Verified || !r.Expired || r.Reason != "signature valid but expired 1 d 5 h ago" {
					t.Errorf("after exp: state %s verified %v reason %q", r.State, r.Verified, r.Reason)
				}
				if r.Times[0].Name != "exp" || r.Times[0].UTC != "2011-03-22 18:43:00 UTC" || r.Times[0].Relative != "expired 1 d 5 h ago" {
					t.Errorf("exp claim %+v", r.Times[0])
				}
			} else if r.State != StateVerified || r.PayloadText == "" {
				t.Errorf("no exp: state %s payload text %q", r.State, r.PayloadText)
			}
		})
	}
}

func TestInspectVerdicts(t *testing.T) {
	rsa := testRSA(t)
	good := sign(t, rsa, claimsJSON(map[string]any{"sub": "alice", "iat": at(-time.Hour), "exp": at(time.Hour)}), "rsa-1")

	t.Run("verified", func(t *testing.T) {
		r := inspect(t, good, set(t, pub(t, rsa)))
		if !r.Verified || r.State != StateVerified || r.Key != "rsa-1" || r.Reason != "" || r.Verdict != "Verified with key rsa-1" {
			t.Fatalf("%+v", r)
		}
		if c := outcome(t, r, "rsa-1"); c.Outcome != "verified" || !c.Verified || c.Thumbprint == "" || c.Kty != "RSA" || c.Alg != "RS256" {
			t.Errorf("candidate %+v", c)
		}
		if r.Sub != "alice" || r.Kid != "rsa-1" || !r.HasKid || r.Typ != "JWT" {
			t.Errorf("sub %q kid %q typ %q", r.Sub, r.Kid, r.Typ)
		}
	})
	t.Run("tampered", func(t *testing.T) {
		parts := strings.Split(good, ".")
		parts[1] = b64([]byte(`{"sub":"admin"}`))
		r := inspect(t, strings.Join(parts, "."), set(t, pub(t, rsa)))
		wantNotVerified(t, r, "signature does not match")
		if r.Reason != "signature does not match" || string(r.Claims) != `{"sub":"admin"}` {
			t.Errorf("reason %q claims %s", r.Reason, r.Claims)
		}
	})
	t.Run("private key in the set verifies with its public half", func(t *testing.T) {
		if r := inspect(t, good, set(t, rsa)); !r.Verified {
			t.Fatal(r.Reason)
		}
	})
	t.Run("expired", func(t *testing.T) {
		tok := sign(t, rsa, claimsJSON(map[string]any{"exp": at(-(3*time.Hour + 12*time.Minute))}), "rsa-1")
		r := inspect(t, tok, set(t, pub(t, rsa)))
		if !r.Verified || !r.Expired || r.State != StateExpired || r.Reason != "signature valid but expired 3 h 12 min ago" ||
			r.Verdict != "Signature valid but expired 3 h 12 min ago (verified with key rsa-1)" || r.Valid() {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("not yet valid", func(t *testing.T) {
		tok := sign(t, rsa, claimsJSON(map[string]any{"nbf": at(9*time.Minute + 30*time.Second), "exp": at(time.Hour)}), "rsa-1")
		r := inspect(t, tok, set(t, pub(t, rsa)))
		if !r.Verified || !r.NotYetValid || r.State != StateNotYetValid || r.Reason != "signature valid but not valid for another 9 min" {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("expired and bad signature is a bad signature", func(t *testing.T) {
		other := testEC(t, "rsa-1")
		tok := sign(t, other, claimsJSON(map[string]any{"exp": at(-time.Hour)}), "ec-x")
		parts := strings.Split(tok, ".")
		tok = parts[0] + "." + parts[1] + "." + b64([]byte(strings.Repeat("not a signature ", 4))) // 64 bytes: the size of an ES256 signature
		r := inspect(t, tok, set(t, pub(t, other)))
		wantNotVerified(t, r, "kid ec-x not in the set (the set has: rsa-1)")
		if !r.Expired || !strings.HasSuffix(r.Verdict, "(and expired)") {
			t.Errorf("verdict %q", r.Verdict)
		}
	})
}

func TestInspectSkew(t *testing.T) {
	rsa := testRSA(t)
	tok := sign(t, rsa, claimsJSON(map[string]any{"exp": at(-30 * time.Second), "nbf": at(40 * time.Second)}), "rsa-1")
	src := set(t, pub(t, rsa))
	r, _ := Inspect(tok, src, InspectOptions{Now: inspectNow, Skew: DefaultSkew})
	if r.State != StateVerified || r.Expired || r.NotYetValid {
		t.Errorf("60 s skew: state %s", r.State)
	}
	r, _ = Inspect(tok, src, InspectOptions{Now: inspectNow, Skew: 0})
	if r.State != StateExpired || !r.Expired || !r.NotYetValid || r.Reason != "signature valid but expired 30 s ago" {
		t.Errorf("no skew: state %s reason %q", r.State, r.Reason)
	}
	if r.Skew != "0s" {
		t.Errorf("skew %q", r.Skew)
	}
}

func TestInspectTimeClaims(t *testing.T) {
	rsa := testRSA(t)
	tok := sign(t, rsa, `{"iat":"`+itoa(at(-2*time.Hour))+`","exp":`+itoa(at(time.Hour)*1000)+`,"auth_time":`+itoa(at(-26*time.Hour))+`,"nbf":1.5e9}`, "rsa-1")
	r := inspect(t, tok, set(t, pub(t, rsa)))
	byName := map[string]TimeClaim{}
	for _, tc := range r.Times {
		byName[tc.Name] = tc
	}
	if tc := byName["iat"]; tc.Relative != "issued 2 h ago" || !strings.Contains(tc.Warning, "written as a string") {
		t.Errorf("iat %+v", tc)
	}
	if tc := byName["exp"]; !strings.HasPrefix(tc.Warning, "looks like milliseconds") || !strings.Contains(tc.Warning, "2026-11-22 11:00:00 UTC") {
		t.Errorf("exp %+v", tc)
	}
	if tc := byName["auth_time"]; tc.Relative != "authenticated 1 d 2 h ago" {
		t.Errorf("auth_time %+v", tc)
	}
	if tc := byName["nbf"]; tc.UTC != "2017-07-14 02:40:00 UTC" || tc.Relative != "valid since 9 y 133 d ago" {
		t.Errorf("nbf %+v", tc)
	}
	if !containsAny(r.Warnings, "exp: looks like milliseconds") {
		t.Errorf("warnings %v", r.Warnings)
	}
	// Read as seconds, the millisecond exp is far in the future: not expired.
	// The iat written as a string refuses the token (RFC 7519 §4.1.6).
	if r.Expired || r.State != StateNotVerified || !strings.HasPrefix(r.Reason, `claim "iat" is a string`) {
		t.Errorf("state %s: %s", r.State, r.Reason)
	}
	for d, want := range map[time.Duration]string{
		45 * time.Second: "45 s", 9 * time.Minute: "9 min", 3 * time.Hour: "3 h",
		3*time.Hour + 12*time.Minute: "3 h 12 min", 50 * time.Hour: "2 d 2 h", 400 * 24 * time.Hour: "1 y 35 d",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("humanDuration(%s) = %q, want %q", d, got, want)
		}
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func containsAny(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestInspectCandidateReasons(t *testing.T) {
	rsa := testRSA(t)
	claims := claimsJSON(map[string]any{"exp": at(time.Hour)})

	t.Run("kid not in the set", func(t *testing.T) {
		tok := sign(t, rsa, claims, "unknown")
		r := inspect(t, tok, set(t, testEC(t, "a"), testEC(t, "b"), testEC(t, "c")))
		wantNotVerified(t, r, "kid unknown not in the set (the set has: a, b, c)")
		if strings.Join(r.SetKids, ",") != "a,b,c" {
			t.Errorf("set kids %v", r.SetKids)
		}
	})
	t.Run("kid not in a large set", func(t *testing.T) {
		var keys []jwk.Key
		for i := range 12 {
			keys = append(keys, pub(t, testEC(t, string(rune('a'+i)))))
		}
		r := inspect(t, sign(t, rsa, claims, "zz"), set(t, keys...))
		wantNotVerified(t, r, "kid zz not in the set (the set has: a, b, c, d, e, f, g, h, i, j and 2 more)")
		if len(r.SetKids) != 12 {
			t.Errorf("set kids %v", r.SetKids)
		}
	})
	t.Run("kid matches but wrong key type", func(t *testing.T) {
		tok := sign(t, rsa, claims, "k")
		r := inspect(t, tok, set(t, testEC(t, "k")))
		wantNotVerified(t, r, "kid matches but the key is EC and the token says RS256")
	})
	t.Run("kid matches but wrong curve", func(t *testing.T) {
		ec := testEC(t, "k")
		tok := sign(t, ec, claims, "k")
		g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP384, KidStrategy: keys.KidCustom, CustomKid: "k"})
		r := inspect(t, tok, set(t, g.Public))
		wantNotVerified(t, r, "kid matches but the key is EC P-384 and the token says ES256")
	})
	t.Run("key's own alg", func(t *testing.T) {
		k, _ := rsa.Clone()
		_ = k.Set(jwk.AlgorithmKey, "PS256")
		tok := sign(t, k, claims, "rsa-1")
		r := inspect(t, tok, set(t, pub(t, rsa)))
		wantNotVerified(t, r, "key's own alg is RS256, token says PS256")
	})
	t.Run("use=enc", func(t *testing.T) {
		k := pub(t, rsa)
		k, _ = k.Clone()
		_ = k.Set(jwk.KeyUsageKey, "enc")
		tok := sign(t, rsa, claims, "rsa-1")
		r := inspect(t, tok, set(t, k))
		wantNotVerified(t, r, "key has use=enc")
		if c := r.Candidates[0]; c.Checked || c.Matches {
			t.Errorf("an enc key was tried: %+v", c)
		}
	})
	t.Run("key_ops without verify", func(t *testing.T) {
		k, _ := pub(t, rsa).Clone()
		_ = k.Set(jwk.KeyOpsKey, []string{"encrypt", "wrapKey"})
		r := inspect(t, sign(t, rsa, claims, "rsa-1"), set(t, k))
		wantNotVerified(t, r, "key's key_ops (encrypt, wrapKey) do not include verify")
	})
	t.Run("two keys share this kid", func(t *testing.T) {
		a, b := testEC(t, "dup"), testEC(t, "dup")
		tok := sign(t, b, claims, "dup")
		r := inspect(t, tok, set(t, pub(t, a), pub(t, b)))
		tpB, _ := keys.ComputeThumbprint(b)
		wantNotVerified(t, r, "kid dup is ambiguous: 2 different keys in the test set share it; the signature matches candidate 2 (thumbprint "+tpB.Value+")")
		if r.Candidates[0].Outcome != "two keys share this kid: the signature does not match this one" ||
			!strings.HasPrefix(r.Candidates[1].Outcome, "two keys share this kid: the signature matches this one") || r.Candidates[1].Verified {
			t.Errorf("candidates %+v", r.Candidates)
		}
	})
	t.Run("the same key twice with different alg is not ambiguous", func(t *testing.T) {
		a := pub(t, rsa)
		b, _ := a.Clone()
		_ = b.Set(jwk.AlgorithmKey, "PS256")
		r := inspect(t, sign(t, rsa, claims, "rsa-1"), set(t, b, a))
		if !r.Verified || r.Candidates[0].Outcome != "key's own alg is PS256, token says RS256" || r.Candidates[1].Outcome != "verified" {
			t.Fatalf("%s %+v", r.Reason, r.Candidates)
		}
	})
	t.Run("no kid: every key tried", func(t *testing.T) {
		a, b := testEC(t, "a"), testEC(t, "b")
		tok := sign(t, b, claims, "")
		r := inspect(t, tok, set(t, pub(t, rsa), pub(t, a), pub(t, b)))
		if !r.Verified || r.Key != "b" || r.HasKid {
			t.Fatalf("%s", r.Reason)
		}
		if outcome(t, r, "rsa-1").Outcome != "the key is RSA and the token says ES256" || outcome(t, r, "a").Outcome != "signature does not match" {
			t.Errorf("%+v", r.Candidates)
		}
	})
	t.Run("no kid: none verifies", func(t *testing.T) {
		a, b := testEC(t, "a"), testEC(t, "b")
		tok := sign(t, testEC(t, "c"), claims, "")
		r := inspect(t, tok, set(t, pub(t, a), pub(t, b)))
		wantNotVerified(t, r, "none of the 2 candidate keys verifies (key a: signature does not match; key b: signature does not match)")
	})
	t.Run("kid absent, the only key has no kid", func(t *testing.T) {
		k, _ := pub(t, rsa).Clone()
		_ = k.Remove(jwk.KeyIDKey)
		r := inspect(t, sign(t, rsa, claims, "wanted"), set(t, k))
		wantNotVerified(t, r, "kid wanted not in the set (the set has: 1 key without kid); a key without kid would verify the signature: give it the kid wanted")
		if c := r.Candidates[0]; !c.Matches || c.Verified || !strings.HasPrefix(c.Outcome, "key has no kid: the signature matches it") {
			t.Errorf("%+v", c)
		}
	})
	t.Run("empty set", func(t *testing.T) {
		r := inspect(t, sign(t, rsa, claims, "rsa-1"), NewKeySource("JWKS workspace", nil))
		wantNotVerified(t, r, "no keys to verify with: add keys to the JWKS workspace")
		if r.ClaimsJSON() == "" || r.Kid != "rsa-1" {
			t.Error("claims or kid not decoded without keys")
		}
	})
	t.Run("unindexed key source literal", func(t *testing.T) {
		r := inspect(t, sign(t, rsa, claims, "rsa-1"), KeySource{Name: "literal", Keys: []jwk.Key{pub(t, rsa)}})
		if !r.Verified {
			t.Fatal(r.Reason)
		}
	})
}

func TestInspectSecurityRules(t *testing.T) {
	rsa := testRSA(t)
	rsaPub := pub(t, rsa)
	secret := []byte("0123456789abcdef0123456789abcdef")
	claims := claimsJSON(map[string]any{"exp": at(time.Hour)})

	t.Run("alg none", func(t *testing.T) {
		tok := b64([]byte(`{"alg":"none"}`)) + "." + b64([]byte(claims)) + "."
		wantNotVerified(t, inspect(t, tok, set(t, rsaPub)), `alg "none" (an unsecured token): refused`)
		tok = b64([]byte(`{"alg":"NONE","kid":"rsa-1"}`)) + "." + b64([]byte(claims)) + "."
		wantNotVerified(t, inspect(t, tok, set(t, rsaPub)), `alg "none"`)
	})
	t.Run("HS256 with an RSA key", func(t *testing.T) {
		pemText, _ := keys.ExportPEM(rsa, keys.PEMSPKI, true)
		tok := craftHS(`{"alg":"HS256","kid":"rsa-1"}`, claims, pemText.PEM)
		r := inspect(t, tok, set(t, rsaPub))
		wantNotVerified(t, r, "kid matches but the key is RSA and the token says HS256: an HMAC token is never checked with a public key")
		// The public key's PEM text as the "secret": refused too.
		r = inspect(t, tok, NewSecretSource(pemText.PEM, SecretText))
		wantNotVerified(t, r, "the HMAC secret is a key, not a secret (SPKI public key, RSA 2048 bits, read from PEM, 1 block): refused")
	})
	t.Run("untrusted key headers are shown, never used", func(t *testing.T) {
		attacker := testEC(t, "rsa-1")
		hdr := jws.NewHeaders()
		if err := hdr.Set(jws.JWKKey, pub(t, attacker)); err != nil {
			t.Fatal(err)
		}
		_ = hdr.Set("jku", "https://attacker.example/jwks.json")
		tok, err := jws.Sign([]byte(claims), jws.WithKey(jwa.ES256(), attacker, jws.WithProtectedHeaders(hdr)))
		if err != nil {
			t.Fatal(err)
		}
		r := inspect(t, string(tok), set(t, rsaPub))
		wantNotVerified(t, r, "kid matches but the key is RSA and the token says ES256")
		if !containsAny(r.Warnings, `the header carries "jwk": shown only`) || !containsAny(r.Warnings, `"jku"`) {
			t.Errorf("warnings %v", r.Warnings)
		}
	})
	t.Run("unknown crit", func(t *testing.T) {
		tok := craftHS(`{"alg":"HS256","crit":["exp-ext"],"exp-ext":1}`, claims, secret)
		wantNotVerified(t, inspect(t, tok, NewSecretSource(secret, SecretText)), `the header marks "exp-ext" as critical (crit), an extension this app does not understand: refused`)
		tok = craftHS(`{"alg":"HS256","crit":["b64"],"b64":true}`, claims, secret)
		if r := inspect(t, tok, NewSecretSource(secret, SecretText)); !r.Verified {
			t.Errorf("crit b64 with b64 true: %s", r.Reason)
		}
	})
	t.Run("b64 false", func(t *testing.T) {
		input := b64([]byte(`{"alg":"HS256","b64":false,"crit":["b64"]}`)) + ".$02"
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(input))
		r := inspect(t, input+"."+b64(m.Sum(nil)), NewSecretSource(secret, SecretText))
		wantNotVerified(t, r, `the header sets "b64": false (RFC 7797 unencoded payload): refused`)
		if r.PayloadText != "$02" {
			t.Errorf("payload %q", r.PayloadText)
		}
	})
	t.Run("duplicate header member", func(t *testing.T) {
		tok := craftHS(`{"alg":"none","alg":"HS256"}`, claims, secret)
		wantNotVerified(t, inspect(t, tok, NewSecretSource(secret, SecretText)), `the header has the member "alg" twice`)
	})
	t.Run("HMAC secret shorter than its hash", func(t *testing.T) {
		short := []byte("sixteen byte key")
		tok := craftHS(`{"alg":"HS256"}`, claims, short)
		wantNotVerified(t, inspect(t, tok, NewSecretSource(short, SecretText)), "HMAC secret is 16 bytes: HS256 needs at least 32 (RFC 7518 §3.2)")
		if r := inspect(t, craftHS(`{"alg":"HS256"}`, claims, secret), NewSecretSource(secret, SecretText)); !r.Verified || r.Verdict != "Verified with the HMAC secret (text)" {
			t.Errorf("32-byte secret: %s / %s", r.Reason, r.Verdict)
		}
	})
	t.Run("secret source for an RS256 token", func(t *testing.T) {
		wantNotVerified(t, inspect(t, sign(t, rsa, claims, "rsa-1"), NewSecretSource(secret, SecretText)), "the token says RS256 but the key source is an HMAC secret")
	})
	t.Run("set mixing oct and public keys", func(t *testing.T) {
		oct, _ := jwk.Import(secret)
		_ = oct.Set(jwk.KeyIDKey, "rsa-1")
		wantNotVerified(t, inspect(t, sign(t, rsa, claims, "rsa-1"), set(t, rsaPub, oct)), "the key set mixes secret (oct) keys with public keys: refused")
	})
	t.Run("RSA under 2048 bits", func(t *testing.T) {
		raw, err := rsaGenerate(1024)
		if err != nil {
			t.Fatal(err)
		}
		weak, err := jwk.Import(raw)
		if err != nil {
			t.Fatal(err)
		}
		_ = weak.Set(jwk.KeyIDKey, "weak")
		tok := craftRS(t, `{"alg":"RS256","kid":"weak"}`, claims, weak)
		r := inspect(t, tok, set(t, pub(t, weak)))
		wantNotVerified(t, r, "RSA key is 1024 bits: under 2048 never verifies (RFC 7518 §3.3)")
	})
	t.Run("ROCA", func(t *testing.T) {
		keys, err := keys.ParseKeys([]byte(rocaPEM))
		if err != nil {
			t.Fatal(err)
		}
		_ = keys[0].Set(jwk.KeyIDKey, "roca")
		tok := craftRS(t, `{"alg":"RS256","kid":"roca"}`, claims, rsa)
		wantNotVerified(t, inspect(t, tok, set(t, keys[0])), "RSA key has the ROCA fingerprint (CVE-2017-15361)")
	})
	t.Run("JWE", func(t *testing.T) {
		x := b64([]byte("x"))
		tok := b64([]byte(`{"alg":"RSA-OAEP","enc":"A256GCM","kid":"rsa-1"}`)) + "." + x + "." + x + "." + x + "." + x
		r := inspect(t, tok, set(t, rsaPub))
		if !r.IsJWE || r.State != StateNotDecrypted || r.Verified || r.Valid() || !strings.Contains(r.Reason, "initialization vector (third part) is 1 bytes") || r.Kid != "rsa-1" {
			t.Fatalf("%+v", r)
		}
	})
}

func rsaGenerate(bits int) (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, bits) }

// rocaPEM is a 2048-bit public key with the ROCA fingerprint, from
// github.com/titanous/rocacheck's tests.
const rocaPEM = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAlze9c7qGdjDLVR/ntk+4
ZkfMcYsAnmfTFHfe3Xv7jRQqPCXCULtr0y0jG3aRJmEenoXO9uDveqr43gFB9yvA
dLEhu0aJqpB7lNZ+yXsvfVp/96dkSN8oWYL/dd9Z7GQOvVniHUY3Xsd7zdw2eYOy
HSXhhA2Ttwnj3c1jEYfC0y9q1cU99aL0ogGDqolcOvlkJu+mGb+6+WyboFa1gwRu
kYxBHZWKiHCt/eihvXsPTzTlXmTXWdGJtA1xZDnCBWuZ90b5R0agXVIESTl0cCyH
aQM/tLZmktJIU+Eu7ALBXemPg9kh3SCnYd3/YvDGCtYSXOWthHwlP5CImRBcQaNn
cQIDAQAB
-----END PUBLIC KEY-----`

func TestInspectInputErrors(t *testing.T) {
	src := set(t)
	cases := map[string]struct{ in, err string }{
		"empty":       {"  \n", "nothing to inspect: paste a JWT"},
		"garbage":     {"hello world", "not a JWT: a compact token has three parts separated by dots (a JWE has five), this has 1"},
		"four parts":  {"a.b.c.d", "this has 4"},
		"json":        {`{"payload":"x","signatures":[]}`, "this is JSON serialization: only compact tokens"},
		"bad char":    {"eyJhbGciOiJIUzI1NiJ9.e30.a+b", `not a JWT: part 3 holds '+'`},
		"bad header":  {"a.e30.", "the header (first part) is not base64url"},
		"not object":  {b64([]byte(`[1]`)) + ".e30.", "the header (first part) is not a JSON object"},
		"bad payload": {b64([]byte(`{"alg":"HS256"}`)) + ".e.", "the payload (second part) is not base64url"},
		"too large":   {strings.Repeat("a", input.MaxTokenSize+1), "tokens over 64 KiB are refused"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r, err := Inspect(c.in, src, InspectOptions{Now: inspectNow})
			if err == nil || !strings.Contains(err.Error(), c.err) || r != nil {
				t.Fatalf("err %v, want %q", err, c.err)
			}
		})
	}
}

func TestInspectCleansPastedTokens(t *testing.T) {
	rsa := testRSA(t)
	tok := sign(t, rsa, claimsJSON(map[string]any{"exp": at(time.Hour)}), "rsa-1")
	src := set(t, pub(t, rsa))
	cases := []struct {
		in    string
		notes string
	}{
		{tok, ""},
		{"  " + tok + "\n", ""},
		{"Bearer " + tok, `removed the "Bearer " prefix`},
		{`"` + tok + `"`, "removed the surrounding quotes"},
		{"Bearer " + tok[:50] + "\n" + tok[50:] + "  \n", `removed the "Bearer " prefix|removed 1 space or line break`},
		{"bearer '" + tok[:40] + "\n  " + tok[40:100] + "\r\n" + tok[100:] + "'", `removed the "Bearer " prefix|removed the surrounding quotes|removed 5 spaces or line breaks`},
	}
	for _, c := range cases {
		r := inspect(t, c.in, src)
		if !r.Verified || r.Token != tok {
			t.Errorf("%q: not verified: %s", c.in, r.Reason)
		}
		if got := strings.Join(r.Cleaned, "|"); got != c.notes {
			t.Errorf("%q: cleaned %q, want %q", c.in, got, c.notes)
		}
	}
}

func TestInspectReportJSON(t *testing.T) {
	rsa := testRSA(t)
	tok := sign(t, rsa, `{"iss":"https:\/\/issuer.example","aud":["a","b"],"exp":`+itoa(at(time.Hour))+`}`, "rsa-1")
	r := inspect(t, tok, set(t, pub(t, rsa)))
	out, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"header", "claims", "kid", "alg", "verified", "key", "reason", "expired", "not_yet_valid", "candidates", "times", "warnings", "is_jwe", "state", "verdict"} {
		if _, ok := m[k]; !ok {
			t.Errorf("report JSON lacks %q", k)
		}
	}
	if r.Iss != "https://issuer.example" || strings.Join(r.Aud, ",") != "a,b" {
		t.Errorf("iss %q aud %v", r.Iss, r.Aud)
	}
	if m["header"].(map[string]any)["kid"] != "rsa-1" || m["claims"].(map[string]any)["iss"] != "https://issuer.example" {
		t.Errorf("header/claims %v %v", m["header"], m["claims"])
	}
	if !strings.Contains(r.HeaderJSON(), "\n  \"kid\": \"rsa-1\"") {
		t.Errorf("header JSON %q", r.HeaderJSON())
	}
}

func TestSign(t *testing.T) {
	rsa := testRSA(t)
	t.Run("kid from the key", func(t *testing.T) {
		tok := sign(t, rsa, `{"sub":"a"}`, "rsa-1")
		r := inspect(t, tok, set(t, pub(t, rsa)))
		if !r.Verified || r.Kid != "rsa-1" || r.Alg != "RS256" || string(r.Claims) != `{"sub":"a"}` || r.Typ != "JWT" {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("another kid leaves the key alone", func(t *testing.T) {
		tok := sign(t, rsa, `{}`, "other")
		r := inspect(t, tok, set(t, pub(t, rsa)))
		if r.Kid != "other" {
			t.Errorf("header kid %q", r.Kid)
		}
		if kid, _ := rsa.KeyID(); kid != "rsa-1" {
			t.Errorf("the key's kid became %q", kid)
		}
	})
	t.Run("no kid", func(t *testing.T) {
		r := inspect(t, sign(t, rsa, "", ""), set(t, pub(t, rsa)))
		if r.HasKid || !r.Verified || string(r.Claims) != "{}" {
			t.Errorf("has kid %v verified %v claims %s", r.HasKid, r.Verified, r.Claims)
		}
	})
	t.Run("EdDSA and HS512", func(t *testing.T) {
		for _, spec := range []keys.Spec{{Kty: keys.KtyOKP}, {Kty: keys.KtyOct, Size: 512}} {
			g, err := keys.Generate(spec)
			if err != nil {
				t.Fatal(err)
			}
			kid, _ := g.Private.KeyID()
			tok := sign(t, g.Private, `{"n":1}`, kid)
			src := set(t, g.Private)
			if spec.Kty == keys.KtyOct {
				oct, _ := g.Private.(jwk.SymmetricKey).Octets()
				src = NewSecretSource(oct, SecretBase64URL)
			}
			if r := inspect(t, tok, src); !r.Verified {
				t.Errorf("%s: %s", spec.Kty, r.Reason)
			}
		}
	})
	t.Run("oct secret without alg signs with the HS that fits its size", func(t *testing.T) {
		oct, _ := jwk.Import([]byte(strings.Repeat("k", 48)))
		if alg, err := SignAlg(oct); err != nil || alg != "HS384" {
			t.Errorf("alg %q %v", alg, err)
		}
		ed, _ := keys.Generate(keys.Spec{Kty: keys.KtyOKP})
		_ = ed.Private.Remove(jwk.AlgorithmKey)
		if alg, err := SignAlg(ed.Private); err != nil || alg != "EdDSA" {
			t.Errorf("Ed25519 without alg: %q %v", alg, err)
		}
		x, _ := keys.Generate(keys.Spec{Kty: keys.KtyOKP, Crv: keys.CrvX25519, Use: keys.UseEnc})
		_ = x.Private.Remove(jwk.AlgorithmKey)
		if _, err := SignAlg(x.Private); err == nil || err.Error() != "this OKP X25519 key cannot sign: choose an RSA, EC, Ed25519 or oct key" {
			t.Errorf("X25519: %v", err)
		}
	})
	errs := []struct {
		key    jwk.Key
		claims string
		want   string
	}{
		{pub(t, rsa), "{}", "this is a public key: signing needs the private key"},
		{rsa, "[1]", `the claims must be a JSON object such as {"sub":"alice"}`},
		{rsa, `{"a":`, `the claims must be a JSON object`},
		{nil, "{}", "no key: choose a private key"},
	}
	for _, e := range errs {
		if _, err := Sign(e.key, []byte(e.claims), ""); err == nil || !strings.Contains(err.Error(), e.want) {
			t.Errorf("Sign(%q): %v, want %q", e.claims, err, e.want)
		}
	}
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyRSA, Use: keys.UseEnc})
	if _, err := Sign(g.Private, nil, ""); err == nil || !strings.Contains(err.Error(), "not a signature algorithm") {
		t.Errorf("enc key: %v", err)
	}
}

func TestDecodeSecret(t *testing.T) {
	cases := []struct {
		text, enc string
		want      string
		err       string
	}{
		{"my secret ", SecretText, "my secret ", ""},
		{"", SecretText, "", "the secret is empty"},
		{" aGVsbG8_-w== ", SecretBase64URL, "hello?\xfb", ""},
		{"aGVs+G8/", SecretBase64URL, "", "standard base64, not base64url"},
		{"a", SecretBase64URL, "", "the secret is not base64url"},
		{"68656c6c6f\n", SecretHex, "hello", ""},
		{"6g", SecretHex, "", "the secret is not hex"},
		{"x", "base32", "", `unknown secret encoding "base32"`},
	}
	for _, c := range cases {
		got, err := DecodeSecret(c.text, c.enc)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q %s: err %v, want %q", c.text, c.enc, err, c.err)
			}
			continue
		}
		if err != nil || string(got) != c.want {
			t.Errorf("%q %s: %q %v", c.text, c.enc, got, err)
		}
	}
}

// Signatures that are empty, padded or cut, and base64url that is not
// canonical, are refused with the reason, before any key is tried.
func TestInspectRefusesMalformedSignatures(t *testing.T) {
	k := testEC(t, "k1")
	src := set(t, pub(t, k))
	tok := sign(t, k, claimsJSON(map[string]any{"sub": "x"}), "k1")
	parts := strings.Split(tok, ".")
	h, p, s := parts[0], parts[1], parts[2]
	// s encodes 64 bytes in 86 characters; the last one has 4 unused bits.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, s[len(s)-1])
	stray := s[:len(s)-1] + string(alphabet[last|1])
	for _, c := range []struct{ name, tok, want string }{
		{"empty", h + "." + p + ".", "the signature (third part) is empty: refused (an unsigned token is never verified)"},
		{"cut", h + "." + p + "." + s[:40], "the signature is 30 bytes, but an ES256 signature is 64: refused (was the token cut short?)"},
		{"stray bits", h + "." + p + "." + stray, "the signature (third part) is not canonical base64url: its last character carries stray bits (a token is encoded one way only; check that it was not edited): refused"},
	} {
		r := inspect(t, c.tok, src)
		if r.State != StateNotVerified || r.Reason != c.want || r.Verified {
			t.Errorf("%s: %s %q", c.name, r.State, r.Reason)
		}
	}
	// A payload with stray bits is shown but never verified.
	if len(p)%4 != 0 {
		pl := strings.IndexByte(alphabet, p[len(p)-1])
		r := inspect(t, h+"."+p[:len(p)-1]+string(alphabet[pl|1])+"."+s, src)
		if r.Verified || !strings.HasPrefix(r.Reason, "the payload (second part) is not canonical base64url") {
			t.Errorf("payload with stray bits: %s %q", r.State, r.Reason)
		}
	}
	// A header with stray bits is not read at all.
	hl := strings.IndexByte(alphabet, h[len(h)-1])
	if len(h)%4 != 0 {
		bad := h[:len(h)-1] + string(alphabet[hl|1]) + "." + p + "." + s
		if _, err := Inspect(bad, src, InspectOptions{Now: inspectNow}); err == nil || !strings.Contains(err.Error(), "not canonical base64url") {
			t.Errorf("header with stray bits: %v", err)
		}
	}
	// UTF-16 with a byte order mark, as some Windows tools copy it.
	var u16 []byte
	u16 = append(u16, 0xff, 0xfe)
	for _, r := range tok {
		u16 = append(u16, byte(r), 0)
	}
	r := inspect(t, string(u16), src)
	if !r.Verified || !slices.Contains(r.Cleaned, "decoded it from UTF-16") {
		t.Errorf("UTF-16 token: %s %q, cleaned %v", r.State, r.Reason, r.Cleaned)
	}
}

// A key source is indexed once, by the first inspection (off the UI
// goroutine), and its copies (one per inspection goroutine) share that index.
func TestKeySourceIndexesOnceForAllCopies(t *testing.T) {
	g, err := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := keys.Generate(keys.Spec{Kty: keys.KtyOKP})
	tok, err := Sign(g.Private, []byte(`{"sub":"lazy"}`), "")
	if err != nil {
		t.Fatal(err)
	}
	src := NewKeySource("JWKS workspace", []jwk.Key{other.Public, g.Public})
	if src.lazy.idx != nil {
		t.Fatal("indexed before any inspection")
	}
	var wg sync.WaitGroup
	reports := make([]*Report, 4)
	for i := range reports {
		wg.Add(1)
		go func(i int, src KeySource) {
			defer wg.Done()
			reports[i], _ = Inspect(tok, src, InspectOptions{})
		}(i, src)
	}
	wg.Wait()
	for i, r := range reports {
		if r == nil || !r.Verified {
			t.Fatalf("inspection %d: %+v", i, r)
		}
	}
	idx := src.index()
	if idx == nil || idx != src.lazy.idx || len(idx.tps) != 2 || idx.tps[1] != g.Thumbprint.Value {
		t.Errorf("index not shared or wrong: %+v", idx)
	}
}
