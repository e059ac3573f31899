package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/token"
	"github.com/jwkdesk/jwkdesk/convert/token/jwe"
)

const encryptSynopsis = "--key FILE (or --to FILE) [--kid KID] | --secret-file F [--secret-encoding E] | --passphrase-file F  [--alg ALG] [--enc ENC] [--cty JWT] [--sign-key FILE] [--zip] [--p2c N] [--allow-rsa1_5] [--out FILE] (--payload TEXT | --claims JSON | < plaintext)"

// encryptFlags are encrypt's flags.
type encryptFlags struct {
	to, key, kid, secretFile, secretEnc, passFile *string
	payload, claims                               *string
	alg, enc, cty, signKey, out                   *string
	zip, allowRSA1_5                              *bool
	p2c                                           *int
}

// runEncrypt prints a compact JWE of standard input, encrypted to a key, a
// shared secret or a passphrase; with --sign-key the input (claims) is
// signed first and the JWE is a nested JWT (cty JWT).
func runEncrypt(env Env, args []string) int {
	fs := newFlagSet("encrypt")
	f := encryptFlags{
		to:          fs.String("to", "", "encrypt to this key: a JWK, JWKS or PEM (public or private: its public half is used)"),
		key:         fs.String("key", "", "the same as --to: the public (use enc) JWK, JWKS or PEM to encrypt to"),
		payload:     fs.String("payload", "", "encrypt this text (instead of standard input)"),
		claims:      fs.String("claims", "", "encrypt this JSON object of claims (instead of standard input); with --sign-key, the claims signed"),
		kid:         fs.String("kid", "", "with --to holding several encryption keys: the kid of the one to use"),
		secretFile:  fs.String("secret-file", "", "encrypt with the shared secret in this file (dir, A*KW, A*GCMKW)"),
		secretEnc:   fs.String("secret-encoding", token.SecretText, "how the secret file is written: text, base64url or hex"),
		passFile:    fs.String("passphrase-file", "", "encrypt with the passphrase on the first line of this file (PBES2)"),
		alg:         fs.String("alg", "", "key management algorithm (default: the first that fits the key)"),
		enc:         fs.String("enc", "", "content encryption algorithm (default: A256GCM, or the one that fits a dir secret)"),
		cty:         fs.String("cty", "", `the header's cty ("JWT" for a nested token; --sign-key sets it)`),
		signKey:     fs.String("sign-key", "", "sign the input (JSON claims) with this private key first: a nested JWT (RFC 7519 §5.2)"),
		zip:         fs.Bool("zip", false, "compress the plaintext with DEFLATE (zip: DEF)"),
		p2c:         fs.Int("p2c", 0, fmt.Sprintf("PBES2 iteration count (default %d)", jwe.DefaultP2C)),
		allowRSA1_5: fs.Bool("allow-rsa1_5", false, "allow --alg RSA1_5 (legacy, Bleichenbacher-prone)"),
		out:         outFlag(fs),
	}
	pos, code, ok := parseFlags(env, fs, encryptSynopsis, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return fail(env, "encrypt: give the plaintext with --payload TEXT, --claims JSON or on standard input, not as the argument %q", pos[0])
	}
	if *f.key != "" {
		if *f.to != "" {
			return fail(env, "encrypt: give the key once: --key or --to, not both")
		}
		f.to = f.key
	}
	to, code, ok := encryptTarget(env, f)
	if !ok {
		return code
	}
	plaintext, err := encryptPlaintext(env, f)
	if err != nil {
		return fail(env, "encrypt: %v", err)
	}
	tok, err := encryptInput(env, f, to, plaintext)
	if err != nil {
		return fail(env, "encrypt: %v", err)
	}
	if err := writeOutput(env, *f.out, []byte(tok+"\n")); err != nil {
		return fail(env, "encrypt: %v", err)
	}
	return ExitOK
}

// encryptPlaintext is what to encrypt: --payload, --claims (a JSON
// object), or standard input.
func encryptPlaintext(env Env, f encryptFlags) ([]byte, error) {
	switch {
	case *f.payload != "" && *f.claims != "":
		return nil, fmt.Errorf("give one of --payload and --claims")
	case *f.payload != "":
		if len(*f.payload) > input.MaxTokenSize {
			return nil, &input.TooLargeError{What: "--payload", Limit: input.MaxTokenSize}
		}
		return []byte(*f.payload), nil
	case *f.claims != "":
		var obj map[string]any
		if err := json.Unmarshal([]byte(*f.claims), &obj); err != nil || obj == nil {
			return nil, fmt.Errorf(`--claims is not a JSON object: give claims as {"sub":"alice"}, or any text with --payload`)
		}
		if len(*f.claims) > input.MaxTokenSize {
			return nil, &input.TooLargeError{What: "--claims", Limit: input.MaxTokenSize}
		}
		return []byte(*f.claims), nil
	}
	plaintext, _, err := readInput(env, nil, input.MaxTokenSize)
	return plaintext, err
}

