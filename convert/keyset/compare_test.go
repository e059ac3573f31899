package keyset

import (
	"slices"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

func TestCompareKeys(t *testing.T) {
	a, b, c, d := testkit.EC(t), testkit.EC(t), testkit.EC(t), testkit.EC(t)
	here := []jwk.Key{
		testkit.Key(t, &a.PublicKey, map[string]any{"kid": "same"}),
		testkit.Key(t, &b.PublicKey, map[string]any{"kid": "changed"}),
		testkit.Key(t, &c.PublicKey, map[string]any{"kid": "mine"}),
		testkit.Key(t, d, nil), // private here, public there, no kid: the same key
	}
	dPub, _ := keys.PublicOf(here[3])
	there := []jwk.Key{
		testkit.Key(t, &a.PublicKey, map[string]any{"kid": "same", "alg": "ES256"}),
		testkit.Key(t, &c.PublicKey, map[string]any{"kid": "changed"}),
		testkit.Key(t, &b.PublicKey, map[string]any{"kid": "Mine"}), // kids compare exactly
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

// A kid-less key fetched and imported gets its RFC 7638 thumbprint as kid
// (ThumbprintKids); compared again with the set it came from, it is the
// same key, matched by thumbprint — not "only here" under its new kid and
// "only there" as "thumbprint …". Both directions.
func TestCompareKidlessKeyMatchesItsImportedTwin(t *testing.T) {
	e := testkit.EC(t)
	kidless := testkit.Key(t, &e.PublicKey, nil)
	tp := thumbprintOrEmpty(kidless)
	imported := testkit.Key(t, &e.PublicKey, map[string]any{"kid": tp})
	other := testkit.Key(t, &testkit.EC(t).PublicKey, nil)
	for name, c := range map[string]struct{ here, there []jwk.Key }{
		"imported here, kid-less there": {[]jwk.Key{imported}, []jwk.Key{kidless, other}},
		"kid-less here, kid there":      {[]jwk.Key{kidless, other}, []jwk.Key{imported}},
	} {
		cmp := CompareKeys(c.here, c.there)
		if !slices.Equal(cmp.Same, []string{tp}) || len(cmp.Differ) != 0 {
			t.Errorf("%s: %+v", name, cmp)
		}
		if n := len(cmp.OnlyHere) + len(cmp.OnlyThere); n != 1 {
			t.Errorf("%s: %d keys on one side only, want the other key alone: %+v", name, n, cmp)
		}
	}
}
