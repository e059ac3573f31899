package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/jwkdesk/jwkdesk/convert/issuer"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// lineWriter is a stdout that hands its first line to a channel.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	first chan string
	sent  bool
}

func newLineWriter() *lineWriter { return &lineWriter{first: make(chan string, 1)} }

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if line, _, ok := strings.Cut(w.buf.String(), "\n"); ok && !w.sent {
		w.sent = true
		w.first <- line
	}
	return len(p), nil
}

func (w *lineWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// lockedBuffer is a stderr written by the log goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// privateJWKSFile writes a private JWKS of freshly generated keys.
func privateJWKSFile(t *testing.T, specs ...keys.Spec) string {
	t.Helper()
	var list []jwk.Key
	for _, s := range specs {
		g, err := keys.Generate(s)
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, g.Private)
	}
	data, err := keys.ExportPrivateJWKS(list)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func customKid(kty, crv, kid string) keys.Spec {
	return keys.Spec{Kty: kty, Crv: crv, KidStrategy: keys.KidCustom, CustomKid: kid}
}

// issuerURL reads "issuer URL" from the first line.
func issuerURL(t *testing.T, line string) string {
	t.Helper()
	u, ok := strings.CutPrefix(line, "issuer ")
	if !ok || !strings.HasPrefix(u, "http://127.0.0.1:") {
		t.Fatalf("first line %q, want issuer http://127.0.0.1:PORT", line)
	}
	return u
}

// fetchAndVerify gets discovery, the JWKS and a token from iss and
// verifies the token against the served JWKS with jwx; it returns the
// token's kid and claims.
func fetchAndVerify(t *testing.T, iss string) (string, map[string]any) {
	t.Helper()
	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
		Token   string `json:"token_endpoint"`
	}
	getJSON(t, iss+issuer.DiscoveryPath, &disc)
	if disc.Issuer != iss || disc.JWKSURI != iss+issuer.JWKSPath || disc.Token != iss+issuer.TokenPath {
		t.Fatalf("discovery %+v for issuer %s", disc, iss)
	}
	resp, err := http.Get(disc.JWKSURI)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if cc := resp.Header.Get("Cache-Control"); resp.StatusCode != 200 || !strings.Contains(cc, "max-age=") {
		t.Fatalf("JWKS: %d, Cache-Control %q", resp.StatusCode, cc)
	}
	set, err := jwk.Parse(body)
	if err != nil {
		t.Fatalf("JWKS: %v\n%s", err, body)
	}
	resp, err = http.PostForm(disc.Token, url.Values{"grant_type": {"client_credentials"}, "client_id": {"cli-test"}})
	if err != nil {
		t.Fatal(err)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tr)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || tr.TokenType != "Bearer" {
		t.Fatalf("token: %d %v %+v", resp.StatusCode, err, tr)
	}
	tok, err := jwt.Parse([]byte(tr.AccessToken), jwt.WithKeySet(set), jwt.WithIssuer(iss))
	if err != nil {
		t.Fatalf("the token does not verify against the served JWKS: %v", err)
	}
	claims := map[string]any{}
	for _, k := range tok.Keys() {
		var v any
		if err := tok.Get(k, &v); err == nil {
			claims[k] = v
		}
	}
	msg, err := jws.Parse([]byte(tr.AccessToken))
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := msg.Signatures()[0].ProtectedHeaders().KeyID()
	return kid, claims
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// TestServeCommand runs `jwkdesk serve` in-process: the first line names
// the issuer, discovery (OpenID Connect Discovery 1.0 §3) names the JWKS and
// the token endpoint, a client-credentials token (RFC 6749 §4.4) carries
// the --signer's kid and the --claims, and verifies against the served JWKS;
// requests are logged on stderr; the stop (a signal, here a cancelled
// context) exits 0.
func TestServeCommand(t *testing.T) {
	path := privateJWKSFile(t, customKid(keys.KtyEC, keys.CrvP256, "ec-1"), customKid(keys.KtyOKP, "Ed25519", "ed-2"))
	cases := []struct {
		name    string
		args    []string
		wantKid string
		want    map[string]any
	}{
		{"defaults: the first key signs", nil, "ec-1", map[string]any{"aud": []string{"cli-test"}, "sub": "cli-test"}},
		{"--signer and --claims", []string{"--signer", "ed-2", "--claims", `{"sub":"svc","aud":["orders","billing"],"scope":"read","tenant":"acme"}`, "--lifetime", "5m"},
			"ed-2", map[string]any{"sub": "svc", "aud": []string{"orders", "billing"}, "scope": "read", "tenant": "acme"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			serveUntil = func() (context.Context, context.CancelFunc) { return ctx, cancel }
			t.Cleanup(func() { serveUntil = defaultServeUntil })
			stdout, stderr := newLineWriter(), &lockedBuffer{}
			done := make(chan int, 1)
			go func() {
				done <- Run(append([]string{"serve", "--keys", path}, c.args...), Env{Stdout: stdout, Stderr: stderr})
			}()
			var iss string
			select {
			case line := <-stdout.first:
				iss = issuerURL(t, line)
			case code := <-done:
				t.Fatalf("serve exited %d: %s", code, stderr.String())
			}
			kid, claims := fetchAndVerify(t, iss)
			if kid != c.wantKid {
				t.Errorf("token kid %q, want %q", kid, c.wantKid)
			}
			for name, want := range c.want {
				if got, _ := json.Marshal(claims[name]); string(got) != mustJSON(want) {
					t.Errorf("claim %s = %s, want %s", name, got, mustJSON(want))
				}
			}
			cancel()
			if code := <-done; code != ExitOK {
				t.Fatalf("exit %d after the stop, want 0: %s", code, stderr.String())
			}
			log := stderr.String()
			for _, want := range []string{"GET " + issuer.DiscoveryPath + " 200", "GET " + issuer.JWKSPath + " 200", "POST " + issuer.TokenPath + " 200", "stopped"} {
				if !strings.Contains(log, want) {
					t.Errorf("stderr lacks %q:\n%s", want, log)
				}
			}
			if strings.Contains(log, "eyJ") {
				t.Errorf("stderr holds a token:\n%s", log)
			}
			if _, err := net.Dial("tcp", strings.TrimPrefix(iss, "http://")); err == nil {
				t.Errorf("the port is still open after the stop")
			}
		})
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestServeRefusals: what serve cannot do is said on stderr with exit 2,
// naming what to do; nothing is served.
func TestServeRefusals(t *testing.T) {
	priv := privateJWKSFile(t, customKid(keys.KtyEC, keys.CrvP256, "ec-1"))
	oct := privateJWKSFile(t, keys.Spec{Kty: keys.KtyOct, Alg: "HS256", KidStrategy: keys.KidCustom, CustomKid: "s"})
	enc := privateJWKSFile(t, keys.Spec{Kty: keys.KtyOKP, Crv: "X25519", Use: "enc", KidStrategy: keys.KidCustom, CustomKid: "x"})
	pubOut, _, code := run(t, "", "jwks", priv)
	if code != 0 {
		t.Fatalf("jwks: %d", code)
	}
	pub := filepath.Join(t.TempDir(), "public.json")
	if err := os.WriteFile(pub, []byte(pubOut), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	taken := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no --keys", nil, "--keys FILE is required"},
		{"a public JWKS (RFC 7517 §5): nothing signs", []string{"--keys", pub}, "holds no private key that can sign: give the private JWKS"},
		{"an HMAC secret only (RFC 7518 §3.2): never served", []string{"--keys", oct}, "holds no private key that can sign"},
		{"an encryption key only (RFC 7517 §4.2 use enc)", []string{"--keys", enc}, "holds no private key that can sign"},
		{"unknown --signer", []string{"--keys", priv, "--signer", "nope"}, `no served key has kid "nope"`},
		{"--claims sets iss (RFC 7519 §4.1.1, the issuer's)", []string{"--keys", priv, "--claims", `{"iss":"x"}`}, `may not set "iss"`},
		{"--claims not an object", []string{"--keys", priv, "--claims", `[1]`}, "not a JSON object"},
		{"--claims duplicate member", []string{"--keys", priv, "--claims", `{"a":1,"a":2}`}, `member "a" twice`},
		{"--lifetime under a second", []string{"--keys", priv, "--lifetime", "1ms"}, "under one second"},
		{"--max-age negative", []string{"--keys", priv, "--max-age", "-1"}, "--max-age -1"},
		{"port in use", []string{"--keys", priv, "--port", taken}, "port " + taken + " on 127.0.0.1 is in use by another program"},
		{"missing file", []string{"--keys", filepath.Join(t.TempDir(), "none.json")}, "--keys"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // a serve that started would stop at once
			serveUntil = func() (context.Context, context.CancelFunc) { return ctx, cancel }
			t.Cleanup(func() { serveUntil = defaultServeUntil })
			stdout, stderr, code := run(t, "", append([]string{"serve"}, c.args...)...)
			if code != ExitUsage || !strings.Contains(stderr, c.want) || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 2 and %q", code, stdout, stderr, c.want)
			}
		})
	}
}

var defaultServeUntil = serveUntil

// TestServeSubprocess builds jwkdesk and runs `jwkdesk serve` as a user
// does: the first line names the issuer, a token verifies against the
// served JWKS, and SIGTERM stops it with exit 0.
func TestServeSubprocess(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGTERM")
	}
	bin := filepath.Join(t.TempDir(), "jwkdesk")
	build := exec.Command("go", "build", "-tags", "jwx_es256k", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	path := privateJWKSFile(t, customKid(keys.KtyRSA, "", "rsa-1"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve", "--keys", path, "--claims", `{"aud":"orders"}`)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		t.Fatalf("first line: %v; stderr %s", err, stderr.String())
	}
	iss := issuerURL(t, strings.TrimSpace(line))
	kid, claims := fetchAndVerify(t, iss)
	if kid != "rsa-1" || mustJSON(claims["aud"]) != `["orders"]` {
		t.Errorf("kid %q aud %v", kid, claims["aud"])
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: %v (want exit 0); stderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "GET "+issuer.JWKSPath+" 200") {
		t.Errorf("stderr lacks the JWKS request:\n%s", stderr.String())
	}
}
