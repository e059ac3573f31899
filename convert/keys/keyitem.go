package keys

import (
	//lint:ignore SA1019 crypto/x509 returns *dsa.PublicKey for DSA SPKI and certificates: named to refuse them
	"crypto/dsa"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

// keyItem turns a crypto key into a JWK item with its label and checks the
// key is fit to import, its private part against its public part included.
func keyItem(raw any, label string) (Item, error) {
	return keyItemFrom(&derKey{raw: raw}, label)
}

// keyItemFrom is keyItem for a key read from DER, with the public key
// stored beside it, its PSS alg and the reader's notes.
func keyItemFrom(dk *derKey, label string) (Item, error) {
	desc, warn, err := checkRawKey(dk.raw)
	if err != nil {
		return Item{}, fmt.Errorf("%s: %w", label, err)
	}
	whose := storedWhose
	if dk.stored == nil {
		whose = "its public part"
	}
	if err := checkHalves(dk.raw, dk.stored, whose, dk.derived); err != nil {
		return Item{}, fmt.Errorf("%s: %w", label, err)
	}
	k, err := jwk.Import(dk.raw)
	if err != nil {
		return Item{}, fmt.Errorf("%s: this key cannot be written as a JWK", label)
	}
	if a, ok := jwa.LookupSignatureAlgorithm(dk.alg); dk.alg != "" && ok {
		if err := k.Set(jwk.AlgorithmKey, a); err != nil {
			return Item{}, fmt.Errorf("%s: failed to set alg %s", label, dk.alg)
		}
	}
	if strings.HasSuffix(desc, " bits") && !strings.Contains(label, "RSA") {
		desc = "RSA " + desc
	}
	if dk.pss {
		desc += " (RSASSA-PSS"
		if dk.alg != "" {
			desc += ", " + dk.alg
		}
		desc += ")"
	}
	item := Item{Kind: ItemKey, Label: label + ", " + desc, Key: k, Warnings: append([]string(nil), dk.notes...)}
	if warn != "" {
		item.Warnings = append(item.Warnings, warn)
	}
	return item, nil
}

// checkRawKey describes a crypto key ("2048 bits", "P-384", "Ed25519") and
// refuses keys no one should import.
func checkRawKey(raw any) (desc, warn string, err error) {
	switch k := raw.(type) {
	case *rsa.PublicKey:
		return checkRSA(k)
	case *rsa.PrivateKey:
		return checkRSA(&k.PublicKey)
	case *ecdsa.PublicKey:
		return ecName(k)
	case *ecdsa.PrivateKey:
		return ecName(&k.PublicKey)
	case ed25519.PublicKey, ed25519.PrivateKey:
		return "Ed25519", "", nil
	case *ecdh.PublicKey:
		return ecdhName(k.Curve()), "", nil
	case *ecdh.PrivateKey:
		return ecdhName(k.Curve()), "", nil
	case *dsa.PublicKey, *dsa.PrivateKey:
		return "", "", unsupportedAlgorithm(oidDSA)
	case nil:
		return "", "", errors.New("no key could be read from it")
	}
	return "", "", fmt.Errorf("a %T has no JOSE form", raw)
}

func checkRSA(k *rsa.PublicKey) (string, string, error) {
	if err := checkRSANumbers(k.N, big.NewInt(int64(k.E))); err != nil {
		return "", "", err
	}
	bits := k.N.BitLen()
	desc := fmt.Sprintf("%d bits", bits)
	if bits < 2048 {
		return desc, fmt.Sprintf("weak: %d-bit RSA is shown and linted but never used to verify (RFC 7518 §3.3 needs 2048)", bits), nil
	}
	return desc, "", nil
}

// ecName describes an EC key by its curve, and refuses curves JOSE does
// not register (crypto/x509 reads P-224).
func ecName(k *ecdsa.PublicKey) (string, string, error) {
	switch crv := curveOfRaw(k); crv {
	case CrvP256, CrvP384, CrvP521, CrvSecp256k1:
		return "EC " + crv, "", nil
	case "P-224":
		return "", "", unsupportedCurve(asn1.ObjectIdentifier{1, 3, 132, 0, 33})
	default:
		return "", "", fmt.Errorf("an EC key on curve %q, which JOSE does not register: make a key on P-256, P-384, P-521 or secp256k1", crv)
	}
}

func ecdhName(c ecdh.Curve) string {
	if c == ecdh.X25519() {
		return "X25519"
	}
	return fmt.Sprint(c)
}
