package token

import (
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
	"github.com/jwkdesk/jwkdesk/convert/token/jwe"
)

// EncryptionKeys are the keys of list that a test token can be encrypted
// to: those for which jwe.Algs lists an algorithm (a use "sig" key, or one
// whose key_ops allow no encryption, has none).
func EncryptionKeys(list []jwk.Key, allowRSA1_5 bool) []jwk.Key {
	var out []jwk.Key
	for _, k := range list {
		if CanEncryptTo(k, allowRSA1_5) {
			out = append(out, k)
		}
	}
	return out
}

// CanEncryptTo reports whether a JWE can be encrypted to k: some key
// management algorithm fits it (jwe.Algs).
func CanEncryptTo(k jwk.Key, allowRSA1_5 bool) bool {
	return len(jwe.Algs(jwe.OneKey("", k), allowRSA1_5)) > 0
}

// SignThenEncrypt makes a nested JWT (RFC 7519 §5.2): claimsJSON signed
// with signKey under kid (Sign), then encrypted to `to` with cty "JWT"
// (jwe.Encrypt).
func SignThenEncrypt(signKey jwk.Key, claimsJSON []byte, kid string, to jwe.Source, alg, enc string, opts jwe.EncryptOptions) (tok string, err error) {
	defer recovery.Into(&err, "making a nested token")
	inner, err := Sign(signKey, claimsJSON, kid)
	if err != nil {
		return "", err
	}
	opts.Cty = "JWT"
	return jwe.Encrypt([]byte(inner), to, alg, enc, opts)
}
