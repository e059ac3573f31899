package keyset

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"syscall"
)

// NeedsConfirmationError says a fetch would connect to this machine or a
// private network: the UI asks the user (and retries with the host in
// FetchOptions.ConfirmedHosts), the CLI refuses unless --allow-private.
type NeedsConfirmationError struct {
	URL  string // without credentials
	Host string // as the URL names it
	Addr string // the address it resolved to
	What string // "a private network address", …
}

func (e *NeedsConfirmationError) Error() string {
	at := e.Addr
	if e.Addr != e.Host {
		at = e.Host + " (" + e.Addr + ")"
	}
	return fmt.Sprintf("%s is %s: fetching from it needs your confirmation, since a URL taken from a token or a document can aim at services inside your network", at, e.What)
}

// refusedAddrError is an address never fetched from.
type refusedAddrError struct{ host, addr, what string }

func (e *refusedAddrError) Error() string {
	at := e.addr
	if e.addr != e.host {
		at = e.host + " resolves to " + e.addr
	}
	return fmt.Sprintf("refused to fetch from %s, %s: nothing is fetched from there", at, e.what)
}

// RedactURL removes the credentials (user:password@) from a URL; any other
// text is returned as it is.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil || u.Host == "" {
		return s
	}
	return safeURL(u)
}

// safeURL is u without its credentials: the only form a URL is shown or
// stored in.
func safeURL(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}

// parseFetchURL parses an absolute URL without ever echoing its text (it
// may hold a password).
func parseFetchURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("not a URL (%v): type a full URL such as https://login.example.com/.well-known/jwks.json", err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q has no host: type a full URL such as https://login.example.com/.well-known/jwks.json", safeURL(u))
	}
	return u, nil
}

// CheckFetchURL checks a URL the user typed before anything is sent, and
// refuses what is never fetched: anything but https, or http to a loopback
// host (127.0.0.0/8, ::1, localhost); a link-local or metadata address. An
// address that needs confirmation passes here: the fetch asks (see
// NeedsConfirmationError), and checks every address it connects to.
func CheckFetchURL(raw string) (*url.URL, error) {
	u, err := parseFetchURL(raw)
	if err != nil {
		return nil, err
	}
	err = newPolicy(FetchOptions{Typed: true}, u).checkURL(u, "")
	var needs *NeedsConfirmationError
	if errors.As(err, &needs) {
		err = nil
	}
	return u, err
}

// isLoopbackHost reports whether a URL's host names this machine:
// localhost (and *.localhost, RFC 6761 §6.3) or a loopback address.
func isLoopbackHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// Address classes for the fetch policy.
type addrClass int

const (
	addrPublic   addrClass = iota
	addrLoopback           // this machine: asked unless the user typed a loopback URL
	addrPrivate            // a private network: asked
	addrRefused            // link-local, cloud metadata, unspecified, multicast: never
)

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	cgnat     = netip.MustParsePrefix("100.64.0.0/10")
	thisNet   = netip.MustParsePrefix("0.0.0.0/8")
	metadata  = []netip.Addr{netip.MustParseAddr("fd00:ec2::254"), netip.MustParseAddr("100.100.100.200"), netip.MustParseAddr("192.0.0.192")}
	broadcast = netip.MustParseAddr("255.255.255.255")
)

