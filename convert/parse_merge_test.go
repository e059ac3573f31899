package convert

import (
	"strings"
	"testing"
	"time"

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
				// The certificate holds this key (the lint's own check).
				for _, f := range LintKey(0, k, time.Now()) {
					if f.Code == LintCertMismatch || f.Code == LintCertUnreadable {
						t.Errorf("lint: %s", f.Message)
					}
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

// A certificate of another key stays its own (public) key, and the input
// says the two do not belong together.
func TestPrivateKeyWithAnotherKeysCertificateStaysTwoKeys(t *testing.T) {
	r, err := Parse([]byte(string(fixture(t, "ec-p384-pkcs8.pem"))+string(fixture(t, "leaf.pem"))), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	keys := r.Keys()
	if len(keys) != 2 || keys[0].Has(jwk.X509CertChainKey) || !keys[1].Has(jwk.X509CertChainKey) {
		t.Fatalf("%d keys", len(keys))
	}
	if !strings.Contains(strings.Join(r.Warnings, "\n"), "another public key than the private key") {
		t.Errorf("warnings %q", r.Warnings)
	}
}

func chainLen(k jwk.Key) int {
	if c, ok := k.X509CertChain(); ok {
		return c.Len()
	}
	return 0
}
