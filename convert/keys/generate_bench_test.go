package keys

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/google/uuid"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

// Key generation through the engine, next to the bare standard-library call
// (…/stdlib: the target is generation within noise of it) and, for the keys
// that take microseconds, next to a bare jwx twin making the same JWK
// (…/jwx: jwk.Import, use, alg, RFC 7638 kid, public half), which shows
// what the JWK itself costs and what our layer adds on top. RSA timings vary
// a lot per run (prime search): run with -count=10 or more and compare medians.
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
	others := []struct {
		spec Spec
		raw  func() (any, error)
		alg  string
	}{
		{Spec{Kty: KtyEC, Crv: CrvP256}, func() (any, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) }, "ES256"},
		{Spec{Kty: KtyEC, Crv: CrvP384}, func() (any, error) { return ecdsa.GenerateKey(elliptic.P384(), rand.Reader) }, "ES384"},
		{Spec{Kty: KtyEC, Crv: CrvP521}, func() (any, error) { return ecdsa.GenerateKey(elliptic.P521(), rand.Reader) }, "ES512"},
		{Spec{Kty: KtyEC, Crv: CrvSecp256k1}, func() (any, error) {
			k, err := secp256k1.GeneratePrivateKey()
			if err != nil {
				return nil, err
			}
			return k.ToECDSA(), nil
		}, "ES256K"},
		{Spec{Kty: KtyOKP, Crv: CrvEd25519}, func() (any, error) { _, k, err := ed25519.GenerateKey(rand.Reader); return k, err }, "EdDSA"},
		{Spec{Kty: KtyOKP, Crv: CrvX25519, Use: UseEnc}, func() (any, error) { return ecdh.X25519().GenerateKey(rand.Reader) }, "ECDH-ES"},
		{Spec{Kty: KtyOct, Size: 512}, func() (any, error) { k := make([]byte, 64); _, err := rand.Read(k); return k, err }, "HS512"},
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
				if _, err := o.raw(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/jwx", func(b *testing.B) {
			for b.Loop() {
				if err := bareJWK(o.raw, o.spec.Use, o.alg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// bareJWK is the bare jwx twin of Generate with its defaults: the raw key
// imported, use and alg set, the RFC 7638 thumbprint as kid (a random UUID
// for a secret) and the public half derived.
func bareJWK(gen func() (any, error), use, alg string) error {
	raw, err := gen()
	if err != nil {
		return err
	}
	key, err := jwk.Import(raw)
	if err != nil {
		return err
	}
	if use == "" {
		use = UseSig
	}
	if err := key.Set(jwk.KeyUsageKey, use); err != nil {
		return err
	}
	if err := key.Set(jwk.AlgorithmKey, alg); err != nil {
		return err
	}
	if _, secret := raw.([]byte); secret {
		return key.Set(jwk.KeyIDKey, uuid.NewString())
	}
	sum, err := key.Thumbprint(crypto.SHA256)
	if err != nil {
		return err
	}
	if err := key.Set(jwk.KeyIDKey, base64.RawURLEncoding.EncodeToString(sum)); err != nil {
		return err
	}
	_, err = key.PublicKey()
	return err
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
