package keys

import (
	"crypto"
	"crypto/rsa"
	"fmt"
	"slices"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// FittingAlgs lists the algs that fit a key shape for a use ("" = either).
func FittingAlgs(kty, crv, use string, octBits int) []string {
	if kty == KtyOct && octBits != 256 && octBits != 384 && octBits != 512 && octBits != 128 && octBits != 192 {
		octBits = 0
	}
	var algs []string
	for _, u := range []string{UseSig, UseEnc} {
		if use == "" || use == u {
			algs = append(algs, AlgsFor(kty, crv, u, octBits)...)
		}
	}
	return algs
}

func AlgFits(kty, crv, use string, octBits int, alg string) bool {
	if kty == KtyOct {
		// Any secret at least as long as the alg needs (RFC 7518 §3.2).
		need := octSizeForAlg(alg)
		return need > 0 && octBits >= need && slices.Contains(FittingAlgs(kty, crv, use, 0), alg)
	}
	return slices.Contains(FittingAlgs(kty, crv, use, 0), alg)
}

func useWords(use string) string {
	if use == "" {
		return ""
	}
	return " for use " + use
}

func AlgOf(k jwk.Key) string {
	if a, ok := k.Algorithm(); ok {
		return a.String()
	}
	return ""
}

// rsaBits is an RSA key's modulus size in bits (0 when unreadable).
func rsaBits(key jwk.Key) int {
	var pub rsa.PublicKey
	if err := exportPublic(key, &pub); err != nil {
		return 0
	}
	return pub.N.BitLen()
}

// publicKeyEqual is what crypto public keys share.
type publicKeyEqual interface {
	Equal(x crypto.PublicKey) bool
}

// Shape returns a key's kty, crv and, for oct keys, the secret's size in
// bits (RSA: the modulus size).
func Shape(k jwk.Key) (kty, crv string, bits int) {
	kty = k.KeyType().String()
	crv, _ = CurveOf(k)
	switch sk := k.(type) {
	case jwk.SymmetricKey:
		b, _ := sk.Octets()
		bits = len(b) * 8
	default:
		if kty == KtyRSA {
			bits = rsaBits(k)
		}
	}
	return kty, crv, bits
}

// DescribeKey names a key's shape for a list: "RSA 2048", "EC P-256",
// "OKP Ed25519", "oct 256-bit".
func DescribeKey(k jwk.Key) string {
	kty, crv, bits := Shape(k)
	switch kty {
	case KtyRSA:
		return fmt.Sprintf("RSA %d", bits)
	case KtyOct:
		return fmt.Sprintf("oct %d-bit", bits)
	case KtyEC, KtyOKP:
		return kty + " " + crv
	}
	return kty
}

func useName(use string) string {
	if use == UseSig {
		return "signatures"
	}
	return "encryption"
}

// checkUse refuses a use other than "sig" and "enc" (RFC 7517 §4.2).
func checkUse(use string) error {
	if use != UseSig && use != UseEnc {
		return fmt.Errorf("use must be %q or %q, not %q", UseSig, UseEnc, use)
	}
	return nil
}

// UseMisfit explains why key cannot take use: a use other than "sig" and
// "enc", a shape no alg of that use fits (an X25519 key signs nothing), or
// the key's own alg, which that use does not fit. nil when it fits; ""
// (no use) always fits.
func UseMisfit(key jwk.Key, use string) error {
	if use == "" {
		return nil
	}
	if err := checkUse(use); err != nil {
		return err
	}
	kty, crv, bits := Shape(key)
	if len(AlgsFor(kty, crv, use, 0)) == 0 {
		return fmt.Errorf("%s cannot be used for %s", DescribeShape(kty, crv, bits), useName(use))
	}
	if alg := AlgOf(key); alg != "" && !AlgFits(kty, crv, use, bits, alg) {
		return fmt.Errorf("alg %s does not fit use %s: clear the alg or choose one of %s first", alg, use, strings.Join(FittingAlgs(kty, crv, use, bits), ", "))
	}
	return nil
}
