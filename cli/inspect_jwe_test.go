package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/jwkdesk/jwkdesk/interop"
)

// jweCLIReport is the part of inspect's JWE report the tests read.
type jweCLIReport struct {
	IsJWE      bool   `json:"is_jwe"`
	Alg        string `json:"alg"`
	Kid        string `json:"kid"`
	Decrypted  bool   `json:"decrypted"`
	Key        string `json:"key"`
	Plaintext  string `json:"plaintext"`
	State      string `json:"state"`
	Verdict    string `json:"verdict"`
	Reason     string `json:"reason"`
	Candidates []struct {
		Kid     string `json:"kid"`
		Code    string `json:"code"`
		Outcome string `json:"outcome"`
	} `json:"candidates"`
	Inner *struct {
		Verified bool   `json:"verified"`
		Key      string `json:"key"`
		State    string `json:"state"`
	} `json:"inner"`
}

func decodeJWEReport(t *testing.T, out string) jweCLIReport {
	t.Helper()
	var r jweCLIReport
	if err := json.Unmarshal([]byte(out), &r); err != nil || !r.IsJWE {
		t.Fatalf("not a JWE report (%v):\n%s", err, out)
	}
	return r
}

// TestInspectJWE: inspect decrypts a JWE with the key source given, and
// reports the candidates, the key that opened it, the plaintext and, for
// a nested JWT (RFC 7519 §5.2), the inner token's report; exit 0 only when
// decrypted (and the inner token verified).
func TestInspectJWE(t *testing.T) {
	rsa := genEncFiles(t, "enc-2026-11", true, "--kty", "RSA")
	other := genEncFiles(t, "enc-other", false, "--kty", "EC")
	sigPriv, sigSet := keyFiles(t, "sig-1")
	strangerPriv, _ := keyFiles(t, "sig-1")
	both := joinKeyFiles(t, rsa.priv, sigSet)
	pass := writeFile(t, "pass.txt", "pw-1\n")
	claims := `{"sub":"alice","exp":1795400000}`
	now := "--now=2026-11-22T10:00:00Z"
	plain := encryptCLI(t, "hello", "--to", rsa.pub)
	rsa15 := encryptCLI(t, "hello", "--to", rsa.pub, "--alg", "RSA1_5", "--allow-rsa1_5")
	cases := []struct {
		name    string
		args    []string
		code    int
		state   string
		inVerd  string
		candCod string
		inner   bool
	}{
		{"RFC7516_decrypted_direct_key", []string{plain, "--jwk", rsa.priv}, ExitOK, "decrypted", `Decrypted with kid "enc-2026-11" (RSA-OAEP-256, A256GCM)`, "opened", false},
		{"RFC7516_4.1.6_wrong_kid", []string{plain, "--jwks", other.privSet}, ExitNotValid, "not_decrypted", `kid "enc-2026-11" is not in the keys of`, "wrong_kid", false},
		{"RFC7516_public_half_only", []string{plain, "--jwk", rsa.pub}, ExitNotValid, "not_decrypted", "this is the public half: decrypting needs the private key", "public_only", false},
		{"RFC8725_3.2_RSA1_5_refused", []string{rsa15, "--jwk", rsa.priv}, ExitNotValid, "not_decrypted", "RSA1_5", "", false},
		{"RFC8725_3.2_RSA1_5_allowed", []string{rsa15, "--jwk", rsa.priv, "--allow-rsa1_5"}, ExitOK, "decrypted", "(RSA1_5, A256GCM)", "opened", false},
		{"RFC7518_4.8_PBES2_no_passphrase", []string{encryptCLI(t, "hi", "--passphrase-file", pass, "--p2c", "1000")}, ExitNotValid, "not_decrypted", "needs the passphrase", "", false},
		{"RFC7519_5.2_nested_verified", []string{encryptCLI(t, claims, "--to", rsa.pub, "--sign-key", sigPriv), "--jwks", both, now}, ExitOK, "verified",
			`Decrypted with kid "enc-2026-11" (RSA-OAEP-256, A256GCM); inner token: verified with key sig-1`, "opened", true},
		{"RFC7519_5.2_nested_inner_not_verified", []string{encryptCLI(t, claims, "--to", rsa.pub, "--sign-key", strangerPriv), "--jwks", both, now}, ExitNotValid, "not_verified",
			"inner token: not verified", "opened", true},
		{"RFC7519_4.1.4_nested_inner_expired", []string{encryptCLI(t, claims, "--to", rsa.pub, "--sign-key", sigPriv), "--jwks", both, "--now=2027-11-22T10:00:00Z"}, ExitNotValid, "expired",
			"inner token: signature valid but expired", "opened", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := run(t, "", append([]string{"inspect"}, c.args...)...)
			r := decodeJWEReport(t, out)
			if code != c.code || r.State != c.state || !strings.Contains(r.Verdict, c.inVerd) || (r.Inner != nil) != c.inner {
				t.Fatalf("exit %d state %q verdict %q inner %v (%s)", code, r.State, r.Verdict, r.Inner != nil, errOut)
			}
			if c.candCod != "" && (len(r.Candidates) == 0 || r.Candidates[0].Code != c.candCod) {
				t.Fatalf("candidates %+v", r.Candidates)
			}
			if r.Decrypted != (c.candCod == "opened") || r.Decrypted && r.Key != "enc-2026-11" {
				t.Fatalf("decrypted %v key %q", r.Decrypted, r.Key)
			}
		})
	}
}

