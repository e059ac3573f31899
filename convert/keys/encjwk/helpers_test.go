package encjwk_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
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

// lowCount is encjwk.ReadFloor: the cheapest count Open reads.
const lowCount = 1000

var (
	defaultProtected   = map[string]any{"cty": "jwk+json"}
	defaultProtectedKS = map[string]any{"cty": "jwk-set+json"}
)

// signingKey is a private key with the algorithm it signs with.
type signingKey struct {
	name string
	priv jwk.Key
	alg  jwa.SignatureAlgorithm
}

var (
	keysOnce          sync.Once
	testKeys          []signingKey
	testJWK, testJWKS []byte
	testKeysErr       error
)

// keys returns the test keys, made once: a private EC P-256 JWK, and a JWK
// Set of one key of each kind step signs with (RSA for RS256 and PS256, EC
// P-256/384/521, Ed25519, an HS256 secret), each with kid, alg and use.
func keys(t testing.TB) (jwkJSON, jwksJSON []byte) {
	t.Helper()
	keysOnce.Do(func() { testKeysErr = makeKeys() })
	if testKeysErr != nil {
		t.Fatalf("making test keys: %v", testKeysErr)
	}
	return testJWK, testJWKS
}

func makeKeys() error {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	ec256, err1 := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ec384, err2 := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	ec521, err3 := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	_, ed, err4 := ed25519.GenerateKey(rand.Reader)
	secret := make([]byte, 32)
	_, err5 := rand.Read(secret)
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		return err
	}
	raws := []struct {
		name string
		raw  any
		alg  jwa.SignatureAlgorithm
	}{
		{"EC-P-256", ec256, jwa.ES256()}, {"RSA-2048", rsaKey, jwa.RS256()}, {"RSA-2048-PSS", rsaKey, jwa.PS256()},
		{"EC-P-384", ec384, jwa.ES384()}, {"EC-P-521", ec521, jwa.ES512()}, {"OKP-Ed25519", ed, jwa.EdDSA()}, {"oct-HS256", secret, jwa.HS256()},
	}
	set := jwk.NewSet()
	for _, r := range raws {
		k, err := jwk.Import(r.raw)
		if err != nil {
			return err
		}
		if err := errors.Join(k.Set(jwk.KeyIDKey, "jwkdesk-"+r.name), k.Set(jwk.AlgorithmKey, r.alg), k.Set(jwk.KeyUsageKey, "sig")); err != nil {
			return err
		}
		testKeys = append(testKeys, signingKey{r.name, k, r.alg})
		if err := set.AddKey(k); err != nil {
			return err
		}
	}
	if testJWK, err = json.Marshal(testKeys[0].priv); err != nil {
		return err
	}
	testJWKS, err = json.Marshal(set)
	return err
}

// sealCase is one of the four files Seal writes for the tests: Seal never
// writes under p2c 600,000, which costs about 1 s here and 7 s under the
// race detector, so each is written once and shared by the Seal, jose and
// step tests.
type sealCase struct {
	name    string
	set     bool // the JWK Set, else the EC P-256 JWK
	opts    encjwk.SealOptions
	alg     string
	cty     string
	saltLen int
}

var sealCases = []sealCase{
	{"PBES2-HS512+A256KW/flattened/JWK", false, encjwk.SealOptions{}, "PBES2-HS512+A256KW", "jwk+json", 32},
	{"PBES2-HS512+A256KW/compact/JWK Set", true, encjwk.SealOptions{Compact: true}, "PBES2-HS512+A256KW", "jwk-set+json", 32},
	{"PBES2-HS256+A128KW/flattened/JWK Set", true, encjwk.SealOptions{Alg: "PBES2-HS256+A128KW"}, "PBES2-HS256+A128KW", "jwk-set+json", 16},
	{"PBES2-HS384+A192KW/compact/JWK, p2c 700,000", false, encjwk.SealOptions{Alg: "PBES2-HS384+A192KW", Count: 700_000, Compact: true}, "PBES2-HS384+A192KW", "jwk+json", 24},
}

var (
	sealOnce   sync.Once
	sealOut    [][]byte
	sealOutErr error
)

// sealed returns what Seal wrote for each of sealCases, written once.
func sealed(t testing.TB) [][]byte {
	t.Helper()
	key, set := keys(t)
	sealOnce.Do(func() {
		for _, c := range sealCases {
			plain := key
			if c.set {
				plain = set
			}
			out, err := encjwk.Seal(plain, testPass, c.opts)
			if err != nil {
				sealOutErr = fmt.Errorf("%s: %w", c.name, err)
				return
			}
			sealOut = append(sealOut, out)
		}
	})
	if sealOutErr != nil {
		t.Fatalf("Seal: %v", sealOutErr)
	}
	return sealOut
}

func (c sealCase) plaintext(t testing.TB) []byte {
	key, set := keys(t)
	if c.set {
		return set
	}
	return key
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
