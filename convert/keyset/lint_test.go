package keyset

import (
	"crypto/rsa"
	"slices"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

func codes(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	slices.Sort(out)
	return out
}

func TestLintEachRule(t *testing.T) {
	r2048, r1024 := testkit.RSAPair(t)
	ec := testkit.EC(t)
	other := testkit.EC(t)
	sig := map[string]any{"kid": "k", "use": "sig"}
	oct := []byte(strings.Repeat("s", 32))
	cases := []struct {
		name string
		key  func() jwk.Key
		want []string
		msg  string // part of the first finding's message
	}{
		{"clean RSA", func() jwk.Key {
			return testkit.Key(t, &r2048.PublicKey, map[string]any{"kid": "k", "use": "sig", "alg": "RS256"})
		}, nil, ""},
		{"clean EC without alg", func() jwk.Key { return testkit.Key(t, &ec.PublicKey, sig) }, nil, ""},
		{"RSA 1024", func() jwk.Key { return testkit.Key(t, &r1024.PublicKey, sig) }, []string{LintWeakRSA}, "RSA modulus of 1024 bits is under 2048"},
		{"RSA exponent 3", func() jwk.Key { return testkit.Key(t, &rsa.PublicKey{N: r2048.N, E: 3}, sig) }, []string{LintRSAExponent}, "public exponent 3 is not 65537"},
		{"alg for another kty", func() jwk.Key {
			return testkit.Key(t, &ec.PublicKey, map[string]any{"kid": "k", "use": "sig", "alg": "RS256"})
		}, []string{LintAlgMismatch}, "alg RS256 does not fit EC P-256 for use sig: choose one of ES256"},
		{"alg for another use", func() jwk.Key {
			return testkit.Key(t, &r2048.PublicKey, map[string]any{"kid": "k", "use": "enc", "alg": "RS256"})
		}, []string{LintAlgMismatch}, "alg RS256 does not fit an RSA key for use enc"},
		{"missing kid", func() jwk.Key { return testkit.Key(t, &ec.PublicKey, map[string]any{"use": "sig"}) }, []string{LintNoKid}, "no kid"},
		{"missing use and key_ops", func() jwk.Key { return testkit.Key(t, &ec.PublicKey, map[string]any{"kid": "k"}) }, []string{LintNoUse}, `neither "use" nor "key_ops"`},
		{"key_ops alone is enough", func() jwk.Key {
			return testkit.Key(t, &ec.PublicKey, map[string]any{"kid": "k", "key_ops": jwk.KeyOperationList{jwk.KeyOpVerify}})
		}, nil, ""},
		{"use conflicts with key_ops", func() jwk.Key {
			return testkit.Key(t, &ec.PublicKey, map[string]any{"kid": "k", "use": "sig", "key_ops": jwk.KeyOperationList{jwk.KeyOpVerify, jwk.KeyOpEncrypt}})
		}, []string{LintUseKeyOps}, `use "sig" conflicts with key_ops "encrypt"`},
		{"RSA1_5", func() jwk.Key {
			return testkit.Key(t, &r2048.PublicKey, map[string]any{"kid": "k", "use": "enc", "alg": "RSA1_5"})
		}, []string{LintAlgMismatch, LintRSA15}, "RSA1_5"},
		{"oct key", func() jwk.Key { return testkit.Key(t, oct, map[string]any{"kid": "k", "use": "sig", "alg": "HS256"}) }, []string{LintOctKey}, "never published"},
		{"oct too short for its alg", func() jwk.Key { return testkit.Key(t, oct, map[string]any{"kid": "k", "use": "sig", "alg": "HS512"}) }, []string{LintAlgMismatch, LintOctKey}, ""},
		{"private members", func() jwk.Key { return testkit.Key(t, ec, sig) }, []string{LintPrivate}, "stripped from the public JWKS"},
		{"x5c valid and matching", func() jwk.Key {
			return testkit.WithX5C(t, testkit.Key(t, &ec.PublicKey, sig), testkit.SelfSigned(t, &ec.PublicKey, ec, testkit.Now.AddDate(-1, 0, 0), testkit.Now.AddDate(1, 0, 0)))
		}, nil, ""},
		{"x5c expired", func() jwk.Key {
			return testkit.WithX5C(t, testkit.Key(t, &ec.PublicKey, sig), testkit.SelfSigned(t, &ec.PublicKey, ec, testkit.Now.AddDate(-2, 0, 0), testkit.Now.AddDate(-1, 0, 0)))
		}, []string{LintCertExpired}, "the x5c certificate expired on 2025-11-23"},
		{"x5c not yet valid", func() jwk.Key {
			return testkit.WithX5C(t, testkit.Key(t, &ec.PublicKey, sig), testkit.SelfSigned(t, &ec.PublicKey, ec, testkit.Now.AddDate(0, 0, 1), testkit.Now.AddDate(1, 0, 0)))
		}, []string{LintCertExpired}, "not valid before 2026-11-24"},
		{"x5c of another key", func() jwk.Key {
			return testkit.WithX5C(t, testkit.Key(t, &ec.PublicKey, sig), testkit.SelfSigned(t, &other.PublicKey, other, testkit.Now.AddDate(-1, 0, 0), testkit.Now.AddDate(1, 0, 0)))
		}, []string{LintCertMismatch}, "holds another public key"},
		{"x5c of another key type", func() jwk.Key {
			return testkit.WithX5C(t, testkit.Key(t, &r2048.PublicKey, sig), testkit.SelfSigned(t, &ec.PublicKey, ec, testkit.Now.AddDate(-1, 0, 0), testkit.Now.AddDate(1, 0, 0)))
		}, []string{LintCertMismatch}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := LintKey(0, c.key(), testkit.Now)
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
	a, b := testkit.EC(t), testkit.EC(t)
	keys := []jwk.Key{
		testkit.Key(t, &a.PublicKey, map[string]any{"kid": "1", "use": "sig", "alg": "ES256"}),
		testkit.Key(t, &b.PublicKey, map[string]any{"kid": "1", "use": "sig"}),
		// The same key as the first, listed again with another alg (RFC 7520 does this).
		testkit.Key(t, &a.PublicKey, map[string]any{"kid": "2", "use": "enc", "alg": "ECDH-ES"}),
		// The same key under the same kid twice is not a duplicate kid.
		testkit.Key(t, &b.PublicKey, map[string]any{"kid": "1", "use": "sig"}),
	}
	r := LintSet(keys, testkit.Now)
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

// The lint of a set shaped like real issuers' (testkit.RealisticSet): Entra's
// key has no alg (fine), the same RSA key is listed three times with and
// without alg (RFC 7517 §4.4), the OKP key has no kid and no use.
func TestLintRealisticSet_RFC7517_4(t *testing.T) {
	ps, err := keys.ParseKeySet([]byte(testkit.RealisticSet(t)))
	if err != nil {
		t.Fatal(err)
	}
	r := LintSet(ps.Keys, testkit.Now)
	got := [][]string{codes(r.ForKey(0)), codes(r.ForKey(2)), codes(r.ForKey(3)), codes(r.ForKey(4))}
	wantCodes := [][]string{{LintDuplicateKeyAlg}, {LintDuplicateKeyAlg}, nil, {LintNoKid, LintNoUse}}
	for i := range got {
		if !slices.Equal(got[i], wantCodes[i]) {
			t.Errorf("lint %d: %v, want %v", i, got[i], wantCodes[i])
		}
	}
}
