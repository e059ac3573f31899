package cli

import (
	"fmt"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/token"
)

const decryptSynopsis = "TOKEN_FILE|- [--jwks F|--jwk F|--pem F|--secret-file F] [--secret-encoding text|base64url|hex] [--passphrase-file F] [--allow-rsa1_5]"

// runDecrypt prints the plaintext of a compact JWE alone: exit 0 when it
// was decrypted, 1 when not (the reason on stderr; `inspect` says more),
// 2 for bad input or usage.
func runDecrypt(env Env, args []string) int {
	fs := newFlagSet("decrypt")
	jwksFile := fs.String("jwks", "", "decrypt with the private keys of this JWKS file (looked up by the token's kid)")
	jwkFile := fs.String("jwk", "", "decrypt with this private JWK file (tried whatever the token's kid)")
	pemFile := fs.String("pem", "", "decrypt with this PEM private key (tried whatever the token's kid)")
	secretFile := fs.String("secret-file", "", "decrypt a dir, A*KW or A*GCMKW token with the shared secret in this file")
	secretEnc := fs.String("secret-encoding", token.SecretText, "how the secret file is written: text, base64url or hex")
	jf := jweFlags(fs)
	pos, code, ok := parseFlags(env, fs, decryptSynopsis, args)
	if !ok {
		return code
	}
	in, _, err := readInput(env, pos, input.MaxTokenSize)
	if err != nil {
		return fail(env, "decrypt: %v", err)
	}
	src, code, ok := inspectKeySource(env, "decrypt", *secretEnc, map[string]string{"jwks": *jwksFile, "jwk": *jwkFile, "pem": *pemFile, "secret-file": *secretFile})
	if !ok {
		return code
	}
	var opts token.InspectOptions
	if code, ok := jf.apply(env, "decrypt", &opts); !ok {
		return code
	}
	r, err := token.Inspect(string(in), src, opts)
	switch {
	case err != nil:
		return fail(env, "decrypt: %v", err)
	case r.JWE == nil:
		return fail(env, "decrypt: this is a signed token (JWS), not an encrypted one: nothing to decrypt; run jwkdesk inspect to verify it")
	case !r.JWE.Decrypted:
		fmt.Fprintf(env.Stderr, "jwkdesk: decrypt: not decrypted: %s\n", r.JWE.Reason)
		return ExitNotValid
	}
	if _, err := env.Stdout.Write(r.JWE.Plaintext); err != nil {
		return fail(env, "decrypt: %v", err)
	}
	return ExitOK
}
