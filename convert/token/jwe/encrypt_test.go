package jwe

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// encTarget is a key (or secret, or passphrase) to encrypt to and the
// source that decrypts what was encrypted to it.
type encTarget struct {
	name string
	to   Source
	back Source
}

// encTargets are the targets of every key type Encrypt writes for.
func encTargets(t *testing.T) []encTarget {
	t.Helper()
	var out []encTarget
	for _, name := range []string{"RSA-2048", "P-256", "P-384", "P-521", "X25519"} {
		k := withMembers(t, testKey(t, name), map[string]any{"kid": name, "use": "enc"})
		out = append(out, encTarget{name, OneKey("public key", publicOf(t, k)), KeySet("private keys", []jwk.Key{k})})
	}
	for _, n := range []int{16, 24, 32, 48, 64} {
		s := secretOf(n, byte(n))
		out = append(out, encTarget{fmt.Sprintf("secret-%d", n), SharedSecret(s), SharedSecret(s)})
	}
	pw := []byte("correct horse battery staple")
	out = append(out, encTarget{"passphrase", Passphrase(pw), Passphrase(pw)})
	return out
}

// Every alg that fits a key × every enc that fits: Encrypt writes it and
// Inspect reads it back.
func TestEncrypt_roundTrip_everyAlgEncKeyType_RFC7518Sections4_5(t *testing.T) {
	n := 0
	for _, target := range encTargets(t) {
		for _, alg := range Algs(target.to, true) {
			for _, enc := range Encs(target.to, alg) {
				n++
				t.Run(target.name+"_"+alg+"_"+enc, func(t *testing.T) {
					pt := []byte(`{"sub":"` + target.name + `","alg":"` + alg + `"}`)
					tok, err := Encrypt(pt, target.to, alg, enc, EncryptOptions{P2C: 1000, AllowRSA1_5: true})
					if err != nil {
						t.Fatal(err)
					}
					r := mustInspect(t, tok, target.back, Options{AllowRSA1_5: true})
					if !r.Decrypted || !bytes.Equal(r.Plaintext, pt) || r.Alg != alg || r.Enc != enc {
						t.Fatalf("decrypted=%v alg=%s enc=%s reason=%q", r.Decrypted, r.Alg, r.Enc, r.Reason)
					}
					if strings.HasPrefix(target.name, "RSA") || strings.HasPrefix(target.name, "P-") || target.name == "X25519" {
						if r.Kid != target.name || r.Key != target.name {
							t.Errorf("header kid %q, key %q: want the key's own %q", r.Kid, r.Key, target.name)
						}
					}
				})
			}
		}
	}
	// RSA: 5 algs × 6 encs; EC and X25519: 4 × 4 × 6; secrets of 16, 24 and
	// 32 bytes: (A*KW + A*GCMKW) × 6 + dir × its encs (1, 1, 2); 48 and 64:
	// dir × 1; the passphrase: 3 × 6.
	if want := 30 + 96 + 3*12 + 4 + 2 + 18; n != want {
		t.Fatalf("%d combinations, want %d", n, want)
	}
}

