// Real Entra ID keys carry certificates with negative serials.
//
//go:debug x509negativeserial=1
package convert

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/input"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

func b64u(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// realisticSet builds a JWKS shaped like the ones real issuers publish
// (DESIGN.md, "What real inputs look like"), over keys made here, with two
// keys jwx cannot read among them.
func realisticSet(t testing.TB) string {
	r, _ := testRSAPair(t)
	n, e := b64u(r.N.Bytes()), b64u(big.NewInt(int64(r.E)).Bytes())
	certB64 := selfSigned(t, &r.PublicKey, r, testNow.AddDate(-1, 0, 0), testNow.AddDate(4, 0, 0))
	ec := newEC(t)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	keys := []string{
		// Entra ID: RSA with x5c and x5t, no alg, a non-standard "issuer" member.
		fmt.Sprintf(`{"kty":"RSA","use":"sig","kid":"JYhAcTPMZ_LX6DBlOWQ7Hn0NeXE","x5t":"JYhAcTPMZ_LX6DBlOWQ7Hn0NeXE","n":%q,"e":%q,"x5c":[%q],"issuer":"https://login.microsoftonline.com/{tenantid}/v2.0"}`, n, e, certB64),
		// Google: hex kid, alg RS256, no x5c; members in another order.
		fmt.Sprintf(`{"e":%q,"alg":"RS256","kty":"RSA","use":"sig","n":%q,"kid":"c8ab71530972bba20b49f78a09c9852c43ff9118"}`, e, n),
		// A key jwx cannot read: EC point members that are not base64url.
		`{"kty":"EC","crv":"P-256","x":"@@@","y":"@@@","kid":"broken-ec"}`,
		// Apple: short kid, RS256.
		fmt.Sprintf(`{"kty":"RSA","kid":"W6WcOKB","use":"sig","alg":"RS256","n":%q,"e":%q}`, n, e),
		// PayPal-like EC key without alg.
		fmt.Sprintf(`{"kty":"EC","crv":"P-256","kid":"0","use":"sig","x":%q,"y":%q}`, b64u(ec.X.FillBytes(make([]byte, 32))), b64u(ec.Y.FillBytes(make([]byte, 32)))),
		// An unregistered alg: jwx refuses the key.
		fmt.Sprintf(`{"kty":"RSA","kid":"es521","alg":"ES521","n":%q,"e":%q}`, n, e),
		// RFC 8037 style OKP key, kid-less.
		fmt.Sprintf(`{"kty":"OKP","crv":"Ed25519","x":%q}`, b64u(ed.Public().(ed25519.PublicKey))),
	}
	return `{"keys":[` + strings.Join(keys, ",") + `]}`
}

func TestParseKeySetKeyByKey(t *testing.T) {
	ps, err := ParseKeySet([]byte(realisticSet(t)))
	if err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, k := range ps.Keys {
		kid, _ := k.KeyID()
		kids = append(kids, kid)
	}
	want := []string{"JYhAcTPMZ_LX6DBlOWQ7Hn0NeXE", "c8ab71530972bba20b49f78a09c9852c43ff9118", "W6WcOKB", "0", ""}
	if !slices.Equal(kids, want) {
		t.Errorf("kids %q, want %q", kids, want)
	}
	if len(ps.Bad) != 2 || ps.Bad[0].Index != 2 || ps.Bad[0].Kid != "broken-ec" || ps.Bad[1].Index != 5 || ps.Bad[1].Kid != "es521" {
		t.Fatalf("bad keys %+v", ps.Bad)
	}
	if s := ps.Bad[0].String(); !strings.HasPrefix(s, `key 3 (kid "broken-ec"): `) {
		t.Errorf("bad key named %q", s)
	}
	// Lint of the same set: Entra's key has no alg (fine), the same RSA key
	// is listed three times with and without alg, the OKP key has no kid
	// and no use.
	r := LintSet(ps.Keys, testNow)
	got := [][]string{codes(r.ForKey(0)), codes(r.ForKey(2)), codes(r.ForKey(3)), codes(r.ForKey(4))}
	wantCodes := [][]string{{LintDuplicateKeyAlg}, {LintDuplicateKeyAlg}, nil, {LintNoKid, LintNoUse}}
	for i := range got {
		if !slices.Equal(got[i], wantCodes[i]) {
			t.Errorf("lint %d: %v, want %v", i, got[i], wantCodes[i])
		}
	}
}

func TestParseKeySetShapes(t *testing.T) {
	ec := newEC(t)
	one, _ := json.Marshal(mustKey(t, &ec.PublicKey, map[string]any{"kid": "single"}))
	cases := []struct {
		name, in string
		keys     int
		err      string
	}{
		{"single JWK", string(one), 1, ""},
		{"empty set", `{"keys":[]}`, 0, ""},
		{"keys not an array", `{"keys":{"kty":"EC"}}`, 0, `"keys" is not an array`},
		{"keys null", `{"keys":null}`, 0, `"keys" is not an array`},
		{"not JSON", `{"keys":[`, 0, "not JSON"},
		{"nothing", "  ", 0, "nothing to read"},
		{"over the cap", `{"keys":[` + strings.Repeat(`{},`, input.MaxSetKeys) + `{}]}`, 0, "the set has 10001 keys, over the limit of 10000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps, err := ParseKeySet([]byte(c.in))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || len(ps.Keys) != c.keys {
				t.Fatalf("%d keys, %v", len(ps.Keys), err)
			}
		})
	}
}

