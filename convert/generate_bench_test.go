package convert

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
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
	others := []struct {
		spec Spec
		bare func() error
	}{
		{Spec{Kty: KtyEC, Crv: CrvP384}, func() error { _, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader); return err }},
		{Spec{Kty: KtyEC, Crv: CrvP521}, func() error { _, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader); return err }},
		{Spec{Kty: KtyEC, Crv: CrvSecp256k1}, func() error {
			k, err := secp256k1.GeneratePrivateKey()
			if err == nil {
				_ = k.PubKey().SerializeUncompressed()
			}
			return err
		}},
		{Spec{Kty: KtyOKP, Crv: CrvEd25519}, func() error { _, _, err := ed25519.GenerateKey(rand.Reader); return err }},
		{Spec{Kty: KtyOKP, Crv: CrvX25519, Use: UseEnc}, func() error { _, err := ecdh.X25519().GenerateKey(rand.Reader); return err }},
		{Spec{Kty: KtyOct, Size: 512}, func() error { _, err := rand.Read(make([]byte, 64)); return err }},
	}
	for _, o := range others {
		name := o.spec.Kty + "-" + o.spec.Crv
		if o.spec.Size != 0 {
			name = fmt.Sprintf("%s-%d", o.spec.Kty, o.spec.Size)
		}
		b.Run(name+"/engine", func(b *testing.B) {
			for b.Loop() {
				if _, err := Generate(o.spec); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/stdlib", func(b *testing.B) {
			for b.Loop() {
				if err := o.bare(); err != nil {
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
