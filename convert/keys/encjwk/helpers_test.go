package encjwk_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwe"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// testPass is the passphrase of the inputs the tests make.
var testPass = []byte("correct horse battery staple")

var (
	keysOnce           sync.Once
	testJWK, testJWKS  []byte
	testJWKPub         jwk.Key
	testKeysErr        error
	lowCount           = 1000 // encjwk.ReadFloor: the cheapest count Open reads
	defaultProtected   = map[string]any{"cty": "jwk+json"}
	defaultProtectedKS = map[string]any{"cty": "jwk-set+json"}
)

// keys returns a private EC P-256 JWK and a JWK Set of it and an Ed25519
// key, made once.
func keys(t testing.TB) (jwkJSON, jwksJSON []byte) {
	t.Helper()
	keysOnce.Do(func() {
		ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			testKeysErr = err
			return
		}
		_, ed, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			testKeysErr = err
			return
		}
		k1, err1 := jwk.Import(ec)
		k2, err2 := jwk.Import(ed)
		if testKeysErr = errors.Join(err1, err2); testKeysErr != nil {
			return
		}
		_ = k1.Set(jwk.KeyIDKey, "ec-1")
		_ = k2.Set(jwk.KeyIDKey, "ed-1")
		testJWKPub, _ = k1.PublicKey()
		testJWK, _ = json.Marshal(k1)
		set := jwk.NewSet()
		_ = set.AddKey(k1)
		_ = set.AddKey(k2)
		testJWKS, testKeysErr = json.Marshal(set)
	})
	if testKeysErr != nil {
		t.Fatalf("making test keys: %v", testKeysErr)
	}
	return testJWK, testJWKS
}

// mint encrypts plaintext with jwx directly, at any count (Seal refuses
// under 600,000): the input Open's tests read. form is "compact",
// "flattened" or "general" (flattened rewritten with one recipient).
func mint(t testing.TB, plaintext []byte, alg string, count int, protected map[string]any, form string, extra ...jwe.EncryptOption) []byte {
	t.Helper()
	ka, ok := jwa.LookupKeyEncryptionAlgorithm(alg)
	if !ok {
		t.Fatalf("unknown alg %s", alg)
	}
	h := jwe.NewHeaders()
	for k, v := range protected {
		if err := h.Set(k, v); err != nil {
			t.Fatalf("header %s: %v", k, err)
		}
	}
	opts := []jwe.EncryptOption{jwe.WithKey(ka, testPass), jwe.WithPBES2Count(count), jwe.WithProtectedHeaders(h), jwe.WithLegacyHeaderMerging(false)}
	if form != "compact" {
		opts = append(opts, jwe.WithJSON())
	}
	out, err := jwe.Encrypt(plaintext, append(opts, extra...)...)
	if err != nil {
		t.Fatalf("jwe.Encrypt: %v", err)
	}
	if form == "general" {
		return toGeneral(t, out)
	}
	return out
}

// toGeneral rewrites a flattened JWE as the general form with its one
// recipient (RFC 7516 §7.2.1): the AAD is the protected header alone, so it
// still decrypts.
func toGeneral(t testing.TB, flat []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(flat, &m); err != nil {
		t.Fatal(err)
	}
	r := map[string]any{"encrypted_key": m["encrypted_key"]}
	if h, ok := m["header"]; ok {
		r["header"] = h
		delete(m, "header")
	}
	delete(m, "encrypted_key")
	m["recipients"] = []any{r}
	out, _ := json.Marshal(m)
	return out
}

// partNames are the parts tamper and setPart know, in compact order.
var partNames = []string{"protected", "encrypted_key", "iv", "ciphertext", "tag"}

// getPart returns a part's base64url text, in any of the three forms.
func getPart(t testing.TB, data []byte, part string) string {
	t.Helper()
	if data[0] != '{' {
		return strings.Split(string(data), ".")[indexOf(part)]
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if rs, ok := m["recipients"].([]any); ok && part == "encrypted_key" {
		return rs[0].(map[string]any)[part].(string)
	}
	return m[part].(string)
}

// setPart replaces a part's base64url text, in any of the three forms.
func setPart(t testing.TB, data []byte, part, v string) []byte {
	t.Helper()
	if data[0] != '{' {
		p := strings.Split(string(data), ".")
		p[indexOf(part)] = v
		return []byte(strings.Join(p, "."))
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if rs, ok := m["recipients"].([]any); ok && part == "encrypted_key" {
		rs[0].(map[string]any)[part] = v
	} else {
		m[part] = v
	}
	out, _ := json.Marshal(m)
	return out
}

func indexOf(part string) int {
	for i, p := range partNames {
		if p == part {
			return i
		}
	}
	panic("no part " + part)
}

// tamper flips one bit of a decoded part, keeping its length.
func tamper(t testing.TB, data []byte, part string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(getPart(t, data, part))
	if err != nil || len(b) == 0 {
		t.Fatalf("part %s: %v", part, err)
	}
	b[len(b)/2] ^= 0x01
	return setPart(t, data, part, base64.RawURLEncoding.EncodeToString(b))
}

// resize drops (n < 0) or appends zero bytes to a decoded part.
func resize(t testing.TB, data []byte, part string, n int) []byte {
	t.Helper()
	b, _ := base64.RawURLEncoding.DecodeString(getPart(t, data, part))
	if n < 0 {
		b = b[:len(b)+n]
	} else {
		b = append(b, make([]byte, n)...)
	}
	return setPart(t, data, part, base64.RawURLEncoding.EncodeToString(b))
}

// editProtected rewrites the protected header's JSON text with edit (the
// AAD changes: the content no longer authenticates).
func editProtected(t testing.TB, data []byte, edit func(string) string) []byte {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(getPart(t, data, "protected"))
	if err != nil {
		t.Fatal(err)
	}
	return setPart(t, data, "protected", base64.RawURLEncoding.EncodeToString([]byte(edit(string(raw)))))
}

// protectedJSON returns a header's JSON text as base64url.
func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// wantKind fails t unless err is an *encjwk.Error of kind want (nil: no
// error), and checks the message does not leak jwx's words.
func wantKind(t testing.TB, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want kind %q", err, want)
	}
	var e *encjwk.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T is not an *encjwk.Error", err)
	}
	for _, word := range []string{"jwe.", "jwx", "failed to", "WithMax", "keyunwrap"} {
		if strings.Contains(err.Error(), word) {
			t.Fatalf("message %q has jwx's words (%q)", err, word)
		}
	}
}
