package keyset

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

func TestWorkspaceDedupeAndOrder(t *testing.T) {
	ws := NewWorkspace()
	a, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	b, _ := keys.Generate(keys.Spec{Kty: keys.KtyOKP})
	c, _ := keys.Generate(keys.Spec{Kty: keys.KtyOct})
	res, err := ws.Add("generated", a.Private, b.Public, c.Private)
	if err != nil || res.Added != 3 {
		t.Fatalf("add: %+v %v", res, err)
	}
	// The same key again — public half, other kid — is a duplicate by thumbprint.
	again, _ := a.Public.Clone()
	_ = again.Set("kid", "another-kid")
	res, _ = ws.Add("pasted", again, c.Private)
	if res.Added != 0 || len(res.Duplicates) != 2 || res.Duplicates[0] != "another-kid" {
		t.Errorf("duplicates: %+v", res)
	}
	if err := ws.Move(2, -2); err != nil {
		t.Fatal(err)
	}
	if ws.Entries()[0].Thumbprint != "" || ws.Entries()[1].Thumbprint != a.Thumbprint.Value {
		t.Error("move")
	}
	if ws.Move(0, -1) == nil || ws.Remove(5) == nil {
		t.Error("out-of-range move/remove accepted")
	}
	if err := ws.Remove(0); err != nil || ws.Len() != 2 || len(ws.Keys()) != 2 {
		t.Error("remove")
	}
}

// Thumbprints computed beforehand (off the UI goroutine) give AddHashed
// the same entries and duplicates as Add computing them itself.
func TestWorkspaceAddHashed(t *testing.T) {
	a, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	b, _ := keys.Generate(keys.Spec{Kty: keys.KtyRSA, Size: 2048})
	c, _ := keys.Generate(keys.Spec{Kty: keys.KtyOct})
	keys := []jwk.Key{a.Public, b.Private, c.Private, a.Private}
	tps := Thumbprints(keys)
	if want := []string{a.Thumbprint.Value, b.Thumbprint.Value, "", a.Thumbprint.Value}; !slices.Equal(tps, want) {
		t.Fatalf("Thumbprints = %q, want %q", tps, want)
	}
	for name, tps := range map[string][]string{"precomputed": tps, "nil": nil, "wrong length": tps[:1]} {
		t.Run(name, func(t *testing.T) {
			ws := NewWorkspace()
			res, err := ws.AddHashed("pasted", keys, tps)
			// a.Private after a.Public: the entry takes its private half.
			if err != nil || res.Added != 3 || res.Upgraded != 1 || len(res.Duplicates) != 0 {
				t.Fatalf("add: %+v %v", res, err)
			}
			var got []string
			for _, e := range ws.Entries() {
				got = append(got, e.Thumbprint)
			}
			if want := []string{a.Thumbprint.Value, b.Thumbprint.Value, ""}; !slices.Equal(got, want) {
				t.Errorf("entries' thumbprints %q, want %q", got, want)
			}
			res, _ = ws.AddHashed("again", keys[:2], Thumbprints(keys[:2]))
			if res.Added != 0 || len(res.Duplicates) != 2 {
				t.Errorf("re-adding: %+v", res)
			}
		})
	}
}

func TestWorkspaceDedupeTable(t *testing.T) {
	ec, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	renamed, _ := ec.Public.Clone()
	_ = renamed.Set("kid", "renamed")
	other, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: ec.Thumbprint.Value})
	oct, _ := keys.Generate(keys.Spec{Kty: keys.KtyOct})
	octCopy, _ := oct.Private.Clone()
	cases := []struct {
		name       string
		first      []jwk.Key
		then       []jwk.Key
		added      int
		duplicates []string
		upgraded   int
		len        int
	}{
		{"same key twice in one add", nil, []jwk.Key{ec.Public, ec.Public}, 1, []string{ec.Thumbprint.Value}, 0, 1},
		{"same key, other kid", []jwk.Key{ec.Public}, []jwk.Key{renamed}, 0, []string{"renamed"}, 0, 1},
		{"private half of a public key upgrades it", []jwk.Key{ec.Public}, []jwk.Key{ec.Private}, 0, nil, 1, 1},
		{"public half of a private key is a duplicate", []jwk.Key{ec.Private}, []jwk.Key{ec.Public}, 0, []string{ec.Thumbprint.Value}, 0, 1},
		{"other key, same kid: kept, flagged later", []jwk.Key{ec.Public}, []jwk.Key{other.Public}, 1, nil, 0, 2},
		{"oct secret twice", []jwk.Key{oct.Private}, []jwk.Key{octCopy}, 0, []string{mustKid(oct.Private)}, 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ws := NewWorkspace()
			if _, err := ws.Add("first", c.first...); err != nil {
				t.Fatal(err)
			}
			res, err := ws.Add("then", c.then...)
			if err != nil {
				t.Fatal(err)
			}
			if res.Added != c.added || !slices.Equal(res.Duplicates, c.duplicates) || res.Upgraded != c.upgraded || ws.Len() != c.len {
				t.Errorf("got %+v len %d", res, ws.Len())
			}
		})
	}
	// The upgrade keeps the kid as edited and holds the private key.
	ws := NewWorkspace()
	_, _ = ws.Add("saved", ec.Public)
	if err := ws.SetKid(0, "edited"); err != nil {
		t.Fatal(err)
	}
	_, _ = ws.Add("generated", ec.Private)
	if e, _ := ws.Entry(0); !keys.IsPrivate(e.Key) || mustKid(e.Key) != "edited" || e.Source != "saved" {
		t.Errorf("upgrade: private %v kid %q source %q", keys.IsPrivate(e.Key), mustKid(e.Key), e.Source)
	}
	if mustKid(ec.Private) != ec.Thumbprint.Value {
		t.Error("the upgrade changed the caller's key")
	}
}

