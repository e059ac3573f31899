// Real Entra ID keys carry certificates with negative serials.
//
//go:debug x509negativeserial=1
package cli

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/assets"
)

func run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut})
	return out.String(), errOut.String(), code
}

func TestGenerateCommand(t *testing.T) {
	cases := []struct {
		args    []string
		kty     string
		alg     string
		private bool
	}{
		{[]string{"--kty", "RSA"}, "RSA", "RS256", true},
		{[]string{"--kty", "rsa", "--size", "3072", "--alg", "PS512", "--public"}, "RSA", "PS512", false},
		{[]string{"--kty", "EC", "--crv", "P-521", "--public"}, "EC", "ES512", false},
		{[]string{"--kty", "EC", "--crv", "secp256k1"}, "EC", "ES256K", true},
		{[]string{"--kty", "OKP", "--public"}, "OKP", "EdDSA", false},
		{[]string{"--kty", "OKP", "--crv", "X25519", "--use", "enc"}, "OKP", "ECDH-ES", true},
		{[]string{"--kty", "oct", "--size", "512"}, "oct", "HS512", true},
		{[]string{"--kty", "EC", "--use", "enc", "--alg", "ECDH-ES+A256KW"}, "EC", "ECDH-ES+A256KW", true},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			out, errOut, code := run(t, "", append([]string{"generate"}, c.args...)...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			key, err := jwk.ParseKey([]byte(out))
			if err != nil {
				t.Fatalf("output is not a JWK: %v\n%s", err, out)
			}
			alg, _ := key.Algorithm()
			if key.KeyType().String() != c.kty || alg.String() != c.alg {
				t.Errorf("kty %s alg %s", key.KeyType(), alg)
			}
			priv, _ := jwk.IsPrivateKey(key)
			if _, isOct := key.(jwk.SymmetricKey); isOct {
				priv = true
			}
			if priv != c.private {
				t.Errorf("private=%v, want %v", priv, c.private)
			}
		})
	}
}

func TestGenerateKidAndCert(t *testing.T) {
	out, _, code := run(t, "", "generate", "--kty", "EC", "--kid", "my-kid", "--cert", "--cn", "issuer.example", "--days", "7", "--public")
	if code != 0 {
		t.Fatal(code)
	}
	var m map[string]any
	_ = json.Unmarshal([]byte(out), &m)
	if m["kid"] != "my-kid" || m["x5c"] == nil || m["x5t#S256"] == nil {
		t.Errorf("got %v", m)
	}
	out, _, _ = run(t, "", "generate", "--kty", "oct", "--kid", "uuid")
	_ = json.Unmarshal([]byte(out), &m)
	if kid, _ := m["kid"].(string); len(kid) != 36 {
		t.Errorf("uuid kid %q", kid)
	}
	out, _, _ = run(t, "", "generate", "--kty", "EC", "--kid", "thumbprint")
	key, _ := jwk.ParseKey([]byte(out))
	tpOut, _, _ := run(t, out, "thumbprint")
	var tp map[string]string
	_ = json.Unmarshal([]byte(tpOut), &tp)
	if kid, _ := key.KeyID(); kid != tp["thumbprint"] {
		t.Errorf("thumbprint kid %q, thumbprint command %q", kid, tp["thumbprint"])
	}
}

func TestGeneratePEM(t *testing.T) {
	cases := []struct {
		args []string
		typ  string
	}{
		{[]string{"--kty", "RSA", "--pem"}, "PRIVATE KEY"},
		{[]string{"--kty", "RSA", "--pem", "--pem-format", "pkcs1"}, "RSA PRIVATE KEY"},
		{[]string{"--kty", "RSA", "--pem", "--pem-format", "pkcs1", "--public"}, "RSA PUBLIC KEY"},
		{[]string{"--kty", "EC", "--pem", "--pem-format", "sec1"}, "EC PRIVATE KEY"},
		{[]string{"--kty", "OKP", "--pem", "--public"}, "PUBLIC KEY"},
	}
	for _, c := range cases {
		out, errOut, code := run(t, "", append([]string{"generate"}, c.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", c.args, code, errOut)
		}
		block, _ := pem.Decode([]byte(out))
		if block == nil || block.Type != c.typ {
			t.Errorf("%v: got %q", c.args, out)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"generate"}, "--kty is required"},
		{[]string{"generate", "--kty", "RSA", "--size", "1024"}, "under 2048 bits"},
		{[]string{"generate", "--kty", "OKP", "--crv", "X25519"}, "choose Ed25519 for signatures"},
		{[]string{"generate", "--kty", "OKP", "--crv", "Ed25519", "--use", "enc"}, "choose X25519"},
		{[]string{"generate", "--kty", "EC", "--alg", "RS256"}, "does not fit"},
		{[]string{"generate", "--kty", "EC", "--pem-format", "sec1"}, "needs --pem"},
		{[]string{"generate", "--kty", "oct", "--pem"}, "no PEM form"},
		{[]string{"generate", "--bogus"}, "flag provided but not defined"},
		{[]string{"generate", "extra"}, "unexpected argument"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"thumbprint", "/does/not/exist.json"}, "no such file"},
	}
	for _, c := range cases {
		out, errOut, code := run(t, "", c.args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want 2", c.args, code)
		}
		if !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%v: stderr %q, want one line containing %q", c.args, errOut, c.want)
		}
		if out != "" {
			t.Errorf("%v: stdout %q on error", c.args, out)
		}
	}
	for _, in := range []string{"", "   ", "not json", `{"kty":"EC"}`} {
		_, errOut, code := run(t, in, "thumbprint")
		if code != ExitUsage || errOut == "" {
			t.Errorf("thumbprint %q: exit %d %q", in, code, errOut)
		}
	}
	if _, _, code := run(t, ""); code != ExitUsage {
		t.Error("no arguments to the CLI: want usage exit code")
	}
}

func TestHelpAndVersion(t *testing.T) {
	out, _, code := run(t, "", "--help")
	if code != 0 || !strings.Contains(out, "generate") || !strings.Contains(out, "thumbprint") {
		t.Errorf("--help: %d %q", code, out)
	}
	out, _, code = run(t, "", "--version")
	if code != 0 || out != "jwkdesk "+assets.Version+"\n" {
		t.Errorf("--version: %d %q", code, out)
	}
	out, _, code = run(t, "", "generate", "--help")
	if code != 0 || !strings.Contains(out, "-kty") {
		t.Errorf("generate --help: %d %q", code, out)
	}
}

func TestThumbprintVectors(t *testing.T) {
	cases := map[string]string{
		`{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}`: "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
		`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`: "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k",
	}
	for in, want := range cases {
		f := filepath.Join(t.TempDir(), "k.json")
		if err := os.WriteFile(f, []byte(in), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"thumbprint", f}, {"thumbprint", "-"}} {
			out, errOut, code := run(t, in, args...)
			if code != 0 {
				t.Fatalf("%v: %d %s", args, code, errOut)
			}
			var got map[string]string
			_ = json.Unmarshal([]byte(out), &got)
			if got["thumbprint"] != want || got["canonical_json"] == "" {
				t.Errorf("%v: %v, want %s", args, got, want)
			}
		}
	}
	// A JWKS gives one result per key.
	out, _, code := run(t, `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}`, "thumbprint")
	var list []map[string]string
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 2 {
		t.Errorf("JWKS thumbprints: %d %q", code, out)
	}
}
