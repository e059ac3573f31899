package encjwk

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwe"
	"github.com/lestrrat-go/jwx/v3/jwe/jwebb"
)

// OpenOptions tune Open. The zero value is the default.
type OpenOptions struct {
	// MaxCount lowers the p2c cap below ReadCap (a caller with a tighter
	// time budget); 0, or a value over ReadCap, means ReadCap.
	MaxCount int64
	// Context is checked before the derivation starts; the derivation
	// itself (PBKDF2) runs to its end, so a UI runs Open in a goroutine and
	// drops a result it no longer wants.
	Context context.Context
}

func (o OpenOptions) limit() int64 {
	if o.MaxCount <= 0 || o.MaxCount > ReadCap {
		return ReadCap
	}
	return o.MaxCount
}

// Open decrypts a passphrase-encrypted JWK or JWK Set and returns its
// plaintext, a JSON object with "kty" (Info.Content ContentJWK) or "keys"
// (ContentJWKS), for the engine's JWK reader. Everything Inspect checks is
// checked first, so a refused p2c costs no derivation. The errors, by kind:
// ErrNeedsPassphrase (empty passphrase), ErrWrongPassphrase (the content key
// did not unwrap: a wrong passphrase, or a changed encrypted_key, p2s or p2c
// — AES key wrap cannot tell them apart), ErrDamaged (malformed, or the
// content failed authentication after the key unwrapped: the passphrase is
// right and iv, ciphertext, tag or the protected header changed),
// ErrCountOverCap / ErrCountUnderFloor, ErrNotPBES2, ErrNotKey,
// ErrUnsupported, ErrNotJWE, ErrTooLarge.
func Open(data, passphrase []byte, opts OpenOptions) ([]byte, Info, error) {
	env, err := parseEnvelope(data)
	if env == nil || env.protected == nil {
		return nil, Info{}, err
	}
	info, err := inspectEnvelope(env, err, opts.limit())
	if err != nil {
		return nil, info, err
	}
	if len(passphrase) == 0 {
		return nil, info, newError(ErrNeedsPassphrase, info.Describe()+": its passphrase is needed to read it")
	}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return nil, info, &Error{Kind: err, msg: "the decryption was cancelled before it started", cause: err}
	}
	plain, err := decrypt(ctx, env, info, passphrase, opts.limit())
	if err != nil {
		return nil, info, err
	}
	if err := contentOf(plain, &info); err != nil {
		return nil, info, err
	}
	return plain, info, nil
}

// inspectEnvelope is Inspect on a parsed envelope (parseErr is what parsing
// said), holding p2c to limit.
func inspectEnvelope(env *envelope, parseErr error, limit int64) (Info, error) {
	info, err := env.header().analyze(env.form)
	if parseErr != nil { // first: a repeated member makes every value doubtful
		return info, parseErr
	}
	if err != nil {
		return info, err
	}
	if err := env.checkSizes(info); err != nil {
		return info, err
	}
	return info, checkCount(info, limit)
}

// unwrapper is jwx's PBES2 key unwrap (jwebb.KeyDecryptPBES2) handed to
// jwe.Decrypt as a KeyDecrypter, so Open knows whether a failure came
// before the content key was unwrapped (the passphrase, or encrypted_key,
// p2s or p2c) or after it (iv, ciphertext, tag, protected header).
type unwrapper struct {
	passphrase []byte
	salt       []byte // RFC 7518 §4.8.1.1: UTF8(alg) || 0x00 || p2s
	count      int
	tried      bool // jwx got as far as the key unwrap
	unwrapped  bool // and it succeeded
}

func (u *unwrapper) DecryptKey(alg jwa.KeyEncryptionAlgorithm, encryptedKey []byte, _ jwe.Recipient, _ *jwe.Message) ([]byte, error) {
	u.tried = true
	cek, err := jwebb.KeyDecryptPBES2(nil, encryptedKey, alg.String(), u.passphrase, u.salt, u.count)
	if err != nil {
		return nil, err
	}
	u.unwrapped = true
	return cek, nil
}

