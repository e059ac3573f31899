package jwe

import (
	"encoding/json"
	"strings"
	"testing"
)

// The plaintext is rendered for reading: text as it is, JSON pretty-printed
// within the caps, binary in base64 with a note.
func TestRender_plaintextKinds(t *testing.T) {
	deep := strings.Repeat("[", 40) + strings.Repeat("]", 40)
	wide := "[" + strings.Repeat(`{"a":[1,2,3]},`, 30000) + `{"a":1}]`
	cases := []struct {
		name, pt, kind, text, note string
	}{
		{"RFC7519_claims_object_pretty", `{"sub":"alice","n":[1,2]}`, TextJSON, "{\n  \"sub\": \"alice\",\n  \"n\": [\n    1,\n    2\n  ]\n}", ""},
		{"RFC8259_array_pretty", ` [1] `, TextJSON, "[\n  1\n]", ""},
		{"RFC7520_5_plain_text_as_is", "You can trust us–to the end.\n", TextPlain, "You can trust us–to the end.\n", ""},
		{"RFC8259_a_JSON_number_is_text", "123", TextPlain, "123", ""},
		{"not_JSON_though_it_starts_with_a_brace", "{not json", TextPlain, "{not json", ""},
		{"binary_base64", "\x00\x01\xfe\xff", TextBinary, "AAH+/w==", "4 bytes of binary data (not UTF-8 text): shown in base64"},
		{"control_characters_are_binary", "ab\x07c", TextBinary, "YWIHYw==", "binary"},
		{"empty", "", TextEmpty, "", "the plaintext is empty"},
		{"deep_JSON_as_written", deep, TextJSON, deep, "nests 40 levels deep (over 32): shown as written"},
		{"wide_JSON_as_written", wide, TextJSON, wide, "would pretty-print to more than 256 KiB: shown as written"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kind, text, note := render([]byte(c.pt))
			if kind != c.kind || text != c.text {
				t.Errorf("render = %s %q, want %s %q", kind, abbreviate(text), c.kind, abbreviate(c.text))
			}
			if (c.note == "") != (note == "") || !strings.Contains(note, c.note) {
				t.Errorf("note %q, want %q", note, c.note)
			}
		})
	}
}

func abbreviate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// A nested token (RFC 7519 §5.2) is found by cty "JWT" in any case and
// with "application/", or because the plaintext is a compact JWS or JWE;
// the inner token is handed back for its own inspection.
func TestInspect_nestedJWT_RFC7519Section5_2(t *testing.T) {
	secret := secretOf(32, 3)
	jws := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNTE2MjM5MDIyfQ.gog41qgIIHkH2h-83gwRq5-NYOciZ4DgN4ulHFSkh6k"
	inner := jwxEncrypt(t, []byte("x"), "dir", "A128GCM", secretOf(16, 1), nil)
	cases := []struct {
		name, cty, pt, kind, warning string
	}{
		{"cty_JWT", "JWT", jws, "JWS", ""},
		{"cty_jwt_lower_case_RFC7515_4.1.10", "jwt", jws, "JWS", ""},
		{"cty_application_jwt_RFC7515_4.1.10", "application/JWT", jws + "\n", "JWS", ""},
		{"no_cty_looks_like_a_JWS", "", jws, "JWS", ""},
		{"no_cty_a_nested_JWE", "", inner, "JWE", ""},
		{"cty_JWT_but_no_token", "JWT", "hello.world.again", "", "cty is \"JWT\", which announces a nested JWT"},
		{"dots_but_no_header", "", "a.b.c", "", ""},
		{"a_JSON_object_is_not_nested", "", `{"a":"b.c.d"}`, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := map[string]any{}
			if c.cty != "" {
				h["cty"] = c.cty
			}
			tok := jwxEncrypt(t, []byte(c.pt), "dir", "A256GCM", secret, h)
			r := mustInspect(t, tok, SharedSecret(secret), Options{})
			if !r.Decrypted {
				t.Fatal(r.Reason)
			}
			if r.Nested != (c.kind != "") || r.InnerKind != c.kind {
				t.Fatalf("nested=%v kind=%q, want %q", r.Nested, r.InnerKind, c.kind)
			}
			if c.kind != "" && (r.Inner != strings.TrimSpace(c.pt) || !strings.Contains(r.Verdict, "the plaintext is a nested "+c.kind+" (RFC 7519 §5.2)")) {
				t.Errorf("inner %q verdict %q", r.Inner, r.Verdict)
			}
			if c.warning != "" && (len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], c.warning)) {
				t.Errorf("warnings %q", r.Warnings)
			}
			if strings.Contains(strings.ToLower(r.Verdict), "press") || strings.Contains(strings.ToLower(r.Verdict), " tab") {
				t.Errorf("screen words in the verdict %q", r.Verdict)
			}
		})
	}
}

