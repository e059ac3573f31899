package keys

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"
	"regexp"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

// CheckKey refuses hostile or inconsistent keys (see ParseJWK): weak RSA
// numbers, members of the wrong size, and a private part that does not
// belong to the public part (checkHalves).
func CheckKey(k jwk.Key) error {
	switch key := k.(type) {
	case jwk.RSAPrivateKey:
		n, _ := key.N()
		e, _ := key.E()
		if err := checkRSAMembers(n, e); err != nil {
			return err
		}
	case jwk.RSAPublicKey:
		n, _ := key.N()
		e, _ := key.E()
		return checkRSAMembers(n, e)
	case jwk.ECDSAPublicKey, jwk.ECDSAPrivateKey:
		if err := checkECSizes(k); err != nil {
			return err
		}
	case jwk.OKPPublicKey, jwk.OKPPrivateKey:
		if err := checkOKPSizes(k); err != nil {
			return err
		}
	case jwk.SymmetricKey:
		if o, _ := key.Octets(); len(o) == 0 {
			return errors.New(`an oct key with an empty "k" is refused`)
		}
		return nil
	}
	if !IsPrivate(k) {
		return nil
	}
	return checkJWKHalves(k)
}

// checkJWKHalves checks that a private JWK's private member belongs to
// its public members: the private key is built from "d" alone (with the
// standard library, or jwx for RSA, whose CRT members it carries) and the
// public key from the public members, and checkHalves compares them.
func checkJWKHalves(k jwk.Key) error {
	kty := k.KeyType().String()
	crv, _ := CurveOf(k)
	pubKey, err := k.PublicKey()
	if err != nil {
		return fmt.Errorf("this %s key has no readable public part", kty)
	}
	var pub any
	if err := jwk.Export(pubKey, &pub); err != nil {
		return fmt.Errorf("this %s key has no readable public part", kty)
	}
	var priv any
	var d []byte
	_ = k.Get("d", &d)
	switch kty {
	case KtyRSA:
		var rk rsa.PrivateKey
		if err := jwk.Export(k, &rk); err != nil {
			return fmt.Errorf("this RSA private key cannot be used: its private members do not form a key (%s)", exportProblem(err))
		}
		priv = &rk
	case KtyOKP:
		switch crv {
		case CrvEd25519:
			priv = ed25519.NewKeyFromSeed(d)
		case CrvX25519:
			if priv, err = ecdh.X25519().NewPrivateKey(d); err != nil {
				return fmt.Errorf(`OKP member "d" is not an X25519 private key`)
			}
		}
	case KtyEC:
		ek, err := ecPrivateFromScalar(crv, d)
		if err != nil {
			return fmt.Errorf(`EC private member "d" is not a valid scalar for %s (zero, or not below the curve order)`, crv)
		}
		priv = ek
	}
	return checkHalves(priv, pub, jwkWhose, kty != KtyRSA) // EC and OKP keys were built from "d" alone
}

// ecPrivateFromScalar builds an EC private key from its scalar alone.
func ecPrivateFromScalar(crv string, d []byte) (*ecdsa.PrivateKey, error) {
	if crv == CrvSecp256k1 {
		var s secp256k1.ModNScalar
		if overflow := s.SetByteSlice(d); overflow || s.IsZero() {
			return nil, errors.New("secp256k1 scalar out of range")
		}
		return secp256k1.NewPrivateKey(&s).ToECDSA(), nil
	}
	curve := curveOfName(crv)
	if curve == nil {
		return nil, fmt.Errorf("unknown curve %q", crv)
	}
	return ecdsa.ParseRawPrivateKey(curve, fixedSize(d, curveBytes(crv)))
}

// exportProblem names the member a failed jwx export complains about.
func exportProblem(err error) string {
	if m := regexp.MustCompile(`"([a-z]+)"`).FindStringSubmatch(err.Error()); m != nil {
		return fmt.Sprintf("check %q", m[1])
	}
	return "check d and the CRT members"
}