// The algs and encs that fit a key, the default first.
func TestAlgsEncs_fitTheKey_defaultFirst(t *testing.T) {
	rsaKey := testKey(t, "RSA-2048")
	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	cases := []struct {
		name string
		to   Source
		rsa1 bool
		algs []string
		encs map[string][]string
	}{
		{"RFC7518_4.3_RSA", OneKey("k", publicOf(t, rsaKey)), false, []string{"RSA-OAEP-256", "RSA-OAEP", "RSA-OAEP-384", "RSA-OAEP-512"}, map[string][]string{"RSA-OAEP-256": ContentAlgorithms()}},
		{"RFC7518_4.2_RSA_with_the_RSA1_5_opt_in", OneKey("k", rsaKey), true, []string{"RSA-OAEP-256", "RSA-OAEP", "RSA-OAEP-384", "RSA-OAEP-512", "RSA1_5"}, nil},
		{"RFC7517_4.4_RSA_with_its_own_alg", OneKey("k", withMembers(t, rsaKey, map[string]any{"alg": "RSA-OAEP"})), false, []string{"RSA-OAEP"}, nil},
		{"RFC7518_4.6_EC_P-384", OneKey("k", testKey(t, "P-384")), false, []string{"ECDH-ES+A256KW", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW"}, nil},
		{"RFC8037_3.2_X25519", OneKey("k", testKey(t, "X25519")), false, []string{"ECDH-ES+A256KW", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW"}, nil},
		{"RFC8037_3.1_Ed25519_signs_only", OneKey("k", mustKey(t, edPriv)), false, nil, nil},
		{"RFC7517_4.2_use_sig", OneKey("k", withMembers(t, rsaKey, map[string]any{"use": "sig"})), false, nil, nil},
		{"RFC7517_4.3_key_ops_verify", OneKey("k", withMembers(t, rsaKey, map[string]any{"key_ops": []string{"verify"}})), false, nil, nil},
		{"RFC7518_4.3_RSA_1024", OneKey("k", testKey(t, "RSA-1024")), false, nil, nil},
		{"RFC7518_4.4_oct_16", OneKey("k", octKey(t, 16, 1)), false, []string{"A128KW", "A128GCMKW", "dir"}, map[string][]string{"dir": {"A128GCM"}, "A128KW": ContentAlgorithms()}},
		{"RFC7518_4.5_secret_32", SharedSecret(secretOf(32, 1)), false, []string{"A256KW", "A256GCMKW", "dir"}, map[string][]string{"dir": {"A256GCM", "A128CBC-HS256"}}},
		{"RFC7518_4.5_secret_64", SharedSecret(secretOf(64, 1)), false, []string{"dir"}, map[string][]string{"dir": {"A256CBC-HS512"}}},
		{"RFC7518_4.5_secret_20_fits_nothing", SharedSecret(secretOf(20, 1)), false, nil, nil},
		{"RFC7520_5.6_dir_key_with_its_enc_as_alg", OneKey("k", withMembers(t, octKey(t, 16, 1), map[string]any{"alg": "A128GCM"})), false, []string{"dir"}, map[string][]string{"dir": {"A128GCM"}}},
		{"RFC7518_4.8_passphrase", Passphrase([]byte("pw")), false, []string{"PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW"}, nil},
		{"two_keys_none", KeySet("set", []jwk.Key{rsaKey, testKey(t, "P-256")}), false, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Algs(c.to, c.rsa1); !slices.Equal(got, c.algs) {
				t.Errorf("Algs = %v, want %v", got, c.algs)
			}
			for alg, want := range c.encs {
				if got := Encs(c.to, alg); !slices.Equal(got, want) {
					t.Errorf("Encs(%s) = %v, want %v", alg, got, want)
				}
			}
		})
	}
}

// Encrypt refuses what does not fit, with a message that says what to do.
func TestEncrypt_refusals(t *testing.T) {
	rsaKey := withMembers(t, testKey(t, "RSA-2048"), map[string]any{"kid": "enc-1"})
	pt := []byte("hi")
	cases := []struct {
		name     string
		to       Source
		alg, enc string
		opts     EncryptOptions
		pt       []byte
		want     string
	}{
		{"RFC7517_4.2_use_sig", OneKey("k", withMembers(t, rsaKey, map[string]any{"use": "sig"})), "RSA-OAEP-256", "A256GCM", EncryptOptions{}, pt, "use sig: a signing key never takes encrypted tokens"},
		{"RFC8725_3.2_RSA1_5_without_opt_in", OneKey("k", rsaKey), "RSA1_5", "A128CBC-HS256", EncryptOptions{}, pt, "RSA1_5 is written only with the explicit opt-in"},
		{"RFC7518_4.1_alg_unknown", OneKey("k", rsaKey), "RSA-OAEP-1024", "A256GCM", EncryptOptions{}, pt, `alg "RSA-OAEP-1024" is not a key management algorithm`},
		{"RFC7518_5.1_enc_unknown", OneKey("k", rsaKey), "RSA-OAEP-256", "A512GCM", EncryptOptions{}, pt, `enc "A512GCM" is not a content encryption algorithm`},
		{"RFC7518_4.4_alg_does_not_fit", OneKey("k", rsaKey), "A128KW", "A256GCM", EncryptOptions{}, pt, "A128KW does not fit RSA 2048-bit: A128KW needs a 16-byte shared key"},
		{"RFC7518_4.5_dir_enc_does_not_fit_the_secret", SharedSecret(secretOf(16, 1)), "dir", "A256GCM", EncryptOptions{}, pt, "dir does not fit a 16-byte shared secret: dir with A256GCM needs the 32-byte"},
		{"RFC7517_4.4_own_alg_differs", OneKey("k", withMembers(t, rsaKey, map[string]any{"alg": "RSA-OAEP"})), "RSA-OAEP-256", "A256GCM", EncryptOptions{}, pt, "the key's own alg is RSA-OAEP"},
		{"RFC7517_4.3_key_ops_without_wrapKey", OneKey("k", withMembers(t, rsaKey, map[string]any{"key_ops": []string{"unwrapKey"}})), "RSA-OAEP-256", "A256GCM", EncryptOptions{}, pt, "include none of wrapKey, encrypt"},
		{"RFC7518_4.3_RSA_1024", OneKey("k", testKey(t, "RSA-1024")), "RSA-OAEP-256", "A256GCM", EncryptOptions{}, pt, "the RSA key is 1024 bits"},
		{"RFC7516_4.1.6_kid_not_the_keys", OneKey("k", rsaKey), "RSA-OAEP-256", "A256GCM", EncryptOptions{Kid: "other"}, pt, `the key's kid is "enc-1"`},
		{"two_keys", KeySet("JWKS workspace", []jwk.Key{rsaKey, testKey(t, "P-256")}), "RSA-OAEP-256", "A256GCM", EncryptOptions{}, pt, "the JWKS workspace holds 2 keys: a compact JWE is encrypted to one key"},
		{"no_key", KeySet("JWKS workspace", nil), "RSA-OAEP-256", "A256GCM", EncryptOptions{}, pt, "no key to encrypt to"},
		{"empty_passphrase", Passphrase(nil), "PBES2-HS256+A128KW", "A256GCM", EncryptOptions{}, pt, "the passphrase is empty"},
		{"RFC7518_4.8.1.2_p2c_under_1000", Passphrase([]byte("pw")), "PBES2-HS256+A128KW", "A256GCM", EncryptOptions{P2C: 999}, pt, "p2c 999 is out of range: PBES2 is written with 1,000 to 1,000,000 iterations"},
		{"RFC7518_4.8.1.2_p2c_over_the_cap", Passphrase([]byte("pw")), "PBES2-HS256+A128KW", "A256GCM", EncryptOptions{P2C: MaxP2C + 1}, pt, "p2c 1,000,001 is out of range"},
		{"plaintext_over_1_MiB", OneKey("k", rsaKey), "RSA-OAEP-256", "A256GCM", EncryptOptions{}, make([]byte, MaxPlaintext+1), "the plaintext is 1024 KiB: over 1024 KiB is not encrypted here"},
		{"token_over_64_KiB", OneKey("k", rsaKey), "RSA-OAEP-256", "A256GCM", EncryptOptions{}, make([]byte, 60<<10), "the token would be 80 KiB: over the 64 KiB a token may be"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := Encrypt(c.pt, c.to, c.alg, c.enc, c.opts)
			if err == nil {
				t.Fatalf("encrypted: %.40s…", tok)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q lacks %q", err, c.want)
			}
		})
	}
}

func headerOf(t *testing.T, tok string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.SplitN(tok, ".", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// The header: kid is the key's own (or the one given for a secret or a
// key without kid), cty and zip as asked; a zipped token reads back.
func TestEncrypt_header_RFC7516Section4_1(t *testing.T) {
	rsaKey := withMembers(t, testKey(t, "RSA-2048"), map[string]any{"kid": "enc-1"})
	noKid := testKey(t, "P-256")
	octWithKid := withMembers(t, octKey(t, 16, 4), map[string]any{"kid": "oct-1"})
	cases := []struct {
		name string
		to   Source
		alg  string
		opts EncryptOptions
		want map[string]any
	}{
		{"RFC7516_4.1.6_the_keys_kid", OneKey("k", publicOf(t, rsaKey)), "RSA-OAEP-256", EncryptOptions{}, map[string]any{"kid": "enc-1"}},
		{"RFC7516_4.1.6_the_same_kid_given", OneKey("k", rsaKey), "RSA-OAEP-256", EncryptOptions{Kid: "enc-1"}, map[string]any{"kid": "enc-1"}},
		{"RFC7516_4.1.6_a_kid_for_a_key_without_one", OneKey("k", noKid), "ECDH-ES", EncryptOptions{Kid: "given"}, map[string]any{"kid": "given"}},
		{"RFC7516_4.1.6_no_kid", OneKey("k", noKid), "ECDH-ES", EncryptOptions{}, map[string]any{"kid": nil}},
		{"RFC7516_4.1.6_an_oct_keys_kid", OneKey("k", octWithKid), "A128KW", EncryptOptions{}, map[string]any{"kid": "oct-1"}},
		{"RFC7516_4.1.6_a_secrets_kid", SharedSecret(secretOf(16, 4)), "A128KW", EncryptOptions{Kid: "s-1"}, map[string]any{"kid": "s-1"}},
		{"RFC7519_5.2_cty_JWT", OneKey("k", rsaKey), "RSA-OAEP-256", EncryptOptions{Cty: "JWT"}, map[string]any{"cty": "JWT"}},
		{"RFC7516_4.1.3_zip_DEF", OneKey("k", rsaKey), "RSA-OAEP-256", EncryptOptions{Zip: true}, map[string]any{"zip": "DEF"}},
		{"RFC7518_4.8.1.2_p2c_given", Passphrase([]byte("pw")), "PBES2-HS512+A256KW", EncryptOptions{P2C: 1234}, map[string]any{"p2c": float64(1234)}},
	}
	pt := []byte(strings.Repeat("compress me ", 40))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := Encrypt(pt, c.to, c.alg, "A256GCM", c.opts)
			if err != nil {
				t.Fatal(err)
			}
			h := headerOf(t, tok)
			for name, want := range c.want {
				if got := h[name]; got != want {
					t.Errorf("header %s = %v, want %v (%v)", name, got, want, h)
				}
			}
		})
	}
}
