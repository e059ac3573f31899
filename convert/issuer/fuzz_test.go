package issuer

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
)

var (
	fuzzOnce sync.Once
	fuzzSrv  *Server
)

// fuzzServer is one started server for every fuzz input (its handler is
// called directly; the listener only gives it its issuer URL).
func fuzzServer(t *testing.T) *Server {
	fuzzOnce.Do(func() {
		s, err := New(Config{}, []Entry{entry(t, "ES256", "k1", Signer), entry(t, "EdDSA", "k2", Next)})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
		fuzzSrv = s // left running until the test binary exits
	})
	return fuzzSrv
}

// FuzzHandler: whatever the method, path, query, headers and body, the
// handler answers with a status it means (never a recovered panic), no
// private member, a token only to a well-formed client credentials
// request, and a printable log entry without the query or the body.
func FuzzHandler(f *testing.F) {
	seeds := []struct{ method, path, query, host, ctype, auth, body string }{
		{"GET", JWKSPath, "", "", "", "", ""},
		{"GET", DiscoveryPath, "x=1", "", "", "", ""},
		{"HEAD", JWKSPath, "", "", "", "", ""},
		{"POST", TokenPath, "", "", "application/x-www-form-urlencoded", "", "grant_type=client_credentials&client_id=a"},
		{"POST", TokenPath, "", "", "application/x-www-form-urlencoded; charset=utf-8", "Basic YTpi", "grant_type=client_credentials"},
		{"POST", TokenPath, "client_secret=s", "", "application/x-www-form-urlencoded", "Basic %%%", "grant_type=client_credentials&scope=a%20b"},
		{"POST", TokenPath, "", "", "application/x-www-form-urlencoded", "", "grant_type=client_credentials&grant_type=x"},
		{"POST", TokenPath, "", "", "multipart/form-data; boundary=x", "", "--x\r\n"},
		{"POST", TokenPath, "", "", "application/x-www-form-urlencoded", "Bearer eyJ", "%zz&;;=="},
		{"PUT", TokenPath, "", "evil.example", "", "", ""},
		{"GET", "/../../etc/passwd", "", "", "", "", ""},
		{"GET", "//" + strings.Repeat("a", 300), "", "", "", "", ""},
		{"\x00", "/\x1b[31m", "\xff", "", "\x00", "\x00", "\x00"},
		{"CONNECT", "*", "", "", "", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.query, s.host, s.ctype, s.auth, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, method, path, query, host, ctype, auth string, body []byte) {
		s := fuzzServer(t)
		own := strings.TrimPrefix(s.URL(), "http://")
		if host == "" {
			host = own
		}
		req := &http.Request{
			Method: method, URL: &url.URL{Path: path, RawQuery: query}, Host: host,
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)),
			ContentLength: int64(len(body)), RemoteAddr: "127.0.0.1:1",
		}
		req.RequestURI = req.URL.RequestURI()
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		_, before := s.Log()
		rec := httptest.NewRecorder()
		s.handler().ServeHTTP(rec, req)
		checkAnswer(t, req, rec, own)
		checkLogged(t, s, before, path)
	})
}

// checkAnswer: a status the issuer means (a recovered panic would be 500),
// no private member, and a token only for POST /token on this issuer.
func checkAnswer(t *testing.T, req *http.Request, rec *httptest.ResponseRecorder, own string) {
	allowed := []int{200, 301, 304, 307, 308, 400, 401, 404, 405, 413, 416, 421}
	if !slices.Contains(allowed, rec.Code) {
		t.Fatalf("%q %q (host %q): status %d %s", req.Method, req.URL.Path, req.Host, rec.Code, rec.Body)
	}
	if l := leaksInBody(t, rec.Body.Bytes()); len(l) > 0 {
		t.Fatalf("private members %v in %s", l, rec.Body)
	}
	var tr tokenResponse
	if json.Unmarshal(rec.Body.Bytes(), &tr) != nil || tr.AccessToken == "" {
		return
	}
	port := own[strings.LastIndex(own, ":"):]
	ownHost := strings.EqualFold(req.Host, own) || strings.EqualFold(req.Host, "localhost"+port)
	if req.Method != "POST" || req.URL.Path != TokenPath || !ownHost {
		t.Fatalf("a token for %q %q host %q", req.Method, req.URL.Path, req.Host)
	}
}

// checkLogged: the request is the log's latest entry, printable, with the
// path and nothing of the query, headers or body.
func checkLogged(t *testing.T, s *Server, before uint64, path string) {
	after, total := s.Log()
	if total != before+1 {
		t.Fatal("the request was not logged")
	}
	e := after[len(after)-1]
	for _, field := range []string{e.Method, e.Path, e.UserAgent} {
		if strings.IndexFunc(field, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
			t.Fatalf("a log field is not printable: %q", field)
		}
	}
	if e.Path != cleanPath(path) || e.UserAgent != "" {
		t.Fatalf("the log keeps more than the path: %+v", e)
	}
}
