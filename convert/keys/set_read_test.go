// Real Entra ID keys carry certificates with negative serials.
//
//go:debug x509negativeserial=1
package keys

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
)

func TestParseKeySetKeyByKey(t *testing.T) {
	ps, err := ParseKeySet([]byte(testkit.RealisticSet(t)))
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

}

func TestParseKeySetShapes(t *testing.T) {
	ec := testkit.EC(t)
	one, _ := json.Marshal(testkit.Key(t, &ec.PublicKey, map[string]any{"kid": "single"}))
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
	oct, _ := Generate(Spec{Kty: KtyOct, KidStrategy: KidCustom, CustomKid: "hmac-1"})
	r, _ := testkit.RSAPair(t)
	rsaPub := testkit.Key(t, &r.PublicKey, map[string]any{"kid": "rsa", "use": "sig", "alg": "RS256"})
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

func b64u(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
