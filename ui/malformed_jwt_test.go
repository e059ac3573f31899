package ui

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/jwkdesk/jwkdesk/convert/token"
)

func b64u(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// strayBits re-encodes the last character of a base64url text whose length
// leaves unused bits, setting one of them: the same bytes for a lenient
// decoder, a different token for a strict one.
func strayBits(s string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	if len(s)%4 == 0 {
		s += "A" // cannot happen for the headers used here
	}
	return s[:len(s)-1] + string(alphabet[strings.IndexByte(alphabet, s[len(s)-1])|1])
}

// jwtMalformed is the JWT tab's malformed-input table, built around a
// valid token signed by the workspace key k1.
func jwtMalformed(t *testing.T, valid string) [][2]string {
	parts := strings.Split(valid, ".")
	h, p, s := parts[0], parts[1], parts[2]
	u16 := utf16.Encode([]rune(valid))
	var u16b []byte
	u16b = append(u16b, 0xff, 0xfe)
	for _, r := range u16 {
		u16b = append(u16b, byte(r), byte(r>>8))
	}
	return [][2]string{
		{"words", "hello there"},
		{"two parts", h + "." + p},
		{"four parts", h + "." + p + "." + s + ".x"},
		{"only dots", "...."},
		{"header not base64url", "!!!." + p + "." + s},
		{"header not JSON", b64u("hello") + "." + p + "." + s},
		{"header a JSON array", b64u("[1,2]") + "." + p + "." + s},
		{"header without alg", b64u(`{"typ":"JWT","kid":"k1"}`) + "." + p + "." + s},
		{"alg none", b64u(`{"alg":"none"}`) + "." + p + "."},
		{"padded base64url", h + "=." + p + "." + s},
		{"standard base64 alphabet", strings.NewReplacer("-", "+", "_", "/").Replace(h) + "+/." + p + "." + s},
		{"non-canonical base64 tail", strayBits(h) + "." + p + "." + s},
		{"payload not JSON", h + "." + b64u("just text") + "." + s},
		{"signature too short", h + "." + p + "." + s[:20]},
		{"signature cut", h + "." + p + "." + s[:80]}, // 60 bytes, canonically encoded
		{"empty signature", h + "." + p + "."},
		{"binary garbage", "\x00\x01\x02\xff\xfe\x80"},
		{"UTF-16 with BOM", string(u16b)},
		{"JWE five parts", b64u(`{"alg":"RSA-OAEP","enc":"A256GCM"}`) + ".a.b.c.d"},
		{"duplicate alg", b64u(`{"alg":"ES256","alg":"none","kid":"k1"}`) + "." + p + "." + s},
		{"unknown crit", b64u(`{"alg":"ES256","kid":"k1","crit":["exp"],"exp":1}`) + "." + p + "." + s},
		{"unknown kid", b64u(`{"alg":"ES256","kid":"nobody"}`) + "." + p + "." + s},
		{"alg confusion HS256 with kid", b64u(`{"alg":"HS256","kid":"k1"}`) + "." + p + "." + s},
		{"jku header", b64u(`{"alg":"ES256","kid":"k1","jku":"https://evil.example/jwks"}`) + "." + p + "." + s},
		{"header only eyJ", "eyJ"},
		{"line breaks inside", h + ".\n" + p + "\n." + s},
		{"Bearer and quotes", "Bearer \"" + valid + "\""},
		{"truncated header", h[:10]},
	}
}

// TestJWTTabMalformedInputs: every malformed or hostile token gets its
// exact message (next to the entry when it is not a token at all, in the
// banner when it is refused), the text stays as pasted, nothing panics,
// and the workspace is untouched.
func TestJWTTabMalformedInputs(t *testing.T) {
	_, mw, jt, k1 := jwtWindow(t)
	valid := signToken(t, k1, map[string]any{"sub": "alice", "iat": tabNow.Add(-time.Hour).Unix(), "exp": tabNow.Add(time.Hour).Unix()}, "k1")
	type want struct{ err, state, banner, warning string }
	wants := map[string]want{
		"words":                        {"Not a JWT: a compact token has three parts separated by dots (a JWE has five), this has 1", "", "Not a token: see the message under the entry.", ""},
		"two parts":                    {"Not a JWT: a compact token has three parts separated by dots (a JWE has five), this has 2", "", "Not a token: see the message under the entry.", ""},
		"four parts":                   {"Not a JWT: a compact token has three parts separated by dots (a JWE has five), this has 4", "", "Not a token: see the message under the entry.", ""},
		"only dots":                    {"Not a JWT: the header (first part) is empty", "", "Not a token: see the message under the entry.", ""},
		"header not base64url":         {"Not a JWT: part 1 holds '!', which base64url never uses (check that the whole token was copied)", "", "Not a token: see the message under the entry.", ""},
		"header not JSON":              {"Not a JWT: the header (first part) is not a JSON object", "", "Not a token: see the message under the entry.", ""},
		"header a JSON array":          {"Not a JWT: the header (first part) is not a JSON object", "", "Not a token: see the message under the entry.", ""},
		"header without alg":           {"", token.StateNotVerified, "Not verified: the header has no \"alg\": refused", ""},
		"alg none":                     {"", token.StateNotVerified, "Not verified: alg \"none\" (an unsecured token): refused, never verified", ""},
		"padded base64url":             {"Not a JWT: part 1 holds '=', which base64url never uses (check that the whole token was copied)", "", "Not a token: see the message under the entry.", ""},
		"standard base64 alphabet":     {"Not a JWT: part 1 holds '+', which base64url never uses (check that the whole token was copied)", "", "Not a token: see the message under the entry.", ""},
		"non-canonical base64 tail":    {"Not a JWT: the header (first part) is not canonical base64url: its last character carries stray bits (a token is encoded one way only; check that it was not edited)", "", "Not a token: see the message under the entry.", ""},
		"payload not JSON":             {"", token.StateNotVerified, "Not verified: signature does not match", "the payload is not a JSON object: shown as text, no claims to check"},
		"signature too short":          {"", token.StateNotVerified, "Not verified: the signature is 15 bytes, but an ES256 signature is 64: refused (was the token cut short?)", ""},
		"signature cut":                {"", token.StateNotVerified, "Not verified: the signature is 60 bytes, but an ES256 signature is 64: refused (was the token cut short?)", ""},
		"empty signature":              {"", token.StateNotVerified, "Not verified: the signature (third part) is empty: refused (an unsigned token is never verified)", ""},
		"binary garbage":               {"Not a JWT: a compact token has three parts separated by dots (a JWE has five), this has 1", "", "Not a token: see the message under the entry.", ""},
		"UTF-16 with BOM":              {"", token.StateVerified, "Verified with key k1", ""},
		"JWE five parts":               {"Not a compact JWE: the encrypted key (second part) is not base64url (its length is impossible): check that the whole token was copied", "", "Not a token: see the message under the entry.", ""},
		"duplicate alg":                {"", token.StateNotVerified, "Not verified: the header has the member \"alg\" twice (verifiers disagree on which one wins): refused", ""},
		"unknown crit":                 {"", token.StateNotVerified, "Not verified: the header marks \"exp\" as critical (crit), an extension this app does not understand: refused", ""},
		"unknown kid":                  {"", token.StateNotVerified, "Not verified: kid nobody not in the set (the set has: k1, k2)", ""},
		"alg confusion HS256 with kid": {"", token.StateNotVerified, "Not verified: the signature is 64 bytes, but an HS256 signature is 32: refused (was the token cut short?)", ""},
		"jku header":                   {"", token.StateNotVerified, "Not verified: signature does not match", "the header carries \"jku\": shown only; a key named by the token itself is never used and nothing is fetched"},
		"header only eyJ":              {"Not a JWT: a compact token has three parts separated by dots (a JWE has five), this has 1", "", "Not a token: see the message under the entry.", ""},
		"line breaks inside":           {"", token.StateVerified, "Verified with key k1", ""},
		"Bearer and quotes":            {"", token.StateVerified, "Verified with key k1", ""},
		"truncated header":             {"Not a JWT: a compact token has three parts separated by dots (a JWE has five), this has 1", "", "Not a token: see the message under the entry.", ""},
	}
	eachMalformed(t, jwtMalformed(t, valid), wants, func(t *testing.T, in string, w want) {
		inspectWait(t, jt, func() { jt.tokenEntry.SetText(in) })
		if w.err == "" && jt.tokenErr.Visible() || w.err != "" && (!jt.tokenErr.Visible() || jt.tokenErr.Text != w.err) {
			t.Errorf("message under the entry\n got %q\nwant %q", jt.tokenErr.Text, w.err)
		}
		if jt.state != w.state || jt.bannerText.Text != w.banner {
			t.Errorf("banner\n got %s %q\nwant %s %q", jt.state, jt.bannerText.Text, w.state, w.banner)
		}
		if got := strings.SplitN(jt.warnings.Text, "\n", 2)[0]; got != w.warning {
			t.Errorf("warning %q, want %q", got, w.warning)
		}
		if jt.tokenEntry.Value() != in {
			t.Error("the token text was changed")
		}
		if w.state != "verified" && jt.report != nil && jt.report.Verified {
			t.Error("a malformed token verified")
		}
	})
	if mw.sh.ws.Len() != 2 {
		t.Errorf("the workspace holds %d keys", mw.sh.ws.Len())
	}
}
