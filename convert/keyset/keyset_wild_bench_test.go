package keyset

import (
	"crypto/ed25519"
	"crypto/rand"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
)

// BenchmarkLintSharedKid10k lints 10,000 keys that share one kid: the JWKS
// tab does it on every change, jwkdesk jwks once (issue 22 item 8). Its
// cost must grow with the keys, not with their square.
func BenchmarkLintSharedKid10k(b *testing.B) {
	keys := make([]jwk.Key, input.MaxSetKeys)
	for i := range keys {
		pub, _, _ := ed25519.GenerateKey(rand.Reader)
		keys[i] = testkit.Key(b, pub, map[string]any{"kid": "k", "use": "sig"})
	}
	b.ResetTimer()
	for b.Loop() {
		if r := LintSet(keys, time.Now()); r.Errors == 0 {
			b.Fatal("no error for a shared kid")
		}
	}
}
