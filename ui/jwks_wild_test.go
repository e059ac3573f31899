package ui

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/jwkdesk/jwkdesk/cli"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/token"
)

// runCLI runs jwkdesk in-process: the tab and the CLI must agree.
func runCLI(stdin string, args ...string) (string, string, int) {
	var out, errOut bytes.Buffer
	code := cli.Run(args, cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut})
	return out.String(), errOut.String(), code
}

// TestJWKSTabAddKeysThumbprintKid_RFC7638 is issue 16 item 9 (and issue
// 21 item 6) in the JWKS tab: a PEM pasted into Add keys gets its RFC 7638
// thumbprint as kid, as in the PEM / JWK tab and jwkdesk jwks.
func TestJWKSTabAddKeysThumbprintKid_RFC7638(t *testing.T) {
	_, mw := newTestWindow(t)
	j := mw.jwks
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	p, _ := keys.ExportPEM(g.Private, keys.PEMSPKI, true)
	paste(t, j, string(p.PEM))
	if mw.sh.ws.Len() != 1 || j.rows[0].title != g.Thumbprint.Value {
		t.Fatalf("%d keys, row %+v", mw.sh.ws.Len(), j.rows)
	}
	if !strings.Contains(mw.sh.status.Text, "Added 1 key to the workspace. Key 1 had no kid: its RFC 7638 thumbprint "+g.Thumbprint.Value+" is its kid now.") {
		t.Errorf("status %q", mw.sh.status.Text)
	}
	out, _, code := runCLI(string(p.PEM), "jwks")
	if code != 0 || !strings.Contains(out, `"kid": "`+g.Thumbprint.Value+`"`) || !strings.Contains(j.public.content, `"kid": "`+g.Thumbprint.Value+`"`) {
		t.Errorf("tab and CLI disagree: CLI %d\n%s\ntab\n%s", code, out, j.public.content)
	}
}

// TestJWKSTabUnknownKtySkipped_RFC7517_5: a key of an unknown type in a
// pasted set is skipped with a message naming it; the rest is added.
func TestJWKSTabUnknownKtySkipped_RFC7517_5(t *testing.T) {
	_, mw := newTestWindow(t)
	j := mw.jwks
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "good"})
	pub, _ := json.Marshal(g.Public)
	set := `{"keys":[{"kty":"AKP","kid":"pq","alg":"ML-DSA-44","pub":"AAAA"},` + string(pub) + `]}`
	paste(t, j, set)
	if mw.sh.ws.Len() != 1 || !j.pasteErr.Visible() ||
		!strings.HasPrefix(j.pasteErr.Text, "1 key of a type or curve JWK Desk does not read was left out:\nkey 1 (kid \"pq\"): unknown key type \"AKP\"") ||
		!strings.Contains(j.pasteErr.Text, "skipped as RFC 7517 §5 asks, the other keys are used") {
		t.Errorf("%d keys, message %q", mw.sh.ws.Len(), j.pasteErr.Text)
	}
	out, errOut, code := runCLI(set, "jwks")
	if code != 0 || !strings.Contains(out, `"kid": "good"`) || !strings.Contains(errOut, `skipped as RFC 7517 §5 asks`) {
		t.Errorf("CLI: %d %s", code, errOut)
	}
	// The JWT tab's pasted key source uses the good key and says which was skipped.
	src, err := pastedSource(set)
	if err == nil || !strings.HasPrefix(err.Error(), `skipped key 1 (kid "pq"): unknown key type "AKP"`) || len(src.Keys) != 1 {
		t.Errorf("JWT tab source: %d keys, %v", len(src.Keys), err)
	}
}

