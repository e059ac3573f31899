package issuer

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// secp256k1JWK is a test key (made by JWK Desk's generator): jwx reads
// secp256k1 with the jwx_es256k tag but the standard library cannot make one.
const secp256k1JWK = `{"alg":"ES256K","crv":"secp256k1","d":"8MIkyUn9aagES-FcXTmf8mMszNMvzVmrcKwcv3_DMpY","kty":"EC","use":"sig","x":"kTYyan1b6bhDqiTuh-zNVNaIuDnzvFK7SccYU5FpnxM","y":"lvqvDvrAJVjblecg6E4WE81oxDcYOcRhQFkde7-pRzA"}`

// testKeyAlgs are the signature algorithms the tests sign with, one key
// each.
var testKeyAlgs = []string{"RS256", "PS256", "ES256", "ES384", "ES512", "ES256K", "EdDSA"}

var (
	keysOnce sync.Once
	rawKeys  map[string]any
)

// rawKey returns a private key for alg, made once per test binary (two RSA
// keys: "RS256" and "PS256" differ so rotations between them change keys).
func rawKey(t testing.TB, alg string) any {
	t.Helper()
	keysOnce.Do(func() {
		rawKeys = map[string]any{}
		for _, a := range []string{"RS256", "PS256"} {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			rawKeys[a] = k
		}
		for a, c := range map[string]elliptic.Curve{"ES256": elliptic.P256(), "ES384": elliptic.P384(), "ES512": elliptic.P521()} {
			k, err := ecdsa.GenerateKey(c, rand.Reader)
			if err != nil {
				panic(err)
			}
			rawKeys[a] = k
		}
		_, ed, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			panic(err)
		}
		rawKeys["EdDSA"] = ed
		k, err := jwk.ParseKey([]byte(secp256k1JWK))
		if err != nil {
			panic(err)
		}
		var raw any
		if err := jwk.Export(k, &raw); err != nil {
			panic(err)
		}
		rawKeys["ES256K"] = raw
	})
	k, ok := rawKeys[alg]
	if !ok {
		t.Fatalf("no test key for %s", alg)
	}
	return k
}

// entry makes an Entry for the test key of alg: its public JWK with kid and
// alg, as the engine's public export writes it.
func entry(t testing.TB, alg, kid string, role Role) Entry {
	t.Helper()
	priv, err := jwk.Import(rawKey(t, alg))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := jwk.PublicKeyOf(priv)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{"kid": kid, "alg": alg, "use": "sig"} {
		if err := pub.Set(name, v); err != nil {
			t.Fatal(err)
		}
	}
	b, err := json.Marshal(pub)
	if err != nil {
		t.Fatal(err)
	}
	return Entry{Kid: kid, Public: b, Private: priv, Alg: alg, Role: role}
}

// started makes a server for entries with cfg, starts it on a free port
// and stops it when the test ends.
func started(t testing.TB, cfg Config, entries ...Entry) *Server {
	t.Helper()
	s, err := New(cfg, entries)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := s.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return s
}

// reply is a response read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func do(t testing.TB, req *http.Request) reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading: %v", req.Method, req.URL, err)
	}
	return reply{resp.StatusCode, resp.Header, b}
}

func get(t testing.TB, s *Server, path string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, req)
}

// postToken asks the token endpoint with form.
func postToken(t testing.TB, s *Server, form url.Values) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+TokenPath, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req)
}

// token gets an access token for clientID, failing the test otherwise.
func token(t testing.TB, s *Server, clientID string) string {
	t.Helper()
	r := postToken(t, s, url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}})
	if r.status != http.StatusOK {
		t.Fatalf("token endpoint: %d %s", r.status, r.body)
	}
	var tr tokenResponse
	if err := json.Unmarshal(r.body, &tr); err != nil || tr.AccessToken == "" {
		t.Fatalf("token response %s: %v", r.body, err)
	}
	return tr.AccessToken
}
