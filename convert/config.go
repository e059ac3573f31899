package convert

import "github.com/lestrrat-go/jwx/v3/jwk"

func init() {
	// jwx refuses RSA under 2048 bits at parse time, and one such key fails a
	// whole set. JWK Desk must show and lint 1024–2047-bit keys (and refuse
	// them for verification itself), so parsing accepts down to 1024 bits.
	jwk.Configure(jwk.WithMinRSAModulusBits(1024))
}
