package issuer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func request(t *testing.T, s *Server, method, path string, body io.Reader, header map[string]string) reply {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	return do(t, req)
}

// TestHTTP_RFC9110_15_5_NotFoundAndMethods: unknown paths are 404; a known
// path with another method is 405 with the Allow header (RFC 9110
// §15.5.6); HEAD answers the JWKS's headers without its body.
func TestHTTP_RFC9110_15_5_NotFoundAndMethods(t *testing.T) {
	s := started(t, Config{}, entry(t, "ES256", "k1", Signer))
	cases := []struct {
		method, path string
		status       int
		allow        []string
	}{
		{"GET", "/", 404, nil},
		{"GET", "/jwks", 404, nil},
		{"GET", JWKSPath + "/x", 404, nil},
		{"GET", "/.well-known/oauth-authorization-server", 404, nil},
		{"GET", TokenPath, 405, []string{"POST"}},
		{"PUT", TokenPath, 405, []string{"POST"}},
		{"OPTIONS", TokenPath, 405, []string{"POST"}},
		{"POST", JWKSPath, 405, []string{"GET", "HEAD"}},
		{"DELETE", DiscoveryPath, 405, []string{"GET", "HEAD"}},
		{"PATCH", DiscoveryPath, 405, []string{"GET", "HEAD"}},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			r := request(t, s, c.method, c.path, nil, nil)
			if r.status != c.status {
				t.Fatalf("status %d, want %d", r.status, c.status)
			}
			for _, m := range c.allow {
				if !strings.Contains(r.header.Get("Allow"), m) {
					t.Errorf("Allow %q lacks %s", r.header.Get("Allow"), m)
				}
			}
		})
	}
	head := request(t, s, "HEAD", JWKSPath, nil, nil)
	if head.status != 200 || len(head.body) != 0 || head.header.Get("ETag") == "" || head.header.Get("Content-Length") == "" {
		t.Errorf("HEAD: %d, %d body bytes, headers %v", head.status, len(head.body), head.header)
	}
}

// TestHTTP_RFC9110_15_5_14_BodyOver16KiB: a body over 16 KiB is refused
// with 413 on every path, declared (Content-Length) or streamed (chunked);
// 16 KiB exactly is read.
func TestHTTP_RFC9110_15_5_14_BodyOver16KiB(t *testing.T) {
	s := started(t, Config{}, entry(t, "ES256", "k1", Signer))
	form := "grant_type=client_credentials&client_id=c&pad="
	exact := form + strings.Repeat("x", MaxBody-len(form))
	over := exact + "x"
	formType := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	cases := []struct {
		name, method, path string
		body               io.Reader
		status             int
	}{
		{"token, Content-Length", "POST", TokenPath, strings.NewReader(over), 413},
		{"token, chunked", "POST", TokenPath, io.MultiReader(strings.NewReader(over)), 413},
		{"token, 16 KiB exactly", "POST", TokenPath, strings.NewReader(exact), 200},
		{"jwks, Content-Length", "GET", JWKSPath, strings.NewReader(over), 413},
		{"discovery, Content-Length", "GET", DiscoveryPath, strings.NewReader(over), 413},
		{"unknown path, Content-Length", "POST", "/upload", strings.NewReader(over), 413},
		{"1 MiB", "POST", TokenPath, bytes.NewReader(make([]byte, 1<<20)), 413},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := request(t, s, c.method, c.path, c.body, formType)
			if r.status != c.status {
				t.Errorf("status %d (%s), want %d", r.status, r.body, c.status)
			}
		})
	}
}