// TestDecryptCommand: decrypt prints the plaintext alone, exit 1 with the
// reason on stderr when no key opens the token, exit 2 for what is not a
// JWE or not a usable command line.
func TestDecryptCommand(t *testing.T) {
	rsa := genEncFiles(t, "enc-1", false, "--kty", "RSA")
	other := genEncFiles(t, "enc-2", false, "--kty", "RSA")
	tok := encryptCLI(t, "line one\nline two\n", "--to", rsa.pub)
	tokFile := writeFile(t, "token.jwe", tok+"\n")
	priv, _ := keyFiles(t, "sig")
	jws := signCLI(t, "--key", priv)
	cases := []struct {
		name, stdin     string
		args            []string
		code            int
		out, errContain string
	}{
		{"file", "", []string{tokFile, "--jwk", rsa.priv}, ExitOK, "line one\nline two\n", ""},
		{"stdin_bearer", "Bearer " + tok, []string{"-", "--jwks", rsa.privSet}, ExitOK, "line one\nline two\n", ""},
		{"RFC7516_wrong_key", tok, []string{"--jwk", other.priv}, ExitNotValid, "", "not decrypted: "},
		{"a_JWS", jws, []string{"--jwk", rsa.priv}, ExitUsage, "", "this is a signed token (JWS), not an encrypted one"},
		{"two_sources", tok, []string{"--jwk", rsa.priv, "--jwks", rsa.privSet}, ExitUsage, "", "give one key source"},
		{"not_a_token", "hello", []string{"--jwk", rsa.priv}, ExitUsage, "", "decrypt: "},
		{"missing_passphrase_file", tok, []string{"--passphrase-file", "/nonexistent/pass"}, ExitUsage, "", "--passphrase-file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := run(t, c.stdin, append([]string{"decrypt"}, c.args...)...)
			if code != c.code || out != c.out || !strings.Contains(errOut, c.errContain) {
				t.Fatalf("exit %d out %q err %q", code, out, errOut)
			}
		})
	}
}

