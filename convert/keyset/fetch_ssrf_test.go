package keyset

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// keyServer serves a one-key JWKS at /jwks and, at
// <path>/.well-known/openid-configuration, a discovery document naming
// issuer() and jwksURI(); it counts the requests per path.
type keyServer struct {
	*httptest.Server
	mu      sync.Mutex
	hits    map[string]int
	auth    []string // Authorization headers seen
	issuer  func() string
	jwksURI func() string
}

func newKeyServer(t *testing.T, tls bool) *keyServer {
	t.Helper()
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "served"})
	set, _ := keys.MarshalPublicJWKS(g.Public)
	ks := &keyServer{hits: map[string]int{}}
	ks.issuer = func() string { return ks.URL }
	ks.jwksURI = func() string { return ks.URL + "/jwks" }
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ks.mu.Lock()
		ks.hits[r.URL.Path]++
		if a := r.Header.Get("Authorization"); a != "" {
			ks.auth = append(ks.auth, a)
		}
		ks.mu.Unlock()
		switch {
		case r.URL.Path == "/jwks":
			_, _ = w.Write(set)
		case strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration"):
			fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, ks.issuer(), ks.jwksURI())
		case strings.HasPrefix(r.URL.Path, "/redirect/"):
			http.Redirect(w, r, "http://"+strings.TrimPrefix(r.URL.Path, "/redirect/"), http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	})
	if tls {
		ks.Server = httptest.NewTLSServer(h)
	} else {
		ks.Server = httptest.NewServer(h)
	}
	t.Cleanup(ks.Close)
	return ks
}

func (ks *keyServer) requests() int {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	n := 0
	for _, c := range ks.hits {
		n += c
	}
	return n
}

func (ks *keyServer) port() string {
	_, p, _ := net.SplitHostPort(ks.Listener.Addr().String())
	return p
}

// fakeResolver answers A queries from answers (AAAA with nothing): DNS
// names that resolve where a test says, served over an in-memory stream.
func fakeResolver(answers map[string]string) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		client, server := net.Pipe()
		go serveDNS(server, answers)
		return client, nil
	}}
}

// serveDNS answers DNS queries in TCP framing (a 2-byte length first), the
// framing Go's resolver uses on a stream connection (RFC 1035 §4.2.2).
func serveDNS(c net.Conn, answers map[string]string) {
	defer c.Close()
	for {
		var n uint16
		if err := binary.Read(c, binary.BigEndian, &n); err != nil {
			return
		}
		q := make([]byte, n)
		if _, err := io.ReadFull(c, q); err != nil || len(q) < 12 {
			return
		}
		// The question: labels, then type and class.
		i, labels := 12, []string{}
		for i < len(q) && q[i] != 0 {
			l := int(q[i])
			labels = append(labels, string(q[i+1:i+1+l]))
			i += 1 + l
		}
		qEnd := i + 5
		if qEnd > len(q) {
			return
		}
		qtype := binary.BigEndian.Uint16(q[i+1:])
		name := strings.TrimSuffix(strings.Join(labels, "."), ".")
		resp := append([]byte{}, q[:2]...)
		resp = append(resp, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0) // answer, recursion available; 1 question
		resp = append(resp, q[12:qEnd]...)
		if a, ok := answers[name]; ok && qtype == 1 {
			ip := netip.MustParseAddr(a).As4()
			resp[7] = 1 // 1 answer
			resp = append(resp, 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4)
			resp = append(resp, ip[:]...)
		} else if !ok {
			resp[3] = 0x83 // NXDOMAIN
		}
		out := binary.BigEndian.AppendUint16(nil, uint16(len(resp)))
		if _, err := c.Write(append(out, resp...)); err != nil {
			return
		}
	}
}

