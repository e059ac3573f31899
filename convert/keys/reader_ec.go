package keys

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// sec1Key is RFC 5915's ECPrivateKey with its parameters left raw: a named
// curve's OID or explicit parameters.
type sec1Key struct {
	Version    int
	PrivateKey []byte
	Params     asn1.RawValue  `asn1:"optional,explicit,tag:0"`
	PublicKey  asn1.BitString `asn1:"optional,explicit,tag:1"`
}

// readSEC1 reads an ECPrivateKey; crv is the curve named by a PKCS#8
// wrapper ("" for a bare SEC1 key, which must name its own).
func readSEC1(der []byte, crv string) (*derKey, error) {
	var k sec1Key
	if rest, err := asn1.Unmarshal(der, &k); err != nil || len(rest) > 0 || k.Version != 1 {
		return nil, damagedDER(der, formSEC1.what())
	}
	var notes []string
	if len(k.Params.FullBytes) > 0 {
		inner, n, err := ecCurve(k.Params.Bytes) // the element inside [0]
		if err != nil {
			return nil, err
		}
		if crv != "" && inner != crv {
			return nil, fmt.Errorf("the PKCS#8 wrapper says %s but the EC key inside says %s: the key is damaged", crv, inner)
		}
		if crv == "" {
			notes = n
		}
		crv = inner
	}
	if crv == "" {
		return nil, errors.New("this SEC1 EC private key does not name its curve: export it again with its parameters (openssl ec -param_out)")
	}
	named, err := asn1.Marshal(sec1PrivateKey{Version: 1, PrivateKey: k.PrivateKey, NamedCurveOID: namedCurveOIDs[crv]})
	if err != nil {
		return nil, fmt.Errorf("failed to re-encode the EC key: %w", err)
	}
	var raw any
	if crv == CrvSecp256k1 {
		raw, err = parseSecp256k1SEC1(named, true)
	} else {
		raw, err = x509.ParseECPrivateKey(named)
	}
	if err != nil {
		return nil, fmt.Errorf("its private scalar (%d bytes) is not a valid %s private key: the key is damaged", len(k.PrivateKey), crv)
	}
	dk := &derKey{raw: raw, notes: notes, derived: true} // both readers compute the public point from the scalar
	if k.PublicKey.BitLength > 0 {
		if dk.stored, err = ecPublicKey(crv, k.PublicKey.RightAlign()); err != nil {
			return nil, fmt.Errorf("the public key stored with this EC private key: %w", err)
		}
	}
	return dk, nil
}

// ecCurve names the curve of EC parameters (RFC 5480 §2.1.1): a named
// curve's OID, or explicit parameters (RFC 3279 §2.3.5) that equal one.
func ecCurve(params []byte) (string, []string, error) {
	var oid asn1.ObjectIdentifier
	if rest, err := asn1.Unmarshal(params, &oid); err == nil && len(rest) == 0 {
		for name, o := range namedCurveOIDs {
			if o.Equal(oid) {
				return name, nil, nil
			}
		}
		return "", nil, unsupportedCurve(oid)
	}
	var null asn1.RawValue
	if _, err := asn1.Unmarshal(params, &null); err == nil && null.Tag == asn1.TagNull {
		return "", nil, errors.New("this EC key does not say its curve (implicitlyCA parameters): JWK Desk cannot tell which curve it is on; export it again with a named curve")
	}
	crv, err := explicitCurve(params)
	if err != nil {
		return "", nil, err
	}
	return crv, []string{fmt.Sprintf("the curve was given by explicit parameters (as openssl -param_enc explicit writes); they are %s's, so it is read as %s (RFC 5480 §2.1.1 names curves by OID)", crv, crv)}, nil
}

// specifiedECDomain is RFC 3279 §2.3.5's ECParameters.
type specifiedECDomain struct {
	Version int
	FieldID struct {
		FieldType  asn1.ObjectIdentifier
		Parameters asn1.RawValue
	}
	Curve struct {
		A, B []byte
		Seed asn1.BitString `asn1:"optional"`
	}
	Base     []byte
	Order    *big.Int
	Cofactor *big.Int `asn1:"optional"`
}

