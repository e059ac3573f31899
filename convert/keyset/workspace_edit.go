package keyset

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// Rotation notes kept in the workspace (never in the exported JSON).
const (
	NoteNext     = "next"     // published ahead of use: verifiers learn it before tokens carry it
	NoteRetiring = "retiring" // no longer signs; kept published for a grace period
)

// Notes lists the rotation notes, "" (none) first.
func Notes() []string { return []string{"", NoteNext, NoteRetiring} }

func (w *Workspace) at(i int) (*Entry, error) {
	if i < 0 || i >= len(w.entries) {
		return nil, fmt.Errorf("no key at position %d", i+1)
	}
	return &w.entries[i], nil
}

// edit applies change to a clone of the key at i, so keys shared with other
// tabs (the Generate tab's current key) are never changed behind their back.
func (w *Workspace) edit(i int, change func(k jwk.Key) error) (err error) {
	defer recovery.Into(&err, "editing a key")
	e, err := w.at(i)
	if err != nil {
		return err
	}
	k, err := e.Key.Clone()
	if err != nil {
		return fmt.Errorf("failed to copy the key: %w", err)
	}
	if err := change(k); err != nil {
		return err
	}
	e.Key = k
	return nil
}

// upgrade replaces the public key at i by its private half, keeping the
// entry's kid, use, alg and key_ops.
func (w *Workspace) upgrade(i int, private jwk.Key) error {
	k, err := private.Clone()
	if err != nil {
		return fmt.Errorf("failed to copy the key: %w", err)
	}
	old := w.entries[i].Key
	for _, m := range []string{jwk.KeyIDKey, jwk.KeyUsageKey, jwk.AlgorithmKey, jwk.KeyOpsKey} {
		_ = k.Remove(m)
		if old.Has(m) {
			var v any
			if err := old.Get(m, &v); err == nil {
				if err := k.Set(m, v); err != nil {
					return fmt.Errorf("failed to keep %s: %w", m, err)
				}
			}
		}
	}
	w.entries[i].Key = k
	return nil
}

// SetKid changes the kid of the key at i; an empty kid removes it. Kids are
// kept exactly as typed, apart from surrounding spaces.
func (w *Workspace) SetKid(i int, kid string) error {
	kid = strings.TrimSpace(kid)
	if err := keys.CheckKid(kid); err != nil {
		return err
	}
	return w.edit(i, func(k jwk.Key) error {
		if kid == "" {
			return k.Remove(jwk.KeyIDKey)
		}
		return k.Set(jwk.KeyIDKey, kid)
	})
}

// SetUse changes the use of the key at i ("sig", "enc", or "" to remove
// it). A use the key's shape or alg does not fit is refused with the reason.
func (w *Workspace) SetUse(i int, use string) error {
	e, err := w.at(i)
	if err != nil {
		return err
	}
	if err := keys.UseMisfit(e.Key, use); err != nil {
		return err
	}
	return w.edit(i, func(k jwk.Key) error {
		if use == "" {
			return k.Remove(jwk.KeyUsageKey)
		}
		return k.Set(jwk.KeyUsageKey, use)
	})
}

// AlgChoices lists the algs that fit the key at i (for its use, or for
// either use when it has none).
func (w *Workspace) AlgChoices(i int) []string {
	e, err := w.at(i)
	if err != nil {
		return nil
	}
	use, _ := e.Key.KeyUsage()
	return keys.AlgsForKey(e.Key, use)
}

// SetAlg changes the alg of the key at i, only to one that fits it
// (AlgChoices); "" removes it.
func (w *Workspace) SetAlg(i int, alg string) error {
	if alg != "" {
		choices := w.AlgChoices(i)
		if _, err := w.at(i); err != nil {
			return err
		}
		if !slices.Contains(choices, alg) {
			return fmt.Errorf("alg %s does not fit this key: choose one of %s", alg, strings.Join(choices, ", "))
		}
	}
	return w.edit(i, func(k jwk.Key) error {
		if alg == "" {
			return k.Remove(jwk.AlgorithmKey)
		}
		return k.Set(jwk.AlgorithmKey, alg)
	})
}

// SetNote sets the rotation note of the key at i: NoteNext, NoteRetiring
// or "".
func (w *Workspace) SetNote(i int, note string) error {
	e, err := w.at(i)
	if err != nil {
		return err
	}
	if !slices.Contains(Notes(), note) {
		return fmt.Errorf("note must be %q, %q or empty, not %q", NoteNext, NoteRetiring, note)
	}
	e.Note = note
	return nil
}

// DuplicateKid is a kid shared by different keys of one kty (positions
// from 0): an error for publishing.
type DuplicateKid struct {
	Kid       string
	Positions []int
}

// DuplicateKids lists the kids that two or more different keys of the same
// kty share, in order of first appearance (the rule is kidGroups'; keys of
// different kty may share a kid: RFC 7517 §4.5, a lint note).
func (w *Workspace) DuplicateKids() []DuplicateKid {
	keys, tps := make([]jwk.Key, len(w.entries)), make([]string, len(w.entries))
	for i, e := range w.entries {
		keys[i], tps[i] = e.Key, e.Thumbprint
	}
	var out []DuplicateKid
	for _, g := range kidGroups(keys, tps) {
		if g.Conflict {
			out = append(out, DuplicateKid{Kid: g.Kid, Positions: g.Positions})
		}
	}
	return out
}

// Lint lints the workspace's keys and the set as a whole, rotation notes
// included.
func (w *Workspace) Lint(now time.Time) LintReport {
	keys := w.Keys()
	r := LintSet(keys, now)
	notes := make([]string, len(w.entries))
	for i, e := range w.entries {
		notes[i] = e.Note
	}
	lintNextNotes(&r, keys, notes)
	return r
}

// ExportPublic writes the JWKS to publish (see ExportPublicJWKS).
func (w *Workspace) ExportPublic() ([]byte, keys.StripReport, error) {
	return keys.ExportPublicJWKS(w.Keys())
}

// ExportPrivate writes every key with its private members (save it 0600).
func (w *Workspace) ExportPrivate() ([]byte, error) { return keys.ExportPrivateJWKS(w.Keys()) }
