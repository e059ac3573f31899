//go:build !jwx_es256k

package keys

// JWK Desk generates, reads and verifies secp256k1 keys (ES256K, RFC 8812),
// which jwx supports only when built with the jwx_es256k tag. Without it
// the app would offer secp256k1 and fail later, so the build stops here,
// on an identifier that says what to do: build with -tags jwx_es256k (the
// Makefile does).
var _ = build_with_go_build_dash_tags_jwx_es256k_see_the_Makefile
