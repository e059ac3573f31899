package issuer

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// decoded is a token's protected header and claims, after its signature
// was checked against the served JWKS.
type decoded struct {
	alg, kid, typ string
	claims        map[string]any
}

// verifyServed checks tok against the JWKS the server serves now, with the
// key its kid names and that key's own alg, and decodes it.
func verifyServed(t *testing.T, s *Server, tok string) decoded {
	t.Helper()
	set, err := jwk.Parse(get(t, s, JWKSPath).body)
	if err != nil {
		t.Fatalf("served JWKS: %v", err)
	}
	msg, err := jws.Parse([]byte(tok))
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	h := msg.Signatures()[0].ProtectedHeaders()
	var d decoded
	kid, _ := h.KeyID()
	typ, _ := h.Type()
	alg, _ := h.Algorithm()
	d.kid, d.typ, d.alg = kid, typ, alg.String()
	key, ok := set.LookupKeyID(kid)
	if !ok {
		t.Fatalf("the token's kid %q is not in the served JWKS", kid)
	}
	keyAlg, _ := key.Algorithm()
	if keyAlg.String() != d.alg {
		t.Fatalf("token alg %s, served key alg %s", d.alg, keyAlg)
	}
	payload, err := jws.Verify([]byte(tok), jws.WithKey(alg, key))
	if err != nil {
		t.Fatalf("the token does not verify with the served key %q: %v", kid, err)
	}
	if err := json.Unmarshal(payload, &d.claims); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestToken_RFC9068_SignedBySignerEveryAlg: for each signature algorithm,
// the token endpoint answers RFC 6749 §5.1 JSON with a token signed by the
// signer (kid and alg in the header, typ at+jwt per RFC 9068 §2.1) that
// verifies with the served key, with iss, sub, aud, client_id, iat, nbf,
// exp and a fresh jti (RFC 9068 §2.2).
func TestToken_RFC9068_SignedBySignerEveryAlg(t *testing.T) {
	for _, alg := range testKeyAlgs {
		t.Run(alg, func(t *testing.T) {
			kid := "k-" + strings.ToLower(alg)
			s := started(t, Config{}, entry(t, alg, kid, Published))
			tr := tokenAnswer(t, s, "svc-a")
			d := verifyServed(t, s, tr.AccessToken)
			if d.kid != kid || d.alg != alg || d.typ != TypeAccessToken {
				t.Errorf("header kid %q alg %q typ %q, want %q %q at+jwt", d.kid, d.alg, d.typ, kid, alg)
			}
			c := d.claims
			if c["iss"] != s.URL() || c["sub"] != "svc-a" || c["aud"] != "svc-a" || c["client_id"] != "svc-a" {
				t.Errorf("claims %v: want iss %s, sub, aud and client_id svc-a", c, s.URL())
			}
			iat, _ := c["iat"].(float64)
			if c["nbf"] != iat || c["exp"] != iat+3600 || c["jti"] == "" || c["jti"] == nil {
				t.Errorf("claims %v: want nbf = iat, exp = iat+3600, a jti", c)
			}
			if d2 := verifyServed(t, s, token(t, s, "svc-a")); d2.claims["jti"] == c["jti"] {
				t.Errorf("two tokens share the jti %v", c["jti"])
			}
		})
	}
}

// tokenAnswer asks for a token and checks the RFC 6749 §5.1 answer: 200,
// Cache-Control no-store, token_type Bearer, expires_in 3600.
func tokenAnswer(t *testing.T, s *Server, clientID string) tokenResponse {
	t.Helper()
	r := postToken(t, s, url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}})
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store (RFC 6749 §5.1)", cc)
	}
	var tr tokenResponse
	if err := json.Unmarshal(r.body, &tr); err != nil {
		t.Fatal(err)
	}
	if tr.TokenType != "Bearer" || tr.ExpiresIn != 3600 || tr.AccessToken == "" {
		t.Errorf("response %s: want token_type Bearer, expires_in 3600", r.body)
	}
	return tr
}

