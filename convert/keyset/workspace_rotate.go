package keyset

import (
	"errors"
	"fmt"
	"slices"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// CurrentSigningKey is the position of the key a rotation replaces: the
// first asymmetric key that signs (use sig, or no use on a key that can
// sign) and is not marked retiring. -1 when there is none.
func (w *Workspace) CurrentSigningKey() int {
	for i, e := range w.entries {
		if e.Note == NoteRetiring {
			continue
		}
		kty, crv, _ := keys.Shape(e.Key)
		if kty == keys.KtyOct || len(keys.AlgsFor(kty, crv, keys.UseSig, 0)) == 0 {
			continue
		}
		if use, ok := e.Key.KeyUsage(); ok && use != keys.UseSig {
			continue
		}
		return i
	}
	return -1
}

// RotationSpec is the spec of a new key shaped like the key at i (same kty,
// RSA size or curve, alg when it fits, use sig, thumbprint kid). RSA keys
// under 2048 bits are replaced by 2048-bit ones.
func (w *Workspace) RotationSpec(i int) (keys.Spec, error) {
	e, err := w.at(i)
	if err != nil {
		return keys.Spec{}, err
	}
	kty, crv, bits := keys.Shape(e.Key)
	if kty == keys.KtyOct {
		return keys.Spec{}, errors.New("oct secrets are not published, so they are not rotated here: choose an asymmetric signing key")
	}
	s := keys.Spec{Kty: kty, Crv: crv, Use: keys.UseSig, KidStrategy: keys.KidThumbprint}
	if kty == keys.KtyRSA {
		s.Size = keys.RSASizes[len(keys.RSASizes)-1]
		for _, size := range keys.RSASizes {
			if size >= bits {
				s.Size = size
				break
			}
		}
	}
	if alg := keys.AlgOf(e.Key); slices.Contains(keys.AlgsFor(kty, crv, keys.UseSig, 0), alg) {
		s.Alg = alg
	}
	if _, err := s.Normalize(); err != nil {
		return keys.Spec{}, fmt.Errorf("cannot rotate key %d: %w", i+1, err)
	}
	return s, nil
}

// ApplyRotation puts a newly generated key first, marked next, and marks
// the key it replaces (found by thumbprint, as positions may have moved
// while the key was generated) retiring. Both stay published.
func (w *Workspace) ApplyRotation(oldThumbprint string, g *keys.Generated) error {
	if g == nil || g.Private == nil {
		return errors.New("no new key to add")
	}
	old := -1
	for i, e := range w.entries {
		if e.Thumbprint != "" && e.Thumbprint == oldThumbprint {
			old = i
		}
	}
	if old < 0 {
		return errors.New("the key being rotated is no longer in the workspace")
	}
	kid, _ := w.entries[old].Key.KeyID()
	source := "rotated from " + kid
	if kid == "" {
		source = "rotated"
	}
	w.entries[old].Note = NoteRetiring
	e := Entry{Key: g.Private, Thumbprint: g.Thumbprint.Value, Source: source, Note: NoteNext}
	w.entries = append([]Entry{e}, w.entries...)
	return nil
}

// Rotate generates a key like the current signing key and applies the
// rotation (see CurrentSigningKey, RotationSpec, ApplyRotation). The UI
// calls the three steps itself to generate off the main goroutine.
func (w *Workspace) Rotate() (*keys.Generated, error) {
	i := w.CurrentSigningKey()
	if i < 0 {
		return nil, errors.New("no signing key to rotate: add or generate an RSA, EC or Ed25519 signing key first")
	}
	spec, err := w.RotationSpec(i)
	if err != nil {
		return nil, err
	}
	g, err := keys.Generate(spec)
	if err != nil {
		return nil, err
	}
	if err := w.ApplyRotation(w.entries[i].Thumbprint, g); err != nil {
		return nil, err
	}
	return g, nil
}

// Entry returns the entry at i.
func (w *Workspace) Entry(i int) (Entry, error) {
	e, err := w.at(i)
	if err != nil {
		return Entry{}, err
	}
	return *e, nil
}
