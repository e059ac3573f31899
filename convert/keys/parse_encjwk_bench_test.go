package keys

import (
	"fmt"
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// BenchmarkOpenEncryptedJWK measures Parse of a passphrase-encrypted
// private JWK at the write floor (600,000) and the read cap (10,000,000,
// what maxEncryptedJWKDeriveTime admits): run with -benchtime=1x.
func BenchmarkOpenEncryptedJWK(b *testing.B) {
	g, err := Generate(Spec{Kty: KtyEC, Crv: "P-256"})
	if err != nil {
		b.Fatal(err)
	}
	pass := []byte("correct horse battery staple")
	for _, count := range []int64{encjwk.WriteFloor, encjwk.ReadCap} {
		data, err := SealPrivateJWK(g.Private, pass, encjwk.SealOptions{Count: count})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("p2c=%d", count), func(b *testing.B) {
			for b.Loop() {
				if _, err := Parse(data, ParseOptions{Passphrase: pass}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
