package encjwk_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// protectedOf decodes the protected header of a JWE in either form.
func protectedOf(t *testing.T, in []byte) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(getPart(t, in, "protected"))
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	return h
}

func sortedKeys(m map[string]any) string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	sort.Strings(k)
	return strings.Join(k, ",")
}

// TestSealDefaults: what Seal writes by default is what the keystore keeps
// and step reads: the JSON flattened serialization (RFC 7516 §7.2.2) with
// every parameter in the protected header, PBES2-HS512+A256KW (RFC 7518
// §4.8) with p2c 600,000 and a 32-byte random p2s, A256GCM, cty jwk+json;
// it opens back to the same bytes.
func TestSealDefaults(t *testing.T) {
	key, _ := keys(t)
	out := sealed(t)[0]
	var top map[string]any
	if err := json.Unmarshal(out, &top); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if got := sortedKeys(top); got != "ciphertext,encrypted_key,iv,protected,tag" {
		t.Fatalf("RFC7516_7.2.2: members %s (a recipient \"header\" would repeat the protected one)", got)
	}
	if !bytes.HasSuffix(out, []byte("}\n")) || !bytes.Contains(out, []byte("\n  \"")) {
		t.Fatalf("not an indented file ending in a newline: %q", out)
	}
	if got := sortedKeys(protectedOf(t, out)); got != "alg,cty,enc,p2c,p2s" {
		t.Fatalf("protected header members %s", got)
	}
	info, err := encjwk.Inspect(out)
	wantKind(t, err, nil)
	if info.Form != encjwk.FormFlattened || info.Alg != "PBES2-HS512+A256KW" || info.Enc != "A256GCM" || info.P2C != 600_000 ||
		info.SaltLen != 32 || info.Cty != "jwk+json" {
		t.Fatalf("RFC7518_4.8: info %+v", info)
	}
	plain, info, err := encjwk.Open(out, testPass, encjwk.OpenOptions{})
	wantKind(t, err, nil)
	if !bytes.Equal(plain, key) || info.Content != encjwk.ContentJWK || len(info.Notes) != 0 {
		t.Fatal("the round trip changed the JWK")
	}
}

// TestSealOptions: each of Seal's test files has the algorithm, count,
// form and cty asked for, a p2s as long as the derived key (RFC 7518
// §4.8.1.1: 16, 24, 32 bytes) and fresh p2s and iv. A JWK Set gets cty
// jwk-set+json (RFC 7517 §8.5.2); the compact form is one line (RFC 7516
// §7.1). They are opened by jose and step in their tests (the round trip
// of the compact form here is TestOpenEachAlgAndForm's, at a low count).
func TestSealOptions(t *testing.T) {
	files := sealed(t)
	seen := map[string]bool{}
	for i, c := range sealCases {
		t.Run("RFC7518_4.8/"+c.name, func(t *testing.T) {
			info, err := encjwk.Inspect(files[i])
			wantKind(t, err, nil)
			want := c.opts.Count
			if want == 0 {
				want = encjwk.WriteFloor
			}
			form := encjwk.FormFlattened
			if c.opts.Compact {
				form = encjwk.FormCompact
				if strings.Count(string(files[i]), ".") != 4 || bytes.ContainsAny(files[i], "\n {") {
					t.Fatalf("RFC7516_7.1: not one compact line: %q", files[i])
				}
			}
			if info.Alg != c.alg || info.P2C != want || info.SaltLen != c.saltLen || info.Cty != c.cty || info.Form != form || info.Enc != "A256GCM" {
				t.Fatalf("info %+v", info)
			}
			for _, v := range []string{protectedOf(t, files[i])["p2s"].(string), getPart(t, files[i], "iv")} {
				if seen[v] {
					t.Fatal("RFC7518_4.8.1.1: p2s or iv repeated between two seals")
				}
				seen[v] = true
			}
		})
	}
}

