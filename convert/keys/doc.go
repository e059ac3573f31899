// Package keys is one JSON Web Key: made (Generate, by a Spec and a kid
// strategy), read (Parse, ParseKeys, ParseJWK, ParseKeySet: the one strict
// reader of JWK, JWKS, PEM of every flavour, DER, OpenSSH and certificates,
// encrypted keys included (passphrase-encrypted JWKs and JWKS through
// keys/encjwk), with the one check that a private part belongs to
// its public part), and written (MarshalJWK, the public allow-list form
// PublicForm, the public and private JWKS, SealPrivateJWK(S) encrypted with
// a passphrase, ExportPEM in an explicit flavour,
// secp256k1 in ASN.1), with its RFC 7638 thumbprint, the alg tables that say
// what fits it (AlgsFor, AlgMisfit, UseMisfit), the kid, use and alg a user
// sets on it (ApplyKeyOptions) and the masking of its private members.
//
// Everything JOSE goes through github.com/lestrrat-go/jwx/v3; call
// ConfigureJWX once before reading keys (main does).
package keys