// TestClassifyAddr: the address classes of the fetch policy (issue 22 item
// 9), IPv4 in IPv6 clothing included.
func TestClassifyAddr(t *testing.T) {
	cases := map[string]addrClass{
		"169.254.169.254": addrRefused, "169.254.0.1": addrRefused, "fe80::1": addrRefused, "fe80::1%eth0": addrRefused,
		"::ffff:169.254.169.254": addrRefused, "64:ff9b::a9fe:a9fe": addrRefused, "fd00:ec2::254": addrRefused,
		"100.100.100.200": addrRefused, "192.0.0.192": addrRefused, "0.0.0.0": addrRefused, "0.1.2.3": addrRefused, "::": addrRefused,
		"224.0.0.1": addrRefused, "ff02::1": addrRefused, "255.255.255.255": addrRefused,
		"127.0.0.1": addrLoopback, "127.9.9.9": addrLoopback, "::1": addrLoopback, "::ffff:127.0.0.1": addrLoopback,
		"10.0.0.1": addrPrivate, "172.16.0.1": addrPrivate, "172.31.255.255": addrPrivate, "192.168.1.1": addrPrivate,
		"fc00::1": addrPrivate, "fd12:3456::1": addrPrivate, "100.64.0.1": addrPrivate, "::ffff:10.1.2.3": addrPrivate, "64:ff9b::a00:1": addrPrivate,
		"172.32.0.1": addrPublic, "8.8.8.8": addrPublic, "2001:4860:4860::8888": addrPublic, "100.128.0.1": addrPublic, "192.0.2.1": addrPublic,
	}
	for addr, want := range cases {
		if got, what := classifyAddr(netip.MustParseAddr(addr)); got != want || (want != addrPublic) == (what == "") {
			t.Errorf("%s: class %d %q, want %d", addr, got, what, want)
		}
	}
}

// TestFetchNoDowngrade_OIDCDiscovery: an https origin cannot steer a fetch
// to plain http: not by its discovery document's jwks_uri, not by a
// redirect; and a typed http loopback issuer keeps plain http on its own
// origin only. The plain http server never gets a request.
func TestFetchNoDowngrade_OIDCDiscovery(t *testing.T) {
	tlsSrv := newKeyServer(t, true)
	plain := newKeyServer(t, false)
	other := newKeyServer(t, false)
	typed := FetchOptions{Timeout: 2 * time.Second, Client: tlsSrv.Client(), Typed: true}
	plainTyped := FetchOptions{Timeout: 2 * time.Second, Typed: true}

	tlsSrv.jwksURI = func() string { return plain.URL + "/jwks" }
	_, err := DiscoverIssuer(context.Background(), tlsSrv.URL, typed)
	if err == nil || !strings.Contains(err.Error(), "refused: the jwks_uri goes to plain http ("+plain.URL+"/jwks), a downgrade from https") {
		t.Errorf("jwks_uri to http: %v", err)
	}
	hostPort := strings.TrimPrefix(plain.URL, "http://")
	_, err = FetchJWKS(context.Background(), tlsSrv.URL+"/redirect/"+hostPort+"/jwks", typed)
	if err == nil || !strings.Contains(err.Error(), "redirected: refused: the redirect goes to plain http ("+plain.URL+"/jwks), a downgrade from https") {
		t.Errorf("302 to http: %v", err)
	}
	// A typed http loopback issuer: its own origin only.
	plain.jwksURI = func() string { return other.URL + "/jwks" }
	_, err = DiscoverIssuer(context.Background(), plain.URL, plainTyped)
	if err == nil || !strings.Contains(err.Error(), "refused: the jwks_uri goes to plain http on another origin") {
		t.Errorf("http issuer, jwks_uri on another port: %v", err)
	}
	if plain.hits["/jwks"] != 0 || other.requests() != 0 {
		t.Errorf("plain http servers were asked: %v %v", plain.hits, other.hits)
	}
	plain.jwksURI = func() string { return plain.URL + "/jwks" }
	if res, err := DiscoverIssuer(context.Background(), plain.URL, plainTyped); err != nil || len(res.Parsed.Keys) != 1 {
		t.Errorf("http loopback issuer typed, same origin: %v", err)
	}
}

