package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // x5t is SHA-1 by definition
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/cert"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
)

// Each engine benchmark has a twin doing the same work with bare jwx and
// standard-library calls (…/bare): scripts/bench.sh prints their ratio.

func benchFixture(b *testing.B, name string) []byte {
	b.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "parse", name))
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

func BenchmarkPEMToJWK(b *testing.B) {
	flavours := []struct {
		file string
		bare func([]byte) (any, error)
		more func(jwk.Key, []byte) error // members the engine also sets
	}{
		{"rsa-pkcs1.pem", func(d []byte) (any, error) { return x509.ParsePKCS1PrivateKey(d) }, nil},
		{"rsa-pkcs8.pem", func(d []byte) (any, error) { return x509.ParsePKCS8PrivateKey(d) }, nil},
		{"rsa-spki.pem", func(d []byte) (any, error) { return x509.ParsePKIXPublicKey(d) }, nil},
		{"ec-p384-pkcs8.pem", func(d []byte) (any, error) { return x509.ParsePKCS8PrivateKey(d) }, nil},
		{"ec-p521-sec1.pem", func(d []byte) (any, error) { return x509.ParseECPrivateKey(d) }, nil},
		{"ed25519-pkcs8.pem", func(d []byte) (any, error) { return x509.ParsePKCS8PrivateKey(d) }, nil},
		{"x25519-spki.pem", func(d []byte) (any, error) { return x509.ParsePKIXPublicKey(d) }, nil},
		{"leaf.pem", func(d []byte) (any, error) {
			c, err := x509.ParseCertificate(d)
			if err != nil {
				return nil, err
			}
			return c.PublicKey, nil
		}, bareCertMembers},
	}
	for _, f := range flavours {
		in := benchFixture(b, f.file)
		b.Run(f.file+"/engine", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(in, ParseOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(f.file+"/bare", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				block, _ := pem.Decode(in)
				raw, err := f.bare(block.Bytes)
				if err != nil {
					b.Fatal(err)
				}
				key, err := jwk.Import(raw)
				if err != nil {
					b.Fatal(err)
				}
				if f.more != nil {
					if err := f.more(key, block.Bytes); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// bareCertMembers sets what a JWK made from a certificate carries besides
// the key, with bare jwx and standard-library calls: x5c (through
// jwx's cert.Chain, which validates each entry), x5t and x5t#S256.
func bareCertMembers(key jwk.Key, der []byte) error {
	var chain cert.Chain
	if err := chain.Add([]byte(base64.StdEncoding.EncodeToString(der))); err != nil {
		return err
	}
	s1 := sha1.Sum(der) //nolint:gosec // x5t is SHA-1 by definition
	s256 := sha256.Sum256(der)
	if err := key.Set(jwk.X509CertChainKey, &chain); err != nil {
		return err
	}
	if err := key.Set(jwk.X509CertThumbprintKey, base64.RawURLEncoding.EncodeToString(s1[:])); err != nil {
		return err
	}
	return key.Set(jwk.X509CertThumbprintS256Key, base64.RawURLEncoding.EncodeToString(s256[:]))
}

func BenchmarkJWKToPEM(b *testing.B) {
	g, err := Generate(Spec{Kty: KtyEC, Crv: CrvP256})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("ec-pkcs8/engine", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ExportPEM(g.Private, PEMPKCS8, false); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ec-pkcs8/bare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var raw ecdsa.PrivateKey
			if err := jwk.Export(g.Private, &raw); err != nil {
				b.Fatal(err)
			}
			der, err := x509.MarshalPKCS8PrivateKey(&raw)
			if err != nil {
				b.Fatal(err)
			}
			_ = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
		}
	})
}

func BenchmarkThumbprintVsJWX(b *testing.B) {
	g, err := Generate(Spec{Kty: KtyRSA})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("rsa/engine", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ThumbprintOf(g.Public); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("rsa/bare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sum, err := g.Public.Thumbprint(crypto.SHA256)
			if err != nil {
				b.Fatal(err)
			}
			_ = base64.RawURLEncoding.EncodeToString(sum) // a kid is the base64url form
		}
	})
}

// certBundle is ~1 MiB of PEM: 500 certificates (one EC key, padded SANs).
func certBundle(b *testing.B) []byte {
	b.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	for i := range 500 {
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(int64(i + 1)),
			Subject:      pkix.Name{CommonName: fmt.Sprintf("service-%03d.example.com", i)},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(24 * time.Hour),
		}
		for j := range 28 {
			tmpl.DNSNames = append(tmpl.DNSNames, fmt.Sprintf("replica-%02d.service-%03d.region.example.com", j, i))
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			b.Fatal(err)
		}
		_ = pem.Encode(&buf, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	if buf.Len() > input.MaxKeyInput {
		return buf.Bytes()[:bytes.LastIndex(buf.Bytes()[:input.MaxKeyInput], []byte("-----BEGIN"))]
	}
	return buf.Bytes()
}

func BenchmarkCertBundle1MiB(b *testing.B) {
	in := certBundle(b)
	b.Logf("bundle: %d bytes, %d certificates", len(in), bytes.Count(in, []byte("BEGIN CERTIFICATE")))
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			res, err := Parse(in, ParseOptions{})
			if err != nil || len(res.Items) == 0 {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rest := in
			for {
				block, r := pem.Decode(rest)
				if block == nil {
					break
				}
				rest = r
				c, err := x509.ParseCertificate(block.Bytes)
				if err != nil {
					b.Fatal(err)
				}
				key, err := jwk.Import(c.PublicKey)
				if err != nil {
					b.Fatal(err)
				}
				if err := bareCertMembers(key, block.Bytes); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
