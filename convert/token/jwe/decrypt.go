package jwe

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwa"
	jwxjwe "github.com/lestrrat-go/jwx/v3/jwe"
	"github.com/lestrrat-go/jwx/v3/jwe/jwebb"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

// MaxPlaintext caps the plaintext of a zip: DEF token after inflating: 1 MiB
// (a token is at most 64 KiB, and DEFLATE inflates up to 1,032 times). The
// inflating stops at the cap.
const MaxPlaintext = 1 << 20

// result is what one decryption attempt came to.
type result int

const (
	resOpened     result = iota + 1
	resKeyFailed         // the content key could not be unwrapped (or agreed)
	resTagFailed         // the content did not authenticate with the content key
	resTooLarge          // opened, but the zip: DEF plaintext inflates past MaxPlaintext
	resBadDeflate        // opened, but the zip: DEF plaintext is not DEFLATE data
	resFailed            // anything else (the key could not be used)
)

// attempt is one decryption attempt's result.
type attempt struct {
	res       result
	plaintext []byte
}

// open decrypts the token with one key through jwx's jwe.Decrypt, with the
// caps set: PBES2's p2c (a second line behind checkPBES2), crit validated,
// one recipient. A zip: DEF token is decrypted by jwx with inflating
// stopped at once, and jwx hands back the content key it authenticated
// the content with: the plaintext is then decrypted again with jwx's own
// content cipher and inflated here, within MaxPlaintext (see inflate).
func open(c *compact, h *header, e *entry) attempt {
	alg, ok := jwa.LookupKeyEncryptionAlgorithm(h.alg)
	if !ok {
		return attempt{res: resFailed}
	}
	key, err := rawKey(e)
	if err != nil {
		return attempt{res: resFailed}
	}
	if secret, ok := key.([]byte); ok && h.alg == "dir" {
		// The secret is the content key (RFC 7518 §4.5): jwx's own content
		// cipher opens it, without jwe.Decrypt parsing the token a second
		// time (that parse was a third of a dir decryption).
		return contentDecrypt(c, h, secret, h.zip == "DEF")
	}
	var cek []byte
	opts := []jwxjwe.DecryptOption{
		jwxjwe.WithKey(alg, key),
		jwxjwe.WithMaxPBES2Count(MaxP2C),
		jwxjwe.WithMinPBES2Count(1),
		jwxjwe.WithCritValidation(true),
		jwxjwe.WithMaxRecipients(1),
	}
	zip := h.zip == "DEF"
	if zip {
		opts = append(opts, jwxjwe.WithCEK(&cek), jwxjwe.WithMaxDecompressBufferSize(1))
	}
	pt, err := jwxjwe.Decrypt([]byte(c.token), opts...)
	switch {
	case err == nil:
		return attempt{res: resOpened, plaintext: pt}
	case zip && len(cek) > 0: // authenticated: only inflating was stopped
		return contentDecrypt(c, h, cek, true)
	case strings.Contains(err.Error(), "failed to decrypt payload"):
		return attempt{res: resTagFailed}
	case strings.Contains(err.Error(), "failed to decrypt key"):
		return attempt{res: resKeyFailed}
	}
	return attempt{res: resFailed}
}

// rawKey is the key in the form jwx's jwe.WithKey takes: the octets of a
// secret or passphrase, the crypto key of a JWK.
func rawKey(e *entry) (any, error) {
	if e.key == nil || e.kty == "oct" {
		return e.raw, nil
	}
	var raw any
	if err := jwk.Export(e.key, &raw); err != nil {
		return nil, fmt.Errorf("failed to export the key: %w", err)
	}
	return raw, nil
}

// contentDecrypt decrypts the content of a token with its content key,
// through jwx's content cipher (the additional authenticated data of a
// compact JWE is its first part as received, RFC 7516 §5.1 step 14), and
// for zip: DEF inflates it within MaxPlaintext. A key of the wrong size for
// enc is a key failure.
func contentDecrypt(c *compact, h *header, cek []byte, zip bool) attempt {
	cipher, err := jwebb.CreateContentCipher(h.enc)
	if err != nil {
		return attempt{res: resFailed}
	}
	if len(cek) != cipher.KeySize() {
		return attempt{res: resKeyFailed}
	}
	aad := []byte(c.token[:strings.IndexByte(c.token, '.')])
	pt, err := cipher.Decrypt(cek, c.iv, c.ciphertxt, c.tag, aad)
	if err != nil {
		return attempt{res: resTagFailed}
	}
	if !zip {
		return attempt{res: resOpened, plaintext: pt}
	}
	pt, err = inflate(pt, MaxPlaintext)
	switch {
	case errors.Is(err, errTooLarge):
		return attempt{res: resTooLarge}
	case err != nil:
		return attempt{res: resBadDeflate}
	}
	return attempt{res: resOpened, plaintext: pt}
}

var errTooLarge = errors.New("the inflated plaintext is over the cap")

// inflate inflates raw DEFLATE data (RFC 1951; RFC 7516 §4.1.3) to at most
// limit bytes. It inflates twice: once to count, keeping nothing, and once
// into a buffer of exactly the counted size. A deflate bomb thus costs the
// inflater's own state and never an output buffer past the cap: the count
// stops one byte past it.
func inflate(src []byte, limit int) ([]byte, error) {
	n, err := io.Copy(io.Discard, io.LimitReader(flate.NewReader(bytes.NewReader(src)), int64(limit)+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("failed to inflate: %w", err)
	case n > int64(limit):
		return nil, errTooLarge
	}
	out := make([]byte, n)
	if _, err := io.ReadFull(flate.NewReader(bytes.NewReader(src)), out); err != nil {
		return nil, fmt.Errorf("failed to inflate: %w", err)
	}
	return out, nil
}

// failure says, for a candidate, why the key did not open the token.
func failure(res result, h *header) string {
	switch res {
	case resTagFailed:
		return "the key did not open it: authentication tag mismatch (the token was encrypted to another key, or altered)"
	case resKeyFailed:
		return keyFailure(h)
	case resTooLarge:
		return fmt.Sprintf("the key opened the token, but its zip: DEF plaintext inflates past %d KiB: refused (inflating stopped at the cap)", MaxPlaintext>>10)
	case resBadDeflate:
		return "the key opened the token, but its zip: DEF plaintext is not DEFLATE data (RFC 1951): refused"
	}
	return "the key could not be used to decrypt: decryption failed"
}

// keyFailure says why the content key could not be unwrapped (or agreed).
func keyFailure(h *header) string {
	switch fam := keyAlgs[h.alg].fam; {
	case fam == famPBES2:
		return "wrong passphrase: unwrapping the content key failed (AES key wrap integrity check, RFC 3394)"
	case fam == famRSA || fam == famRSA15:
		return h.alg + " decryption of the encrypted key failed: the key did not open it (the token was encrypted to another key)"
	case fam == famGCMKW:
		return "the key did not open it: unwrapping the content key failed (AES-GCM authentication of the wrapped key)"
	case h.epkCrv == "X25519" && lowOrderX25519(h.epkX):
		return "the token's epk is a low-order X25519 point: every key agrees on an all-zero secret with it (RFC 7748 §6.1), so no key opens the token: refused"
	case fam == famECDH:
		return "the key did not open it: the key agreement with the token's epk failed"
	}
	return "the key did not open it: unwrapping the content key failed (AES key wrap integrity check, RFC 3394)"
}
