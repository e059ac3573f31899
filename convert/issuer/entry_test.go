package issuer

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// withMember returns the JSON of e's public JWK with name set to v.
func withMember(t *testing.T, e Entry, name string, v any) Entry {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(e.Public, &m); err != nil {
		t.Fatal(err)
	}
	if v == nil {
		delete(m, name)
	} else {
		m[name] = v
	}
	e.Public, _ = json.Marshal(m)
	return e
}

// privateJSON is the private JWK of the test key of alg, with kid.
func privateJSON(t *testing.T, alg, kid string) json.RawMessage {
	t.Helper()
	k, err := jwk.Import(rawKey(t, alg))
	if err != nil {
		t.Fatal(err)
	}
	_ = k.Set("kid", kid)
	_ = k.Set("alg", alg)
	b, _ := json.Marshal(k)
	return b
}

// TestEntry_RFC7517_RefusedBeforeServing: an entry that would serve a
// private member (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2) at any depth,
// an oct key, a JWK that is not one readable public key, or a signing key
// that does not fit its alg or its public key is refused with the kid and
// the problem named — and nothing is served from it.
func TestEntry_RFC7517_RefusedBeforeServing(t *testing.T) {
	es := entry(t, "ES256", "k1", Signer)
	other := entry(t, "ES384", "k1", Signer)
	x, _ := ecdh.X25519().GenerateKey(rand.Reader)
	xPriv, _ := jwk.Import(x)
	xPub, _ := jwk.PublicKeyOf(xPriv)
	_ = xPub.Set("kid", "kx")
	xJSON, _ := json.Marshal(xPub)

	cases := []struct {
		name string
		e    Entry
		want string
	}{
		{"EC private JWK as public §6.2.2", Entry{Kid: "k1", Public: privateJSON(t, "ES256", "k1")}, `"d"`},
		{"RSA private JWK as public §6.3.2", Entry{Kid: "k1", Public: privateJSON(t, "RS256", "k1")}, `"d"`},
		{"OKP private JWK as public RFC 8037 §2", Entry{Kid: "k1", Public: privateJSON(t, "EdDSA", "k1")}, `"d"`},
		{"RSA oth §6.3.2.7", withMember(t, entry(t, "RS256", "k1", Published), "oth", []any{map[string]any{"r": "AQ", "d": "AQ", "t": "AQ"}}), `"oth"`},
		{"p alone §6.3.2.2", withMember(t, entry(t, "RS256", "k1", Published), "p", "AQ"), `"p"`},
		{"qi alone §6.3.2.6", withMember(t, entry(t, "RS256", "k1", Published), "qi", "AQ"), `"qi"`},
		{"k on an EC key §6.4.1", withMember(t, es, "k", "c2VjcmV0"), `"k"`},
		{"d nested in an extra member", withMember(t, es, "meta", map[string]any{"d": "AQ"}), `"meta.d"`},
		{"t nested in an array", withMember(t, es, "extra", []any{"ok", map[string]any{"t": "AQ"}}), `"extra[1].t"`},
		{"oct key §6.4", Entry{Kid: "s", Public: json.RawMessage(`{"kty":"oct","kid":"s","alg":"HS256"}`)}, "shared secret"},
		{"unknown kty", Entry{Kid: "q", Public: json.RawMessage(`{"kty":"AKP","kid":"q","alg":"ML-DSA-44","pub":"AQ"}`)}, `kty "AKP"`},
		{"no kty", Entry{Kid: "q", Public: json.RawMessage(`{"kid":"q"}`)}, `kty ""`},
		{"array", Entry{Kid: "q", Public: json.RawMessage(`[]`)}, "not a JSON object"},
		{"not JSON", Entry{Kid: "q", Public: json.RawMessage(`{"kty":`)}, "not a JSON object"},
		{"text after the object", Entry{Kid: "k1", Public: append(append(json.RawMessage{}, es.Public...), []byte(` {"d":"AQ"}`)...)}, "text after"},
		{"duplicate kid member", Entry{Kid: "k1", Public: json.RawMessage(strings.Replace(string(es.Public), `{`, `{"kid":"k0",`, 1))}, `"kid" twice`},
		{"no kid", Entry{Public: es.Public}, "no kid"},
		{"kid differs from the JWK's", withMember(t, es, "kid", "k2"), `kid is "k2"`},
		{"JWK without kid", withMember(t, es, "kid", nil), `kid is ""`},
		{"point not on the curve", withMember(t, es, "x", "AAAA"), "not a valid EC key"},
		{"alg differs from the key's", func() Entry { e := es; e.Alg = "ES384"; return e }(), "alg is ES256"},
		{"ES256 on a P-384 key §3.4", withMember(t, func() Entry { e := other; e.Alg = "ES256"; return e }(), "alg", nil), "ES256 does not fit EC P-384"},
		{"HS256 §3.2", withMember(t, func() Entry { e := es; e.Alg = "HS256"; return e }(), "alg", nil), "not an asymmetric"},
		{"none §3.6", withMember(t, func() Entry { e := es; e.Alg = "none"; return e }(), "alg", nil), "not an asymmetric"},
		{"no alg to sign with", withMember(t, func() Entry { e := es; e.Alg = ""; return e }(), "alg", nil), "no signature algorithm"},
		{"private key of another type", func() Entry { e := es; p, _ := jwk.Import(rawKey(t, "EdDSA")); e.Private = p; return e }(), "ES256 does not fit"},
		{"private key of another P-256 key", func() Entry {
			e := es
			k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			e.Private, _ = jwk.Import(k)
			return e
		}(), "not the pair"},
		{"public key as the private key", func() Entry { e := es; p, _ := jwk.ParseKey(es.Public); e.Private = p; return e }(), "not a private key"},
		{"X25519 cannot sign RFC 8037 §3.2", Entry{Kid: "kx", Public: xJSON, Private: xPriv, Alg: "EdDSA"}, "EdDSA does not fit OKP X25519"},
		{"signer without a private key", func() Entry { e := es; e.Private = nil; return e }(), "cannot sign"},
		{"unknown role", func() Entry { e := es; e.Role = Role(9); return e }(), "unknown role"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(Config{}, []Entry{c.e})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("New: %v, want an error naming %s", err, c.want)
			}
			if c.e.Kid != "" && !strings.Contains(err.Error(), `kid "`+c.e.Kid+`"`) {
				t.Errorf("the error %q does not name the kid %q", err, c.e.Kid)
			}
			if strings.Contains(err.Error(), "jwk.") || strings.Contains(err.Error(), "jws.") {
				t.Errorf("jwx's own words reach the caller: %v", err)
			}
			s, _ := New(Config{}, []Entry{entry(t, "EdDSA", "good", Signer)})
			if err := s.SetKeys([]Entry{entry(t, "EdDSA", "good", Signer), c.e}); err == nil {
				t.Fatal("SetKeys accepted it")
			}
			if got := string(s.JWKS()); !strings.Contains(got, `"good"`) || strings.Count(got, `"kid"`) != 1 {
				t.Errorf("after a refused SetKeys the JWKS is %s, want the old one", got)
			}
		})
	}
}

