package keyset

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
)

// jwksServer serves a realistic JWKS at /jwks, a discovery document at
// /.well-known/openid-configuration (issuer overridable) and misbehaving
// paths.
func jwksServer(t *testing.T, tls bool, issuerOverride string) *httptest.Server {
	t.Helper()
	set := testkit.RealisticSet(t)
	release := make(chan struct{})
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("Expires", "Tue, 24 Nov 2026 12:00:00 GMT")
		fmt.Fprint(w, set)
	})
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		iss := srv.URL
		if issuerOverride != "" {
			iss = issuerOverride
		}
		fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, iss, srv.URL+"/jwks")
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>login</html>") })
	mux.HandleFunc("/config", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"issuer":"x"}`) })
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		// 5 MiB without a Content-Length: the cap must hold while reading.
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"keys":[`)
		chunk := strings.Repeat(" ", 64<<10)
		for range 80 {
			if _, err := fmt.Fprint(w, chunk); err != nil {
				return
			}
		}
		fmt.Fprint(w, `]}`)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/redirect-to-http", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://example.com/jwks", http.StatusFound)
	})
	if tls {
		srv = httptest.NewTLSServer(mux)
	} else {
		srv = httptest.NewServer(mux)
	}
	t.Cleanup(func() { close(release); srv.Close() })
	return srv
}

func TestFetchJWKS(t *testing.T) {
	for _, useTLS := range []bool{false, true} {
		t.Run(fmt.Sprintf("tls=%v", useTLS), func(t *testing.T) {
			srv := jwksServer(t, useTLS, "")
			opts := FetchOptions{Timeout: 200 * time.Millisecond, Typed: true}
			if useTLS {
				opts.Client = srv.Client()
			}
			res, err := FetchJWKS(context.Background(), srv.URL+"/jwks", opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.URL != srv.URL+"/jwks" || res.Status != 200 || res.StatusText != "200 OK" || res.CacheControl != "public, max-age=3600" ||
				res.Expires != "Tue, 24 Nov 2026 12:00:00 GMT" || len(res.Parsed.Keys) != 5 || len(res.Parsed.Bad) != 2 {
				t.Errorf("result %+v", res)
			}
			sum := res.Summary()
			for _, want := range []string{"HTTP 200 OK", "Cache-Control: public, max-age=3600", "Keys found: 5 (2 could not be read)", `key 3 (kid "broken-ec")`} {
				if !strings.Contains(sum, want) {
					t.Errorf("summary lacks %q:\n%s", want, sum)
				}
			}
			// Discovery, with the issuer exactly as the server names itself.
			res, err = DiscoverIssuer(context.Background(), srv.URL, opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.DiscoveryURL != srv.URL+"/.well-known/openid-configuration" || res.URL != srv.URL+"/jwks" || len(res.Parsed.Keys) != 5 || res.Issuer != srv.URL {
				t.Errorf("discovery %+v", res)
			}
		})
	}
}

func TestFetchFailures(t *testing.T) {
	srv := jwksServer(t, false, "")
	tlsSrv := jwksServer(t, true, "https://evil.example")
	opts := FetchOptions{Timeout: 200 * time.Millisecond, Typed: true}
	tlsOpts := FetchOptions{Timeout: 200 * time.Millisecond, Client: tlsSrv.Client(), Typed: true}
	cases := []struct {
		name   string
		do     func() (*FetchResult, error)
		want   string
		status int
	}{
		{"mismatched issuer", func() (*FetchResult, error) { return DiscoverIssuer(context.Background(), tlsSrv.URL, tlsOpts) },
			fmt.Sprintf(`the discovery document names issuer "https://evil.example", not %q as asked`, tlsSrv.URL), 200},
		{"issuer with a trailing slash is another issuer", func() (*FetchResult, error) { return DiscoverIssuer(context.Background(), srv.URL+"/", opts) },
			fmt.Sprintf(`names issuer %q, not %q`, srv.URL, srv.URL+"/"), 200},
		{"non-JSON body", func() (*FetchResult, error) { return FetchJWKS(context.Background(), srv.URL+"/html", opts) },
			`/html did not send JSON (starts "<html>login</html>"): is it the jwks_uri?`, 200},
		{"JSON that is not a JWKS", func() (*FetchResult, error) { return FetchJWKS(context.Background(), srv.URL+"/config", opts) },
			`sent JSON without "keys": it is not a JWKS`, 200},
		{"5 MiB body", func() (*FetchResult, error) { return FetchJWKS(context.Background(), srv.URL+"/big", opts) },
			"/big sent more than the 1024 KiB limit: nothing was imported", 200},
		{"404", func() (*FetchResult, error) { return FetchJWKS(context.Background(), srv.URL+"/missing", opts) },
			"/missing answered HTTP 404 Not Found, not 200 OK", 404},
		{"slow server", func() (*FetchResult, error) { return FetchJWKS(context.Background(), srv.URL+"/slow", opts) },
			"/slow did not answer within 200ms", 0},
		{"redirect to plain http", func() (*FetchResult, error) {
			return FetchJWKS(context.Background(), srv.URL+"/redirect-to-http", opts)
		}, "redirected: refused: the redirect goes to plain http on another origin (http://example.com/jwks)", 0},
		{"ftp", func() (*FetchResult, error) { return FetchJWKS(context.Background(), "ftp://127.0.0.1/jwks", opts) },
			`refused to fetch "ftp://127.0.0.1/jwks": only https URLs`, 0},
		{"no host", func() (*FetchResult, error) { return DiscoverIssuer(context.Background(), "login.example.com", opts) },
			`"login.example.com" has no host`, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := c.do()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if res == nil || res.Status != c.status {
				t.Errorf("result %+v, want status %d", res, c.status)
			}
		})
	}
}

// refusingTransport fails the test on any connection attempt.
type refusingTransport struct{ t *testing.T }

func (r refusingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.t.Errorf("a request to %s was sent", req.URL)
	return nil, errors.New("refused")
}

func TestFetchRefusesPlainHTTPWithoutConnecting(t *testing.T) {
	opts := FetchOptions{Client: &http.Client{Transport: refusingTransport{t}}, Typed: true}
	for _, u := range []string{"http://example.com/jwks", "http://10.0.0.1/jwks", "http://127.0.0.1.example.com/jwks", "http://[::ffff:8.8.8.8]/"} {
		_, err := FetchJWKS(context.Background(), u, opts)
		if err == nil || !strings.Contains(err.Error(), "over plain http") {
			t.Errorf("%s: %v", u, err)
		}
		_, err = DiscoverIssuer(context.Background(), u, opts)
		if err == nil || !strings.Contains(err.Error(), "use https (http is allowed for loopback addresses only)") {
			t.Errorf("discover %s: %v", u, err)
		}
	}
	for _, u := range []string{"http://localhost:1/x", "http://127.0.0.2/x", "http://[::1]/x", "https://example.com/x"} {
		if _, err := CheckFetchURL(u); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
}
