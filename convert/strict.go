package convert

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

// ParseJWK reads one JWK strictly: jwx parses it, and on top of what jwx
// checks, keys nobody should import are refused with a specific message —
// duplicate members (also twins that differ only in case, like "KTY"), RSA
// moduli under 1024 bits and exponents that are even, under 3 or longer than
// 4 bytes, EC coordinates longer than the curve, OKP members of the wrong
// length, and private parts that do not belong to their public part.
func ParseJWK(raw []byte) (key jwk.Key, err error) {
	defer recoverInto(&err, "reading a JWK")
	if err := checkMembers(raw); err != nil {
		return nil, err
	}
	if err := precheckRSA(raw); err != nil {
		return nil, err
	}
	if err := precheckShape(raw); err != nil {
		return nil, err
	}
	k, err := jwk.ParseKey(raw)
	if err != nil {
		return nil, fmt.Errorf("failed to read the JWK: %w", err)
	}
	if err := CheckKey(k); err != nil {
		return nil, err
	}
	return k, nil
}

// checkMembers refuses a JSON object whose member names repeat, exactly or
// in another case (the last one would silently win).
func checkMembers(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New("a JWK is a JSON object: { \"kty\": … }")
	}
	seen := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("not JSON: %w", err)
		}
		name, _ := tok.(string)
		lower := strings.ToLower(name)
		if prev, dup := seen[lower]; dup {
			if prev == name {
				return fmt.Errorf("member %q appears twice: refused, since readers disagree on which one counts", name)
			}
			return fmt.Errorf("members %q and %q differ only in case: refused, member names are case-sensitive and one of them is a trap", prev, name)
		}
		seen[lower] = name
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return fmt.Errorf("not JSON: %w", err)
		}
	}
	return nil
}

// precheckRSA gives RSA keys jwx would refuse with a technical message the
// specific one (jwx's own checks still run after).
func precheckRSA(raw []byte) error {
	var m struct {
		Kty string `json:"kty"`
		N   string `json:"n"`
		E   string `json:"e"`
	}
	if json.Unmarshal(raw, &m) != nil || m.Kty != KtyRSA {
		return nil
	}
	n, errN := base64.RawURLEncoding.DecodeString(strings.TrimRight(m.N, "="))
	e, errE := base64.RawURLEncoding.DecodeString(strings.TrimRight(m.E, "="))
	if errN != nil || errE != nil {
		return nil // jwx reports the bad encoding
	}
	return checkRSAMembers(n, e)
}

// precheckShape gives keys jwx would refuse with a technical message (an
// unknown kty or crv, members of the wrong size, an EC point off its curve)
// the specific one, naming the member. jwx's own checks still run after.
func precheckShape(raw []byte) error {
	var m struct {
		Kty string `json:"kty"`
		Crv string `json:"crv"`
		X   string `json:"x"`
		Y   string `json:"y"`
		D   string `json:"d"`
	}
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	switch m.Kty {
	case "":
		return errors.New(`this JSON has no "kty": a JWK names its key type ("kty": "RSA", "EC", "OKP" or "oct")`)
	case KtyRSA, KtyOct:
		return nil
	case KtyEC, KtyOKP:
	default:
		return fmt.Errorf("unknown key type %q: JWK Desk reads RSA, EC, OKP and oct keys (DSA and others cannot be used with JOSE)", m.Kty)
	}
	member := func(name, v string) ([]byte, error) {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(v, "="))
		if err != nil {
			return nil, fmt.Errorf("member %q is not base64url: %w", name, err)
		}
		return b, nil
	}
	x, err := member("x", m.X)
	if err != nil {
		return err
	}
	d, err := member("d", m.D)
	if err != nil {
		return err
	}
	if m.Kty == KtyOKP {
		want := map[string]int{CrvEd25519: ed25519.PublicKeySize, CrvX25519: 32}[m.Crv]
		switch {
		case want == 0:
			return fmt.Errorf("unknown OKP curve %q: JWK Desk reads Ed25519 and X25519", m.Crv)
		case len(x) != want:
			return fmt.Errorf(`OKP member "x" is %d bytes: %s needs %d`, len(x), m.Crv, want)
		case m.D != "" && len(d) != want:
			return fmt.Errorf(`OKP private member "d" is %d bytes: %s needs %d`, len(d), m.Crv, want)
		}
		return nil
	}
	size := curveBytes(m.Crv)
	if size == 0 {
		return fmt.Errorf("unknown EC curve %q: JWK Desk reads P-256, P-384, P-521 and secp256k1", m.Crv)
	}
	y, err := member("y", m.Y)
	if err != nil {
		return err
	}
	for _, c := range []struct {
		name string
		v    []byte
	}{{"x", x}, {"y", y}} {
		if len(c.v) != size {
			return fmt.Errorf("EC coordinate %q is %d bytes: %s needs %d", c.name, len(c.v), m.Crv, size)
		}
	}
	if m.D != "" && len(d) != size {
		return fmt.Errorf(`EC private member "d" is %d bytes: %s needs %d`, len(d), m.Crv, size)
	}
	if !onCurve(m.Crv, x, y) {
		return fmt.Errorf("the EC point (x, y) is not on %s: refused (a damaged or made-up key; such points leak private keys in ECDH)", m.Crv)
	}
	return nil
}