// TestFetchFromToken: a URL from a token (not typed) is fetched over https
// only, and an address on this machine is asked first: no request is sent
// until the host is confirmed.
func TestFetchFromToken(t *testing.T) {
	tlsSrv := newKeyServer(t, true)
	plain := newKeyServer(t, false)
	opts := FetchOptions{Timeout: 2 * time.Second, Client: tlsSrv.Client()}

	_, err := DiscoverIssuer(context.Background(), plain.URL, opts)
	if err == nil || !strings.Contains(err.Error(), "over plain http: this URL comes from a token or a document, not from you") {
		t.Errorf("http from a token: %v", err)
	}
	for _, do := range []func() (*FetchResult, error){
		func() (*FetchResult, error) { return DiscoverIssuer(context.Background(), tlsSrv.URL, opts) },
		func() (*FetchResult, error) { return FetchJWKS(context.Background(), tlsSrv.URL+"/jwks", opts) },
		func() (*FetchResult, error) {
			return FetchJWKS(context.Background(), "https://localhost:"+tlsSrv.port()+"/jwks", opts)
		},
	} {
		_, err := do()
		var needs *NeedsConfirmationError
		if !errors.As(err, &needs) || !strings.Contains(err.Error(), "is this machine (a loopback address): fetching from it needs your confirmation") {
			t.Errorf("loopback from a token: %v", err)
		}
	}
	if n := tlsSrv.requests() + plain.requests(); n != 0 {
		t.Fatalf("%d requests before confirmation", n)
	}
	opts.ConfirmedHosts = []string{"127.0.0.1"}
	if res, err := DiscoverIssuer(context.Background(), tlsSrv.URL, opts); err != nil || len(res.Parsed.Keys) != 1 {
		t.Errorf("confirmed: %v", err)
	}
}

// TestFetchAddressesAsTyped: private addresses are asked even when typed
// (the CLI's --allow-private says yes); link-local and metadata addresses
// are refused whatever is allowed. No connection is made.
func TestFetchAddressesAsTyped(t *testing.T) {
	opts := FetchOptions{Client: &http.Client{Transport: refusingTransport{t}}, Typed: true}
	for _, u := range []string{"https://10.0.0.1/jwks", "https://[fd00::1]/jwks", "https://192.168.1.10:8443/jwks", "https://100.64.1.1/"} {
		_, err := FetchJWKS(context.Background(), u, opts)
		var needs *NeedsConfirmationError
		if !errors.As(err, &needs) || !strings.Contains(err.Error(), "needs your confirmation") {
			t.Errorf("%s: %v", u, err)
		}
		if _, err := CheckFetchURL(u); err != nil {
			t.Errorf("CheckFetchURL(%s): %v (the fetch asks; the URL is not refused)", u, err)
		}
		allowed := opts
		allowed.AllowPrivate = true
		if uu, _ := parseFetchURL(u); newPolicy(allowed, uu).checkURL(uu, "") != nil {
			t.Errorf("%s refused with --allow-private", u)
		}
	}
	for _, u := range []string{"https://169.254.169.254/latest/meta-data/", "https://[::ffff:169.254.169.254]/", "https://[fe80::1]/", "https://[fd00:ec2::254]/", "https://0.0.0.0:8443/", "https://100.100.100.200/"} {
		for _, allow := range []bool{false, true} {
			o := opts
			o.AllowPrivate = allow
			o.ConfirmedHosts = []string{strings.Trim(strings.Split(strings.TrimPrefix(u, "https://"), "/")[0], "[]")}
			_, err := FetchJWKS(context.Background(), u, o)
			if err == nil || !strings.HasPrefix(err.Error(), "refused to fetch from ") || !strings.Contains(err.Error(), "nothing is fetched from there") {
				t.Errorf("%s (allow %v): %v", u, allow, err)
			}
			if _, err := CheckFetchURL(u); err == nil {
				t.Errorf("CheckFetchURL(%s) passes", u)
			}
		}
	}
}

