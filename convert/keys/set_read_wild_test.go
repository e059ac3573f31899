package keys

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
)

// TestUnknownKtySkipped_RFC7517_5: a key of an unknown type or curve in a
// set is skipped with a warning naming it, and the rest is used; a damaged
// key is named as damaged.
func TestUnknownKtySkipped_RFC7517_5(t *testing.T) {
	good, _ := Generate(Spec{Kty: KtyEC, KidStrategy: KidCustom, CustomKid: "good"})
	goodJSON, _ := json.Marshal(good.Public)
	for _, c := range testkit.WildSetKeys {
		t.Run(c.Name, func(t *testing.T) {
			set := fmt.Sprintf(`{"keys":[%s,%s]}`, c.JSON, goodJSON)
			ps, err := ParseKeySet([]byte(set))
			if err != nil || len(ps.Keys) != 1 || len(ps.Bad) != 1 {
				t.Fatalf("%+v %v", ps, err)
			}
			b := ps.Bad[0]
			if b.Unsupported != c.Unsupported || (len(ps.Damaged()) == 0) != c.Unsupported {
				t.Errorf("unsupported %v, want %v: %s", b.Unsupported, c.Unsupported, b)
			}
			if c.Unsupported && !strings.HasSuffix(b.String(), "; skipped as RFC 7517 §5 asks, the other keys are used") {
				t.Errorf("message %q", b)
			}
			var kid struct {
				Kid string `json:"kid"`
			}
			_ = json.Unmarshal([]byte(c.JSON), &kid)
			if !strings.HasPrefix(b.String(), fmt.Sprintf(`key 1 (kid %q): `, kid.Kid)) {
				t.Errorf("not named: %q", b)
			}
			// A verifier's key source (inspect --jwks, the JWT tab): the
			// good key is used and the skipped one said.
			keys, notes, err := ReadKeys([]byte(set))
			if err != nil || len(keys) != 1 || len(notes) != 1 || !strings.HasPrefix(notes[0], "skipped key 1") {
				t.Errorf("ReadKeys: %d keys, notes %q, %v", len(keys), notes, err)
			}
			// The PEM / JWK tab's reader says it too.
			res, err := Parse([]byte(set), ParseOptions{})
			if err != nil || len(res.Keys()) != 1 || len(res.Warnings) != 1 {
				t.Errorf("Parse: %+v %v", res, err)
			}
		})
	}
	// Only unknown keys: nothing to use, said so.
	if _, _, err := ReadKeys([]byte(`{"keys":[` + testkit.WildSetKeys[0].JSON + `]}`)); err == nil || !strings.Contains(err.Error(), `unknown key type "AKP"`) {
		t.Errorf("all unknown: %v", err)
	}
}

// TestThumbprintKids_RFC7638: a key without kid added to a set gets its
// RFC 7638 thumbprint as kid (jwkdesk jwks, the JWKS tab's Add keys, as the
// PEM / JWK tab); a kid given is kept; an oct secret gets none.
func TestThumbprintKids_RFC7638(t *testing.T) {
	ec := testkit.EC(t)
	bare := testkit.Key(t, &ec.PublicKey, nil)
	named := testkit.Key(t, ec, map[string]any{"kid": "mine"})
	octKey := testkit.Key(t, []byte("0123456789abcdef0123456789abcdef"), nil)
	pemKeys, err := ParseKeys([]byte(testPEM(t, &ec.PublicKey)))
	if err != nil {
		t.Fatal(err)
	}
	in := []jwk.Key{bare, named, octKey, pemKeys[0]}
	out, given, err := ThumbprintKids(in)
	if err != nil {
		t.Fatal(err)
	}
	tp, _ := ThumbprintOf(bare)
	var kids []string
	for _, k := range out {
		kid, _ := k.KeyID()
		kids = append(kids, kid)
	}
	if !slices.Equal(kids, []string{tp, "mine", "", tp}) {
		t.Errorf("kids %q", kids)
	}
	if len(given) != 2 || given[0].Index != 0 || given[1].Index != 3 || given[0].String() != "key 1 had no kid: its RFC 7638 thumbprint "+tp+" is its kid now" {
		t.Errorf("given %+v", given)
	}
	if bare.Has(jwk.KeyIDKey) || out[1] != named {
		t.Error("ThumbprintKids changed a key it was given, or copied one it left alone")
	}
}

func testPEM(t *testing.T, pub any) string {
	t.Helper()
	k := testkit.Key(t, pub, nil)
	p, err := ExportPEM(k, PEMSPKI, true)
	if err != nil {
		t.Fatal(err)
	}
	return string(p.PEM)
}
