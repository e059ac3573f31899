package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// encFiles generates an enc key with the CLI (args add --kty, --crv…) and
// writes its private JWK, its public JWK and a private JWKS of it with
// extra keys.
type encFiles struct {
	priv, pub, privSet string
	key                jwk.Key
}

func genEncFiles(t *testing.T, kid string, noAlg bool, args ...string) encFiles {
	t.Helper()
	out, errOut, code := run(t, "", append([]string{"generate", "--use", "enc", "--kid", kid}, args...)...)
	if code != ExitOK {
		t.Fatal(errOut)
	}
	key, err := jwk.ParseKey([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if noAlg {
		_ = key.Remove(jwk.AlgorithmKey)
	}
	priv, _ := json.Marshal(key)
	pub, err := keys.MarshalPublicJWK(key)
	if err != nil {
		t.Fatal(err)
	}
	set, err := keys.ExportPrivateJWKS([]jwk.Key{key})
	if err != nil {
		t.Fatal(err)
	}
	return encFiles{priv: writeFile(t, kid+".json", string(priv)), pub: writeFile(t, kid+".pub.json", string(pub)), privSet: writeFile(t, kid+".jwks", string(set)), key: key}
}

func encryptCLI(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, errOut, code := run(t, stdin, append([]string{"encrypt"}, args...)...)
	if code != ExitOK {
		t.Fatalf("encrypt %v: exit %d: %s", args, code, errOut)
	}
	return strings.TrimSpace(out)
}

// TestEncryptDecryptRoundTrip: what encrypt makes, decrypt opens to the
// same bytes, for each kind of target (RFC 7518 §4: a key of each type, a
// shared secret, a passphrase) and with zip (RFC 7516 §4.1.3).
func TestEncryptDecryptRoundTrip(t *testing.T) {
	rsa := genEncFiles(t, "enc-rsa", true, "--kty", "RSA")
	ec := genEncFiles(t, "enc-ec", false, "--kty", "EC", "--crv", "P-384")
	x := genEncFiles(t, "enc-x", false, "--kty", "OKP", "--crv", "X25519")
	secret := writeFile(t, "secret.txt", "0123456789abcdef0123456789abcdef\n")
	pass := writeFile(t, "pass.txt", "correct horse battery staple\n")
	plaintext := `{"sub":"alice","note":"héllo"}`
	cases := []struct {
		name     string
		enc, dec []string
		alg      string
	}{
		{"RFC7518_4.3_RSA-OAEP-256_default", []string{"--to", rsa.pub}, []string{"--jwk", rsa.priv}, "RSA-OAEP-256"},
		{"RFC7518_4.3_RSA-OAEP_set_by_kid", []string{"--to", rsa.pub, "--alg", "RSA-OAEP", "--enc", "A128CBC-HS256"}, []string{"--jwks", rsa.privSet}, "RSA-OAEP"},
		{"RFC7518_4.6_ECDH-ES_P-384", []string{"--to", ec.pub}, []string{"--jwk", ec.priv}, "ECDH-ES"},
		{"RFC8037_ECDH-ES_X25519_zip", []string{"--to", x.pub, "--zip"}, []string{"--jwks", x.privSet}, "ECDH-ES"},
		{"RFC7518_4.5_dir_secret", []string{"--secret-file", secret, "--alg", "dir"}, []string{"--secret-file", secret}, "dir"},
		{"RFC7518_4.4_A256KW_secret_default", []string{"--secret-file", secret}, []string{"--secret-file", secret}, "A256KW"},
		{"RFC7518_4.7_A256GCMKW_secret", []string{"--secret-file", secret, "--alg", "A256GCMKW"}, []string{"--secret-file", secret}, "A256GCMKW"},
		{"RFC7518_4.8_PBES2_passphrase", []string{"--passphrase-file", pass, "--p2c", "1000"}, []string{"--passphrase-file", pass}, "PBES2-HS256+A128KW"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok := encryptCLI(t, plaintext, c.enc...)
			out, errOut, code := run(t, tok, append([]string{"decrypt", "-"}, c.dec...)...)
			if code != ExitOK || out != plaintext {
				t.Fatalf("decrypt: exit %d out %q err %s", code, out, errOut)
			}
			out, _, code = run(t, "", append([]string{"inspect", tok}, c.dec...)...)
			var r map[string]any
			if err := json.Unmarshal([]byte(out), &r); err != nil || code != ExitOK || r["alg"] != c.alg || r["decrypted"] != true || r["state"] != "decrypted" {
				t.Fatalf("inspect: exit %d %v %s", code, err, out)
			}
		})
	}
}

// TestEncryptRefusals: encrypt says what to give, and never encrypts to a
// key that is not for encryption (RFC 7517 §4.2 use, §4.3 key_ops).
func TestEncryptRefusals(t *testing.T) {
	rsa := genEncFiles(t, "enc-1", false, "--kty", "EC")
	other := genEncFiles(t, "enc-2", false, "--kty", "EC")
	_, sigSet := keyFiles(t, "sig-1")
	two := writeFile(t, "two.jwks", `{"keys":[`+readFileT(t, rsa.pub)+`,`+readFileT(t, other.pub)+`]}`)
	pass := writeFile(t, "pass.txt", "pw\n")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no_target", nil, "give what to encrypt to"},
		{"two_targets", []string{"--to", rsa.pub, "--passphrase-file", pass}, "give one of --to, --secret-file and --passphrase-file"},
		{"RFC7517_4.2_signing_key", []string{"--to", sigSet}, `no key in it can take a JWE (a key with use "sig" never encrypts)`},
		{"two_enc_keys", []string{"--to", two}, "it holds 2 encryption keys (kids enc-1, enc-2): choose one with --kid"},
		{"kid_absent", []string{"--to", two, "--kid", "enc-3"}, `no encryption key has kid "enc-3"`},
		{"RFC8725_3.2_RSA1_5_without_opt_in", []string{"--to", genEncFiles(t, "r15", true, "--kty", "RSA").pub, "--alg", "RSA1_5"}, "RSA1_5"},
		{"alg_not_fitting", []string{"--to", rsa.pub, "--alg", "RSA-OAEP"}, "encrypt: "},
		{"argument", []string{"--to", rsa.pub, "plain.txt"}, "give the plaintext with --payload TEXT, --claims JSON or on standard input"},
		{"key_and_to", []string{"--key", rsa.pub, "--to", rsa.pub}, "give the key once"},
		{"payload_and_claims", []string{"--key", rsa.pub, "--payload", "a", "--claims", "{}"}, "give one of --payload and --claims"},
		{"RFC7519_4_claims_not_an_object", []string{"--key", rsa.pub, "--claims", "[1]"}, "--claims is not a JSON object"},
		{"sign_key_public", []string{"--to", rsa.pub, "--sign-key", rsa.pub}, "holds no private key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := run(t, "x", append([]string{"encrypt"}, c.args...)...)
			if code != ExitUsage || out != "" || !strings.Contains(errOut, c.want) {
				t.Fatalf("exit %d out %q err %q; want %q", code, out, errOut, c.want)
			}
		})
	}
	t.Run("kid_chooses", func(t *testing.T) {
		tok := encryptCLI(t, "x", "--to", two, "--kid", "enc-2")
		if out, _, code := run(t, tok, "decrypt", "--jwk", other.priv); code != ExitOK || out != "x" {
			t.Fatalf("exit %d %q", code, out)
		}
	})
}

