package keys

import (
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// A private key pasted with its certificate is one private JWK carrying the
// certificate's x5c, x5t and x5t#S256 (RFC 7517 §4.7–§4.9), whatever the
// order and whichever reader takes the text (Parse, ParseKeys, ParseKeySet).
func TestPrivateKeyWithItsCertificateIsOneJWK_RFC7517(t *testing.T) {
	key, leaf, chain := string(fixture(t, "leaf.key")), string(fixture(t, "leaf.pem")), string(fixture(t, "chain.pem"))
	cases := []struct {
		name   string
		input  string
		x5c    int
		labels string
	}{
		{"RFC 7517 §4.7 key then certificate", key + leaf, 1, "with its X.509 certificate"},
		{"RFC 7517 §4.7 certificate then key", leaf + key, 1, "with its X.509 certificate"},
		{"RFC 7517 §4.7 key then chain: x5c holds the chain in order", key + chain, 2, "(chain of 2)"},
	}
	readers := map[string]func(string) ([]jwk.Key, error){
		"Parse": func(s string) ([]jwk.Key, error) {
			r, err := Parse([]byte(s), ParseOptions{})
			if err != nil {
				return nil, err
			}
			return r.Keys(), nil
		},
		"ParseKeys": func(s string) ([]jwk.Key, error) { return ParseKeys([]byte(s)) },
		"ParseKeySet": func(s string) ([]jwk.Key, error) {
			ps, err := ParseKeySet([]byte(s))
			return ps.Keys, err
		},
	}
	for _, c := range cases {
		for rname, read := range readers {
			t.Run(c.name+" via "+rname, func(t *testing.T) {
				keys, err := read(c.input)
				if err != nil {
					t.Fatal(err)
				}
				if len(keys) != 1 {
					t.Fatalf("%d keys, want one private JWK", len(keys))
				}
				k := keys[0]
				chainOf, ok := k.X509CertChain()
				if !IsPrivate(k) || !ok || chainOf.Len() != c.x5c {
					t.Fatalf("private %v, x5c %v (%d certificates), want %d", IsPrivate(k), ok, chainLen(k), c.x5c)
				}
				if !k.Has(jwk.X509CertThumbprintS256Key) || !k.Has(jwk.X509CertThumbprintKey) {
					t.Error("x5t or x5t#S256 missing")
				}
				// The certificate holds this key (the one check, which the
				// lint and the verifier make).
				if c, ok := CertificateOf(k); !ok || !CertificateHoldsKey(c, k) {
					t.Error("x5c[0] does not hold the key")
				}
			})
		}
		t.Run(c.name+": the label names both", func(t *testing.T) {
			r, err := Parse([]byte(c.input), ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Items) != 1 || !strings.Contains(r.Items[0].Label, "private key") || !strings.Contains(r.Items[0].Label, c.labels) {
				t.Errorf("items %+v", r.Items)
			}
		})
	}
}

// A lone private key pasted with the certificate of another key is refused
// (RFC 7517 §4.7: the certificate's key must be the key's), saying which
// halves disagree and that they can be pasted separately.
func TestPrivateKeyWithAnotherKeysCertificateIsRefused_RFC7517_4_7(t *testing.T) {
	_, err := Parse([]byte(string(fixture(t, "ec-p384-pkcs8.pem"))+string(fixture(t, "leaf.pem"))), ParseOptions{})
	if err == nil || !strings.Contains(err.Error(), "does not belong to the certificate pasted with it") || !strings.Contains(err.Error(), "paste them separately") {
		t.Fatalf("err %v", err)
	}
}

func chainLen(k jwk.Key) int {
	if c, ok := k.X509CertChain(); ok {
		return c.Len()
	}
	return 0
}
