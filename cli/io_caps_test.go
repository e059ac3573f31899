package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/input"
)

// endless is standard input that never ends (yes | jwkdesk …); it counts
// what was read.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'A'
	}
	e.n += int64(len(p))
	return len(p), nil
}

func runWith(stdin io.Reader, args ...string) (string, string, int) {
	var out, errOut bytes.Buffer
	code := Run(args, Env{Stdin: stdin, Stdout: &out, Stderr: &errOut})
	return out.String(), errOut.String(), code
}

// bigFile is a file one byte over limit, or /dev/zero where there is one:
// an endless file must cost its cap, not all the memory.
func bigFile(t *testing.T, limit int64) string {
	t.Helper()
	if _, err := os.Stat("/dev/zero"); err == nil {
		return "/dev/zero"
	}
	p := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(p, bytes.Repeat([]byte("A"), int(limit+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Every read of every command goes through one capped reader: a file or
// standard input over its cap is refused with one line on stderr, exit 2,
// and at most the cap plus one byte is read (issue 22.4: --passphrase-file
// /dev/zero died out of memory after a 146-line trace).
func TestEveryReadIsCapped(t *testing.T) {
	keys := func(t *testing.T) string { return bigFile(t, input.MaxKeyInput) }
	cases := []struct {
		name  string
		stdin bool // endless standard input instead of a file
		args  func(t *testing.T) []string
		want  string
	}{
		{"convert --passphrase-file /dev/zero", false, func(t *testing.T) []string {
			return []string{"convert", parseFixture("ec-p384-encrypted-pbkdf2.pem"), "--passphrase-file", bigFile(t, input.MaxPassphrase)}
		}, "jwkdesk: convert: the passphrase file is over 4 KiB: a passphrase file holds the passphrase on its first line"},
		{"convert FILE", false, func(t *testing.T) []string { return []string{"convert", keys(t)} }, " is over 1 MiB, the limit for keys, certificates and key sets"},
		{"convert -", true, func(*testing.T) []string { return []string{"convert", "-"} }, "jwkdesk: convert: standard input is over 1 MiB, the limit for keys, certificates and key sets: give one key, bundle or set at a time"},
		{"thumbprint FILE", false, func(t *testing.T) []string { return []string{"thumbprint", keys(t)} }, " is over 1 MiB"},
		{"thumbprint (standard input)", true, func(*testing.T) []string { return []string{"thumbprint"} }, "jwkdesk: thumbprint: standard input is over 1 MiB"},
		{"jwks FILE", false, func(t *testing.T) []string { return []string{"jwks", keys(t)} }, " is over 1 MiB"},
		{"jwks (standard input)", true, func(*testing.T) []string { return []string{"jwks"} }, "jwkdesk: jwks: standard input is over 1 MiB"},
		{"inspect (standard input)", true, func(*testing.T) []string { return []string{"inspect"} }, "jwkdesk: inspect: standard input is over 64 KiB, the limit for a token: give the token alone"},
		{"inspect --jwks", false, func(t *testing.T) []string { return []string{"inspect", "e30.e30.e30", "--jwks", keys(t)} }, "jwkdesk: inspect: --jwks: "},
		{"inspect --jwk", false, func(t *testing.T) []string { return []string{"inspect", "e30.e30.e30", "--jwk", keys(t)} }, "jwkdesk: inspect: --jwk: "},
		{"inspect --pem", false, func(t *testing.T) []string { return []string{"inspect", "e30.e30.e30", "--pem", keys(t)} }, "jwkdesk: inspect: --pem: "},
		{"inspect --secret-file", false, func(t *testing.T) []string { return []string{"inspect", "e30.e30.e30", "--secret-file", keys(t)} }, "jwkdesk: inspect: --secret-file: "},
		{"sign --key", false, func(t *testing.T) []string { return []string{"sign", "--key", keys(t)} }, "jwkdesk: sign: --key: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := &endless{}
			out, errOut, code := runWith(in, c.args(t)...)
			if code != ExitUsage || out != "" {
				t.Fatalf("exit %d, stdout %q", code, out)
			}
			if !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("stderr %q, want one line with %q", errOut, c.want)
			}
			if !strings.Contains(errOut, " is over ") {
				t.Errorf("stderr %q does not name the cap", errOut)
			}
			if c.stdin && (in.n == 0 || in.n > input.MaxKeyInput+64<<10) {
				t.Errorf("read %d bytes of standard input", in.n)
			}
		})
	}
}

// --passphrase-file is its first line, without the line break, as its help
// has always said (issue 22.12: the whole file was used, so a file with a
// second line never decrypted), for every kind of encrypted key.
func TestPassphraseFileFirstLine(t *testing.T) {
	keys := []string{
		"ec-p384-encrypted-pbkdf2.pem",   // RFC 8018 PBES2 with PBKDF2
		"ed25519-encrypted-scrypt.pem",   // RFC 7914 scrypt
		"rsa-pkcs1-legacy-encrypted.pem", // RFC 1421 Proc-Type
		"openssh-ed25519-encrypted.pem",  // OpenSSH PROTOCOL.key bcrypt_pbkdf
	}
	cases := []struct {
		name, file string
		ok         bool
		stderr     string
	}{
		{"no line break", "correct-horse", true, ""},
		{"LF", "correct-horse\n", true, ""},
		{"CRLF", "correct-horse\r\n", true, ""},
		{"a second line", "correct-horse\nthe old one: battery-staple\n", true, "only the first line of the passphrase file is the passphrase"},
		{"a second line after CRLF", "correct-horse\r\nnotes\r\n", true, "only the first line"},
		{"blank lines after", "correct-horse\n\n\n", true, ""},
		{"trailing space is the passphrase's", "correct-horse \n", false, "passphrase does not decrypt"},
		{"empty first line", "\ncorrect-horse\n", false, "the first line of the passphrase file"},
		{"empty file", "", false, "is empty: write the passphrase on it"},
	}
	for _, key := range keys {
		for _, c := range cases {
			t.Run(key+"/"+c.name, func(t *testing.T) {
				pass := filepath.Join(t.TempDir(), "pass")
				if err := os.WriteFile(pass, []byte(c.file), 0o600); err != nil {
					t.Fatal(err)
				}
				out, errOut, code := run(t, "", "convert", parseFixture(key), "--passphrase-file", pass)
				if (code == ExitOK) != c.ok || !strings.Contains(errOut, c.stderr) {
					t.Fatalf("exit %d, stderr %q (want %q)", code, errOut, c.stderr)
				}
				if c.ok && !strings.Contains(out, `"d"`) {
					t.Errorf("no private JWK: %s", out)
				}
				if c.stderr == "" && strings.Contains(errOut, "note:") {
					t.Errorf("unexpected note: %s", errOut)
				}
			})
		}
	}
}

// --out writes private output 0600 through a temporary file and a rename
// (convert.WriteFileAtomic), for every command that prints a key or token;
// nothing goes to stdout, nothing temporary is left behind, an existing
// world-readable file is replaced by a private one (issue 22.12).
func TestOutFlagWritesPrivately(t *testing.T) {
	pass := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(pass, []byte("correct-horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	priv, _, code := run(t, "", "generate", "--kty", "EC", "--kid", "k1")
	if code != ExitOK {
		t.Fatal("generate")
	}
	keyFile := filepath.Join(t.TempDir(), "k1.json")
	if err := os.WriteFile(keyFile, []byte(priv), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		args  []string
		check func(string) bool
	}{
		{"generate JWK", []string{"generate", "--kty", "OKP"}, isPrivateJWK},
		{"generate PEM", []string{"generate", "--kty", "RSA", "--pem"}, prefix("-----BEGIN PRIVATE KEY-----")},
		{"generate oct", []string{"generate", "--kty", "oct"}, isPrivateJWK},
		{"convert PEM to JWK", []string{"convert", parseFixture("rsa-pkcs1.pem")}, isPrivateJWK},
		{"convert encrypted", []string{"convert", parseFixture("ed25519-encrypted-scrypt.pem"), "--passphrase-file", pass}, isPrivateJWK},
		{"convert to PEM", []string{"convert", keyFile, "--to", "pem", "--pem-format", "sec1"}, prefix("# kid: k1")},
		{"convert to JWKS", []string{"convert", parseFixture("ec-p521-pkcs8.pem"), "--to", "jwks"}, func(s string) bool { return strings.Contains(s, `"keys"`) && strings.Contains(s, `"d"`) }},
		{"sign", []string{"sign", "--key", keyFile, "--claims", `{"sub":"alice"}`}, func(s string) bool { return strings.Count(s, ".") == 2 && strings.HasSuffix(s, "\n") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			dst := filepath.Join(dir, "out")
			if err := os.WriteFile(dst, []byte("old, world-readable"), 0o644); err != nil {
				t.Fatal(err)
			}
			out, errOut, code := run(t, "", append(c.args, "--out", dst)...)
			if code != ExitOK || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %s", code, out, errOut)
			}
			st, err := os.Stat(dst)
			if err != nil || st.Mode().Perm() != 0o600 {
				t.Fatalf("mode %v %v", st.Mode(), err)
			}
			b, _ := os.ReadFile(dst)
			if !c.check(string(b)) {
				t.Errorf("content %q", b)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("left behind: %v", entries)
			}
		})
	}
	t.Run("no such folder", func(t *testing.T) {
		_, errOut, code := run(t, "", "generate", "--kty", "EC", "--out", filepath.Join(t.TempDir(), "missing", "k.json"))
		if code != ExitUsage || !strings.Contains(errOut, "failed to create a temporary file") {
			t.Errorf("exit %d: %s", code, errOut)
		}
	})
	t.Run("--out - is standard output", func(t *testing.T) {
		out, _, code := run(t, "", "generate", "--kty", "EC", "--out", "-")
		if code != ExitOK || !isPrivateJWK(out) {
			t.Errorf("exit %d: %s", code, out)
		}
	})
	for _, cmd := range []string{"generate", "convert", "sign"} {
		t.Run(cmd+" --help", func(t *testing.T) {
			out, _, code := run(t, "", cmd, "--help")
			if code != ExitOK || !strings.Contains(out, "-out") || !strings.Contains(out, "mode 0600") || !strings.Contains(out, "(0644 with the usual umask)") {
				t.Errorf("%s --help: %s", cmd, out)
			}
		})
	}
}

func isPrivateJWK(s string) bool {
	var m map[string]any
	return json.Unmarshal([]byte(s), &m) == nil && (m["d"] != nil || m["k"] != nil)
}

func prefix(p string) func(string) bool {
	return func(s string) bool { return strings.HasPrefix(s, p) }
}
