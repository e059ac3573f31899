package token

import (
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// The same oct secret listed twice under one kid is one key, not an
// ambiguous kid (RFC 7517 §4.5): keys are told apart by the secret itself in
// memory, since a secret has no displayable thumbprint. Two different secrets
// under one kid stay ambiguous.
func TestSameSecretTwiceIsOneKey_RFC7517_4_5(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	other := []byte("fedcba9876543210fedcba9876543210")
	octKey := func(b []byte) jwk.Key {
		k, err := jwk.Import(b)
		if err != nil {
			t.Fatal(err)
		}
		_ = k.Set(jwk.KeyIDKey, "hs")
		return k
	}
	tok, err := Sign(octKey(secret), []byte(`{"sub":"x"}`), "hs")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Inspect(tok, NewKeySource("pasted keys", []jwk.Key{octKey(secret), octKey(secret)}), InspectOptions{})
	if err != nil || !r.Verified {
		t.Fatalf("the same secret twice: %v %+v", err, r)
	}
	r, err = Inspect(tok, NewKeySource("pasted keys", []jwk.Key{octKey(secret), octKey(other)}), InspectOptions{})
	if err != nil || r.Verified {
		t.Fatalf("two secrets under one kid verified: %v %+v", err, r)
	}
	for _, c := range r.Candidates {
		if c.Thumbprint != "" {
			t.Errorf("a secret's candidate shows a thumbprint %q", c.Thumbprint)
		}
	}
}
