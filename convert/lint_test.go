package convert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/cert"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// mustKey imports a raw key and sets members ("kid", "use", "alg",
// "key_ops"); a member given as "" is left out.
func mustKey(t testing.TB, raw any, members map[string]any) jwk.Key {
	t.Helper()
	k, err := jwk.Import(raw)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	for name, v := range members {
		if s, ok := v.(string); ok && s == "" {
			continue
		}
		if err := k.Set(name, v); err != nil {
			t.Fatalf("set %s=%v: %v", name, v, err)
		}
	}
	return k
}

var (
	rsaPairOnce sync.Once
	rsa2048     *rsa.PrivateKey
	rsa1024     *rsa.PrivateKey
)

// testRSA returns RSA keys made once per test binary (generation is slow).
func testRSAPair(t testing.TB) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	rsaPairOnce.Do(func() {
		var err error
		if rsa2048, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if rsa1024, err = rsa.GenerateKey(rand.Reader, 1024); err != nil {
			panic(err)
		}
	})
	return rsa2048, rsa1024
}

func newEC(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// selfSigned makes a certificate for pub signed by signer, valid in [from, to].
func selfSigned(t testing.TB, pub any, signer crypto.Signer, from, to time.Time) string {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "test"}, NotBefore: from, NotAfter: to}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, signer)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(der)
}

func withX5C(t testing.TB, k jwk.Key, b64 string) jwk.Key {
	t.Helper()
	var chain cert.Chain
	if err := chain.Add([]byte(b64)); err != nil {
		t.Fatal(err)
	}
	if err := k.Set(jwk.X509CertChainKey, &chain); err != nil {
		t.Fatal(err)
	}
	return k
}

func codes(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	slices.Sort(out)
	return out
}

func TestLintEachRule(t *testing.T) {
	r2048, r1024 := testRSAPair(t)
	ec := newEC(t)
	other := newEC(t)
	sig := map[string]any{"kid": "k", "use": "sig"}
	oct := []byte(strings.Repeat("s", 32))
	cases := []struct {
		name string
		key  func() jwk.Key
		want []string
		msg  string // part of the first finding's message
	}{
		{"clean RSA", func() jwk.Key {
			return mustKey(t, &r2048.PublicKey, map[string]any{"kid": "k", "use": "sig", "alg": "RS256"})
		}, nil, ""},
		{"clean EC without alg", func() jwk.Key { return mustKey(t, &ec.PublicKey, sig) }, nil, ""},
		{"RSA 1024", func() jwk.Key { return mustKey(t, &r1024.PublicKey, sig) }, []string{LintWeakRSA}, "RSA modulus of 1024 bits is under 2048"},
		{"RSA exponent 3", func() jwk.Key { return mustKey(t, &rsa.PublicKey{N: r2048.N, E: 3}, sig) }, []string{LintRSAExponent}, "public exponent 3 is not 65537"},
		{"alg for another kty", func() jwk.Key {
			return mustKey(t, &ec.PublicKey, map[string]any{"kid": "k", "use": "sig", "alg": "RS256"})
		}, []string{LintAlgMismatch}, "alg RS256 does not fit EC P-256 for use sig: choose one of ES256"},
		{"alg for another use", func() jwk.Key {
			return mustKey(t, &r2048.PublicKey, map[string]any{"kid": "k", "use": "enc", "alg": "RS256"})
		}, []string{LintAlgMismatch}, "alg RS256 does not fit an RSA key for use enc"},
		{"missing kid", func() jwk.Key { return mustKey(t, &ec.PublicKey, map[string]any{"use": "sig"}) }, []string{LintNoKid}, "no kid"},
		{"missing use and key_ops", func() jwk.Key { return mustKey(t, &ec.PublicKey, map[string]any{"kid": "k"}) }, []string{LintNoUse}, `neither "use" nor "key_ops"`},
		{"key_ops alone is enough", func() jwk.Key {
			return mustKey(t, &ec.PublicKey, map[string]any{"kid": "k", "key_ops": jwk.KeyOperationList{jwk.KeyOpVerify}})
		}, nil, ""},
		{"use conflicts with key_ops", func() jwk.Key {
			return mustKey(t, &ec.PublicKey, map[string]any{"kid": "k", "use": "sig", "key_ops": jwk.KeyOperationList{jwk.KeyOpVerify, jwk.KeyOpEncrypt}})
		}, []string{LintUseKeyOps}, `use "sig" conflicts with key_ops "encrypt"`},
		{"RSA1_5", func() jwk.Key {
			return mustKey(t, &r2048.PublicKey, map[string]any{"kid": "k", "use": "enc", "alg": "RSA1_5"})
		}, []string{LintAlgMismatch, LintRSA15}, "RSA1_5"},
		{"oct key", func() jwk.Key { return mustKey(t, oct, map[string]any{"kid": "k", "use": "sig", "alg": "HS256"}) }, []string{LintOctKey}, "never published"},
		{"oct too short for its alg", func() jwk.Key { return mustKey(t, oct, map[string]any{"kid": "k", "use": "sig", "alg": "HS512"}) }, []string{LintAlgMismatch, LintOctKey}, ""},
		{"private members", func() jwk.Key { return mustKey(t, ec, sig) }, []string{LintPrivate}, "stripped from the public JWKS"},
		{"x5c valid and matching", func() jwk.Key {
			return withX5C(t, mustKey(t, &ec.PublicKey, sig), selfSigned(t, &ec.PublicKey, ec, testNow.AddDate(-1, 0, 0), testNow.AddDate(1, 0, 0)))
		}, nil, ""},
		{"x5c expired", func() jwk.Key {
			return withX5C(t, mustKey(t, &ec.PublicKey, sig), selfSigned(t, &ec.PublicKey, ec, testNow.AddDate(-2, 0, 0), testNow.AddDate(-1, 0, 0)))
		}, []string{LintCertExpired}, "the x5c certificate expired on 2025-11-23"},
		{"x5c not yet valid", func() jwk.Key {
			return withX5C(t, mustKey(t, &ec.PublicKey, sig), selfSigned(t, &ec.PublicKey, ec, testNow.AddDate(0, 0, 1), testNow.AddDate(1, 0, 0)))
		}, []string{LintCertExpired}, "not valid before 2026-11-24"},
		{"x5c of another key", func() jwk.Key {
			return withX5C(t, mustKey(t, &ec.PublicKey, sig), selfSigned(t, &other.PublicKey, other, testNow.AddDate(-1, 0, 0), testNow.AddDate(1, 0, 0)))
		}, []string{LintCertMismatch}, "holds another public key"},
		{"x5c of another key type", func() jwk.Key {
			return withX5C(t, mustKey(t, &r2048.PublicKey, sig), selfSigned(t, &ec.PublicKey, ec, testNow.AddDate(-1, 0, 0), testNow.AddDate(1, 0, 0)))
		}, []string{LintCertMismatch}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := LintKey(0, c.key(), testNow)
			if !slices.Equal(codes(got), c.want) {
				t.Fatalf("codes %v, want %v: %v", codes(got), c.want, got)
			}
			if c.msg != "" && !strings.Contains(got[0].String()+got[len(got)-1].String(), c.msg) {
				t.Errorf("message %q lacks %q", got, c.msg)
			}
		})
	}
}

