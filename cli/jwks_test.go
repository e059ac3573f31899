package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

func writeFileIn(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func genFiles(t *testing.T) (dir string, ec, ed, oct *keys.Generated) {
	t.Helper()
	dir = t.TempDir()
	var err error
	if ec, err = keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "ec-1"}); err != nil {
		t.Fatal(err)
	}
	ed, _ = keys.Generate(keys.Spec{Kty: keys.KtyOKP})
	oct, _ = keys.Generate(keys.Spec{Kty: keys.KtyOct, KidStrategy: keys.KidCustom, CustomKid: "hmac"})
	priv, _ := keys.MarshalJWK(ec.Private)
	writeFileIn(t, dir, "ec.private.jwk.json", priv)
	set, _ := keys.MarshalPublicJWKS(ed.Public)
	writeFileIn(t, dir, "ed.jwks.json", set)
	pemOut, _ := keys.ExportPEM(ec.Private, keys.PEMSPKI, true)
	writeFileIn(t, dir, "ec.pub.pem", pemOut.PEM)
	octJWK, _ := keys.MarshalJWK(oct.Private)
	writeFileIn(t, dir, "oct.jwk.json", octJWK)
	return dir, ec, ed, oct
}

func publishedKids(t *testing.T, out string) []string {
	t.Helper()
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal([]byte(out), &set); err != nil {
		t.Fatalf("stdout is not a JWKS: %v\n%s", err, out)
	}
	var kids []string
	for _, k := range set.Keys {
		for _, m := range keys.PrivateMembers {
			if _, ok := k[m]; ok {
				t.Errorf("published key holds %q", m)
			}
		}
		kid, _ := k["kid"].(string)
		kids = append(kids, kid)
	}
	return kids
}

func TestJWKSCommandAssembles(t *testing.T) {
	dir, ec, ed, _ := genFiles(t)
	f := func(n string) string { return filepath.Join(dir, n) }
	out, errOut, code := run(t, "", "jwks", f("ec.private.jwk.json"), f("ed.jwks.json"), f("ec.pub.pem"), f("oct.jwk.json"))
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	kids := publishedKids(t, out)
	if strings.Join(kids, ",") != "ec-1,"+ed.Thumbprint.Value {
		t.Errorf("kids %v", kids)
	}
	for _, want := range []string{
		"note: " + f("ec.pub.pem") + ": key " + ec.Thumbprint.Value + " is already in the set (same thumbprint): kept once\n",
		`key 1 (kid "ec-1"): info: holds private members: they are stripped from the public JWKS`,
		`key 3 (kid "hmac"): error: an oct key is a shared secret`,
		"jwkdesk: 2 keys published; private members stripped from 1 key; 1 oct secret left out; lint: 1 error, 1 note\n",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	// Standard input when no file is given.
	set, _ := os.ReadFile(f("ed.jwks.json"))
	out, _, code = run(t, string(set), "jwks")
	if code != ExitOK || len(publishedKids(t, out)) != 1 {
		t.Errorf("stdin: exit %d %s", code, out)
	}
}

func TestJWKSCommandFailures(t *testing.T) {
	dir, ec, _, _ := genFiles(t)
	other, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "ec-1"})
	otherJWK, _ := keys.MarshalPublicJWK(other.Private)
	dupe := writeFileIn(t, dir, "other.jwk.json", otherJWK)
	pub, _ := json.Marshal(ec.Public)
	badSet := writeFileIn(t, dir, "bad.jwks.json", []byte(fmt.Sprintf(`{"keys":[%s,{"kty":"EC","crv":"P-256","x":"@","y":"@","kid":"broken"}]}`, pub)))
	big := writeFileIn(t, dir, "big.json", []byte(strings.Repeat(" ", 1<<20+1)))
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"duplicate kid", []string{filepath.Join(dir, "ec.private.jwk.json"), dupe}, `jwkdesk: jwks: 1 kid(s) shared by different keys of the same type (first: "ec-1"): give each key its own kid; nothing was written`},
		{"bad key in a set", []string{badSet}, `jwkdesk: jwks: ` + badSet + `: key 2 (kid "broken"): `},
		{"missing file", []string{filepath.Join(dir, "none.json")}, "no such file or directory"},
		{"over the cap", []string{big}, "big.json is over 1 MiB, the limit for keys, certificates and key sets"},
		{"not keys", []string{writeFileIn(t, dir, "text.txt", []byte("hello"))}, "jwkdesk: jwks: " + filepath.Join(dir, "text.txt") + ": not a key: paste a PEM key"},
		{"plain http", []string{"--fetch", "http://example.com/jwks"}, "refused to fetch http://example.com/jwks over plain http"},
		{"both fetches", []string{"--fetch", "https://a/", "--issuer", "https://b"}, "jwkdesk: jwks: give --fetch or --issuer, not both"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := run(t, "", append([]string{"jwks"}, c.args...)...)
			if code != ExitUsage || out != "" || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errOut, c.want)
			}
		})
	}
}

func TestJWKSCommandFetch(t *testing.T) {
	ec, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	set, _ := keys.MarshalPublicJWKS(ec.Public)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/jwks":
			w.Header().Set("Cache-Control", "max-age=60")
			_, _ = w.Write(set)
		case "/.well-known/openid-configuration":
			fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, srv.URL, srv.URL+"/jwks")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	for _, args := range [][]string{{"--fetch", srv.URL + "/jwks"}, {"--issuer", srv.URL}} {
		out, errOut, code := run(t, "", append([]string{"jwks"}, args...)...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		if kids := publishedKids(t, out); len(kids) != 1 || kids[0] != ec.Thumbprint.Value {
			t.Errorf("kids %v", kids)
		}
		if !strings.Contains(errOut, "jwkdesk: fetched "+srv.URL+"/jwks: HTTP 200 OK, Cache-Control: max-age=60, 1 key\n") {
			t.Errorf("stderr %q", errOut)
		}
	}
	_, errOut, code := run(t, "", "jwks", "--fetch", srv.URL+"/nothing")
	if code != ExitUsage || !strings.Contains(errOut, "answered HTTP 404 Not Found") {
		t.Errorf("404: %d %s", code, errOut)
	}
}
