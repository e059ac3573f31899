package cli

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func wildFixture(name string) string {
	return filepath.Join("..", "convert", "keys", "testdata", "wild", name)
}

func fileWith(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func readFixture(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// thumbprintsOf runs `thumbprint FILE` and returns the values in order.
func thumbprintsOf(t *testing.T, file string) []string {
	t.Helper()
	out, errOut, code := run(t, "", "thumbprint", file)
	if code != ExitOK {
		t.Fatalf("thumbprint: exit %d: %s", code, errOut)
	}
	var list []map[string]string
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		var one map[string]string
		if err := json.Unmarshal([]byte(out), &one); err != nil {
			t.Fatalf("thumbprint output: %s", out)
		}
		list = []map[string]string{one}
	}
	var tps []string
	for _, m := range list {
		tps = append(tps, m["thumbprint"])
	}
	return tps
}

// convertKids runs `convert FILE --to jwks --public` and returns the kids,
// which for kid-less keys are their RFC 7638 thumbprints.
func convertKids(t *testing.T, file string) []string {
	t.Helper()
	out, errOut, code := run(t, "", "convert", file, "--to", "jwks", "--public")
	if code != ExitOK {
		t.Fatalf("convert: exit %d: %s", code, errOut)
	}
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal([]byte(out), &set); err != nil {
		t.Fatalf("convert output: %s", out)
	}
	var kids []string
	for _, k := range set.Keys {
		kid, _ := k["kid"].(string)
		kids = append(kids, kid)
	}
	return kids
}

// 16.10: `thumbprint` reads what `convert` reads, through the same reader:
// every form gives the RFC 7638 thumbprint that convert gives as the kid.
func TestThumbprintReadsWhatConvertReadsRFC7638(t *testing.T) {
	spki := readFixture(t, parseFixture("ec-p256-spki.pem"))
	lines := strings.Split(strings.TrimSpace(string(spki)), "\n")
	block, _ := pem.Decode(spki)
	rsaJWK, _, _ := run(t, "", "convert", parseFixture("rsa-spki.pem"), "--public", "--kid", "x")
	var m map[string]any
	_ = json.Unmarshal([]byte(rsaJWK), &m)
	delete(m, "kid")
	n, _ := base64.RawURLEncoding.DecodeString(m["n"].(string))
	m["n"] = base64.RawURLEncoding.EncodeToString(append([]byte{0}, n...)) // RFC 7518 §6.3.1.1: non-canonical
	nonCanonical, _ := json.Marshal(m)
	files := map[string]string{
		"SPKI RSA":                        parseFixture("rsa-spki.pem"),
		"PKCS#1 RSA private":              parseFixture("rsa-pkcs1.pem"),
		"PKCS#1 RSA public":               parseFixture("rsa-pkcs1-public.pem"),
		"PKCS#8 EC P-384":                 parseFixture("ec-p384-pkcs8.pem"),
		"SEC1 secp256k1":                  parseFixture("secp256k1-sec1.pem"),
		"SPKI Ed25519":                    parseFixture("ed25519-spki.pem"),
		"PKCS#8 X25519":                   parseFixture("x25519-pkcs8.pem"),
		"certificate":                     parseFixture("leaf.pem"),
		"certificate chain":               parseFixture("chain.pem"),
		"DER PKCS#1":                      parseFixture("rsa-pkcs1.der"),
		"DER SPKI":                        parseFixture("ec-p384-spki.der"),
		"RFC 4055 RSASSA-PSS SPKI":        wildFixture("rsa-pss-sha256-spki.pem"),
		"RFC 4055 RSASSA-PSS certificate": wildFixture("rsa-pss-sha384-cert.pem"),
		"RFC 4055 RSASSA-PSS DER":         wildFixture("rsa-pss-sha256-pkcs8.der"),
		"RFC 5480 explicit P-521 PKCS#8":  wildFixture("ec-p521-explicit-pkcs8.pem"),
		"SEC 1 compressed point":          wildFixture("ec-p256-compressed-spki.pem"),
		"RFC 4716 SSH2 public key":        wildFixture("ssh2-ed25519.pub"),
		"openssl TRUSTED CERTIFICATE":     wildFixture("leaf-trusted.pem"),
		"RFC 7468 §3 indented PEM":        fileWith(t, "indented.pem", []byte("  "+strings.Join(lines, "\n\t  ")+"  \n")),
		"PEM on one line":                 fileWith(t, "one.pem", []byte(strings.Join(lines, " "))),
		"base64 DER":                      fileWith(t, "b64.txt", []byte(base64.StdEncoding.EncodeToString(block.Bytes))),
		"RFC 7518 §6.3.1.1 leading zero":  fileWith(t, "n.json", nonCanonical),
		"RFC 7515 §2 standard base64 EC":  fileWith(t, "std.json", []byte(`{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x/FEzRu9m36HLN/tue659LNpXW6pCyStikYjKIWI5a0="}`)),
		"JWKS of two":                     fileWith(t, "set.json", []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}`)),
	}
	for name, file := range files {
		t.Run(name, func(t *testing.T) {
			kids, tps := convertKids(t, file), thumbprintsOf(t, file)
			if strings.Join(kids, ",") != strings.Join(tps, ",") || len(tps) == 0 {
				t.Errorf("convert kids %v, thumbprints %v", kids, tps)
			}
		})
	}
	// The same warnings as convert, on stderr.
	_, errOut, _ := run(t, "", "thumbprint", files["RFC 7518 §6.3.1.1 leading zero"])
	if !strings.Contains(errOut, "warning: n has a leading zero octet (257 octets): non-canonical per RFC 7518 §6.3.1.1") {
		t.Errorf("stderr %q", errOut)
	}
}

// 16.10 and 16.8: what convert refuses, thumbprint refuses with the same
// message (a private part of another key, a key JOSE cannot use, damage).
func TestThumbprintAndConvertRefuseAlike(t *testing.T) {
	a, b := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32)), ed25519.NewKeyFromSeed(bytes.Repeat([]byte{2}, 32))
	seed, _ := asn1.Marshal(a.Seed())
	v2, err := asn1.Marshal(struct {
		Version    int
		Algo       pkix.AlgorithmIdentifier
		PrivateKey []byte
		PublicKey  asn1.BitString `asn1:"optional,tag:1"`
	}{1, pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 3, 101, 112}}, seed, asn1.BitString{Bytes: b.Public().(ed25519.PublicKey), BitLength: 256}})
	if err != nil {
		t.Fatal(err)
	}
	spki := readFixture(t, parseFixture("rsa-spki.pem"))
	cases := map[string]struct {
		in   []byte
		want string
	}{
		"RFC 5958 PKCS#8 v2 with another key's public key": {pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: v2}), "does not belong to the public key stored with it"},
		"RFC 7518 §6.2.2.1 JWK d of another key":           {[]byte(`{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAc"}`), `"d" gives another point than "x"/"y"`},
		"RFC 5280 private key with another certificate":    {append(readFixture(t, parseFixture("rsa-pkcs1.pem")), readFixture(t, parseFixture("leaf.pem"))...), "does not belong to the certificate pasted with it"},
		"RFC 8410 Ed448":                 {readFixture(t, wildFixture("ed448-spki.pem")), "Ed448 keys are not supported"},
		"RFC 7468 damaged PEM":           {bytes.Replace(spki, []byte("MII"), []byte("MIA"), 1), "PEM block 1 (PUBLIC KEY)"},
		"RFC 7517 §4.4 unregistered alg": {[]byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","alg":"ES521"}`), `alg "ES521" is not a registered JOSE algorithm`},
		"RFC 8259 not JSON":              {[]byte(`{"kty":"OKP",`), "not valid JSON (the text ends before the JSON does)"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f := fileWith(t, "in", c.in)
			outC, errC, codeC := run(t, "", "convert", f)
			outT, errT, codeT := run(t, "", "thumbprint", f)
			if codeC != ExitUsage || codeT != ExitUsage || outC != "" || outT != "" {
				t.Fatalf("exits %d %d", codeC, codeT)
			}
			msgC := strings.TrimPrefix(errC, "jwkdesk: convert: ")
			msgT := strings.TrimPrefix(errT, "jwkdesk: thumbprint: ")
			if msgC != msgT || !strings.Contains(msgT, c.want) {
				t.Errorf("convert: %s\nthumbprint: %s\nwant %q", errC, errT, c.want)
			}
			if strings.Contains(errT, "failed to") || strings.Contains(errT, "jwk.") {
				t.Errorf("library text: %s", errT)
			}
		})
	}
	// PEM text, which the old thumbprint handed to jwk.Parse ("failed to probe data").
	if tps := thumbprintsOf(t, parseFixture("rsa-spki.pem")); len(tps) != 1 {
		t.Error(tps)
	}
	// An encrypted key: the passphrase belongs to convert, which says so.
	_, errOut, code := run(t, "", "thumbprint", parseFixture("ec-p384-encrypted-pbkdf2.pem"))
	if code != ExitUsage || !strings.Contains(errOut, "jwkdesk convert") || !strings.Contains(errOut, "--public | jwkdesk thumbprint") {
		t.Errorf("encrypted: %d %s", code, errOut)
	}
}

// 22.1: a secret is never printed as a thumbprint: exit 2, nothing on
// stdout, and neither the secret nor its hash on stderr.
func TestThumbprintRFC7638RefusesSecrets(t *testing.T) {
	const k = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow" // RFC 7515 A.1
	canonical := `{"k":"` + k + `","kty":"oct"}`
	sum := sha256.Sum256([]byte(canonical))
	hash := base64.RawURLEncoding.EncodeToString(sum[:])
	for name, in := range map[string]string{
		"oct JWK":               `{"kty":"oct","k":"` + k + `"}`,
		"oct JWK with kid":      `{"kty":"oct","kid":"hs","k":"` + k + `"}`,
		"oct among public keys": `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},{"kty":"oct","kid":"hs","k":"` + k + `"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			for _, args := range [][]string{{"thumbprint"}, {"thumbprint", fileWith(t, "k.json", []byte(in))}} {
				out, errOut, code := run(t, in, args...)
				if code != ExitUsage || out != "" {
					t.Fatalf("exit %d, stdout %q", code, out)
				}
				if !strings.Contains(errOut, "an oct key is a shared secret") {
					t.Errorf("stderr %q", errOut)
				}
				if strings.Contains(errOut, k) || strings.Contains(errOut, hash) || strings.Contains(errOut, "canonical_json") {
					t.Errorf("secret material on stderr: %q", errOut)
				}
			}
		})
	}
	_, errOut, _ := run(t, `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},{"kty":"oct","kid":"hs","k":"`+k+`"}]}`, "thumbprint")
	if !strings.Contains(errOut, `key 2 (kid "hs")`) {
		t.Errorf("the oct key is not named: %q", errOut)
	}
	// convert still converts it: a private output, not a thumbprint.
	if out, _, code := run(t, `{"kty":"oct","k":"`+k+`"}`, "convert"); code != ExitOK || !strings.Contains(out, k) {
		t.Errorf("convert of an oct JWK: %d", code)
	}
}
