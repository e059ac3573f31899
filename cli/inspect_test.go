package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

type cliReport struct {
	Header     map[string]any `json:"header"`
	Claims     map[string]any `json:"claims"`
	Kid        string         `json:"kid"`
	Alg        string         `json:"alg"`
	Verified   bool           `json:"verified"`
	Key        string         `json:"key"`
	Reason     string         `json:"reason"`
	State      string         `json:"state"`
	Expired    bool           `json:"expired"`
	NotYet     bool           `json:"not_yet_valid"`
	Candidates []struct {
		Kid      string `json:"kid"`
		Outcome  string `json:"outcome"`
		Verified bool   `json:"verified"`
	} `json:"candidates"`
	Cleaned []string `json:"cleaned"`
}

func decodeReport(t *testing.T, out string) cliReport {
	t.Helper()
	var r cliReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not the JSON report: %v\n%s", err, out)
	}
	return r
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// keyFiles generates an EC key with the CLI and writes its private JWK and
// its public JWKS to files.
func keyFiles(t *testing.T, kid string) (privFile, jwksFile string) {
	t.Helper()
	out, errOut, code := run(t, "", "generate", "--kty", "EC", "--kid", kid)
	if code != ExitOK {
		t.Fatal(errOut)
	}
	key, err := jwk.ParseKey([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	jwks, err := keys.MarshalPublicJWKS(key)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "priv.json", out), writeFile(t, "jwks.json", string(jwks))
}

func signCLI(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := run(t, "", append([]string{"sign"}, args...)...)
	if code != ExitOK {
		t.Fatalf("sign exit %d: %s", code, errOut)
	}
	return strings.TrimSpace(out)
}

func TestSignThenInspect(t *testing.T) {
	priv, jwks := keyFiles(t, "k1")
	tok := signCLI(t, "--key", priv, "--claims", `{"sub":"alice","exp":1795400000}`)
	now := "--now=2026-11-22T10:00:00Z"

	out, errOut, code := run(t, "", "inspect", tok, "--jwks", jwks, now)
	r := decodeReport(t, out)
	if code != ExitOK || !r.Verified || r.Key != "k1" || r.Kid != "k1" || r.Alg != "ES256" || r.State != "verified" || errOut != "" {
		t.Fatalf("exit %d %+v %s", code, r, errOut)
	}
	if r.Claims["sub"] != "alice" || r.Header["typ"] != "JWT" || len(r.Candidates) != 1 || r.Candidates[0].Outcome != "verified" {
		t.Errorf("%+v", r)
	}

	// From standard input, pasted with its Bearer prefix; past its exp.
	out, _, code = run(t, "Bearer "+tok+"\n", "inspect", "-", "--jwk", jwks, "--now", "2026-11-23T10:00:00Z")
	r = decodeReport(t, out)
	if code != ExitNotValid || !r.Verified || !r.Expired || r.State != "expired" || !strings.HasPrefix(r.Reason, "signature valid but expired ") {
		t.Errorf("expired: exit %d %+v", code, r)
	}
	if strings.Join(r.Cleaned, ",") != `removed the "Bearer " prefix` {
		t.Errorf("cleaned %v", r.Cleaned)
	}

	// A header kid chosen by the user, and none at all.
	out, _, code = run(t, "", "inspect", signCLI(t, "--key", priv, "--kid", "other"), "--jwks", jwks, now)
	if r = decodeReport(t, out); code != ExitNotValid || r.Reason != "kid other not in the set (the set has: k1)" {
		t.Errorf("kid other: exit %d reason %q", code, r.Reason)
	}
	out, _, code = run(t, "", "inspect", signCLI(t, "--key", priv, "--kid="), "--jwks", jwks, now)
	if r = decodeReport(t, out); code != ExitOK || r.Kid != "" || r.Key != "k1" {
		t.Errorf("no kid: exit %d %+v", code, r)
	}

	// Tampered: exit 1 with the reason.
	parts := strings.Split(tok, ".")
	mid := len(parts[1]) / 2
	swap := map[byte]string{'A': "B"}[parts[1][mid]]
	if swap == "" {
		swap = "A"
	}
	parts[1] = parts[1][:mid] + swap + parts[1][mid+1:] // canonical base64url still
	out, _, code = run(t, "", "inspect", strings.Join(parts, "."), "--jwks", jwks, now)
	if r = decodeReport(t, out); code != ExitNotValid || r.Reason != "signature does not match" {
		t.Errorf("tampered: exit %d reason %q", code, r.Reason)
	}

	// No key source: decoded, not verified.
	out, _, code = run(t, "", "inspect", tok, now)
	if r = decodeReport(t, out); code != ExitNotValid || r.Claims["sub"] != "alice" || !strings.HasPrefix(r.Reason, "no keys to verify with") {
		t.Errorf("no keys: exit %d %+v", code, r)
	}
}

func TestInspectRFC7515A2WithNow(t *testing.T) {
	key := `{"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB"}`
	tok := "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
	f := writeFile(t, "a2.json", key)
	out, _, code := run(t, "", "inspect", tok, "--jwk", f, "--now", "2011-03-22T18:00:00Z")
	if r := decodeReport(t, out); code != ExitOK || !r.Verified || r.Expired || r.Key != "" {
		t.Errorf("before exp: exit %d %+v", code, r)
	}
	out, _, code = run(t, "", "inspect", tok, "--jwk", f, "--now", "2011-03-22T18:43:30Z", "--skew", "0s")
	if r := decodeReport(t, out); code != ExitNotValid || !r.Verified || !r.Expired || r.Reason != "signature valid but expired 30 s ago" {
		t.Errorf("30 s after exp, no skew: exit %d %+v", code, r)
	}
	out, _, code = run(t, "", "inspect", tok, "--jwk", f, "--now", "2011-03-22T18:43:30Z")
	if r := decodeReport(t, out); code != ExitOK || r.Expired {
		t.Errorf("30 s after exp, 60 s skew: exit %d %+v", code, r)
	}
}

func TestInspectHMACSecretFile(t *testing.T) {
	// RFC 7515 A.1, its key as base64url in a file with a trailing newline.
	tok := "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	f := writeFile(t, "secret", "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\n")
	out, errOut, code := run(t, "", "inspect", tok, "--secret-file", f, "--secret-encoding", "base64url", "--now", "2011-01-01T00:00:00Z")
	if r := decodeReport(t, out); code != ExitOK || !r.Verified {
		t.Fatalf("exit %d %+v %s", code, r, errOut)
	}
	// The same text read as UTF-8 text is another secret: not verified.
	out, errOut, code = run(t, "", "inspect", tok, "--secret-file", f, "--now", "2011-01-01T00:00:00Z")
	if r := decodeReport(t, out); code != ExitNotValid || r.Reason != "signature does not match" {
		t.Errorf("as text: exit %d %+v", code, r)
	}
	if errOut != "jwkdesk: note: the line break at the end of the secret file is not part of the secret\n" {
		t.Errorf("stderr %q", errOut)
	}
}

func TestInspectAndSignUsageErrors(t *testing.T) {
	priv, jwks := keyFiles(t, "k1")
	pubOnly := writeFile(t, "pub.json", mustRead(t, jwks))
	cases := []struct {
		stdin string
		args  []string
		msg   string
	}{
		{"", []string{"inspect", "not-a-token"}, "jwkdesk: inspect: not a JWT: a compact token has three parts separated by dots (a JWE has five), this has 1\n"},
		{"", []string{"inspect", "a.b.c", "--jwks", jwks, "--pem", jwks}, "jwkdesk: inspect: give one key source, not --jwks and --pem\n"},
		{"", []string{"inspect", "a.b.c", "--now", "yesterday"}, "jwkdesk: inspect: --now \"yesterday\" is not RFC 3339 (e.g. 2026-11-22T10:00:00Z)\n"},
		{"", []string{"inspect", "a.b.c", "--skew", "-1s"}, "jwkdesk: inspect: --skew must not be negative, got -1s\n"},
		{"", []string{"inspect", "a", "b"}, "jwkdesk: inspect: one token at a time, got 2 arguments\n"},
		{"", []string{"inspect", "x.y.z", "--jwk", "/nonexistent/k.json"}, "jwkdesk: inspect: --jwk: open /nonexistent/k.json: no such file or directory\n"},
		{"", []string{"inspect", "x.y.z", "--secret-file", jwks, "--secret-encoding", "hex"}, "jwkdesk: inspect: --secret-file " + jwks + ": the secret is not hex (encoding/hex: invalid byte: U+007B '{'): check it, or choose text or base64url\n"},
		{"", []string{"sign"}, "jwkdesk: sign: --key FILE is required: the private key to sign with\n"},
		{"", []string{"sign", "--key", pubOnly}, "jwkdesk: sign: " + pubOnly + " holds no private key: signing needs the private key (or an oct secret)\n"},
		{"", []string{"sign", "--key", priv, "--claims", "[]"}, "jwkdesk: sign: the claims must be a JSON object such as {\"sub\":\"alice\"}: json: cannot unmarshal array into Go value of type map[string]json.RawMessage\n"},
	}
	for _, c := range cases {
		out, errOut, code := run(t, c.stdin, c.args...)
		if code != ExitUsage || out != "" || errOut != c.msg {
			t.Errorf("%v: exit %d stdout %q\nstderr %q\nwant   %q", c.args, code, out, errOut, c.msg)
		}
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