func TestLintSetDuplicates(t *testing.T) {
	a, b := newEC(t), newEC(t)
	keys := []jwk.Key{
		mustKey(t, &a.PublicKey, map[string]any{"kid": "1", "use": "sig", "alg": "ES256"}),
		mustKey(t, &b.PublicKey, map[string]any{"kid": "1", "use": "sig"}),
		// The same key as the first, listed again with another alg (RFC 7520 does this).
		mustKey(t, &a.PublicKey, map[string]any{"kid": "2", "use": "enc", "alg": "ECDH-ES"}),
		// The same key under the same kid twice is not a duplicate kid.
		mustKey(t, &b.PublicKey, map[string]any{"kid": "1", "use": "sig"}),
	}
	r := LintSet(keys, testNow)
	// One finding per group (kid "1": keys 1, 2, 4; the key listed with two
	// algs: keys 1, 3), shown with each key of the group.
	want := [][]string{
		{LintDuplicateKeyAlg, LintDuplicateKid}, // sorted
		{LintDuplicateKid},
		{LintDuplicateKeyAlg},
		{LintDuplicateKid},
	}
	for i := range keys {
		if got := codes(r.ForKey(i)); !slices.Equal(got, want[i]) {
			t.Errorf("key %d: %v, want %v", i+1, got, want[i])
		}
		if len(r.PerKey[i]) != 0 {
			t.Errorf("key %d: group findings repeated per key: %v", i+1, r.PerKey[i])
		}
	}
	if len(r.Groups) != 2 || r.Errors != 1 || r.Warnings != 1 || r.Infos != 0 || r.Summary() != "1 error, 1 warning" {
		t.Errorf("counts %d/%d/%d %q", r.Errors, r.Warnings, r.Infos, r.Summary())
	}
	if dupMsg := r.Groups[0].String(); dupMsg != `3 keys (kid "1"): error: kid "1" is shared by 2 different keys (2 EC; positions 1, 2, 4): a verifier picks one by kid and may pick the wrong one; give each key its own kid` {
		t.Errorf("message %q", dupMsg)
	}
	if Worst(r.ForKey(0)) != SevError || Worst(r.ForKey(2)) != SevWarning || Worst(nil) != "" {
		t.Error("Worst")
	}
	if (LintReport{}).Summary() != "no findings" {
		t.Error("empty summary")
	}
}
