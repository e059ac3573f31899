package token

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// benchSet is a 1,000-key public set: 999 EC P-256 keys (kids ec-0…) and
// the RSA key "rsa-1" last, so a linear lookup would pay for every key.
func benchSet(b *testing.B) []jwk.Key {
	b.Helper()
	keys := make([]jwk.Key, 0, 1000)
	for i := range 999 {
		keys = append(keys, pub(b, testEC(b, fmt.Sprintf("ec-%d", i))))
	}
	return append(keys, pub(b, testRSA(b)))
}

func benchToken(b *testing.B) string {
	b.Helper()
	return sign(b, testRSA(b), claimsJSON(map[string]any{"sub": "bench", "exp": at(time.Hour)}), "rsa-1")
}

func benchInspect(b *testing.B, src KeySource) {
	tok := benchToken(b)
	opts := InspectOptions{Now: inspectNow, Skew: DefaultSkew}
	src.index() // set-up, as in the app: the source's first Inspect indexes it
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := Inspect(tok, src, opts)
		if err != nil || !r.Verified {
			b.Fatalf("%v %v", err, r)
		}
	}
}

// BenchmarkInspectRS256Set1000 inspects and verifies an RS256 token against
// a 1,000-key set indexed once (by the first Inspect of its NewKeySource).
func BenchmarkInspectRS256Set1000(b *testing.B) {
	benchInspect(b, NewKeySource("bench", benchSet(b)))
}

// BenchmarkInspectRS256Set1 is the same against a one-key set.
func BenchmarkInspectRS256Set1(b *testing.B) {
	benchInspect(b, NewKeySource("bench", []jwk.Key{pub(b, testRSA(b))}))
}

// BenchmarkNewKeySource1000 is the one-off cost of indexing 1,000 keys
// (done by a source's first Inspect).
func BenchmarkNewKeySource1000(b *testing.B) {
	keys := benchSet(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		NewKeySource("bench", keys).index()
	}
}