// TestEntry_RFC7518_3_3_RSASignsWith2048Bits: even when jwx is configured to
// read 1024-bit RSA keys (the app reads them to lint them), such a key
// never signs.
func TestEntry_RFC7518_3_3_RSASignsWith2048Bits(t *testing.T) {
	jwk.Configure(jwk.WithMinRSAModulusBits(1024))
	defer jwk.Configure(jwk.WithMinRSAModulusBits(2048))
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	priv, _ := jwk.Import(weak)
	_ = priv.Set("kid", "weak")
	pub, _ := jwk.PublicKeyOf(priv)
	_ = pub.Set("alg", "RS256")
	b, _ := json.Marshal(pub)
	_, err = New(Config{}, []Entry{{Kid: "weak", Public: b, Private: priv, Role: Signer}})
	if err == nil || !strings.Contains(err.Error(), "1024 bits never signs") {
		t.Fatalf("New: %v, want a refusal naming 1024 bits", err)
	}
	// Served only (no private key), it is the caller's lint that speaks.
	if _, err := New(Config{}, []Entry{{Kid: "weak", Public: b}}); err != nil {
		t.Errorf("a served-only key: %v", err)
	}
}

// TestEntry_RolesAndKids_RFC7517_4_5: kids are compared exactly and never
// shared by two keys; at most one signer and one next key; without a
// signer the first published key that can sign signs.
func TestEntry_RolesAndKids_RFC7517_4_5(t *testing.T) {
	pubOnly := entry(t, "ES384", "p", Published)
	pubOnly.Private = nil
	cases := []struct {
		name    string
		entries []Entry
		signer  string
		want    string
	}{
		{"same kid twice", []Entry{entry(t, "ES256", "k", Published), entry(t, "EdDSA", "k", Published)}, "", `kid "k" is on two keys`},
		{"two signers", []Entry{entry(t, "ES256", "a", Signer), entry(t, "EdDSA", "b", Signer)}, "", "two keys are marked signer"},
		{"two next", []Entry{entry(t, "ES256", "a", Next), entry(t, "EdDSA", "b", Next)}, "", "two keys are marked next"},
		{"kids differ only in case", []Entry{entry(t, "ES256", "Key", Published), entry(t, "EdDSA", "key", Published)}, "Key", ""},
		{"first published that signs", []Entry{pubOnly, entry(t, "ES256", "n", Next), entry(t, "EdDSA", "r", Retiring), entry(t, "RS256", "x", Published), entry(t, "PS256", "y", Published)}, "x", ""},
		{"marked signer wins", []Entry{entry(t, "ES256", "a", Published), entry(t, "EdDSA", "b", Signer)}, "b", ""},
		{"none can sign", []Entry{pubOnly, entry(t, "ES256", "n", Next)}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New(Config{}, c.entries)
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("New: %v, want %q", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Signer(); got != c.signer {
				t.Errorf("signer %q, want %q", got, c.signer)
			}
		})
	}
}
