package keyset

import (
	"strings"
	"testing"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

func genFor(t *testing.T, spec keys.Spec) *keys.Generated {
	t.Helper()
	g, err := keys.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// RFC 7517 §4.5 kid: a rotation publishes the next key ahead of use. A key
// the user marked next is the one the rotation switches to; nothing is
// generated, and the current signing key retires.
func TestRotationUsesTheKeyMarkedNext_RFC7517(t *testing.T) {
	cur := genFor(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256})
	enc := genFor(t, keys.Spec{Kty: keys.KtyEC, Use: keys.UseEnc})
	nxt := genFor(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP384})
	ws := NewWorkspace()
	_, _ = ws.Add("t", cur.Private, enc.Public, nxt.Private)
	if err := ws.SetNote(2, NoteNext); err != nil {
		t.Fatal(err)
	}
	plan, err := ws.PlanRotation()
	if err != nil || plan.Old != 0 || plan.Next != 2 {
		t.Fatalf("plan %+v %v, want old 0, next 2", plan, err)
	}
	if err := ws.ApplyRotationToNext(cur.Thumbprint.Value, nxt.Thumbprint.Value); err != nil {
		t.Fatal(err)
	}
	es := ws.Entries()
	if ws.Len() != 3 || es[0].Thumbprint != nxt.Thumbprint.Value || es[0].Note != NoteNext || es[1].Thumbprint != cur.Thumbprint.Value || es[1].Note != NoteRetiring || es[2].Note != "" {
		t.Errorf("after the rotation: %+v", es)
	}
	// The key marked next is now the only signer: the next rotation
	// generates (as after a generated rotation).
	plan, err = ws.PlanRotation()
	if err != nil || plan.Next != -1 || plan.Old != 0 || plan.Spec.Crv != keys.CrvP384 {
		t.Errorf("second plan %+v %v", plan, err)
	}
	if err := ws.ApplyRotationToNext("gone", nxt.Thumbprint.Value); err == nil {
		t.Error("a rotation of a removed key applied")
	}
}

func TestRotationRefusesTwoNextAndLintFlagsThem(t *testing.T) {
	a, b, c := genFor(t, keys.Spec{Kty: keys.KtyEC}), genFor(t, keys.Spec{Kty: keys.KtyEC}), genFor(t, keys.Spec{Kty: keys.KtyOKP, Crv: keys.CrvX25519, Use: keys.UseEnc})
	ws := NewWorkspace()
	_, _ = ws.Add("t", a.Public, b.Public, c.Public)
	_ = ws.SetNote(0, NoteNext)
	if r := ws.Lint(time.Now()); hasCode(r, LintTwoNext) {
		t.Error("one key marked next flagged")
	}
	_ = ws.SetNote(1, NoteNext)
	_, err := ws.PlanRotation()
	if err == nil || err.Error() != "keys 1 and 2 are all marked next: a rotation switches to one key; clear the mark on all but one" {
		t.Errorf("two next: %v", err)
	}
	r := ws.Lint(time.Now())
	for i, want := range []bool{true, true, false} {
		if got := hasCodeAt(r, i, LintTwoNext); got != want {
			t.Errorf("key %d flagged %v, want %v", i+1, got, want)
		}
	}
	if r.Warnings < 2 || !strings.Contains(r.Summary(), "warning") {
		t.Errorf("summary %q", r.Summary())
	}
	// A key marked next that cannot sign is named.
	_ = ws.SetNote(0, "")
	_ = ws.SetNote(1, "")
	_ = ws.SetNote(2, NoteNext)
	if _, err := ws.PlanRotation(); err == nil || !strings.Contains(err.Error(), "key 3 is marked next but does not sign (OKP X25519)") {
		t.Errorf("enc key next: %v", err)
	}
}

func hasCode(r LintReport, code string) bool {
	for i := range r.PerKey {
		if hasCodeAt(r, i, code) {
			return true
		}
	}
	return false
}

func hasCodeAt(r LintReport, i int, code string) bool {
	for _, f := range r.PerKey[i] {
		if f.Code == code {
			return true
		}
	}
	return false
}