// classifyAddr sorts an address into the fetch policy's classes, with the
// words that name it. IPv4 written as IPv6 (::ffff:a.b.c.d, NAT64's
// 64:ff9b::a.b.c.d) counts as the IPv4 address.
func classifyAddr(ip netip.Addr) (addrClass, string) {
	ip = ip.WithZone("").Unmap()
	if nat64.Contains(ip) {
		b := ip.As16()
		ip = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	switch {
	case slices.Contains(metadata, ip):
		return addrRefused, "a cloud metadata service address"
	case ip.IsLinkLocalUnicast():
		return addrRefused, "a link-local address (169.254.0.0/16, fe80::/10), where cloud metadata services answer"
	case ip.IsUnspecified() || thisNet.Contains(ip):
		return addrRefused, "an unspecified address (0.0.0.0/8, ::), which reaches this machine"
	case ip.IsMulticast() || ip == broadcast:
		return addrRefused, "a multicast or broadcast address"
	case ip.IsLoopback():
		return addrLoopback, "this machine (a loopback address)"
	case ip.IsPrivate():
		return addrPrivate, "a private network address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7)"
	case cgnat.Contains(ip):
		return addrPrivate, "a shared carrier-grade NAT address (100.64.0.0/10), inside a provider's network"
	}
	return addrPublic, ""
}

// fetchPolicy is the rule of one fetch operation (a jwks_uri, or an issuer's
// discovery document and its jwks_uri, redirects included).
type fetchPolicy struct {
	opts  FetchOptions
	typed *url.URL // the URL the user typed; nil when it was not typed
}

func newPolicy(opts FetchOptions, start *url.URL) *fetchPolicy {
	p := &fetchPolicy{opts: opts}
	if opts.Typed {
		p.typed = start
	}
	return p
}

// typedLoopback reports whether the user typed a URL on this machine.
func (p *fetchPolicy) typedLoopback() bool {
	return p.typed != nil && isLoopbackHost(p.typed.Hostname())
}

func (p *fetchPolicy) confirmed(host string) bool {
	return p.opts.AllowPrivate || slices.ContainsFunc(p.opts.ConfirmedHosts, func(h string) bool { return strings.EqualFold(h, host) })
}

// checkURL checks a URL before any request: its scheme (no plain http but
// on the loopback origin the user typed: never a downgrade) and, for a host
// that is an address or localhost, the address rule. via says how the URL
// was reached: "" (asked for), "redirect" or "jwks_uri".
func (p *fetchPolicy) checkURL(u *url.URL, via string) error {
	shown := safeURL(u)
	switch u.Scheme {
	case "https":
	case "http":
		switch {
		case p.typed != nil && p.typed.Scheme == "http" && p.typedLoopback() && sameOrigin(u, p.typed):
		case via != "" && (p.typed == nil || p.typed.Scheme == "https"):
			return fmt.Errorf("refused: the %s goes to plain http (%s), a downgrade from https: keys fetched without TLS can be swapped on the way", via, shown)
		case via != "":
			return fmt.Errorf("refused: the %s goes to plain http on another origin (%s): plain http is allowed only on the loopback URL you typed", via, shown)
		case p.typed == nil:
			return fmt.Errorf("refused to fetch %s over plain http: this URL comes from a token or a document, not from you, so it is fetched over https only", shown)
		default:
			return fmt.Errorf("refused to fetch %s over plain http: keys fetched without TLS can be swapped on the way; use https (http is allowed for loopback addresses only)", shown)
		}
	default:
		return fmt.Errorf("refused to fetch %q: only https URLs (and http to loopback addresses) are fetched", shown)
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		return p.checkAddr(u, host, ip, host)
	}
	if isLoopbackHost(host) { // before it is resolved: the rule of loopback
		return p.checkAddr(u, host, netip.IPv6Loopback(), host)
	}
	return nil
}

// checkAddr applies the address rule to an address host resolved to
// (shown as addr); u is the URL when known.
func (p *fetchPolicy) checkAddr(u *url.URL, host string, ip netip.Addr, addr string) error {
	class, what := classifyAddr(ip)
	switch class {
	case addrRefused:
		return &refusedAddrError{host: host, addr: addr, what: what}
	case addrLoopback:
		if p.typedLoopback() || p.confirmed(host) {
			return nil
		}
	case addrPrivate:
		if p.confirmed(host) {
			return nil
		}
	default:
		return nil
	}
	e := &NeedsConfirmationError{Host: host, Addr: addr, What: what}
	if u != nil {
		e.URL = safeURL(u)
	}
	return e
}

func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && strings.EqualFold(a.Host, b.Host)
}

// dial connects as the transport asks, checking each address actually
// dialled (after name resolution) in the dialer's Control hook: a name
// that resolves to 169.254.169.254 is refused like the address itself.
func (p *fetchPolicy) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	d := &net.Dialer{Resolver: p.opts.resolver, Control: func(_, address string, _ syscall.RawConn) error {
		h, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip, err := netip.ParseAddr(h)
		if err != nil {
			return fmt.Errorf("refused to connect to %q: not an address", h)
		}
		return p.checkAddr(nil, host, ip, ip.String())
	}}
	return d.DialContext(ctx, network, addr)
}

// client is the HTTP client of the operation: the caller's TLS settings, no
// proxy (the address dialled must be the server's, to be checked), the
// address check on every connection and the URL check on every redirect.
func (p *fetchPolicy) client() (*http.Client, error) {
	c := &http.Client{}
	if p.opts.Client != nil {
		cc := *p.opts.Client
		c = &cc
	}
	var tr *http.Transport
	switch t := c.Transport.(type) {
	case nil:
		tr = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		tr = t.Clone()
	default:
		return nil, fmt.Errorf("internal error: a fetch needs an *http.Transport to check the addresses it connects to, not %T", t)
	}
	tr.Proxy = nil
	tr.DialContext = p.dial
	tr.DialTLSContext = nil
	c.Transport = tr
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("stopped after 5 redirects")
		}
		if err := p.checkURL(req.URL, "redirect"); err != nil {
			return fmt.Errorf("redirected: %w", err)
		}
		return nil
	}
	return c, nil
}