// TestHTTP_RFC9110_15_5_20_OtherHostMisdirected: a request naming another
// host (a page whose name was rebound to 127.0.0.1) gets 421 and no
// token; the issuer's own address and localhost are answered.
func TestHTTP_RFC9110_15_5_20_OtherHostMisdirected(t *testing.T) {
	s := started(t, Config{}, entry(t, "ES256", "k1", Signer))
	port := s.URL()[strings.LastIndex(s.URL(), ":")+1:]
	body := func() io.Reader { return strings.NewReader("grant_type=client_credentials&client_id=c") }
	for host, want := range map[string]int{
		"evil.example:" + port: 421, "evil.example": 421, "127.0.0.1:1": 421,
		"localhost:" + port: 200, "LOCALHOST:" + port: 200, "127.0.0.1:" + port: 200,
	} {
		r := request(t, s, "POST", TokenPath, body(), map[string]string{"Host": host, "Content-Type": "application/x-www-form-urlencoded"})
		if r.status != want || (want == 421 && strings.Contains(string(r.body), "access_token")) {
			t.Errorf("Host %q: %d %s, want %d", host, r.status, r.body, want)
		}
	}
	req := httptest.NewRequest("GET", JWKSPath, nil)
	req.Host = "" // HTTP/1.0 without Host
	rec := httptest.NewRecorder()
	s.handler().ServeHTTP(rec, req)
	if rec.Code != 421 {
		t.Errorf("no Host: %d, want 421", rec.Code)
	}
}

// TestJWKS_RFC9110_13_1_2_ExactSetAndETag: the JWKS is exactly the served
// keys' public JWKs in order, as application/json open to any origin, with
// a strong ETag that changes with the set and 304 for a matching
// If-None-Match (weak comparison, lists and "*").
func TestJWKS_RFC9110_13_1_2_ExactSetAndETag(t *testing.T) {
	a, b := entry(t, "ES256", "a", Signer), entry(t, "EdDSA", "b", Published)
	s := started(t, Config{}, a, b)
	r := get(t, s, JWKSPath)
	want := `{"keys":[` + string(a.Public) + `,` + string(b.Public) + `]}`
	if string(r.body) != want {
		t.Errorf("JWKS\n%s\nwant\n%s", r.body, want)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if r.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Error("no CORS header on a public key set")
	}
	tag := r.header.Get("ETag")
	for _, inm := range []string{tag, "W/" + tag, `"other", ` + tag, "*"} {
		if r304 := request(t, s, "GET", JWKSPath, nil, map[string]string{"If-None-Match": inm}); r304.status != 304 || len(r304.body) != 0 {
			t.Errorf("If-None-Match %s: %d", inm, r304.status)
		}
	}
	if r := request(t, s, "GET", JWKSPath, nil, map[string]string{"If-None-Match": `"stale"`}); r.status != 200 {
		t.Errorf("stale If-None-Match: %d", r.status)
	}
	if err := s.Retire("b"); err != nil {
		t.Fatal(err)
	}
	if r := get(t, s, JWKSPath); r.header.Get("ETag") == tag || strings.Contains(string(r.body), `"b"`) {
		t.Errorf("after Retire: ETag %s (was %s), body %s", r.header.Get("ETag"), tag, r.body)
	}
}

// TestJWKS_RFC9111_5_2_2_1_MaxAge: the JWKS's Cache-Control max-age is 300 s
// by default, configurable, and changeable while serving; discovery is
// no-cache (revalidated with its ETag).
func TestJWKS_RFC9111_5_2_2_1_MaxAge(t *testing.T) {
	a := entry(t, "ES256", "a", Signer)
	s := started(t, Config{}, a)
	maxAge := func(s *Server) string { return get(t, s, JWKSPath).header.Get("Cache-Control") }
	if cc := maxAge(s); cc != "max-age=300" {
		t.Errorf("Cache-Control %q, want max-age=300", cc)
	}
	if err := s.SetJWKSMaxAge(time.Minute); err != nil {
		t.Fatal(err)
	}
	if cc := maxAge(s); cc != "max-age=60" {
		t.Errorf("after SetJWKSMaxAge(1m): %q", cc)
	}
	_ = s.SetJWKSMaxAge(-1)
	if cc := maxAge(s); cc != "max-age=0" {
		t.Errorf("after SetJWKSMaxAge(-1): %q", cc)
	}
	_ = s.SetJWKSMaxAge(0)
	if cc := maxAge(s); cc != "max-age=300" {
		t.Errorf("after SetJWKSMaxAge(0): %q", cc)
	}
	if cc := maxAge(started(t, Config{JWKSMaxAge: 2 * time.Hour}, a)); cc != "max-age=7200" {
		t.Errorf("configured 2h: %q", cc)
	}
	if d := get(t, s, DiscoveryPath); d.header.Get("Cache-Control") != "no-cache" || d.header.Get("ETag") == "" {
		t.Errorf("discovery headers %v", d.header)
	}
}

