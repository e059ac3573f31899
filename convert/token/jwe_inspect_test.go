package token

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/token/jwe"
)

var (
	encOnce sync.Once
	encRSA  jwk.Key
)

// encRSAKey is one RSA 2048 enc key with kid "enc-2026-11" and no alg
// (RSA-OAEP-256 and RSA1_5 tokens both fit it), made once.
func encRSAKey(t testing.TB) jwk.Key {
	t.Helper()
	encOnce.Do(func() {
		encRSA = genKey(t, keys.Spec{Kty: keys.KtyRSA, Use: keys.UseEnc, KidStrategy: keys.KidCustom, CustomKid: "enc-2026-11"})
		if err := encRSA.Remove(jwk.AlgorithmKey); err != nil {
			t.Fatal(err)
		}
	})
	return encRSA
}

func genKey(t testing.TB, spec keys.Spec) jwk.Key {
	t.Helper()
	g, err := keys.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	return g.Private
}

// encKey is an enc key without alg (every ECDH-ES* fits it).
func encKey(t testing.TB, kty, crv, kid string) jwk.Key {
	t.Helper()
	k := genKey(t, keys.Spec{Kty: kty, Crv: crv, Use: keys.UseEnc, KidStrategy: keys.KidCustom, CustomKid: kid})
	if err := k.Remove(jwk.AlgorithmKey); err != nil {
		t.Fatal(err)
	}
	return k
}

func encrypt(t testing.TB, pt string, to jwe.Source, alg string, opts jwe.EncryptOptions) string {
	t.Helper()
	tok, err := jwe.Encrypt([]byte(pt), to, alg, "A256GCM", opts)
	if err != nil {
		t.Fatalf("Encrypt %s: %v", alg, err)
	}
	return tok
}

func inspectJWE(t testing.TB, tok string, src KeySource, opts InspectOptions) *Report {
	t.Helper()
	opts.Now, opts.Skew = inspectNow, DefaultSkew
	r, err := Inspect(tok, src, opts)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	if !r.IsJWE || r.JWE == nil {
		t.Fatalf("not read as a JWE: %+v", r)
	}
	return r
}

