package jwe

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// fuzzSources are the key sources every fuzzed token is inspected with:
// a set of one key of each kind, a shared secret and a passphrase, fixed
// for the run (the seeds are made with them).
func fuzzSources(t testing.TB) []Source {
	set := KeySet("fuzz keys", []jwk.Key{
		withMembers(t, testKey(t, "RSA-2048"), map[string]any{"kid": "rsa"}),
		withMembers(t, testKey(t, "P-256"), map[string]any{"kid": "ec"}),
		withMembers(t, testKey(t, "X25519"), map[string]any{"kid": "x"}),
		octKey(t, 16, 1),
		octKey(t, 32, 2),
	})
	return []Source{set, SharedSecret(secretOf(32, 2)), Passphrase([]byte("fuzz"))}
}

// addSeed splits a compact token into FuzzDecrypt's arguments.
func addSeed(f *testing.F, tok string) {
	parts := strings.Split(tok, ".")
	if len(parts) != 5 {
		return
	}
	dec := func(s string) []byte { b, _ := base64.RawURLEncoding.DecodeString(s); return b }
	f.Add(string(dec(parts[0])), dec(parts[1]), dec(parts[2]), dec(parts[3]), dec(parts[4]))
}

// FuzzDecrypt feeds Inspect compact tokens whose header and parts are
// fuzzed. Whatever comes in: no panic (a recovered one is a failure too),
// a report that encodes, a verdict, plaintext only when decrypted, and no
// jwx text in what a user reads. Seeds: the published vectors, tokens of
// every family made with the fuzz keys, and the hostile cases.
func FuzzDecrypt(f *testing.F) {
	srcs := fuzzSources(f)
	for _, v := range append(rfc7516Vectors(f), rfc7520Vectors(f)...) {
		addSeed(f, v.Compact)
	}
	set := srcs[0].keys
	for _, s := range []struct {
		alg, enc string
		key      any
	}{
		{"RSA-OAEP-256", "A256GCM", publicOf(f, set[0])}, {"RSA1_5", "A128CBC-HS256", publicOf(f, set[0])},
		{"ECDH-ES", "A128GCM", publicOf(f, set[1])}, {"ECDH-ES+A256KW", "A256CBC-HS512", publicOf(f, set[2])},
		{"A128KW", "A128GCM", secretOf(16, 1)}, {"A128GCMKW", "A192GCM", secretOf(16, 1)},
		{"dir", "A256GCM", secretOf(32, 2)}, {"PBES2-HS256+A128KW", "A128CBC-HS256", []byte("fuzz")},
	} {
		tok := jwxEncrypt(f, []byte(`{"sub":"fuzz"}`), s.alg, s.enc, s.key, map[string]any{"cty": "JWT"}, pbesCount(1000))
		addSeed(f, tok)
	}
	dir := jwxEncrypt(f, []byte("x"), "dir", "A256GCM", secretOf(32, 2), nil)
	bomb := zipToken(f, deflated(f, make([]byte, 4<<20)), secretOf(32, 2))
	addSeed(f, bomb)
	for _, h := range []string{
		`{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2s":"AAAAAAAAAAA","p2c":2147483648}`,
		`{"alg":"dir","alg":"A128KW","enc":"A256GCM"}`,
		`{"alg":"dir","enc":"A256GCM","crit":["exp"],"exp":1}`,
		`{"alg":"ECDH-ES","enc":"A128GCM","epk":{"kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}`,
		`{"alg":"ECDH-ES","enc":"A128GCM","epk":{"kty":"OKP","crv":"X25519","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}`,
		`{"alg":"none","enc":"A256GCM"}`,
		`{"alg":"dir","enc":"A256GCM","zip":"DEF"}`,
		`{"alg":"A128GCMKW","enc":"A128GCM","iv":"AAAAAAAAAAAAAAAA","tag":"AAAAAAAAAAAAAAAAAAAAAA"}`,
		`{"alg":"dir","enc":"A256GCM","kid":"` + strings.Repeat("k", 300) + `"}`,
		`[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]`,
	} {
		addSeed(f, rewriteHeader(dir, h))
	}
	f.Fuzz(func(t *testing.T, hdr string, encKey, iv, ciphertext, tag []byte) {
		enc := base64.RawURLEncoding.EncodeToString
		tok := enc([]byte(hdr)) + "." + enc(encKey) + "." + enc(iv) + "." + enc(ciphertext) + "." + enc(tag)
		for _, src := range srcs {
			r, err := Inspect(tok, src, Options{AllowRSA1_5: true})
			if err != nil {
				if strings.Contains(err.Error(), "unexpected internal error") {
					t.Fatalf("panic inside Inspect: %v", err)
				}
				continue
			}
			checkFuzzReport(t, r)
		}
	})
}

func checkFuzzReport(t *testing.T, r *Report) {
	t.Helper()
	if _, err := json.Marshal(r); err != nil {
		t.Fatalf("the report does not encode: %v", err)
	}
	if r.Verdict == "" || r.Decrypted != (r.Plaintext != nil) || r.Decrypted == (r.Reason != "") {
		t.Fatalf("verdict %q decrypted %v plaintext %d bytes reason %q", r.Verdict, r.Decrypted, len(r.Plaintext), r.Reason)
	}
	if len(r.Plaintext) > MaxPlaintext {
		t.Fatalf("plaintext of %d bytes: over the cap", len(r.Plaintext))
	}
	texts := append([]string{r.Reason}, r.Warnings...)
	for _, c := range r.Candidates {
		texts = append(texts, c.Outcome)
		if c.Code == "" || c.Outcome == "" {
			t.Fatalf("candidate without a reason: %+v", c)
		}
	}
	for _, s := range texts {
		for _, jwx := range []string{"jwe.", "jwk.", "jwx", "failed to decrypt", "WithMax"} {
			if strings.Contains(s, jwx) {
				t.Fatalf("jwx text reaches the user: %q", s)
			}
		}
	}
}
