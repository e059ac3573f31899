package jwe

import (
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	jwxjwe "github.com/lestrrat-go/jwx/v3/jwe"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

// benchClaims is a typical ID token's claims (about 300 bytes).
const benchClaims = `{"iss":"https://issuer.example.com","sub":"248289761001","aud":"s6BhdRkqt3","nonce":"n-0S6_WzA2Mj","exp":1311281970,"iat":1311280970,"name":"Jane Doe","given_name":"Jane","family_name":"Doe","email":"janedoe@example.com","email_verified":true,"picture":"https://example.com/janedoe/me.jpg"}`

// BenchmarkDecrypt compares Inspect (header checks, candidate, decryption,
// rendering) with a bare jwe.Decrypt twin doing the same decryption with
// the same key, for RSA-OAEP-256, ECDH-ES+A256KW and dir. The ratio of the
// two is the cost of what Inspect adds (target: at most 1.2×).
func BenchmarkDecrypt(b *testing.B) {
	rsaKey := withMembers(b, testKey(b, "RSA-2048"), map[string]any{"kid": "enc-rsa"})
	ecKey := withMembers(b, testKey(b, "P-256"), map[string]any{"kid": "enc-ec"})
	secret := secretOf(32, 5)
	cases := []struct {
		name string
		alg  jwa.KeyEncryptionAlgorithm
		tok  string
		src  Source
		key  any // the twin's key, as jwe.WithKey takes it
	}{
		{"RSA-OAEP-256", jwa.RSA_OAEP_256(), jwxEncrypt(b, []byte(benchClaims), "RSA-OAEP-256", "A256GCM", publicOf(b, rsaKey), nil), KeySet("JWKS workspace", []jwk.Key{rsaKey}), rsaKey},
		{"ECDH-ES+A256KW", jwa.ECDH_ES_A256KW(), jwxEncrypt(b, []byte(benchClaims), "ECDH-ES+A256KW", "A256GCM", publicOf(b, ecKey), nil), KeySet("JWKS workspace", []jwk.Key{ecKey}), ecKey},
		{"dir", jwa.DIRECT(), jwxEncrypt(b, []byte(benchClaims), "dir", "A256GCM", secret, nil), SharedSecret(secret), secret},
	}
	for _, c := range cases {
		b.Run(c.name+"/interleaved", func(b *testing.B) { interleaved(b, c.tok, c.src, c.alg, c.key) })
		b.Run(c.name+"/Inspect", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r, err := Inspect(c.tok, c.src, Options{})
				if err != nil || !r.Decrypted {
					b.Fatalf("%v %+v", err, r)
				}
			}
		})
		b.Run(c.name+"/jwe.Decrypt", func(b *testing.B) {
			b.ReportAllocs()
			tok := []byte(c.tok)
			for b.Loop() {
				if _, err := jwxjwe.Decrypt(tok, jwxjwe.WithKey(c.alg, c.key)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// interleaved runs Inspect and its jwe.Decrypt twin in turn, in alternating
// order, and reports each one's time per operation and their ratio: on a
// machine whose load changes (a shared CI runner), the two then see the
// same load, which separate benchmarks do not.
func interleaved(b *testing.B, tok string, src Source, alg jwa.KeyEncryptionAlgorithm, key any) {
	var ours, twin time.Duration
	raw := []byte(tok)
	n := 0
	for b.Loop() {
		for k := range 2 {
			start := time.Now()
			if (n+k)%2 == 0 {
				if r, err := Inspect(tok, src, Options{}); err != nil || !r.Decrypted {
					b.Fatal(err)
				}
				ours += time.Since(start)
			} else {
				if _, err := jwxjwe.Decrypt(raw, jwxjwe.WithKey(alg, key)); err != nil {
					b.Fatal(err)
				}
				twin += time.Since(start)
			}
		}
		n++
	}
	b.ReportMetric(float64(ours.Nanoseconds())/float64(n), "inspect-ns/op")
	b.ReportMetric(float64(twin.Nanoseconds())/float64(n), "jwx-ns/op")
	b.ReportMetric(float64(ours)/float64(twin), "ratio")
}

// BenchmarkInspectSteps times Inspect's own steps for a dir token (what
// BenchmarkDecrypt's Inspect adds to jwe.Decrypt), and one decryption.
func BenchmarkInspectSteps(b *testing.B) {
	secret := secretOf(32, 5)
	tok := jwxEncrypt(b, []byte(benchClaims), "dir", "A256GCM", secret, map[string]any{"kid": "k1"})
	c, _ := splitCompact(tok)
	h, _ := parseHeader(c.rawHeader)
	b.Run("split", func(b *testing.B) {
		for b.Loop() {
			splitCompact(tok)
		}
	})
	b.Run("parseHeader", func(b *testing.B) {
		for b.Loop() {
			parseHeader(c.rawHeader)
		}
	})
	b.Run("refusal", func(b *testing.B) {
		for b.Loop() {
			headerRefusal(h, c, Options{})
		}
	})
	b.Run("render", func(b *testing.B) {
		for b.Loop() {
			render([]byte(benchClaims))
		}
	})
	b.Run("inner", func(b *testing.B) {
		for b.Loop() {
			innerToken([]byte(benchClaims))
		}
	})
	e := &entry{kty: "oct", raw: secret, private: true, id: "secret"}
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			open(c, h, e)
		}
	})
}
