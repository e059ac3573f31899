package cli

import (
	"flag"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/token"
)

func runSign(env Env, args []string) int {
	fs := newFlagSet("sign")
	keyFile := fs.String("key", "", "the private key to sign with (JWK, or PEM)")
	claims := fs.String("claims", "{}", "the claims, a JSON object")
	kid := fs.String("kid", "", `the header kid (default: the key's kid; --kid "" leaves it out)`)
	outFile := outFlag(fs)
	_, code, ok := parseFlags(env, fs, `--key FILE [--claims JSON] [--kid KID] [--out FILE]`, args)
	if !ok {
		return code
	}
	if *keyFile == "" {
		return fail(env, "sign: --key FILE is required: the private key to sign with")
	}
	in, _, err := readInput(env, []string{*keyFile}, input.MaxKeyInput)
	if err != nil {
		return fail(env, "sign: --key: %v", err)
	}
	list, err := keys.ParseKeys(in)
	if err != nil {
		return fail(env, "sign: --key %s: %v", *keyFile, err)
	}
	var key jwk.Key
	for _, k := range list {
		if keys.IsPrivate(k) {
			if key != nil {
				return fail(env, "sign: %s holds several private keys: give a file with one", *keyFile)
			}
			key = k
		}
	}
	if key == nil {
		return fail(env, "sign: %s holds no private key: signing needs the private key (or an oct secret)", *keyFile)
	}
	kidSet := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "kid" {
			kidSet = true
		}
	})
	headerKid := *kid
	if !kidSet {
		headerKid, _ = key.KeyID()
	}
	tok, err := token.Sign(key, []byte(*claims), headerKid)
	if err != nil {
		return fail(env, "sign: %v", err)
	}
	if err := writeOutput(env, *outFile, []byte(tok+"\n")); err != nil {
		return fail(env, "sign: %v", err)
	}
	return ExitOK
}