func mustKid(k jwk.Key) string {
	kid, _ := k.KeyID()
	return kid
}

func TestWorkspaceEdits(t *testing.T) {
	rsaKey, _ := testkit.RSAPair(t)
	ws := NewWorkspace()
	ec, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	rsaJWK := testkit.Key(t, &rsaKey.PublicKey, map[string]any{"kid": "r"})
	x, _ := keys.Generate(keys.Spec{Kty: keys.KtyOKP, Crv: keys.CrvX25519, Use: keys.UseEnc})
	_, _ = ws.Add("t", ec.Private, rsaJWK, x.Public)

	if err := ws.SetKid(0, "  new-kid "); err != nil || mustKid(ws.Keys()[0]) != "new-kid" {
		t.Errorf("SetKid: %v %q", err, mustKid(ws.Keys()[0]))
	}
	if mustKid(ec.Private) != ec.Thumbprint.Value {
		t.Error("SetKid changed the key shared with the Generate tab")
	}
	if err := ws.SetKid(0, ""); err != nil || ws.Keys()[0].Has("kid") {
		t.Error("SetKid empty does not remove the kid")
	}
	if got := ws.AlgChoices(1); !slices.Equal(got, []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "RSA-OAEP-256", "RSA-OAEP", "RSA-OAEP-384", "RSA-OAEP-512"}) {
		t.Errorf("RSA without use: %v", got)
	}
	errCases := []struct {
		name string
		do   func() error
		want string
	}{
		{"alg of another kty", func() error { return ws.SetAlg(0, "RS256") }, "alg RS256 does not fit this key: choose one of ES256"},
		{"use that the curve cannot do", func() error { return ws.SetUse(2, keys.UseSig) }, "OKP X25519 cannot be used for signatures"},
		{"use that is not a use", func() error { return ws.SetUse(0, "signing") }, `use must be "sig" or "enc", not "signing"`},
		{"note that is not a note", func() error { return ws.SetNote(0, "old") }, `note must be "next", "retiring" or empty, not "old"`},
		{"out of range", func() error { return ws.SetKid(9, "x") }, "no key at position 10"},
	}
	for _, c := range errCases {
		if err := c.do(); err == nil || err.Error() != c.want {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if err := ws.SetUse(1, keys.UseSig); err != nil {
		t.Fatal(err)
	}
	if err := ws.SetAlg(1, "PS384"); err != nil || keys.AlgOf(ws.Keys()[1]) != "PS384" {
		t.Errorf("SetAlg: %v", err)
	}
	if err := ws.SetUse(1, keys.UseEnc); err == nil || !strings.Contains(err.Error(), "alg PS384 does not fit use enc: clear the alg or choose one of RSA-OAEP-256") {
		t.Errorf("use change under a sig alg: %v", err)
	}
	if err := ws.SetAlg(1, ""); err != nil || ws.Keys()[1].Has("alg") {
		t.Error("SetAlg empty")
	}
	if err := ws.SetNote(1, NoteRetiring); err != nil || ws.Entries()[1].Note != NoteRetiring {
		t.Error("SetNote")
	}
	// One kid on an EC and an RSA key: legal (RFC 7517 §4.5), a note.
	_ = ws.SetKid(0, "r")
	if dups := ws.DuplicateKids(); len(dups) != 0 {
		t.Errorf("duplicate kids across kty %+v", dups)
	}
	if r := ws.Lint(testkit.Now); r.Errors != 0 || len(r.Groups) != 1 || r.Groups[0].Code != LintKidAcrossKty {
		t.Errorf("lint %d errors: %v", r.Errors, r.All())
	}
	// Two different EC keys, one kid: an error.
	ec2, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "r"})
	_, _ = ws.Add("t", ec2.Public)
	dups := ws.DuplicateKids()
	if len(dups) != 1 || dups[0].Kid != "r" || !slices.Equal(dups[0].Positions, []int{0, 1, 3}) {
		t.Errorf("duplicate kids %+v", dups)
	}
	if r := ws.Lint(testkit.Now); r.Errors != 1 {
		t.Errorf("lint errors %d: %v", r.Errors, r.All())
	}
}

