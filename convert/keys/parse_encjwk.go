package keys

import (
	"errors"
	"fmt"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
	"github.com/jwkdesk/jwkdesk/convert/words"
)

// A passphrase-encrypted JWK or JWK Set (a PBES2 JWE whose content is a
// JWK: what `step crypto jwk create` and node jose write) is opened by
// encjwk, then read by the one JWK reader. The envelope's checks (p2c cap,
// sizes, algorithms) run before the passphrase is even asked for, so a key
// over the cap is refused before any derivation.

// parseEncryptedJWK reads an input encjwk.Detect recognised.
func parseEncryptedJWK(data []byte, opts ParseOptions) (*ParseResult, error) {
	info, err := encjwk.Inspect(data)
	if err != nil {
		return nil, encJWKError(info, err)
	}
	if len(opts.Passphrase) == 0 {
		return nil, needPassphrase("this is %s", encJWKWhat(info))
	}
	d := Derivation{KDF: fmt.Sprintf("%s (p2c %s)", info.Alg, words.Thousands(int(info.P2C))), Estimate: info.Estimate}
	if err := opts.work.chargeEncryptedJWK(opts.Passphrase, d); err != nil {
		return nil, err
	}
	plain, info, err := encjwk.Open(data, opts.Passphrase, encjwk.OpenOptions{Context: opts.Context})
	if err != nil {
		return nil, encJWKError(info, err)
	}
	defer clear(plain)
	if len(plain) > input.MaxKeyInput {
		return nil, fmt.Errorf("the decrypted content is %s, over the %s limit for a JWK or JWKS", words.Size(int64(len(plain))), words.Size(input.MaxKeyInput))
	}
	res, err := parseJSONKeys(plain)
	if err != nil {
		return nil, fmt.Errorf("decrypted, but the key inside cannot be read: %w", err)
	}
	origin := fmt.Sprintf("%s, p2c %s, decrypted", info.Alg, words.Thousands(int(info.P2C)))
	for i := range res.Items {
		res.Items[i].Label += " — encrypted with a passphrase (" + origin + ")"
	}
	res.Summary = "encrypted " + res.Summary
	res.Warnings = append(res.Warnings, info.Notes...)
	return res, nil
}

// encJWKWhat names an encrypted JWK for the passphrase prompt: "a private
// JWK encrypted with a passphrase (PBES2-HS512+A256KW, p2c 600,000)".
func encJWKWhat(info encjwk.Info) string {
	what := "a private JWK or JWK Set"
	switch info.Declared {
	case encjwk.ContentJWK:
		what = "a private JWK"
	case encjwk.ContentJWKS:
		what = "a private JWK Set"
	}
	s := fmt.Sprintf("%s encrypted with a passphrase (%s, p2c %s)", what, info.Alg, words.Thousands(int(info.P2C)))
	if info.Estimate >= maxDeriveTime {
		s += fmt.Sprintf("; deriving its key takes about %s", fmtEstimate(info.Estimate))
	}
	return s
}

// encJWKError turns encjwk's errors into the reader's: the passphrase
// kinds into ErrNeedsPassphrase and ErrWrongPassphrase (the faces ask
// again), the others kept with their message (encjwk's words never quote
// the plaintext nor jwx's text).
func encJWKError(info encjwk.Info, err error) error {
	switch {
	case errors.Is(err, encjwk.ErrNeedsPassphrase):
		return needPassphrase("this is %s", encJWKWhat(info))
	case errors.Is(err, encjwk.ErrWrongPassphrase):
		return wrongPassphrase("the passphrase does not decrypt this encrypted JWK (or its encrypted_key, p2s or p2c was changed, which looks the same): check it and try again")
	}
	return fmt.Errorf("this encrypted JWK cannot be read: %w", err)
}
