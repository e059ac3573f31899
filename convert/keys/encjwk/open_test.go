package encjwk_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwe"

	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

var (
	pbes2Algs = []string{"PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW"}
	forms     = []string{"compact", "flattened", "general"}
)

// TestOpenEachAlgAndForm: each PBES2 algorithm (RFC 7518 §4.8) in each
// serialization (RFC 7516 §7) opens with its passphrase and gives back the
// plaintext; a wrong passphrase is ErrWrongPassphrase.
func TestOpenEachAlgAndForm(t *testing.T) {
	key, set := keys(t)
	for _, alg := range pbes2Algs {
		for _, form := range forms {
			t.Run("RFC7518_4.8/"+alg+"/"+form, func(t *testing.T) {
				in := mint(t, key, alg, lowCount, defaultProtected, form)
				if f, ok := encjwk.Detect(in); !ok || f.String() == "" {
					t.Fatalf("Detect: %v %v", f, ok)
				}
				plain, info, err := encjwk.Open(in, testPass, encjwk.OpenOptions{})
				wantKind(t, err, nil)
				if !bytes.Equal(plain, key) || info.Alg != alg || info.Content != encjwk.ContentJWK || len(info.Notes) != 0 {
					t.Fatalf("plaintext or info wrong: %+v", info)
				}
				_, _, err = encjwk.Open(in, []byte("correct horse battery stapler"), encjwk.OpenOptions{})
				wantKind(t, err, encjwk.ErrWrongPassphrase)

				inSet := mint(t, set, alg, lowCount, defaultProtectedKS, form)
				plain, info, err = encjwk.Open(inSet, testPass, encjwk.OpenOptions{})
				wantKind(t, err, nil)
				if !bytes.Equal(plain, set) || info.Content != encjwk.ContentJWKS {
					t.Fatalf("set: info %+v", info)
				}
			})
		}
	}
}

// TestOpenDamage: each part changed by one bit, in each form. A change the
// key unwrap sees (encrypted_key, or p2s/p2c, which change the derived key:
// RFC 3394's integrity check fails) cannot be told from a wrong passphrase;
// a change after it (iv, ciphertext, tag, the protected header as AAD:
// RFC 7516 §5.2 step 14, RFC 7518 §5.3) is damage with the right passphrase.
func TestOpenDamage(t *testing.T) {
	key, _ := keys(t)
	cases := []struct {
		name   string
		change func(t *testing.T, in []byte) []byte
		want   error
	}{
		{"encrypted_key/RFC3394_2.2.3", func(t *testing.T, in []byte) []byte { return tamper(t, in, "encrypted_key") }, encjwk.ErrWrongPassphrase},
		{"p2s/RFC7518_4.8.1.1", func(t *testing.T, in []byte) []byte {
			return editProtected(t, in, func(h string) string {
				i := strings.Index(h, `"p2s":"`) + len(`"p2s":"`)
				c := byte('A')
				if h[i] == 'A' {
					c = 'B'
				}
				return h[:i] + string(c) + h[i+1:]
			})
		}, encjwk.ErrWrongPassphrase},
		{"p2c/RFC7518_4.8.1.2", func(t *testing.T, in []byte) []byte {
			return editProtected(t, in, func(h string) string { return strings.Replace(h, `"p2c":1000`, `"p2c":1001`, 1) })
		}, encjwk.ErrWrongPassphrase},
		{"iv/RFC7518_5.3", func(t *testing.T, in []byte) []byte { return tamper(t, in, "iv") }, encjwk.ErrDamaged},
		{"ciphertext/RFC7518_5.3", func(t *testing.T, in []byte) []byte { return tamper(t, in, "ciphertext") }, encjwk.ErrDamaged},
		{"tag/RFC7518_5.3", func(t *testing.T, in []byte) []byte { return tamper(t, in, "tag") }, encjwk.ErrDamaged},
		{"protected header, cty re-cased (AAD)/RFC7516_5.2", func(t *testing.T, in []byte) []byte {
			return editProtected(t, in, func(h string) string { return strings.Replace(h, "jwk+json", "JWK+json", 1) })
		}, encjwk.ErrDamaged},
		{"protected header, a member added (AAD)/RFC7516_5.2", func(t *testing.T, in []byte) []byte {
			return editProtected(t, in, func(h string) string { return strings.Replace(h, "{", `{"kid":"x",`, 1) })
		}, encjwk.ErrDamaged},
		{"tag cut short/RFC7518_5.3", func(t *testing.T, in []byte) []byte { return resize(t, in, "tag", -1) }, encjwk.ErrDamaged},
		{"encrypted_key grown/RFC3394_2.2.1", func(t *testing.T, in []byte) []byte { return resize(t, in, "encrypted_key", 8) }, encjwk.ErrDamaged},
		{"ciphertext cut short/RFC7518_5.3", func(t *testing.T, in []byte) []byte { return resize(t, in, "ciphertext", -1) }, encjwk.ErrDamaged},
	}
	for _, form := range forms {
		in := mint(t, key, "PBES2-HS512+A256KW", lowCount, defaultProtected, form)
		for _, c := range cases {
			t.Run(form+"/"+c.name, func(t *testing.T) {
				changed := c.change(t, in)
				if bytes.Equal(changed, in) {
					t.Fatal("the change changed nothing")
				}
				_, info, err := encjwk.Open(changed, testPass, encjwk.OpenOptions{})
				wantKind(t, err, c.want)
				if info.Alg != "PBES2-HS512+A256KW" {
					t.Fatalf("info not filled: %+v", info)
				}
				if errors.Is(c.want, encjwk.ErrDamaged) && strings.Contains(err.Error(), "passphrase is right") {
					if errors.Unwrap(err) == nil {
						t.Fatal("jwx's error is not kept for developers")
					}
				}
			})
		}
	}
}

