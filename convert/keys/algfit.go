package keys

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// UsesFor lists the uses a key of this shape can have ("sig", "enc"), read
// from the alg tables: X25519 only encrypts, Ed25519 and secp256k1 only
// sign. octBits is the secret's size for oct keys (0: any).
func UsesFor(kty, crv string, octBits int) []string {
	var uses []string
	for _, u := range []string{UseSig, UseEnc} {
		if len(FittingAlgs(kty, crv, u, octBits)) > 0 {
			uses = append(uses, u)
		}
	}
	return uses
}

// UsesForKey lists the uses key can have (see UsesFor).
func UsesForKey(key jwk.Key) []string {
	kty, crv, bits := Shape(key)
	return UsesFor(kty, crv, octBits(kty, bits))
}

// AlgsForKey lists the algs that fit key for use ("" means either use),
// the default first. An oct secret is offered the algs its length is
// enough for (RFC 7518 §3.2).
func AlgsForKey(key jwk.Key, use string) []string {
	kty, crv, bits := Shape(key)
	var out []string
	for _, a := range FittingAlgs(kty, crv, use, 0) {
		if AlgFits(kty, crv, use, octBits(kty, bits), a) && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// AlgUse is the use an alg is registered for in the alg tables: "sig" for
// a signature algorithm (RFC 7518 §3), "enc" for a key management one
// (§4), "" when the tables do not know it.
func AlgUse(alg string) string {
	for _, use := range []string{UseSig, UseEnc} {
		for _, kty := range KeyTypes() {
			crvs := Curves(kty)
			if len(crvs) == 0 {
				crvs = []string{""}
			}
			for _, crv := range crvs {
				if slices.Contains(AlgsFor(kty, crv, use, 0), alg) {
					return use
				}
			}
		}
	}
	return ""
}

// AlgMisfit explains why alg does not fit a key of shape kty/crv (bits: the
// RSA modulus or the oct secret's size) used for use ("" means the key has
// no use), or returns nil when it fits. It names the real conflict: an
// encryption algorithm on a key whose use is sig is said so, not "does not
// fit EC P-256".
func AlgMisfit(kty, crv string, bits int, use, alg string) error {
	ob := octBits(kty, bits)
	if AlgFits(kty, crv, use, ob, alg) {
		return nil
	}
	fits := FittingAlgs(kty, crv, use, ob)
	if kty == KtyOct {
		fits = nil
		for _, a := range FittingAlgs(kty, crv, use, 0) {
			if AlgFits(kty, crv, use, ob, a) {
				fits = append(fits, a)
			}
		}
	}
	algUse := AlgUse(alg)
	if use != "" && algUse != "" && algUse != use && AlgFits(kty, crv, algUse, ob, alg) {
		return fmt.Errorf("%s is %s algorithm; use is %s: %s, or set use to %s", alg, useArticle(algUse), use, chooseText(fits), algUse)
	}
	shape := describeShapeBits(kty, crv, bits)
	if len(fits) == 0 {
		return fmt.Errorf("alg %s does not fit %s: no alg fits it%s", alg, shape, useWords(use))
	}
	return fmt.Errorf("alg %s does not fit %s%s: %s", alg, shape, useWords(use), chooseText(fits))
}

// KeyAlgMisfit is AlgMisfit for a key (its own shape).
func KeyAlgMisfit(key jwk.Key, use, alg string) error {
	kty, crv, bits := Shape(key)
	return AlgMisfit(kty, crv, bits, use, alg)
}

func useArticle(use string) string {
	if use == UseSig {
		return "a signature"
	}
	return "an encryption"
}

// chooseText is "choose ES256" or "choose one of RS256, RS384, PS256".
func chooseText(algs []string) string {
	switch len(algs) {
	case 0:
		return "no alg fits"
	case 1:
		return "choose " + algs[0]
	}
	return "choose one of " + strings.Join(algs, ", ")
}

// describeShapeBits names a key's shape as DescribeKey does: "RSA 2048",
// "EC P-256", "a 256-bit oct secret".
func describeShapeBits(kty, crv string, bits int) string {
	if kty == KtyRSA && bits > 0 {
		return fmt.Sprintf("RSA %d", bits)
	}
	return DescribeShape(kty, crv, bits)
}
