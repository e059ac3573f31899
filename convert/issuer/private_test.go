package issuer

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// secretNames are the members private for some key type, spelled out here
// again (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2; §6.3.2.7's r and t)
// so the test does not share the walker it checks.
var secretNames = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k", "r", "t"}

// leaks walks a decoded JSON value and lists the private member names in
// it, at any depth.
func leaks(v any, path string) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for name, sub := range v {
			if slices.Contains(secretNames, name) {
				out = append(out, path+"."+name)
			}
			out = append(out, leaks(sub, path+"."+name)...)
		}
	case []any:
		for i, sub := range v {
			out = append(out, leaks(sub, fmt.Sprintf("%s[%d]", path, i))...)
		}
	}
	return out
}

// leaksInBody decodes a response body (JSON, or a compact token inside the
// JSON) and lists every private member in it; the token's header is
// walked, its claims are the template's and may use any name.
func leaksInBody(t *testing.T, body []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil // plain text errors hold no JSON members
	}
	out := leaks(v, "")
	if m, ok := v.(map[string]any); ok {
		if tok, ok := m["access_token"].(string); ok {
			hdr, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[0])
			if err != nil {
				t.Fatalf("token header: %v", err)
			}
			var h any
			_ = json.Unmarshal(hdr, &h)
			out = append(out, leaks(h, "header")...)
		}
	}
	return out
}

// hostile returns v with random members added at random depths: innocent
// names, and with probability pSecret one private member somewhere.
func hostile(rng *rand.Rand, v map[string]any, pSecret float64) (map[string]any, bool) {
	innocent := []string{"use", "x5t", "ext", "meta", "issuer", "status", "e2", "dd", "kid2", "D", "K"}
	for range rng.IntN(4) {
		v[innocent[rng.IntN(len(innocent))]+fmt.Sprint(rng.IntN(9))] = "AQAB"
	}
	if rng.Float64() >= pSecret {
		return v, false
	}
	name := secretNames[rng.IntN(len(secretNames))]
	var inner any = "AQAB"
	switch rng.IntN(3) {
	case 0:
		v[name] = inner // top level
	case 1:
		v["meta"] = map[string]any{"deep": map[string]any{name: inner}}
	case 2:
		v["list"] = []any{"x", map[string]any{name: inner}}
	}
	return v, true
}

// TestJWKS_RFC7517_NeverServesPrivateMembers_Property: for random keys of
// every type — public and private JWKs, oct secrets, hostile extra members
// at any depth — whatever New or SetKeys accepts, no response of any
// endpoint (discovery, JWKS, token, errors, 404, 405) holds a member that
// is private for any key type; and every input holding one is refused.
func TestJWKS_RFC7517_NeverServesPrivateMembers_Property(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 1))
	s := started(t, Config{}, entry(t, "ES256", "base", Signer))
	requests := []struct{ method, path, body string }{
		{"GET", DiscoveryPath, ""}, {"GET", JWKSPath, ""}, {"HEAD", JWKSPath, ""},
		{"POST", TokenPath, "grant_type=client_credentials&client_id=c"},
		{"POST", TokenPath, "grant_type=password"}, {"GET", TokenPath, ""},
		{"POST", JWKSPath, ""}, {"GET", "/.well-known/jwks.json/d", ""}, {"GET", "/nope", ""},
	}
	accepted, refused := 0, 0
	for i := range 150 {
		alg := testKeyAlgs[rng.IntN(len(testKeyAlgs))]
		kid := fmt.Sprintf("kid-%d", i)
		e := entry(t, alg, kid, []Role{Published, Next, Retiring, Retired}[rng.IntN(4)])
		var m map[string]any
		switch rng.IntN(4) {
		case 0: // the private JWK pasted where the public one belongs
			_ = json.Unmarshal(privateJSON(t, alg, kid), &m)
		case 1: // an oct secret
			m = map[string]any{"kty": "oct", "kid": kid, "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"}
		default:
			_ = json.Unmarshal(e.Public, &m)
		}
		m, _ = hostile(rng, m, 0.4)
		e.Public, _ = json.Marshal(m)
		mustRefuse := len(leaks(m, "")) > 0 || m["kty"] == "oct"
		err := s.SetKeys([]Entry{entry(t, "ES256", "base", Signer), e})
		if mustRefuse != (err != nil) {
			t.Fatalf("case %d (%s): SetKeys error %v, must refuse %v: %s", i, alg, err, mustRefuse, e.Public)
		}
		if err != nil {
			refused++
		} else {
			accepted++
		}
		for _, r := range requests {
			req := httptest.NewRequest(r.method, s.URL()+r.path, strings.NewReader(r.body))
			req.Host = strings.TrimPrefix(s.URL(), "http://")
			if r.body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			rec := httptest.NewRecorder()
			s.handler().ServeHTTP(rec, req)
			if l := leaksInBody(t, rec.Body.Bytes()); len(l) > 0 {
				t.Fatalf("case %d: %s %s answered private members %v: %s", i, r.method, r.path, l, rec.Body)
			}
		}
	}
	if accepted < 20 || refused < 20 {
		t.Errorf("the generator is lopsided: %d accepted, %d refused", accepted, refused)
	}
	t.Logf("%d key sets accepted, %d refused", accepted, refused)
}

// TestJWKS_FailsClosed: if a private member or an oct key ever reached the
// marshalled JWKS (whatever let it through the entry checks), the JWKS
// handler serves nothing rather than the key.
func TestJWKS_FailsClosed(t *testing.T) {
	s := started(t, Config{}, entry(t, "ES256", "k1", Signer))
	cases := map[string]json.RawMessage{
		"private d":    privateJSON(t, "ES256", "k1"),
		"oct":          json.RawMessage(`{"kty":"oct","kid":"k1"}`),
		"nested oth.r": json.RawMessage(`{"kty":"RSA","kid":"k1","n":"AQ","e":"AQAB","x":[{"r":"AQ"}]}`),
	}
	for name, pub := range cases {
		t.Run(name, func(t *testing.T) {
			st := *s.state.Load()
			st.keys = slices.Clone(st.keys)
			st.keys[0].public = pub // past the entry checks, as a bug would
			st.jwks, st.jwksErr = nil, nil
			st.buildJWKS()
			if st.jwks != nil || st.jwksErr == nil {
				t.Fatalf("the last check let %s through", pub)
			}
			s.state.Store(&st)
			r := get(t, s, JWKSPath)
			if r.status != http.StatusInternalServerError || len(leaksInBody(t, r.body)) > 0 || strings.Contains(string(r.body), "kty") {
				t.Errorf("got %d %s, want 500 with no key", r.status, r.body)
			}
		})
	}
}
