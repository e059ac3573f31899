package keys

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// Issue 19: the one key reader reads passphrase-encrypted private JWKs and
// JWK Sets (RFC 7516 JWE, RFC 7518 §4.8 PBES2) in both serializations,
// with the encrypted PEM flow: ErrNeedsPassphrase, ErrWrongPassphrase, and
// refusals (p2c over the cap, damage) said before deriving where they can be.

const stepFixtures = "encjwk/testdata/step"

func stepPass(t *testing.T) []byte {
	t.Helper()
	p, err := os.ReadFile(filepath.Join(stepFixtures, "passphrase.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(stepFixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// thumbsOf reads every key of a public JWK or JWKS and returns their RFC
// 7638 thumbprints, in order.
func thumbsOf(t *testing.T, list []jwk.Key) []string {
	t.Helper()
	var out []string
	for _, k := range list {
		tp, err := k.Thumbprint(crypto.SHA256) // jwx's, for oct too: a test compares, never shows
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, base64.RawURLEncoding.EncodeToString(tp))
	}
	return out
}

func TestParseEncryptedJWKStepFixtures(t *testing.T) {
	pass := stepPass(t)
	cases := []struct {
		file, pub string
		n         int
		summary   string
	}{
		{"ec-p256.priv.json", "ec-p256.pub.json", 1, "encrypted JWK"},
		{"ec-p384.priv.json", "ec-p384.pub.json", 1, "encrypted JWK"},
		{"ec-p521.priv.json", "ec-p521.pub.json", 1, "encrypted JWK"},
		{"rsa-2048.priv.json", "rsa-2048.pub.json", 1, "encrypted JWK"},
		{"rsa-2048-enc.priv.json", "rsa-2048-enc.pub.json", 1, "encrypted JWK"},
		{"okp-ed25519.priv.json", "okp-ed25519.pub.json", 1, "encrypted JWK"},
		{"oct.priv.json", "oct.pub.json", 1, "encrypted JWK"},
		{"set.priv.json", "set.pub.json", 2, "encrypted JWKS, 2 keys"},
		{"nocty.priv.json", "nocty.pub.json", 1, "encrypted JWK"},
		{"ca-provisioner.jwe", "ca-provisioner.pub.json", 1, "encrypted JWK"}, // compact
	}
	for _, c := range cases {
		t.Run("RFC7518_4.8/step/"+c.file, func(t *testing.T) {
			var derived []Derivation
			res, err := Parse(readFixture(t, c.file), ParseOptions{Passphrase: pass, OnDerive: func(d Derivation) { derived = append(derived, d) }})
			if err != nil {
				t.Fatal(err)
			}
			if res.Summary != c.summary || len(res.Keys()) != c.n {
				t.Fatalf("summary %q, %d keys", res.Summary, len(res.Keys()))
			}
			for _, k := range res.Keys() {
				if !IsPrivate(k) {
					t.Errorf("key %s read as public", DescribeKey(k))
				}
			}
			if !strings.Contains(res.Items[0].Label, "encrypted with a passphrase (PBES2-HS256+A128KW, p2c 100,000, decrypted)") {
				t.Errorf("label %q", res.Items[0].Label)
			}
			if len(derived) != 1 || derived[0].KDF != "PBES2-HS256+A128KW (p2c 100,000)" {
				t.Errorf("derivations %+v", derived)
			}
			pub, err := ParseKeys(readFixture(t, c.pub))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := thumbsOf(t, res.Keys()), thumbsOf(t, pub); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("thumbprints %v, step's public %v", got, want)
			}
		})
	}
}

// sealedFixtures are what SealPrivateJWK(S) writes, in each form and
// algorithm: the reader opens its own writer's output.
func TestParseEncryptedJWKOurs(t *testing.T) {
	pass := []byte("correct horse battery staple")
	k1 := genKey(t, Spec{Kty: KtyEC, Crv: "P-256"})
	k2 := genKey(t, Spec{Kty: KtyOKP, Crv: "Ed25519"})
	cases := []struct {
		name string
		seal func() ([]byte, error)
		n    int
		alg  string
	}{
		{"RFC7516_7.2.2/JSON flattened JWK, defaults", func() ([]byte, error) { return SealPrivateJWK(k1, pass, encjwk.SealOptions{}) }, 1, "PBES2-HS512+A256KW"},
		{"RFC7516_7.1/compact JWK", func() ([]byte, error) { return SealPrivateJWK(k1, pass, encjwk.SealOptions{Compact: true}) }, 1, "PBES2-HS512+A256KW"},
		{"RFC7517_5/JSON flattened JWKS", func() ([]byte, error) {
			return SealPrivateJWKS([]jwk.Key{k1, k2}, pass, encjwk.SealOptions{})
		}, 2, "PBES2-HS512+A256KW"},
		{"RFC7518_4.8/compact JWKS, HS256", func() ([]byte, error) {
			return SealPrivateJWKS([]jwk.Key{k1, k2}, pass, encjwk.SealOptions{Compact: true, Alg: "PBES2-HS256+A128KW"})
		}, 2, "PBES2-HS256+A128KW"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data, err := c.seal()
			if err != nil {
				t.Fatal(err)
			}
			res, err := Parse(data, ParseOptions{Passphrase: pass})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Keys()) != c.n || !strings.Contains(res.Items[0].Label, c.alg+", p2c 600,000, decrypted") {
				t.Fatalf("%d keys, label %q", len(res.Keys()), res.Items[0].Label)
			}
			want := thumbsOf(t, []jwk.Key{k1, k2})[:c.n]
			if got := thumbsOf(t, res.Keys()); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("thumbprints %v, want %v", got, want)
			}
		})
	}
}

