package keyset

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// RotationPlan is what a rotation will do, for the user to confirm before
// anything changes: the key that retires, and the key that takes over —
// the one marked next, or a new one generated from Spec.
type RotationPlan struct {
	Old  int       // position of the key that retires
	Next int       // position of the key marked next that takes over; -1: generate Spec
	Spec keys.Spec // the new key's spec when Next is -1
}

// markedNext lists the positions of the keys marked next.
func (w *Workspace) markedNext() []int {
	var out []int
	for i, e := range w.entries {
		if e.Note == NoteNext {
			out = append(out, i)
		}
	}
	return out
}

// canSign reports whether an entry is an asymmetric key that signs.
func canSign(e Entry) bool {
	kty, crv, _ := keys.Shape(e.Key)
	if kty == keys.KtyOct || len(keys.AlgsFor(kty, crv, keys.UseSig, 0)) == 0 {
		return false
	}
	use, ok := e.Key.KeyUsage()
	return !ok || use == keys.UseSig
}

// PlanRotation says what Rotate does. A key the user marked next takes
// over from the current signing key (the first other signing key not
// retiring), and nothing is generated; with no key marked next — or when
// the key marked next is the only one that signs, as after a rotation — a
// key like the current signing key is generated. Two keys marked next are
// refused: a rotation switches to one key.
func (w *Workspace) PlanRotation() (RotationPlan, error) {
	nexts := w.markedNext()
	if len(nexts) > 1 {
		return RotationPlan{}, fmt.Errorf("keys %s are all marked next: a rotation switches to one key; clear the mark on all but one", positionList(nexts))
	}
	if len(nexts) == 1 {
		n := nexts[0]
		if !canSign(w.entries[n]) {
			return RotationPlan{}, fmt.Errorf("key %d is marked next but does not sign (%s): mark a signing key next, or clear the mark to rotate to a new key", n+1, keys.DescribeKey(w.entries[n].Key))
		}
		for i, e := range w.entries {
			if i != n && e.Note != NoteRetiring && canSign(e) {
				return RotationPlan{Old: i, Next: n}, nil
			}
		}
	}
	i := w.CurrentSigningKey()
	if i < 0 {
		return RotationPlan{}, errors.New("nothing to rotate: add or generate an RSA, EC or Ed25519 signing key first")
	}
	spec, err := w.RotationSpec(i)
	if err != nil {
		return RotationPlan{}, err
	}
	return RotationPlan{Old: i, Next: -1, Spec: spec}, nil
}

// ApplyRotationToNext puts the key marked next (found by thumbprint, as
// positions may have moved meanwhile) first and marks the key it replaces
// retiring: the same end state as ApplyRotation, with the user's key.
func (w *Workspace) ApplyRotationToNext(oldThumbprint, nextThumbprint string) error {
	old, next := -1, -1
	for i, e := range w.entries {
		switch {
		case e.Thumbprint == "":
		case e.Thumbprint == oldThumbprint:
			old = i
		case e.Thumbprint == nextThumbprint:
			next = i
		}
	}
	if old < 0 || next < 0 {
		return errors.New("the keys of this rotation are no longer both in the workspace")
	}
	w.entries[old].Note = NoteRetiring
	e := w.entries[next]
	e.Note = NoteNext
	w.entries = append(w.entries[:next], w.entries[next+1:]...)
	w.entries = append([]Entry{e}, w.entries...)
	return nil
}

// positionList is "1, 3 and 4" for positions 0, 2 and 3.
func positionList(ps []int) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = fmt.Sprint(p + 1)
	}
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
