package keys

import (
	"sync"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

var jwxOnce sync.Once

// ConfigureJWX sets the jwx process-wide settings the engine relies on,
// once (later calls do nothing). main calls it before anything else, and so
// does each test package's TestMain.
//
// jwx refuses RSA moduli under 2048 bits whenever it parses, imports or
// exports a key, and one such key fails a whole set. JWK Desk must show and
// lint 1024–2047-bit keys, and refuses them for verification itself (RFC
// 7518 §3.3), so they are accepted down to 1024 bits. jwx v3.4.0 offers
// this only as a global option (jwk.WithMinRSAModulusBits through
// jwk.Configure), with no per-call equivalent: it is set here, explicitly,
// rather than as a side effect of importing the engine.
func ConfigureJWX() {
	jwxOnce.Do(func() { jwk.Configure(jwk.WithMinRSAModulusBits(1024)) })
}