// BenchmarkBareJWXVerify is jws.Verify with the right key: the floor.
func BenchmarkBareJWXVerify(b *testing.B) {
	tok := []byte(benchToken(b))
	key := pub(b, testRSA(b))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := jws.Verify(tok, jws.WithKey(jwa.RS256(), key)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareJWXKeySet1000 is jwx's own key-set lookup over the same
// 1,000 keys, for comparison (DESIGN.md: not used for the verdict).
func BenchmarkBareJWXKeySet1000(b *testing.B) {
	tok := []byte(benchToken(b))
	set := jwk.NewSet()
	for _, k := range benchSet(b) {
		_ = set.AddKey(k)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := jws.Verify(tok, jws.WithKeySet(set)); err != nil {
			b.Fatal(err)
		}
	}
}

// The inspector must never panic (recoverInto would hide it as an
// "internal error"), and its verdict must hold together.
func FuzzInspect(f *testing.F) {
	rsa := testRSA(f)
	ec := testEC(f, "ec-1")
	good := sign(f, rsa, `{"sub":"a","exp":1893456000}`, "rsa-1")
	secret := []byte("0123456789abcdef0123456789abcdef")
	for _, seed := range append([]string{
		good,
		"Bearer " + good,
		sign(f, ec, `{"nbf":"1e400","iat":-1e300,"exp":99999999999999999}`, ""),
		b64([]byte(`{"alg":"none"}`)) + "." + b64([]byte(`{}`)) + ".",
		craftHS(`{"alg":"HS256","crit":["x"],"b64":false}`, "p", secret),
		craftHS(`{"alg":"HS256","alg":"RS256","kid":7}`, `{"exp":"soon","aud":[1]}`, secret),
		craftHS(`{"alg":"HS256","jku":"https://x","jwk":{"kty":"oct","k":"AA"}}`, `{"a":1,"a":2}`, secret),
		b64([]byte(`{"alg":"RSA-OAEP","enc":"A128GCM"}`)) + "..x.y.z",
		`{"payload":"e30","signatures":[]}`,
		"....", "e30.e30.e30", "\"'Bearer \"", "eyJhbGciOiJSUzI1NiJ9.\xff.abc",
	}, append(jweInspectSeeds(f, rsa, secret), wildInspectSeeds...)...) {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	sets := []KeySource{
		NewKeySource("set", []jwk.Key{pub(f, rsa), pub(f, ec), encRSAKey(f)}),
		NewSecretSource(secret, SecretText),
	}
	f.Fuzz(func(t *testing.T, tok string, useSecret bool) {
		src := sets[0]
		if useSecret {
			src = sets[1]
		}
		r, err := Inspect(tok, src, InspectOptions{Now: inspectNow, Skew: DefaultSkew, Secret: secret})
		if err != nil {
			if strings.HasPrefix(err.Error(), "internal error") {
				t.Fatalf("panic inside Inspect: %v", err)
			}
			return
		}
		if r.State == "" || r.Verdict == "" {
			t.Fatalf("no verdict: %+v", r)
		}
		if r.IsJWE {
			checkJWEInvariants(t, r)
		} else if r.Verified {
			if strings.EqualFold(r.Alg, "none") {
				t.Fatalf("verified alg %q", r.Alg)
			}
			verified := false
			for _, c := range r.Candidates {
				verified = verified || c.Verified
			}
			if !verified {
				t.Fatal("verified without a verified candidate")
			}
		} else if r.State != StateNotVerified && r.State != StateNotDecrypted || r.Reason == "" {
			t.Fatalf("not verified: state %s reason %q", r.State, r.Reason)
		}
		if _, err := r.JSON(); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkInspectRS256NoKidSet1000 is the worst case: a token without kid
// considers every key of the 1,000-key set (each listed with its outcome).
func BenchmarkInspectRS256NoKidSet1000(b *testing.B) {
	tok := sign(b, testRSA(b), claimsJSON(map[string]any{"exp": at(time.Hour)}), "")
	src := NewKeySource("bench", benchSet(b))
	src.index()
	opts := InspectOptions{Now: inspectNow, Skew: DefaultSkew}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := Inspect(tok, src, opts)
		if err != nil || !r.Verified || len(r.Candidates) != 1000 {
			b.Fatalf("%v %v", err, r)
		}
	}
}

// BenchmarkInspectVsJWX inspects and verifies RS256, ES256 and EdDSA
// tokens against a 1,000-key set (the signer's key last) and a one-key set
// ("engine"), beside what a jwx user writes for "verify against this set
// and validate the claims" ("bare": jwt.Parse with jwx's own key-set
// lookup). Inspect also decodes both parts, applies every security rule
// and builds the report; the ratio is what that costs.
func BenchmarkInspectVsJWX(b *testing.B) {
	others := make([]jwk.Key, 0, 999)
	for i := range 999 {
		others = append(others, pub(b, testEC(b, fmt.Sprintf("other-%d", i))))
	}
	ed, err := keys.Generate(keys.Spec{Kty: keys.KtyOKP, Crv: keys.CrvEd25519, KidStrategy: keys.KidCustom, CustomKid: "ed-1"})
	if err != nil {
		b.Fatal(err)
	}
	signers := []struct {
		name string
		key  jwk.Key
	}{{"RS256", testRSA(b)}, {"ES256", testEC(b, "ec-signer")}, {"EdDSA", ed.Private}}
	claims := claimsJSON(map[string]any{"iss": "https://issuer.example", "sub": "bench", "aud": "api", "iat": at(-time.Minute), "exp": at(time.Hour)})
	opts := InspectOptions{Now: inspectNow, Skew: DefaultSkew}
	clock := jwt.WithClock(jwt.ClockFunc(func() time.Time { return inspectNow }))
	for _, s := range signers {
		kid, _ := s.key.KeyID()
		tok := sign(b, s.key, claims, kid)
		for _, size := range []int{1000, 1} {
			keys := append(append([]jwk.Key{}, others[:size-1]...), pub(b, s.key))
			src := NewKeySource("bench", keys)
			src.index()
			set := jwk.NewSet()
			for _, k := range keys {
				_ = set.AddKey(k)
			}
			b.Run(fmt.Sprintf("%s-set%d/engine", s.name, size), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r, err := Inspect(tok, src, opts); err != nil || !r.Verified {
						b.Fatalf("%v %+v", err, r)
					}
				}
			})
			b.Run(fmt.Sprintf("%s-set%d/bare", s.name, size), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := jwt.Parse([]byte(tok), jwt.WithKeySet(set), jwt.WithValidate(true), clock); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
