package keys

import (
	"crypto/ed25519"
	"fmt"
	"math/big"
)

// The sizes and numbers every reader refuses, whatever the key was written
// in (a JWK's members, DER, a certificate, an OpenSSH line): one owner of
// each rule and of its words.

// checkRSANumbers refuses an RSA modulus under 1024 bits, an exponent
// longer than 4 bytes, and an exponent that is even or under 3 (RFC 7518
// §6.3.1; DESIGN.md: "Reject hostile keys at import").
func checkRSANumbers(n, e *big.Int) error {
	if bits := n.BitLen(); bits < 1024 {
		return fmt.Errorf("an RSA modulus of %d bits is refused: under 1024 bits it is broken", bits)
	}
	if err := checkRSAExponentLength(e); err != nil {
		return err
	}
	if e.Cmp(big.NewInt(3)) < 0 || e.Bit(0) == 0 {
		return fmt.Errorf("RSA exponent %s is refused: it must be odd and at least 3 (normally 65537)", e)
	}
	return nil
}

// checkRSAExponentLength refuses an RSA exponent over 4 bytes.
func checkRSAExponentLength(e *big.Int) error {
	if e.BitLen() > 32 {
		return fmt.Errorf("an RSA exponent of %d bytes is refused: at most 4 bytes (normally 65537, AQAB)", (e.BitLen()+7)/8)
	}
	return nil
}

// okpKeySizes are the sizes of an OKP key's x and d (RFC 8037 §2).
var okpKeySizes = map[string]int{CrvEd25519: ed25519.PublicKeySize, CrvX25519: 32}

// checkOKPMembers refuses an OKP key of a curve JWK Desk does not read, or
// whose x or d (when it has one) is not the curve's size.
func checkOKPMembers(crv string, x, d []byte, hasD bool) error {
	want := okpKeySizes[crv]
	switch {
	case want == 0:
		return unsupportedOKPCurve(crv)
	case len(x) != want:
		return fmt.Errorf(`OKP member "x" is %d bytes: %s needs %d`, len(x), crv, want)
	case hasD && len(d) != want:
		return fmt.Errorf(`OKP private member "d" is %d bytes: %s needs %d`, len(d), crv, want)
	}
	return nil
}
