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
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/google/uuid"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
)

// KidStrategy is how a generated key gets its "kid".
type KidStrategy string

// The kid strategies.
const (
	KidThumbprint KidStrategy = "thumbprint" // RFC 7638 SHA-256 thumbprint (default for asymmetric keys)
	KidUUID       KidStrategy = "uuid"       // random UUID (default for oct keys)
	KidDate       KidStrategy = "date"       // 2026-11-22-<8 chars of thumbprint>
	KidCustom     KidStrategy = "custom"     // Spec.CustomKid, as typed
)

// KidStrategies lists the kid strategies in the order the UI offers them.
func KidStrategies() []KidStrategy {
	return []KidStrategy{KidThumbprint, KidUUID, KidDate, KidCustom}
}

// CertSpec asks for a self-signed X.509 certificate embedded as x5c.
type CertSpec struct {
	CommonName string
	Days       int
}

// Spec describes a key to generate. Zero values take sane defaults:
// use sig, the first alg that fits, the thumbprint kid (UUID for oct).
type Spec struct {
	Kty         string
	Size        int    // RSA modulus bits; oct secret bits (or derived from Alg)
	Crv         string // EC and OKP curves
	Use         string
	Alg         string
	KidStrategy KidStrategy // how the kid is made: KidThumbprint when empty (KidUUID for oct)
	CustomKid   string
	Cert        *CertSpec
	// Now is the clock for date-stamped kids and certificates (time.Now when nil).
	Now func() time.Time
}

// Generated is the result of Generate: the private key with its members set,
// its public half, and its RFC 7638 thumbprint. Thumbprint.Canonical is left
// empty: the canonical JSON is for showing, and ComputeThumbprint builds it
// when it is shown (~20% of generating an EC or OKP key).
type Generated struct {
	Private    jwk.Key
	Public     jwk.Key // nil for oct keys: a secret has no public half
	Thumbprint Thumbprint
}

// Normalize fills the defaults of a spec and checks that its parts fit
// together; the error says what to change.
func (s Spec) Normalize() (Spec, error) {
	if s.Use == "" {
		s.Use = UseSig
	}
	for _, step := range []func() error{s.normalizeShape, s.normalizeAlg, s.normalizeKid, s.checkCert} {
		if err := step(); err != nil {
			return s, err
		}
	}
	return s, nil
}

// normalizeShape fills the size or curve of the key type and refuses an RSA
// size that is not offered.
func (s *Spec) normalizeShape() error {
	switch s.Kty {
	case KtyRSA:
		s.Crv = ""
		if s.Size == 0 {
			s.Size = 2048
		}
		if s.Size < 2048 {
			return fmt.Errorf("RSA keys under 2048 bits are refused (RFC 7518 §3.3): choose 2048, 3072 or 4096")
		}
		if !slices.Contains(RSASizes, s.Size) {
			return fmt.Errorf("RSA size %d is not offered: choose 2048, 3072 or 4096", s.Size)
		}
	case KtyEC, KtyOKP:
		s.Size = 0
		if s.Crv == "" {
			s.Crv = defaultCurve(s.Kty, s.Use)
		}
	case KtyOct:
		s.Crv = ""
		if s.Alg != "" && s.Size == 0 {
			s.Size = octSizeForAlg(s.Alg)
		}
		if s.Size == 0 {
			s.Size = 256
		}
	}
	return checkCombination(s.Kty, s.Crv, s.Use)
}

// defaultCurve is the curve of an EC or OKP key given none.
func defaultCurve(kty, use string) string {
	switch {
	case kty == KtyEC:
		return CrvP256
	case use == UseEnc:
		return CrvX25519
	}
	return CrvEd25519
}

// normalizeAlg sets the default alg, or refuses one that does not fit.
func (s *Spec) normalizeAlg() error {
	algs := AlgsFor(s.Kty, s.Crv, s.Use, s.Size)
	switch {
	case len(algs) == 0:
		return fmt.Errorf("no algorithm fits a %d-bit oct secret for use %s: choose %s", s.Size, s.Use, sizesHint(s.Use))
	case s.Alg == "":
		s.Alg = algs[0]
	case !slices.Contains(algs, s.Alg):
		return AlgMisfit(s.Kty, s.Crv, s.Size, s.Use, s.Alg)
	}
	return nil
}

// normalizeKid sets the default kid strategy and checks the chosen one: no
// thumbprint of a secret, a custom kid that is one.
func (s *Spec) normalizeKid() error {
	if s.KidStrategy == "" {
		s.KidStrategy = KidThumbprint
		if s.Kty == KtyOct {
			s.KidStrategy = KidUUID
		}
	}
	switch s.KidStrategy {
	case KidThumbprint:
		if s.Kty == KtyOct {
			return fmt.Errorf("a thumbprint kid would publish a hash of the secret: choose uuid, date or custom for oct keys")
		}
	case KidUUID, KidDate:
	case KidCustom:
		if strings.TrimSpace(s.CustomKid) == "" {
			return fmt.Errorf("custom kid is empty: type the kid to use, or choose another kid strategy")
		}
		if err := CheckKid(strings.TrimSpace(s.CustomKid)); err != nil {
			return fmt.Errorf("custom %w", err)
		}
	default:
		return fmt.Errorf("unknown kid strategy %q: choose thumbprint, uuid, date or custom", s.KidStrategy)
	}
	return nil
}

