package keys

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
)

// Thumbprint is an RFC 7638 JWK thumbprint: the base64url SHA-256 value and
// the canonical JSON that was hashed.
type Thumbprint struct {
	Value     string `json:"thumbprint"`
	Canonical string `json:"canonical_json"`
	Hash      string `json:"hash"`
}

// ErrSecretThumbprint refuses the RFC 7638 thumbprint of an oct key: its
// canonical JSON is {"k":…,"kty":"oct"}, the secret itself, and its hash is
// derived from the secret alone (a short secret falls to a dictionary). The
// engine never computes one for display, whoever asks (DESIGN.md).
var ErrSecretThumbprint = errors.New("an oct key is a shared secret: its RFC 7638 thumbprint is a hash of the secret and its canonical JSON is the secret itself, so neither is computed for display; give it a kid that is not derived from the secret (uuid, date or your own)")

// ThumbprintOf returns just the base64url RFC 7638 SHA-256 thumbprint, as jwx
// computes it: the fast path for dedupe and lookups. An oct key gets
// ErrSecretThumbprint.
func ThumbprintOf(key jwk.Key) (tp string, err error) {
	defer recovery.Into(&err, "computing a thumbprint")
	if _, isOct := key.(jwk.SymmetricKey); isOct {
		return "", ErrSecretThumbprint
	}
	sum, err := key.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("failed to compute the thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}

// ComputeThumbprint returns the RFC 7638 SHA-256 thumbprint of a key, computed
// by jwx, together with the canonical JSON it hashed. The canonical JSON is
// rebuilt from the key's required members (minimal RSA integers, EC
// coordinates padded to the curve size) and checked against jwx's value. An
// oct key gets ErrSecretThumbprint: the canonical JSON would be its secret.
func ComputeThumbprint(key jwk.Key) (tp Thumbprint, err error) {
	defer recovery.Into(&err, "computing a thumbprint")
	if _, isOct := key.(jwk.SymmetricKey); isOct {
		return tp, ErrSecretThumbprint
	}
	sum, err := key.Thumbprint(crypto.SHA256)
	if err != nil {
		return tp, fmt.Errorf("failed to compute the thumbprint: %w", err)
	}
	tp = Thumbprint{Value: base64.RawURLEncoding.EncodeToString(sum), Hash: "SHA-256"}
	members, err := canonicalMembers(key)
	if err != nil {
		return tp, err
	}
	// encoding/json sorts map keys and writes no whitespace: exactly RFC 7638 §3.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(members); err != nil {
		return tp, fmt.Errorf("failed to encode the canonical JSON: %w", err)
	}
	tp.Canonical = string(bytes.TrimSpace(buf.Bytes()))
	h := crypto.SHA256.New()
	h.Write([]byte(tp.Canonical))
	if got := base64.RawURLEncoding.EncodeToString(h.Sum(nil)); got != tp.Value {
		return tp, fmt.Errorf("internal error: canonical JSON %s hashes to %s, jwx says %s", tp.Canonical, got, tp.Value)
	}
	return tp, nil
}

func canonicalMembers(key jwk.Key) (map[string]string, error) {
	b64 := base64.RawURLEncoding.EncodeToString
	switch key.(type) {
	case jwk.RSAPublicKey, jwk.RSAPrivateKey:
		var pub rsa.PublicKey
		if err := exportPublic(key, &pub); err != nil {
			return nil, err
		}
		return map[string]string{"kty": "RSA", "n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes())}, nil
	case jwk.ECDSAPublicKey, jwk.ECDSAPrivateKey:
		crv, _ := CurveOf(key)
		size := curveBytes(crv)
		if size == 0 {
			return nil, fmt.Errorf("unknown EC curve %q", crv)
		}
		var x, y []byte
		if err := key.Get("x", &x); err != nil {
			return nil, fmt.Errorf(`EC key without "x": %w`, err)
		}
		if err := key.Get("y", &y); err != nil {
			return nil, fmt.Errorf(`EC key without "y": %w`, err)
		}
		return map[string]string{"kty": "EC", "crv": crv, "x": b64(fixedSize(x, size)), "y": b64(fixedSize(y, size))}, nil
	case jwk.OKPPublicKey, jwk.OKPPrivateKey:
		var x []byte
		if err := key.Get("x", &x); err != nil {
			return nil, fmt.Errorf(`OKP key without "x": %w`, err)
		}
		crv, _ := CurveOf(key)
		return map[string]string{"kty": "OKP", "crv": crv, "x": b64(x)}, nil
	case jwk.SymmetricKey:
		return nil, ErrSecretThumbprint
	}
	return nil, fmt.Errorf("no thumbprint for key type %s", key.KeyType())
}

// curveBytes is the size in bytes of a curve's field elements.
func curveBytes(crv string) int {
	return map[string]int{CrvP256: 32, CrvP384: 48, CrvP521: 66, CrvSecp256k1: 32}[crv]
}

// fixedSize left-pads (or strips leading zeros from) a big-endian integer to
// size bytes, as RFC 7638 hashes EC coordinates at the curve's size.
func fixedSize(b []byte, size int) []byte {
	for len(b) > size && b[0] == 0 {
		b = b[1:]
	}
	if len(b) >= size {
		return b
	}
	return append(make([]byte, size-len(b)), b...)
}

// RSAPublicKey is the public half of an RSA key, as crypto/rsa has it.
func RSAPublicKey(key jwk.Key) (*rsa.PublicKey, error) {
	var pub rsa.PublicKey
	if err := exportPublic(key, &pub); err != nil {
		return nil, err
	}
	return &pub, nil
}

// exportPublic exports the public half of a key into dst (*rsa.PublicKey or
// *ecdsa.PublicKey).
func exportPublic(key jwk.Key, dst any) error {
	pub, err := key.PublicKey()
	if err != nil {
		return fmt.Errorf("failed to get the public key: %w", err)
	}
	if err := jwk.Export(pub, dst); err != nil {
		return fmt.Errorf("failed to export the public key: %w", err)
	}
	return nil
}

// CurveOf returns a key's "crv" member as text, if it has one.
func CurveOf(key jwk.Key) (string, bool) {
	if k, ok := key.(interface {
		Crv() (jwa.EllipticCurveAlgorithm, bool)
	}); ok {
		if crv, ok := k.Crv(); ok {
			return crv.String(), true
		}
	}
	return "", false
}