// TestDiscovery_OIDCDiscovery_3_Metadata: the metadata names this issuer
// exactly, its endpoints, client_credentials only, the auth methods the
// token endpoint accepts, and the algs of the served keys, the signer's
// first, following each rotation step.
func TestDiscovery_OIDCDiscovery_3_Metadata(t *testing.T) {
	s := started(t, Config{Claims: Claims{Extra: json.RawMessage(`{"tenant":"t"}`)}},
		entry(t, "ES256", "a", Signer), entry(t, "EdDSA", "b", Published), entry(t, "RS256", "c", Retired))
	read := func() map[string]any {
		var d map[string]any
		if err := json.Unmarshal(get(t, s, DiscoveryPath).body, &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := read()
	checks := map[string]any{
		"issuer": s.URL(), "jwks_uri": s.URL() + JWKSPath, "token_endpoint": s.URL() + TokenPath,
		"grant_types_supported":                 []any{"client_credentials"},
		"response_types_supported":              []any{},
		"subject_types_supported":               []any{"public"},
		"token_endpoint_auth_methods_supported": []any{"none", "client_secret_post", "client_secret_basic"},
		"id_token_signing_alg_values_supported": []any{"ES256", "EdDSA"},
	}
	for name, want := range checks {
		if fmt.Sprint(d[name]) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", name, d[name], want)
		}
	}
	if cs, _ := d["claims_supported"].([]any); !slices.Contains(cs, any("tenant")) || !slices.Contains(cs, any("client_id")) {
		t.Errorf("claims_supported %v", cs)
	}
	if err := s.PublishNext("c"); err != nil {
		t.Fatal(err)
	}
	if err := s.SwitchSigner("c"); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(read()["id_token_signing_alg_values_supported"]); got != "[RS256 ES256 EdDSA]" {
		t.Errorf("after switching to c: %s, want [RS256 ES256 EdDSA]", got)
	}
	_ = s.Retire("a")
	_ = s.Retire("b")
	if got := fmt.Sprint(read()["id_token_signing_alg_values_supported"]); got != "[RS256]" {
		t.Errorf("after retiring a and b: %s", got)
	}
}

// TestHTTP_PanicRecovered: a panic in a handler is a 500 and the server
// keeps serving; once the answer has begun, the connection is cut.
func TestHTTP_PanicRecovered(t *testing.T) {
	s := started(t, Config{}, entry(t, "ES256", "k1", Signer))
	h := s.logged(recovered(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 500 {
		t.Errorf("status %d, want 500", rec.Code)
	}
	if log, _ := s.Log(); log[len(log)-1].Status != 500 {
		t.Errorf("logged %+v", log[len(log)-1])
	}
	late := s.logged(recovered(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("partial"))
		panic("late")
	})))
	func() {
		defer func() {
			if v := recover(); v != http.ErrAbortHandler {
				t.Errorf("a late panic became %v, want http.ErrAbortHandler (net/http cuts the connection)", v)
			}
		}()
		late.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	}()
	if r := get(t, s, JWKSPath); r.status != 200 {
		t.Errorf("after the panics: %d", r.status)
	}
}