// TestInspectJWE: a compact JWE given to the token inspector is decrypted
// with the key source the JWS path uses (a set by kid, one key given
// directly), the shared secret or the passphrase that fits its alg.
func TestInspectJWE(t *testing.T) {
	rsaEnc := encRSAKey(t)
	ecEnc := encKey(t, keys.KtyEC, "P-256", "enc-ec")
	xEnc := encKey(t, keys.KtyOKP, "X25519", "enc-x")
	sig := testEC(t, "sig-1")
	other := encKey(t, keys.KtyEC, "P-256", "enc-ec") // same kid, another key
	ws := set(t, sig, rsaEnc, ecEnc, xEnc)
	secret32 := []byte("0123456789abcdef0123456789abcdef")
	claims := claimsJSON(map[string]any{"sub": "alice", "exp": at(time.Hour)})
	pass := []byte("correct horse battery staple")
	rsa15 := encrypt(t, claims, jwe.OneKey("k", pub(t, rsaEnc)), "RSA1_5", jwe.EncryptOptions{AllowRSA1_5: true})

	tests := []struct {
		name       string
		tok        string
		src        KeySource
		opts       InspectOptions
		state, key string
		inVerdict  string
		code       string // the first candidate's code, when set
	}{
		{"RFC7518_4.3_RSA-OAEP-256_workspace_key", encrypt(t, claims, jwe.OneKey("k", pub(t, rsaEnc)), "RSA-OAEP-256", jwe.EncryptOptions{}), ws, InspectOptions{},
			StateDecrypted, "enc-2026-11", `Decrypted with kid "enc-2026-11" (RSA-OAEP-256, A256GCM)`, jwe.CodeOpened},
		{"RFC7518_4.6_ECDH-ES+A256KW_P-256", encrypt(t, claims, jwe.OneKey("k", pub(t, ecEnc)), "ECDH-ES+A256KW", jwe.EncryptOptions{}), ws, InspectOptions{},
			StateDecrypted, "enc-ec", `Decrypted with kid "enc-ec"`, jwe.CodeOpened},
		{"RFC8037_ECDH-ES_X25519", encrypt(t, "plain text", jwe.OneKey("k", pub(t, xEnc)), "ECDH-ES", jwe.EncryptOptions{}), ws, InspectOptions{},
			StateDecrypted, "enc-x", `Decrypted with kid "enc-x"`, jwe.CodeOpened},
		{"RFC7516_4.1.6_wrong_kid", encrypt(t, claims, jwe.OneKey("k", pub(t, rsaEnc)), "RSA-OAEP-256", jwe.EncryptOptions{}), set(t, sig, ecEnc), InspectOptions{},
			StateNotDecrypted, "", `kid "enc-2026-11" is not in the test set`, jwe.CodeWrongKid},
		{"RFC7516_5.2_public_half_only", encrypt(t, claims, jwe.OneKey("k", pub(t, rsaEnc)), "RSA-OAEP-256", jwe.EncryptOptions{}), set(t, pub(t, rsaEnc)), InspectOptions{},
			StateNotDecrypted, "", "this is the public half: decrypting needs the private key", jwe.CodePublicOnly},
		{"RFC7518_4.6_ambiguous_kid", encrypt(t, claims, jwe.OneKey("k", pub(t, ecEnc)), "ECDH-ES", jwe.EncryptOptions{}), set(t, other, ecEnc), InspectOptions{},
			StateNotDecrypted, "", `kid "enc-ec" is ambiguous`, ""},
		{"RFC7518_4.3_one_key_given_directly_other_kid", encrypt(t, claims, jwe.OneKey("k", pub(t, rsaEnc)), "RSA-OAEP-256", jwe.EncryptOptions{}), NewDirectKeySource("pasted key", rsaEnc), InspectOptions{},
			StateDecrypted, "enc-2026-11", `Decrypted with kid "enc-2026-11"`, jwe.CodeOpened},
		{"RFC7518_4.5_dir_shared_secret", encrypt(t, claims, jwe.SharedSecret(secret32), "dir", jwe.EncryptOptions{}), ws, InspectOptions{Secret: secret32},
			StateDecrypted, "", "Decrypted with the shared secret (dir, A256GCM)", jwe.CodeOpened},
		{"RFC7518_4.5_dir_without_secret", encrypt(t, claims, jwe.SharedSecret(secret32), "dir", jwe.EncryptOptions{}), ws, InspectOptions{},
			StateNotDecrypted, "", "dir with A256GCM needs the 32-byte shared content key", ""},
		{"RFC7518_4.4_A256KW_secret_source", encrypt(t, claims, jwe.SharedSecret(secret32), "A256KW", jwe.EncryptOptions{}), NewSecretSource(secret32, SecretText), InspectOptions{},
			StateDecrypted, "", "Decrypted with the shared secret (A256KW, A256GCM)", jwe.CodeOpened},
		{"RFC7518_4.4_A256KW_wrong_secret", encrypt(t, claims, jwe.SharedSecret(secret32), "A256KW", jwe.EncryptOptions{}), ws, InspectOptions{Secret: []byte("fedcba9876543210fedcba9876543210")},
			StateNotDecrypted, "", "unwrapping the content key failed", jwe.CodeNotOpened},
		{"RFC7518_4.8_PBES2_passphrase", encrypt(t, claims, jwe.Passphrase(pass), "PBES2-HS256+A128KW", jwe.EncryptOptions{P2C: 1000}), ws, InspectOptions{Passphrase: pass},
			StateDecrypted, "", "Decrypted with the passphrase (p2c 1,000)", jwe.CodeOpened},
		{"RFC7518_4.8_PBES2_wrong_passphrase", encrypt(t, claims, jwe.Passphrase(pass), "PBES2-HS256+A128KW", jwe.EncryptOptions{P2C: 1000}), ws, InspectOptions{Passphrase: []byte("wrong")},
			StateNotDecrypted, "", "wrong passphrase", jwe.CodeNotOpened},
		{"RFC7518_4.8_PBES2_no_passphrase", encrypt(t, claims, jwe.Passphrase(pass), "PBES2-HS256+A128KW", jwe.EncryptOptions{P2C: 1000}), ws, InspectOptions{},
			StateNotDecrypted, "", "PBES2-HS256+A128KW needs the passphrase", ""},
		{"RFC8725_3.2_RSA1_5_refused", rsa15, ws, InspectOptions{},
			StateNotDecrypted, "", "RSA1_5", ""},
		{"RFC8725_3.2_RSA1_5_allowed", rsa15, ws, InspectOptions{AllowRSA1_5: true},
			StateDecrypted, "enc-2026-11", `Decrypted with kid "enc-2026-11" (RSA1_5, A256GCM)`, jwe.CodeOpened},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := inspectJWE(t, tc.tok, tc.src, tc.opts)
			if r.State != tc.state || r.Key != tc.key || !strings.Contains(r.Verdict, tc.inVerdict) {
				t.Fatalf("state %q key %q verdict %q; want %q %q containing %q", r.State, r.Key, r.Verdict, tc.state, tc.key, tc.inVerdict)
			}
			if tc.code != "" && (len(r.JWE.Candidates) == 0 || !hasCode(r.JWE.Candidates, tc.code)) {
				t.Fatalf("candidates %+v: want one with code %q", r.JWE.Candidates, tc.code)
			}
			if r.Valid() != (tc.state == StateDecrypted) {
				t.Fatalf("Valid() = %v for state %s", r.Valid(), r.State)
			}
			if tc.state == StateNotDecrypted && (r.Reason == "" || r.JWE.Plaintext != nil) {
				t.Fatalf("not decrypted without reason, or with a plaintext: %+v", r.JWE)
			}
		})
	}
}

