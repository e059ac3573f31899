package keys

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"
	"golang.org/x/crypto/ssh"

	"github.com/jwkdesk/jwkdesk/convert/input"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "parse", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// referenceJWK converts the first key block of a PEM file with crypto/x509
// and jwk.Import directly: the JWK the parser must reproduce.
func referenceJWK(t *testing.T, pemBytes []byte) jwk.Key {
	t.Helper()
	rest := pemBytes
	for {
		block, r := pem.Decode(rest)
		if block == nil {
			t.Fatal("no key block")
		}
		rest = r
		var raw any
		var err error
		switch block.Type {
		case "EC PARAMETERS":
			continue
		case "PUBLIC KEY":
			if raw, err = x509.ParsePKIXPublicKey(block.Bytes); err != nil {
				raw, err = ParseSecp256k1DER(block.Bytes)
			}
		case "RSA PUBLIC KEY":
			raw, err = x509.ParsePKCS1PublicKey(block.Bytes)
		case "RSA PRIVATE KEY":
			raw, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			if raw, err = x509.ParseECPrivateKey(block.Bytes); err != nil {
				raw, err = ParseSecp256k1DER(block.Bytes)
			}
		case "PRIVATE KEY":
			if raw, err = x509.ParsePKCS8PrivateKey(block.Bytes); err != nil {
				raw, err = ParseSecp256k1DER(block.Bytes)
			}
		case "CERTIFICATE":
			var c *x509.Certificate
			if c, err = x509.ParseCertificate(block.Bytes); err == nil {
				raw = c.PublicKey
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		k, err := jwk.Import(raw)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
}

// members is a key's JSON members without the ones the parser adds.
func members(t *testing.T, k jwk.Key) map[string]any {
	t.Helper()
	b, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for _, add := range []string{"kid", "x5c", "x5t", "x5t#S256"} {
		delete(m, add)
	}
	return m
}

func TestParseEveryFlavour(t *testing.T) {
	cases := []struct {
		file, label string
		private     bool
		ref         string // file holding the same key in plain PEM ("" = the file itself)
		pass        string
	}{
		{"rsa-pkcs1.pem", "PKCS#1 RSA private key, 2048 bits", true, "", ""},
		{"rsa-pkcs8.pem", "PKCS#8 private key, RSA 2048 bits", true, "", ""},
		{"rsa-spki.pem", "SPKI public key, RSA 2048 bits", false, "", ""},
		{"rsa-pkcs1-public.pem", "PKCS#1 RSA public key, 2048 bits", false, "", ""},
		{"ec-p256-sec1-params.pem", "SEC1 EC private key, EC P-256", true, "", ""},
		{"ec-p256-spki.pem", "SPKI public key, EC P-256", false, "", ""},
		{"ec-p384-pkcs8.pem", "PKCS#8 private key, EC P-384", true, "", ""},
		{"ec-p384-spki.pem", "SPKI public key, EC P-384", false, "", ""},
		{"ec-p521-pkcs8.pem", "PKCS#8 private key, EC P-521", true, "", ""},
		{"ec-p521-sec1.pem", "SEC1 EC private key, EC P-521", true, "", ""},
		{"secp256k1-sec1.pem", "SEC1 EC private key, EC secp256k1", true, "", ""},
		{"secp256k1-pkcs8.pem", "PKCS#8 private key, EC secp256k1", true, "", ""},
		{"secp256k1-spki.pem", "SPKI public key, EC secp256k1", false, "", ""},
		{"ed25519-pkcs8.pem", "PKCS#8 private key, Ed25519", true, "", ""},
		{"ed25519-spki.pem", "SPKI public key, Ed25519", false, "", ""},
		{"x25519-pkcs8.pem", "PKCS#8 private key, X25519", true, "", ""},
		{"x25519-spki.pem", "SPKI public key, X25519", false, "", ""},
		{"ec-p384-encrypted-pbkdf2.pem", "encrypted PKCS#8 private key (decrypted), EC P-384", true, "ec-p384-pkcs8.pem", "correct-horse"},
		{"ed25519-encrypted-scrypt.pem", "encrypted PKCS#8 private key (decrypted), Ed25519", true, "ed25519-pkcs8.pem", "correct-horse"},
		{"rsa-pkcs1-legacy-encrypted.pem", "PKCS#1 RSA private key (decrypted), 2048 bits", true, "rsa-pkcs1.pem", "correct-horse"},
		{"leaf.pem", "X.509 certificate, CN=auth.example.com, valid until", false, "", ""},
		{"rsa-pkcs1.der", "PKCS#1 RSA private key (DER (binary)), 2048 bits", true, "rsa-pkcs1.pem", ""},
		{"ec-p384-spki.der", "SPKI public key (DER (binary)), EC P-384", false, "ec-p384-spki.pem", ""},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			res, err := Parse(fixture(t, c.file), ParseOptions{Passphrase: []byte(c.pass)})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Items) != 1 {
				t.Fatalf("%d items", len(res.Items))
			}
			it := res.Items[0]
			if !strings.HasPrefix(it.Label, c.label) {
				t.Errorf("label %q, want %q", it.Label, c.label)
			}
			if IsPrivate(it.Key) != c.private {
				t.Errorf("private = %v", IsPrivate(it.Key))
			}
			ref := c.file
			if c.ref != "" {
				ref = c.ref
			}
			want := members(t, referenceJWK(t, fixture(t, ref)))
			if got := members(t, it.Key); !jsonEqual(got, want) {
				t.Errorf("members differ from crypto/x509 + jwk.Import:\n got %v\nwant %v", got, want)
			}
			// Round trip: JWK → PEM → JWK is identical.
			formats := PEMFormatsFor(it.Key, !c.private)
			out, err := ExportPEM(it.Key, formats[0], !c.private)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse(out.PEM, ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := members(t, back.Items[0].Key); !jsonEqual(got, members(t, it.Key)) {
				t.Errorf("JWK → PEM → JWK differs")
			}
		})
	}
}

func jsonEqual(a, b map[string]any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func TestParseCertificateChain(t *testing.T) {
	res, err := Parse(fixture(t, "chain.pem"), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 1 || res.Items[0].Kind != ItemCertificate || !strings.Contains(res.Items[0].Label, "(chain of 2)") {
		t.Fatalf("items %+v", res.Items)
	}
	k := res.Items[0].Key
	chain, ok := k.X509CertChain()
	if !ok || chain.Len() != 2 {
		t.Fatal("x5c is not the two certificates")
	}
	leaf, _ := pem.Decode(fixture(t, "leaf.pem"))
	first, _ := chain.Get(0)
	if string(first) != b64std(leaf.Bytes) {
		t.Error("x5c[0] is not the leaf")
	}
	for _, m := range []string{"x5t", "x5t#S256"} {
		if !k.Has(m) {
			t.Errorf("no %s", m)
		}
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings %v", res.Warnings)
	}
	// Unrelated certificates (CA first, then the leaf: the leaf did not
	// issue the CA) are two keys.
	two := append(fixture(t, "ca.pem"), fixture(t, "leaf.pem")...)
	res, err = Parse(two, ParseOptions{})
	if err != nil || len(res.Items) != 2 {
		t.Fatalf("unrelated certificates: %v %d", err, len(res.Items))
	}
}

func b64std(b []byte) string {
	out, _ := json.Marshal(b) // encoding/json writes []byte as standard base64
	return strings.Trim(string(out), `"`)
}

func TestParseSeveralBlocksAndJSON(t *testing.T) {
	mixed := append(append(fixture(t, "rsa-spki.pem"), fixture(t, "ed25519-spki.pem")...), []byte("trailing words\n")...)
	res, err := Parse(mixed, ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 2 || res.Summary != "PEM, 2 blocks" {
		t.Errorf("%s %d items", res.Summary, len(res.Items))
	}
	if !strings.Contains(strings.Join(res.Warnings, "|"), "Text after the END line was ignored") {
		t.Errorf("warnings %v", res.Warnings)
	}
	keys, _ := ParseKeys(mixed)
	set, _ := MarshalPublicJWKS(keys...)
	res, err = Parse(set, ParseOptions{})
	if err != nil || res.Summary != "JWKS, 2 keys" || !strings.HasPrefix(res.Items[1].Label, "JWKS key (OKP Ed25519, public)") {
		t.Fatalf("JWKS: %v %+v", err, res)
	}
	one, _ := MarshalJWK(keys[0])
	res, err = Parse(one, ParseOptions{})
	if err != nil || res.Summary != "JWK" || res.Items[0].Label != "JWK (RSA 2048, public)" {
		t.Fatalf("JWK: %v %+v", err, res)
	}
	crlf := strings.ReplaceAll(string(fixture(t, "ec-p256-spki.pem")), "\n", "\r\n")
	if _, err := Parse([]byte("\ufeff  "+crlf), ParseOptions{}); err != nil {
		t.Errorf("BOM + CRLF + leading spaces: %v", err)
	}
	pub, _, _ := ed25519.GenerateKey(nil)
	sshPub, _ := ssh.NewPublicKey(pub)
	res, err = Parse(ssh.MarshalAuthorizedKey(sshPub), ParseOptions{})
	if err != nil || !strings.HasPrefix(res.Items[0].Label, "OpenSSH public key, ssh-ed25519, Ed25519") {
		t.Fatalf("OpenSSH: %v %+v", err, res)
	}
}

func TestParseErrors(t *testing.T) {
	enc := fixture(t, "ec-p384-encrypted-pbkdf2.pem")
	cases := []struct {
		name  string
		in    []byte
		pass  string
		want  string
		isErr error
	}{
		{"encrypted, no passphrase", enc, "", "this is an encrypted PKCS#8 private key", ErrNeedsPassphrase},
		{"encrypted, wrong passphrase", enc, "nope", "passphrase does not decrypt", ErrWrongPassphrase},
		{"legacy, no passphrase", fixture(t, "rsa-pkcs1-legacy-encrypted.pem"), "", "PKCS#1 RSA private key protected by a passphrase", ErrNeedsPassphrase},
		{"legacy, wrong passphrase", fixture(t, "rsa-pkcs1-legacy-encrypted.pem"), "nope", "passphrase does not decrypt", ErrWrongPassphrase},
		{"csr", fixture(t, "csr.pem"), "", "certificate signing request (CSR), not a key", nil},
		{"dsa", fixture(t, "dsa.pem"), "", "unknown PEM type `DSA PRIVATE KEY`: DSA keys cannot be used with JOSE", nil},
		{"unknown type", []byte("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n"), "", "unknown PEM type `FOO`", nil},
		{"no END", []byte("-----BEGIN PUBLIC KEY-----\nMIIB\n"), "", "without a matching END line", nil},
		{"empty", []byte("  \n"), "", "nothing to read", nil},
		{"garbage", []byte("hello there"), "", "not a key: paste a PEM key", nil},
		{"json", []byte(`{"a":1}`), "", "neither a JWK", nil},
		{"jwt", []byte("eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UifQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6"), "", "", nil},
		{"binary garbage", []byte{0x30, 0x82, 0x01, 0x00, 0xff}, "", "DER (binary) that is no key", nil},
		{"too big", make([]byte, input.MaxKeyInput+1), "", "over the 1024 KiB limit", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Parse(c.in, ParseOptions{Passphrase: []byte(c.pass)})
			if c.want == "" {
				if err != nil || res.Items[0].Kind != ItemToken {
					t.Fatalf("token: %v", err)
				}
				if _, err := ParseKeys(c.in); err == nil || !strings.Contains(err.Error(), "this is a JWT (a signed token, not a key)") {
					t.Errorf("ParseKeys on a token: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if c.isErr != nil && !errors.Is(err, c.isErr) {
				t.Errorf("not errors.Is %v", c.isErr)
			}
		})
	}
}

func TestParseRefusesHostileKDFAndWeakRSA(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not on this machine")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "k.pem")
	// Just over the cap (kdf_caps.go) for openssl's HMAC-SHA1 with a 32-byte
	// key: two blocks per iteration. (20,000,000 iterations kept openssl busy
	// for 25 s; what the caps refuse is in kdf_caps_test.go.)
	cmd := exec.Command("openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA1", "-iter", "1000000", "-passout", "pass:x",
		"-in", filepath.Join("testdata", "parse", "ed25519-pkcs8.pem"), "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("openssl: %v %s", err, b)
	}
	b, _ := os.ReadFile(out)
	if _, err := Parse(b, ParseOptions{Passphrase: []byte("x")}); err == nil || !strings.Contains(err.Error(), "1000000 PBKDF2 iterations (HMAC-SHA1, each for 2 blocks of a 32-byte key)") {
		t.Errorf("hostile iteration count: %v", err)
	}
	weak := filepath.Join(dir, "weak.pem")
	if b, err := exec.Command("openssl", "genrsa", "-out", weak, "512").CombinedOutput(); err != nil {
		t.Fatalf("openssl: %v %s", err, b)
	}
	b, _ = os.ReadFile(weak)
	if _, err := Parse(b, ParseOptions{}); err == nil || !strings.Contains(err.Error(), "512 bits is refused") {
		t.Errorf("512-bit RSA: %v", err)
	}
}

func TestApplyKeyOptionsAndBundle(t *testing.T) {
	res, _ := Parse(fixture(t, "ec-p256-spki.pem"), ParseOptions{})
	k := res.Items[0].Key
	got, err := ApplyKeyOptions(k, KeyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tp, _ := ThumbprintOf(k)
	if kid, _ := got.KeyID(); kid != tp {
		t.Errorf("default kid %q, want the thumbprint", kid)
	}
	if k.Has("kid") {
		t.Error("ApplyKeyOptions changed its input")
	}
	got, err = ApplyKeyOptions(k, KeyOptions{Kid: "mine", Use: "sig", Alg: "ES256"})
	if err != nil {
		t.Fatal(err)
	}
	if kid, _ := got.KeyID(); kid != "mine" {
		t.Errorf("kid %q", kid)
	}
	if _, err := ApplyKeyOptions(k, KeyOptions{Alg: "RS256"}); err == nil || !strings.Contains(err.Error(), "does not fit EC P-256") {
		t.Errorf("misfit alg: %v", err)
	}
	rsaKey, _ := Parse(fixture(t, "rsa-spki.pem"), ParseOptions{})
	named, _ := ApplyKeyOptions(rsaKey.Items[0].Key, KeyOptions{Kid: "r1"})
	bundle, err := ExportPEMBundle([]jwk.Key{got, named}, PEMPKCS1, true)
	if err != nil {
		t.Fatal(err)
	}
	s := string(bundle)
	if !strings.Contains(s, "# kid: mine — SPKI public key") || !strings.Contains(s, "# kid: r1 — PKCS#1 RSA public key") {
		t.Errorf("bundle:\n%s", s)
	}
	back, err := Parse(bundle, ParseOptions{})
	if err != nil || len(back.Items) != 2 {
		t.Errorf("bundle does not parse back: %v", err)
	}
}

// RFC 7517 Appendix A.1 (public EC and RSA keys) and A.2 (the EC private
// key) convert to PEM and back to the same members.
func TestRFC7517KeysThroughPEM(t *testing.T) {
	keys := []struct {
		name, jwk string
		private   bool
	}{
		{"A.1 EC", `{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","use":"enc","kid":"1"}`, false},
		{"A.1 RSA", `{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}`, false},
		{"A.2 EC", `{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","d":"870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE","use":"enc","kid":"1"}`, true},
	}
	for _, k := range keys {
		t.Run(k.name, func(t *testing.T) {
			res, err := Parse([]byte(k.jwk), ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			key := res.Items[0].Key
			for _, f := range PEMFormatsFor(key, !k.private) {
				out, err := ExportPEM(key, f, !k.private)
				if err != nil {
					t.Fatal(err)
				}
				back, err := Parse(out.PEM, ParseOptions{})
				if err != nil {
					t.Fatal(err)
				}
				want := members(t, key)
				delete(want, "use")
				delete(want, "alg")
				if got := members(t, back.Items[0].Key); !jsonEqual(got, want) {
					t.Errorf("%s: %v, want %v", f, got, want)
				}
			}
		})
	}
}

func TestOpenSSHPrivateKeyPassphraseAndRounds(t *testing.T) {
	enc := fixture(t, "openssh-ed25519-encrypted.pem") // ssh-keygen -t ed25519 -a 16 -N correct-horse
	if _, err := Parse(enc, ParseOptions{}); !errors.Is(err, ErrNeedsPassphrase) {
		t.Errorf("no passphrase: %v", err)
	}
	if _, err := Parse(enc, ParseOptions{Passphrase: []byte("nope")}); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
	res, err := Parse(enc, ParseOptions{Passphrase: []byte("correct-horse")})
	if err != nil || !strings.HasPrefix(res.Items[0].Label, "OpenSSH private key, Ed25519") {
		t.Fatalf("right passphrase: %v", err)
	}
	// The same file asking for 2^31 bcrypt rounds is refused before any work.
	block, _ := pem.Decode(enc)
	rounds, ok := opensshKDFRounds(block.Bytes)
	if !ok || rounds != 16 {
		t.Fatalf("rounds %d %v", rounds, ok)
	}
	// kdfoptions follow "bcrypt": its length, the salt's length, the salt, then rounds.
	i := bytes.Index(block.Bytes, []byte("bcrypt")) + len("bcrypt") + 4 + 4 + 16
	hostile := append([]byte(nil), block.Bytes...)
	copy(hostile[i:], []byte{0x80, 0, 0, 0})
	evil := pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: hostile})
	if _, err := Parse(evil, ParseOptions{Passphrase: []byte("correct-horse")}); err == nil || !strings.Contains(err.Error(), "2147483648 bcrypt rounds") {
		t.Errorf("hostile rounds: %v", err)
	}
}