// checkCert checks the self-signed certificate asked for, if any.
func (s *Spec) checkCert() error {
	switch {
	case s.Cert == nil:
		return nil
	case s.Use != UseSig || s.Kty == KtyOct || s.Crv == CrvSecp256k1:
		return fmt.Errorf("a self-signed certificate needs an RSA, EC P-256/P-384/P-521 or Ed25519 signing key")
	case s.Cert.Days < 1 || s.Cert.Days > 36500:
		return fmt.Errorf("certificate validity must be 1 to 36500 days, not %d", s.Cert.Days)
	case strings.TrimSpace(s.Cert.CommonName) == "":
		return fmt.Errorf("certificate subject CN is empty: type a name such as the issuer's host")
	}
	return checkCommonName(strings.TrimSpace(s.Cert.CommonName))
}

func sizesHint(use string) string {
	if use == UseEnc {
		return "128, 192 or 256 bits"
	}
	return "256, 384 or 512 bits"
}

func DescribeShape(kty, crv string, size int) string {
	switch kty {
	case KtyEC, KtyOKP:
		return kty + " " + crv
	case KtyOct:
		return fmt.Sprintf("a %d-bit oct secret", size)
	}
	return "an " + kty + " key"
}

// Generate makes a new key pair (or secret) as described by spec.
func Generate(spec Spec) (g *Generated, err error) {
	defer recovery.Into(&err, "generating a key")
	s, err := spec.Normalize()
	if err != nil {
		return nil, err
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	raw, err := newRawKey(s)
	if err != nil {
		return nil, err
	}
	key, err := jwk.Import(raw)
	if err != nil {
		return nil, fmt.Errorf("failed to import the generated key: %w", err)
	}
	if err := key.Set(jwk.KeyUsageKey, s.Use); err != nil {
		return nil, fmt.Errorf("failed to set use: %w", err)
	}
	if err := key.Set(jwk.AlgorithmKey, s.Alg); err != nil {
		return nil, fmt.Errorf("failed to set alg: %w", err)
	}
	if s.Cert != nil {
		if err := attachSelfSignedCert(key, raw, *s.Cert, now()); err != nil {
			return nil, err
		}
	}
	g = &Generated{Private: key}
	if s.Kty != KtyOct {
		tp, err := ThumbprintOf(key)
		if err != nil {
			return nil, err
		}
		g.Thumbprint = Thumbprint{Value: tp, Hash: "SHA-256"}
	}
	kid, err := makeKid(s, g.Thumbprint.Value, now())
	if err != nil {
		return nil, err
	}
	if err := key.Set(jwk.KeyIDKey, kid); err != nil {
		return nil, fmt.Errorf("failed to set kid: %w", err)
	}
	if s.Kty != KtyOct {
		if g.Public, err = key.PublicKey(); err != nil {
			return nil, fmt.Errorf("failed to derive the public key: %w", err)
		}
	}
	return g, nil
}

func newRawKey(s Spec) (any, error) {
	switch s.Kty {
	case KtyRSA:
		return rsa.GenerateKey(rand.Reader, s.Size)
	case KtyEC:
		switch s.Crv {
		case CrvP256:
			return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		case CrvP384:
			return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		case CrvP521:
			return ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
		case CrvSecp256k1:
			k, err := secp256k1.GeneratePrivateKey()
			if err != nil {
				return nil, fmt.Errorf("failed to generate a secp256k1 key: %w", err)
			}
			return k.ToECDSA(), nil
		}
	case KtyOKP:
		switch s.Crv {
		case CrvEd25519:
			_, priv, err := ed25519.GenerateKey(rand.Reader)
			return priv, err
		case CrvX25519:
			return ecdh.X25519().GenerateKey(rand.Reader)
		}
	case KtyOct:
		b := make([]byte, s.Size/8)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("failed to read random bytes: %w", err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown key type %q", s.Kty)
}

func makeKid(s Spec, thumbprint string, now time.Time) (string, error) {
	switch s.KidStrategy {
	case KidThumbprint:
		return thumbprint, nil
	case KidUUID:
		id, err := uuid.NewRandom()
		if err != nil {
			return "", fmt.Errorf("failed to make a random UUID: %w", err)
		}
		return id.String(), nil
	case KidDate:
		suffix := thumbprint
		if s.Kty == KtyOct {
			// Never derive a kid from a secret: 8 random base64url characters instead.
			b := make([]byte, 6)
			if _, err := rand.Read(b); err != nil {
				return "", fmt.Errorf("failed to read random bytes: %w", err)
			}
			suffix = base64.RawURLEncoding.EncodeToString(b)
		}
		return now.UTC().Format("2006-01-02") + "-" + suffix[:8], nil
	case KidCustom:
		return strings.TrimSpace(s.CustomKid), nil
	}
	return "", fmt.Errorf("unknown kid strategy %q", s.KidStrategy)
}

// SignerOf returns the crypto.Signer behind a private asymmetric key, for
// callers that need the standard library's view of it.
func SignerOf(key jwk.Key) (crypto.Signer, error) {
	var raw any
	if err := jwk.Export(key, &raw); err != nil {
		return nil, fmt.Errorf("failed to export the key: %w", err)
	}
	s, ok := raw.(crypto.Signer)
	if !ok {
		return nil, errors.New("this key cannot sign: it is not a private RSA, EC or Ed25519 key")
	}
	return s, nil
}