// jwkWhose names a JWK's own public members in halves messages.
const jwkWhose = "its public part"

// checkHalves is the one check that a private part belongs to a public
// part, for every input form: a JWK's d against its n/e, x/y or x; a PEM or
// DER private key against the public key stored with it (SEC1, PKCS#8 v2)
// or the certificate pasted with it; an OpenSSH key against its own public
// half. pub nil checks the private key against the public part it carries
// (an Ed25519 key's second half, an EC key's X and Y, an RSA key's n
// against p·q). whose names pub in the message. derived says that priv's
// own public part was computed from its private part (by crypto/x509,
// crypto/ecdsa, crypto/ecdh) and an RSA key already validated by crypto/x509,
// so that only the comparison with pub is left to do.
func checkHalves(priv, pub any, whose string, derived bool) error {
	h := halves{pub: pub, whose: whose, derived: derived}
	switch k := priv.(type) {
	case *rsa.PrivateKey:
		return h.rsa(k)
	case *ecdsa.PrivateKey:
		return h.ec(k)
	case ed25519.PrivateKey:
		return h.ed25519(k)
	case *ecdh.PrivateKey:
		return h.ecdh(k)
	}
	return nil
}

// halves is one halves check: the public key to compare with (nil: the
// private key's own), whose it is, and whether the private key's own public
// part was derived from it already.
type halves struct {
	pub     any
	whose   string
	derived bool
}

func (h halves) mismatch(kty, detail string) error {
	return fmt.Errorf("the private part of this %s key does not belong to %s: %s", kty, h.whose, detail)
}

func (h halves) rsa(k *rsa.PrivateKey) error {
	if p, ok := h.pub.(*rsa.PublicKey); ok && (p.N.Cmp(k.N) != 0 || p.E != k.E) {
		return h.mismatch("RSA", "the modulus n or exponent e differs")
	}
	if h.pub != nil && !isRSAPublic(h.pub) {
		return h.mismatch("RSA", "that is not an RSA key")
	}
	switch {
	case h.derived:
		return nil
	case len(k.Primes) != 2:
		return errors.New("an RSA private key with other than two primes: JWK Desk reads two-prime RSA keys only")
	case new(big.Int).Mul(k.Primes[0], k.Primes[1]).Cmp(k.N) != 0:
		return h.mismatch("RSA", "n is not p·q (the primes belong to another key)")
	case k.Validate() != nil:
		return h.mismatch("RSA", "d, dp, dq or qi does not fit n, e, p and q")
	}
	return nil
}

func (h halves) ec(k *ecdsa.PrivateKey) error {
	target := &k.PublicKey
	if h.pub != nil {
		p, ok := h.pub.(*ecdsa.PublicKey)
		if !ok || curveOfRaw(p) != curveOfRaw(k) {
			return h.mismatch("EC", "that is not a key on the same curve")
		}
		target = p
	}
	own := &k.PublicKey
	if !h.derived {
		d, err := ecDerivedPublic(k)
		if err != nil {
			return fmt.Errorf(`EC private member "d" is not a valid scalar for %s`, curveOfRaw(k))
		}
		own = d
	}
	ownPoint, err1 := ecPointBytes(own)
	targetPoint, err2 := ecPointBytes(target)
	switch {
	case err1 == nil && err2 == nil && bytes.Equal(ownPoint, targetPoint):
		return nil
	case h.whose == jwkWhose:
		return h.mismatch("EC", `"d" gives another point than "x"/"y"`)
	}
	return h.mismatch("EC", "the private scalar gives another public point")
}

func (h halves) ed25519(k ed25519.PrivateKey) error {
	target, own := ed25519.PublicKey(k[ed25519.SeedSize:]), ed25519.PublicKey(k[ed25519.SeedSize:])
	if h.pub != nil {
		p, ok := h.pub.(ed25519.PublicKey)
		if !ok {
			return h.mismatch("Ed25519", "that is not an Ed25519 key")
		}
		target = p
	}
	if !h.derived {
		own = ed25519.NewKeyFromSeed(k.Seed()).Public().(ed25519.PublicKey)
	}
	if !own.Equal(target) {
		return okpMismatch(h.mismatch, "Ed25519", h.whose)
	}
	return nil
}

