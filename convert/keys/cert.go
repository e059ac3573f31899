package keys

import (
	"crypto"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // x5t is defined as a SHA-1 digest (RFC 7517 §4.8)
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"time"

	"github.com/lestrrat-go/jwx/v3/cert"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

// attachSelfSignedCert makes a self-signed certificate for a signing key and
// embeds it in the JWK as x5c, with x5t#S256 (and the legacy x5t).
func attachSelfSignedCert(key jwk.Key, raw any, spec CertSpec, now time.Time) error {
	signer, ok := raw.(crypto.Signer)
	if !ok {
		return fmt.Errorf("a certificate needs a private signing key")
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return fmt.Errorf("failed to make a certificate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial.Add(serial, big.NewInt(1)), // positive, never zero
		Subject:               pkix.Name{CommonName: spec.CommonName},
		NotBefore:             now.Add(-time.Minute).UTC(),
		NotAfter:              now.Add(time.Duration(spec.Days) * 24 * time.Hour).UTC(),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, signer.Public(), signer)
	if err != nil {
		return fmt.Errorf("failed to create the self-signed certificate: %w", err)
	}
	var chain cert.Chain
	if err := chain.Add([]byte(base64.StdEncoding.EncodeToString(der))); err != nil {
		return fmt.Errorf("failed to build x5c: %w", err)
	}
	if err := key.Set(jwk.X509CertChainKey, &chain); err != nil {
		return fmt.Errorf("failed to set x5c: %w", err)
	}
	s256 := sha256.Sum256(der)
	if err := key.Set(jwk.X509CertThumbprintS256Key, base64.RawURLEncoding.EncodeToString(s256[:])); err != nil {
		return fmt.Errorf("failed to set x5t#S256: %w", err)
	}
	s1 := sha1.Sum(der) //nolint:gosec // see import
	if err := key.Set(jwk.X509CertThumbprintKey, base64.RawURLEncoding.EncodeToString(s1[:])); err != nil {
		return fmt.Errorf("failed to set x5t: %w", err)
	}
	return nil
}

// CertificatePEM returns the leaf certificate of a key's x5c as PEM, or nil
// when the key carries no certificate.
func CertificatePEM(key jwk.Key) ([]byte, error) {
	chain, ok := key.X509CertChain()
	if !ok || chain.Len() == 0 {
		return nil, nil
	}
	b64, _ := chain.Get(0)
	der, err := base64.StdEncoding.DecodeString(string(b64))
	if err != nil {
		return nil, fmt.Errorf("failed to decode x5c[0]: %w", err)
	}
	return pemEncode("CERTIFICATE", der), nil
}

// CertificateOf is the first certificate of a key's x5c (false when the key has
// none, or it cannot be read: the lint says so).
func CertificateOf(key jwk.Key) (*x509.Certificate, bool) {
	chain, ok := key.X509CertChain()
	if !ok || chain.Len() == 0 {
		return nil, false
	}
	b64, _ := chain.Get(0)
	der, err := base64.StdEncoding.DecodeString(string(b64))
	if err != nil {
		return nil, false
	}
	c, err := x509.ParseCertificate(der)
	return c, err == nil
}

// CertificateHoldsKey reports whether a certificate holds the key's public key (RFC
// 7517 §4.7). The one check of this rule: the lint and the verdict use it.
func CertificateHoldsKey(c *x509.Certificate, key jwk.Key) bool {
	var pub any
	pk, err := PublicOf(key) // not key.PublicKey(): it fails on a member set to null
	if err == nil {
		err = jwk.Export(pk, &pub)
	}
	certPub, ok := c.PublicKey.(publicKeyEqual)
	return err == nil && ok && certPub.Equal(pub)
}
