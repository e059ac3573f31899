package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
	"github.com/jwkdesk/jwkdesk/interop"
)

// Issue 19: convert reads passphrase-encrypted JWKs (step's form, both
// serializations); generate and convert --encrypt write them.

func stepFixture(name string) string {
	return filepath.Join("..", "convert", "keys", "encjwk", "testdata", "step", name)
}

func writePass(t *testing.T, pass string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(p, []byte(pass+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// header decodes the protected header of a JSON-serialized JWE.
func sealedHeader(t *testing.T, out []byte) map[string]any {
	t.Helper()
	var m map[string]string
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("not a JSON JWE: %v: %s", err, out)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(m["protected"])
	var h map[string]any
	_ = json.Unmarshal(raw, &h)
	return h
}

func TestConvertReadsEncryptedJWK(t *testing.T) {
	stepPass := stepFixture("passphrase.txt")
	wrong := writePass(t, "not the passphrase")
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"RFC7516_7.2.2/step JWK, JSON", []string{stepFixture("ec-p256.priv.json"), "--passphrase-file", stepPass}, 0, `"d"`, "encrypted with a passphrase (PBES2-HS256+A128KW, p2c 100,000, decrypted)"},
		{"RFC7516_7.1/step JWK, compact", []string{stepFixture("ca-provisioner.jwe"), "--passphrase-file", stepPass}, 0, `"d"`, "found: JWK (EC P-256, private)"},
		{"RFC7517_5/step JWK Set", []string{stepFixture("set.priv.json"), "--passphrase-file", stepPass}, 0, `"keys"`, "found: JWKS key"},
		{"RFC7517_5/step JWK Set to public PEM", []string{stepFixture("set.priv.json"), "--passphrase-file", stepPass, "--to", "pem", "--public"}, 0, "BEGIN PUBLIC KEY", ""},
		{"RFC7518_4.8/no passphrase", []string{stepFixture("rsa-2048.priv.json")}, 2, "", "is an encrypted key: give its passphrase with --passphrase-file FILE"},
		{"RFC3394_2.2.3/wrong passphrase", []string{stepFixture("okp-ed25519.priv.json"), "--passphrase-file", wrong}, 2, "", "the passphrase does not decrypt this encrypted JWK"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := run(t, "", append([]string{"convert"}, c.args...)...)
			if code != c.code || !strings.Contains(out, c.stdout) || !strings.Contains(errOut, c.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
			}
		})
	}
}

func TestEncryptFlags(t *testing.T) {
	pass := writePass(t, "a long enough test passphrase")
	short := writePass(t, "short")
	dir := t.TempDir()
	cases := []struct {
		name   string
		args   []string
		keys   int // in the decrypted output; 0: a usage error
		p2c    float64
		cty    string
		stderr string
	}{
		{"RFC7518_4.8/generate EC", []string{"generate", "--kty", "EC", "--encrypt", "--passphrase-file", pass}, 1, 600000, "jwk+json", ""},
		{"RFC7518_4.8/generate oct, p2c up", []string{"generate", "--kty", "oct", "--encrypt", "--passphrase-file", pass, "--p2c", "700000"}, 1, 700000, "jwk+json", ""},
		{"RFC7518_4.8/generate, short passphrase warned", []string{"generate", "--kty", "OKP", "--encrypt", "--passphrase-file", short}, 1, 600000, "jwk+json", "warning: the passphrase is 5 characters: too short"},
		{"RFC7518_4.8/convert PEM", []string{"convert", parseFixture("rsa-pkcs1.pem"), "--encrypt", "--passphrase-file", pass}, 1, 600000, "jwk+json", "found: PKCS#1 RSA private key"},
		{"RFC7517_5/convert to a JWKS", []string{"convert", parseFixture("ec-p521-pkcs8.pem"), "--encrypt", "--passphrase-file", pass, "--to", "jwks"}, 1, 600000, "jwk-set+json", ""},
		{"RFC7517_5/convert several keys", []string{"convert", stepFixture("set.priv.json"), "--encrypt", "--passphrase-file", stepFixture("passphrase.txt")}, 2, 600000, "jwk-set+json", ""},
		{"usage/--encrypt --public", []string{"generate", "--kty", "EC", "--encrypt", "--passphrase-file", pass, "--public"}, 0, 0, "", "drop --public"},
		{"usage/--encrypt --pem", []string{"generate", "--kty", "EC", "--encrypt", "--passphrase-file", pass, "--pem"}, 0, 0, "", "drop the PEM output"},
		{"usage/convert --encrypt --to pem", []string{"convert", parseFixture("rsa-pkcs1.pem"), "--encrypt", "--passphrase-file", pass, "--to", "pem"}, 0, 0, "", "drop the PEM output"},
		{"usage/--encrypt without a passphrase", []string{"generate", "--kty", "EC", "--encrypt"}, 0, 0, "", "--encrypt needs --passphrase-file FILE"},
		{"usage/RFC7518_4.8.1.2 p2c under 600,000", []string{"generate", "--kty", "EC", "--encrypt", "--passphrase-file", pass, "--p2c", "100000"}, 0, 0, "", "--p2c must be from 600,000 to 10,000,000"},
		{"usage/RFC7518_4.8.1.2 p2c over the read cap", []string{"generate", "--kty", "EC", "--encrypt", "--passphrase-file", pass, "--p2c", "10000001"}, 0, 0, "", "--p2c must be from 600,000 to 10,000,000"},
		{"usage/--p2c without --encrypt", []string{"generate", "--kty", "EC", "--p2c", "700000"}, 0, 0, "", "--p2c needs --encrypt"},
		{"usage/generate --passphrase-file without --encrypt", []string{"generate", "--kty", "EC", "--passphrase-file", pass}, 0, 0, "", "--passphrase-file needs --encrypt"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(dir, strconv.Itoa(i)+".json")
			_, errOut, code := run(t, "", append(c.args, "--out", file)...)
			if c.keys == 0 {
				if code != ExitUsage || !strings.Contains(errOut, c.stderr) {
					t.Errorf("exit %d, stderr %q", code, errOut)
				}
				if _, err := os.Stat(file); err == nil {
					t.Error("a file was written")
				}
				return
			}
			if code != 0 || !strings.Contains(errOut, c.stderr) {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			st, err := os.Stat(file)
			if err != nil || st.Mode().Perm() != 0o600 {
				t.Fatalf("file %v, %v", st, err)
			}
			out, _ := os.ReadFile(file)
			h := sealedHeader(t, out)
			if h["alg"] != "PBES2-HS512+A256KW" || h["enc"] != "A256GCM" || h["p2c"] != c.p2c || h["cty"] != c.cty {
				t.Errorf("header %v", h)
			}
			passFile := pass
			if strings.Contains(c.stderr, "too short") {
				passFile = short
			} else if strings.Contains(c.name, "several") {
				passFile = stepFixture("passphrase.txt")
			}
			back, errOut, code := run(t, "", "convert", file, "--passphrase-file", passFile, "--to", "jwks")
			var set struct{ Keys []map[string]any }
			_ = json.Unmarshal([]byte(back), &set)
			if code != 0 || len(set.Keys) != c.keys {
				t.Fatalf("read back: exit %d, %d keys, %s", code, len(set.Keys), errOut)
			}
		})
	}
}

