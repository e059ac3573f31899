package keyset

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/words"
)

// TestKidSharedAcrossKty_RFC7517_4_5 is issue 16 item 9: the same kid on
// keys of different kty is legal (RFC 7517 §4.5) — a lint note; on two
// different keys of the same kty it stays an error, in the lint and for
// publishing (Workspace.DuplicateKids), oct secrets included.
func TestKidSharedAcrossKty_RFC7517_4_5(t *testing.T) {
	r, _ := testkit.RSAPair(t)
	ec1, ec2 := testkit.EC(t), testkit.EC(t)
	_, ed1, _ := ed25519.GenerateKey(rand.Reader)
	x1, _ := keys.Generate(keys.Spec{Kty: keys.KtyOKP, Crv: keys.CrvX25519, Use: keys.UseEnc, KidStrategy: keys.KidCustom, CustomKid: "1"})
	octA := testkit.Key(t, []byte("0123456789abcdef0123456789abcdef"), map[string]any{"kid": "1"})
	octB := testkit.Key(t, []byte("fedcba9876543210fedcba9876543210"), map[string]any{"kid": "1"})
	kid := map[string]any{"kid": "1"}
	cases := []struct {
		name     string
		keys     []jwk.Key
		code     string // the group finding, "" for none
		conflict bool
		msg      string
	}{
		{"RSA and EC (RFC 7517 §4.5)", []jwk.Key{testkit.Key(t, &r.PublicKey, kid), testkit.Key(t, &ec1.PublicKey, kid)},
			LintKidAcrossKty, false, `kid "1" is shared by keys of different types (1 RSA, 1 EC; positions 1, 2): RFC 7517 §4.5 allows it`},
		{"EC, OKP and oct (RFC 7517 §4.5)", []jwk.Key{testkit.Key(t, &ec1.PublicKey, kid), testkit.Key(t, ed1.Public(), kid), octA},
			LintKidAcrossKty, false, `(1 EC, 1 OKP, 1 oct; positions 1, 2, 3)`},
		{"two EC keys (RFC 7517 §4.5 SHOULD)", []jwk.Key{testkit.Key(t, &ec1.PublicKey, kid), testkit.Key(t, &ec2.PublicKey, kid)},
			LintDuplicateKid, true, `kid "1" is shared by 2 different keys (2 EC; positions 1, 2)`},
		{"two OKP keys of different crv (RFC 7517 §4.5 SHOULD)", []jwk.Key{testkit.Key(t, ed1.Public(), kid), x1.Public},
			LintDuplicateKid, true, `(2 OKP; positions 1, 2)`},
		{"two oct secrets (RFC 7517 §4.5 SHOULD)", []jwk.Key{octA, octB},
			LintDuplicateKid, true, `(2 oct; positions 1, 2)`},
		{"two EC keys and an RSA key (RFC 7517 §4.5 SHOULD)", []jwk.Key{testkit.Key(t, &ec1.PublicKey, kid), testkit.Key(t, &r.PublicKey, kid), testkit.Key(t, &ec2.PublicKey, kid)},
			LintDuplicateKid, true, `shared by 3 different keys (2 EC, 1 RSA; positions 1, 2, 3)`},
		{"the same EC key twice (not a kid clash)", []jwk.Key{testkit.Key(t, &ec1.PublicKey, kid), testkit.Key(t, ec1, kid)},
			"", false, ""},
		{"the same oct secret twice (not a kid clash)", []jwk.Key{octA, octA},
			"", false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := LintSet(c.keys, testkit.Now)
			var groups []Finding
			for _, f := range r.Groups {
				if f.Code == LintDuplicateKid || f.Code == LintKidAcrossKty {
					groups = append(groups, f)
				}
			}
			switch {
			case c.code == "" && len(groups) != 0:
				t.Fatalf("findings %v", groups)
			case c.code == "":
			case len(groups) != 1 || groups[0].Code != c.code || !strings.Contains(groups[0].Message, c.msg):
				t.Fatalf("findings %v, want one %s with %q", groups, c.code, c.msg)
			}
			ws := NewWorkspace()
			for _, k := range c.keys {
				ws.entries = append(ws.entries, Entry{Key: k, Thumbprint: thumbprintOrEmpty(k)}) // no dedupe: the set as given
			}
			if dups := ws.DuplicateKids(); (len(dups) > 0) != c.conflict {
				t.Errorf("DuplicateKids %v, want conflict %v", dups, c.conflict)
			}
			if groups := KidGroups(c.keys); len(groups) > 0 && groups[0].Conflict != c.conflict {
				t.Errorf("KidGroups %+v", groups)
			}
		})
	}
}