// TestJWKSTabKidAcrossKty_RFC7517_4_5: an EC and an RSA key sharing a kid
// is a note, and the set can be copied; the CLI writes it too.
func TestJWKSTabKidAcrossKty_RFC7517_4_5(t *testing.T) {
	a, mw := newTestWindow(t)
	j := mw.jwks
	ec, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "1"})
	rsa, _ := keys.Generate(keys.Spec{Kty: keys.KtyRSA, KidStrategy: keys.KidCustom, CustomKid: "1"})
	set, _ := keys.MarshalPublicJWKS(ec.Public, rsa.Public)
	paste(t, j, string(set))
	if mw.sh.ws.Len() != 2 || len(j.dupKids) != 0 || rowBadge(t, j, 0) != "ℹ 1 note" || rowBadge(t, j, 1) != "ℹ 1 note" {
		t.Fatalf("%d keys, dups %v, badges %q %q", mw.sh.ws.Len(), j.dupKids, rowBadge(t, j, 0), rowBadge(t, j, 1))
	}
	j.copyMain()
	if !strings.Contains(a.Clipboard().Content(), `"kid": "1"`) {
		t.Errorf("copy refused: %q", mw.sh.status.Text)
	}
	if _, errOut, code := runCLI(string(set), "jwks"); code != 0 || !strings.Contains(errOut, "RFC 7517 §4.5 allows it") {
		t.Errorf("CLI: %d %s", code, errOut)
	}
}

// TestJWKSTabPublicAllowList_RFC7517_4 is issue 22 item 2 in the JWKS tab:
// a pasted EC key carrying "k" and "dp" publishes neither, nor does the
// saved workspace; the caption counts the other members dropped.
func TestJWKSTabPublicAllowList_RFC7517_4(t *testing.T) {
	_, mw := newTestWindow(t)
	j := mw.jwks
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "ec"})
	b, _ := json.Marshal(g.Private)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	m["k"], m["dp"], m["acr"] = "c2VjcmV0", "AQAB", "x"
	b, _ = json.Marshal(m)
	paste(t, j, string(b))
	for _, member := range []string{`"k"`, `"dp"`, `"d"`, `"acr"`, "c2VjcmV0"} {
		if strings.Contains(j.public.content, member) {
			t.Errorf("public JWKS holds %s", member)
		}
	}
	if j.public.caption.Text != `1 key published; private members stripped from 1 key; 1 member outside the public allow-list dropped ("acr").` {
		t.Errorf("caption %q", j.public.caption.Text)
	}
	state, _ := mw.sh.ws.MarshalState()
	if bytes.Contains(state, []byte("c2VjcmV0")) || bytes.Contains(state, []byte(`"dp"`)) {
		t.Errorf("saved state %s", state)
	}
	j.list.Select(0)
	if !strings.Contains(j.findings.Text, `warning: holds 2 members "dp", "k", private for another key type`) || !strings.Contains(j.findings.Text, `1 member "acr" is not published`) {
		t.Errorf("findings %q", j.findings.Text)
	}
}

