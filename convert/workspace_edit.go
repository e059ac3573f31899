package convert

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"

	"github.com/lestrrat-go/jwx/v3/jwk"
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
	if err := CheckKid(kid); err != nil {
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
	if use != "" {
		if use != UseSig && use != UseEnc {
			return fmt.Errorf("use must be %q or %q, not %q", UseSig, UseEnc, use)
		}
		kty, crv, bits := shapeOf(e.Key)
		if len(AlgsFor(kty, crv, use, 0)) == 0 {
			return fmt.Errorf("%s cannot be used for %s", describeKeyShape(kty, crv, bits), useName(use))
		}
		if alg := algOf(e.Key); alg != "" && !algFits(kty, crv, use, bits, alg) {
			return fmt.Errorf("alg %s does not fit use %s: clear the alg or choose one of %s first", alg, use, strings.Join(fittingAlgs(kty, crv, use, bits), ", "))
		}
	}
	return w.edit(i, func(k jwk.Key) error {
		if use == "" {
			return k.Remove(jwk.KeyUsageKey)
		}
		return k.Set(jwk.KeyUsageKey, use)
	})
}

func useName(use string) string {
	if use == UseSig {
		return "signatures"
	}
	return "encryption"
}

// AlgChoices lists the algs that fit the key at i (for its use, or for
// either use when it has none).
func (w *Workspace) AlgChoices(i int) []string {
	e, err := w.at(i)
	if err != nil {
		return nil
	}
	kty, crv, bits := shapeOf(e.Key)
	use, _ := e.Key.KeyUsage()
	var out []string
	for _, a := range fittingAlgs(kty, crv, use, 0) {
		if algFits(kty, crv, use, bits, a) && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
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
func (w *Workspace) ExportPublic() ([]byte, StripReport, error) {
	return ExportPublicJWKS(w.Keys())
}

// ExportPrivate writes every key with its private members (save it 0600).
func (w *Workspace) ExportPrivate() ([]byte, error) { return ExportPrivateJWKS(w.Keys()) }

// shapeOf returns a key's kty, crv and, for oct keys, the secret's size in
// bits (RSA: the modulus size).
func shapeOf(k jwk.Key) (kty, crv string, bits int) {
	kty = k.KeyType().String()
	crv, _ = curveOf(k)
	switch sk := k.(type) {
	case jwk.SymmetricKey:
		b, _ := sk.Octets()
		bits = len(b) * 8
	default:
		if kty == KtyRSA {
			bits = rsaBits(k)
		}
	}
	return kty, crv, bits
}

// DescribeKey names a key's shape for a list: "RSA 2048", "EC P-256",
// "OKP Ed25519", "oct 256-bit".
func DescribeKey(k jwk.Key) string {
	kty, crv, bits := shapeOf(k)
	switch kty {
	case KtyRSA:
		return fmt.Sprintf("RSA %d", bits)
	case KtyOct:
		return fmt.Sprintf("oct %d-bit", bits)
	case KtyEC, KtyOKP:
		return kty + " " + crv
	}
	return kty
}