// TestSealRefuses: what Seal must not write, refused before any work.
func TestSealRefuses(t *testing.T) {
	key, _ := keys(t)
	cases := []struct {
		name      string
		plaintext []byte
		pass      []byte
		opts      encjwk.SealOptions
		want      error
	}{
		{"empty passphrase", key, nil, encjwk.SealOptions{}, encjwk.ErrEmptyPassphrase},
		{"p2c under 600,000/RFC7518_4.8.1.2", key, testPass, encjwk.SealOptions{Count: 599_999}, encjwk.ErrCountUnderFloor},
		{"p2c 1,000/RFC7518_4.8.1.2", key, testPass, encjwk.SealOptions{Count: 1000}, encjwk.ErrCountUnderFloor},
		{"p2c negative/RFC7518_4.8.1.2", key, testPass, encjwk.SealOptions{Count: -600_000}, encjwk.ErrCountUnderFloor},
		{"p2c over the read cap/RFC7518_4.8.1.2", key, testPass, encjwk.SealOptions{Count: encjwk.ReadCap + 1}, encjwk.ErrCountOverCap},
		{"alg A256KW/RFC7518_4.4", key, testPass, encjwk.SealOptions{Alg: "A256KW"}, encjwk.ErrUnsupported},
		{"alg lower case/RFC7516_4.1.1", key, testPass, encjwk.SealOptions{Alg: "pbes2-hs512+a256kw"}, encjwk.ErrUnsupported},
		{"not a key/RFC7517_4", []byte(`{"sub":"x"}`), testPass, encjwk.SealOptions{}, encjwk.ErrNotKey},
		{"not JSON/RFC7517_4", []byte(`kty=EC`), testPass, encjwk.SealOptions{}, encjwk.ErrNotKey},
		{"kty twice/RFC7517_4", []byte(`{"kty":"oct","kty":"EC"}`), testPass, encjwk.SealOptions{}, encjwk.ErrNotKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := encjwk.Seal(c.plaintext, c.pass, c.opts)
			wantKind(t, err, c.want)
			if out != nil {
				t.Fatal("output with an error")
			}
		})
	}
	var e *encjwk.Error
	_, err := encjwk.Seal(key, testPass, encjwk.SealOptions{Count: 100_000})
	if !errors.As(err, &e) || e.Count != 100_000 || e.Limit != encjwk.WriteFloor || !strings.Contains(err.Error(), "600,000") {
		t.Fatalf("floor error %#v", err)
	}
}

// TestPassphraseHint: graded by length in characters, not bytes or rules.
func TestPassphraseHint(t *testing.T) {
	cases := []struct {
		pass  string
		want  encjwk.Strength
		chars int
		text  string
	}{
		{"", encjwk.StrengthEmpty, 0, "empty: a passphrase is needed"},
		{"a", encjwk.StrengthTooShort, 1, "1 character: too short; 16 or more recommended"},
		{"Tr0ub4d&", encjwk.StrengthShort, 8, "8 characters: short; 16 or more recommended"},
		{"abcdefghijkl", encjwk.StrengthShort, 12, "12 characters: short; 16 or more recommended"},
		{"abcdefghijklmno", encjwk.StrengthShort, 15, ""},
		{"correct horse ba", encjwk.StrengthGood, 16, "16 characters: long enough"},
		{"correct horse battery staple", encjwk.StrengthGood, 28, ""},
		{"ééééééé", encjwk.StrengthTooShort, 7, "7 characters: too short; 16 or more recommended"}, // 14 bytes
		{"日本語のパスフレーズです十六文字", encjwk.StrengthGood, 16, ""},
	}
	for _, c := range cases {
		h := encjwk.PassphraseHint([]byte(c.pass))
		if h.Strength != c.want || h.Chars != c.chars || c.text != "" && h.Text != c.text {
			t.Errorf("PassphraseHint(%q) = %+v, want %v, %d chars, %q", c.pass, h, c.want, c.chars, c.text)
		}
	}
}
