package keys

import (
	"fmt"
	"slices"
	"strings"
)

// Key types (the JWK "kty" values).
const (
	KtyRSA = "RSA"
	KtyEC  = "EC"
	KtyOKP = "OKP"
	KtyOct = "oct"
)

// Curves (the JWK "crv" values).
const (
	CrvP256      = "P-256"
	CrvP384      = "P-384"
	CrvP521      = "P-521"
	CrvSecp256k1 = "secp256k1"
	CrvEd25519   = "Ed25519"
	CrvX25519    = "X25519"
)

// Key uses (the JWK "use" values).
const (
	UseSig = "sig"
	UseEnc = "enc"
)

// RSASizes are the RSA modulus sizes JWK Desk generates. Nothing under 2048
// bits is ever generated (RFC 7518 §3.3 and §4.2).
var RSASizes = []int{2048, 3072, 4096}

// OctSizes are the sizes in bits of the oct secrets for HS256/HS384/HS512.
var OctSizes = []int{256, 384, 512}

// Curves lists the curves JWK Desk generates for a key type.
func Curves(kty string) []string {
	switch kty {
	case KtyEC:
		return []string{CrvP256, CrvP384, CrvP521, CrvSecp256k1}
	case KtyOKP:
		return []string{CrvEd25519, CrvX25519}
	}
	return nil
}

// KeyTypes lists the key types JWK Desk generates.
func KeyTypes() []string { return []string{KtyRSA, KtyEC, KtyOKP, KtyOct} }

// AlgsFor returns the JWA algorithms that fit a key of the given type and
// curve for the given use, the default first. size is the secret size in
// bits for oct keys (ignored otherwise; 0 means any). It returns nil when the
// combination itself does not fit (X25519 for signatures, say).
func AlgsFor(kty, crv, use string, size int) []string {
	if kty == KtyOct {
		return octAlgs(use, size)
	}
	shape := kty
	if kty != KtyRSA {
		shape += " " + crv
	}
	switch use {
	case UseSig:
		return slices.Clone(sigAlgs[shape])
	case UseEnc:
		return slices.Clone(encAlgs[shape])
	}
	return nil
}

var ecdhAlgs = []string{"ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW"}

// sigAlgs and encAlgs are the alg tables of asymmetric keys, by "kty" or
// "kty crv": RFC 7518 §3.1 and §4.1, RFC 8037 §3, RFC 8812 §3.2.
var (
	sigAlgs = map[string][]string{
		KtyRSA:                     {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"},
		KtyEC + " " + CrvP256:      {"ES256"},
		KtyEC + " " + CrvP384:      {"ES384"},
		KtyEC + " " + CrvP521:      {"ES512"},
		KtyEC + " " + CrvSecp256k1: {"ES256K"},
		KtyOKP + " " + CrvEd25519:  {"EdDSA", "Ed25519"},
	}
	encAlgs = map[string][]string{
		KtyRSA:                   {"RSA-OAEP-256", "RSA-OAEP", "RSA-OAEP-384", "RSA-OAEP-512"},
		KtyEC + " " + CrvP256:    ecdhAlgs,
		KtyEC + " " + CrvP384:    ecdhAlgs,
		KtyEC + " " + CrvP521:    ecdhAlgs,
		KtyOKP + " " + CrvX25519: ecdhAlgs,
	}
)

// octAlgs are the algs of an oct secret of size bits (0: any) for use.
func octAlgs(use string, size int) []string {
	switch {
	case use == UseSig && size == 0:
		return []string{"HS256", "HS384", "HS512"}
	case use == UseSig:
		if a, ok := map[int]string{256: "HS256", 384: "HS384", 512: "HS512"}[size]; ok {
			return []string{a}
		}
	case use == UseEnc && size == 0:
		return []string{"A256KW", "A128KW", "A192KW", "A128GCMKW", "A192GCMKW", "A256GCMKW"}
	case use == UseEnc:
		return map[int][]string{128: {"A128KW", "A128GCMKW"}, 192: {"A192KW", "A192GCMKW"}, 256: {"A256KW", "A256GCMKW"}}[size]
	}
	return nil
}

// octSizeForAlg is the secret size in bits that an oct algorithm needs.
func octSizeForAlg(alg string) int {
	switch alg {
	case "HS256", "A256KW", "A256GCMKW":
		return 256
	case "HS384":
		return 384
	case "HS512":
		return 512
	case "A128KW", "A128GCMKW":
		return 128
	case "A192KW", "A192GCMKW":
		return 192
	}
	return 0
}

// checkCombination explains why a key type, curve and use do not fit
// together, or returns nil when they do.
func checkCombination(kty, crv, use string) error {
	if err := checkUse(use); err != nil {
		return err
	}
	switch kty {
	case KtyRSA, KtyOct:
		return nil
	case KtyEC:
		if !slices.Contains(Curves(KtyEC), crv) {
			return fmt.Errorf("unknown EC curve %q: choose one of %s", crv, strings.Join(Curves(KtyEC), ", "))
		}
		if crv == CrvSecp256k1 && use == UseEnc {
			return fmt.Errorf("secp256k1 is registered for signatures only (ES256K, RFC 8812): choose use sig, or P-256 for encryption")
		}
		return nil
	case KtyOKP:
		switch crv {
		case CrvEd25519:
			if use == UseEnc {
				return fmt.Errorf("Ed25519 keys only sign (EdDSA): choose X25519 for encryption")
			}
		case CrvX25519:
			if use == UseSig {
				return fmt.Errorf("X25519 keys only agree on keys (ECDH-ES): choose Ed25519 for signatures")
			}
		default:
			return fmt.Errorf("unknown OKP curve %q: choose Ed25519 or X25519", crv)
		}
		return nil
	}
	return fmt.Errorf("unknown key type %q: choose one of RSA, EC, OKP, oct", kty)
}
