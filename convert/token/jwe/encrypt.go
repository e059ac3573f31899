package jwe

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwa"
	jwxjwe "github.com/lestrrat-go/jwx/v3/jwe"
)

// DefaultP2C is the PBES2 iteration count Encrypt uses when none is given:
// 600,000, as step writes and as OWASP recommends for PBKDF2-HMAC-SHA256.
const DefaultP2C = 600_000

// minP2C is the smallest PBES2 iteration count Encrypt writes (RFC 7518
// §4.8.1.2: at least 1,000).
const minP2C = 1000

// EncryptOptions tune Encrypt.
type EncryptOptions struct {
	Cty string // the header's cty: "JWT" for a nested token (RFC 7519 §5.2)
	// Kid is the header's kid for a secret, a passphrase or a key without
	// kid. A key's own kid is always the header's: a different Kid is refused.
	Kid         string
	P2C         int  // PBES2 iteration count; 0: DefaultP2C
	Zip         bool // compress the plaintext with DEFLATE (zip: DEF, RFC 7516 §4.1.3)
	AllowRSA1_5 bool // RSA1_5 (legacy, Bleichenbacher-prone) only with this
}

// encryptOps are the key_ops (RFC 7517 §4.3) that allow a key to take a
// token of a family: one of them must be listed when key_ops is present.
var encryptOps = map[family][]string{
	famRSA:    {"wrapKey", "encrypt"},
	famRSA15:  {"wrapKey", "encrypt"},
	famECDH:   {"deriveKey", "deriveBits"},
	famECDHKW: {"deriveKey", "deriveBits", "wrapKey"},
	famAESKW:  {"wrapKey", "encrypt"},
	famGCMKW:  {"wrapKey", "encrypt"},
	famDir:    {"encrypt"},
}

// Encrypt makes a compact JWE of plaintext, encrypted to one key (its
// public half: a private key given is used through it), a shared secret or
// a passphrase, with alg and enc checked to fit it (Algs and Encs list what
// fits). A key with use "sig", a key whose key_ops allow no encryption and
// RSA under 2048 bits are refused, as is RSA1_5 without the opt-in. The
// header's kid is the key's own.
func Encrypt(plaintext []byte, to Source, alg, enc string, opts EncryptOptions) (tok string, err error) {
	defer func() {
		if p := recover(); p != nil {
			tok, err = "", fmt.Errorf("failed to encrypt: an unexpected internal error (%v); please report it", p)
		}
	}()
	e, err := target(to)
	if err != nil {
		return "", err
	}
	if err := checkEncrypt(e, alg, enc, opts); err != nil {
		return "", err
	}
	if len(plaintext) > MaxPlaintext {
		return "", fmt.Errorf("the plaintext is %d KiB: over %d KiB is not encrypted here (the inspector reads no more)", len(plaintext)>>10, MaxPlaintext>>10)
	}
	options, err := encryptOptions(e, alg, enc, opts)
	if err != nil {
		return "", err
	}
	out, err := jwxjwe.Encrypt(plaintext, options...)
	if err != nil {
		return "", fmt.Errorf("failed to encrypt with %s and %s: %w", alg, enc, err)
	}
	if len(out) > MaxTokenSize {
		return "", fmt.Errorf("the token would be %d KiB: over the %d KiB a token may be, shorten the plaintext (or set zip)", len(out)>>10, MaxTokenSize>>10)
	}
	return string(out), nil
}

// target is the one key a source holds for encrypting.
func target(to Source) (*entry, error) {
	var es []*entry
	if to.kind == srcKey {
		es = to.described(false) // a key's thumbprint plays no part in encrypting
	} else {
		es = to.entries()
	}
	switch {
	case (to.kind == srcSecret || to.kind == srcPassphrase) && len(to.secret) == 0:
		return nil, fmt.Errorf("the %s is empty: type it", to.Name)
	case len(es) == 0:
		return nil, errors.New("no key to encrypt to: choose one public key with use enc")
	case len(es) > 1:
		return nil, fmt.Errorf("the %s holds %d keys: a compact JWE is encrypted to one key, choose one", to.Name, len(es))
	}
	return es[0], nil
}

// checkEncrypt refuses an alg or enc that does not fit the key, or a key
// that is not meant to take tokens.
func checkEncrypt(e *entry, alg, enc string, opts EncryptOptions) error {
	if err := algProblem(e, alg, enc, opts); err != nil {
		return err
	}
	return keyProblem(e, alg, opts)
}

// algProblem: alg and enc are known, RSA1_5 is opted into, and both fit
// the key (its type, size and own alg).
func algProblem(e *entry, alg, enc string, opts EncryptOptions) error {
	a, ok := keyAlgs[alg]
	switch {
	case !ok:
		return fmt.Errorf("alg %q is not a key management algorithm written here (%s)", alg, listAlgs())
	case contentEncs[enc].cek == 0:
		return fmt.Errorf("enc %q is not a content encryption algorithm written here (%s)", enc, strings.Join(ContentAlgorithms(), ", "))
	case a.fam == famRSA15 && !opts.AllowRSA1_5:
		return errors.New("RSA1_5 is written only with the explicit opt-in: it is open to Bleichenbacher's padding-oracle attack (RFC 8725 §3.2); choose RSA-OAEP-256")
	case !e.fitsAlg(alg, enc):
		return fmt.Errorf("%s does not fit %s: %s", alg, e.shape(), need(alg, enc))
	case e.alg != "" && !ownAlgFits(e.alg, alg, enc):
		return fmt.Errorf("the key's own alg is %s: it is not used with %s", e.alg, alg)
	}
	return nil
}

