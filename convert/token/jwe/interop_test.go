package jwe

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/jwkdesk/jwkdesk/interop"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

// joseKey is a key for the interop matrix: jose's private JWK (made by jose)
// and public JWK, or a secret, or a passphrase.
type joseKey struct {
	name    string         // "RSA-2048", "P-256", "X25519", "secret-16", "passphrase"
	private map[string]any // jose's JWK, or {"secret": …}, or {"passphrase": …}
	public  map[string]any
	src     Source // the same key for JWK Desk: private (decrypt)
	to      Source // … and public (encrypt)
}

// interopCase is one alg × enc × key of the matrix.
type interopCase struct {
	key      *joseKey
	alg, enc string
	zip      bool
}

func (c interopCase) name() string {
	z := ""
	if c.zip {
		z = "_zip"
	}
	return c.key.name + "_" + c.alg + "_" + c.enc + z
}

// joseKeys has jose generate the asymmetric keys (RSA 2048, EC P-256/384/521,
// X25519) and JWK Desk read them; secrets and a passphrase complete the set.
func joseKeys(t *testing.T) []*joseKey {
	t.Helper()
	type gen struct {
		JWK    map[string]any `json:"jwk"`
		Public map[string]any `json:"public"`
	}
	specs := []struct{ name, alg, crv string }{
		{"RSA-2048", "RSA-OAEP-256", ""}, {"P-256", "ECDH-ES", "P-256"}, {"P-384", "ECDH-ES", "P-384"},
		{"P-521", "ECDH-ES", "P-521"}, {"X25519", "ECDH-ES", "X25519"},
	}
	gens := make([]gen, len(specs))
	reqs, resps := make([]any, len(specs)), make([]any, len(specs))
	for i, s := range specs {
		reqs[i], resps[i] = map[string]any{"op": "generate", "alg": s.alg, "crv": s.crv}, &gens[i]
	}
	interop.MustRunBatch(t, reqs, resps)
	var out []*joseKey
	for i, s := range specs {
		gens[i].JWK["kid"], gens[i].Public["kid"] = "jose-"+s.name, "jose-"+s.name
		priv, pub := mustKey(t, jsonOf(t, gens[i].JWK)), mustKey(t, jsonOf(t, gens[i].Public))
		out = append(out, &joseKey{name: s.name, private: gens[i].JWK, public: gens[i].Public,
			src: KeySet("jose's keys", []jwk.Key{priv}), to: OneKey("jose's public key", pub)})
	}
	for _, n := range []int{16, 24, 32, 48, 64} {
		s := secretOf(n, byte(0x40+n))
		k := map[string]any{"secret": base64.RawURLEncoding.EncodeToString(s)}
		out = append(out, &joseKey{name: fmt.Sprintf("secret-%d", n), private: k, public: k, src: SharedSecret(s), to: SharedSecret(s)})
	}
	pw := "correct horse battery staple"
	k := map[string]any{"passphrase": pw}
	return append(out, &joseKey{name: "passphrase", private: k, public: k, src: Passphrase([]byte(pw)), to: Passphrase([]byte(pw))})
}