func hasCode(cs []jwe.Candidate, code string) bool {
	for _, c := range cs {
		if c.Code == code {
			return true
		}
	}
	return false
}

// TestInspectJWENested: a nested JWT (RFC 7519 §5.2) is decrypted, and the
// inner JWS inspected against the same key source; the verdict is both
// layers', the state the inner token's.
func TestInspectJWENested(t *testing.T) {
	rsaEnc := encRSAKey(t)
	sig := testEC(t, "sig-1")
	stranger := testEC(t, "sig-1")
	ws := set(t, sig, rsaEnc)
	to := jwe.OneKey("k", pub(t, rsaEnc))
	nest := func(signer jwk.Key, claims string, cty string) string {
		return encrypt(t, sign(t, signer, claims, "sig-1"), to, "RSA-OAEP-256", jwe.EncryptOptions{Cty: cty})
	}
	valid := claimsJSON(map[string]any{"sub": "alice", "exp": at(time.Hour)})
	expired := claimsJSON(map[string]any{"sub": "alice", "exp": at(-time.Hour)})
	tests := []struct {
		name, tok, state, verdict string
		valid                     bool
	}{
		{"RFC7519_5.2_cty_JWT_inner_verified", nest(sig, valid, "JWT"), StateVerified,
			`Decrypted with kid "enc-2026-11" (RSA-OAEP-256, A256GCM); inner token: verified with key sig-1`, true},
		{"RFC7519_5.2_no_cty_inner_verified", nest(sig, valid, ""), StateVerified,
			`Decrypted with kid "enc-2026-11" (RSA-OAEP-256, A256GCM); inner token: verified with key sig-1`, true},
		{"RFC7519_5.2_inner_signed_by_another_key", nest(stranger, valid, "JWT"), StateNotVerified,
			`Decrypted with kid "enc-2026-11" (RSA-OAEP-256, A256GCM); inner token: not verified`, false},
		{"RFC7519_4.1.4_inner_expired", nest(sig, expired, "JWT"), StateExpired,
			`Decrypted with kid "enc-2026-11" (RSA-OAEP-256, A256GCM); inner token: signature valid but expired`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := inspectJWE(t, tc.tok, ws, InspectOptions{})
			if r.Inner == nil || r.State != tc.state || !strings.HasPrefix(r.Verdict, tc.verdict) || r.Valid() != tc.valid {
				t.Fatalf("state %q valid %v verdict %q inner %v", r.State, r.Valid(), r.Verdict, r.Inner != nil)
			}
			if r.Key != "enc-2026-11" || r.Sub != "alice" || r.ClaimsJSON() == "" {
				t.Fatalf("key %q sub %q claims %q", r.Key, r.Sub, r.ClaimsJSON())
			}
		})
	}
	t.Run("RFC7519_5.2_inner_not_opened_outer", func(t *testing.T) {
		r := inspectJWE(t, nest(sig, valid, "JWT"), set(t, sig), InspectOptions{})
		if r.Inner != nil || r.State != StateNotDecrypted || r.Valid() {
			t.Fatalf("%+v", r)
		}
	})
}

