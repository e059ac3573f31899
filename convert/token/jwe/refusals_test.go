package jwe

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

// editHeader decodes a token's protected header, lets edit change it, and
// writes it back (the token no longer authenticates: for the checks made
// before any key is tried).
func editHeader(t *testing.T, tok string, edit func(m map[string]any)) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.SplitN(tok, ".", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return rewriteHeader(tok, string(b))
}

// A refusal is given with its reason before any key is tried: nothing is
// decrypted, no candidate is listed, and the header is still shown.
func TestInspect_refusals_beforeAnyKey(t *testing.T) {
	secret := secretOf(32, 7)
	dir := jwxEncrypt(t, []byte(`{"sub":"x"}`), "dir", "A256GCM", secret, nil)
	a128kw := jwxEncrypt(t, []byte("hi"), "A128KW", "A128GCM", secretOf(16, 1), nil)
	gcmkw := jwxEncrypt(t, []byte("hi"), "A128GCMKW", "A128GCM", secretOf(16, 1), nil)
	cbc := jwxEncrypt(t, []byte("hi"), "dir", "A128CBC-HS256", secret, nil)
	pbes2 := jwxEncrypt(t, []byte("hi"), "PBES2-HS256+A128KW", "A128GCM", []byte("pass"), nil, pbesCount(1000))
	p256 := publicOf(t, testKey(t, "P-256"))
	ecdhes := jwxEncrypt(t, []byte("hi"), "ECDH-ES", "A128GCM", p256, nil)
	ecdhkw := jwxEncrypt(t, []byte("hi"), "ECDH-ES+A128KW", "A128GCM", p256, nil)
	x25519 := jwxEncrypt(t, []byte("hi"), "ECDH-ES", "A128GCM", publicOf(t, testKey(t, "X25519")), nil)
	rsa15 := jwxEncrypt(t, []byte("hi"), "RSA1_5", "A128CBC-HS256", publicOf(t, testKey(t, "RSA-2048")), nil)

	set := func(name string, v any) func(map[string]any) { return func(m map[string]any) { m[name] = v } }
	del := func(name string) func(map[string]any) { return func(m map[string]any) { delete(m, name) } }
	epk := func(name string, v any) func(map[string]any) {
		return func(m map[string]any) { m["epk"].(map[string]any)[name] = v }
	}
	cases := []struct {
		name  string
		token string
		want  []string // fragments of the reason
	}{
		{"RFC7516_4.1.1_alg_none", editHeader(t, dir, set("alg", "none")), []string{`alg "none"`, "RFC 7516 §4.1.1"}},
		{"RFC7516_4.1.1_alg_None_any_case", editHeader(t, dir, set("alg", "None")), []string{`alg "none"`}},
		{"RFC7516_4.1.1_alg_missing", editHeader(t, dir, del("alg")), []string{`no "alg"`}},
		{"RFC7516_4.1.1_alg_is_a_signature_alg", editHeader(t, dir, set("alg", "HS256")), []string{"HS256 is a signature algorithm"}},
		{"RFC7518_4.1_alg_unknown", editHeader(t, dir, set("alg", "A512KW")), []string{`alg "A512KW" is not a key management algorithm`, "RSA-OAEP-256"}},
		{"RFC7516_4.1.1_alg_not_a_string", editHeader(t, dir, set("alg", 1)), []string{`"alg" must be a string, not a number`}},
		{"RFC7516_4.1.2_enc_missing", editHeader(t, dir, del("enc")), []string{`no "enc"`}},
		{"RFC7518_5.1_enc_unknown", editHeader(t, dir, set("enc", "A512GCM")), []string{`enc "A512GCM" is not a content encryption algorithm`}},
		{"RFC8725_3.2_RSA1_5_without_opt_in", rsa15, []string{"RSA1_5", "Bleichenbacher", "allow RSA1_5"}},
		{"RFC7516_4.1.3_zip_unknown", editHeader(t, dir, set("zip", "GZIP")), []string{`zip "GZIP"`, `"DEF"`}},
		{"RFC7516_4.1.13_crit_unknown_extension", editHeader(t, dir, func(m map[string]any) { m["crit"] = []string{"exp"}; m["exp"] = 1 }), []string{`crit lists "exp"`, "RFC 7516 §4.1.13"}},
		{"RFC7516_4.1.13_crit_two_extensions", editHeader(t, dir, func(m map[string]any) { m["crit"] = []string{"a", "b"}; m["a"], m["b"] = 1, 2 }), []string{`"a", "b"`, "extensions"}},
		{"RFC7515_4.1.11_crit_empty", editHeader(t, dir, set("crit", []string{})), []string{`"crit" is empty`}},
		{"RFC7515_4.1.11_crit_names_a_registered_header", editHeader(t, dir, set("crit", []string{"alg"})), []string{`crit lists "alg"`, "RFC 7515 §4.1.11"}},
		{"RFC7515_4.1.11_crit_not_an_array", editHeader(t, dir, set("crit", "exp")), []string{`"crit" must be an array`}},
		{"RFC7518_4.8.1.2_p2c_2_to_the_31_refused_before_deriving", editHeader(t, pbes2, set("p2c", 1<<31)), []string{"p2c is 2,147,483,648", "refused before any key is derived"}},
		{"RFC7518_4.8.1.2_p2c_just_over_the_cap", editHeader(t, pbes2, set("p2c", MaxP2C+1)), []string{"p2c is 1,000,001", "over 1,000,000"}},
		{"RFC7518_4.8.1.2_p2c_far_past_int64", rewriteHeader(pbes2, `{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2s":"AAAAAAAAAAA","p2c":1e30}`), []string{`"p2c" is 1e30`, "positive integer"}},
		{"RFC7518_4.8.1.2_p2c_missing", editHeader(t, pbes2, del("p2c")), []string{`no "p2c"`}},
		{"RFC7518_4.8.1.2_p2c_zero", editHeader(t, pbes2, set("p2c", 0)), []string{`"p2c" is 0`}},
		{"RFC7518_4.8.1.2_p2c_negative", editHeader(t, pbes2, set("p2c", -5)), []string{`"p2c" is -5`}},
		{"RFC7518_4.8.1.2_p2c_fraction", editHeader(t, pbes2, set("p2c", 1000.5)), []string{`"p2c" is 1000.5`}},
		{"RFC7518_4.8.1.2_p2c_a_string", editHeader(t, pbes2, set("p2c", "1000")), []string{`"p2c" must be a number, not a string`}},
		{"RFC7518_4.8.1.1_p2s_missing", editHeader(t, pbes2, del("p2s")), []string{`no "p2s"`}},
		{"RFC7518_4.8.1.1_p2s_short", editHeader(t, pbes2, set("p2s", "AAAAAA")), []string{"p2s is 4 bytes", "8 bytes or more"}},
		{"RFC7518_4.7.1.1_gcmkw_iv_missing", editHeader(t, gcmkw, del("iv")), []string{`no "iv"`, "RFC 7518 §4.7.1.1"}},
		{"RFC7518_4.7.1.2_gcmkw_tag_short", editHeader(t, gcmkw, set("tag", "AAAA")), []string{`"tag" is 3 bytes`, "16"}},
		{"RFC7518_4.6.1.1_epk_missing", editHeader(t, ecdhes, del("epk")), []string{`no "epk"`}},
		{"RFC7518_4.6.1.1_epk_not_an_object", editHeader(t, ecdhes, set("epk", "x")), []string{`"epk" must be a JWK object, not a string`}},
		{"RFC7518_4.6.1.1_epk_secp256k1", editHeader(t, ecdhes, epk("crv", "secp256k1")), []string{`crv "secp256k1"`}},
		{"RFC7518_4.6.1.1_epk_Ed25519", editHeader(t, x25519, epk("crv", "Ed25519")), []string{`crv "Ed25519"`}},
		{"RFC7518_4.6.1.1_epk_not_on_the_curve", editHeader(t, ecdhes, epk("y", flipLast(t, ecdhes, "y"))), []string{"not on P-256", "invalid-curve"}},
		{"RFC7518_4.6.1.1_epk_kw_not_on_the_curve", editHeader(t, ecdhkw, epk("x", flipLast(t, ecdhkw, "x"))), []string{"not on P-256"}},
		{"RFC8037_2_epk_X25519_wrong_length", editHeader(t, x25519, epk("x", "AAAA")), []string{"the epk's x is not a coordinate of X25519 (32 bytes"}},
		{"RFC7516_5.2_step10_dir_with_an_encrypted_key", setPart(dir, 1, []byte("wrapped")), []string{"holds 7 bytes", "must be empty", "RFC 7516 §5.2 step 10"}},
		{"RFC7516_5.2_step10_ECDH-ES_with_an_encrypted_key", setPart(ecdhes, 1, []byte("wrapped")), []string{"must be empty"}},
		{"RFC7516_5.2_A128KW_without_an_encrypted_key", setPart(a128kw, 1, nil), []string{"encrypted key (second part) is empty"}},
		{"RFC7518_5.3_GCM_iv_not_96_bits", setPart(dir, 2, make([]byte, 16)), []string{"initialization vector (third part) is 16 bytes", "A256GCM's is 12"}},
		{"RFC7518_5.3_GCM_tag_cut", setPart(dir, 4, make([]byte, 8)), []string{"authentication tag (fifth part) is 8 bytes", "16"}},
		{"RFC7518_5.2.3_CBC_tag_cut", setPart(cbc, 4, make([]byte, 32)), []string{"is 32 bytes, but A128CBC-HS256's is 16"}},
		{"RFC7518_5.2.2.1_CBC_ciphertext_not_blocks", setPart(cbc, 3, make([]byte, 17)), []string{"ciphertext (fourth part) is 17 bytes"}},
		{"RFC7518_5.2.2.1_CBC_ciphertext_empty", setPart(cbc, 3, nil), []string{"ciphertext (fourth part) is 0 bytes"}},
		{"RFC7515_4_header_member_twice", rewriteHeader(dir, `{"alg":"dir","alg":"A128KW","enc":"A256GCM"}`), []string{`"alg" appears twice`}},
		{"RFC7515_4_header_members_differ_in_case", rewriteHeader(dir, `{"alg":"dir","ALG":"A128KW","enc":"A256GCM"}`), []string{`"alg" and "ALG" differ only in case`}},
		{"RFC7515_4_epk_member_twice", rewriteHeader(ecdhes, `{"alg":"ECDH-ES","enc":"A128GCM","epk":{"kty":"EC","crv":"P-256","x":"a","x":"b","y":"c"}}`), []string{`"x" appears twice`}},
		{"RFC7515_4_member_twice_in_an_array_object", rewriteHeader(dir, `{"alg":"dir","enc":"A256GCM","x5c":[{"a":1,"a":2}]}`), []string{`"a" appears twice`}},
		{"RFC7516_4.1.6_kid_null", editHeader(t, dir, set("kid", nil)), []string{`"kid" must be a string, not null`}},
		{"RFC7516_4.1.1_alg_null", editHeader(t, dir, set("alg", nil)), []string{`"alg" must be a string, not null`}},
		{"RFC7516_4.1.6_kid_not_a_string", editHeader(t, dir, set("kid", 7)), []string{`"kid" must be a string, not a number`}},
		{"RFC7516_4.1_header_an_array", rewriteHeader(dir, `["alg","dir"]`), []string{"not a JSON object"}},
	}
	src := KeySet("JWKS workspace", nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := mustInspect(t, c.token, src, Options{})
			if r.Decrypted || r.Plaintext != nil || len(r.Candidates) != 0 {
				t.Fatalf("not refused before any key: decrypted=%v candidates=%+v", r.Decrypted, r.Candidates)
			}
			for _, w := range c.want {
				if !strings.Contains(r.Reason, w) {
					t.Errorf("reason %q lacks %q", r.Reason, w)
				}
			}
			if !strings.HasSuffix(r.Reason, "refused") && !strings.Contains(r.Reason, "refused") {
				t.Errorf("reason %q does not say refused", r.Reason)
			}
			if r.Verdict != "Not decrypted: "+r.Reason || len(r.Header) == 0 {
				t.Errorf("verdict %q, header %s", r.Verdict, r.Header)
			}
			if _, err := json.Marshal(r); err != nil {
				t.Errorf("report does not encode: %v", err)
			}
		})
	}
}

