package encjwk

import (
	"errors"
	"strconv"
)

// The kinds of failure a caller branches on, with errors.Is. Every error
// this package returns is an *Error whose Kind is one of them; its message
// names the problem in the field's words and never quotes the plaintext.
var (
	// ErrNotJWE: the input is not a JWE at all (neither five dot-separated
	// base64url parts nor a JSON object with "ciphertext").
	ErrNotJWE = errors.New("not a JWE")
	// ErrNotPBES2: a JWE encrypted to a key (RSA-OAEP, ECDH-ES, A128KW,
	// dir…), not with a passphrase.
	ErrNotPBES2 = errors.New("the JWE is not passphrase-encrypted (PBES2)")
	// ErrNotKey: the content is not a JWK or JWK Set, by its cty or, once
	// decrypted, by what it holds.
	ErrNotKey = errors.New("the content is not a JWK or JWK Set")
	// ErrUnsupported: a well-formed JWE this reader does not take (an
	// unknown enc or zip, crit, several recipients, an algorithm parameter
	// outside the protected and recipient headers).
	ErrUnsupported = errors.New("unsupported JWE")
	// ErrDamaged: the JWE is malformed, or it failed authentication after
	// the passphrase unwrapped its content key (so the passphrase is right
	// and iv, ciphertext, tag or the protected header changed).
	ErrDamaged = errors.New("the JWE is damaged")
	// ErrTooLarge: the input is over MaxInput, or its content over
	// MaxContent.
	ErrTooLarge = errors.New("the input is over its size limit")
	// ErrNeedsPassphrase: Open was given no passphrase.
	ErrNeedsPassphrase = errors.New("a passphrase is needed")
	// ErrWrongPassphrase: the passphrase does not unwrap the content key.
	// AES key wrap (RFC 3394) fails the same way when encrypted_key, p2s
	// or p2c was changed: the two cannot be told apart.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrCountOverCap: p2c is over the cap (ReadCap when reading, or the
	// caller's lower cap), refused before deriving; Error.Count holds it.
	ErrCountOverCap = errors.New("p2c is over the cap")
	// ErrCountUnderFloor: p2c is under ReadFloor when reading, or under
	// WriteFloor when writing.
	ErrCountUnderFloor = errors.New("p2c is under the floor")
	// ErrEmptyPassphrase: Seal was given an empty passphrase.
	ErrEmptyPassphrase = errors.New("the passphrase is empty")
)

// Error is every error of this package: errors.Is(err, Kind) holds, and
// for a p2c refusal Count and Limit carry the numbers. Cause is jwx's own
// error where there is one, kept for developers (errors.Unwrap) and never
// part of the message.
type Error struct {
	Kind  error
	Count int64 // p2c, for ErrCountOverCap and ErrCountUnderFloor
	Limit int64 // the cap or floor it was held to
	msg   string
	cause error
}

func (e *Error) Error() string { return e.msg }

// Is makes errors.Is(err, e.Kind) true.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap returns jwx's error behind a failed decryption (nil otherwise).
func (e *Error) Unwrap() error { return e.cause }

func newError(kind error, msg string) *Error { return &Error{Kind: kind, msg: msg} }

// grouped writes n with thousands separators: 10000000 → "10,000,000".
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return neg + s
}
