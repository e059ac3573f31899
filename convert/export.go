package convert

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// ErrNoPublicForm is returned when a public form of an oct secret is asked
// for: a secret has no public half and is never published.
var ErrNoPublicForm = errors.New("an oct key is a shared secret: it has no public form and must never be published")

// IsPrivate reports whether a key holds private (or secret) material.
func IsPrivate(key jwk.Key) bool {
	if _, ok := key.(jwk.SymmetricKey); ok {
		return true
	}
	priv, err := jwk.IsPrivateKey(key)
	return err == nil && priv
}

// PublicOf returns the public half of a key (the key itself when it is
// already public). oct secrets have none: ErrNoPublicForm.
func PublicOf(key jwk.Key) (jwk.Key, error) {
	if _, ok := key.(jwk.SymmetricKey); ok {
		return nil, ErrNoPublicForm
	}
	pub, err := key.PublicKey()
	if err != nil {
		return nil, fmt.Errorf("failed to derive the public key: %w", err)
	}
	return pub, nil
}

// MarshalJWK writes a key as pretty JSON, members as jwx writes them.
func MarshalJWK(key jwk.Key) ([]byte, error) {
	raw, err := json.Marshal(key)
	if err != nil {
		return nil, fmt.Errorf("failed to encode the JWK: %w", err)
	}
	return indent(raw)
}

// MarshalPublicJWK writes the public half of a key as pretty JSON.
func MarshalPublicJWK(key jwk.Key) ([]byte, error) {
	pub, err := PublicOf(key)
	if err != nil {
		return nil, err
	}
	return MarshalJWK(pub)
}

// MarshalPublicJWKS writes the public halves of keys as a pretty JWKS
// ({"keys": [...]}) in the order given. oct keys are refused.
func MarshalPublicJWKS(keys ...jwk.Key) ([]byte, error) {
	set := jwk.NewSet()
	for i, k := range keys {
		pub, err := PublicOf(k)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		if err := set.AddKey(pub); err != nil {
			return nil, fmt.Errorf("key %d: failed to add to the set: %w", i+1, err)
		}
	}
	raw, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("failed to encode the JWKS: %w", err)
	}
	return indent(raw)
}

