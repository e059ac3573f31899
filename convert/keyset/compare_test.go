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
