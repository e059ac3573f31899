package cli

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzArgs runs the CLI on arbitrary argument lists (NUL-separated) and
// standard input: it must never panic (Run turns a panic into "internal
// error") and must exit 0, 1 or 2. Network flags are dropped: a fuzzer must
// not send requests.
func FuzzArgs(f *testing.F) {
	for _, seed := range []string{
		"generate\x00--kty\x00EC", "generate\x00--kty\x00oct\x00--pem", "thumbprint", "thumbprint\x00-",
		"inspect\x00-", "inspect\x00a.b.c\x00--skew\x00-5s", "sign\x00--key", "jwks\x00-", "--help", "--version",
		"generate\x00--kty\x00RSA\x00--size\x00-1", "generate\x00--kty\x00EC\x00--cert\x00--days\x000",
	} {
		f.Add(seed, `{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`)
	}
	f.Fuzz(func(t *testing.T, argLine, stdin string) {
		var args []string
		for _, a := range strings.Split(argLine, "\x00") {
			if strings.Contains(a, "fetch") || strings.Contains(a, "issuer") || strings.HasPrefix(a, "/") || strings.Contains(a, "size") && strings.Contains(argLine, "RSA") {
				return // no network, no files outside the test, no slow RSA keygen loops
			}
			args = append(args, a)
		}
		var out, errOut bytes.Buffer
		code := Run(args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut})
		if strings.Contains(errOut.String(), "internal error") {
			t.Fatalf("panic for %q: %s", args, errOut.String())
		}
		if code < 0 || code > 2 {
			t.Fatalf("exit code %d", code)
		}
	})
}
