package cli

import (
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func parseFixture(name string) string {
	return filepath.Join("..", "convert", "keys", "testdata", "parse", name)
}

func TestConvertCommand(t *testing.T) {
	pass := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(pass, []byte("correct-horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args   []string
		check  func(t *testing.T, out string)
		stderr string
	}{
		{[]string{parseFixture("rsa-pkcs1.pem")}, wantJWK("RSA", true, ""), "found: PKCS#1 RSA private key, 2048 bits"},
		{[]string{parseFixture("rsa-pkcs1.pem"), "--public", "--kid", "r1", "--alg", "PS256"}, wantJWK("RSA", false, "r1"), ""},
		{[]string{parseFixture("ec-p384-encrypted-pbkdf2.pem"), "--passphrase-file", pass}, wantJWK("EC", true, ""), "decrypted"},
		{[]string{parseFixture("chain.pem")}, func(t *testing.T, out string) {
			var m map[string]any
			_ = json.Unmarshal([]byte(out), &m)
			if x5c, _ := m["x5c"].([]any); len(x5c) != 2 {
				t.Errorf("x5c %v", m["x5c"])
			}
		}, "X.509 certificate, CN=auth.example.com"},
		{[]string{parseFixture("ed25519-pkcs8.pem"), "--to", "pem", "--public"}, wantPEM("PUBLIC KEY"), ""},
		{[]string{parseFixture("ec-p521-pkcs8.pem"), "--to", "pem", "--pem-format", "sec1"}, wantPEM("EC PRIVATE KEY"), ""},
		{[]string{parseFixture("rsa-pkcs1.der"), "--to", "jwks", "--public"}, func(t *testing.T, out string) {
			if !strings.Contains(out, `"keys"`) || strings.Contains(out, `"d"`) {
				t.Errorf("public JWKS: %s", out)
			}
		}, ""},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			out, errOut, code := run(t, "", append([]string{"convert"}, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			c.check(t, out)
			if !strings.Contains(errOut, c.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, c.stderr)
			}
		})
	}
	// A JWKS on stdin converts to one PEM per key with its kid.
	set, _, _ := run(t, "", "convert", parseFixture("chain.pem"), "--to", "jwks", "--kid", "leaf")
	out, errOut, code := run(t, set, "convert", "-", "--to", "pem")
	if code != 0 || !strings.Contains(out, "# kid: leaf") {
		t.Errorf("JWKS → PEM: %d %q %s", code, out, errOut)
	}
}

func wantJWK(kty string, private bool, kid string) func(t *testing.T, out string) {
	return func(t *testing.T, out string) {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatalf("not JSON: %s", out)
		}
		_, hasD := m["d"]
		if m["kty"] != kty || hasD != private {
			t.Errorf("JWK %v", m)
		}
		if kid != "" && m["kid"] != kid {
			t.Errorf("kid %v", m["kid"])
		}
		if kid == "" && m["kid"] == nil {
			t.Error("no kid (want the thumbprint)")
		}
	}
}

func wantPEM(typ string) func(t *testing.T, out string) {
	return func(t *testing.T, out string) {
		t.Helper()
		block, _ := pem.Decode([]byte(out))
		if block == nil || block.Type != typ {
			t.Errorf("PEM %q", out)
		}
	}
}

func TestConvertErrors(t *testing.T) {
	cases := []struct {
		args []string
		in   string
		want string
	}{
		{[]string{parseFixture("ec-p384-encrypted-pbkdf2.pem")}, "", "give its passphrase with --passphrase-file"},
		{[]string{parseFixture("csr.pem")}, "", "certificate signing request"},
		{[]string{"-"}, "garbage", "not a key"},
		{[]string{parseFixture("rsa-pkcs1.pem"), "--alg", "ES256"}, "", "does not fit RSA 2048"},
		{[]string{parseFixture("rsa-pkcs1.pem"), "--to", "xml"}, "", "--to must be jwk, jwks or pem"},
		{[]string{parseFixture("rsa-pkcs1.pem"), "--pem-format", "sec1"}, "", "--pem-format needs --to pem"},
		{[]string{parseFixture("chain.pem"), "--to", "jwk"}, "", ""},
	}
	for _, c := range cases {
		_, errOut, code := run(t, c.in, append([]string{"convert"}, c.args...)...)
		if c.want == "" {
			if code != 0 {
				t.Errorf("%v: exit %d %s", c.args, code, errOut)
			}
			continue
		}
		if code != ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errOut, c.want)
		}
	}
}
