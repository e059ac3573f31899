// Package testkit holds what the engine packages' tests share: keys made
// for tests, published-set shapes and seeds for the fuzz targets. It uses
// jwx and the standard library only (no engine package, so that every
// engine package's own tests can import it) and is imported by tests only.
package testkit

import (
	"strings"
	"testing"
)

// HostileSeeds are hostile and odd inputs shared by the fuzz targets' seed
// corpora of every engine package.
var HostileSeeds = []string{
	``, `{}`, `[]`, `null`, `{"keys":null}`, `{"keys":[{}]}`, `{"keys":[1,"a",null]}`,
	`{"kty":"RSA","n":"AQAB","e":"AQAB"}`,                             // 17-bit modulus
	`{"kty":"RSA","n":"` + strings.Repeat("A", 342) + `","e":"AQAA"}`, // zero modulus, even exponent
	`{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQABAQAB"}`, // 5-byte exponent
	`{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`,  // point not on the curve
	`{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEUA","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`, // coordinate too long
	`{"kty":"EC","crv":"P-192","x":"AA","y":"AA"}`,
	`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR"}`, // short x
	`{"kty":"OKP","crv":"Ed448","x":"AA"}`,
	`{"kty":"oct","k":""}`,
	`{"kty":"EC","kty":"RSA","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`, // duplicate member
	`{"KTY":"EC","kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`,
	`{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}`,
	`{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"AAAA"}`, // private part that does not belong
	`{"kty":"RSA","alg":"ES521","n":"AQAB","e":"AQAB"}`, // unregistered alg
	`{"kty":"EC","crv":"P-256","x5c":["MIIB"],"x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`,
	"-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n",
	"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n",
	"-----BEGIN DSA PRIVATE KEY-----\nAAAA\n-----END DSA PRIVATE KEY-----\n",
	"\xef\xbb\xbf-----BEGIN CERTIFICATE-----\r\nMIIB\r\n-----END CERTIFICATE-----\r\n",
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb0 user@host",
	"eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UifQ.",
	"\x00\x01\x02\xff\xfe",
	`{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"a"},{"kty":"RSA","n":"AQAB","e":"AQAB","kid":"bad"}]}`,
}

// NoInternalError fails on errors that come from a recovered panic.
func NoInternalError(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), "internal error") {
		t.Fatalf("panic recovered: %v", err)
	}
}
