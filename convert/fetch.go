package convert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Fetch limits (DESIGN.md): only on the user's request, with a timeout and
// a size cap, https required except for loopback.
const (
	DefaultFetchTimeout = 10 * time.Second
	MaxFetchBytes       = MaxKeyInput
)

// FetchOptions tune a fetch; the zero value is the app's.
type FetchOptions struct {
	Timeout  time.Duration // per request, body included; DefaultFetchTimeout when 0
	MaxBytes int64         // body cap; MaxFetchBytes when 0
	Client   *http.Client  // nil: a plain client (tests pass httptest's TLS client)
}

// FetchResult is what a fetch found: the URL fetched, the HTTP status, the
// cache headers, and the keys (good ones and bad ones named).
type FetchResult struct {
	URL          string
	Status       int    // HTTP status code
	StatusText   string // "200 OK"
	CacheControl string
	Expires      string
	// Discovery: the issuer asked and the discovery document's URL.
	Issuer       string
	DiscoveryURL string
	Parsed       ParsedSet // the keys found, and the ones that could not be read
}

// Summary says in a few lines what was fetched.
func (r *FetchResult) Summary() string {
	var b strings.Builder
	if r.DiscoveryURL != "" {
		fmt.Fprintf(&b, "Issuer %s\nDiscovery document %s\n", r.Issuer, r.DiscoveryURL)
	}
	fmt.Fprintf(&b, "Fetched %s\nHTTP %s\n", r.URL, r.StatusText)
	fmt.Fprintf(&b, "Cache-Control: %s\nExpires: %s\n", orNone(r.CacheControl), orNone(r.Expires))
	fmt.Fprintf(&b, "Keys found: %d", len(r.Parsed.Keys))
	if len(r.Parsed.Bad) > 0 {
		fmt.Fprintf(&b, " (%d could not be read)", len(r.Parsed.Bad))
		for _, bad := range r.Parsed.Bad {
			fmt.Fprintf(&b, "\n  %s", bad)
		}
	}
	for _, k := range r.Parsed.Keys {
		kid, _ := k.KeyID()
		fmt.Fprintf(&b, "\n  %s %s", k.KeyType(), orNone(kid))
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// CheckFetchURL refuses anything but https, or http to a loopback address
// (127.0.0.0/8, ::1, localhost). It runs before any connection is made.
func CheckFetchURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("not a URL: %w", err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q has no host: type a full URL such as https://login.example.com/.well-known/jwks.json", raw)
	}
	switch u.Scheme {
	case "https":
		return u, nil
	case "http":
		if isLoopback(u.Hostname()) {
			return u, nil
		}
		return nil, fmt.Errorf("refused to fetch %s over plain http: keys fetched without TLS can be swapped on the way; use https (http is allowed for loopback addresses only)", u.Redacted())
	}
	return nil, fmt.Errorf("refused to fetch %q: only https URLs (and http to loopback addresses) are fetched", raw)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (o FetchOptions) client() *http.Client {
	c := &http.Client{}
	if o.Client != nil {
		cc := *o.Client
		c = &cc
	}
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("stopped after 5 redirects")
		}
		if _, err := CheckFetchURL(req.URL.String()); err != nil {
			return fmt.Errorf("redirected: %w", err)
		}
		return nil
	}
	return c
}

func (o FetchOptions) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultFetchTimeout
}

func (o FetchOptions) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return MaxFetchBytes
}

// get fetches one URL under the policy, returning the body and filling the
// URL, status and cache headers of res.
func get(ctx context.Context, raw string, opts FetchOptions, res *FetchResult) ([]byte, error) {
	u, err := CheckFetchURL(raw)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opts.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("failed to make the request: %w", err)
	}
	req.Header.Set("Accept", "application/json, application/jwk-set+json")
	res.URL = u.String()
	resp, err := opts.client().Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%s did not answer within %s: check the URL, or try again later", u.Redacted(), opts.timeout())
		}
		return nil, fmt.Errorf("failed to fetch %s: %w", u.Redacted(), err)
	}
	defer resp.Body.Close()
	res.URL = resp.Request.URL.String() // after redirects
	res.Status = resp.StatusCode
	res.StatusText = resp.Status
	res.CacheControl = resp.Header.Get("Cache-Control")
	res.Expires = resp.Header.Get("Expires")
	limit := opts.maxBytes()
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%s sent %d bytes, over the %d KiB limit: nothing was imported", res.URL, resp.ContentLength, limit/1024)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			return nil, fmt.Errorf("%s did not finish sending within %s: check the URL, or try again later", res.URL, opts.timeout())
		}
		return nil, fmt.Errorf("failed to read the answer of %s: %w", res.URL, err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%s sent more than the %d KiB limit: nothing was imported", res.URL, limit/1024)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered HTTP %s, not 200 OK", res.URL, resp.Status)
	}
	return body, nil
}

// FetchJWKS fetches a jwks_uri and reads its keys key by key.
func FetchJWKS(ctx context.Context, jwksURL string, opts FetchOptions) (res *FetchResult, err error) {
	res = &FetchResult{}
	defer recoverInto(&err, "fetching a JWKS")
	body, err := get(ctx, jwksURL, opts, res)
	if err != nil {
		return res, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return res, fmt.Errorf("%s did not send JSON (%s): is it the jwks_uri?", res.URL, snippet(body))
	}
	if _, ok := top["keys"]; !ok {
		return res, fmt.Errorf(`%s sent JSON without "keys": it is not a JWKS (for an issuer URL, use Discover issuer)`, res.URL)
	}
	res.Parsed, err = ParseKeySet(body)
	return res, err
}

// DiscoverIssuer reads the issuer's OpenID configuration
// (/.well-known/openid-configuration), checks that it names the same
// issuer, and fetches its jwks_uri.
func DiscoverIssuer(ctx context.Context, issuer string, opts FetchOptions) (res *FetchResult, err error) {
	res = &FetchResult{}
	defer recoverInto(&err, "discovering an issuer")
	issuer = strings.TrimSpace(issuer)
	if _, err := CheckFetchURL(issuer); err != nil {
		return res, err
	}
	res.Issuer = issuer
	res.DiscoveryURL = strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	body, err := get(ctx, res.DiscoveryURL, opts, res)
	if err != nil {
		return res, err
	}
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return res, fmt.Errorf("the discovery document at %s is not JSON (%s)", res.DiscoveryURL, snippet(body))
	}
	if doc.Issuer != issuer {
		return res, fmt.Errorf("the discovery document names issuer %q, not %q as asked: tokens from %q would not be accepted (OpenID Connect Discovery §4.3); check the URL", doc.Issuer, issuer, issuer)
	}
	if doc.JWKSURI == "" {
		return res, fmt.Errorf("the discovery document at %s has no jwks_uri", res.DiscoveryURL)
	}
	fr, err := FetchJWKS(ctx, doc.JWKSURI, opts)
	fr.Issuer, fr.DiscoveryURL = res.Issuer, res.DiscoveryURL
	return fr, err
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	if s == "" {
		return "empty body"
	}
	return fmt.Sprintf("starts %q", s)
}