// TestToken_RFC6749_5_2_Errors: each malformed request gets its RFC 6749
// §5.2 error as JSON, never a token.
func TestToken_RFC6749_5_2_Errors(t *testing.T) {
	s := started(t, Config{}, entry(t, "ES256", "k1", Signer))
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	formType := "application/x-www-form-urlencoded"
	cases := []struct {
		name, ctype, body, auth string
		status                  int
		code                    string
	}{
		{"json body §4.4.2", "application/json", `{"grant_type":"client_credentials"}`, "", 400, "invalid_request"},
		{"no content type §4.4.2", "", form("grant_type", "client_credentials", "client_id", "a"), "", 400, "invalid_request"},
		{"grant_type missing §4.4.2", formType, form("client_id", "a"), "", 400, "invalid_request"},
		{"authorization_code §5.2", formType, form("grant_type", "authorization_code", "client_id", "a"), "", 400, "unsupported_grant_type"},
		{"password §5.2", formType, form("grant_type", "password", "client_id", "a"), "", 400, "unsupported_grant_type"},
		{"grant_type twice §3.1", formType, form("grant_type", "client_credentials", "grant_type", "client_credentials", "client_id", "a"), "", 400, "invalid_request"},
		{"client_id twice §3.1", formType, form("grant_type", "client_credentials", "client_id", "a", "client_id", "b"), "", 400, "invalid_request"},
		{"client_id missing §5.2", formType, form("grant_type", "client_credentials"), "", 401, "invalid_client"},
		{"bearer authorization §2.3", formType, form("grant_type", "client_credentials"), "Bearer abc", 401, "invalid_client"},
		{"basic and client_secret §2.3", formType, form("grant_type", "client_credentials", "client_secret", "s"), "Basic YTpi", 400, "invalid_request"},
		{"basic and another client_id §2.3", formType, form("grant_type", "client_credentials", "client_id", "z"), "Basic YTpi", 400, "invalid_request"},
		{"scope with a quote §3.3", formType, form("grant_type", "client_credentials", "client_id", "a", "scope", `read "all"`), "", 400, "invalid_scope"},
		{"scope with two spaces §3.3", formType, form("grant_type", "client_credentials", "client_id", "a", "scope", "read  write"), "", 400, "invalid_scope"},
		{"bad percent encoding §4.4.2", formType, "grant_type=%zz", "", 400, "invalid_request"},
		{"body over 16 KiB", formType, form("grant_type", "client_credentials", "client_id", "a", "pad", strings.Repeat("x", MaxBody)), "", 413, "invalid_request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, s.URL()+TokenPath, strings.NewReader(c.body))
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			r := do(t, req)
			var e map[string]any
			if err := json.Unmarshal(r.body, &e); err != nil {
				t.Fatalf("status %d, body %q is not JSON", r.status, r.body)
			}
			if desc, _ := e["error_description"].(string); r.status != c.status || e["error"] != c.code || desc == "" {
				t.Errorf("got %d %s, want %d with error %s and a description", r.status, r.body, c.status, c.code)
			}
			if _, ok := e["access_token"]; ok {
				t.Error("an error answer holds a token")
			}
			if r.header.Get("Cache-Control") != "no-store" || r.header.Get("Content-Type") != "application/json" {
				t.Errorf("headers %v: want JSON with Cache-Control no-store", r.header)
			}
			if c.code == "invalid_client" && r.header.Get("WWW-Authenticate") == "" {
				t.Error("invalid_client without WWW-Authenticate (RFC 6749 §5.2)")
			}
		})
	}
}

