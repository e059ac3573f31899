package keys

import (
	"slices"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// A refusal names the real conflict: an algorithm of the other use is said
// to be one (RFC 7518 §3.1 lists the signature algorithms, §4.1 the key
// management ones; RFC 8037 §3 the OKP ones), a key of another shape is
// named with what fits it.
func TestAlgMisfitNamesTheRealConflict(t *testing.T) {
	cases := []struct {
		name           string
		kty, crv       string
		bits           int
		use, alg, want string
	}{
		{"RFC 7518 §4.1 ECDH-ES on EC P-256 for use sig", KtyEC, CrvP256, 0, UseSig, "ECDH-ES", "ECDH-ES is an encryption algorithm; use is sig: choose ES256, or set use to enc"},
		{"RFC 7518 §4.1 ECDH-ES+A128KW on EC P-384 for use sig", KtyEC, CrvP384, 0, UseSig, "ECDH-ES+A128KW", "ECDH-ES+A128KW is an encryption algorithm; use is sig: choose ES384, or set use to enc"},
		{"RFC 7518 §4.1 RSA-OAEP-256 on RSA for use sig", KtyRSA, "", 2048, UseSig, "RSA-OAEP-256", "RSA-OAEP-256 is an encryption algorithm; use is sig: choose one of RS256, RS384, RS512, PS256, PS384, PS512, or set use to enc"},
		{"RFC 7518 §3.1 RS256 on RSA for use enc", KtyRSA, "", 3072, UseEnc, "RS256", "RS256 is a signature algorithm; use is enc: choose one of RSA-OAEP-256, RSA-OAEP, RSA-OAEP-384, RSA-OAEP-512, or set use to sig"},
		{"RFC 7518 §3.1 ES256 on EC P-256 for use enc", KtyEC, CrvP256, 0, UseEnc, "ES256", "ES256 is a signature algorithm; use is enc: choose one of ECDH-ES, ECDH-ES+A128KW, ECDH-ES+A192KW, ECDH-ES+A256KW, or set use to sig"},
		{"RFC 7518 §4.4 A256KW on a 256-bit oct secret for use sig", KtyOct, "", 256, UseSig, "A256KW", "A256KW is an encryption algorithm; use is sig: choose HS256, or set use to enc"},
		{"RFC 7518 §3.2 HS512 on a 256-bit oct secret", KtyOct, "", 256, UseSig, "HS512", "alg HS512 does not fit a 256-bit oct secret for use sig: choose HS256"},
		{"RFC 7518 §3.1 ES256 on RSA without use", KtyRSA, "", 2048, "", "ES256", "alg ES256 does not fit RSA 2048: choose one of RS256, RS384, RS512, PS256, PS384, PS512, RSA-OAEP-256, RSA-OAEP, RSA-OAEP-384, RSA-OAEP-512"},
		{"RFC 7518 §3.4 ES384 on EC P-256", KtyEC, CrvP256, 0, UseSig, "ES384", "alg ES384 does not fit EC P-256 for use sig: choose ES256"},
		{"RFC 8037 §3.1 EdDSA on X25519 for use sig", KtyOKP, CrvX25519, 0, UseSig, "EdDSA", "alg EdDSA does not fit OKP X25519: no alg fits it for use sig"},
		{"RFC 8812 §3.2 ES256K on P-256", KtyEC, CrvP256, 0, UseSig, "ES256K", "alg ES256K does not fit EC P-256 for use sig: choose ES256"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := AlgMisfit(c.kty, c.crv, c.bits, c.use, c.alg)
			if err == nil || err.Error() != c.want {
				t.Errorf("got %v\nwant %s", err, c.want)
			}
		})
	}
	fits := []struct {
		name     string
		kty, crv string
		bits     int
		use, alg string
	}{
		{"RFC 7518 §3.4 ES256 on EC P-256 for use sig", KtyEC, CrvP256, 0, UseSig, "ES256"},
		{"RFC 7518 §3.5 PS256 on RSA without use", KtyRSA, "", 2048, "", "PS256"},
		{"RFC 8037 §3.2 ECDH-ES+A256KW on X25519 for use enc", KtyOKP, CrvX25519, 0, UseEnc, "ECDH-ES+A256KW"},
		{"RFC 7518 §3.2 HS256 on a 512-bit secret", KtyOct, "", 512, UseSig, "HS256"},
	}
	for _, c := range fits {
		t.Run("fits: "+c.name, func(t *testing.T) {
			if err := AlgMisfit(c.kty, c.crv, c.bits, c.use, c.alg); err != nil {
				t.Errorf("refused: %v", err)
			}
		})
	}
}

