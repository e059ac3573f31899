package jwe

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwa"
	jwxjwe "github.com/lestrrat-go/jwx/v3/jwe"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

// vector is one published example: a compact JWE, its key (or password) and
// its plaintext.
type vector struct {
	Name      string
	Section   string
	Alg, Enc  string
	Key       json.RawMessage
	Pwd       string
	Plaintext string
	Compact   string
	JSON      json.RawMessage // the JSON serialization, when published
	JSONFlat  json.RawMessage
}

func rfc7516Vectors(t testing.TB) []vector {
	t.Helper()
	var f struct{ Vectors []vector }
	readJSON(t, filepath.Join("testdata", "rfc7516.json"), &f)
	return f.Vectors
}

// rfc7520Vectors reads RFC 7520 §5's examples (the cookbook's files).
func rfc7520Vectors(t testing.TB) []vector {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "rfc7520", "5_*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no RFC 7520 vectors: %v", err)
	}
	var out []vector
	for _, f := range files {
		var v struct {
			Input struct {
				Plaintext string
				Key       json.RawMessage
				Pwd       string
				Alg       json.RawMessage
				Enc       string
			}
			Output struct {
				Compact  string
				JSON     json.RawMessage `json:"json"`
				JSONFlat json.RawMessage `json:"json_flat"`
			}
		}
		readJSON(t, f, &v)
		sec := strings.ReplaceAll(strings.SplitN(filepath.Base(f), ".", 2)[0], "_", ".")
		var alg string
		_ = json.Unmarshal(v.Input.Alg, &alg)
		out = append(out, vector{Name: sec, Section: "RFC 7520 §" + sec, Alg: alg, Enc: v.Input.Enc, Key: v.Input.Key,
			Pwd: v.Input.Pwd, Plaintext: v.Input.Plaintext, Compact: v.Output.Compact, JSON: v.Output.JSON, JSONFlat: v.Output.JSONFlat})
	}
	return out
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func mustKey(t testing.TB, raw any) jwk.Key {
	t.Helper()
	var k jwk.Key
	var err error
	switch r := raw.(type) {
	case json.RawMessage:
		k, err = jwk.ParseKey(r)
	case string:
		k, err = jwk.ParseKey([]byte(r))
	default:
		k, err = jwk.Import(raw)
	}
	if err != nil {
		t.Fatalf("key: %v", err)
	}
	return k
}

// withMembers returns a copy of k with the members set.
func withMembers(t testing.TB, k jwk.Key, members map[string]any) jwk.Key {
	t.Helper()
	c, err := k.Clone()
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range members {
		if err := c.Set(name, v); err != nil {
			t.Fatalf("set %s: %v", name, err)
		}
	}
	return c
}

func publicOf(t testing.TB, k jwk.Key) jwk.Key {
	t.Helper()
	p, err := k.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// keys made once for all the tests (RSA generation is slow).
var (
	keysOnce sync.Once
	testKeys map[string]any
)

// testKey is a fresh private key by name: "RSA-2048", "RSA-2048b",
// "RSA-1024", "RSA-3072", "P-256", "P-256b", "P-384", "P-521", "X25519",
// "X25519b".
func testKey(t testing.TB, name string) jwk.Key {
	t.Helper()
	keysOnce.Do(func() {
		testKeys = map[string]any{}
		for _, n := range []struct {
			name string
			bits int
		}{{"RSA-2048", 2048}, {"RSA-2048b", 2048}, {"RSA-1024", 1024}, {"RSA-3072", 3072}} {
			k, err := rsa.GenerateKey(rand.Reader, n.bits)
			if err != nil {
				panic(err)
			}
			testKeys[n.name] = k
		}
		for name, c := range map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-256b": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()} {
			k, err := ecdsa.GenerateKey(c, rand.Reader)
			if err != nil {
				panic(err)
			}
			testKeys[name] = k
		}
		for _, name := range []string{"X25519", "X25519b"} {
			k, err := ecdh.X25519().GenerateKey(rand.Reader)
			if err != nil {
				panic(err)
			}
			testKeys[name] = k
		}
	})
	raw, ok := testKeys[name]
	if !ok {
		t.Fatalf("no test key %q", name)
	}
	return mustKey(t, raw)
}

// octKey is an oct JWK of n bytes (all the byte b).
func octKey(t testing.TB, n int, b byte) jwk.Key {
	t.Helper()
	return mustKey(t, secretOf(n, b))
}

func secretOf(n int, b byte) []byte {
	s := make([]byte, n)
	for i := range s {
		s[i] = b
	}
	return s
}

// jwxEncrypt makes a compact JWE with jwx directly (with extra protected
// header members).
func jwxEncrypt(t testing.TB, plaintext []byte, alg, enc string, key any, header map[string]any, extra ...jwxjwe.EncryptOption) string {
	t.Helper()
	kalg, ok := jwa.LookupKeyEncryptionAlgorithm(alg)
	if !ok {
		t.Fatalf("alg %s", alg)
	}
	calg, _ := jwa.LookupContentEncryptionAlgorithm(enc)
	h := jwxjwe.NewHeaders()
	for name, v := range header {
		if err := h.Set(name, v); err != nil {
			t.Fatal(err)
		}
	}
	opts := append([]jwxjwe.EncryptOption{jwxjwe.WithKey(kalg, key), jwxjwe.WithContentEncryption(calg), jwxjwe.WithProtectedHeaders(h)}, extra...)
	tok, err := jwxjwe.Encrypt(plaintext, opts...)
	if err != nil {
		t.Fatalf("jwx encrypt %s/%s: %v", alg, enc, err)
	}
	return string(tok)
}

// rewriteHeader replaces a token's protected header with raw JSON (the
// token then no longer authenticates: for the checks made before any key is
// tried).
func rewriteHeader(tok, rawHeader string) string {
	parts := strings.Split(tok, ".")
	parts[0] = base64.RawURLEncoding.EncodeToString([]byte(rawHeader))
	return strings.Join(parts, ".")
}

// setPart replaces part i (from 0) of a compact token.
func setPart(tok string, i int, b []byte) string {
	parts := strings.Split(tok, ".")
	parts[i] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(parts, ".")
}

func mustInspect(t testing.TB, tok string, src Source, opts Options) *Report {
	t.Helper()
	r, err := Inspect(tok, src, opts)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	return r
}

// codes lists the candidates' codes.
func codes(r *Report) []string {
	out := make([]string, len(r.Candidates))
	for i, c := range r.Candidates {
		out[i] = c.Code
	}
	return out
}

// pbesCount is jwx's PBES2 iteration count option for jwxEncrypt.
func pbesCount(n int) jwxjwe.EncryptOption { return jwxjwe.WithPBES2Count(n) }

// zipOption is jwx's DEFLATE option for jwxEncrypt.
func zipOption() jwxjwe.EncryptOption { return jwxjwe.WithCompress(jwa.Deflate()) }
