package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/token"
)

const inspectSynopsis = "[TOKEN|-] [--jwks F|--jwk F|--pem F|--secret-file F] [--secret-encoding text|base64url|hex] [--passphrase-file F] [--allow-rsa1_5] [--skew 60s] [--now RFC3339] [--text]"

func runInspect(env Env, args []string) int {
	fs := newFlagSet("inspect")
	jwksFile := fs.String("jwks", "", "verify against the keys of this JWKS file")
	jwkFile := fs.String("jwk", "", "verify against this JWK file (one key is tried whatever the token's kid)")
	pemFile := fs.String("pem", "", "verify against this PEM file (public key, certificate or chain: one key is tried whatever the token's kid)")
	secretFile := fs.String("secret-file", "", "verify an HS* token with the HMAC secret in this file (for a JWE: the shared secret of dir, A*KW, A*GCMKW)")
	secretEnc := fs.String("secret-encoding", token.SecretText, "how the secret file is written: text, base64url or hex")
	jf := jweFlags(fs)
	skew := fs.Duration("skew", token.DefaultSkew, "clock skew allowed around exp and nbf")
	nowText := fs.String("now", "", "check the time claims at this instant (RFC 3339) instead of now")
	asText := fs.Bool("text", false, "print the report as text for a reader instead of JSON (the exit code is the same)")
	pos, code, ok := parseFlags(env, fs, inspectSynopsis, args)
	if !ok {
		return code
	}
	opts := token.InspectOptions{Skew: *skew}
	if *skew < 0 {
		return fail(env, "inspect: --skew must not be negative, got %s", *skew)
	}
	if *nowText != "" {
		t, err := time.Parse(time.RFC3339, *nowText)
		if err != nil {
			return fail(env, "inspect: --now %q is not RFC 3339 (e.g. 2026-11-22T10:00:00Z)", *nowText)
		}
		opts.Now = t
	}
	var tok string
	switch {
	case len(pos) > 1:
		return fail(env, "inspect: one token at a time, got %d arguments", len(pos))
	case len(pos) == 1 && pos[0] != "-":
		tok = pos[0]
	default:
		in, _, err := readInput(env, nil, input.MaxTokenSize)
		if err != nil {
			return fail(env, "inspect: %v", err)
		}
		tok = string(in)
	}
	src, code, ok := inspectKeySource(env, "inspect", *secretEnc, map[string]string{"jwks": *jwksFile, "jwk": *jwkFile, "pem": *pemFile, "secret-file": *secretFile})
	if !ok {
		return code
	}
	if code, ok := jf.apply(env, "inspect", &opts); !ok {
		return code
	}
	r, err := token.Inspect(tok, src, opts)
	if err != nil {
		return fail(env, "inspect: %v", err)
	}
	out, err := r.JSON()
	if err != nil {
		return fail(env, "inspect: %v", err)
	}
	if *asText {
		out = []byte(r.Text())
	}
	_, _ = env.Stdout.Write(out)
	if r.Valid() {
		return ExitOK
	}
	return ExitNotValid
}

// inspectKeySource reads the one key source given (none is allowed: the
// token is then decoded and reported as not verified).
func inspectKeySource(env Env, cmd, secretEnc string, files map[string]string) (token.KeySource, int, bool) {
	var given []string
	for _, name := range []string{"jwks", "jwk", "pem", "secret-file"} {
		if files[name] != "" {
			given = append(given, name)
		}
	}
	switch len(given) {
	case 0:
		return token.NewKeySource("key source (none given: use --jwks, --jwk, --pem or --secret-file)", nil), 0, true
	case 1:
	default:
		return token.KeySource{}, fail(env, "%s: give one key source, not --%s", cmd, strings.Join(given, " and --")), false
	}
	name := given[0]
	in, _, err := readInput(env, []string{files[name]}, input.MaxKeyInput)
	if err != nil {
		return token.KeySource{}, fail(env, "%s: --%s: %v", cmd, name, err), false
	}
	if name == "secret-file" {
		secret, err := decodeSecretFile(env, in, secretEnc)
		if err != nil {
			return token.KeySource{}, fail(env, "%s: --secret-file %s: %v", cmd, files[name], err), false
		}
		return token.NewSecretSource(secret, secretEnc), 0, true
	}
	// One key given directly is the key, whatever the token's kid; a --jwks
	// file is always a set.
	var src token.KeySource
	var notes []string
	if name == "jwks" {
		var list []jwk.Key
		list, notes, err = keys.ReadKeys(in)
		src = token.NewKeySource("keys of "+files[name], list)
	} else {
		src, notes, err = token.ReadKeySource(in, "keys of "+files[name], "key of "+files[name])
	}
	if err != nil {
		return token.KeySource{}, fail(env, "%s: --%s %s: %v", cmd, name, files[name], err), false
	}
	for _, w := range notes {
		fmt.Fprintf(env.Stderr, "jwkdesk: warning: --%s %s: %s\n", name, files[name], w)
	}
	return src, 0, true
}

// decodeSecretFile decodes a --secret-file's content as secretEnc says; a
// line break at the end of a text secret is not part of it (said on stderr).
func decodeSecretFile(env Env, in []byte, secretEnc string) ([]byte, error) {
	text := string(in)
	if secretEnc == token.SecretText {
		trimmed := strings.TrimSuffix(strings.TrimSuffix(text, "\n"), "\r")
		if trimmed != text {
			fmt.Fprintln(env.Stderr, "jwkdesk: note: the line break at the end of the secret file is not part of the secret")
		}
		text = trimmed
	}
	return token.DecodeSecret(text, secretEnc)
}
