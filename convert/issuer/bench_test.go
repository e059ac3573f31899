package issuer

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// BenchmarkMint is one token signed by the signer (claims, header, JWS),
// without HTTP: the token endpoint's floor per alg.
func BenchmarkMint(b *testing.B) {
	for _, alg := range []string{"ES256", "RS256", "EdDSA"} {
		b.Run(alg, func(b *testing.B) {
			s, err := New(Config{}, []Entry{entry(b, alg, "k", Signer)})
			if err != nil {
				b.Fatal(err)
			}
			st := s.state.Load()
			now := time.Now()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := st.mint(now, "client", ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHandler is one request through the whole handler (log, recover,
// Host check, mux, endpoint) without the network.
func BenchmarkHandler(b *testing.B) {
	s := started(b, Config{}, entry(b, "ES256", "k", Signer), entry(b, "RS256", "r", Published))
	host := strings.TrimPrefix(s.URL(), "http://")
	h := s.handler()
	cases := map[string]func() *http.Request{
		"jwks": func() *http.Request { return httptest.NewRequest("GET", JWKSPath, nil) },
		"token-ES256": func() *http.Request {
			r := httptest.NewRequest("POST", TokenPath, strings.NewReader("grant_type=client_credentials&client_id=c"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		},
	}
	for name, mk := range cases {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := mk()
				req.Host = host
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}

// BenchmarkBareSign is the bare signature the token costs at least
// (crypto/ecdsa, crypto/rsa), the twin of BenchmarkMint.
func BenchmarkBareSign(b *testing.B) {
	digest := sha256.Sum256([]byte("payload"))
	for _, alg := range []string{"ES256", "RS256"} {
		b.Run(alg, func(b *testing.B) {
			signer := rawKey(b, alg).(crypto.Signer)
			for b.Loop() {
				if _, err := signer.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