// explicitCurve finds the named curve whose domain parameters equal
// explicit ones: field prime, a, b, base point (compressed or not), order
// and cofactor.
func explicitCurve(params []byte) (string, error) {
	var d specifiedECDomain
	if rest, err := asn1.Unmarshal(params, &d); err != nil || len(rest) > 0 {
		return "", damagedDER(params, "an EC curve description")
	}
	if d.FieldID.FieldType.Equal(oidBinaryField) {
		return "", errors.New("this EC key is on a binary-field (characteristic-two) curve: JOSE uses P-256, P-384, P-521 and secp256k1 only")
	}
	var p *big.Int
	if _, err := asn1.Unmarshal(d.FieldID.Parameters.FullBytes, &p); err != nil || !d.FieldID.FieldType.Equal(oidPrimeField) {
		return "", damagedDER(params, "an EC curve description")
	}
	for _, crv := range []string{CrvP256, CrvP384, CrvP521, CrvSecp256k1} {
		if d.is(crv, p) {
			return crv, nil
		}
	}
	return "", fmt.Errorf("this EC key has explicit curve parameters (a %d-bit prime field) that are none of P-256, P-384, P-521 or secp256k1: JOSE cannot name its curve", p.BitLen())
}

// is reports whether the explicit parameters, over the prime field p, are
// those of crv: a, b, the order, a cofactor of 1 and the base point,
// compressed or not.
func (d *specifiedECDomain) is(crv string, p *big.Int) bool {
	cp := curveParams(crv)
	wantA := new(big.Int).Sub(cp.P, big.NewInt(3)) // a = -3 on the NIST curves
	if crv == CrvSecp256k1 {
		wantA = new(big.Int)
	}
	a, b := new(big.Int).SetBytes(d.Curve.A), new(big.Int).SetBytes(d.Curve.B)
	if p.Cmp(cp.P) != 0 || a.Cmp(wantA) != 0 || b.Cmp(cp.B) != 0 || d.Order == nil || d.Order.Cmp(cp.N) != 0 ||
		d.Cofactor != nil && d.Cofactor.Cmp(big.NewInt(1)) != 0 {
		return false
	}
	size := (cp.BitSize + 7) / 8
	uncompressed := append(append([]byte{4}, cp.Gx.FillBytes(make([]byte, size))...), cp.Gy.FillBytes(make([]byte, size))...)
	return bytes.Equal(d.Base, uncompressed) || bytes.Equal(d.Base, elliptic.MarshalCompressed(cp, cp.Gx, cp.Gy))
}

// curveParams are a supported curve's domain parameters.
func curveParams(crv string) *elliptic.CurveParams {
	switch crv {
	case CrvP384:
		return elliptic.P384().Params()
	case CrvP521:
		return elliptic.P521().Params()
	case CrvSecp256k1:
		p := secp256k1.Params()
		return &elliptic.CurveParams{P: p.P, N: p.N, B: big.NewInt(7), Gx: p.Gx, Gy: p.Gy, BitSize: p.BitSize, Name: CrvSecp256k1}
	}
	return elliptic.P256().Params()
}

// ecPublicKey reads an EC point (SEC 1 §2.3.4: uncompressed, or
// compressed as openssl -conv_form compressed writes) on a supported curve.
func ecPublicKey(crv string, point []byte) (any, error) {
	if crv == CrvSecp256k1 {
		k, err := secp256k1.ParsePubKey(point)
		if err != nil {
			return nil, fmt.Errorf("the EC point is not on %s: the key is damaged", crv)
		}
		return k.ToECDSA(), nil
	}
	curve := curveOfName(crv)
	if curve == nil {
		return nil, fmt.Errorf("unknown EC curve %q", crv)
	}
	if len(point) > 0 && (point[0] == 2 || point[0] == 3) {
		x, y := elliptic.UnmarshalCompressed(curve, point)
		if x == nil {
			return nil, fmt.Errorf("the compressed EC point is not on %s: the key is damaged", crv)
		}
		size := (curve.Params().BitSize + 7) / 8
		point = append(append([]byte{4}, x.FillBytes(make([]byte, size))...), y.FillBytes(make([]byte, size))...)
	}
	k, err := ecdsa.ParseUncompressedPublicKey(curve, point)
	if err != nil {
		return nil, fmt.Errorf("the EC point is not on %s: the key is damaged", crv)
	}
	return k, nil
}

func curveOfName(crv string) elliptic.Curve {
	switch crv {
	case CrvP256:
		return elliptic.P256()
	case CrvP384:
		return elliptic.P384()
	case CrvP521:
		return elliptic.P521()
	}
	return nil
}

// curveOfRaw names the curve of a crypto EC key ("" for others).
func curveOfRaw(raw any) string {
	var c elliptic.Curve
	switch k := raw.(type) {
	case *ecdsa.PrivateKey:
		c = k.Curve
	case *ecdsa.PublicKey:
		c = k.Curve
	default:
		return ""
	}
	if c == nil || c.Params() == nil {
		return ""
	}
	if c.Params().Name == "" || strings.EqualFold(c.Params().Name, CrvSecp256k1) {
		return CrvSecp256k1
	}
	return c.Params().Name
}