func jsonOf(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// matrix is every alg × enc that fits each key (RSA1_5 left out: jose
// v6 does not implement it), and two zip: DEF cases.
func matrix(keys []*joseKey) []interopCase {
	var out []interopCase
	for _, k := range keys {
		for _, alg := range Algs(k.to, false) {
			for _, enc := range Encs(k.to, alg) {
				out = append(out, interopCase{key: k, alg: alg, enc: enc})
			}
		}
	}
	return append(out, interopCase{key: keys[0], alg: "RSA-OAEP-256", enc: "A256GCM", zip: true},
		interopCase{key: keys[len(keys)-1], alg: "PBES2-HS512+A256KW", enc: "A256CBC-HS512", zip: true})
}

// tamperCiphertext changes one character in the middle of the ciphertext
// (fourth part), keeping it base64url.
func tamperCiphertext(tok string) string {
	parts := strings.Split(tok, ".")
	b := []byte(parts[3])
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	parts[3] = string(b)
	return strings.Join(parts, ".")
}

func plaintextOf(c interopCase) string {
	if c.zip {
		return strings.Repeat(`{"sub":"interop","case":"`+c.name()+`"}`, 20)
	}
	return `{"sub":"interop","case":"` + c.name() + `","note":"–✓"}`
}

// tally is the interop matrix for the report: alg × key type → the
// encs that passed, per direction.
type tally map[string]map[string][]string

func (tl tally) add(c interopCase) {
	row := c.alg
	if c.zip {
		row += " (zip: DEF)"
	}
	if tl[row] == nil {
		tl[row] = map[string][]string{}
	}
	tl[row][c.key.name] = append(tl[row][c.key.name], c.enc)
}

func (tl tally) String() string {
	var rows []string
	for alg, keys := range tl {
		var cells []string
		for k, encs := range keys {
			cells = append(cells, fmt.Sprintf("%s (%d enc)", k, len(encs)))
		}
		sort.Strings(cells)
		rows = append(rows, alg+": "+strings.Join(cells, ", "))
	}
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}

// Interop with node's jose, both ways, over the whole matrix: jose
// encrypts to each alg × enc × key type (keys jose made) and JWK Desk
// decrypts (and refuses the token once its ciphertext is changed); JWK
// Desk encrypts and jose decrypts. PBES2 with a passphrase and zip: DEF
// are in it.
func TestInterop_jose_bothWays_everyAlgEncKeyType_RFC7516_RFC7518(t *testing.T) {
	interop.Require(t)
	cases := matrix(joseKeys(t))
	joseTokens := joseEncrypts(t, cases)
	joseToUs, usToJose := tally{}, tally{}
	ours := make([]string, len(cases))
	for i, c := range cases {
		t.Run("jose_encrypts_JWKDesk_decrypts_"+c.name(), func(t *testing.T) {
			checkJoseToken(t, c, joseTokens[i])
			joseToUs.add(c)
		})
		tok, err := Encrypt([]byte(plaintextOf(c)), c.key.to, c.alg, c.enc, EncryptOptions{P2C: 1000, Zip: c.zip})
		if err != nil {
			t.Fatalf("%s: %v", c.name(), err)
		}
		ours[i] = tok
	}
	got, errs := joseDecrypts(t, cases, ours)
	for i, c := range cases {
		t.Run("JWKDesk_encrypts_jose_decrypts_"+c.name(), func(t *testing.T) {
			if errs[i] != nil {
				t.Fatalf("jose refused JWK Desk's token: %v\n%s", errs[i], ours[i])
			}
			if got[i].Plaintext != plaintextOf(c) || got[i].Header["alg"] != c.alg || got[i].Header["enc"] != c.enc {
				t.Fatalf("jose read %q with header %v", got[i].Plaintext, got[i].Header)
			}
			usToJose.add(c)
		})
	}
	t.Logf("jose → JWK Desk (%d cases):\n%s", len(cases), joseToUs)
	t.Logf("JWK Desk → jose (%d cases):\n%s", len(cases), usToJose)
}

// joseEncrypts has jose encrypt each case's plaintext (one node start).
func joseEncrypts(t *testing.T, cases []interopCase) []string {
	t.Helper()
	out := make([]struct{ Token string }, len(cases))
	reqs, resps := make([]any, len(cases)), make([]any, len(cases))
	for i, c := range cases {
		header := map[string]any{}
		if kid, ok := c.key.public["kid"]; ok {
			header["kid"] = kid
		}
		if c.zip {
			header["zip"] = "DEF"
		}
		reqs[i] = map[string]any{"op": "encrypt", "alg": c.alg, "enc": c.enc, "key": c.key.public, "plaintext": plaintextOf(c), "p2c": 1000, "header": header}
		resps[i] = &out[i]
	}
	interop.MustRunBatch(t, reqs, resps)
	tokens := make([]string, len(cases))
	for i := range out {
		tokens[i] = out[i].Token
	}
	return tokens
}

// checkJoseToken: JWK Desk decrypts jose's token, and refuses it once its
// ciphertext is changed.
func checkJoseToken(t *testing.T, c interopCase, tok string) {
	t.Helper()
	r := mustInspect(t, tok, c.key.src, Options{})
	if !r.Decrypted || string(r.Plaintext) != plaintextOf(c) || r.Alg != c.alg || r.Enc != c.enc {
		t.Fatalf("decrypted=%v alg=%s enc=%s reason=%q", r.Decrypted, r.Alg, r.Enc, r.Reason)
	}
	if r := mustInspect(t, tamperCiphertext(tok), c.key.src, Options{}); r.Decrypted || len(r.Candidates) != 1 || r.Candidates[0].Code != CodeNotOpened {
		t.Fatalf("a tampered token: decrypted=%v codes=%v reason=%q", r.Decrypted, codes(r), r.Reason)
	}
}

// joseRead is what jose's decrypt answers.
type joseRead struct {
	Plaintext string
	Header    map[string]any
}

// joseDecrypts has jose decrypt JWK Desk's tokens (one node start); errs[i]
// is jose's refusal of token i.
func joseDecrypts(t *testing.T, cases []interopCase, tokens []string) ([]joseRead, []error) {
	t.Helper()
	got := make([]joseRead, len(cases))
	reqs, resps := make([]any, len(cases)), make([]any, len(cases))
	for i, c := range cases {
		req := map[string]any{"op": "decrypt", "token": tokens[i], "alg": c.alg, "key": c.key.private}
		if strings.HasPrefix(c.alg, "PBES2") {
			req["keyManagementAlgorithms"] = []string{c.alg} // jose reads PBES2 only when asked to
		}
		reqs[i], resps[i] = req, &got[i]
	}
	errs, err := interop.RunBatch(reqs, resps)
	if err != nil {
		t.Fatal(err)
	}
	return got, errs
}

// A nested JWT (RFC 7519 §5.2), both ways: jose signs (ES256) and then
// encrypts with cty "JWT"; JWK Desk finds the inner token and hands it
// back as jose signed it. JWK Desk encrypts jose's signed token with cty
// "JWT"; jose decrypts it and verifies the inner token.
func TestInterop_jose_nestedSignThenEncrypt_RFC7519Section5_2(t *testing.T) {
	interop.Require(t)
	type gen struct {
		JWK    map[string]any `json:"jwk"`
		Public map[string]any `json:"public"`
	}
	var sig, enc gen
	interop.MustRunBatch(t, []any{
		map[string]any{"op": "generate", "alg": "ES256"},
		map[string]any{"op": "generate", "alg": "ECDH-ES", "crv": "X25519"},
	}, []any{&sig, &enc})
	enc.JWK["kid"], enc.Public["kid"] = "enc-x", "enc-x"

	var inner struct{ Token string }
	interop.MustRun(t, map[string]any{"op": "sign", "alg": "ES256", "key": sig.JWK, "claims": map[string]any{"sub": "nested"}, "header": map[string]any{"kid": "sig-1", "typ": "JWT"}}, &inner)

	var outer struct{ Token string }
	ours, err := Encrypt([]byte(inner.Token), OneKey("jose's key", mustKey(t, jsonOf(t, enc.Public))), "ECDH-ES+A256KW", "A256GCM", EncryptOptions{Cty: "JWT"})
	if err != nil {
		t.Fatal(err)
	}
	var read joseRead
	var verified struct{ Plaintext string }
	interop.MustRunBatch(t, []any{
		map[string]any{"op": "encrypt", "alg": "ECDH-ES+A256KW", "enc": "A256GCM", "key": enc.Public, "plaintext": inner.Token, "header": map[string]any{"cty": "JWT", "kid": "enc-x"}},
		map[string]any{"op": "decrypt", "token": ours, "alg": "ECDH-ES+A256KW", "key": enc.JWK},
		map[string]any{"op": "verify", "token": inner.Token, "alg": "ES256", "key": sig.Public},
	}, []any{&outer, &read, &verified})

	r := mustInspect(t, outer.Token, KeySet("JWKS workspace", []jwk.Key{mustKey(t, jsonOf(t, enc.JWK))}), Options{})
	if !r.Decrypted || !r.Nested || r.InnerKind != "JWS" || r.Inner != inner.Token || r.Cty != "JWT" || r.Key != "enc-x" {
		t.Fatalf("decrypted=%v nested=%v kind=%q cty=%q key=%q reason=%q", r.Decrypted, r.Nested, r.InnerKind, r.Cty, r.Key, r.Reason)
	}
	if read.Plaintext != inner.Token || read.Header["cty"] != "JWT" || !strings.Contains(verified.Plaintext, `"sub":"nested"`) {
		t.Fatalf("jose read %q (header %v), verified %q", read.Plaintext, read.Header, verified.Plaintext)
	}
}