// TestLog_NeverKeepsSecrets: the request log keeps time, method, path,
// status, user agent and duration (and the kid of an issued token) — never
// a query string, an Authorization header, a body, the token, or a long
// path segment; what it keeps is printable.
func TestLog_NeverKeepsSecrets(t *testing.T) {
	s := started(t, Config{}, entry(t, "ES256", "k1", Signer))
	tok := requestsWithSecrets(t, s)
	log, total := s.Log()
	if total != 5 || len(log) != 5 {
		t.Fatalf("log %d of %d: %v", len(log), total, log)
	}
	all := fmt.Sprintf("%+v", log)
	for _, secret := range []string{"q-secret", "body-secret", "basic-secret", "YzpiYXNpYy1zZWNyZXQ", tok[:30], tok[len(tok)-20:], "\x1b"} {
		if strings.Contains(all, secret) {
			t.Errorf("the log keeps %q: %s", secret, all)
		}
	}
	checkLoggedFields(t, log, len(tok))
}

// checkLoggedFields checks what the log keeps of requestsWithSecrets'
// requests.
func checkLoggedFields(t *testing.T, log []Request, tokLen int) {
	if log[0].Kid != "k1" || log[0].Path != TokenPath || log[0].Method != "POST" || log[0].Status != 200 || log[0].Generation == 0 {
		t.Errorf("token entry %+v", log[0])
	}
	if log[1].UserAgent != "verifier/1.0 ?[31mred?[0m" {
		t.Errorf("user agent logged as %q", log[1].UserAgent)
	}
	if want := fmt.Sprintf("/api/{%d bytes}", tokLen); log[3].Path != want || log[3].Status != 404 {
		t.Errorf("long segment logged as %q (%d), want %q", log[3].Path, log[3].Status, want)
	}
	if log[4].Path != JWKSPath {
		t.Errorf("query kept: %q", log[4].Path)
	}
	if line := log[0].String(); !strings.Contains(line, "POST /token 200") || !strings.Contains(line, "kid=k1") {
		t.Errorf("log line %q", line)
	}
}

// requestsWithSecrets sends five requests carrying secrets where a log
// could pick them up (query, body, Basic header, path, user agent) and
// returns the token the first one got.
func requestsWithSecrets(t *testing.T, s *Server) string {
	tok := token(t, s, "c")
	req, _ := http.NewRequest("POST", s.URL()+TokenPath+"?client_secret=q-secret",
		strings.NewReader("grant_type=client_credentials&client_id=c&client_secret=body-secret"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "verifier/1.0 \x1b[31mred\x1b[0m")
	req.Host = strings.TrimPrefix(s.URL(), "http://")
	rec := httptest.NewRecorder() // net/http's client refuses to send that User-Agent
	s.handler().ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	req, _ = http.NewRequest("POST", s.URL()+TokenPath, strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("c", "basic-secret")
	do(t, req)
	get(t, s, "/api/"+tok)
	get(t, s, JWKSPath+"?access_token="+tok)
	return tok
}

// TestLog_BoundedAndSubscribersNeverBlock: the log keeps the last LogSize
// requests; a subscriber that never reads misses requests instead of
// holding them up; one that reads gets each request in order.
func TestLog_BoundedAndSubscribersNeverBlock(t *testing.T) {
	s := started(t, Config{LogSize: 5}, entry(t, "ES256", "k1", Signer))
	stuck, cancelStuck := s.Subscribe(1) // never read
	defer cancelStuck()
	_ = stuck
	reader, cancel := s.Subscribe(100)
	for i := range 12 {
		get(t, s, fmt.Sprintf("/n%d", i))
	}
	log, total := s.Log()
	if total != 12 || len(log) != 5 || log[0].Path != "/n7" || log[4].Path != "/n11" {
		t.Errorf("log %d of %d: %v", len(log), total, log)
	}
	if s.Dropped() != 11 {
		t.Errorf("dropped %d, want 11 (the stuck subscriber's)", s.Dropped())
	}
	for i := range 12 {
		if r := <-reader; r.Path != fmt.Sprintf("/n%d", i) {
			t.Fatalf("delivery %d: %s", i, r.Path)
		}
	}
	cancel()
	cancel() // twice is harmless
	if _, open := <-reader; open {
		t.Error("the channel is open after cancel")
	}
	get(t, s, "/after")
}