// flipLast changes the last character of the epk member name of a token's
// header: the point is then off its curve.
func flipLast(t *testing.T, tok, name string) string {
	t.Helper()
	var v string
	editHeader(t, tok, func(m map[string]any) { v = m["epk"].(map[string]any)[name].(string) })
	last := v[len(v)-2]
	repl := byte('A')
	if last == 'A' {
		repl = 'B'
	}
	return v[:len(v)-2] + string(repl) + v[len(v)-1:]
}

// What is not a compact JWE at all is an error that says what is wrong.
func TestInspect_notACompactJWE_RFC7516Section7_1(t *testing.T) {
	dir := jwxEncrypt(t, []byte("x"), "dir", "A256GCM", secretOf(32, 7), nil)
	parts := strings.Split(dir, ".")
	cases := []struct{ name, token, want string }{
		{"empty", "  ", "nothing to inspect"},
		{"three_parts_a_JWS", "eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "five parts"},
		{"four_parts", strings.Join(parts[:4], "."), "this has 4"},
		{"six_parts", dir + ".AAAA", "this has 6"},
		{"a_character_base64url_never_uses", parts[0] + ".." + parts[2] + ".ab+c." + parts[4], `the ciphertext (fourth part) holds '+'`},
		{"inner_space", parts[0] + "..ab cd." + parts[3] + "." + parts[4], `holds ' '`},
		{"impossible_base64url_length", parts[0] + "..A." + parts[3] + "." + parts[4], "initialization vector (third part) is not base64url"},
		{"non_canonical_base64url", parts[0] + ".." + parts[2] + "." + parts[3] + "." + parts[4][:len(parts[4])-1] + "R", "stray bits"},
		{"empty_header", "." + strings.Join(parts[1:], "."), "protected header (first part) is empty"},
		{"header_not_JSON", base64.RawURLEncoding.EncodeToString([]byte("{alg")) + "." + strings.Join(parts[1:], "."), "not JSON"},
		{"over_64_KiB", dir + strings.Repeat("A", MaxTokenSize), "over 64 KiB are refused"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Inspect(c.token, Passphrase([]byte("x")), Options{})
			if err == nil {
				t.Fatalf("read: %+v", r)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q lacks %q", err, c.want)
			}
		})
	}
}