// TestJWKSTabSharedKidLintIsLinear is issue 22 item 8 in the GUI: keys
// sharing one kid give one finding (positions capped), shown with each key.
func TestJWKSTabSharedKidLintIsLinear(t *testing.T) {
	_, mw := newTestWindow(t)
	j := mw.jwks
	const n = 2000
	var b strings.Builder
	b.WriteString(`{"keys":[`)
	for i := range n {
		pub, _, _ := ed25519.GenerateKey(rand.Reader)
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"kty":"OKP","crv":"Ed25519","kid":"k","use":"sig","x":%q}`, base64.RawURLEncoding.EncodeToString(pub))
	}
	b.WriteString("]}")
	wait(t, &j.afterRefresh, func() { paste(t, j, b.String()) })
	if len(j.lint.Groups) != 1 || j.lint.Errors != 1 || len(j.dupKids) != 1 {
		t.Fatalf("%d groups, %d errors", len(j.lint.Groups), j.lint.Errors)
	}
	j.list.Select(n - 1)
	if !strings.Contains(j.findings.Text, "positions 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 1,990 more") || len(j.findings.Text) > 500 {
		t.Errorf("findings (%d bytes) %.300q", len(j.findings.Text), j.findings.Text)
	}
	if c := j.public.caption.Text; !strings.Contains(c, `"k" (keys 1, 2, 3, 4, 5 and 1,995 more)`) || len(c) > 400 {
		t.Errorf("caption %q", c)
	}
}

// tlsKeys is an https issuer on loopback whose discovery document names
// jwksURI (defaulting to its own /keys), counting requests per path.
type tlsKeys struct {
	*httptest.Server
	hits    map[string]*atomic.Int32
	jwksURI string
}

func newTLSKeys(t *testing.T) *tlsKeys {
	t.Helper()
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "issuer-key"})
	set, _ := keys.MarshalPublicJWKS(g.Public)
	s := &tlsKeys{hits: map[string]*atomic.Int32{"/keys": {}, "/.well-known/openid-configuration": {}}}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c := s.hits[r.URL.Path]; c != nil {
			c.Add(1)
		}
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			uri := s.jwksURI
			if uri == "" {
				uri = s.URL + "/keys"
			}
			fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, s.URL, uri)
		case "/keys":
			_, _ = w.Write(set)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// clientFor trusts the test server's certificate (issued to example.com)
// whatever host name the URL uses.
func clientFor(s *httptest.Server) *http.Client {
	c := s.Client()
	tr := c.Transport.(*http.Transport).Clone()
	tr.TLSClientConfig = tr.TLSClientConfig.Clone()
	tr.TLSClientConfig.ServerName = "example.com"
	return &http.Client{Transport: tr}
}

// TestJWKSTabFetchAsks is issue 22 item 9 in the GUI: a jwks_uri on another
// host is said before the keys are fetched (nothing fetched when the user
// says no); a private address typed is asked first.
func TestJWKSTabFetchAsks(t *testing.T) {
	_, mw := newTestWindow(t)
	j := mw.jwks
	srv := newTLSKeys(t)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	srv.jwksURI = "https://localhost:" + port + "/keys"
	j.fetchOpts.Client = clientFor(srv.Server)
	var asked []string
	answer := false
	j.confirm = func(title, msg string, onOK func()) {
		asked = append(asked, title+": "+msg)
		if answer {
			onOK()
		}
	}
	j.urlEntry.SetText(srv.URL)
	wait(t, &j.afterFetch, func() { test.Tap(j.discoverBtn) })
	if len(asked) != 1 || !strings.HasPrefix(asked[0], "Keys on another host: The jwks_uri is on another host (localhost) than the issuer (127.0.0.1): the keys come from localhost.") ||
		srv.hits["/keys"].Load() != 0 || !strings.Contains(j.fetchResult.Text, "jwks_uri https://localhost:"+port+"/keys") || !j.importBtn.Disabled() {
		t.Fatalf("asked %q, %d key requests, result %q", asked, srv.hits["/keys"].Load(), j.fetchResult.Text)
	}
	answer, asked = true, nil
	wait(t, &j.afterFetch, func() { test.Tap(j.discoverBtn) })
	if len(asked) != 1 || srv.hits["/keys"].Load() != 1 || !strings.Contains(j.fetchResult.Text, "Note: the jwks_uri is on another host") || !strings.Contains(j.fetchResult.Text, "Keys found: 1") {
		t.Errorf("asked %q, result %q", asked, j.fetchResult.Text)
	}

	// A private address, typed: asked before any connection.
	answer, asked = false, nil
	j.urlEntry.SetText("https://10.0.0.1/jwks")
	wait(t, &j.afterFetch, func() { test.Tap(j.fetchBtn) })
	if len(asked) != 1 || !strings.HasPrefix(asked[0], "Fetch from this address?: 10.0.0.1 is a private network address") || j.fetchErr.Visible() {
		t.Errorf("asked %q, error %q", asked, j.fetchErr.Text)
	}
	// A link-local one is refused outright.
	asked = nil
	j.urlEntry.SetText("https://169.254.169.254/latest/meta-data/")
	wait(t, &j.afterFetch, func() { test.Tap(j.fetchBtn) })
	if len(asked) != 0 || !strings.HasPrefix(j.fetchErr.Text, "Refused to fetch from 169.254.169.254, a link-local address") {
		t.Errorf("asked %q, error %q", asked, j.fetchErr.Text)
	}
}

// TestJWTFetchIssuerFromTokenIsNotTyped: the JWT tab's Fetch issuer keys
// takes its origin from the token's iss: asked first, and a plain http
// issuer on loopback is refused (it would be allowed if the user typed it).
func TestJWTFetchIssuerFromTokenIsNotTyped(t *testing.T) {
	_, mw := newTestWindow(t)
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "issuer-key"})
	var hits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1); http.NotFound(w, r) }))
	defer plain.Close()
	var asked []string
	mw.jwks.confirm = func(title, msg string, onOK func()) { asked = append(asked, title+": "+msg); onOK() }
	iss := strings.Replace(plain.URL, "http://", "http://alice:s3cret@", 1)
	tok, _ := token.Sign(g.Private, []byte(`{"iss":"`+iss+`"}`), "issuer-key")
	inspectWait(t, mw.jwt, func() { mw.jwt.tokenEntry.SetText(tok) })
	wait(t, &mw.jwks.afterFetch, func() { test.Tap(mw.jwt.fetchIssuerBtn) })
	if len(asked) != 1 || !strings.Contains(asked[0], "The token names its issuer as\n"+plain.URL+"\n") {
		t.Errorf("asked %q", asked)
	}
	if hits.Load() != 0 || !strings.Contains(mw.jwks.fetchErr.Text, "over plain http: this URL comes from a token or a document, not from you") {
		t.Errorf("%d requests, error %q", hits.Load(), mw.jwks.fetchErr.Text)
	}
	if strings.Contains(mw.jwks.urlEntry.Text+mw.jwks.fetchErr.Text+mw.sh.status.Text+strings.Join(asked, ""), "s3cret") {
		t.Error("credentials shown")
	}
	// Typed by the user, the same URL is fetched.
	mw.jwks.urlEntry.SetText(plain.URL)
	wait(t, &mw.jwks.afterFetch, func() { test.Tap(mw.jwks.discoverBtn) })
	if hits.Load() != 1 {
		t.Errorf("typed: %d requests", hits.Load())
	}
	// An issuer on a private network is offered (and asked about); one on a
	// link-local address is not offered at all.
	for iss, offered := range map[string]bool{"https://10.0.0.1/realms/x": true, "https://169.254.169.254/": false} {
		tok, _ := token.Sign(g.Private, []byte(`{"iss":"`+iss+`"}`), "issuer-key")
		inspectWait(t, mw.jwt, func() { mw.jwt.tokenEntry.SetText(tok) })
		if mw.jwt.fetchIssuerBtn.Visible() != offered {
			t.Errorf("iss %s: Fetch issuer keys offered %v", iss, !offered)
		}
	}
}

// TestPEMTabUnknownKtySkipped_RFC7517_5: the PEM / JWK tab converts the keys
// of a set it can read and names the one it skipped, as the JWKS tab does.
func TestPEMTabUnknownKtySkipped_RFC7517_5(t *testing.T) {
	_, _, p := pemWindow(t)
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "good"})
	pub, _ := json.Marshal(g.Public)
	set := `{"keys":[` + string(pub) + `,{"kty":"OKP","crv":"Ed448","kid":"ed448","x":"AA"}]}`
	convertWait(t, p, func() { p.input.SetText(set) })
	if !p.warnings.Visible() || !strings.Contains(p.warnings.Text, `key 2 (kid "ed448"): Ed448 keys are not supported`) ||
		!strings.Contains(p.warnings.Text, "RFC 7517 §5") || !strings.Contains(p.pubJWK.content, `"kid": "good"`) {
		t.Errorf("warnings %q, public JWK %q", p.warnings.Text, p.pubJWK.content)
	}
}