// onCurve reports whether (x, y), each at the curve's size, is a point of
// the named curve.
func onCurve(crv string, x, y []byte) bool {
	point := append(append([]byte{4}, x...), y...)
	switch crv {
	case CrvP256:
		_, err := ecdh.P256().NewPublicKey(point)
		return err == nil
	case CrvP384:
		_, err := ecdh.P384().NewPublicKey(point)
		return err == nil
	case CrvP521:
		_, err := ecdh.P521().NewPublicKey(point)
		return err == nil
	case CrvSecp256k1:
		_, err := secp256k1.ParsePubKey(point)
		return err == nil
	}
	return false
}

// CheckKey refuses hostile or inconsistent keys (see ParseJWK).
func CheckKey(k jwk.Key) error {
	switch key := k.(type) {
	case jwk.RSAPrivateKey:
		n, _ := key.N()
		e, _ := key.E()
		if err := checkRSAMembers(n, e); err != nil {
			return err
		}
		var priv rsa.PrivateKey
		if err := jwk.Export(k, &priv); err != nil {
			return fmt.Errorf("the RSA private key does not export: %w", err)
		}
		if err := priv.Validate(); err != nil {
			return fmt.Errorf("the private part of this RSA key does not belong to its public part: %w", err)
		}
	case jwk.RSAPublicKey:
		n, _ := key.N()
		e, _ := key.E()
		return checkRSAMembers(n, e)
	case jwk.ECDSAPublicKey, jwk.ECDSAPrivateKey:
		return checkEC(k)
	case jwk.OKPPublicKey, jwk.OKPPrivateKey:
		return checkOKP(k)
	case jwk.SymmetricKey:
		if o, _ := key.Octets(); len(o) == 0 {
			return errors.New(`an oct key with an empty "k" is refused`)
		}
	}
	return nil
}

func checkRSAMembers(n, e []byte) error {
	bits := new(big.Int).SetBytes(n).BitLen()
	if bits < 1024 {
		return fmt.Errorf("an RSA modulus of %d bits is refused: under 1024 bits it is broken", bits)
	}
	if len(bytes.TrimLeft(e, "\x00")) > 4 {
		return fmt.Errorf("an RSA exponent of %d bytes is refused: at most 4 bytes (normally 65537, AQAB)", len(e))
	}
	exp := new(big.Int).SetBytes(e)
	if exp.Cmp(big.NewInt(3)) < 0 || exp.Bit(0) == 0 {
		return fmt.Errorf("RSA exponent %s is refused: it must be odd and at least 3 (normally 65537)", exp)
	}
	return nil
}

func checkEC(k jwk.Key) error {
	crv, _ := curveOf(k)
	size := curveBytes(crv)
	if size == 0 {
		return fmt.Errorf("unknown EC curve %q: JWK Desk reads P-256, P-384, P-521 and secp256k1", crv)
	}
	var x, y, d []byte
	_ = k.Get("x", &x)
	_ = k.Get("y", &y)
	for name, v := range map[string][]byte{"x": x, "y": y} {
		if len(bytes.TrimLeft(v, "\x00")) > size || len(v) > size+1 {
			return fmt.Errorf("EC coordinate %q is %d bytes, longer than %s's %d", name, len(v), crv, size)
		}
	}
	if err := k.Get("d", &d); err != nil {
		return nil // public key: jwx checked the point is on the curve
	}
	if len(d) > size {
		return fmt.Errorf(`EC private member "d" is %d bytes, longer than %s's %d`, len(d), crv, size)
	}
	if crv == CrvSecp256k1 {
		if _, _, err := secp256k1Keys(k); err != nil {
			return err
		}
		return nil
	}
	var raw any
	if err := jwk.Export(k, &raw); err != nil {
		return fmt.Errorf("the EC private key does not export: %w", err)
	}
	signer, ok := raw.(interface {
		ECDH() (*ecdh.PrivateKey, error)
	})
	if !ok {
		return nil
	}
	ek, err := signer.ECDH()
	if err != nil {
		return fmt.Errorf(`EC private member "d" is not a valid scalar: %w`, err)
	}
	want := ek.PublicKey().Bytes() // 0x04 || X || Y, computed from d
	px, py := fixedSize(x, size), fixedSize(y, size)
	if !bytes.Equal(want[1:1+size], px) || !bytes.Equal(want[1+size:], py) {
		return errors.New(`the private part of this EC key does not belong to its public part: "d" gives another point than "x"/"y"`)
	}
	return nil
}

func checkOKP(k jwk.Key) error {
	crv, _ := curveOf(k)
	var x, d []byte
	_ = k.Get("x", &x)
	want := map[string]int{CrvEd25519: ed25519.PublicKeySize, CrvX25519: 32}[crv]
	if want == 0 {
		return fmt.Errorf("unknown OKP curve %q: JWK Desk reads Ed25519 and X25519", crv)
	}
	if len(x) != want {
		return fmt.Errorf(`OKP member "x" is %d bytes: %s needs %d`, len(x), crv, want)
	}
	if err := k.Get("d", &d); err != nil {
		return nil
	}
	if len(d) != want {
		return fmt.Errorf(`OKP member "d" is %d bytes: %s needs %d`, len(d), crv, want)
	}
	var derived []byte
	switch crv {
	case CrvEd25519:
		derived = ed25519.NewKeyFromSeed(d).Public().(ed25519.PublicKey)
	case CrvX25519:
		priv, err := ecdh.X25519().NewPrivateKey(d)
		if err != nil {
			return fmt.Errorf(`OKP member "d" is not an X25519 key: %w`, err)
		}
		derived = priv.PublicKey().Bytes()
	}
	if !bytes.Equal(derived, x) {
		return errors.New(`the private part of this OKP key does not belong to its public part: "d" gives another "x"`)
	}
	return nil
}
