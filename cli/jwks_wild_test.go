package cli

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/token"
)

// jwkWith is a key's JSON with extra members.
func jwkWith(t *testing.T, g *keys.Generated, private bool, extra map[string]any) []byte {
	t.Helper()
	k := g.Public
	if private {
		k = g.Private
	}
	b, _ := json.Marshal(k)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for n, v := range extra {
		m[n] = v
	}
	out, _ := json.Marshal(m)
	return out
}

// TestJWKSCommandSets_RFC7517 is issue 16 item 9 through jwkdesk jwks: the
// same kid across kty is a note and the set is written; across one kty it
// is an error; a key of an unknown type is skipped with a warning and the
// rest written; a damaged key stops the command; a kid-less key gets its
// thumbprint (said), or is kept with --keep-kids.
func TestJWKSCommandSets_RFC7517(t *testing.T) {
	dir := t.TempDir()
	ec, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "1"})
	rsa, _ := keys.Generate(keys.Spec{Kty: keys.KtyRSA, KidStrategy: keys.KidCustom, CustomKid: "1"})
	ec2, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "1"})
	ed, _ := keys.Generate(keys.Spec{Kty: keys.KtyOKP})
	set := func(name string, keys ...string) string {
		return writeFileIn(t, dir, name, []byte(`{"keys":[`+strings.Join(keys, ",")+`]}`))
	}
	js := func(g *keys.Generated) string { b, _ := json.Marshal(g.Public); return string(b) }
	edPEM, _ := keys.ExportPEM(ed.Private, keys.PEMSPKI, true)
	pemFile := writeFileIn(t, dir, "ed.pem", edPEM.PEM)
	rsaPEM, _ := keys.ExportPEM(rsa.Private, keys.PEMSPKI, true)
	rsaPEMFile := writeFileIn(t, dir, "rsa.pem", rsaPEM.PEM)
	cases := []struct {
		name     string
		args     []string
		code     int
		kids     string   // published kids, comma-separated
		inStderr []string // each must be on stderr
	}{
		{"kid across kty: a note (RFC 7517 §4.5)", []string{set("a.json", js(ec), js(rsa))}, ExitOK, "1,1",
			[]string{`2 keys (kid "1"): info: kid "1" is shared by keys of different types (1 EC, 1 RSA; positions 1, 2): RFC 7517 §4.5 allows it`}},
		{"kid across one kty: an error (RFC 7517 §4.5)", []string{set("b.json", js(ec), js(ec2))}, ExitUsage, "",
			[]string{`jwkdesk: jwks: 1 kid(s) shared by different keys of the same type (first: "1"): give each key its own kid; nothing was written`}},
		{"unknown kty skipped (RFC 7517 §5)", []string{set("c.json", `{"kty":"AKP","kid":"pq","alg":"ML-DSA-44","pub":"AAAA"}`, js(ec), `{"kty":"OKP","crv":"Ed448","kid":"ed448","x":"AA"}`)}, ExitOK, "1",
			[]string{`jwkdesk: warning: ` + filepath.Join(dir, "c.json") + `: key 1 (kid "pq"): unknown key type "AKP"`, `key 3 (kid "ed448"): Ed448 keys are not supported`, "skipped as RFC 7517 §5 asks, the other keys are used"}},
		{"damaged key stops", []string{set("d.json", js(ec), `{"kty":"EC","crv":"P-256","kid":"broken","x":"@","y":"@"}`)}, ExitUsage, "",
			[]string{`: key 2 (kid "broken"): `}},
		{"kid-less PEM keys get their thumbprint (RFC 7638)", []string{pemFile, rsaPEMFile}, ExitOK, ed.Thumbprint.Value + "," + rsa.Thumbprint.Value,
			[]string{"jwkdesk: note: " + pemFile + ": key 1 had no kid: its RFC 7638 thumbprint " + ed.Thumbprint.Value + " is its kid now (--keep-kids keeps keys as given)"}},
		{"--keep-kids", []string{"--keep-kids", pemFile}, ExitOK, "", []string{`key 1: info: no kid`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := run(t, "", append([]string{"jwks"}, c.args...)...)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s", code, c.code, errOut)
			}
			if code == ExitOK {
				if kids := strings.Join(publishedKids(t, out), ","); kids != c.kids {
					t.Errorf("kids %q, want %q", kids, c.kids)
				}
			}
			for _, want := range c.inStderr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
		})
	}
}