// stepFor finds a step binary as encjwk's tests do ($JWKDESK_STEP, PATH,
// ./bin/step) or skips with the reason.
func stepFor(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("JWKDESK_STEP"); p != "" {
		return p
	}
	if p, err := exec.LookPath("step"); err == nil {
		return p
	}
	if p, _ := filepath.Abs(filepath.Join("..", "bin", "step")); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skip("no step binary (set JWKDESK_STEP, put step on PATH, or run `make interop-step`): step reading `generate --encrypt` is skipped")
	return ""
}

// TestStepReadsGenerateEncrypt: step decrypts what `generate --encrypt`
// writes and signs a JWT with it; the token verifies with the public half.
func TestStepReadsGenerateEncryptRFC7518_4_8(t *testing.T) {
	step := stepFor(t)
	dir := t.TempDir()
	pass, file := writePass(t, "a long enough test passphrase"), filepath.Join(dir, "key.json")
	if _, errOut, code := run(t, "", "generate", "--kty", "EC", "--encrypt", "--passphrase-file", pass, "--out", file); code != 0 {
		t.Fatal(errOut)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	exp := strconv.FormatInt(time.Now().Add(5*time.Minute).Unix(), 10)
	cmd := exec.CommandContext(ctx, step, "crypto", "jwt", "sign", "--key", file, "--password-file", pass, "--iss", "jwkdesk", "--aud", "step", "--sub", "interop", "--exp", exp)
	cmd.Env = append(os.Environ(), "STEPPATH="+dir, "STEP_NO_COLOR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("step: %v: %s", err, stderr.String())
	}
	plain, _, err := encjwk.Open(must(os.ReadFile(file)), []byte("a long enough test passphrase"), encjwk.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	list, err := keys.ParseKeys(plain)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := list[0].PublicKey()
	if _, err := jws.Verify(bytes.TrimSpace(stdout.Bytes()), jws.WithKey(jwa.ES256(), pub)); err != nil {
		t.Errorf("step's token does not verify with the generated key: %v", err)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestJoseReadsConvertEncryptRFC7518_4_8: node jose (the reference)
// decrypts what `convert --encrypt` writes, with the passphrase, and finds
// the private JWK Set; skipped with the reason when jose is not installed.
func TestJoseReadsConvertEncryptRFC7518_4_8(t *testing.T) {
	interop.Require(t)
	file := filepath.Join(t.TempDir(), "set.json")
	if _, errOut, code := run(t, "", "convert", stepFixture("set.priv.json"), "--passphrase-file", stepFixture("passphrase.txt"), "--encrypt", "--out", file); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := run(t, "", "convert", file, "--passphrase-file", stepFixture("passphrase.txt"), "--encrypt", "--out", file); code != 0 {
		t.Fatal(errOut) // re-encrypted with the same passphrase file: a no-op in content
	}
	var out struct {
		Header    map[string]any `json:"header"`
		Plaintext string         `json:"plaintext"`
	}
	req := map[string]any{"op": "decryptJSON", "jwe": json.RawMessage(must(os.ReadFile(file))), "key": map[string]any{"passphrase": strings.TrimSpace(string(must(os.ReadFile(stepFixture("passphrase.txt")))))},
		"keyManagementAlgorithms": []string{encjwk.DefaultAlg}, "maxPBES2Count": encjwk.ReadCap}
	interop.MustRun(t, req, &out)
	var set struct{ Keys []map[string]any }
	if err := json.Unmarshal([]byte(out.Plaintext), &set); err != nil || len(set.Keys) != 2 || set.Keys[0]["d"] == nil || out.Header["cty"] != "jwk-set+json" {
		t.Errorf("jose read %v: %d keys (%v)", out.Header, len(set.Keys), err)
	}
}
