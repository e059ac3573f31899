package keys

import (
	"encoding/asn1"
	"errors"
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/lestrrat-go/jwx/v3/jwk"
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

// secp256k1Keys reads a secp256k1 JWK's members into decred's types: the
// public key, and the private key when the JWK has "d".
func secp256k1Keys(key jwk.Key) (*secp256k1.PublicKey, *secp256k1.PrivateKey, error) {
	var x, y, d []byte
	switch k := key.(type) {
	case jwk.ECDSAPrivateKey:
		x, _ = k.X()
		y, _ = k.Y()
		d, _ = k.D()
	case jwk.ECDSAPublicKey:
		x, _ = k.X()
		y, _ = k.Y()
	default:
		return nil, nil, errors.New("not an EC key")
	}
	var fx, fy secp256k1.FieldVal
	if len(x) > 32 || len(y) > 32 || fx.SetByteSlice(x) || fy.SetByteSlice(y) {
		return nil, nil, errors.New("secp256k1 coordinates are longer than 32 bytes")
	}
	pub := secp256k1.NewPublicKey(&fx, &fy)
	if !pub.IsOnCurve() {
		return nil, nil, errors.New("the secp256k1 point is not on the curve")
	}
	if d == nil {
		return pub, nil, nil
	}
	if len(d) > 32 {
		return nil, nil, errors.New("secp256k1 private scalar is longer than 32 bytes")
	}
	priv := secp256k1.PrivKeyFromBytes(d)
	if !priv.PubKey().IsEqual(pub) {
		return nil, nil, errors.New("the private part of this secp256k1 key does not belong to its public part")
	}
	return pub, priv, nil
}

func secp256k1SEC1(priv *secp256k1.PrivateKey, withCurve bool) ([]byte, error) {
	d := priv.Key.Bytes()
	k := sec1PrivateKey{
		Version:    1,
		PrivateKey: d[:],
		PublicKey:  asn1.BitString{Bytes: priv.PubKey().SerializeUncompressed(), BitLength: 65 * 8},
	}
	if withCurve {
		k.NamedCurveOID = oidSecp256k1
	}
	return asn1.Marshal(k)
}

func secp256k1PEM(key jwk.Key, format PEMFormat, public bool) (*PEMOutput, error) {
	pub, priv, err := secp256k1Keys(key)
	if err != nil {
		return nil, err
	}
	if !public && priv == nil {
		return nil, errors.New("this is a public key: only the SPKI form exists")
	}
	out := &PEMOutput{Format: format, Public: public}
	var der []byte
	var typ string
	alg := algorithmIdentifier{Algorithm: oidECPublicKey, Parameters: oidSecp256k1}
	switch {
	case public && format == PEMSPKI:
		typ, out.Label = "PUBLIC KEY", "SPKI public key, secp256k1 (BEGIN PUBLIC KEY)"
		der, err = asn1.Marshal(subjectPublicKeyInfo{Algorithm: alg, PublicKey: asn1.BitString{Bytes: pub.SerializeUncompressed(), BitLength: 65 * 8}})
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
	var scalar secp256k1.ModNScalar
	if overflow := scalar.SetByteSlice(k.PrivateKey); overflow || scalar.IsZero() {
		return nil, errors.New("secp256k1 private scalar is out of range")
	}
	priv := secp256k1.NewPrivateKey(&scalar)
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