// keyProblem: the key is meant to take tokens of alg (use, key_ops, RSA
// size), the kid asked for is its own, and PBES2's count is in range.
func keyProblem(e *entry, alg string, opts EncryptOptions) error {
	fam := keyAlgs[alg].fam
	switch {
	case e.use == "sig":
		return errors.New("the key has use sig: a signing key never takes encrypted tokens; choose a key with use enc")
	case e.hasOps && !slices.ContainsFunc(encryptOps[fam], func(op string) bool { return slices.Contains(e.ops, op) }):
		return fmt.Errorf("the key's key_ops (%s) include none of %s: it is not meant to take %s tokens", strings.Join(e.ops, ", "), strings.Join(encryptOps[fam], ", "), alg)
	case e.kty == "RSA" && e.rsaBits < 2048:
		return fmt.Errorf("the RSA key is %d bits: tokens are encrypted to 2048 bits or more (RFC 7518 §4.2, §4.3)", e.rsaBits)
	case opts.Kid != "" && e.hasKid && opts.Kid != e.kid:
		return fmt.Errorf("the key's kid is %q: the header's kid is the key's own, so kid %q is refused (leave it empty)", e.kid, opts.Kid)
	case fam == famPBES2 && opts.P2C != 0 && (opts.P2C < minP2C || opts.P2C > MaxP2C):
		return fmt.Errorf("p2c %s is out of range: PBES2 is written with %s to %s iterations", groupDigits(int64(opts.P2C)), groupDigits(minP2C), groupDigits(MaxP2C))
	}
	return nil
}

// encryptOptions are jwx's options for the encryption.
func encryptOptions(e *entry, alg, enc string, opts EncryptOptions) ([]jwxjwe.EncryptOption, error) {
	kalg, _ := jwa.LookupKeyEncryptionAlgorithm(alg)
	calg, _ := jwa.LookupContentEncryptionAlgorithm(enc)
	var key any = e.raw
	if e.key != nil && e.kty != "oct" {
		pub, err := e.key.PublicKey()
		if err != nil {
			return nil, fmt.Errorf("failed to get the public key: %w", err)
		}
		key = pub // jwx writes its kid in the header
	}
	hdr := jwxjwe.NewHeaders()
	if opts.Cty != "" {
		if err := hdr.Set("cty", opts.Cty); err != nil {
			return nil, fmt.Errorf("failed to set cty: %w", err)
		}
	}
	kid := opts.Kid
	if e.hasKid && e.kty == "oct" {
		kid = e.kid // an oct key's octets go to jwx, without its kid
	}
	if kid != "" {
		if err := hdr.Set("kid", kid); err != nil {
			return nil, fmt.Errorf("failed to set kid: %w", err)
		}
	}
	out := []jwxjwe.EncryptOption{jwxjwe.WithKey(kalg, key), jwxjwe.WithContentEncryption(calg), jwxjwe.WithProtectedHeaders(hdr)}
	if keyAlgs[alg].fam == famPBES2 {
		p2c := opts.P2C
		if p2c == 0 {
			p2c = DefaultP2C
		}
		out = append(out, jwxjwe.WithPBES2Count(p2c))
	}
	if opts.Zip {
		out = append(out, jwxjwe.WithCompress(jwa.Deflate()))
	}
	return out, nil
}

// Algs lists the key management algorithms that fit a key (a source of
// one key, a secret or a passphrase) for encrypting, the default first:
// the key's own alg when it has one; RSA-OAEP-256 for RSA; ECDH-ES+A256KW
// for EC and X25519; A*KW for a secret of an AES key size, dir for one of
// a content key size; PBES2-HS256+A128KW for a passphrase. A key with use
// sig, or whose key_ops allow no encryption, has none. RSA1_5 only with
// allowRSA1_5.
func Algs(to Source, allowRSA1_5 bool) []string {
	e, err := target(to)
	if err != nil {
		return nil
	}
	if e.use == "sig" {
		return nil // a signing key never takes tokens (keyProblem says why)
	}
	var out []string
	for _, alg := range KeyAlgorithms() {
		if alg == "RSA1_5" && !allowRSA1_5 {
			continue
		}
		enc := firstEnc(e, alg)
		if !e.fitsAlg(alg, enc) {
			continue // the cheap test first: a message is written only for a key that fits
		}
		if checkEncrypt(e, alg, enc, EncryptOptions{AllowRSA1_5: true}) == nil {
			out = append(out, alg)
		}
	}
	return out
}

// Encs lists the content encryption algorithms that fit a key and alg, the
// default (A256GCM) first; for dir, those whose content key is the
// secret's size.
func Encs(to Source, alg string) []string {
	e, err := target(to)
	if err != nil {
		return nil
	}
	var out []string
	for _, enc := range ContentAlgorithms() {
		if keyAlgs[alg].fam == famDir && !e.fitsAlg(alg, enc) {
			continue
		}
		if _, ok := keyAlgs[alg]; ok {
			out = append(out, enc)
		}
	}
	return out
}

// firstEnc is an enc that fits alg and the key (dir's follows the secret's
// size).
func firstEnc(e *entry, alg string) string {
	if keyAlgs[alg].fam != famDir {
		return "A256GCM"
	}
	for _, enc := range ContentAlgorithms() {
		if e.fitsAlg(alg, enc) {
			return enc
		}
	}
	return "A256GCM"
}