// encryptInput encrypts (or signs then encrypts) the plaintext with the
// chosen or default alg and enc.
func encryptInput(env Env, f encryptFlags, to jwe.Source, plaintext []byte) (string, error) {
	alg, enc := *f.alg, *f.enc
	if alg == "" {
		algs := jwe.Algs(to, *f.allowRSA1_5)
		if len(algs) == 0 {
			return "", fmt.Errorf("the %s cannot take a JWE", to.Name)
		}
		alg = algs[0]
	}
	if enc == "" {
		if encs := jwe.Encs(to, alg); len(encs) > 0 {
			enc = encs[0]
		}
	}
	opts := jwe.EncryptOptions{Cty: *f.cty, P2C: *f.p2c, Zip: *f.zip, AllowRSA1_5: *f.allowRSA1_5}
	if *f.signKey == "" {
		return jwe.Encrypt(plaintext, to, alg, enc, opts)
	}
	key, err := privateKeyFile(env, *f.signKey)
	if err != nil {
		return "", fmt.Errorf("--sign-key %v", err)
	}
	kid, _ := key.KeyID()
	return token.SignThenEncrypt(key, plaintext, kid, to, alg, enc, opts)
}

// encryptTarget reads the one target given: --to, --secret-file or
// --passphrase-file.
func encryptTarget(env Env, f encryptFlags) (jwe.Source, int, bool) {
	var given []string
	for name, v := range map[string]string{"to": *f.to, "secret-file": *f.secretFile, "passphrase-file": *f.passFile} {
		if v != "" {
			given = append(given, "--"+name)
		}
	}
	switch {
	case len(given) == 0:
		return jwe.Source{}, fail(env, "encrypt: give what to encrypt to: --to KEY_FILE, --secret-file F or --passphrase-file F"), false
	case len(given) > 1:
		return jwe.Source{}, fail(env, "encrypt: give one of --to, --secret-file and --passphrase-file"), false
	case *f.passFile != "":
		pass, err := readPassphraseFile(env, *f.passFile)
		if err != nil {
			return jwe.Source{}, fail(env, "encrypt: --passphrase-file: %v", err), false
		}
		return jwe.Passphrase(pass), 0, true
	case *f.secretFile != "":
		in, _, err := readInput(env, []string{*f.secretFile}, input.MaxKeyInput)
		if err == nil {
			var secret []byte
			if secret, err = decodeSecretFile(env, in, *f.secretEnc); err == nil {
				return jwe.SharedSecret(secret), 0, true
			}
		}
		return jwe.Source{}, fail(env, "encrypt: --secret-file %s: %v", *f.secretFile, err), false
	}
	k, err := encryptionKeyFile(*f.to, *f.kid, *f.allowRSA1_5)
	if err != nil {
		return jwe.Source{}, fail(env, "encrypt: --to %s: %v", *f.to, err), false
	}
	return jwe.OneKey("key of "+*f.to, k), 0, true
}

// encryptionKeyFile picks the key to encrypt to from a file: its one
// encryption key, or the one with kid.
func encryptionKeyFile(path, kid string, allowRSA1_5 bool) (jwk.Key, error) {
	in, err := input.ReadFileCapped(path, input.MaxKeyInput, "")
	if err != nil {
		return nil, err
	}
	list, _, err := keys.ReadKeys(in)
	if err != nil {
		return nil, err
	}
	fit := token.EncryptionKeys(list, allowRSA1_5)
	if kid != "" {
		var withKid []jwk.Key
		for _, k := range fit {
			if id, ok := k.KeyID(); ok && id == kid {
				withKid = append(withKid, k)
			}
		}
		fit = withKid
	}
	switch len(fit) {
	case 0:
		if kid != "" {
			return nil, fmt.Errorf("no encryption key has kid %q", kid)
		}
		return nil, fmt.Errorf("no key in it can take a JWE (a key with use \"sig\" never encrypts): give a use \"enc\" key")
	case 1:
		return fit[0], nil
	}
	kids := make([]string, len(fit))
	for i, k := range fit {
		kids[i], _ = k.KeyID()
	}
	return nil, fmt.Errorf("it holds %d encryption keys (kids %s): choose one with --kid", len(fit), strings.Join(kids, ", "))
}

// privateKeyFile reads the one private key of a file (JWK or PEM).
func privateKeyFile(env Env, path string) (jwk.Key, error) {
	in, _, err := readInput(env, []string{path}, input.MaxKeyInput)
	if err != nil {
		return nil, err
	}
	list, err := keys.ParseKeys(in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var key jwk.Key
	for _, k := range list {
		if keys.IsPrivate(k) {
			if key != nil {
				return nil, fmt.Errorf("%s holds several private keys: give a file with one", path)
			}
			key = k
		}
	}
	if key == nil {
		return nil, fmt.Errorf("%s holds no private key: signing needs the private key", path)
	}
	return key, nil
}
