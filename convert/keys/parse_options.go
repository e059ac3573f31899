package keys

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
)

// KeyOptions are the members a user sets on converted keys.
type KeyOptions struct {
	Kid string // "" keeps the key's kid, or sets the RFC 7638 thumbprint when it has none
	Use string // "" keeps it
	Alg string // "" keeps it; otherwise it must fit the key
}

// ApplyKeyOptions returns a copy of key with kid, use and alg set. An alg
// that does not fit the key is refused with the ones that do.
func ApplyKeyOptions(key jwk.Key, o KeyOptions) (out jwk.Key, err error) {
	defer recovery.Into(&err, "setting kid, use and alg")
	k, err := key.Clone()
	if err != nil {
		return nil, fmt.Errorf("failed to copy the key: %w", err)
	}
	if err := applyUseAndAlg(k, o.Use, o.Alg); err != nil {
		return nil, err
	}
	if err := applyKid(k, strings.TrimSpace(o.Kid)); err != nil {
		return nil, err
	}
	return k, nil
}

// applyUseAndAlg sets use and alg ("" keeps each) on k: an alg that does not
// fit is refused, and so is a use the key's own alg does not fit.
func applyUseAndAlg(k jwk.Key, newUse, newAlg string) error {
	if newUse != "" {
		if err := checkUse(newUse); err != nil {
			return err
		}
		if err := k.Set(jwk.KeyUsageKey, newUse); err != nil {
			return fmt.Errorf("failed to set use: %w", err)
		}
	}
	use, _ := k.KeyUsage()
	if alg := AlgOf(k); newAlg == "" && newUse != "" && alg != "" {
		if err := KeyAlgMisfit(k, use, alg); err != nil {
			return fmt.Errorf("the key has alg %s: %w", alg, err)
		}
	}
	if newAlg == "" {
		return nil
	}
	if err := KeyAlgMisfit(k, use, newAlg); err != nil {
		return err
	}
	if err := k.Set(jwk.AlgorithmKey, newAlg); err != nil {
		return fmt.Errorf("failed to set alg: %w", err)
	}
	return nil
}

// applyKid sets kid (already trimmed) on k; "" keeps the key's kid, or gives
// a key without one its RFC 7638 thumbprint (never an oct secret: a kid is
// never a hash of a secret).
func applyKid(k jwk.Key, kid string) error {
	if err := CheckKid(kid); err != nil {
		return err
	}
	if kid == "" {
		if existing, ok := k.KeyID(); ok && existing != "" {
			return nil
		}
		if _, isOct := k.(jwk.SymmetricKey); isOct {
			return nil
		}
		var err error
		if kid, err = ThumbprintOf(k); err != nil {
			return err
		}
	}
	if err := k.Set(jwk.KeyIDKey, kid); err != nil {
		return fmt.Errorf("failed to set kid: %w", err)
	}
	return nil
}

func octBits(kty string, bits int) int {
	if kty == KtyOct {
		return bits
	}
	return 0
}

// ExportPEMBundle writes one PEM block per key, each preceded by a comment
// line with its kid and flavour. A key for which format does not exist is
// written in its default flavour, and the comment says so.
func ExportPEMBundle(keys []jwk.Key, format PEMFormat, public bool) (out []byte, err error) {
	defer recovery.Into(&err, "writing PEM")
	var b bytes.Buffer
	for i, k := range keys {
		formats := PEMFormatsFor(k, public)
		if len(formats) == 0 {
			kid, _ := k.KeyID()
			fmt.Fprintf(&b, "# key %d (kid %s): %s has no PEM form, skipped\n\n", i+1, kid, DescribeKey(k))
			continue
		}
		f := format
		if !slices.Contains(formats, f) {
			f = formats[0]
		}
		p, err := ExportPEM(k, f, public)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		kid, _ := k.KeyID()
		fmt.Fprintf(&b, "# kid: %s — %s\n", kid, p.Label)
		b.Write(p.PEM)
		if i < len(keys)-1 {
			b.WriteByte('\n')
		}
	}
	return b.Bytes(), nil
}