func TestWorkspaceStateRoundTrip(t *testing.T) {
	ws := NewWorkspace()
	ec, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	ed, _ := keys.Generate(keys.Spec{Kty: keys.KtyOKP})
	oct, _ := keys.Generate(keys.Spec{Kty: keys.KtyOct})
	_, _ = ws.Add("generated", ec.Private, oct.Private, ed.Public)
	_ = ws.SetNote(2, NoteNext)
	path := filepath.Join(t.TempDir(), "workspace.json")
	if err := NewStore(path, nil).Write(ws); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %o", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	for _, m := range []string{`"d"`, `"k"`} {
		if strings.Contains(string(data), m+":") {
			t.Errorf("saved state holds %s:\n%s", m, data)
		}
	}
	l, err := NewStore(path, nil).Load()
	if err != nil || len(l.Bad) != 0 || l.Workspace.Len() != 2 || l.Quarantined != nil {
		t.Fatalf("load: %+v %v", l, err)
	}
	es := l.Workspace.Entries()
	if es[0].Thumbprint != ec.Thumbprint.Value || keys.IsPrivate(es[0].Key) || es[0].Source != "generated" || es[1].Note != NoteNext {
		t.Errorf("loaded %+v", es)
	}
	if l, err := NewStore(filepath.Join(t.TempDir(), "none.json"), nil).Load(); err != nil || l.Workspace.Len() != 0 || l.Bad != nil || l.Quarantined != nil {
		t.Error("a missing state file is not an empty workspace")
	}
	// A hand-edited file: one bad key, one with private members (dropped).
	priv, _ := json.Marshal(ec.Private)
	edited := fmt.Sprintf(`{"version":1,"keys":[{"jwk":{"kty":"EC","kid":"bad"}},{"jwk":%s,"note":"retiring"}]}`, priv)
	w3 := NewWorkspace()
	res, bad, err := w3.LoadState([]byte(edited))
	if err != nil || res.Added != 1 || len(bad) != 1 || bad[0].Kid != "bad" || keys.IsPrivate(w3.Keys()[0]) || w3.Entries()[0].Note != NoteRetiring {
		t.Errorf("edited: %+v %+v %v", res, bad, err)
	}
	if _, _, err := w3.LoadState([]byte(`{"version":2,"keys":[]}`)); err == nil || !strings.Contains(err.Error(), "version 2") {
		t.Errorf("version: %v", err)
	}
}

func TestWorkspaceRotate(t *testing.T) {
	ws := NewWorkspace()
	if _, err := ws.Rotate(); err == nil || !strings.HasPrefix(err.Error(), "no signing key to rotate") {
		t.Errorf("empty: %v", err)
	}
	enc, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, Use: keys.UseEnc})
	sig, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP384})
	_, _ = ws.Add("generated", enc.Public, sig.Public)
	if ws.CurrentSigningKey() != 1 {
		t.Fatalf("current signing key %d", ws.CurrentSigningKey())
	}
	g, err := ws.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	es := ws.Entries()
	crv, _ := keys.CurveOf(g.Private)
	if ws.Len() != 3 || es[0].Thumbprint != g.Thumbprint.Value || es[0].Note != NoteNext || es[2].Note != NoteRetiring ||
		crv != keys.CrvP384 || keys.AlgOf(g.Private) != "ES384" || es[0].Source != "rotated from "+sig.Thumbprint.Value {
		t.Errorf("after rotate: %+v", es)
	}
	// The next rotation replaces the new key, not the retiring one.
	if ws.CurrentSigningKey() != 0 {
		t.Errorf("current after rotate %d", ws.CurrentSigningKey())
	}
	r, _ := testkit.RSAPair(t)
	_, r1024 := testkit.RSAPair(t)
	w2 := NewWorkspace()
	_, _ = w2.Add("t", testkit.Key(t, &r1024.PublicKey, map[string]any{"alg": "PS256"}), testkit.Key(t, &r.PublicKey, nil))
	spec, err := w2.RotationSpec(0)
	if err != nil || spec.Kty != keys.KtyRSA || spec.Size != 2048 || spec.Alg != "PS256" || spec.Use != keys.UseSig {
		t.Errorf("RSA 1024 rotation spec %+v %v", spec, err)
	}
	if err := w2.ApplyRotation("gone", g); err == nil {
		t.Error("rotation of a removed key applied")
	}
}

func TestWorkspaceMergeFrontAndClone(t *testing.T) {
	a, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	b, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	c, _ := keys.Generate(keys.Spec{Kty: keys.KtyOKP})
	loaded := NewWorkspace()
	_, _ = loaded.Add("saved", a.Public, b.Public)
	_ = loaded.SetNote(1, NoteRetiring)
	ws := NewWorkspace()
	_, _ = ws.Add("generated", c.Private, b.Private)
	snap := ws.Clone()
	if added := ws.MergeFront(loaded); added != 1 {
		t.Errorf("added %d", added)
	}
	es := ws.Entries()
	if len(es) != 3 || es[0].Thumbprint != a.Thumbprint.Value || es[1].Thumbprint != b.Thumbprint.Value || !keys.IsPrivate(es[1].Key) ||
		es[1].Note != NoteRetiring || es[2].Thumbprint != c.Thumbprint.Value {
		t.Errorf("merged %+v", es)
	}
	if snap.Len() != 2 {
		t.Error("the clone changed with the original")
	}
}