// TestInspectJWEReportJSON: the CLI's JSON of a JWE is the JWE layer's
// report with the combined verdict and the inner token's whole report.
func TestInspectJWEReportJSON(t *testing.T) {
	rsaEnc := encRSAKey(t)
	sig := testEC(t, "sig-1")
	inner := sign(t, sig, claimsJSON(map[string]any{"sub": "alice", "exp": at(time.Hour)}), "sig-1")
	tok := encrypt(t, inner, jwe.OneKey("k", pub(t, rsaEnc)), "RSA-OAEP-256", jwe.EncryptOptions{Cty: "JWT"})
	out, err := inspectJWE(t, tok, set(t, sig, rsaEnc), InspectOptions{}).JSON()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]any{"is_jwe": true, "decrypted": true, "key": "enc-2026-11", "alg": "RSA-OAEP-256", "enc": "A256GCM",
		"kid": "enc-2026-11", "cty": "JWT", "state": StateVerified, "plaintext": inner, "nested": true, "inner_kind": "JWS"} {
		if m[name] != want {
			t.Errorf("%s = %v, want %v", name, m[name], want)
		}
	}
	in, _ := m["inner"].(map[string]any)
	if in["verified"] != true || in["key"] != "sig-1" {
		t.Errorf("inner = %v", in)
	}
	if cs, _ := m["candidates"].([]any); len(cs) != 1 {
		t.Errorf("candidates = %v", m["candidates"])
	}
	if !strings.Contains(m["verdict"].(string), "inner token: verified with key sig-1") || strings.Contains(m["jwe_verdict"].(string), "inner token") {
		t.Errorf("verdict %v / jwe_verdict %v", m["verdict"], m["jwe_verdict"])
	}
}

// TestInspectJWERefusesInnerWhitespace: a space inside a segment of a JWE
// is refused before any key is tried (RFC 7516 §7.1: the compact form has
// none), as for a JWS.
func TestInspectJWERefusesInnerWhitespace(t *testing.T) {
	rsaEnc := encRSAKey(t)
	tok := encrypt(t, "hello", jwe.OneKey("k", pub(t, rsaEnc)), "RSA-OAEP-256", jwe.EncryptOptions{})
	parts := strings.Split(tok, ".")
	parts[3] = parts[3][:4] + " " + parts[3][4:]
	r := inspectJWE(t, strings.Join(parts, "."), set(t, rsaEnc), InspectOptions{})
	if r.State != StateNotDecrypted || !strings.Contains(r.Reason, "the ciphertext (fourth part) holds") || r.JWE.Decrypted {
		t.Fatalf("%+v", r)
	}
}