// An empty plaintext is decrypted, and said to be empty (RFC 7516 §5.1
// allows it: the content encryption of zero bytes).
func TestInspect_emptyPlaintext_RFC7516Section5_1(t *testing.T) {
	secret := secretOf(32, 3)
	for _, enc := range []string{"A256GCM", "A128CBC-HS256"} {
		tok := jwxEncrypt(t, nil, "dir", enc, secret, nil)
		r := mustInspect(t, tok, SharedSecret(secret), Options{})
		if !r.Decrypted || r.Plaintext == nil || len(r.Plaintext) != 0 || r.Render().Kind != TextEmpty {
			t.Fatalf("decrypted=%v plaintext=%v rendering=%+v reason=%q", r.Decrypted, r.Plaintext, r.Render(), r.Reason)
		}
	}
}

// The header's members that are shown and never used are named; a PBES2
// count under 1,000 is read, with a warning; an epk that carries its
// private part is read, with a warning.
func TestInspect_headerWarnings_RFC7516Section4_1(t *testing.T) {
	secret := secretOf(32, 3)
	tok := jwxEncrypt(t, []byte("x"), "dir", "A256GCM", secret, map[string]any{"jku": "https://attacker.example/keys", "x5u": "https://attacker.example/cert"})
	r := mustInspect(t, tok, SharedSecret(secret), Options{})
	if !r.Decrypted || len(r.Warnings) != 2 || !strings.Contains(r.Warnings[0], `carries "jku": shown, never used`) {
		t.Fatalf("warnings %q", r.Warnings)
	}
	pbes := jwxEncrypt(t, []byte("x"), "PBES2-HS256+A128KW", "A128GCM", []byte("pw"), nil, pbesCount(1000))
	low := editHeader(t, pbes, func(m map[string]any) { m["p2c"] = 999 })
	r = mustInspect(t, low, Passphrase([]byte("pw")), Options{})
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "p2c is 999: under the 1,000 iterations RFC 7518 §4.8.1.2 recommends") {
		t.Fatalf("warnings %q", r.Warnings)
	}
	if r.Decrypted || r.Candidates[0].Code != CodeNotOpened { // the header was edited: the count is read, the token does not authenticate
		t.Fatalf("candidate %+v", r.Candidates[0])
	}
	p256 := testKey(t, "P-256")
	ecdhes := jwxEncrypt(t, []byte("x"), "ECDH-ES", "A128GCM", publicOf(t, p256), nil)
	var priv map[string]any // an ephemeral key sent with its private part
	b, _ := json.Marshal(testKey(t, "P-256b"))
	_ = json.Unmarshal(b, &priv)
	leaked := editHeader(t, ecdhes, func(m map[string]any) { m["epk"] = priv })
	r = mustInspect(t, leaked, OneKey("pasted key", p256), Options{})
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "the sender published its ephemeral private key") || r.EPKCurve != "P-256" {
		t.Fatalf("warnings %q epk %q", r.Warnings, r.EPKCurve)
	}
}
