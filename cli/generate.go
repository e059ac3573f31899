package cli

import (
	"fmt"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

func runGenerate(env Env, args []string) int {
	fs := newFlagSet("generate")
	kty := fs.String("kty", "", "key type: RSA, EC, OKP or oct (required)")
	size := fs.Int("size", 0, "RSA modulus bits (2048, 3072, 4096) or oct secret bits (256, 384, 512; 128/192/256 for enc)")
	crv := fs.String("crv", "", "curve: P-256, P-384, P-521, secp256k1 (EC); Ed25519, X25519 (OKP)")
	use := fs.String("use", keys.UseSig, "sig or enc")
	alg := fs.String("alg", "", "algorithm (default: the one that fits the key type and use)")
	kid := fs.String("kid", "", "kid: thumbprint, uuid, date, or any other text used as the kid itself")
	public := fs.Bool("public", false, "print the public JWK (or public PEM) instead of the private one")
	pemOut := fs.Bool("pem", false, "print PEM instead of JWK")
	pemFormat := fs.String("pem-format", "", "PEM flavour: spki, pkcs1 (RSA); pkcs8, pkcs1 (RSA), sec1 (EC) for private keys")
	withCert := fs.Bool("cert", false, "embed a self-signed X.509 certificate as x5c (signing keys)")
	cn := fs.String("cn", "JWK Desk", "certificate subject CN (with --cert)")
	days := fs.Int("days", 365, "certificate validity in days (with --cert)")
	outFile := outFlag(fs)
	sealed := addSealFlags(fs)
	passFile := fs.String("passphrase-file", "", "with --encrypt: file whose first line is the passphrase to encrypt the private JWK with")
	pos, code, ok := parseFlags(env, fs, "--kty RSA|EC|OKP|oct [FLAGS]", args)
	if !ok {
		return code
	}
	if err := sealed.check(*passFile, *public, *pemOut, flagSet(fs, "p2c")); err != nil {
		return fail(env, "generate: %v", err)
	}
	if *passFile != "" && !*sealed.encrypt {
		return fail(env, "generate: --passphrase-file needs --encrypt")
	}
	if len(pos) > 0 {
		return fail(env, "generate: unexpected argument %q", pos[0])
	}
	if *kty == "" {
		return fail(env, "generate: --kty is required (RSA, EC, OKP or oct)")
	}
	spec := keys.Spec{Kty: canonicalKty(*kty), Size: *size, Crv: *crv, Use: *use, Alg: *alg}
	switch strategy := keys.KidStrategy(*kid); strategy {
	case "", keys.KidThumbprint, keys.KidUUID, keys.KidDate:
		spec.KidStrategy = strategy
	default:
		spec.KidStrategy, spec.CustomKid = keys.KidCustom, *kid
	}
	if *withCert {
		spec.Cert = &keys.CertSpec{CommonName: *cn, Days: *days}
	}
	if *pemFormat != "" && !*pemOut {
		return fail(env, "generate: --pem-format needs --pem")
	}
	g, err := keys.Generate(spec)
	if err != nil {
		return fail(env, "generate: %v", err)
	}
	var out []byte
	if *sealed.encrypt {
		out, err = sealed.seal(env, *passFile, []jwk.Key{g.Private}, false)
	} else {
		out, err = generateOutput(g, *public, *pemOut, keys.PEMFormat(*pemFormat))
	}
	if err != nil {
		return fail(env, "generate: %v", err)
	}
	if err := writeOutput(env, *outFile, out); err != nil {
		return fail(env, "generate: %v", err)
	}
	return ExitOK
}

func generateOutput(g *keys.Generated, public, pemOut bool, format keys.PEMFormat) ([]byte, error) {
	if !pemOut {
		if public {
			return keys.MarshalPublicJWK(g.Private)
		}
		return keys.MarshalJWK(g.Private)
	}
	if format == "" {
		formats := keys.PEMFormatsFor(g.Private, public)
		if len(formats) == 0 {
			return nil, fmt.Errorf("an oct secret has no PEM form: drop --pem")
		}
		format = formats[0]
	}
	p, err := keys.ExportPEM(g.Private, format, public)
	if err != nil {
		return nil, err
	}
	return p.PEM, nil
}

// canonicalKty accepts "rsa", "ec", "okp" and "OCT" as users type them.
func canonicalKty(s string) string {
	for _, k := range keys.KeyTypes() {
		if strings.EqualFold(k, s) {
			return k
		}
	}
	return s
}
