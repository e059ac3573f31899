package keyset

import (
	"slices"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
)

// TestLintNamesUnpublishedMembers: lint says what the public form leaves
// out, with a hint for a name written by hand instead of a registered one.
func TestLintNamesUnpublishedMembers(t *testing.T) {
	r, _ := testkit.RSAPair(t)
	ec := testkit.EC(t)
	cases := []struct {
		name string
		key  jwk.Key
		code string
		msg  string
	}{
		{"stray k on an EC key", testkit.WithMembers(t, testkit.Key(t, &ec.PublicKey, map[string]any{"kid": "a", "use": "sig"}), map[string]any{"k": "c2VjcmV0"}),
			LintStrayPrivate, `holds 1 member "k", private for another key type: never published`},
		{"stray dp on an EC private key", testkit.WithMembers(t, testkit.Key(t, ec, map[string]any{"kid": "a", "use": "sig"}), map[string]any{"dp": "AQAB"}),
			LintStrayPrivate, `holds 1 member "dp", private for another key type`},
		{"mod and exp written for n and e", testkit.WithMembers(t, testkit.Key(t, &r.PublicKey, map[string]any{"kid": "a", "use": "sig"}), map[string]any{"mod": "AQAB", "exp": "AQAB"}),
			LintUnpublished, `2 members "exp" (did you mean "e"?), "mod" (did you mean "n"?) are not published`},
		{"acr", testkit.WithMembers(t, testkit.Key(t, &r.PublicKey, map[string]any{"kid": "a", "use": "sig"}), map[string]any{"acr": "x"}),
			LintUnpublished, `1 member "acr" is not published`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := LintKey(0, c.key, testkit.Now)
			var got []string
			for _, f := range fs {
				if f.Code == c.code && strings.Contains(f.Message, c.msg) {
					return
				}
				got = append(got, f.String())
			}
			t.Errorf("no %s finding with %q: %q", c.code, c.msg, got)
		})
	}
	// An RSA private key's own oth is private, not stray.
	own := testkit.WithMembers(t, testkit.Key(t, r, map[string]any{"kid": "a", "use": "sig"}), map[string]any{"oth": []any{}})
	if c := codes(LintKey(0, own, testkit.Now)); slices.Contains(c, LintStrayPrivate) {
		t.Errorf("own oth flagged: %v", c)
	}
}