// TestFetchChecksTheAddressDialled: a DNS name counts by the address it
// resolves to, checked in the dialer's Control hook — the address actually
// dialled.
func TestFetchChecksTheAddressDialled(t *testing.T) {
	tlsSrv := newKeyServer(t, true) // its certificate names example.com
	res := fakeResolver(map[string]string{"metadata.example": "169.254.169.254", "intranet.example": "10.0.0.5", "example.com": "127.0.0.1"})
	opts := FetchOptions{Timeout: 2 * time.Second, Client: tlsSrv.Client(), Typed: true, AllowPrivate: true, resolver: res}

	_, err := FetchJWKS(context.Background(), "https://metadata.example/latest/meta-data/", opts)
	if err == nil || err.Error() != "refused to fetch from metadata.example resolves to 169.254.169.254, a link-local address (169.254.0.0/16, fe80::/10), where cloud metadata services answer: nothing is fetched from there" {
		t.Errorf("name of a metadata address: %v", err)
	}
	opts.AllowPrivate = false
	_, err = FetchJWKS(context.Background(), "https://intranet.example/jwks", opts)
	var needs *NeedsConfirmationError
	if !errors.As(err, &needs) || needs.Host != "intranet.example" || needs.Addr != "10.0.0.5" || needs.URL != "https://intranet.example/jwks" {
		t.Errorf("name of a private address: %#v", err)
	}
	// A name that resolves to this machine, from a token: asked; once
	// confirmed, the very address checked is the one fetched from.
	opts.Typed = false
	u := "https://example.com:" + tlsSrv.port() + "/jwks"
	if _, err := FetchJWKS(context.Background(), u, opts); !errors.As(err, &needs) || needs.Host != "example.com" || needs.Addr != "127.0.0.1" {
		t.Errorf("name of a loopback address: %v", err)
	}
	if tlsSrv.requests() != 0 {
		t.Fatal("a request before confirmation")
	}
	opts.ConfirmedHosts = []string{"EXAMPLE.com"}
	if r, err := FetchJWKS(context.Background(), u, opts); err != nil || len(r.Parsed.Keys) != 1 {
		t.Errorf("confirmed: %v", err)
	}
}

