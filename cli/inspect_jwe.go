package cli

import (
	"flag"

	"github.com/jwkdesk/jwkdesk/convert/token"
)

// jweFlagSet is the flags inspect and decrypt add for a JWE: the PBES2
// passphrase and the RSA1_5 opt-in (the shared secret is --secret-file).
type jweFlagSet struct {
	passphraseFile *string
	allowRSA1_5    *bool
}

func jweFlags(fs *flag.FlagSet) *jweFlagSet {
	return &jweFlagSet{
		passphraseFile: fs.String("passphrase-file", "", "decrypt a PBES2 JWE with the passphrase on the first line of this file"),
		allowRSA1_5:    fs.Bool("allow-rsa1_5", false, "decrypt RSA1_5 tokens (legacy, open to Bleichenbacher's padding-oracle attack, RFC 8725 §3.2); refused without it"),
	}
}

// apply puts the flags into opts; false (with the exit code) when the
// passphrase file cannot be read.
func (j *jweFlagSet) apply(env Env, cmd string, opts *token.InspectOptions) (int, bool) {
	opts.AllowRSA1_5 = *j.allowRSA1_5
	if *j.passphraseFile == "" {
		return 0, true
	}
	pass, err := readPassphraseFile(env, *j.passphraseFile)
	if err != nil {
		return fail(env, "%s: --passphrase-file: %v", cmd, err), false
	}
	opts.Passphrase = pass
	return 0, true
}