// TestToken_RFC6749_2_3_1_ClientAuthMethods: every method discovery
// advertises is accepted with any client_id and secret.
func TestToken_RFC6749_2_3_1_ClientAuthMethods(t *testing.T) {
	s := started(t, Config{}, entry(t, "ES256", "k1", Signer))
	cases := []struct {
		method, body, user, want string
	}{
		{"none", "grant_type=client_credentials&client_id=svc", "", "svc"},
		{"client_secret_post", "grant_type=client_credentials&client_id=svc&client_secret=anything", "", "svc"},
		{"client_secret_basic", "grant_type=client_credentials", "svc", "svc"},
		{"client_secret_basic form-encoded id", "grant_type=client_credentials", "my+svc%2F1", "my svc/1"},
		{"client_secret_basic with the same client_id", "grant_type=client_credentials&client_id=svc", "svc", "svc"},
	}
	for _, c := range cases {
		t.Run(c.method, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, s.URL()+TokenPath, strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			if c.user != "" {
				req.SetBasicAuth(c.user, "secret")
			}
			r := do(t, req)
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			var tr tokenResponse
			_ = json.Unmarshal(r.body, &tr)
			if d := verifyServed(t, s, tr.AccessToken); d.claims["sub"] != c.want || d.claims["client_id"] != c.want {
				t.Errorf("claims %v: want sub and client_id %q", d.claims, c.want)
			}
		})
	}
}

// TestToken_ClaimsTemplate_RFC7519_4_1: the template's sub, aud (a string
// for one, an array for several), scope, lifetime and extra claims reach
// the token; the issuer's clock sets iat, nbf and exp; a request's scope is
// granted as asked and echoed (RFC 6749 §5.1).
func TestToken_ClaimsTemplate_RFC7519_4_1(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := func() time.Time { return now }
	cases := []struct {
		name   string
		claims Claims
		scope  string // asked in the request
		want   map[string]any
	}{
		{"defaults", Claims{}, "",
			map[string]any{"sub": "cli", "aud": "cli", "exp": float64(now.Unix() + 3600)}},
		{"one audience is a string", Claims{Subject: "user-1", Audience: []string{"api://orders"}, Lifetime: 5 * time.Minute}, "",
			map[string]any{"sub": "user-1", "aud": "api://orders", "exp": float64(now.Unix() + 300)}},
		{"two audiences are an array", Claims{Audience: []string{"a", "b"}}, "",
			map[string]any{"aud": []any{"a", "b"}}},
		{"template scope", Claims{Scope: "orders:read"}, "",
			map[string]any{"scope": "orders:read"}},
		{"requested scope wins", Claims{Scope: "orders:read"}, "orders:write admin",
			map[string]any{"scope": "orders:write admin"}},
		{"extra claims merged", Claims{Extra: json.RawMessage(`{"tenant":"t1","roles":["a","b"],"n":{"x":1}}`)}, "",
			map[string]any{"tenant": "t1", "roles": []any{"a", "b"}, "n": map[string]any{"x": float64(1)}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := started(t, Config{Claims: c.claims, Now: clock, TokenType: TypeJWT}, entry(t, "ES256", "k1", Signer))
			form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"cli"}}
			if c.scope != "" {
				form.Set("scope", c.scope)
			}
			r := postToken(t, s, form)
			var tr tokenResponse
			if err := json.Unmarshal(r.body, &tr); err != nil || r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			d := verifyServed(t, s, tr.AccessToken)
			if d.typ != TypeJWT {
				t.Errorf("typ %q, want JWT", d.typ)
			}
			if d.claims["iat"] != float64(now.Unix()) || d.claims["nbf"] != float64(now.Unix()) || d.claims["iss"] != s.URL() {
				t.Errorf("iat/nbf/iss %v", d.claims)
			}
			for name, want := range c.want {
				got, _ := json.Marshal(d.claims[name])
				w, _ := json.Marshal(want)
				if string(got) != string(w) {
					t.Errorf("claim %s = %s, want %s", name, got, w)
				}
			}
			if want, ok := c.want["scope"]; ok && tr.Scope != want {
				t.Errorf("response scope %q, want %q", tr.Scope, want)
			}
		})
	}
}

