package keyset

import (
	"fmt"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// Entry is one key in the workspace, with its RFC 7638 thumbprint (the
// identity used for dedupe; empty for oct secrets, which are never hashed
// for display) and where it came from.
type Entry struct {
	Key        jwk.Key
	Thumbprint string
	Source     string // "generated", "pasted", "file key.pem", "https://…" (never with user:password@)
	Note       string // rotation note kept in the workspace only: "next", "retiring"
}

// Workspace is the ordered key set being assembled: keys are generated,
// converted, pasted or fetched into it, edited and reordered in it, and
// tokens are verified against it. It is not safe for concurrent use: its
// owner (the window's main goroutine) touches it alone, and hands others a
// Clone.
type Workspace struct {
	entries []Entry
}

// NewWorkspace returns an empty workspace.
func NewWorkspace() *Workspace { return &Workspace{} }

// AddResult says what Add did with each key.
type AddResult struct {
	Added      int
	Duplicates []string // kids (or thumbprints) of keys already in the workspace, kept once
	Upgraded   int      // private halves of keys held as public: the entry now holds the private key
}

// Add appends keys, skipping any whose thumbprint is already present (the
// same key twice, whatever its kid says).
func (w *Workspace) Add(source string, keys ...jwk.Key) (res AddResult, err error) {
	return w.AddHashed(source, keys, nil)
}

// Thumbprints computes what AddHashed needs, away from the UI goroutine
// (10,000 keys take ~25 ms): each key's RFC 7638 thumbprint, "" for oct
// keys and for keys whose thumbprint fails (Add reports those).
func Thumbprints(keys []jwk.Key) []string {
	tps := make([]string, len(keys))
	for i, k := range keys {
		tps[i], _ = dedupeThumbprint(k)
	}
	return tps
}

// dedupeThumbprint is what the workspace tells keys apart by: the RFC 7638
// thumbprint, or "" for an oct key (compared whole instead).
func dedupeThumbprint(k jwk.Key) (string, error) {
	if _, isOct := k.(jwk.SymmetricKey); isOct {
		return "", nil
	}
	return keys.ThumbprintOf(k)
}

// AddHashed is Add with the keys' thumbprints already computed by
// Thumbprints; with tps nil (or of another length) it computes them.
func (w *Workspace) AddHashed(source string, set []jwk.Key, tps []string) (res AddResult, err error) {
	defer recovery.Into(&err, "adding keys")
	source = RedactURL(source) // a fetched key's source never keeps credentials
	if len(tps) != len(set) {
		tps = nil
	}
	seen := make(map[string]int, len(w.entries)+len(set))
	for i, e := range w.entries {
		if e.Thumbprint != "" {
			seen[e.Thumbprint] = i
		}
	}
	for i, k := range set {
		var tp string
		if tps != nil {
			tp = tps[i]
		}
		if err := w.addOne(k, tp, source, seen, &res); err != nil {
			return res, fmt.Errorf("key %d: %w", i+1, err)
		}
	}
	return res, nil
}

// addOne adds one key (tp: its thumbprint when known), counting in res
// what became of it: added, a duplicate kept once, or the private half of
// a key held as public. seen maps the thumbprints in the workspace to their
// positions.
func (w *Workspace) addOne(k jwk.Key, tp, source string, seen map[string]int, res *AddResult) error {
	if tp == "" {
		var err error
		if tp, err = dedupeThumbprint(k); err != nil {
			return err
		}
	}
	at, dup := seen[tp]
	dup = dup && tp != ""
	switch {
	case dup && keys.IsPrivate(k) && !keys.IsPrivate(w.entries[at].Key):
		// The private half of a key held as public (say, after a
		// restart): keep the private key in memory, with the entry's
		// kid, use and alg as edited.
		if err := w.upgrade(at, k); err != nil {
			return err
		}
		res.Upgraded++
	case dup || tp == "" && w.indexOf(k, tp) >= 0:
		kid, _ := k.KeyID()
		if kid == "" {
			kid = tp
		}
		res.Duplicates = append(res.Duplicates, kid)
	default:
		if tp != "" {
			seen[tp] = len(w.entries)
		}
		w.entries = append(w.entries, Entry{Key: k, Thumbprint: tp, Source: source})
		res.Added++
	}
	return nil
}

func (w *Workspace) indexOf(k jwk.Key, tp string) int {
	for i, e := range w.entries {
		if tp != "" && e.Thumbprint == tp {
			return i
		}
		if tp == "" && e.Thumbprint == "" && jwk.Equal(e.Key, k) {
			return i
		}
	}
	return -1
}

// Len is the number of keys.
func (w *Workspace) Len() int { return len(w.entries) }

// Entries returns a copy of the entries in order.
func (w *Workspace) Entries() []Entry { return append([]Entry(nil), w.entries...) }

// Keys returns the keys in order.
func (w *Workspace) Keys() []jwk.Key {
	out := make([]jwk.Key, len(w.entries))
	for i, e := range w.entries {
		out[i] = e.Key
	}
	return out
}

// Remove deletes the key at index i.
func (w *Workspace) Remove(i int) error {
	if i < 0 || i >= len(w.entries) {
		return fmt.Errorf("no key at position %d", i+1)
	}
	w.entries = append(w.entries[:i], w.entries[i+1:]...)
	return nil
}

// Move moves the key at index i by delta places (negative: up).
func (w *Workspace) Move(i, delta int) error {
	j := i + delta
	if i < 0 || i >= len(w.entries) || j < 0 || j >= len(w.entries) {
		return fmt.Errorf("cannot move key %d by %d", i+1, delta)
	}
	e := w.entries[i]
	w.entries = append(w.entries[:i], w.entries[i+1:]...)
	w.entries = append(w.entries[:j], append([]Entry{e}, w.entries[j:]...)...)
	return nil
}