func genKey(t *testing.T, s Spec) jwk.Key {
	t.Helper()
	g, err := Generate(s)
	if err != nil {
		t.Fatal(err)
	}
	return g.Private
}

// withP2C rewrites the protected header's p2c (the content no longer
// authenticates, but the cap is checked before that matters).
func withP2C(t *testing.T, data []byte, p2c string) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(m["protected"].(string))
	var h map[string]any
	_ = json.Unmarshal(raw, &h)
	h["p2c"] = json.Number(p2c)
	hb, _ := json.Marshal(h)
	m["protected"] = base64.RawURLEncoding.EncodeToString(hb)
	out, _ := json.Marshal(m)
	return out
}

// flipTag changes one bit of the JSON form's tag: the content key still
// unwraps, the content no longer authenticates.
func flipTag(t *testing.T, data []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	tag, _ := base64.RawURLEncoding.DecodeString(m["tag"].(string))
	tag[0] ^= 1
	m["tag"] = base64.RawURLEncoding.EncodeToString(tag)
	out, _ := json.Marshal(m)
	return out
}

func TestParseEncryptedJWKRefusals(t *testing.T) {
	pass := stepPass(t)
	ec := readFixture(t, "ec-p256.priv.json")
	set := readFixture(t, "set.priv.json")
	compact := readFixture(t, "ca-provisioner.jwe")
	cases := []struct {
		name     string
		in, pass []byte
		kind     error // ErrNeedsPassphrase, ErrWrongPassphrase, or nil for another refusal
		msg      string
		derives  int
	}{
		{"RFC7518_4.8/no passphrase, JWK", ec, nil, ErrNeedsPassphrase, "this is a private JWK encrypted with a passphrase (PBES2-HS256+A128KW, p2c 100,000)", 0},
		{"RFC7518_4.8/no passphrase, JWK Set", set, nil, ErrNeedsPassphrase, "this is a private JWK Set encrypted with a passphrase (PBES2-HS256+A128KW, p2c 100,000)", 0},
		{"RFC7516_7.1/no passphrase, compact", compact, nil, ErrNeedsPassphrase, "this is a private JWK encrypted with a passphrase", 0},
		{"RFC3394_2.2.3/wrong passphrase", ec, []byte("not it"), ErrWrongPassphrase, "the passphrase does not decrypt this encrypted JWK", 1},
		{"RFC3394_2.2.3/wrong passphrase, compact", compact, append(bytes.Clone(pass), 'x'), ErrWrongPassphrase, "the passphrase does not decrypt", 1},
		{"RFC7516_5.2/damaged tag", flipTag(t, ec), pass, nil, "this encrypted JWK cannot be read:", 1},
		{"RFC7518_4.8.1.2/p2c over the read cap, before deriving", withP2C(t, ec, "10000001"), pass, nil, "p2c is 10,000,001, over the cap of 10,000,000 for reading: refused before deriving", 0},
		{"RFC7518_4.8.1.2/p2c over the read cap, without a passphrase", withP2C(t, ec, "50000000"), nil, nil, "over the cap of 10,000,000", 0},
		{"RFC7518_4.8.1.2/p2c under the floor", withP2C(t, ec, "999"), pass, nil, "under the floor of 1,000", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			derives := 0
			_, err := Parse(c.in, ParseOptions{Passphrase: c.pass, OnDerive: func(Derivation) { derives++ }})
			if err == nil {
				t.Fatal("read")
			}
			if c.kind != nil && !errors.Is(err, c.kind) {
				t.Fatalf("err %v, want %v", err, c.kind)
			}
			if c.kind == nil && (errors.Is(err, ErrNeedsPassphrase) || errors.Is(err, ErrWrongPassphrase)) {
				t.Fatalf("err %v is a passphrase error", err)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("message %q, want %q", err, c.msg)
			}
			if strings.Contains(err.Error(), "jwe.") || strings.Contains(err.Error(), "failed to") {
				t.Errorf("jwx's words reach the user: %q", err)
			}
			if derives != c.derives {
				t.Errorf("%d derivations, want %d", derives, c.derives)
			}
		})
	}
	t.Run("RFC7518_4.8/ParseKeys asks for the passphrase", func(t *testing.T) {
		if _, err := ParseKeys(ec); !errors.Is(err, ErrNeedsPassphrase) {
			t.Errorf("err %v", err)
		}
	})
}

// An encrypted JWK's one derivation may cost up to encjwk.ReadCap (issue
// 19: p2c 10,000,000, about 20 s of PBES2-HS512 here), over the 2 s every
// other input gets; a PEM's derivations keep the 2 s budget.
func TestEncryptedJWKBudgetRFC7518_4_8_1_2(t *testing.T) {
	atCap := Derivation{KDF: "PBES2-HS512+A256KW (p2c 10,000,000)", Estimate: 20 * time.Second}
	if err := newDeriveBudget(ParseOptions{}).chargeEncryptedJWK([]byte("p"), atCap); err != nil {
		t.Errorf("an encrypted JWK at the read cap refused: %v", err)
	}
	if err := newDeriveBudget(ParseOptions{}).charge([]byte("p"), atCap); err == nil {
		t.Error("the 2 s budget of other inputs admitted 20 s")
	}
	over := Derivation{KDF: "PBES2-HS512+A256KW", Estimate: maxEncryptedJWKDeriveTime + time.Second}
	if err := newDeriveBudget(ParseOptions{}).chargeEncryptedJWK([]byte("p"), over); err == nil {
		t.Error("no bound on an encrypted JWK's derivation")
	}
}