func decrypt(ctx context.Context, env *envelope, info Info, passphrase []byte, limit int64) ([]byte, error) {
	alg, ok := jwa.LookupKeyEncryptionAlgorithm(info.Alg)
	if !ok { // analyze admitted only the three PBES2 names
		return nil, newError(ErrNotPBES2, fmt.Sprintf("alg %s is not PBES2", info.Alg))
	}
	v, _, _ := env.header().get("p2s")
	p2s, _ := b64Member(v, "p2s") // checked by analyze
	salt := append(append([]byte(info.Alg), 0), p2s...)
	u := &unwrapper{passphrase: passphrase, salt: salt, count: int(info.P2C)}
	plain, err := jwe.Decrypt(env.data,
		jwe.WithKey(alg, u),
		jwe.WithMaxPBES2Count(int(limit)),
		jwe.WithMinPBES2Count(ReadFloor),
		jwe.WithMaxRecipients(1),
		jwe.WithCritValidation(true),
		jwe.WithMaxDecompressBufferSize(MaxContent),
		jwe.WithContext(ctx))
	switch {
	case err == nil:
		return plain, nil
	case u.unwrapped:
		return nil, &Error{Kind: ErrDamaged, cause: err, msg: fmt.Sprintf(
			"the passphrase is right (it unwrapped the content key), but the content failed authentication (%s): iv, ciphertext, tag or the protected header was changed; the file is damaged", info.Enc)}
	case ctx.Err() != nil:
		return nil, &Error{Kind: ctx.Err(), cause: err, msg: "the decryption was cancelled"}
	case !u.tried: // jwx refused the JWE before deriving: a header Inspect let through
		return nil, &Error{Kind: ErrDamaged, cause: err, msg: fmt.Sprintf(
			"%s could not be decrypted: a header member is malformed (nothing was derived, the passphrase was not tried)", info.Describe())}
	}
	return nil, &Error{Kind: ErrWrongPassphrase, cause: err, msg: fmt.Sprintf(
		"the passphrase does not unwrap the content key (%s, p2c %s): it is wrong, or encrypted_key, p2s or p2c was changed, and the two cannot be told apart", info.Alg, grouped(info.P2C))}
}

// contentOf checks that the plaintext is one JSON object with "kty" (a JWK)
// or "keys" (a JWK Set) and records which in info, with a note when the
// cty said otherwise. The plaintext is private: no error quotes it.
func contentOf(plain []byte, info *Info) error {
	if len(plain) > MaxContent {
		return newError(ErrTooLarge, fmt.Sprintf("the decrypted content is over %d MiB", MaxContent>>20))
	}
	m, err := members(plain)
	if err != nil {
		return newError(ErrNotKey, "decrypted, but the content "+err.Error()+": a JWK or JWK Set is a JSON object")
	}
	var kty string
	var keys []json.RawMessage
	_, hasKty := m["kty"]
	_, hasKeys := m["keys"]
	switch {
	case hasKty && hasKeys:
		return newError(ErrNotKey, `decrypted, but the content has both "kty" and "keys": it is neither one JWK nor a JWK Set`)
	case hasKty && json.Unmarshal(m["kty"], &kty) == nil && kty != "":
		info.Content = ContentJWK
	case hasKeys && json.Unmarshal(m["keys"], &keys) == nil && keys != nil:
		info.Content = ContentJWKS
	default:
		return newError(ErrNotKey, `decrypted, but the content is not a JWK or JWK Set: it has no "kty" string nor "keys" array`)
	}
	switch {
	case info.Declared == ContentUnknown:
		info.Notes = append(info.Notes, fmt.Sprintf("the header has no cty; the content is a %s", info.Content))
	case info.Declared != info.Content:
		info.Notes = append(info.Notes, fmt.Sprintf("cty %q says %s, but the content is a %s: read as a %s", info.Cty, info.Declared, info.Content, info.Content))
	}
	return nil
}