func TestExportPublicJWKSStripCounts(t *testing.T) {
	ecPriv, _ := Generate(Spec{Kty: KtyEC})
	edPriv, _ := Generate(Spec{Kty: KtyOKP})
	oct, _ := Generate(Spec{Kty: KtyOct, Kid: KidCustom, CustomKid: "hmac-1"})
	r, _ := testRSAPair(t)
	rsaPub := mustKey(t, &r.PublicKey, map[string]any{"kid": "rsa", "use": "sig", "alg": "RS256"})
	cases := []struct {
		name                    string
		keys                    []jwk.Key
		published, private, oct int
		text                    string
	}{
		{"empty", nil, 0, 0, 0, "0 keys published; nothing stripped"},
		{"public only", []jwk.Key{rsaPub}, 1, 0, 0, "1 key published; nothing stripped"},
		{"mixed", []jwk.Key{ecPriv.Private, rsaPub, oct.Private, edPriv.Private}, 3, 2, 1, "3 keys published; private members stripped from 2 keys; 1 oct secret left out"},
		{"oct only", []jwk.Key{oct.Private}, 0, 0, 1, "0 keys published; 1 oct secret left out"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, rep, err := ExportPublicJWKS(c.keys)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Published != c.published || rep.PrivateStripped != c.private || rep.OctDropped != c.oct || rep.String() != c.text {
				t.Errorf("report %+v %q", rep, rep.String())
			}
			var set struct {
				Keys []map[string]any `json:"keys"`
			}
			if err := json.Unmarshal(out, &set); err != nil || set.Keys == nil || len(set.Keys) != c.published {
				t.Fatalf("output %s: %v", out, err)
			}
			for _, k := range set.Keys {
				for _, m := range PrivateMembers {
					if _, ok := k[m]; ok {
						t.Errorf("published key holds %q", m)
					}
				}
			}
			again, _, _ := ExportPublicJWKS(c.keys)
			if string(again) != string(out) {
				t.Error("export is not stable")
			}
		})
	}
	_, rep, _ := ExportPublicJWKS([]jwk.Key{oct.Private})
	if !slices.Equal(rep.DroppedKids, []string{"hmac-1"}) {
		t.Errorf("dropped kids %v", rep.DroppedKids)
	}
	priv, err := ExportPrivateJWKS([]jwk.Key{ecPriv.Private, oct.Private})
	if err != nil || !strings.Contains(string(priv), `"d":`) || !strings.Contains(string(priv), `"k":`) {
		t.Errorf("private export %s %v", priv, err)
	}
}

func TestCompareKeys(t *testing.T) {
	a, b, c, d := newEC(t), newEC(t), newEC(t), newEC(t)
	here := []jwk.Key{
		mustKey(t, &a.PublicKey, map[string]any{"kid": "same"}),
		mustKey(t, &b.PublicKey, map[string]any{"kid": "changed"}),
		mustKey(t, &c.PublicKey, map[string]any{"kid": "mine"}),
		mustKey(t, d, nil), // private here, public there, no kid: the same key
	}
	dPub, _ := PublicOf(here[3])
	there := []jwk.Key{
		mustKey(t, &a.PublicKey, map[string]any{"kid": "same", "alg": "ES256"}),
		mustKey(t, &c.PublicKey, map[string]any{"kid": "changed"}),
		mustKey(t, &b.PublicKey, map[string]any{"kid": "Mine"}), // kids compare exactly
		dPub,
	}
	cmp := CompareKeys(here, there)
	tpD := thumbprintOrEmpty(dPub)
	if !slices.Equal(cmp.OnlyHere, []string{"mine"}) || !slices.Equal(cmp.OnlyThere, []string{"Mine"}) ||
		!slices.Equal(cmp.Differ, []string{"changed"}) || !slices.Equal(cmp.Same, []string{"same", "thumbprint " + tpD}) {
		t.Errorf("%+v", cmp)
	}
	if !strings.Contains(cmp.String(), "Same kid, different key (1): changed\n") {
		t.Errorf("%s", cmp)
	}
}
