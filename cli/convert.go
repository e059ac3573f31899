package cli

import (
	"errors"
	"fmt"
	"slices"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

func runConvert(env Env, args []string) int {
	fs := newFlagSet("convert")
	passFile := fs.String("passphrase-file", "", "file whose first line is the passphrase of an encrypted key (encrypted PEM, or an encrypted JWK/JWKS as step writes) and, with --encrypt, of the output (the line break is not part of it; at most 4 KiB)")
	to := fs.String("to", "", "output: jwk (one key), jwks, or pem (default: jwk for one key, jwks for several)")
	pemFormat := fs.String("pem-format", "", "PEM flavour with --to pem: spki, pkcs1 (RSA) for public keys; pkcs8, pkcs1 (RSA), sec1 (EC) for private keys")
	public := fs.Bool("public", false, "output the public keys only")
	kid := fs.String("kid", "", "kid to set (default: keep the key's kid, or the RFC 7638 thumbprint)")
	use := fs.String("use", "", "use to set: sig or enc")
	alg := fs.String("alg", "", "alg to set (must fit the key)")
	outFile := outFlag(fs)
	sealed := addSealFlags(fs)
	pos, code, ok := parseFlags(env, fs, "[FILE|-] [FLAGS]", args)
	if !ok {
		return code
	}
	if err := sealed.check(*passFile, *public, *to == "pem" || *pemFormat != "", flagSet(fs, "p2c")); err != nil {
		return fail(env, "convert: %v", err)
	}
	list, code := convertedKeys(env, pos, *passFile, keys.KeyOptions{Kid: *kid, Use: *use, Alg: *alg})
	if code != ExitOK {
		return code
	}
	var err error
	var out []byte
	if *sealed.encrypt {
		out, err = sealed.seal(env, *passFile, list, *to == "jwks")
	} else {
		out, err = convertOutput(list, *to, keys.PEMFormat(*pemFormat), *public)
	}
	if err != nil {
		return fail(env, "convert: %v", err)
	}
	if err = writeOutput(env, *outFile, out); err != nil {
		return fail(env, "convert: %v", err)
	}
	if *public && *to != "pem" {
		warnDropped(env, "convert", list)
	}
	return ExitOK
}

// convertedKeys reads the input (with the passphrase file's passphrase),
// says on stderr what it found, and sets kid, use and alg on every key.
func convertedKeys(env Env, pos []string, passFile string, o keys.KeyOptions) ([]jwk.Key, int) {
	in, name, err := readInput(env, pos, input.MaxKeyInput)
	if err != nil {
		return nil, fail(env, "convert: %v", err)
	}
	var pass []byte
	if passFile != "" {
		if pass, err = readPassphraseFile(env, passFile); err != nil {
			return nil, fail(env, "convert: %v", err)
		}
	}
	res, err := keys.Parse(in, keys.ParseOptions{Passphrase: pass})
	if errors.Is(err, keys.ErrNeedsPassphrase) {
		return nil, fail(env, "convert: %s is an encrypted key: give its passphrase with --passphrase-file FILE", name)
	}
	if err != nil {
		return nil, fail(env, "convert: %s: %v", name, err)
	}
	reportFound(env, res)
	var list []jwk.Key
	for _, k := range res.Keys() {
		k, err := keys.ApplyKeyOptions(k, o)
		if err != nil {
			return nil, fail(env, "convert: %v", err)
		}
		list = append(list, k)
	}
	if len(list) == 0 {
		return nil, fail(env, "convert: %s holds no key (%s)", name, res.Summary)
	}
	return list, ExitOK
}

// reportFound says on stderr what was read, with the reader's warnings.
func reportFound(env Env, res *keys.ParseResult) {
	for _, it := range res.Items {
		fmt.Fprintf(env.Stderr, "found: %s\n", it.Label)
		for _, w := range it.Warnings {
			fmt.Fprintf(env.Stderr, "warning: %s\n", w)
		}
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(env.Stderr, "warning: %s\n", w)
	}
}

func convertOutput(list []jwk.Key, to string, format keys.PEMFormat, public bool) ([]byte, error) {
	if to == "" {
		to = "jwk"
		if len(list) > 1 {
			to = "jwks"
		}
	}
	if format != "" && to != "pem" {
		return nil, fmt.Errorf("--pem-format needs --to pem")
	}
	switch to {
	case "jwk":
		if len(list) > 1 {
			return nil, fmt.Errorf("the input holds %d keys: use --to jwks or --to pem", len(list))
		}
		if public {
			return keys.MarshalPublicJWK(list[0])
		}
		return keys.MarshalJWK(list[0])
	case "jwks":
		if public {
			return keys.MarshalPublicJWKS(list...)
		}
		return keys.ExportPrivateJWKS(list)
	case "pem":
		return pemOutput(list, format, public)
	}
	return nil, fmt.Errorf("--to must be jwk, jwks or pem, not %q", to)
}

// pemOutput writes the keys as PEM: public when asked or when no key is
// private, in format or the default flavour (SPKI, or PKCS#8).
func pemOutput(list []jwk.Key, format keys.PEMFormat, public bool) ([]byte, error) {
	anyPrivate := slices.ContainsFunc(list, keys.IsPrivate)
	public = public || !anyPrivate
	if format == "" {
		format = keys.PEMPKCS8
		if public {
			format = keys.PEMSPKI
		}
	}
	return keys.ExportPEMBundle(list, format, public)
}
