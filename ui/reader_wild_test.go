package ui

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jwkdesk/jwkdesk/cli"
)

func wildUIFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "convert", "keys", "testdata", "wild", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// cliConvert runs `jwkdesk convert - --public` on text: the public JWK (or
// JWKS) and, on failure, the engine's message.
func cliConvert(t *testing.T, in string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run([]string{"convert", "-", "--public"}, cli.Env{Stdin: strings.NewReader(in), Stdout: &out, Stderr: &errOut})
	if code != cli.ExitOK {
		return "", strings.TrimSuffix(strings.TrimPrefix(errOut.String(), "jwkdesk: convert: standard input: "), "\n")
	}
	return out.String(), ""
}

func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var ma, mb any
	if json.Unmarshal([]byte(a), &ma) != nil || json.Unmarshal([]byte(b), &mb) != nil {
		return false
	}
	ja, _ := json.Marshal(ma)
	jb, _ := json.Marshal(mb)
	return string(ja) == string(jb)
}

// The PEM / JWK tab agrees with `jwkdesk convert` on each kind of input
// from the wild (issue 16, items 4–8 and 10): the same public JWK, or the
// same message under the input, and the notes shown.
func TestPEMTabAgreesWithCLIOnWildInputs(t *testing.T) {
	_, _, p := pemWindow(t)
	spki := pemFixture(t, "ec-p256-spki.pem")
	lines := strings.Split(strings.TrimSpace(spki), "\n")
	rsaOut, _ := cliConvert(t, pemFixture(t, "rsa-spki.pem"))
	var rsa map[string]any
	_ = json.Unmarshal([]byte(rsaOut), &rsa)
	n, _ := base64.RawURLEncoding.DecodeString(rsa["n"].(string))
	delete(rsa, "kid")
	rsa["n"] = base64.RawURLEncoding.EncodeToString(append([]byte{0}, n...))
	nonCanonical, _ := json.Marshal(rsa)
	a, b := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32)), ed25519.NewKeyFromSeed(bytes.Repeat([]byte{2}, 32))
	seed, _ := asn1.Marshal(a.Seed())
	v2, _ := asn1.Marshal(struct {
		Version    int
		Algo       pkix.AlgorithmIdentifier
		PrivateKey []byte
		PublicKey  asn1.BitString `asn1:"optional,tag:1"`
	}{1, pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 3, 101, 112}}, seed, asn1.BitString{Bytes: b.Public().(ed25519.PublicKey), BitLength: 256}})
	cases := []struct {
		name, in string
		found    string // in the found list ("" for an error)
		note     string // in the warnings, or in the error
	}{
		{"16.4 RFC 7518 §6.3.1.1 n with a leading zero", string(nonCanonical), "JWK (RSA 2048, public)", "n has a leading zero octet (257 octets): non-canonical per RFC 7518 §6.3.1.1; AWS STS and others reject it; written canonically"},
		{"16.5 RFC 7515 §2 standard base64 and padding", `{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x/FEzRu9m36HLN/tue659LNpXW6pCyStikYjKIWI5a0="}`, "JWK (EC P-256, public)", `y is in standard base64 ("+", "/")`},
		{"16.5 RFC 7515 §2 mixed alphabets refused", `{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x/FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`, "", `Member "y" mixes base64url`},
		{"16.6 RFC 4055 RSASSA-PSS SPKI", wildUIFixture(t, "rsa-pss-sha256-spki.pem"), "SPKI public key, RSA 2048 bits (RSASSA-PSS, PS256)", "restricted to PSS with SHA-256: alg PS256"},
		{"16.6 RFC 4055 RSASSA-PSS certificate", wildUIFixture(t, "rsa-pss-sha384-cert.pem"), "X.509 certificate, CN=pss.example", "alg PS384"},
		{"16.6 RFC 5480 explicit P-384 SEC1", wildUIFixture(t, "ec-p384-explicit-sec1.pem"), "SEC1 EC private key, EC P-384", "the curve was given by explicit parameters"},
		{"16.6 SEC 1 compressed point", wildUIFixture(t, "ec-p256-compressed-spki.pem"), "SPKI public key, EC P-256", ""},
		{"16.6 RFC 4716 SSH2 public key", wildUIFixture(t, "ssh2-rsa.pub"), "SSH2 public key (RFC 4716), ssh-rsa", ""},
		{"16.6 RFC 8410 Ed448 named", wildUIFixture(t, "ed448-pkcs8.pem"), "", "Ed448 keys are not supported by the JOSE libraries JWK Desk uses"},
		{"16.6 damaged stays damaged", strings.Replace(spki, lines[1], lines[1][:20], 1), "", "is cut short"},
		{"16.7 RFC 7468 §3 indented with tabs and spaces", "\t" + strings.Join(lines, "\n  \t") + "  \n", "SPKI public key, EC P-256", ""},
		{"16.7 PEM on one line", strings.Join(lines, " "), "SPKI public key, EC P-256", "a BEGIN or END line shared its line"},
		{"16.7 END of another label", strings.Replace(spki, "END PUBLIC KEY", "END PRIVATE KEY", 1), "", "but ends with -----END PRIVATE KEY-----: make the two labels the same"},
		{"16.8 RFC 5958 PKCS#8 v2 with another key's public key", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: v2})), "", "does not belong to the public key stored with it"},
		{"16.8 RFC 5280 key and another key's certificate", pemFixture(t, "rsa-pkcs1.pem") + pemFixture(t, "leaf.pem"), "", "does not belong to the certificate pasted with it"},
		{"16.8 RFC 5280 key with its certificate", pemFixture(t, "leaf.key") + pemFixture(t, "leaf.pem"), "with its X.509 certificate, CN=auth.example.com", ""},
		{"16.10 unregistered alg named", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","alg":"ES521"}`, "", `Alg "ES521" is not a registered JOSE algorithm`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			convertWait(t, p, func() { p.input.SetText(c.in) })
			want, cliErr := cliConvert(t, c.in)
			if c.found == "" {
				if !p.inputErr.Visible() || p.inputErr.Text != sentence(cliErr) || !strings.Contains(p.inputErr.Text, c.note) {
					t.Errorf("tab %q\ncli %q\nwant %q", p.inputErr.Text, cliErr, c.note)
				}
				if p.pubJWK.content != "" {
					t.Error("a result is shown")
				}
				return
			}
			if p.inputErr.Visible() || !strings.Contains(p.found.Text, c.found) {
				t.Fatalf("found %q, error %q", p.found.Text, p.inputErr.Text)
			}
			if c.note != "" && (!p.warnings.Visible() || !strings.Contains(p.warnings.Text, c.note)) {
				t.Errorf("warnings %q lack %q", p.warnings.Text, c.note)
			}
			if !sameJSON(t, p.pubJWK.content, want) {
				t.Errorf("tab\n%s\ncli\n%s", p.pubJWK.content, want)
			}
			if p.input.Text != c.in {
				t.Error("the input was changed")
			}
		})
	}
}