// jwx's own PBES2 cap is set to MaxP2C as the second line of defence: a
// token whose p2c passed the header check (here by calling open directly)
// is refused by jwx before any key derivation, not derived and then
// failed.
func TestOpen_jwxRefusesP2COverTheCap_secondLine_RFC7518_4_8_1_2(t *testing.T) {
	tok := jwxEncrypt(t, []byte("hi"), "PBES2-HS256+A128KW", "A128GCM", []byte("pass"), nil, pbesCount(1000))
	over := editHeader(t, tok, func(m map[string]any) { m["p2c"] = MaxP2C + 1 })
	c, err := splitCompact(over)
	if err != nil {
		t.Fatal(err)
	}
	h, msg := parseHeader(c.rawHeader)
	if msg != "" {
		t.Fatal(msg)
	}
	a := open(c, h, &entry{raw: []byte("pass"), pass: true, private: true})
	if a.res != resFailed {
		t.Fatalf("result %v: jwx derived a key for p2c over its cap (a wrong derived key fails the unwrap: resKeyFailed)", a.res)
	}
	// The same token within the cap derives, and fails the unwrap: the
	// header was edited (the control for the check above).
	within := editHeader(t, tok, func(m map[string]any) { m["p2c"] = 1001 })
	c, _ = splitCompact(within)
	h, _ = parseHeader(c.rawHeader)
	if a := open(c, h, &entry{raw: []byte("pass"), pass: true, private: true}); a.res != resKeyFailed {
		t.Fatalf("control: result %v, want resKeyFailed", a.res)
	}
}

// The p2c cap's boundary: MaxP2C itself is read.
func TestCheckPBES2_boundary_RFC7518_4_8_1_2(t *testing.T) {
	h := &header{alg: "PBES2-HS256+A128KW", members: map[string]json.RawMessage{"p2s": json.RawMessage(`"AAAAAAAAAAA"`)}, hasP2C: true, p2s: make([]byte, 8)}
	for p2c, refused := range map[int64]bool{1: false, 999: false, MaxP2C: false, MaxP2C + 1: true, 1 << 31: true} {
		h.p2c = p2c
		if got := checkPBES2(h, nil, Options{}) != ""; got != refused {
			t.Errorf("p2c %d: refused=%v, want %v", p2c, got, refused)
		}
	}
}
