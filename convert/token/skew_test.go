package token

import (
	"fmt"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// A token valid only thanks to the clock skew (RFC 7519 §4.1.4: "some small
// leeway") verifies, and the report says which claim the skew saved, so no
// face of the engine shows it as plainly valid.
func TestWithinSkewIsSaid_RFC7519_4_1_4(t *testing.T) {
	g := generate(t, keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "k1"})
	src := NewKeySource("keys", []jwk.Key{g.Public})
	now := wildNow.Unix()
	cases := []struct {
		claims string
		claim  string // "" when the skew did not matter
		note   string
	}{
		{fmt.Sprintf(`{"exp":%d}`, now-30), "exp", "it expired 30 s ago, accepted only within the clock skew of 60 s"},
		{fmt.Sprintf(`{"nbf":%d}`, now+30), "nbf", "it is not valid for another 30 s, accepted only within the clock skew of 60 s"},
		{fmt.Sprintf(`{"exp":%d}`, now+30), "", ""},
		{fmt.Sprintf(`{"exp":%d.5}`, now), "", ""}, // half a second left: not a skew matter
	}
	for _, c := range cases {
		t.Run(c.claims, func(t *testing.T) {
			tok := craftES256(t, `{"alg":"ES256","kid":"k1"}`, c.claims, g.Private)
			r, err := Inspect(tok, src, InspectOptions{Now: wildNow, Skew: time.Minute})
			if err != nil || r.State != StateVerified {
				t.Fatalf("%v %+v", err, r)
			}
			switch {
			case c.claim == "" && r.WithinSkew != nil:
				t.Errorf("within skew %+v", r.WithinSkew)
			case c.claim != "" && (r.WithinSkew == nil || r.WithinSkew.Claim != c.claim || r.WithinSkew.Note != c.note):
				t.Errorf("within skew %+v, want %s %q", r.WithinSkew, c.claim, c.note)
			}
		})
	}
}
