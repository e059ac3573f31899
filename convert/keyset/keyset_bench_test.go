package keyset

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// bigSet is a JWKS of n distinct public keys: mostly EC P-256, every tenth
// Ed25519, and a few RSA 2048 (RSA generation is too slow for thousands).
func bigSet(b *testing.B, n int) []byte {
	b.Helper()
	var rsaKeys []*rsa.PrivateKey
	for range 8 {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			b.Fatal(err)
		}
		rsaKeys = append(rsaKeys, k)
	}
	raws := make([]json.RawMessage, 0, n)
	for i := range n {
		var raw any
		switch {
		case i < len(rsaKeys):
			raw = &rsaKeys[i].PublicKey
		case i%10 == 0:
			pub, _, _ := ed25519.GenerateKey(rand.Reader)
			raw = pub
		default:
			k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			raw = &k.PublicKey
		}
		k, err := jwk.Import(raw)
		if err != nil {
			b.Fatal(err)
		}
		_ = k.Set(jwk.KeyIDKey, fmt.Sprintf("key-%05d", i))
		_ = k.Set(jwk.KeyUsageKey, keys.UseSig)
		j, _ := json.Marshal(k)
		raws = append(raws, j)
	}
	out, _ := json.Marshal(map[string]any{"keys": raws})
	return out
}

// BenchmarkImportAndLint10k reads a 10,000-key JWKS key by key, adds it to
// a workspace (thumbprint dedupe) and lints it.
func BenchmarkImportAndLint10k(b *testing.B) {
	data := bigSet(b, input.MaxSetKeys)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		ps, err := keys.ParseKeySet(data)
		if err != nil || len(ps.Keys) != input.MaxSetKeys {
			b.Fatalf("%d keys, %v", len(ps.Keys), err)
		}
		ws := NewWorkspace()
		if res, err := ws.Add("bench", ps.Keys...); err != nil || res.Added != input.MaxSetKeys {
			b.Fatalf("%+v %v", res, err)
		}
		if r := ws.Lint(time.Now()); r.Errors != 0 {
			b.Fatalf("lint %s", r.Summary())
		}
	}
}

// BenchmarkExportPublic10k writes the public JWKS of 10,000 keys.
func BenchmarkExportPublic10k(b *testing.B) {
	ps, _ := keys.ParseKeySet(bigSet(b, input.MaxSetKeys))
	b.ResetTimer()
	for b.Loop() {
		if _, rep, err := keys.ExportPublicJWKS(ps.Keys); err != nil || rep.Published != input.MaxSetKeys {
			b.Fatal(err)
		}
	}
}
