package keyset

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// Fetch limits (DESIGN.md): only on the user's request, with a timeout and
// a size cap, https required except for a loopback URL the user typed.
const (
	DefaultFetchTimeout = 10 * time.Second
)

// FetchOptions tune a fetch. The zero value is the strictest: a URL that
// did not come from the user (a token's iss), so no plain http at all, and
// nothing on this machine or a private network without confirmation.
type FetchOptions struct {
	Timeout  time.Duration // per request, body included; DefaultFetchTimeout when 0
	MaxBytes int64         // body cap; input.MaxKeyInput when 0
	// Client supplies TLS settings (tests pass httptest's TLS client). Its
	// Transport must be an *http.Transport (or nil): a copy of it is given
	// the address check, and no proxy.
	Client *http.Client
	// Typed says the user typed (or pasted) the URL: only then is plain
	// http allowed, to a loopback host, and on the same origin after it
	// (the jwks_uri of an http://127.0.0.1 issuer); and a loopback address
	// is fetched without asking.
	Typed bool
	// AllowPrivate fetches from private-network and loopback addresses
	// without asking (the CLI's --allow-private). Link-local and cloud
	// metadata addresses stay refused.
	AllowPrivate bool
	// ConfirmedHosts are hosts the user agreed to fetch from although they
	// resolve to private-network or loopback addresses (after a
	// *NeedsConfirmationError).
	ConfirmedHosts []string

	resolver *net.Resolver // tests: a resolver with made-up answers
}

// FetchResult is what a fetch found: the URL fetched, the HTTP status, the
// cache headers, and the keys (good ones and bad ones named). URLs in it
// never hold credentials (user:password@ is removed).
type FetchResult struct {
	URL          string
	Status       int    // HTTP status code
	StatusText   string // "200 OK"
	CacheControl string
	Expires      string
	// Discovery: the issuer asked, the discovery document's URL and the
	// jwks_uri it named.
	Issuer       string
	DiscoveryURL string
	JWKSURI      string
	// Notes are what the user should know about where the keys come from,
	// said before they are fetched: a jwks_uri on another host than the
	// issuer.
	Notes  []string
	Parsed keys.ParsedSet // the keys found, and the ones that could not be read

	issuerURL *url.URL // as asked, credentials included: the typed origin
	jwksURL   *url.URL // as the document named it
}

// OtherHost reports whether discovery found the jwks_uri on another host
// than the issuer (said in Notes).
func (r *FetchResult) OtherHost() bool {
	return r.issuerURL != nil && r.jwksURL != nil && !strings.EqualFold(r.issuerURL.Hostname(), r.jwksURL.Hostname())
}

// Summary says in a few lines what was fetched.
func (r *FetchResult) Summary() string {
	var b strings.Builder
	if r.DiscoveryURL != "" {
		fmt.Fprintf(&b, "Issuer %s\nDiscovery document %s\n", r.Issuer, r.DiscoveryURL)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "Note: %s\n", n)
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
	return input.MaxKeyInput
}

// fetchError turns what the HTTP client returned into one of ours: the
// address rule's own errors as they are (a NeedsConfirmationError keeps its
// type), never the client's text with the URL in it.
func fetchError(err error, u *url.URL) error {
	var needs *NeedsConfirmationError
	if errors.As(err, &needs) {
		n := *needs
		if n.URL == "" {
			n.URL = safeURL(u)
		}
		return &n
	}
	var refused *refusedAddrError
	if errors.As(err, &refused) {
		return refused
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("failed to fetch %s: %w", safeURL(u), err)
}

// get fetches one URL under the policy, returning the body and filling the
// URL, status and cache headers of res.
func (p *fetchPolicy) get(ctx context.Context, u *url.URL, via string, res *FetchResult) ([]byte, error) {
	if err := p.checkURL(u, via); err != nil {
		return nil, err
	}
	client, err := p.client()
	if err != nil {
		return nil, err
	}
	defer client.CloseIdleConnections()
	timeout := p.opts.timeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("failed to make the request for %s", safeURL(u))
	}
	req.Header.Set("Accept", "application/json, application/jwk-set+json")
	res.URL = safeURL(u)
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%s did not answer within %s: check the URL, or try again later", safeURL(u), timeout)
		}
		return nil, fetchError(err, u)
	}
	defer resp.Body.Close()
	res.URL = safeURL(resp.Request.URL) // after redirects
	res.Status = resp.StatusCode
	res.StatusText = resp.Status
	res.CacheControl = resp.Header.Get("Cache-Control")
	res.Expires = resp.Header.Get("Expires")
	limit := p.opts.maxBytes()
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%s sent %d bytes, over the %d KiB limit: nothing was imported", res.URL, resp.ContentLength, limit/1024)
	}
	body, err := input.ReadCapped(resp.Body, limit, "the answer of "+res.URL)
	switch {
	case errors.Is(err, input.ErrTooLarge):
		return nil, fmt.Errorf("%s sent more than the %d KiB limit: nothing was imported", res.URL, limit/1024)
	case err != nil && (errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil):
		return nil, fmt.Errorf("%s did not finish sending within %s: check the URL, or try again later", res.URL, timeout)
	case err != nil:
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered HTTP %s, not 200 OK", res.URL, resp.Status)
	}
	return body, nil
}

