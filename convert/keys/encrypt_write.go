package keys

import (
	"fmt"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// SealPrivateJWK writes a key as a passphrase-encrypted private JWK: the
// JWK MarshalJWK writes, sealed by encjwk (PBES2-HS512+A256KW, p2c 600,000
// or opts.Count, A256GCM, cty jwk+json, the JSON serialization step reads).
// Save it with mode 0600 like any private key.
func SealPrivateJWK(key jwk.Key, passphrase []byte, opts encjwk.SealOptions) (out []byte, err error) {
	defer recovery.Into(&err, "encrypting the private JWK")
	plain, err := MarshalJWK(key)
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	return seal(plain, passphrase, opts)
}

// SealPrivateJWKS writes keys as a passphrase-encrypted private JWK Set
// (cty jwk-set+json): ExportPrivateJWKS, sealed as SealPrivateJWK does.
func SealPrivateJWKS(list []jwk.Key, passphrase []byte, opts encjwk.SealOptions) (out []byte, err error) {
	defer recovery.Into(&err, "encrypting the private JWKS")
	plain, err := ExportPrivateJWKS(list)
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	return seal(plain, passphrase, opts)
}

func seal(plain, passphrase []byte, opts encjwk.SealOptions) ([]byte, error) {
	out, err := encjwk.Seal(plain, passphrase, opts)
	if err != nil {
		return nil, fmt.Errorf("failed to encrypt: %w", err)
	}
	return out, nil
}