func (h halves) ecdh(k *ecdh.PrivateKey) error {
	if h.pub == nil {
		return nil // crypto/ecdh always derives the public key
	}
	p, ok := h.pub.(*ecdh.PublicKey)
	if !ok || p.Curve() != k.Curve() {
		return h.mismatch(ecdhName(k.Curve()), "that is not a key on the same curve")
	}
	if !k.PublicKey().Equal(p) {
		return okpMismatch(h.mismatch, ecdhName(k.Curve()), h.whose)
	}
	return nil
}

func okpMismatch(mismatch func(string, string) error, crv, whose string) error {
	if whose == jwkWhose {
		return mismatch("OKP", `"d" gives another "x"`)
	}
	return mismatch(crv, "the private key gives another public key")
}

func isRSAPublic(pub any) bool { _, ok := pub.(*rsa.PublicKey); return ok }

// ecDerivedPublic computes the public point of an EC private key from its
// scalar alone.
func ecDerivedPublic(k *ecdsa.PrivateKey) (*ecdsa.PublicKey, error) {
	crv := curveOfRaw(k)
	var scalar []byte
	var err error
	if crv == CrvSecp256k1 {
		scalar, err = secp256k1Scalar(k)
	} else {
		scalar, err = k.Bytes()
	}
	if err != nil {
		return nil, err
	}
	fresh, err := ecPrivateFromScalar(crv, scalar)
	if err != nil {
		return nil, err
	}
	return &fresh.PublicKey, nil
}

// ecPointBytes is an EC public key's uncompressed point (SEC 1 §2.3.3).
func ecPointBytes(k *ecdsa.PublicKey) ([]byte, error) {
	if curveOfRaw(k) == CrvSecp256k1 {
		return secp256k1Point(k)
	}
	return k.Bytes()
}

func secp256k1Point(k *ecdsa.PublicKey) ([]byte, error) {
	//lint:ignore SA1019 crypto/ecdsa cannot encode secp256k1 keys: their coordinates go to decred
	x, y := k.X, k.Y
	var fx, fy secp256k1.FieldVal
	if x == nil || y == nil || x.BitLen() > 256 || y.BitLen() > 256 {
		return nil, errors.New("secp256k1 coordinates out of range")
	}
	fx.SetByteSlice(x.Bytes())
	fy.SetByteSlice(y.Bytes())
	return secp256k1.NewPublicKey(&fx, &fy).SerializeUncompressed(), nil
}

func secp256k1Scalar(k *ecdsa.PrivateKey) ([]byte, error) {
	//lint:ignore SA1019 crypto/ecdsa cannot encode secp256k1 keys: their scalar goes to decred
	d := k.D
	if d == nil || d.Sign() <= 0 || d.BitLen() > 256 {
		return nil, errors.New("secp256k1 scalar out of range")
	}
	return d.FillBytes(make([]byte, 32)), nil
}

func checkRSAMembers(n, e []byte) error {
	return checkRSANumbers(new(big.Int).SetBytes(n), new(big.Int).SetBytes(e))
}

// checkECSizes refuses EC members longer than the curve (keys that did not
// come through checkShape: the workspace, generated keys).
func checkECSizes(k jwk.Key) error {
	crv, _ := CurveOf(k)
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
	if err := k.Get("d", &d); err == nil && len(d) > size {
		return fmt.Errorf(`EC private member "d" is %d bytes, longer than %s's %d`, len(d), crv, size)
	}
	return nil
}

func checkOKPSizes(k jwk.Key) error {
	crv, _ := CurveOf(k)
	var x, d []byte
	_ = k.Get("x", &x)
	hasD := k.Get("d", &d) == nil
	return checkOKPMembers(crv, x, d, hasD)
}