// jweInspectSeeds are FuzzInspect's JWE seeds: tokens that decrypt with
// the fuzz sources (RSA-OAEP-256 to the enc key, dir and A256KW with the
// secret, a nested JWT, zip: DEF), and hostile headers.
func jweInspectSeeds(t testing.TB, signer jwk.Key, secret []byte) []string {
	to := jwe.OneKey("k", pub(t, encRSAKey(t)))
	nested := encrypt(t, sign(t, signer, `{"sub":"a","exp":1893456000}`, "rsa-1"), to, "RSA-OAEP-256", jwe.EncryptOptions{Cty: "JWT"})
	h := func(header string) string {
		x := b64([]byte("xxxxxxxxxxxx"))
		return b64([]byte(header)) + "." + x + "." + x + "." + x + "." + x
	}
	return []string{
		encrypt(t, `{"sub":"a"}`, to, "RSA-OAEP-256", jwe.EncryptOptions{}),
		nested,
		"Bearer " + nested,
		encrypt(t, "text", jwe.SharedSecret(secret), "dir", jwe.EncryptOptions{}),
		encrypt(t, strings.Repeat("z", 4096), jwe.SharedSecret(secret), "A256KW", jwe.EncryptOptions{Zip: true}),
		h(`{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2s":"AAAAAAAAAAA","p2c":2000000000}`),
		h(`{"alg":"RSA1_5","enc":"A128CBC-HS256","kid":"enc-2026-11"}`),
		h(`{"alg":"ECDH-ES","enc":"A128GCM","epk":{"kty":"OKP","crv":"X25519","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}`),
		h(`{"alg":"dir","enc":"A256GCM","zip":"DEF","crit":["exp"]}`),
		h(`{"alg":"dir","alg":"A256KW","enc":"A256GCM"}`),
	}
}

// checkJWEInvariants: a JWE is green only when decrypted, and the inner
// token's state is the report's only when there is an inner token.
func checkJWEInvariants(t *testing.T, r *Report) {
	t.Helper()
	switch {
	case r.JWE == nil:
		t.Fatal("a JWE without its JWE report")
	case r.State == StateNotDecrypted && (r.JWE.Decrypted || r.Reason == "" || r.Valid()):
		t.Fatalf("not decrypted: %+v", r.JWE)
	case r.State == StateDecrypted && (!r.JWE.Decrypted || r.Inner != nil || !r.Valid()):
		t.Fatalf("decrypted: %+v", r.JWE)
	case r.State != StateNotDecrypted && r.State != StateDecrypted && (r.Inner == nil || !r.JWE.Decrypted || r.State != r.Inner.State):
		t.Fatalf("state %s without a decrypted inner token", r.State)
	}
}

// BenchmarkInspectJWE64KiB is the largest JWE a paste takes (just under
// the 64 KiB token cap): a nested token whose inner claims fill it,
// decrypted with the workspace's RSA key and the inner token verified, then
// the report rendered as JSON (what the JWT tab shows).
func BenchmarkInspectJWE64KiB(b *testing.B) {
	rsaEnc := encRSAKey(b)
	sig := testEC(b, "sig-1")
	claims := claimsJSON(map[string]any{"sub": "alice", "exp": at(time.Hour), "pad": strings.Repeat("x", 34<<10)})
	tok := encrypt(b, sign(b, sig, claims, "sig-1"), jwe.OneKey("k", pub(b, rsaEnc)), "RSA-OAEP-256", jwe.EncryptOptions{Cty: "JWT"})
	if len(tok) > input.MaxTokenSize || len(tok) < 60<<10 {
		b.Fatalf("token is %d bytes", len(tok))
	}
	src := set(b, sig, rsaEnc)
	opts := InspectOptions{Now: inspectNow, Skew: DefaultSkew}
	b.ReportAllocs()
	for b.Loop() {
		r, err := Inspect(tok, src, opts)
		if err != nil || r.State != StateVerified {
			b.Fatalf("%v %+v", err, r)
		}
		if _, err := r.JSON(); err != nil {
			b.Fatal(err)
		}
	}
}