func indent(raw []byte) ([]byte, error) {
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return nil, fmt.Errorf("failed to indent JSON: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// PEMFormat names a PEM flavour explicitly; JWK Desk never picks one silently.
type PEMFormat string

// The PEM flavours. PKCS#1 exists for RSA public and private keys, SEC1 for
// EC private keys only; SPKI is public, PKCS#8 private.
const (
	PEMSPKI  PEMFormat = "spki"
	PEMPKCS1 PEMFormat = "pkcs1"
	PEMPKCS8 PEMFormat = "pkcs8"
	PEMSEC1  PEMFormat = "sec1"
)

// PEMOutput is an exported PEM block with the name of its flavour.
type PEMOutput struct {
	Format PEMFormat
	Public bool
	Label  string // e.g. "PKCS#8 private key (BEGIN PRIVATE KEY)"
	PEM    []byte
}

// PEMFormatsFor lists the PEM flavours that exist for a key, public or
// private, the default first.
func PEMFormatsFor(key jwk.Key, public bool) []PEMFormat {
	_, isRSA := key.(jwk.RSAPublicKey)
	if _, ok := key.(jwk.RSAPrivateKey); ok {
		isRSA = true
	}
	_, isEC := key.(jwk.ECDSAPrivateKey)
	switch {
	case public && isRSA:
		return []PEMFormat{PEMSPKI, PEMPKCS1}
	case public:
		if _, ok := key.(jwk.SymmetricKey); ok {
			return nil
		}
		return []PEMFormat{PEMSPKI}
	case !IsPrivate(key):
		return nil
	case isRSA:
		return []PEMFormat{PEMPKCS8, PEMPKCS1}
	case isEC:
		return []PEMFormat{PEMPKCS8, PEMSEC1}
	}
	if _, ok := key.(jwk.SymmetricKey); ok {
		return nil
	}
	return []PEMFormat{PEMPKCS8}
}

// ExportPEM writes a key as PEM in the given flavour, built with crypto/x509
// (and encoding/asn1 for secp256k1, which crypto/x509 does not know).
// public selects the public half of a private key.
func ExportPEM(key jwk.Key, format PEMFormat, public bool) (out *PEMOutput, err error) {
	defer recoverInto(&err, "writing PEM")
	if _, ok := key.(jwk.SymmetricKey); ok {
		return nil, errors.New("an oct secret has no PEM form: copy it as a JWK instead")
	}
	if !public && !IsPrivate(key) {
		return nil, errors.New("this is a public key: only public PEM forms (SPKI, PKCS#1 for RSA) exist")
	}
	if crv, _ := curveOf(key); crv == CrvSecp256k1 {
		return secp256k1PEM(key, format, public)
	}
	var raw any
	if public {
		pub, err := PublicOf(key)
		if err != nil {
			return nil, err
		}
		key = pub
	}
	if err := jwk.Export(key, &raw); err != nil {
		return nil, fmt.Errorf("failed to export the key: %w", err)
	}
	return stdlibPEM(raw, format, public)
}

func stdlibPEM(raw any, format PEMFormat, public bool) (*PEMOutput, error) {
	out := &PEMOutput{Format: format, Public: public}
	var der []byte
	var typ string
	var err error
	switch {
	case public && format == PEMSPKI:
		typ, out.Label = "PUBLIC KEY", "SPKI public key (BEGIN PUBLIC KEY)"
		der, err = marshalPKIX(raw)
	case public && format == PEMPKCS1:
		pub, ok := raw.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("PKCS#1 exists for RSA keys only: choose SPKI")
		}
		typ, out.Label = "RSA PUBLIC KEY", "PKCS#1 RSA public key (BEGIN RSA PUBLIC KEY)"
		der = x509.MarshalPKCS1PublicKey(pub)
	case !public && format == PEMPKCS8:
		typ, out.Label = "PRIVATE KEY", "PKCS#8 private key (BEGIN PRIVATE KEY)"
		der, err = x509.MarshalPKCS8PrivateKey(raw)
	case !public && format == PEMPKCS1:
		priv, ok := raw.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("PKCS#1 exists for RSA keys only: choose PKCS#8")
		}
		typ, out.Label = "RSA PRIVATE KEY", "PKCS#1 RSA private key (BEGIN RSA PRIVATE KEY)"
		der = x509.MarshalPKCS1PrivateKey(priv)
	case !public && format == PEMSEC1:
		priv, ok := raw.(*ecdsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("SEC1 exists for EC keys only: choose PKCS#8")
		}
		typ, out.Label = "EC PRIVATE KEY", "SEC1 EC private key (BEGIN EC PRIVATE KEY)"
		der, err = x509.MarshalECPrivateKey(priv)
	default:
		return nil, fmt.Errorf("no %s PEM flavour for a %s key: %s", format, publicWord(public), formatsHint(public))
	}
	if err != nil {
		return nil, fmt.Errorf("failed to encode %s: %w", out.Label, err)
	}
	out.PEM = pemEncode(typ, der)
	return out, nil
}

func marshalPKIX(raw any) ([]byte, error) {
	switch raw.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey, *ecdh.PublicKey:
		return x509.MarshalPKIXPublicKey(raw)
	}
	return nil, fmt.Errorf("unsupported public key type %T", raw)
}

func publicWord(public bool) string {
	if public {
		return "public"
	}
	return "private"
}

func formatsHint(public bool) string {
	if public {
		return "public keys are written as SPKI, or PKCS#1 for RSA"
	}
	return "private keys are written as PKCS#8, PKCS#1 (RSA) or SEC1 (EC)"
}

func pemEncode(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}