func TestUsesAndAlgsOfAKeyShape(t *testing.T) {
	uses := []struct {
		name     string
		kty, crv string
		bits     int
		want     []string
	}{
		{"RFC 8037 §3.2 X25519 only encrypts", KtyOKP, CrvX25519, 0, []string{UseEnc}},
		{"RFC 8037 §3.1 Ed25519 only signs", KtyOKP, CrvEd25519, 0, []string{UseSig}},
		{"RFC 8812 §3.2 secp256k1 only signs", KtyEC, CrvSecp256k1, 0, []string{UseSig}},
		{"RFC 7518 §3.4 and §4.6 P-256 does both", KtyEC, CrvP256, 0, []string{UseSig, UseEnc}},
		{"RFC 7518 §3.2 a 384-bit secret only signs", KtyOct, "", 384, []string{UseSig}},
		{"RFC 7518 §3.2 and §4.4 a 256-bit secret does both", KtyOct, "", 256, []string{UseSig, UseEnc}},
	}
	for _, c := range uses {
		t.Run(c.name, func(t *testing.T) {
			if got := UsesFor(c.kty, c.crv, c.bits); !slices.Equal(got, c.want) {
				t.Errorf("UsesFor = %v, want %v", got, c.want)
			}
		})
	}
	for alg, want := range map[string]string{"ES256": UseSig, "EdDSA": UseSig, "HS384": UseSig, "ECDH-ES": UseEnc, "A128GCMKW": UseEnc, "RSA-OAEP-512": UseEnc, "none": "", "ES521": ""} {
		if got := AlgUse(alg); got != want {
			t.Errorf("RFC 7518 §3.1/§4.1 AlgUse(%s) = %q, want %q", alg, got, want)
		}
	}
	g, err := Generate(Spec{Kty: KtyEC, Crv: CrvP256, Use: UseEnc})
	if err != nil {
		t.Fatal(err)
	}
	if got := AlgsForKey(g.Private, UseSig); !slices.Equal(got, []string{"ES256"}) {
		t.Errorf("AlgsForKey(sig) = %v", got)
	}
	if got := AlgsForKey(g.Private, ""); len(got) != 5 || got[0] != "ES256" {
		t.Errorf("AlgsForKey(either) = %v", got)
	}
}

// A use set on a converted key is checked against the key's own alg: an EC
// key with alg ECDH-ES cannot become use sig (RFC 7517 §4.2 and §4.4 must
// agree), and the refusal says why.
func TestApplyKeyOptionsChecksTheKeysOwnAlgAgainstANewUse(t *testing.T) {
	g, err := Generate(Spec{Kty: KtyEC, Crv: CrvP256, Use: UseEnc})
	if err != nil {
		t.Fatal(err)
	}
	k, _ := g.Private.Clone()
	_ = k.Remove(jwk.KeyUsageKey)
	_, err = ApplyKeyOptions(k, KeyOptions{Use: UseSig})
	want := "the key has alg ECDH-ES: ECDH-ES is an encryption algorithm; use is sig: choose ES256, or set use to enc"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	_, err = ApplyKeyOptions(k, KeyOptions{Use: UseSig, Alg: "ECDH-ES"})
	if err == nil || !strings.HasPrefix(err.Error(), "ECDH-ES is an encryption algorithm; use is sig") {
		t.Errorf("explicit alg: %v", err)
	}
	if out, err := ApplyKeyOptions(k, KeyOptions{Use: UseSig, Alg: "ES256"}); err != nil || AlgOf(out) != "ES256" {
		t.Errorf("a fitting alg with the new use: %v", err)
	}
}