// TestDiscoveryOtherHost_OIDCDiscovery: a jwks_uri on another host than the
// issuer is said before the keys are fetched.
func TestDiscoveryOtherHost_OIDCDiscovery(t *testing.T) {
	srv := newKeyServer(t, true)
	srv.jwksURI = func() string { return "https://example.com:" + srv.port() + "/jwks" }
	opts := FetchOptions{Timeout: 2 * time.Second, Client: srv.Client(), Typed: true,
		resolver: fakeResolver(map[string]string{"example.com": "127.0.0.1"})}
	found, err := DiscoverJWKSURI(context.Background(), srv.URL, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := "the jwks_uri is on another host (example.com) than the issuer (127.0.0.1): the keys come from example.com"
	if !found.OtherHost() || len(found.Notes) != 1 || found.Notes[0] != want || srv.hits["/jwks"] != 0 {
		t.Fatalf("found %+v, hits %v", found, srv.hits)
	}
	res, err := FetchDiscovered(context.Background(), found, opts)
	if err != nil || len(res.Parsed.Keys) != 1 || !strings.Contains(res.Summary(), "Note: "+want) || res.JWKSURI != srv.jwksURI() {
		t.Errorf("fetched %+v %v", res, err)
	}
	if res, err := DiscoverIssuer(context.Background(), srv.URL, opts); err != nil || len(res.Notes) != 1 {
		t.Errorf("DiscoverIssuer: %v", err)
	}
	srv.jwksURI = func() string { return srv.URL + "/jwks" }
	if found, _ := DiscoverJWKSURI(context.Background(), srv.URL, opts); found.OtherHost() || len(found.Notes) != 0 {
		t.Errorf("same host: %v", found.Notes)
	}
	if _, err := FetchDiscovered(context.Background(), &FetchResult{}, opts); err == nil {
		t.Error("FetchDiscovered without discovery")
	}
}

// TestIssuerURL_OIDCDiscovery4: an issuer with a query or a fragment is
// refused before any request; the discovery URL is the issuer joined with
// /.well-known/openid-configuration by net/url, its path kept.
func TestIssuerURL_OIDCDiscovery4(t *testing.T) {
	srv := newKeyServer(t, true)
	opts := FetchOptions{Timeout: 2 * time.Second, Client: srv.Client(), Typed: true}
	for _, iss := range []string{srv.URL + "/?tenant=1", srv.URL + "/#frag", srv.URL + "#", srv.URL + "/?", srv.URL + "/t?x#y"} {
		_, err := DiscoverIssuer(context.Background(), iss, opts)
		if err == nil || !strings.Contains(err.Error(), "an issuer URL has no query and no fragment (OpenID Connect Discovery §4)") {
			t.Errorf("%s: %v", iss, err)
		}
	}
	if srv.requests() != 0 {
		t.Fatal("a request for a refused issuer")
	}
	for _, c := range []struct{ issuer, path string }{
		{"/tenant/v2.0", "/tenant/v2.0/.well-known/openid-configuration"},
		{"/tenant/", "/tenant/.well-known/openid-configuration"},
		{"/a%20b", "/a%20b/.well-known/openid-configuration"},
		{"", "/.well-known/openid-configuration"},
	} {
		srv.issuer = func() string { return srv.URL + c.issuer }
		res, err := DiscoverIssuer(context.Background(), srv.URL+c.issuer, opts)
		if err != nil || res.DiscoveryURL != srv.URL+c.path || srv.hits[strings.ReplaceAll(c.path, "%20", " ")] != 1 {
			t.Errorf("issuer %q: discovery %q, hits %v, %v", c.issuer, res.DiscoveryURL, srv.hits, err)
		}
	}
}

// TestFetchCredentialsNeverShown: user:password@ in a URL is never printed
// (results, errors) nor stored as a key's source.
func TestFetchCredentialsNeverShown(t *testing.T) {
	srv := newKeyServer(t, true)
	creds := strings.Replace(srv.URL, "https://", "https://alice:s3cret@", 1)
	srv.issuer = func() string { return srv.URL + "/tenant" }
	opts := FetchOptions{Timeout: 2 * time.Second, Client: srv.Client(), Typed: true}
	res, err := DiscoverIssuer(context.Background(), creds+"/tenant", opts)
	if err != nil {
		t.Fatal(err)
	}
	shown := fmt.Sprintf("%+v %s", *res, res.Summary())
	if strings.Contains(shown, "s3cret") || strings.Contains(shown, "alice") || res.Issuer != srv.URL+"/tenant" {
		t.Errorf("result shows credentials: %s", shown)
	}
	ws := NewWorkspace()
	_, _ = ws.Add(res.URL, res.Parsed.Keys...)
	if src := ws.Entries()[0].Source; strings.Contains(src, "s3cret") || strings.Contains(src, "alice") {
		t.Errorf("source %q", src)
	}
	for _, u := range []string{creds + "/missing", "https://alice:s3cret@[::1", "http://alice:s3cret@example.com/jwks", "ftp://alice:s3cret@127.0.0.1/", "https://alice:s3cret@10.0.0.1/", "https://alice:s3cret@169.254.169.254/"} {
		_, err := FetchJWKS(context.Background(), u, opts)
		if err == nil || strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "alice") {
			t.Errorf("%s: %v", u, err)
		}
		_, err = DiscoverIssuer(context.Background(), u, opts)
		if err == nil || strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "alice") {
			t.Errorf("discover %s: %v", u, err)
		}
	}
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	ws = NewWorkspace()
	if _, err := ws.Add("https://alice:s3cret@keys.example.com/jwks?x=1", g.Public); err != nil {
		t.Fatal(err)
	}
	if src := ws.Entries()[0].Source; src != "https://keys.example.com/jwks?x=1" {
		t.Errorf("source %q", src)
	}
	state, _ := ws.MarshalState()
	if strings.Contains(string(state), "s3cret") || strings.Contains(string(state), "alice") {
		t.Errorf("state %s", state)
	}
	for in, want := range map[string]string{"file key.pem": "file key.pem", "pasted": "pasted", "https://a@h/p": "https://h/p", "http://u:p@127.0.0.1:1/": "http://127.0.0.1:1/"} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q", in, got)
		}
	}
}
