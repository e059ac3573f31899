package keyset

import (
	"encoding/json"
	"fmt"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// stateVersion is the version of the saved workspace format.
const stateVersion = 1

type savedState struct {
	Version int          `json:"version"`
	Keys    []savedEntry `json:"keys"`
}

type savedEntry struct {
	Key    json.RawMessage `json:"jwk"`
	Source string          `json:"source,omitempty"`
	Note   string          `json:"note,omitempty"`
}

// MarshalState writes the public part of the workspace (public keys and
// their notes, in order) for saving across restarts: each key in its public
// form (PublicForm's allow-list), so private members are never written, and
// oct secrets are left out: they stay in memory only.
func (w *Workspace) MarshalState() (out []byte, err error) {
	defer recovery.Into(&err, "saving the workspace")
	st := savedState{Version: stateVersion, Keys: []savedEntry{}}
	for i, e := range w.entries {
		if _, isOct := e.Key.(jwk.SymmetricKey); isOct {
			continue
		}
		raw, _, err := keys.PublicJWK(e.Key) // the allow-list: see PublicForm
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		st.Keys = append(st.Keys, savedEntry{Key: raw, Source: e.Source, Note: e.Note})
	}
	out, err = json.MarshalIndent(st, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("failed to encode the workspace: %w", err)
	}
	return append(out, '\n'), nil
}

// LoadState adds the keys of a saved workspace (after those already there,
// deduped as Add does) with their notes. Keys that cannot be read are named
// in bad; the others still load. Each key is cut to its public form
// (PublicForm): a saved workspace is public by design, whatever a file
// written by hand or by an older version holds.
func (w *Workspace) LoadState(data []byte) (res AddResult, bad []keys.BadKey, err error) {
	defer recovery.Into(&err, "loading the workspace")
	var st savedState
	if err := json.Unmarshal(data, &st); err != nil {
		return res, nil, fmt.Errorf("the saved workspace is not valid JSON: %w", err)
	}
	if st.Version != stateVersion {
		return res, nil, fmt.Errorf("the saved workspace has version %d; this JWK Desk reads version %d", st.Version, stateVersion)
	}
	for i, se := range st.Keys {
		k, err := jwk.ParseKey(se.Key)
		if err == nil {
			k, err = keys.PublicOf(k)
		}
		if err != nil {
			bad = append(bad, keys.BadKey{Index: i, Kid: keys.RawKid(se.Key), Err: err.Error()})
			continue
		}
		before := len(w.entries)
		r, err := w.Add(se.Source, k)
		if err != nil {
			bad = append(bad, keys.BadKey{Index: i, Kid: keys.RawKid(se.Key), Err: err.Error()})
			continue
		}
		res.Added += r.Added
		res.Duplicates = append(res.Duplicates, r.Duplicates...)
		if len(w.entries) > before && (se.Note == "" || se.Note == NoteNext || se.Note == NoteRetiring) {
			w.entries[before].Note = se.Note
		}
	}
	return res, bad, nil
}

// Clone returns a copy of the workspace that shares its (never mutated)
// keys: a snapshot a goroutine can lint, export and save while the UI goes
// on editing the original.
func (w *Workspace) Clone() *Workspace {
	return &Workspace{entries: append([]Entry(nil), w.entries...)}
}

// MergeFront puts the entries of loaded (a workspace read from disk) ahead
// of w's own: a key in both keeps w's entry (it may hold the private key)
// at loaded's position, with loaded's note when w's has none. It returns
// how many of loaded's keys were new.
func (w *Workspace) MergeFront(loaded *Workspace) int {
	mine := make(map[string]int, len(w.entries))
	for i, e := range w.entries {
		if e.Thumbprint != "" {
			mine[e.Thumbprint] = i
		}
	}
	used := make([]bool, len(w.entries))
	out := make([]Entry, 0, len(loaded.entries)+len(w.entries))
	added := 0
	for _, e := range loaded.entries {
		if i, ok := mine[e.Thumbprint]; ok && e.Thumbprint != "" {
			if !used[i] {
				m := w.entries[i]
				if m.Note == "" {
					m.Note = e.Note
				}
				out = append(out, m)
				used[i] = true
			}
			continue
		}
		out = append(out, e)
		added++
	}
	for i, e := range w.entries {
		if !used[i] {
			out = append(out, e)
		}
	}
	w.entries = out
	return added
}
