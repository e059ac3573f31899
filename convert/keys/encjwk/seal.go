package encjwk

import (
	"fmt"
	"unicode/utf8"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwe"
)

// SealOptions tune Seal. The zero value writes what step reads and what
// the keystore keeps: PBES2-HS512+A256KW, p2c 600,000, A256GCM, JSON.
type SealOptions struct {
	// Alg is one of the three PBES2 algorithms; "" means DefaultAlg.
	Alg string
	// Count is p2c: 0 means WriteFloor; under WriteFloor or over ReadCap
	// (it could not be read back) is refused.
	Count int64
	// Compact writes the compact serialization instead of the JSON
	// (flattened) one.
	Compact bool
}

// Seal encrypts a JWK or JWK Set (plaintext: one JSON object with "kty" or
// "keys") with a passphrase: PBES2 with a fresh random p2s (as long as the
// derived key: 16, 24 or 32 bytes), A256GCM, and cty jwk+json or
// jwk-set+json from the plaintext. The JSON form is indented and ends with
// a newline, like step's files; the compact form is one line without one.
// An empty passphrase is refused (ErrEmptyPassphrase); a short one is the
// caller's to warn about (PassphraseHint).
func Seal(plaintext, passphrase []byte, opts SealOptions) ([]byte, error) {
	if len(passphrase) == 0 {
		return nil, newError(ErrEmptyPassphrase, "the passphrase is empty: an encrypted JWK needs one")
	}
	alg, count, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	var info Info
	if err := contentOf(plaintext, &info); err != nil {
		return nil, err
	}
	cty := "jwk+json"
	if info.Content == ContentJWKS {
		cty = "jwk-set+json"
	}
	h := jwe.NewHeaders()
	if err := h.Set("cty", cty); err != nil {
		return nil, fmt.Errorf("failed to set cty: %w", err)
	}
	form := jwe.WithJSON(jwe.WithPretty(true))
	if opts.Compact {
		form = jwe.WithCompact()
	}
	out, err := jwe.Encrypt(plaintext,
		jwe.WithKey(alg, passphrase),
		jwe.WithContentEncryption(jwa.A256GCM()),
		jwe.WithPBES2Count(int(count)),
		jwe.WithProtectedHeaders(h),
		// Without it jwx copies alg, p2s and p2c into the recipient's
		// "header" as well, which RFC 7516 §7.2.1 forbids and Open refuses.
		jwe.WithLegacyHeaderMerging(false),
		form)
	if err != nil {
		return nil, fmt.Errorf("failed to encrypt the %s: %w", info.Content, err)
	}
	if !opts.Compact {
		out = append(out, '\n')
	}
	return out, nil
}

// resolve applies the defaults and refuses what Seal must not write.
func (o SealOptions) resolve() (jwa.KeyEncryptionAlgorithm, int64, error) {
	name := o.Alg
	if name == "" {
		name = DefaultAlg
	}
	alg, ok := jwa.LookupKeyEncryptionAlgorithm(name)
	if _, pb := pbes2[name]; !ok || !pb {
		return alg, 0, newError(ErrUnsupported, fmt.Sprintf("alg %q is not a PBES2 algorithm (PBES2-HS256+A128KW, PBES2-HS384+A192KW, PBES2-HS512+A256KW)", name))
	}
	count := o.Count
	if count == 0 {
		count = WriteFloor
	}
	switch {
	case count < WriteFloor:
		e := newError(ErrCountUnderFloor, fmt.Sprintf("p2c %s is under %s, the least this writer uses (OWASP's figure for PBKDF2)", grouped(count), grouped(WriteFloor)))
		e.Count, e.Limit = count, WriteFloor
		return alg, 0, e
	case count > ReadCap:
		e := newError(ErrCountOverCap, fmt.Sprintf("p2c %s is over %s, the most a reader here accepts: the key could not be read back", grouped(count), grouped(ReadCap)))
		e.Count, e.Limit = count, ReadCap
		return alg, 0, e
	}
	return alg, count, nil
}

// Strength grades a passphrase by its length alone.
type Strength int

// The grades.
const (
	StrengthEmpty    Strength = iota // refused by Seal
	StrengthTooShort                 // under 8 characters
	StrengthShort                    // 8 to 15
	StrengthGood                     // 16 or more
)

// Hint is a passphrase's grade and a line to show beside it.
type Hint struct {
	Chars    int // characters (Unicode code points), not bytes
	Strength Strength
	Text     string // "12 characters: short; 16 or more recommended"
}

// RecommendedChars is the length PassphraseHint calls good.
const RecommendedChars = 16

// PassphraseHint grades a passphrase by its length, not by rules about
// its characters: length is what makes a passphrase hard to guess, and
// four random words make a good one.
func PassphraseHint(passphrase []byte) Hint {
	n := utf8.RuneCount(passphrase)
	h := Hint{Chars: n}
	chars := fmt.Sprintf("%d characters", n)
	if n == 1 {
		chars = "1 character"
	}
	switch {
	case n == 0:
		h.Strength, h.Text = StrengthEmpty, "empty: a passphrase is needed"
	case n < 8:
		h.Strength, h.Text = StrengthTooShort, chars+": too short; 16 or more recommended"
	case n < RecommendedChars:
		h.Strength, h.Text = StrengthShort, chars+": short; 16 or more recommended"
	default:
		h.Strength, h.Text = StrengthGood, chars+": long enough"
	}
	return h
}