// TestDecryptJoseTokens: tokens node's jose made (RFC 7516 compact
// serialization) are opened by decrypt; and jose opens what encrypt made.
func TestDecryptJoseTokens(t *testing.T) {
	interop.Require(t)
	type gen struct {
		JWK    map[string]any `json:"jwk"`
		Public map[string]any `json:"public"`
	}
	var rsa, x gen
	interop.MustRunBatch(t, []any{
		map[string]any{"op": "generate", "alg": "RSA-OAEP-256"},
		map[string]any{"op": "generate", "alg": "ECDH-ES", "crv": "X25519"},
	}, []any{&rsa, &x})
	jsonFile := func(name string, v any) string {
		b, _ := json.Marshal(v)
		return writeFile(t, name, string(b))
	}
	cases := []struct{ alg, enc string }{{"RSA-OAEP-256", "A256GCM"}, {"RSA-OAEP", "A128CBC-HS256"}, {"ECDH-ES", "A128GCM"}, {"ECDH-ES+A256KW", "A256CBC-HS512"}}
	reqs, resps := make([]any, len(cases)), make([]any, len(cases))
	toks := make([]struct{ Token string }, len(cases))
	keyOf := func(alg string) gen {
		if strings.HasPrefix(alg, "ECDH") {
			return x
		}
		return rsa
	}
	for i, c := range cases {
		reqs[i] = map[string]any{"op": "encrypt", "alg": c.alg, "enc": c.enc, "key": keyOf(c.alg).Public, "plaintext": "from jose " + c.alg, "header": map[string]any{}}
		resps[i] = &toks[i]
	}
	interop.MustRunBatch(t, reqs, resps)
	for i, c := range cases {
		t.Run("jose_"+c.alg+"_"+c.enc, func(t *testing.T) {
			out, errOut, code := run(t, toks[i].Token, "decrypt", "--jwk", jsonFile("k.json", keyOf(c.alg).JWK))
			if code != ExitOK || out != "from jose "+c.alg {
				t.Fatalf("exit %d out %q err %s", code, out, errOut)
			}
		})
	}
	ours := encryptCLI(t, "to jose", "--to", jsonFile("pub.json", x.Public))
	var read struct{ Plaintext string }
	interop.MustRun(t, map[string]any{"op": "decrypt", "token": ours, "alg": "ECDH-ES+A256KW", "key": x.JWK}, &read)
	if read.Plaintext != "to jose" {
		t.Fatalf("jose read %q", read.Plaintext)
	}
}

// TestInspectText: --text prints the same report for a reader — verdict,
// header, candidates, plaintext and the inner token indented — with the
// same exit code as the JSON.
func TestInspectText(t *testing.T) {
	rsa := genEncFiles(t, "enc-1", false, "--kty", "RSA")
	sigPriv, sigSet := keyFiles(t, "sig-1")
	both := joinKeyFiles(t, rsa.priv, sigSet)
	nested := encryptCLI(t, `{"sub":"alice","exp":1795400000}`, "--to", rsa.pub, "--sign-key", sigPriv)
	now := "--now=2026-11-22T10:00:00Z"
	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"RFC7519_5.2_nested_JWE", []string{nested, "--jwks", both, now}, ExitOK, []string{
			`verdict: Decrypted with kid "enc-1" (RSA-OAEP-256, A256GCM); inner token: verified with key sig-1`,
			"state: verified", `token: JWE · alg RSA-OAEP-256 · enc A256GCM · kid "enc-1" · cty JWT`,
			`  ✓ kid "enc-1" [RSA RSA-OAEP-256]: the key opened the token`, `decrypted: yes, key kid "enc-1"`,
			"inner token (JWS):", "  verdict: Verified with key sig-1", `  token: JWS · alg ES256 · kid "sig-1"`, `    "sub": "alice",`}},
		{"RFC7516_not_decrypted", []string{nested, "--jwk", rsa.pub}, ExitNotValid, []string{
			"state: not_decrypted", "this is the public half: decrypting needs the private key", "decrypted: no"}},
		{"RFC7515_JWS", []string{signCLI(t, "--key", sigPriv, "--claims", `{"sub":"bob"}`), "--jwks", sigSet}, ExitOK, []string{
			"verdict: Verified with key sig-1", `  ✓ kid "sig-1" [EC ES256]: verified`, `  "sub": "bob"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := run(t, "", append([]string{"inspect", "--text"}, c.args...)...)
			if code != c.code || strings.HasPrefix(out, "{") {
				t.Fatalf("exit %d (%s):\n%s", code, errOut, out)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w+"\n") {
					t.Errorf("no line %q in:\n%s", w, out)
				}
			}
		})
	}
}
