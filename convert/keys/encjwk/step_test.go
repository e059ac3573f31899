package encjwk_test

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

const stepDir = "testdata/step"

func stepPassphrase(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(stepDir, "passphrase.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// thumb is a key's RFC 7638 thumbprint, of its public half when it has one.
func thumb(t *testing.T, k jwk.Key) string {
	t.Helper()
	if k.KeyType() != jwa.OctetSeq() {
		pub, err := k.PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		k = pub
	}
	tp, err := k.Thumbprint(crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", tp)
}

// TestStepFixtures: every encrypted JWK step wrote (testdata/step, see its
// README) opens with its passphrase, and the key inside is the one whose
// public half step wrote beside it (RFC 7638 thumbprints). A wrong
// passphrase is ErrWrongPassphrase, in each of step's forms.
func TestStepFixtures(t *testing.T) {
	pass := stepPassphrase(t)
	cases := []struct {
		file    string
		form    encjwk.Form
		content encjwk.Content
		note    string
	}{
		{"ec-p256.priv.json", encjwk.FormFlattened, encjwk.ContentJWK, ""},
		{"ec-p384.priv.json", encjwk.FormFlattened, encjwk.ContentJWK, ""},
		{"ec-p521.priv.json", encjwk.FormFlattened, encjwk.ContentJWK, ""},
		{"ec-p256-enc.priv.json", encjwk.FormFlattened, encjwk.ContentJWK, ""},
		{"rsa-2048.priv.json", encjwk.FormFlattened, encjwk.ContentJWK, ""},
		{"rsa-2048-enc.priv.json", encjwk.FormFlattened, encjwk.ContentJWK, ""},
		{"okp-ed25519.priv.json", encjwk.FormFlattened, encjwk.ContentJWK, ""},
		{"oct.priv.json", encjwk.FormFlattened, encjwk.ContentJWK, ""},
		{"set.priv.json", encjwk.FormFlattened, encjwk.ContentJWKS, ""},
		{"nocty.priv.json", encjwk.FormFlattened, encjwk.ContentJWK, "no cty"},
		{"ca-provisioner.jwe", encjwk.FormCompact, encjwk.ContentJWK, ""},
	}
	for _, c := range cases {
		t.Run("RFC7518_4.8/"+c.file, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join(stepDir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if f, ok := encjwk.Detect(in); !ok || f != c.form {
				t.Fatalf("Detect = %v, %v", f, ok)
			}
			plain, info, err := encjwk.Open(in, pass, encjwk.OpenOptions{})
			wantKind(t, err, nil)
			if info.Alg != "PBES2-HS256+A128KW" || info.Enc != "A256GCM" || info.P2C != 100_000 || info.SaltLen != 16 || info.Content != c.content {
				t.Fatalf("info %+v", info)
			}
			if c.note != "" && (len(info.Notes) != 1 || !strings.Contains(info.Notes[0], c.note)) {
				t.Fatalf("notes %q", info.Notes)
			}
			pubFile := strings.TrimSuffix(strings.TrimSuffix(c.file, ".priv.json"), ".jwe") + ".pub.json"
			pubRaw, err := os.ReadFile(filepath.Join(stepDir, pubFile))
			if err != nil {
				t.Fatal(err)
			}
			samePublic(t, plain, pubRaw)
		})
	}
	for _, file := range []string{"set.priv.json", "ca-provisioner.jwe"} {
		t.Run("wrong passphrase/RFC3394_2.2.3/"+file, func(t *testing.T) {
			in, _ := os.ReadFile(filepath.Join(stepDir, file))
			_, _, err := encjwk.Open(in, append(bytes.Clone(pass), '\n'), encjwk.OpenOptions{})
			wantKind(t, err, encjwk.ErrWrongPassphrase)
		})
	}
}

// samePublic checks that a private JWK (or JWK Set) and a public one hold
// the same keys, by thumbprint and in order.
func samePublic(t *testing.T, private, public []byte) {
	t.Helper()
	privSet, err := jwk.Parse(private)
	if err != nil {
		t.Fatalf("jwx cannot parse the decrypted key: %v", err)
	}
	pubSet, err := jwk.Parse(public)
	if err != nil {
		t.Fatal(err)
	}
	if privSet.Len() != pubSet.Len() || privSet.Len() == 0 {
		t.Fatalf("%d private keys, %d public", privSet.Len(), pubSet.Len())
	}
	for i := 0; i < privSet.Len(); i++ {
		a, _ := privSet.Key(i)
		b, _ := pubSet.Key(i)
		if !isPrivate(a) {
			t.Fatalf("key %d is not private", i)
		}
		if thumb(t, a) != thumb(t, b) {
			t.Fatalf("key %d: the private key is not the public one's", i)
		}
	}
}

func isPrivate(k jwk.Key) bool {
	if k.KeyType() == jwa.OctetSeq() {
		return true
	}
	return k.Has("d")
}

// stepBinary finds a step binary: $JWKDESK_STEP, `step` on PATH, or
// ./bin/step at the repository root (`make interop-step` builds it there).
func stepBinary() (string, string) {
	if p := os.Getenv("JWKDESK_STEP"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Sprintf("JWKDESK_STEP=%s: %v", p, err)
		}
		return p, ""
	}
	if p, err := exec.LookPath("step"); err == nil {
		return p, ""
	}
	_, file, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(file), "..", "..", "..", "bin", "step")
	if _, err := os.Stat(p); err == nil {
		return p, ""
	}
	return "", "no step binary (set JWKDESK_STEP, put step on PATH, or run `make interop-step`): the step interop tests are skipped"
}

func requireStep(t *testing.T) string {
	t.Helper()
	p, why := stepBinary()
	if p == "" {
		fmt.Fprintln(os.Stderr, "encjwk:", why)
		t.Skip(why)
	}
	return p
}

// stepSign has step sign a JWT with an encrypted key file and returns it.
// With passFile "" step asks for the passphrase on its terminal (it does
// for --jwks: v0.21.0 ignores --password-file there), and ptypass.py
// answers with pass (it needs python3).
func stepSign(t *testing.T, step, passFile string, pass []byte, args ...string) (string, error) {
	t.Helper()
	exp := strconv.FormatInt(time.Now().Add(5*time.Minute).Unix(), 10)
	args = append([]string{"crypto", "jwt", "sign", "--iss", "jwkdesk", "--aud", "step", "--sub", "interop", "--exp", exp}, args...)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dir := t.TempDir()
	var cmd *exec.Cmd
	out := filepath.Join(dir, "token")
	if passFile != "" {
		cmd = exec.CommandContext(ctx, step, append(args, "--password-file", passFile)...)
	} else {
		ptyPass, empty := filepath.Join(dir, "pass"), filepath.Join(dir, "empty")
		_ = os.WriteFile(ptyPass, pass, 0o600)
		_ = os.WriteFile(empty, nil, 0o600)
		cmd = exec.CommandContext(ctx, "python3", append([]string{filepath.Join(stepDir, "ptypass.py"), ptyPass, empty, out, step}, args...)...)
	}
	cmd.Env = append(os.Environ(), "STEPPATH="+dir, "STEP_NO_COLOR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("step %s: %v: %s", strings.Join(args[:3], " "), err, stderr.String())
	}
	if passFile == "" {
		b, err := os.ReadFile(out)
		return strings.TrimSpace(string(b)), err
	}
	return strings.TrimSpace(stdout.String()), nil
}

// verifyStepToken verifies step's token with jwx against the key's public
// half (the secret for oct) and checks the kid step put in its header.
func verifyStepToken(t *testing.T, token string, k signingKey) {
	t.Helper()
	verifyWith := k.priv
	if k.priv.KeyType() != jwa.OctetSeq() {
		verifyWith, _ = k.priv.PublicKey()
	}
	msg, err := jws.Verify([]byte(token), jws.WithKey(k.alg, verifyWith))
	if err != nil {
		t.Fatalf("step's %s token does not verify: %v", k.alg, err)
	}
	var claims map[string]any
	if err := json.Unmarshal(msg, &claims); err != nil || claims["sub"] != "interop" {
		t.Fatalf("claims %s", msg)
	}
	parsed, _ := jws.Parse([]byte(token))
	kid, _ := parsed.Signatures()[0].ProtectedHeaders().KeyID()
	if want, _ := k.priv.KeyID(); kid != want {
		t.Fatalf("kid %q, want %q", kid, want)
	}
}

// TestStepReadsOurs: step decrypts what Seal writes and signs with it; jwx
// verifies step's tokens. Each of Seal's test files (sealCases: each PBES2
// algorithm, both forms, a JWK and a JWK Set): a JWK with step's --key, a
// JWK Set with --jwks and --kid, for every key kind in the set. Needs a
// step binary (see stepBinary); skipped with the reason otherwise.
func TestStepReadsOurs(t *testing.T) {
	step := requireStep(t)
	keys(t)
	files := sealed(t)
	dir := t.TempDir()
	passFile := filepath.Join(dir, "pass.txt")
	if err := os.WriteFile(passFile, testPass, 0o600); err != nil {
		t.Fatal(err)
	}
	_, noPython := exec.LookPath("python3")
	for i, c := range sealCases {
		file := filepath.Join(dir, fmt.Sprintf("sealed-%d", i))
		_ = os.WriteFile(file, files[i], 0o600)
		signers := testKeys[:1]
		if c.set && i == 1 {
			signers = testKeys // every kind once, from one set
		} else if c.set {
			signers = testKeys[5:6]
		}
		for _, k := range signers {
			t.Run(c.name+"/"+k.name, func(t *testing.T) {
				var token string
				var err error
				if !c.set {
					token, err = stepSign(t, step, passFile, nil, "--key", file)
				} else {
					if noPython != nil {
						t.Skip("python3 is not installed: step reads an encrypted JWK Set's passphrase from a terminal only, and testdata/step/ptypass.py provides one")
					}
					kid, _ := k.priv.KeyID()
					token, err = stepSign(t, step, "", testPass, "--jwks", file, "--kid", kid)
				}
				if err != nil {
					t.Fatal(err)
				}
				verifyStepToken(t, token, k)
			})
		}
	}
	t.Run("wrong passphrase refused by step", func(t *testing.T) {
		wrong := filepath.Join(dir, "wrong.txt")
		_ = os.WriteFile(wrong, []byte("not the passphrase"), 0o600)
		_, err := stepSign(t, step, wrong, nil, "--key", filepath.Join(dir, "sealed-0"))
		if err == nil || !strings.Contains(err.Error(), "invalid password") {
			t.Fatalf("step with a wrong passphrase: %v (want its refusal: it decrypts the file)", err)
		}
	})
}