// TestOpenContent: what the plaintext must be, whatever cty said. Decided:
// cty is a hint; the content decides (a JWK Set under cty jwk+json is read
// as a JWK Set, with a note), and no cty is accepted when the content is a
// JWK or JWK Set.
func TestOpenContent(t *testing.T) {
	key, set := keys(t)
	cases := []struct {
		name      string
		plaintext []byte
		protected map[string]any
		want      error
		content   encjwk.Content
		note      string
	}{
		{"JWK under jwk+json/RFC7517_8.5.1", key, defaultProtected, nil, encjwk.ContentJWK, ""},
		{"JWK Set under jwk-set+json/RFC7517_8.5.2", set, defaultProtectedKS, nil, encjwk.ContentJWKS, ""},
		{"JWK Set under jwk+json/RFC7517_8.5.1", set, defaultProtected, nil, encjwk.ContentJWKS, `says JWK, but the content is a JWK Set`},
		{"JWK under jwk-set+json/RFC7517_8.5.2", key, defaultProtectedKS, nil, encjwk.ContentJWK, `says JWK Set, but the content is a JWK`},
		{"JWK without cty/RFC7516_4.1.12", key, nil, nil, encjwk.ContentJWK, "no cty; the content is a JWK"},
		{"JWK Set without cty/RFC7516_4.1.12", set, nil, nil, encjwk.ContentJWKS, "no cty; the content is a JWK Set"},
		{"text without cty/RFC7516_4.1.12", []byte("a secret note"), nil, encjwk.ErrNotKey, 0, ""},
		{"claims without cty/RFC7519_7.2", []byte(`{"sub":"x","exp":1}`), nil, encjwk.ErrNotKey, 0, ""},
		{"an array/RFC7517_5", []byte(`[{"kty":"oct"}]`), defaultProtectedKS, encjwk.ErrNotKey, 0, ""},
		{"kty and keys/RFC7517_4", []byte(`{"kty":"oct","keys":[]}`), defaultProtected, encjwk.ErrNotKey, 0, ""},
		{"kty not a string/RFC7517_4.1", []byte(`{"kty":1}`), defaultProtected, encjwk.ErrNotKey, 0, ""},
		{"kty empty/RFC7517_4.1", []byte(`{"kty":""}`), defaultProtected, encjwk.ErrNotKey, 0, ""},
		{"keys not an array/RFC7517_5.1", []byte(`{"keys":{}}`), defaultProtectedKS, encjwk.ErrNotKey, 0, ""},
		{"kty twice/RFC7517_4", []byte(`{"kty":"oct","kty":"RSA"}`), defaultProtected, encjwk.ErrNotKey, 0, ""},
		{"empty plaintext/RFC7516_5.1", []byte{}, defaultProtected, encjwk.ErrNotKey, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := mint(t, c.plaintext, "PBES2-HS256+A128KW", lowCount, c.protected, "flattened")
			plain, info, err := encjwk.Open(in, testPass, encjwk.OpenOptions{})
			wantKind(t, err, c.want)
			if c.want != nil {
				if len(c.plaintext) > 4 && strings.Contains(err.Error(), string(c.plaintext[2:len(c.plaintext)-2])) {
					t.Fatalf("the message quotes the plaintext: %v", err)
				}
				if plain != nil {
					t.Fatal("plaintext returned with an error")
				}
				return
			}
			if info.Content != c.content {
				t.Fatalf("content %v, want %v", info.Content, c.content)
			}
			if c.note == "" && len(info.Notes) != 0 || c.note != "" && (len(info.Notes) != 1 || !strings.Contains(info.Notes[0], c.note)) {
				t.Fatalf("notes %q, want %q", info.Notes, c.note)
			}
		})
	}
}

// TestOpenZip: a compressed JWK (zip DEF, RFC 7516 §4.1.3) opens.
func TestOpenZip(t *testing.T) {
	key, _ := keys(t)
	in := mint(t, key, "PBES2-HS256+A128KW", lowCount, defaultProtected, "compact", jwe.WithCompress(jwa.Deflate()))
	plain, info, err := encjwk.Open(in, testPass, encjwk.OpenOptions{})
	wantKind(t, err, nil)
	if !bytes.Equal(plain, key) || info.Zip != "DEF" {
		t.Fatalf("zip: info %+v", info)
	}
}

// TestOpenNeedsPassphrase: no passphrase, no derivation; the message says
// what the file is.
func TestOpenNeedsPassphrase(t *testing.T) {
	key, _ := keys(t)
	in := mint(t, key, "PBES2-HS256+A128KW", lowCount, defaultProtected, "flattened")
	_, info, err := encjwk.Open(in, nil, encjwk.OpenOptions{})
	wantKind(t, err, encjwk.ErrNeedsPassphrase)
	if info.P2C != 1000 || !strings.Contains(err.Error(), "a PBES2-HS256+A128KW-encrypted JWK (p2c 1,000)") {
		t.Fatalf("info %+v, message %q", info, err)
	}
	_, _, err = encjwk.Open(in, []byte{}, encjwk.OpenOptions{})
	wantKind(t, err, encjwk.ErrNeedsPassphrase)
}

// TestOpenCancelled: a cancelled context stops Open before it derives.
func TestOpenCancelled(t *testing.T) {
	key, _ := keys(t)
	in := mint(t, key, "PBES2-HS256+A128KW", lowCount, defaultProtected, "compact")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := encjwk.Open(in, testPass, encjwk.OpenOptions{Context: ctx})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}
