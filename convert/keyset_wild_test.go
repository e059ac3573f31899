package convert

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/input"

	"github.com/jwkdesk/jwkdesk/convert/internal/words"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// TestKidSharedAcrossKty_RFC7517_4_5 is issue 16 item 9: the same kid on
// keys of different kty is legal (RFC 7517 §4.5) — a lint note; on two
// different keys of the same kty it stays an error, in the lint and for
// publishing (Workspace.DuplicateKids), oct secrets included.
func TestKidSharedAcrossKty_RFC7517_4_5(t *testing.T) {
	r, _ := testRSAPair(t)
	ec1, ec2 := newEC(t), newEC(t)
	_, ed1, _ := ed25519.GenerateKey(rand.Reader)
	x1, _ := Generate(Spec{Kty: KtyOKP, Crv: CrvX25519, Use: UseEnc, Kid: KidCustom, CustomKid: "1"})
	octA := mustKey(t, []byte("0123456789abcdef0123456789abcdef"), map[string]any{"kid": "1"})
	octB := mustKey(t, []byte("fedcba9876543210fedcba9876543210"), map[string]any{"kid": "1"})
	kid := map[string]any{"kid": "1"}
	cases := []struct {
		name     string
		keys     []jwk.Key
		code     string // the group finding, "" for none
		conflict bool
		msg      string
	}{
		{"RSA and EC (RFC 7517 §4.5)", []jwk.Key{mustKey(t, &r.PublicKey, kid), mustKey(t, &ec1.PublicKey, kid)},
			LintKidAcrossKty, false, `kid "1" is shared by keys of different types (1 RSA, 1 EC; positions 1, 2): RFC 7517 §4.5 allows it`},
		{"EC, OKP and oct (RFC 7517 §4.5)", []jwk.Key{mustKey(t, &ec1.PublicKey, kid), mustKey(t, ed1.Public(), kid), octA},
			LintKidAcrossKty, false, `(1 EC, 1 OKP, 1 oct; positions 1, 2, 3)`},
		{"two EC keys (RFC 7517 §4.5 SHOULD)", []jwk.Key{mustKey(t, &ec1.PublicKey, kid), mustKey(t, &ec2.PublicKey, kid)},
			LintDuplicateKid, true, `kid "1" is shared by 2 different keys (2 EC; positions 1, 2)`},
		{"two OKP keys of different crv (RFC 7517 §4.5 SHOULD)", []jwk.Key{mustKey(t, ed1.Public(), kid), x1.Public},
			LintDuplicateKid, true, `(2 OKP; positions 1, 2)`},
		{"two oct secrets (RFC 7517 §4.5 SHOULD)", []jwk.Key{octA, octB},
			LintDuplicateKid, true, `(2 oct; positions 1, 2)`},
		{"two EC keys and an RSA key (RFC 7517 §4.5 SHOULD)", []jwk.Key{mustKey(t, &ec1.PublicKey, kid), mustKey(t, &r.PublicKey, kid), mustKey(t, &ec2.PublicKey, kid)},
			LintDuplicateKid, true, `shared by 3 different keys (2 EC, 1 RSA; positions 1, 2, 3)`},
		{"the same EC key twice (not a kid clash)", []jwk.Key{mustKey(t, &ec1.PublicKey, kid), mustKey(t, ec1, kid)},
			"", false, ""},
		{"the same oct secret twice (not a kid clash)", []jwk.Key{octA, octA},
			"", false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := LintSet(c.keys, testNow)
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
		keys[i] = mustKey(t, pub, map[string]any{"kid": "k", "use": "sig"})
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

// wildSetKeys are JWKS members seen in the wild that JWK Desk does not read
// (RFC 7517 §5 asks a reader to skip them and use the rest), and damaged
// ones that are not "unsupported".
var wildSetKeys = []struct {
	name, json  string
	unsupported bool
}{
	{"post-quantum AKP (ML-DSA) key", `{"kty":"AKP","alg":"ML-DSA-44","kid":"pq","pub":"AAAA"}`, true},
	{"DSA key", `{"kty":"DSA","kid":"dsa","p":"AQAB","q":"AQAB","g":"AQAB","y":"AQAB"}`, true},
	{"lower-case kty", `{"kty":"ec","kid":"lower","crv":"P-256","x":"AA","y":"AA"}`, true},
	{"EC on P-192", `{"kty":"EC","crv":"P-192","kid":"p192","x":"AA","y":"AA"}`, true},
	{"EC on brainpoolP256r1", `{"kty":"EC","crv":"brainpoolP256r1","kid":"bp","x":"AA","y":"AA"}`, true},
	{"OKP Ed448 (RFC 8037)", `{"kty":"OKP","crv":"Ed448","kid":"ed448","x":"AA"}`, true},
	{"OKP X448 (RFC 8037)", `{"kty":"OKP","crv":"X448","kid":"x448","x":"AA"}`, true},
	{"damaged EC point", `{"kty":"EC","crv":"P-256","kid":"broken","x":"@","y":"@"}`, false},
	{"no kty", `{"kid":"nokty","n":"AQAB","e":"AQAB"}`, false},
	{"kty not a string", `{"kty":7,"kid":"num"}`, false},
	{"EC without crv", `{"kty":"EC","kid":"nocrv","x":"AA","y":"AA"}`, false},
}

// TestUnknownKtySkipped_RFC7517_5: a key of an unknown type or curve in a
// set is skipped with a warning naming it, and the rest is used; a damaged
// key is named as damaged.
func TestUnknownKtySkipped_RFC7517_5(t *testing.T) {
	good, _ := Generate(Spec{Kty: KtyEC, Kid: KidCustom, CustomKid: "good"})
	goodJSON, _ := json.Marshal(good.Public)
	for _, c := range wildSetKeys {
		t.Run(c.name, func(t *testing.T) {
			set := fmt.Sprintf(`{"keys":[%s,%s]}`, c.json, goodJSON)
			ps, err := ParseKeySet([]byte(set))
			if err != nil || len(ps.Keys) != 1 || len(ps.Bad) != 1 {
				t.Fatalf("%+v %v", ps, err)
			}
			b := ps.Bad[0]
			if b.Unsupported != c.unsupported || (len(ps.Damaged()) == 0) != c.unsupported {
				t.Errorf("unsupported %v, want %v: %s", b.Unsupported, c.unsupported, b)
			}
			if c.unsupported && !strings.HasSuffix(b.String(), "; skipped as RFC 7517 §5 asks, the other keys are used") {
				t.Errorf("message %q", b)
			}
			var kid struct {
				Kid string `json:"kid"`
			}
			_ = json.Unmarshal([]byte(c.json), &kid)
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
	if _, _, err := ReadKeys([]byte(`{"keys":[` + wildSetKeys[0].json + `]}`)); err == nil || !strings.Contains(err.Error(), `unknown key type "AKP"`) {
		t.Errorf("all unknown: %v", err)
	}
}

// TestThumbprintKids_RFC7638: a key without kid added to a set gets its
// RFC 7638 thumbprint as kid (jwkdesk jwks, the JWKS tab's Add keys, as the
// PEM / JWK tab); a kid given is kept; an oct secret gets none.
func TestThumbprintKids_RFC7638(t *testing.T) {
	ec := newEC(t)
	bare := mustKey(t, &ec.PublicKey, nil)
	named := mustKey(t, ec, map[string]any{"kid": "mine"})
	octKey := mustKey(t, []byte("0123456789abcdef0123456789abcdef"), nil)
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
	k := mustKey(t, pub, nil)
	p, err := ExportPEM(k, PEMSPKI, true)
	if err != nil {
		t.Fatal(err)
	}
	return string(p.PEM)
}

// keysetWildSeeds are hostile sets for FuzzParseKeySet: unknown types among
// good keys, one kid across types, private members published by mistake.
var keysetWildSeeds = func() []string {
	var seeds []string
	for _, k := range wildSetKeys {
		seeds = append(seeds, `{"keys":[`+k.json+`]}`)
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
			if IsPrivateMember(name) {
				t.Fatalf("public key %d holds %q", i+1, name)
			}
		}
	}
}
