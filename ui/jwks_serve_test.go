package ui

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/jwkdesk/jwkdesk/convert/issuer"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// serveKey generates a key with a custom kid.
func serveKey(t *testing.T, spec keys.Spec, kid string) jwk.Key {
	t.Helper()
	spec.KidStrategy, spec.CustomKid = keys.KidCustom, kid
	g, err := keys.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	return g.Private
}

// addToWorkspace adds ks as the window's other tabs do.
func addToWorkspace(t *testing.T, mw *MainWindow, ks ...jwk.Key) {
	t.Helper()
	if _, err := mw.sh.ws.Add("test", ks...); err != nil {
		t.Fatal(err)
	}
	mw.sh.workspaceChanged()
}

// waitLog runs do (requests to the issuer) and waits for the fyne.Do that
// shows a new log line holding want.
func waitLog(t *testing.T, p *servePanel, want string, do func()) {
	t.Helper()
	done := make(chan struct{})
	var once sync.Once
	seen := len(p.logLines)
	p.afterLog = func() {
		if strings.Contains(strings.Join(p.logLines[min(seen, len(p.logLines)):], "\n"), want) {
			once.Do(func() { close(done) })
		}
	}
	do()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("the request log never showed %q", want)
	}
	p.afterLog = nil
}

func httpGet(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// servedKids fetches the JWKS and returns its kids.
func servedKids(t *testing.T, p *servePanel, iss string) []string {
	t.Helper()
	var b []byte
	waitLog(t, p, "GET "+issuer.JWKSPath, func() { _, b = httpGet(t, iss+issuer.JWKSPath) })
	return publishedKids(t, string(b))
}

// tokenKid gets a token from /token, checks it verifies against the served
// JWKS, and returns its kid.
func tokenKid(t *testing.T, p *servePanel, iss string) string {
	t.Helper()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	waitLog(t, p, "POST "+issuer.TokenPath, func() {
		resp, err := http.PostForm(iss+issuer.TokenPath, url.Values{"grant_type": {"client_credentials"}, "client_id": {"ui-test"}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || resp.StatusCode != 200 {
			t.Fatalf("token: %d %v", resp.StatusCode, err)
		}
	})
	var set []byte
	waitLog(t, p, "GET "+issuer.JWKSPath, func() { _, set = httpGet(t, iss+issuer.JWKSPath) })
	ks, err := jwk.Parse(set)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := jws.Verify([]byte(tok.AccessToken), jws.WithKeySet(ks))
	if err != nil {
		t.Fatalf("the token does not verify against the served JWKS: %v", err)
	}
	var claims map[string]any
	_ = json.Unmarshal(msg, &claims)
	if claims["iss"] != iss {
		t.Errorf("iss %v, want %s", claims["iss"], iss)
	}
	parsed, _ := jws.Parse([]byte(tok.AccessToken))
	kid, _ := parsed.Signatures()[0].ProtectedHeaders().KeyID()
	return kid
}

func canonicalJSON(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

func portOf(iss string) string { return strings.TrimPrefix(iss, "http://") }

// TestJWKSServeRehearsal: Serve starts on a free port (RFC 8414-style
// discovery, OpenID Connect Discovery 1.0 §3), the JWKS served is the tab's
// public export (RFC 7517 §5), the URL copies, the rehearsal steps change
// what is served and the token's kid and appear in the timeline, the log
// shows the requests, a workspace change is served, and Stop frees the port.
func TestJWKSServeRehearsal(t *testing.T) {
	a, mw := newTestWindow(t)
	p := mw.jwks.serve
	pub, err := keys.PublicOf(serveKey(t, keys.Spec{Kty: keys.KtyRSA, Size: 2048}, "pub-only"))
	if err != nil {
		t.Fatal(err)
	}
	addToWorkspace(t, mw, serveKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256}, "old"),
		serveKey(t, keys.Spec{Kty: keys.KtyOKP, Crv: "Ed25519"}, "new"),
		serveKey(t, keys.Spec{Kty: keys.KtyOct, Alg: "HS256"}, "secret"), pub)
	if p.publishBtn.Disabled() == false || p.stopBtn.Disabled() == false {
		t.Fatal("rehearsal or stop enabled before serving")
	}
	if got := p.signerSel.Options; len(got) != 2 || got[0] != "old" || got[1] != "new" {
		t.Errorf("signer options %v", got)
	}
	p.maxAgeEntry.SetText("120")
	p.audEntry.SetText("orders-api")
	test.Tap(p.startBtn)
	iss := p.urlLabel.Text
	if !strings.HasPrefix(iss, "http://127.0.0.1:") || !p.startErr.Hidden {
		t.Fatalf("after Start: url %q, error %q", iss, p.startErr.Text)
	}
	test.Tap(p.copyBtn)
	if got := a.Clipboard().Content(); got != iss {
		t.Errorf("copied %q, want %q", got, iss)
	}
	// The JWKS served is the public export, with the max-age asked for.
	var resp *http.Response
	var body []byte
	waitLog(t, p, "GET "+issuer.JWKSPath+" 200", func() { resp, body = httpGet(t, iss+issuer.JWKSPath) })
	if canonicalJSON(t, body) != canonicalJSON(t, []byte(mw.jwks.public.content)) {
		t.Errorf("served\n%s\npublic export\n%s", body, mw.jwks.public.content)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "max-age=120" {
		t.Errorf("Cache-Control %q", cc)
	}
	if log := strings.Join(p.logLines, "\n"); !strings.Contains(log, "Go-http-client") || strings.Contains(log, "eyJ") {
		t.Errorf("log %q: want the user agent, never a token", log)
	}

	if kid := tokenKid(t, p, iss); kid != "old" {
		t.Errorf("token kid %q before the rehearsal", kid)
	}
	if p.publishBtn.Disabled() || !p.switchBtn.Disabled() || !p.retireBtn.Disabled() {
		t.Fatal("only Publish next key makes sense first")
	}
	test.Tap(p.publishBtn)
	if kids := servedKids(t, p, iss); strings.Join(kids, ",") != "old,new,pub-only" || p.switchBtn.Disabled() {
		t.Fatalf("after publish next: %v", kids)
	}
	test.Tap(p.switchBtn)
	if kid := tokenKid(t, p, iss); kid != "new" || p.retireBtn.Disabled() {
		t.Fatalf("after switch: token kid %q", kid)
	}
	test.Tap(p.retireBtn)
	if kids := servedKids(t, p, iss); strings.Join(kids, ",") != "new,pub-only" {
		t.Fatalf("after retire: %v", kids)
	}
	tl := p.timelineLabel.Text
	for _, want := range []string{"start", "publish next  new", "switch signer new (was old) · JWKS fetched", "retire        old"} {
		if !strings.Contains(tl, want) {
			t.Errorf("timeline lacks %q:\n%s", want, tl)
		}
	}
	// A key added to the workspace while serving is served; the rehearsal's
	// roles stay.
	addToWorkspace(t, mw, serveKey(t, keys.Spec{Kty: keys.KtyEC, Crv: "P-384"}, "later"))
	if kids := servedKids(t, p, iss); strings.Join(kids, ",") != "new,pub-only,later" || p.srv.Signer() != "new" {
		t.Fatalf("after a workspace change: %v, signer %q", kids, p.srv.Signer())
	}
	wait(t, &p.afterStop, func() { test.Tap(p.stopBtn) })
	if _, err := net.Dial("tcp", portOf(iss)); err == nil {
		t.Error("the port is still open after Stop")
	}
	if p.startBtn.Disabled() || !p.publishBtn.Disabled() || !strings.HasPrefix(p.urlLabel.Text, "Not serving") {
		t.Error("after Stop: Start disabled or rehearsal enabled")
	}
}

// TestJWKSServeErrorsKeepInputs: a port in use, no signing key and a bad
// template are said next to their fields; what the user typed stays.
func TestJWKSServeErrorsKeepInputs(t *testing.T) {
	_, mw := newTestWindow(t)
	p := mw.jwks.serve
	pub, err := keys.PublicOf(serveKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256}, "pub"))
	if err != nil {
		t.Fatal(err)
	}
	addToWorkspace(t, mw, pub, serveKey(t, keys.Spec{Kty: keys.KtyOct, Alg: "HS256"}, "secret"))
	test.Tap(p.startBtn)
	if !strings.Contains(p.startErr.Text, "No key in the workspace can sign") || p.srv != nil {
		t.Errorf("public and oct keys only (RFC 7518 §3.2 secrets never served): %q", p.startErr.Text)
	}
	addToWorkspace(t, mw, serveKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256}, "signer"))

	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	taken := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	cases := []struct {
		name, port, lifetime, extra, maxAge string
		errLabel                            func() string
		want                                string
	}{
		{"port in use", taken, "1h", "", "300", func() string { return p.startErr.Text }, "Port " + taken + " on 127.0.0.1 is in use by another program"},
		{"port not a number", "http", "1h", "", "300", func() string { return p.startErr.Text }, `The port "http" is not a TCP port`},
		{"lifetime not a duration", "", "soon", "", "300", func() string { return p.settingsErr.Text }, `The lifetime "soon" is not a duration`},
		{"iss in the extra claims (RFC 7519 §4.1.1)", "", "1h", `{"iss":"x"}`, "300", func() string { return p.settingsErr.Text }, `may not set "iss"`},
		{"extra claims not JSON", "", "1h", `{tenant}`, "300", func() string { return p.settingsErr.Text }, "The extra claims are not JSON"},
		{"max-age negative", "", "1h", "", "-5", func() string { return p.settingsErr.Text }, `The JWKS max-age "-5"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p.portEntry.SetText(c.port)
			p.lifetimeEntry.SetText(c.lifetime)
			p.extraEntry.SetText(c.extra)
			p.maxAgeEntry.SetText(c.maxAge)
			test.Tap(p.startBtn)
			if got := c.errLabel(); !strings.Contains(got, c.want) {
				t.Errorf("error %q, want %q", got, c.want)
			}
			if p.srv != nil && p.srv.Running() {
				t.Error("serving after an error")
			}
			if p.portEntry.Text != c.port || p.lifetimeEntry.Text != c.lifetime || p.extraEntry.Text != c.extra || p.maxAgeEntry.Text != c.maxAge {
				t.Error("an input was lost")
			}
		})
	}
}

// TestJWKSServeStopsOnQuit: the issuer stops with the app.
func TestJWKSServeStopsOnQuit(t *testing.T) {
	a, mw := newTestWindow(t)
	p := mw.jwks.serve
	addToWorkspace(t, mw, serveKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256}, "k"))
	test.Tap(p.startBtn)
	iss := p.urlLabel.Text
	if !strings.HasPrefix(iss, "http://127.0.0.1:") {
		t.Fatalf("not serving: %q %q", iss, p.startErr.Text)
	}
	stopped, ok := a.Lifecycle().(interface{ OnStopped() func() })
	if !ok || stopped.OnStopped() == nil {
		t.Fatal("no OnStopped hook")
	}
	stopped.OnStopped()()
	if _, err := net.Dial("tcp", portOf(iss)); err == nil {
		t.Error("the port is still open after quit")
	}
}

// TestJWKSServeRestartOnAnotherPort: after Stop, Start on another port
// serves there, and the log follows the new issuer.
func TestJWKSServeRestartOnAnotherPort(t *testing.T) {
	_, mw := newTestWindow(t)
	p := mw.jwks.serve
	addToWorkspace(t, mw, serveKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256}, "k"))
	test.Tap(p.startBtn)
	first := p.urlLabel.Text
	wait(t, &p.afterStop, func() { test.Tap(p.stopBtn) })
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	p.portEntry.SetText(port)
	test.Tap(p.startBtn)
	if p.urlLabel.Text != "http://127.0.0.1:"+port || p.urlLabel.Text == first {
		t.Fatalf("restarted at %q (first %q, asked %s): %s", p.urlLabel.Text, first, port, p.startErr.Text)
	}
	waitLog(t, p, "GET "+issuer.JWKSPath+" 200", func() { httpGet(t, p.urlLabel.Text+issuer.JWKSPath) })
	wait(t, &p.afterStop, func() { test.Tap(p.stopBtn) })
}

// tokenClaims gets a token and returns its claims (verified by tokenKid's
// checks first).
func tokenClaims(t *testing.T, p *servePanel, iss string) map[string]any {
	t.Helper()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	waitLog(t, p, "POST "+issuer.TokenPath, func() {
		resp, err := http.PostForm(iss+issuer.TokenPath, url.Values{"grant_type": {"client_credentials"}, "client_id": {"ui-test"}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil {
			t.Fatal(err)
		}
	})
	msg, err := jws.Parse([]byte(tok.AccessToken))
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(msg.Payload(), &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

// TestJWKSServePickApplyAndWorkspaceErrors: the signer picked before
// Start signs; picked while serving it is a switch (timeline); Apply
// changes the next tokens' claims (RFC 7519 §4.1.3 aud) and the JWKS
// max-age; a workspace that can no longer sign leaves the previous keys
// served and says why.
func TestJWKSServePickApplyAndWorkspaceErrors(t *testing.T) {
	_, mw := newTestWindow(t)
	p := mw.jwks.serve
	addToWorkspace(t, mw, serveKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256}, "a"),
		serveKey(t, keys.Spec{Kty: keys.KtyOKP, Crv: "Ed25519"}, "b"))
	p.signerSel.SetSelected("b")
	test.Tap(p.startBtn)
	iss := p.urlLabel.Text
	if kid := tokenKid(t, p, iss); kid != "b" {
		t.Fatalf("picked b before Start, token kid %q", kid)
	}
	p.signerSel.SetSelected("a")
	if kid := tokenKid(t, p, iss); kid != "a" || !strings.Contains(p.timelineLabel.Text, "switch signer a (was b)") {
		t.Fatalf("picked a while serving: kid %q, timeline\n%s", kid, p.timelineLabel.Text)
	}
	p.audEntry.SetText("orders billing")
	p.maxAgeEntry.SetText("0")
	test.Tap(p.applyBtn)
	if aud := tokenClaims(t, p, iss)["aud"]; mustJSONText(aud) != `["orders","billing"]` {
		t.Errorf("aud after Apply: %v", aud)
	}
	var resp *http.Response
	waitLog(t, p, "GET "+issuer.JWKSPath, func() { resp, _ = httpGet(t, iss+issuer.JWKSPath) })
	if cc := resp.Header.Get("Cache-Control"); cc != "max-age=0" {
		t.Errorf("Cache-Control after Apply: %q", cc)
	}
	before := servedKids(t, p, iss)
	// Both private keys removed: nothing can sign.
	for mw.sh.ws.Len() > 0 {
		if err := mw.sh.ws.Remove(0); err != nil {
			t.Fatal(err)
		}
	}
	mw.sh.workspaceChanged()
	if !strings.Contains(p.rehearsalErr.Text, "still serving the keys before the change") {
		t.Errorf("no word of the refused change: %q", p.rehearsalErr.Text)
	}
	if after := servedKids(t, p, iss); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Errorf("served %v after a refused change, before %v", after, before)
	}
}

func mustJSONText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestJWKSServeRotateWhileServing: Rotate in the key list while serving
// publishes the new key as next (the workspace's mark), the signer keeps
// signing until Switch signer.
func TestJWKSServeRotateWhileServing(t *testing.T) {
	_, mw := newTestWindow(t)
	p, j := mw.jwks.serve, mw.jwks
	addToWorkspace(t, mw, serveKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256}, "old"))
	test.Tap(p.startBtn)
	iss := p.urlLabel.Text
	wait(t, &j.afterRotate, func() { test.Tap(j.rotateBtn) })
	next := roleKid(p.srv.Keys(), issuer.Next)
	if next == "" || next == "old" || p.srv.Signer() != "old" || p.switchBtn.Disabled() {
		t.Fatalf("after Rotate while serving: %+v", p.srv.Keys())
	}
	if kids := servedKids(t, p, iss); len(kids) != 2 || kids[0] != next || kids[1] != "old" {
		t.Fatalf("served %v", kids)
	}
	test.Tap(p.switchBtn)
	if kid := tokenKid(t, p, iss); kid != next {
		t.Fatalf("after the switch the token kid is %q, want %q", kid, next)
	}
}