func readFileT(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// joinKeyFiles writes one JWKS of the keys of files.
func joinKeyFiles(t *testing.T, files ...string) string {
	t.Helper()
	var all []jwk.Key
	for _, f := range files {
		list, _, err := keys.ReadKeys([]byte(readFileT(t, f)))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, list...)
	}
	set, err := keys.ExportPrivateJWKS(all)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "joined.jwks", string(set))
}

// The command line: encrypt --key PUBLIC_JWK (--payload TEXT |
// --claims JSON) [--sign-key PRIVATE_JWK]; standard input is not read then.
func TestEncryptKeyPayloadClaims(t *testing.T) {
	e := genEncFiles(t, "enc-k", false, "--kty", "EC")
	sigPriv, sigSet := keyFiles(t, "sig-k")
	cases := []struct {
		name  string
		args  []string
		inner bool
		want  string
	}{
		{"payload", []string{"--key", e.pub, "--payload", "hello"}, false, "hello"},
		{"claims", []string{"--key", e.pub, "--claims", `{"sub":"alice"}`}, false, `{"sub":"alice"}`},
		{"RFC7519_5.2_claims_signed_then_encrypted", []string{"--key", e.pub, "--claims", `{"sub":"bob"}`, "--sign-key", sigPriv}, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok := encryptCLI(t, "stdin is not read", c.args...)
			if !c.inner {
				if out, errOut, code := run(t, tok, "decrypt", "-", "--jwk", e.priv); code != ExitOK || out != c.want {
					t.Fatalf("decrypt: exit %d %q %s", code, out, errOut)
				}
				return
			}
			set := jwk.NewSet()
			for _, f := range []string{e.priv, sigSet} {
				ks, err := jwk.Parse([]byte(readFileT(t, f)))
				if err != nil {
					t.Fatal(err)
				}
				for i := range ks.Len() {
					k, _ := ks.Key(i)
					_ = set.AddKey(k)
				}
			}
			b, _ := json.Marshal(set)
			both := writeFile(t, "both.jwks", string(b))
			out, errOut, code := run(t, "", "inspect", tok, "--jwks", both)
			if code != ExitOK || !strings.Contains(out, `"sub": "bob"`) {
				t.Fatalf("inspect: exit %d %s %s", code, out, errOut)
			}
		})
	}
}