// TestClaims_ReservedAndMalformed_RFC7519_4_1: the extra claims cannot set
// what the issuer sets (iss, iat, nbf, exp, jti) nor what has its own field
// (sub, aud, scope, client_id); a template that is not usable is refused by
// New and by SetClaims with the member named, and the old template stays.
func TestClaims_ReservedAndMalformed_RFC7519_4_1(t *testing.T) {
	cases := []struct {
		name   string
		claims Claims
		want   string
	}{
		{"iss", Claims{Extra: json.RawMessage(`{"iss":"https://evil"}`)}, `"iss"`},
		{"iat", Claims{Extra: json.RawMessage(`{"iat":1}`)}, `"iat"`},
		{"nbf", Claims{Extra: json.RawMessage(`{"nbf":1}`)}, `"nbf"`},
		{"exp", Claims{Extra: json.RawMessage(`{"exp":99999999999}`)}, `"exp"`},
		{"jti", Claims{Extra: json.RawMessage(`{"jti":"fixed"}`)}, `"jti"`},
		{"sub", Claims{Extra: json.RawMessage(`{"sub":"x"}`)}, `"sub"`},
		{"aud", Claims{Extra: json.RawMessage(`{"aud":"x"}`)}, `"aud"`},
		{"scope", Claims{Extra: json.RawMessage(`{"scope":"x"}`)}, `"scope"`},
		{"client_id", Claims{Extra: json.RawMessage(`{"client_id":"x"}`)}, `"client_id"`},
		{"not an object", Claims{Extra: json.RawMessage(`["a"]`)}, "not a JSON object"},
		{"not JSON", Claims{Extra: json.RawMessage(`{"a":`)}, "not a JSON object"},
		{"duplicate member", Claims{Extra: json.RawMessage(`{"a":1,"a":2}`)}, `"a" twice`},
		{"too big", Claims{Extra: json.RawMessage(`{"a":"` + strings.Repeat("x", maxExtra) + `"}`)}, "over the"},
		{"lifetime under a second", Claims{Lifetime: time.Millisecond}, "under one second"},
		{"lifetime negative", Claims{Lifetime: -time.Hour}, "under one second"},
		{"lifetime over a year", Claims{Lifetime: 400 * 24 * time.Hour}, "over"},
		{"empty audience value", Claims{Audience: []string{"a", ""}}, "empty value"},
		{"bad scope", Claims{Scope: "a\tb"}, "RFC 6749 §3.3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := New(Config{Claims: c.claims}, nil); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("New: %v, want an error naming %s", err, c.want)
			}
			s, err := New(Config{Claims: Claims{Subject: "kept"}}, []Entry{entry(t, "ES256", "k1", Signer)})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SetClaims(c.claims); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("SetClaims: %v, want an error naming %s", err, c.want)
			}
			if s.state.Load().claims.sub != "kept" {
				t.Error("a refused template replaced the old one")
			}
		})
	}
}

// TestToken_NoSigner: with no key that can sign, the token endpoint says
// so (503 temporarily_unavailable) and the JWKS is still served.
func TestToken_NoSigner(t *testing.T) {
	pubOnly := entry(t, "ES256", "k1", Published)
	pubOnly.Private = nil
	s := started(t, Config{}, pubOnly)
	r := postToken(t, s, url.Values{"grant_type": {"client_credentials"}, "client_id": {"a"}})
	if r.status != http.StatusServiceUnavailable || !strings.Contains(string(r.body), "temporarily_unavailable") {
		t.Errorf("got %d %s, want 503 temporarily_unavailable", r.status, r.body)
	}
	if r := get(t, s, JWKSPath); r.status != 200 || !strings.Contains(string(r.body), `"k1"`) {
		t.Errorf("JWKS %d %s", r.status, r.body)
	}
	var d map[string]any
	_ = json.Unmarshal(get(t, s, DiscoveryPath).body, &d)
	if algs, _ := d["id_token_signing_alg_values_supported"].([]any); len(algs) != 1 || algs[0] != "ES256" {
		t.Errorf("advertised algs %v, want [ES256] (the served key's)", algs)
	}
}