// TestJWKSCommandPublicAllowList_RFC7517_4 is issue 22 item 2 through the
// CLI: private members of any kty never reach stdout, other members are
// dropped and counted on stderr; convert --public says it too.
func TestJWKSCommandPublicAllowList_RFC7517_4(t *testing.T) {
	dir := t.TempDir()
	ec, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "ec"})
	rsa, _ := keys.Generate(keys.Spec{Kty: keys.KtyRSA, KidStrategy: keys.KidCustom, CustomKid: "rsa"})
	ecFile := writeFileIn(t, dir, "ec.json", jwkWith(t, ec, true, map[string]any{"k": "c2VjcmV0", "dp": "AQAB", "acr": "x", "issuer": "https://i.example"}))
	rsaFile := writeFileIn(t, dir, "rsa.json", jwkWith(t, rsa, false, map[string]any{"oth": []any{map[string]any{"r": "AQAB", "d": "AQAB", "t": "AQAB"}}, "status": "on"}))
	out, errOut, code := run(t, "", "jwks", ecFile, rsaFile)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, m := range []string{`"k"`, `"dp"`, `"d"`, `"oth"`, `"acr"`, `"status"`, "c2VjcmV0"} {
		if strings.Contains(out, m) {
			t.Errorf("published %s:\n%s", m, out)
		}
	}
	if !strings.Contains(out, `"issuer": "https://i.example"`) {
		t.Errorf("the reviewed extra issuer was dropped:\n%s", out)
	}
	for _, want := range []string{
		`jwkdesk: 2 keys published; private members stripped from 2 keys; 2 members outside the public allow-list dropped ("acr", "status"); lint:`,
		`key 1 (kid "ec"): warning: holds 2 members "dp", "k", private for another key type: never published`,
		`key 2 (kid "rsa"): warning: holds 1 member "oth", private for another key type`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	out, errOut, code = run(t, "", "convert", ecFile, "--public")
	if code != ExitOK || strings.Contains(out, `"k"`) || strings.Contains(out, `"dp"`) || strings.Contains(out, `"acr"`) ||
		!strings.Contains(errOut, "jwkdesk: convert: the key: 1 member(s) outside the public allow-list dropped: acr") {
		t.Errorf("convert --public: exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestJWKSCommandSharedKidOutputIsLinear is issue 22 item 8: keys sharing
// one kid give one finding, not one line per key listing every position.
func TestJWKSCommandSharedKidOutputIsLinear(t *testing.T) {
	const n = 2000
	var b strings.Builder
	b.WriteString(`{"keys":[`)
	for i := range n {
		pub, _, _ := ed25519.GenerateKey(rand.Reader)
		k, _ := json.Marshal(map[string]string{"kty": "OKP", "crv": "Ed25519", "kid": "k", "use": "sig", "x": b64(pub)})
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(k)
	}
	b.WriteString("]}")
	_, errOut, code := run(t, b.String(), "jwks")
	if code != ExitUsage || strings.Count(errOut, "is shared by") != 1 || len(errOut) > 2000 ||
		!strings.Contains(errOut, `2,000 keys (kid "k"): error: kid "k" is shared by 2,000 different keys (2,000 OKP; positions 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 1,990 more)`) {
		t.Errorf("exit %d, %d bytes of stderr:\n%.600s", code, len(errOut), errOut)
	}
}

// TestJWKSCommandFetchPolicy is issue 22 item 9 through the CLI: a typed
// loopback URL is fetched (http too), a private address is refused unless
// --allow-private, a link-local one always; credentials are never printed.
func TestJWKSCommandFetchPolicy(t *testing.T) {
	ec, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "remote"})
	set, _ := keys.MarshalPublicJWKS(ec.Public)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/jwks":
			_, _ = w.Write(set)
		case "/.well-known/openid-configuration":
			fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, srv.URL, "https://10.0.0.7/jwks")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	creds := strings.Replace(srv.URL, "http://", "http://alice:s3cret@", 1)
	out, errOut, code := run(t, "", "jwks", "--fetch", creds+"/jwks")
	if code != ExitOK || len(publishedKids(t, out)) != 1 || strings.Contains(errOut, "s3cret") || strings.Contains(errOut, "alice") {
		t.Errorf("typed loopback with credentials: exit %d\n%s", code, errOut)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--fetch", "https://10.0.0.1/jwks"}, "jwkdesk: jwks: 10.0.0.1 is a private network address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7): fetching from it needs your confirmation, since a URL taken from a token or a document can aim at services inside your network; pass --allow-private to fetch it anyway"},
		{[]string{"--issuer", srv.URL}, "jwkdesk: jwks: 10.0.0.7 is a private network address"}, // the jwks_uri the document names
		{[]string{"--fetch", "https://169.254.169.254/latest/meta-data/", "--allow-private"}, "jwkdesk: jwks: refused to fetch from 169.254.169.254, a link-local address"},
		{[]string{"--fetch", "https://alice:s3cret@[fe80::1]/", "--allow-private"}, "refused to fetch from fe80::1, a link-local address"},
		{[]string{"--issuer", srv.URL + "/?tenant=x"}, "an issuer URL has no query and no fragment (OpenID Connect Discovery §4)"},
	}
	for _, c := range cases {
		_, errOut, code := run(t, "", append([]string{"jwks", "--timeout", "2s"}, c.args...)...)
		if code != ExitUsage || !strings.Contains(errOut, c.want) || strings.Contains(errOut, "s3cret") {
			t.Errorf("%v: exit %d, stderr %q; want %q", c.args, code, errOut, c.want)
		}
	}
}

// TestInspectJWKSSkipsUnknownKty_RFC7517_5: inspect --jwks uses the keys it
// can read and says which it skipped.
func TestInspectJWKSSkipsUnknownKty_RFC7517_5(t *testing.T) {
	dir := t.TempDir()
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "good"})
	pub, _ := json.Marshal(g.Public)
	file := writeFileIn(t, dir, "set.json", []byte(`{"keys":[{"kty":"AKP","kid":"pq","pub":"AAAA"},`+string(pub)+`]}`))
	tok, err := token.Sign(g.Private, []byte(`{"sub":"x"}`), "good")
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "", "inspect", tok, "--jwks", file)
	if code != ExitOK || !strings.Contains(errOut, `jwkdesk: warning: --jwks `+file+`: skipped key 1 (kid "pq"): unknown key type "AKP"`) {
		t.Errorf("exit %d\n%s\n%s", code, errOut, out)
	}
}

func b64(b []byte) string {
	s, _ := json.Marshal(b) // standard base64
	r := strings.NewReplacer("+", "-", "/", "_", "=", "", `"`, "")
	return r.Replace(string(s))
}
