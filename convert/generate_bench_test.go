package convert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"testing"
)

// Key generation through the engine, next to the bare standard-library call
// doing the same work: the engine's overhead is the jwk.Import, the member
// setting and the thumbprint. RSA timings vary a lot per run (prime search):
// run with -count=10 or more and compare medians (benchstat).
func BenchmarkGenerate(b *testing.B) {
	for _, size := range RSASizes {
		b.Run(fmt.Sprintf("RSA-%d/engine", size), func(b *testing.B) {
			for b.Loop() {
				if _, err := Generate(Spec{Kty: KtyRSA, Size: size}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("RSA-%d/stdlib", size), func(b *testing.B) {
			for b.Loop() {
				if _, err := rsa.GenerateKey(rand.Reader, size); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("EC-P256/engine", func(b *testing.B) {
		for b.Loop() {
			if _, err := Generate(Spec{Kty: KtyEC, Crv: CrvP256}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("EC-P256/stdlib", func(b *testing.B) {
		for b.Loop() {
			if _, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, spec := range []Spec{{Kty: KtyEC, Crv: CrvP384}, {Kty: KtyEC, Crv: CrvP521}, {Kty: KtyEC, Crv: CrvSecp256k1},
		{Kty: KtyOKP, Crv: CrvEd25519}, {Kty: KtyOKP, Crv: CrvX25519, Use: UseEnc}, {Kty: KtyOct, Size: 512}} {
		b.Run(spec.Kty+"-"+spec.Crv+fmt.Sprint(spec.Size)+"/engine", func(b *testing.B) {
			for b.Loop() {
				if _, err := Generate(spec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkThumbprint(b *testing.B) {
	g, err := Generate(Spec{Kty: KtyRSA})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ComputeThumbprint(g.Public); err != nil {
			b.Fatal(err)
		}
	}
}