// TestSharedKidLintIsLinear is issue 22 item 8: 10,000 keys sharing one kid
// give one finding, its positions capped, not one message per key listing
// every position (592 MB on stderr before).
func TestSharedKidLintIsLinear(t *testing.T) {
	const n = input.MaxSetKeys
	keys := make([]jwk.Key, n)
	for i := range keys {
		pub, _, _ := ed25519.GenerateKey(rand.Reader)
		keys[i] = testkit.Key(t, pub, map[string]any{"kid": "k", "use": "sig"})
	}
	r := LintSet(keys, time.Now())
	if len(r.Groups) != 1 || r.Errors != 1 {
		t.Fatalf("%d group findings, %d errors", len(r.Groups), r.Errors)
	}
	f := r.Groups[0]
	want := `10,000 keys (kid "k"): error: kid "k" is shared by 10,000 different keys (10,000 OKP; positions 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 9,990 more)`
	if s := f.String(); !strings.HasPrefix(s, want) || len(s) > 400 {
		t.Errorf("finding %q", s)
	}
	total := 0
	for _, f := range r.All() {
		total += len(f.String())
	}
	if total > 1000 {
		t.Errorf("the lint writes %d bytes for %d keys", total, n)
	}
	if fs := r.ForKey(n - 1); len(fs) != 1 || fs[0].Code != LintDuplicateKid {
		t.Errorf("last key: %v", fs)
	}
	dups := (&Workspace{entries: entriesOf(keys)}).DuplicateKids()
	if len(dups) != 1 || len(dups[0].Positions) != n {
		t.Errorf("DuplicateKids %d", len(dups))
	}
	for _, c := range []struct {
		ps   []int
		want string
	}{
		{[]int{0}, "1"}, {[]int{0, 4}, "1, 5"}, {make([]int, 12), "1, 1, 1, 1, 1, 1, 1, 1, 1, 1 and 2 more"},
	} {
		if got := PositionsText(c.ps, maxPositionsShown); got != c.want {
			t.Errorf("PositionsText %v = %q", c.ps, got)
		}
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 9990: "9,990", 1234567: "1,234,567", -1000: "-1,000"} {
		if got := words.Thousands(n); got != want {
			t.Errorf("thousands(%d) = %q", n, got)
		}
	}
}

func entriesOf(keys []jwk.Key) []Entry {
	es := make([]Entry, len(keys))
	for i, k := range keys {
		es[i] = Entry{Key: k, Thumbprint: thumbprintOrEmpty(k)}
	}
	return es
}

// keysetWildSeeds are hostile sets for FuzzParseKeySet: unknown types among
// good keys, one kid across types, private members published by mistake.
var keysetWildSeeds = func() []string {
	var seeds []string
	for _, k := range testkit.WildSetKeys {
		seeds = append(seeds, `{"keys":[`+k.JSON+`]}`)
	}
	return append(seeds,
		`{"keys":[{"kty":"AKP","kid":"1"},{"kty":"OKP","crv":"Ed25519","kid":"1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}`,
		`{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","k":"c2VjcmV0","dp":"AQAB","oth":[{"r":"AQAB","d":"AQAB","t":"AQAB"}],"foo":null,"issuer":"https://i"}]}`,
		`{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},{"kty":"oct","kid":"k","k":"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"},{"kty":"oct","kid":"k","k":"ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA"}]}`,
	)
}()

// publicOnly fails when a written public JWKS holds a member that is
// private for any key type (the fuzz targets' property).
func publicOnly(t *testing.T, out []byte) {
	t.Helper()
	if len(out) == 0 {
		return
	}
	var set struct {
		Keys []map[string]json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(out, &set); err != nil {
		t.Fatalf("the public JWKS is not JSON: %v", err)
	}
	for i, k := range set.Keys {
		for name := range k {
			if keys.IsPrivateMember(name) {
				t.Fatalf("public key %d holds %q", i+1, name)
			}
		}
	}
}
