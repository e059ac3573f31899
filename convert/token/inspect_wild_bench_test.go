package token

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"math/big"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// hostileRSA is a public key of the given size and exponent: a random odd
// modulus (no private key exists; the verification work is the same).
func hostileRSA(tb testing.TB, bits, e int, kid string) jwk.Key {
	tb.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), uint(bits)))
	if err != nil {
		tb.Fatal(err)
	}
	n.SetBit(n, bits-1, 1)
	n.SetBit(n, 0, 1)
	k, err := jwk.Import(&rsa.PublicKey{N: n, E: e})
	if err != nil {
		tb.Fatal(err)
	}
	if kid != "" {
		_ = k.Set(jwk.KeyIDKey, kid)
	}
	return k
}

// sharedKidP521 is n different P-521 public keys that all carry kid "k".
func sharedKidP521(tb testing.TB, n int) []jwk.Key {
	tb.Helper()
	keys := make([]jwk.Key, n)
	for i := range keys {
		raw, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
		if err != nil {
			tb.Fatal(err)
		}
		k, err := jwk.Import(&raw.PublicKey)
		if err != nil {
			tb.Fatal(err)
		}
		_ = k.Set(jwk.KeyIDKey, "k")
		keys[i] = k
	}
	return keys
}

// BenchmarkInspectHostileSets is issue 22.7's verification work: sets built
// so that a verifier that checks every candidate works for seconds. One
// inspection on a 2-core machine, before the bounds → after: 4,424 P-521
// keys sharing a kid 19.6 s → 0.7 s (50 checks, the work budget); 95
// RSA-65536 keys, kid-less token 8.6 s → 6 ms (refused by size); 95
// RSA-16384 keys with e = 2^31-1 0.74 s → 62 ms (8 checks).
func BenchmarkInspectHostileSets(b *testing.B) {
	opts := InspectOptions{Now: inspectNow, Skew: DefaultSkew}
	run := func(b *testing.B, tok string, src KeySource) {
		src.index()
		b.ResetTimer()
		for b.Loop() {
			r, err := Inspect(tok, src, opts)
			if err != nil || r.Verified {
				b.Fatalf("%v %+v", err, r)
			}
		}
	}
	b.Run("P521-4424-keys-one-kid", func(b *testing.B) {
		shared := sharedKidP521(b, 4424)
		g, err := keys.Generate(keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP521})
		if err != nil {
			b.Fatal(err)
		}
		run(b, sign(b, g.Private, `{"sub":"x"}`, "k"), NewKeySource("hostile", shared))
	})
	b.Run("RSA65536-e2^31-1-95-keys-no-kid", func(b *testing.B) {
		keys := make([]jwk.Key, 95)
		for i := range keys {
			keys[i] = hostileRSA(b, 65536, 1<<31-1, fmt.Sprintf("r%d", i))
		}
		run(b, sign(b, testRSA(b), `{"sub":"x"}`, ""), NewKeySource("hostile", keys))
	})
	b.Run("RSA16384-e2^31-1-95-keys-no-kid", func(b *testing.B) {
		keys := make([]jwk.Key, 95)
		for i := range keys {
			keys[i] = hostileRSA(b, 16384, 1<<31-1, fmt.Sprintf("r%d", i))
		}
		run(b, sign(b, testRSA(b), `{"sub":"x"}`, ""), NewKeySource("hostile", keys))
	})
}
