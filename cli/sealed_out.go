package cli

import (
	"errors"
	"flag"
	"fmt"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// sealFlags are --encrypt and --p2c, for the commands that write private
// keys (generate, convert): the private JWK or JWKS is written encrypted
// with the passphrase of --passphrase-file, as step writes it.
type sealFlags struct {
	encrypt *bool
	p2c     *int64
}

func addSealFlags(fs *flag.FlagSet) sealFlags {
	return sealFlags{
		encrypt: fs.Bool("encrypt", false, "write the private JWK (or JWKS) encrypted with the passphrase of --passphrase-file: a JWE, PBES2-HS512+A256KW, A256GCM, JSON serialization (what step and node jose read)"),
		p2c:     fs.Int64("p2c", encjwk.WriteFloor, "with --encrypt: the PBES2 iteration count, 600,000 (the default) to 10,000,000"),
	}
}

// check refuses flags that contradict --encrypt, before any work.
func (s sealFlags) check(passFile string, public, pem bool, p2cSet bool) error {
	switch {
	case !*s.encrypt && p2cSet:
		return errors.New("--p2c needs --encrypt")
	case !*s.encrypt:
		return nil
	case public:
		return errors.New("--encrypt writes private keys: drop --public (a public key needs no passphrase)")
	case pem:
		return errors.New("--encrypt writes an encrypted JWK or JWKS: drop the PEM output (for an encrypted PEM use openssl pkcs8 -topk8)")
	case passFile == "":
		return errors.New("--encrypt needs --passphrase-file FILE: the passphrase to encrypt with, on the file's first line")
	case *s.p2c < encjwk.WriteFloor || *s.p2c > encjwk.ReadCap:
		return fmt.Errorf("--p2c must be from 600,000 to 10,000,000, not %d: fewer iterations protect the key too little, more could not be read back", *s.p2c)
	}
	return nil
}

// seal encrypts list as one private JWK (one key, asSet false) or a JWK
// Set, and says on stderr how the passphrase grades.
func (s sealFlags) seal(env Env, passFile string, list []jwk.Key, asSet bool) ([]byte, error) {
	pass, err := readPassphraseFile(env, passFile)
	if err != nil {
		return nil, err
	}
	defer clear(pass)
	if h := encjwk.PassphraseHint(pass); h.Strength < encjwk.StrengthGood {
		fmt.Fprintf(env.Stderr, "warning: the passphrase is %s\n", h.Text)
	}
	opts := encjwk.SealOptions{Count: *s.p2c}
	if asSet || len(list) > 1 {
		return keys.SealPrivateJWKS(list, pass, opts)
	}
	return keys.SealPrivateJWK(list[0], pass, opts)
}

// flagSet says whether name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
