package ui

import (
	"strings"
	"testing"
	"unicode/utf16"

	"fyne.io/fyne/v2"
)

// TestPEMTabMalformedInputs: every malformed input gets its exact message
// next to the paste area, the text stays as pasted, no stale result is left
// and nothing panics.
func TestPEMTabMalformedInputs(t *testing.T) {
	_, mw, p := pemWindow(t)
	rsa := pemFixture(t, "rsa-pkcs1.pem")
	spki := pemFixture(t, "rsa-spki.pem")
	lines := strings.Split(rsa, "\n")
	full := "Not a key: paste a PEM key or certificate (-----BEGIN …), a JWK, a JWKS, base64 DER or an OpenSSH public key"
	notJWK := `This JSON is neither a JWK (it has no "kty") nor a JWKS (it has no "keys")`
	cases := []struct{ name, in, want string }{
		{"words", "hello there", full},
		{"array", "[]", full},
		{"number", "12345", full},
		{"brace", "{", "This starts like JSON but is not valid JSON (the text ends before the JSON does): paste the whole JWK or JWKS"},
		{"other JSON", `{"a":1}`, notJWK},
		{"no kty", `{"kid":"x","n":"AQAB"}`, notJWK},
		{"keys not an array", `{"keys":"nope"}`, `"keys" is not an array: a JWKS is {"keys": [ … ]}`},
		{"empty JWKS", `{"keys":[]}`, `This JWKS holds no keys: "keys" is empty`},
		{"JWKS of bad keys", `{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","kid":"x"}]}`, `The JWKS's only key cannot be read: key 1 (kid "x"): an RSA modulus of 17 bits is refused: under 1024 bits it is broken`},
		{"tiny RSA JWK", `{"kty":"RSA","n":"AQAB","e":"AQAB"}`, "An RSA modulus of 17 bits is refused: under 1024 bits it is broken"},
		{"duplicate member", `{"kty":"EC","kty":"EC"}`, `Member "kty" appears twice: refused, since readers disagree on which one counts`},
		{"case twin", `{"kty":"EC","KTY":"EC"}`, `Members "kty" and "KTY" differ only in case: refused, member names are case-sensitive and one of them is a trap`},
		{"unknown kty", `{"kty":"DSA","p":"AQ"}`, `Unknown key type "DSA": JWK Desk reads RSA, EC, OKP and oct keys (RFC 7518 §6.1)`},
		{"no END line", "-----BEGIN PUBLIC KEY-----", "A BEGIN line without a matching END line (or a damaged block): copy the whole PEM, from -----BEGIN to -----END"},
		{"unknown PEM type", "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n", "Unknown PEM type `FOO` (block 1): JWK Desk reads PUBLIC KEY, RSA PUBLIC KEY, PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY and CERTIFICATE"},
		{"DSA", pemFixture(t, "dsa.pem"), "Unknown PEM type `DSA PRIVATE KEY`: DSA keys cannot be used with JOSE"},
		{"CSR", pemFixture(t, "csr.pem"), "This is a certificate signing request (CSR), not a key: paste the key it was made from, or the certificate issued for it"},
		{"CRL label", "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n", "This is a certificate revocation list, not a key"},
		{"truncated body", strings.Join(lines[:10], "\n") + "\n-----END RSA PRIVATE KEY-----\n", "PEM block 1 (RSA PRIVATE KEY) is cut short: its DER ends before the PKCS#1 RSA private key does: copy the whole block again, from -----BEGIN to -----END"},
		{"wrong label", strings.ReplaceAll(spki, "PUBLIC KEY", "RSA PRIVATE KEY"), "PEM block 1 is labelled RSA PRIVATE KEY but holds a SPKI public key (PUBLIC KEY): fix its BEGIN and END lines"},
		{"garbage certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "PEM block 1 (CERTIFICATE) is damaged: it is not a well-formed X.509 certificate: copy the whole block again, from -----BEGIN to -----END"},
		{"EC PARAMETERS only", "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n", "No key in these PEM blocks"},
		{"encrypted, no passphrase", pemFixture(t, "ec-p384-encrypted-pbkdf2.pem"), "This is an encrypted PKCS#8 private key: enter its passphrase below"},
		{"legacy encrypted, no passphrase", pemFixture(t, "rsa-pkcs1-legacy-encrypted.pem"), "This is a PKCS#1 RSA private key protected by a passphrase (legacy PEM encryption): enter its passphrase below"},
		{"binary garbage", "\x00\x01\x02\xff\xfe\x80garbage", "DER (binary) that is no key or certificate JWK Desk knows (SPKI, PKCS#1, PKCS#8, SEC1, X.509)"},
		{"base64 garbage", "MIIB" + strings.Repeat("A", 100), "DER (base64) that is no key or certificate JWK Desk knows (SPKI, PKCS#1, PKCS#8, SEC1, X.509)"},
		{"broken OpenSSH", "ssh-rsa AAAA user", "This looks like an OpenSSH public key (ssh-rsa) but its key does not parse: the base64 part is cut short or damaged; copy the whole line again"},
		{"64 KiB of one word", strings.Repeat("A", 64<<10), "DER (base64) that is no key or certificate JWK Desk knows (SPKI, PKCS#1, PKCS#8, SEC1, X.509)"},
	}
	if len(cases) < 25 {
		t.Fatalf("only %d malformed inputs", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			convertWait(t, p, func() { p.input.SetText(c.in) })
			if !p.inputErr.Visible() || p.inputErr.Text != c.want {
				t.Errorf("message\n got %q\nwant %q", p.inputErr.Text, c.want)
			}
			if p.input.Text != c.in {
				t.Error("the input was changed")
			}
			if p.pubJWK.content != "" || !p.addBtn.Disabled() {
				t.Error("a result is shown for bad input")
			}
		})
	}
	if mw.sh.ws.Len() != 0 {
		t.Error("bad input reached the workspace")
	}
	// A paste over the cap is refused before the text reaches the entry.
	before := p.input.Text
	mw.sh.app.Clipboard().SetContent(strings.Repeat("A", 10<<20))
	p.input.TypedShortcut(&fyne.ShortcutPaste{Clipboard: mw.sh.app.Clipboard()})
	if p.input.Text != before || p.inputErr.Text != "Not pasted: the clipboard holds 10240 KiB, over the 1024 KiB limit for keys and certificates. Your text is unchanged; open a file with Ctrl+O, or paste one key or certificate at a time." {
		t.Errorf("10 MiB paste: %q", p.inputErr.Text)
	}
	mw.routeText(strings.Repeat("A", 10<<20), "the clipboard")
	if mw.sh.status.Text != "Nothing routed: the clipboard holds 10240 KiB, over the 1024 KiB limit for keys, key sets and tokens." {
		t.Errorf("routing 10 MiB: %q", mw.sh.status.Text)
	}
	jt := mw.jwt
	mw.sh.app.Clipboard().SetContent("eyJ" + strings.Repeat("A", 70<<10))
	jt.tokenEntry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: mw.sh.app.Clipboard()})
	if jt.tokenEntry.Text != "" || !strings.HasPrefix(jt.tokenErr.Text, "Not pasted: the clipboard holds 70 KiB, over the 64 KiB limit for a token.") {
		t.Errorf("70 KiB token paste: %q", jt.tokenErr.Text)
	}
	// Lenient where it is safe: UTF-16 with a BOM, CRLF, a UTF-8 BOM and
	// leading spaces all convert.
	u := utf16.Encode([]rune(pemFixture(t, "ec-p256-spki.pem")))
	b := []byte{0xff, 0xfe}
	for _, r := range u {
		b = append(b, byte(r), byte(r>>8))
	}
	for name, in := range map[string]string{
		"UTF-16":           string(b),
		"CRLF + BOM + pad": "\ufeff   " + strings.ReplaceAll(pemFixture(t, "ec-p256-spki.pem"), "\n", "\r\n"),
	} {
		convertWait(t, p, func() { p.input.SetText(in) })
		if p.inputErr.Visible() || !strings.Contains(p.found.Text, "SPKI public key, EC P-256") {
			t.Errorf("%s: %q / %q", name, p.inputErr.Text, p.found.Text)
		}
	}
}

// eachMalformed runs check on each malformed input (at least 25) with its
// expectation, in a subtest named after the input; an input without an
// expectation fails.
func eachMalformed[W any](t *testing.T, cases [][2]string, wants map[string]W, check func(t *testing.T, in string, w W)) {
	t.Helper()
	if len(cases) < 25 {
		t.Fatalf("only %d malformed inputs", len(cases))
	}
	for _, c := range cases {
		t.Run(c[0], func(t *testing.T) {
			w, ok := wants[c[0]]
			if !ok {
				t.Fatal("no expectation")
			}
			check(t, c[1], w)
		})
	}
}