// ErrNotJWKS is what errors.Is finds when a URL fetched as a jwks_uri sent
// JSON that is no key set (an issuer's URL, say: its keys are found
// through its discovery document).
var ErrNotJWKS = errors.New("it is not a JWKS")

// FetchJWKS fetches a jwks_uri and reads its keys key by key.
func FetchJWKS(ctx context.Context, jwksURL string, opts FetchOptions) (res *FetchResult, err error) {
	res = &FetchResult{}
	defer recovery.Into(&err, "fetching a JWKS")
	u, err := parseFetchURL(jwksURL)
	if err != nil {
		return res, err
	}
	return res, newPolicy(opts, u).fetchKeys(ctx, u, "", res)
}

func (p *fetchPolicy) fetchKeys(ctx context.Context, u *url.URL, via string, res *FetchResult) error {
	body, err := p.get(ctx, u, via, res)
	if err != nil {
		return err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return fmt.Errorf("%s did not send JSON (%s): is it the jwks_uri?", res.URL, snippet(body))
	}
	if _, ok := top["keys"]; !ok {
		return fmt.Errorf(`%s sent JSON without "keys": %w`, res.URL, ErrNotJWKS)
	}
	res.Parsed, err = keys.ParseKeySet(body)
	return err
}

// checkIssuer refuses an issuer URL OpenID Connect Discovery §4 rules out:
// one with a query or a fragment.
func checkIssuer(raw string, u *url.URL) error {
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		c := *u
		c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = "", false, "", ""
		return fmt.Errorf("an issuer URL has no query and no fragment (OpenID Connect Discovery §4): give the issuer itself, such as %s", safeURL(&c))
	}
	return nil
}

// DiscoverJWKSURI reads the issuer's OpenID configuration (the issuer URL
// joined with /.well-known/openid-configuration), checks that it names the
// same issuer and finds its jwks_uri, without fetching the keys: the UI says
// what Notes hold (a jwks_uri on another host) before FetchDiscovered.
func DiscoverJWKSURI(ctx context.Context, issuer string, opts FetchOptions) (res *FetchResult, err error) {
	res = &FetchResult{}
	defer recovery.Into(&err, "discovering an issuer")
	issuer = strings.TrimSpace(issuer)
	u, err := parseFetchURL(issuer)
	if err != nil {
		return res, err
	}
	if err := checkIssuer(issuer, u); err != nil {
		return res, err
	}
	p := newPolicy(opts, u)
	if err := p.checkURL(u, ""); err != nil {
		return res, err
	}
	res.issuerURL = u
	res.Issuer = safeURL(u)
	disc := u.JoinPath(".well-known", "openid-configuration")
	res.DiscoveryURL = safeURL(disc)
	body, err := p.get(ctx, disc, "", res)
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
	want := issuer
	if u.User != nil {
		want = safeURL(u) // a document never names the credentials
	}
	if doc.Issuer != want {
		return res, fmt.Errorf("the discovery document names issuer %q, not %q as asked: tokens from %q would not be accepted (OpenID Connect Discovery §4.3); check the URL", RedactURL(doc.Issuer), res.Issuer, res.Issuer)
	}
	if doc.JWKSURI == "" {
		return res, fmt.Errorf("the discovery document at %s has no jwks_uri", res.DiscoveryURL)
	}
	ju, err := url.Parse(doc.JWKSURI)
	if err != nil || !ju.IsAbs() || ju.Host == "" {
		return res, fmt.Errorf("the discovery document at %s names a jwks_uri that is not an absolute URL", res.DiscoveryURL)
	}
	res.jwksURL = ju
	res.JWKSURI = safeURL(ju)
	if err := p.checkURL(ju, "jwks_uri"); err != nil {
		return res, err
	}
	if res.OtherHost() {
		res.Notes = append(res.Notes, fmt.Sprintf("the jwks_uri is on another host (%s) than the issuer (%s): the keys come from %s", ju.Hostname(), u.Hostname(), ju.Hostname()))
	}
	return res, nil
}

// FetchDiscovered fetches the jwks_uri that DiscoverJWKSURI found, under the
// same rule (opts may now confirm more hosts).
func FetchDiscovered(ctx context.Context, found *FetchResult, opts FetchOptions) (res *FetchResult, err error) {
	if found == nil || found.jwksURL == nil || found.issuerURL == nil {
		return &FetchResult{}, errors.New("no jwks_uri to fetch: discover the issuer first")
	}
	res = &FetchResult{Issuer: found.Issuer, DiscoveryURL: found.DiscoveryURL, JWKSURI: found.JWKSURI,
		Notes: slices.Clone(found.Notes), issuerURL: found.issuerURL, jwksURL: found.jwksURL}
	defer recovery.Into(&err, "fetching a JWKS")
	return res, newPolicy(opts, found.issuerURL).fetchKeys(ctx, found.jwksURL, "jwks_uri", res)
}

// DiscoverIssuer is DiscoverJWKSURI then FetchDiscovered: the issuer's keys
// through its discovery document, Notes saying what the user should know.
func DiscoverIssuer(ctx context.Context, issuer string, opts FetchOptions) (*FetchResult, error) {
	found, err := DiscoverJWKSURI(ctx, issuer, opts)
	if err != nil {
		return found, err
	}
	return FetchDiscovered(ctx, found, opts)
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
