package convert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// crypto/x509 neither writes nor reads secp256k1 keys, so their DER forms are
// built here with encoding/asn1, following RFC 5480 (SPKI), RFC 5915 (SEC1)
// and RFC 5208 (PKCS#8).

var (
	oidECPublicKey = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidSecp256k1   = asn1.ObjectIdentifier{1, 3, 132, 0, 10}
)

type algorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.ObjectIdentifier
}

type subjectPublicKeyInfo struct {
	Algorithm algorithmIdentifier
	PublicKey asn1.BitString
}

type sec1PrivateKey struct {
	Version       int
	PrivateKey    []byte
	NamedCurveOID asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	PublicKey     asn1.BitString        `asn1:"optional,explicit,tag:1"`
}

type pkcs8PrivateKey struct {
	Version    int
	Algorithm  algorithmIdentifier
	PrivateKey []byte
}

func isSecp256k1(c elliptic.Curve) bool {
	return c != nil && c.Params() != nil && c.Params().Name == secp256k1.S256().Params().Name &&
		c.Params().P.Cmp(secp256k1.S256().Params().P) == 0
}

func secp256k1Point(pub *ecdsa.PublicKey) []byte {
	b := make([]byte, 65)
	b[0] = 4
	pub.X.FillBytes(b[1:33]) //nolint:staticcheck // the point is what SPKI encodes
	pub.Y.FillBytes(b[33:])  //nolint:staticcheck
	return b
}

func secp256k1SEC1(priv *ecdsa.PrivateKey, withCurve bool) ([]byte, error) {
	k := sec1PrivateKey{
		Version:    1,
		PrivateKey: priv.D.FillBytes(make([]byte, 32)), //nolint:staticcheck // SEC1 encodes the scalar
		PublicKey:  asn1.BitString{Bytes: secp256k1Point(&priv.PublicKey), BitLength: 65 * 8},
	}
	if withCurve {
		k.NamedCurveOID = oidSecp256k1
	}
	return asn1.Marshal(k)
}

func secp256k1PEM(pub *ecdsa.PublicKey, priv *ecdsa.PrivateKey, format PEMFormat, public bool) (*PEMOutput, error) {
	out := &PEMOutput{Format: format, Public: public}
	var der []byte
	var err error
	var typ string
	alg := algorithmIdentifier{Algorithm: oidECPublicKey, Parameters: oidSecp256k1}
	switch {
	case public && format == PEMSPKI:
		typ, out.Label = "PUBLIC KEY", "SPKI public key, secp256k1 (BEGIN PUBLIC KEY)"
		der, err = asn1.Marshal(subjectPublicKeyInfo{Algorithm: alg, PublicKey: asn1.BitString{Bytes: secp256k1Point(pub), BitLength: 65 * 8}})
	case !public && format == PEMSEC1:
		typ, out.Label = "EC PRIVATE KEY", "SEC1 EC private key, secp256k1 (BEGIN EC PRIVATE KEY)"
		der, err = secp256k1SEC1(priv, true)
	case !public && format == PEMPKCS8:
		typ, out.Label = "PRIVATE KEY", "PKCS#8 private key, secp256k1 (BEGIN PRIVATE KEY)"
		var inner []byte
		if inner, err = secp256k1SEC1(priv, false); err == nil {
			der, err = asn1.Marshal(pkcs8PrivateKey{Algorithm: alg, PrivateKey: inner})
		}
	default:
		return nil, fmt.Errorf("no %s PEM flavour for a %s secp256k1 key: %s", format, publicWord(public), formatsHint(public))
	}
	if err != nil {
		return nil, fmt.Errorf("failed to encode %s: %w", out.Label, err)
	}
	out.PEM = pemEncode(typ, der)
	return out, nil
}

// ParseSecp256k1DER reads a secp256k1 key from SPKI, SEC1 or PKCS#8 DER. It
// returns *ecdsa.PublicKey or *ecdsa.PrivateKey, and an error when the DER is
// not a secp256k1 key in one of those forms.
func ParseSecp256k1DER(der []byte) (any, error) {
	var spki subjectPublicKeyInfo
	if rest, err := asn1.Unmarshal(der, &spki); err == nil && len(rest) == 0 &&
		spki.Algorithm.Algorithm.Equal(oidECPublicKey) && spki.Algorithm.Parameters.Equal(oidSecp256k1) {
		pk, err := secp256k1.ParsePubKey(spki.PublicKey.Bytes)
		if err != nil {
			return nil, fmt.Errorf("secp256k1 public key: %w", err)
		}
		return pk.ToECDSA(), nil
	}
	var p8 pkcs8PrivateKey
	if rest, err := asn1.Unmarshal(der, &p8); err == nil && len(rest) == 0 &&
		p8.Algorithm.Algorithm.Equal(oidECPublicKey) && p8.Algorithm.Parameters.Equal(oidSecp256k1) {
		return parseSecp256k1SEC1(p8.PrivateKey, false)
	}
	return parseSecp256k1SEC1(der, true)
}

func parseSecp256k1SEC1(der []byte, needCurve bool) (any, error) {
	var k sec1PrivateKey
	rest, err := asn1.Unmarshal(der, &k)
	if err != nil || len(rest) != 0 || k.Version != 1 {
		return nil, errors.New("not a secp256k1 key in SPKI, SEC1 or PKCS#8 form")
	}
	if needCurve && !k.NamedCurveOID.Equal(oidSecp256k1) {
		return nil, errors.New("not a secp256k1 key in SPKI, SEC1 or PKCS#8 form")
	}
	if len(k.PrivateKey) == 0 || len(k.PrivateKey) > 32 {
		return nil, fmt.Errorf("secp256k1 private scalar is %d bytes, want 32", len(k.PrivateKey))
	}
	d := new(big.Int).SetBytes(k.PrivateKey)
	if d.Sign() == 0 || d.Cmp(secp256k1.S256().Params().N) >= 0 {
		return nil, errors.New("secp256k1 private scalar is out of range")
	}
	priv := secp256k1.PrivKeyFromBytes(k.PrivateKey)
	if len(k.PublicKey.Bytes) > 0 {
		pub, err := secp256k1.ParsePubKey(k.PublicKey.Bytes)
		if err != nil {
			return nil, fmt.Errorf("secp256k1 public key in the private key: %w", err)
		}
		if !pub.IsEqual(priv.PubKey()) {
			return nil, errors.New("the public key stored with this secp256k1 private key does not belong to it")
		}
	}
	return priv.ToECDSA(), nil
}
