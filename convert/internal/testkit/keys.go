package testkit

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/cert"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

var Now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// Key imports a raw key and sets members ("kid", "use", "alg",
// "key_ops"); a member given as "" is left out.
func Key(t testing.TB, raw any, members map[string]any) jwk.Key {
	t.Helper()
	k, err := jwk.Import(raw)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	for name, v := range members {
		if s, ok := v.(string); ok && s == "" {
			continue
		}
		if err := k.Set(name, v); err != nil {
			t.Fatalf("set %s=%v: %v", name, v, err)
		}
	}
	return k
}

var (
	rsaPairOnce sync.Once
	rsa2048     *rsa.PrivateKey
	rsa1024     *rsa.PrivateKey
)

// RSAPair returns RSA keys made once per test binary (generation is slow).
func RSAPair(t testing.TB) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	rsaPairOnce.Do(func() {
		var err error
		if rsa2048, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if rsa1024, err = rsa.GenerateKey(rand.Reader, 1024); err != nil {
			panic(err)
		}
	})
	return rsa2048, rsa1024
}

func EC(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// SelfSigned makes a certificate for pub signed by signer, valid in [from, to].
func SelfSigned(t testing.TB, pub any, signer crypto.Signer, from, to time.Time) string {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "test"}, NotBefore: from, NotAfter: to}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, signer)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(der)
}

func WithX5C(t testing.TB, k jwk.Key, b64 string) jwk.Key {
	t.Helper()
	var chain cert.Chain
	if err := chain.Add([]byte(b64)); err != nil {
		t.Fatal(err)
	}
	if err := k.Set(jwk.X509CertChainKey, &chain); err != nil {
		t.Fatal(err)
	}
	return k
}

// WildSetKeys are JWKS members seen in the wild that JWK Desk does not read
// (RFC 7517 §5 asks a reader to skip them and use the rest), and damaged
// ones that are not "unsupported".
var WildSetKeys = []struct {
	Name, JSON  string
	Unsupported bool
}{
	{"post-quantum AKP (ML-DSA) key", `{"kty":"AKP","alg":"ML-DSA-44","kid":"pq","pub":"AAAA"}`, true},
	{"DSA key", `{"kty":"DSA","kid":"dsa","p":"AQAB","q":"AQAB","g":"AQAB","y":"AQAB"}`, true},
	{"lower-case kty", `{"kty":"ec","kid":"lower","crv":"P-256","x":"AA","y":"AA"}`, true},
	{"EC on P-192", `{"kty":"EC","crv":"P-192","kid":"p192","x":"AA","y":"AA"}`, true},
	{"EC on brainpoolP256r1", `{"kty":"EC","crv":"brainpoolP256r1","kid":"bp","x":"AA","y":"AA"}`, true},
	{"OKP Ed448 (RFC 8037)", `{"kty":"OKP","crv":"Ed448","kid":"ed448","x":"AA"}`, true},
	{"OKP X448 (RFC 8037)", `{"kty":"OKP","crv":"X448","kid":"x448","x":"AA"}`, true},
	{"damaged EC point", `{"kty":"EC","crv":"P-256","kid":"broken","x":"@","y":"@"}`, false},
	{"no kty", `{"kid":"nokty","n":"AQAB","e":"AQAB"}`, false},
	{"kty not a string", `{"kty":7,"kid":"num"}`, false},
	{"EC without crv", `{"kty":"EC","kid":"nocrv","x":"AA","y":"AA"}`, false},
}

func b64u(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// RealisticSet builds a JWKS shaped like the ones real issuers publish
// (DESIGN.md, "What real inputs look like"), over keys made here, with two
// keys jwx cannot read among them.
func RealisticSet(t testing.TB) string {
	r, _ := RSAPair(t)
	n, e := b64u(r.N.Bytes()), b64u(big.NewInt(int64(r.E)).Bytes())
	certB64 := SelfSigned(t, &r.PublicKey, r, Now.AddDate(-1, 0, 0), Now.AddDate(4, 0, 0))
	ec := EC(t)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	keys := []string{
		// Entra ID: RSA with x5c and x5t, no alg, a non-standard "issuer" member.
		fmt.Sprintf(`{"kty":"RSA","use":"sig","kid":"JYhAcTPMZ_LX6DBlOWQ7Hn0NeXE","x5t":"JYhAcTPMZ_LX6DBlOWQ7Hn0NeXE","n":%q,"e":%q,"x5c":[%q],"issuer":"https://login.microsoftonline.com/{tenantid}/v2.0"}`, n, e, certB64),
		// Google: hex kid, alg RS256, no x5c; members in another order.
		fmt.Sprintf(`{"e":%q,"alg":"RS256","kty":"RSA","use":"sig","n":%q,"kid":"c8ab71530972bba20b49f78a09c9852c43ff9118"}`, e, n),
		// A key jwx cannot read: EC point members that are not base64url.
		`{"kty":"EC","crv":"P-256","x":"@@@","y":"@@@","kid":"broken-ec"}`,
		// Apple: short kid, RS256.
		fmt.Sprintf(`{"kty":"RSA","kid":"W6WcOKB","use":"sig","alg":"RS256","n":%q,"e":%q}`, n, e),
		// PayPal-like EC key without alg.
		fmt.Sprintf(`{"kty":"EC","crv":"P-256","kid":"0","use":"sig","x":%q,"y":%q}`, b64u(ec.X.FillBytes(make([]byte, 32))), b64u(ec.Y.FillBytes(make([]byte, 32)))),
		// An unregistered alg: jwx refuses the key.
		fmt.Sprintf(`{"kty":"RSA","kid":"es521","alg":"ES521","n":%q,"e":%q}`, n, e),
		// RFC 8037 style OKP key, kid-less.
		fmt.Sprintf(`{"kty":"OKP","crv":"Ed25519","x":%q}`, b64u(ed.Public().(ed25519.PublicKey))),
	}
	return `{"keys":[` + strings.Join(keys, ",") + `]}`
}

// WithMembers returns a copy of key with extra members set as they would be
// after a paste (jwx keeps members it does not know).
func WithMembers(t testing.TB, key jwk.Key, members map[string]any) jwk.Key {
	t.Helper()
	k, err := key.Clone()
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range members {
		if err := k.Set(name, v); err != nil {
			t.Fatalf("set %s: %v", name, err)
		}
	}
	return k
}

// MemberNames are the top-level members of every JWK in out (a JWK or a
// JWKS, or a saved workspace).
func MemberNames(t testing.TB, out []byte) [][]string {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(out, &top); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	var raws []json.RawMessage
	switch {
	case top["keys"] != nil:
		var entries []json.RawMessage
		_ = json.Unmarshal(top["keys"], &entries)
		for _, e := range entries {
			var saved struct {
				JWK json.RawMessage `json:"jwk"`
			}
			if json.Unmarshal(e, &saved) == nil && saved.JWK != nil {
				raws = append(raws, saved.JWK) // a saved workspace
			} else {
				raws = append(raws, e)
			}
		}
	default:
		raws = []json.RawMessage{out}
	}
	var all [][]string
	for _, r := range raws {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(r, &m); err != nil {
			t.Fatal(err)
		}
		var names []string
		for n := range m {
			names = append(names, n)
		}
		sort.Strings(names)
		all = append(all, names)
	}
	return all
}
