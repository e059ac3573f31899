// Package convert is JWK Desk's engine, the product's contract with the
// world: the desktop window (ui) and the command line (cli) are two thin
// faces over its packages, which never import Fyne and do everything JOSE
// through github.com/lestrrat-go/jwx/v3:
//
//   - input: what was pasted, opened or dropped (classify, clean, size caps)
//   - keys: one key (generate, the one strict reader, writers, thumbprint)
//   - keys/encjwk: passphrase-encrypted JWKs and JWK sets (PBES2 JWE)
//   - token: a compact JWS (inspect against a key source, sign)
//   - token/jwe: a compact JWE (inspect, choose keys, decrypt, encrypt)
//   - keyset: the workspace (edit, lint, rotate, fetch, and its Store)
//   - issuer: the local OIDC issuer that serves a workspace on loopback
//
// This package holds no code.
package convert
