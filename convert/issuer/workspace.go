package issuer

import (
	"errors"
	"fmt"
	"slices"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// ErrNoSigningKey: nothing in the key set can sign a token.
var ErrNoSigningKey = errors.New("no key can sign: the issuer needs an asymmetric private key for signing (use sig or no use) that is not marked next or retiring")

// FromWorkspace says how the workspace's keys become the issuer's.
type FromWorkspace struct {
	// Signer is the kid of the key that signs; "" takes the first key that
	// can sign and is not marked next or retiring.
	Signer string
	// Keep is what the issuer holds now (Server.Keys): a kid still in the
	// workspace keeps the role the rehearsal gave it (next, signer,
	// retiring, retired), so the workspace can change while a rehearsal is
	// under way. Other keys take their role from the workspace's marks.
	Keep []KeyStatus
}

// EntriesFrom builds the issuer's entries from the workspace: every key
// that has a public form (oct secrets are left out, as in the public
// export), its public JWK written by the engine's one allow-list writer
// (keys.PublicJWK), its private key when it can sign, and its role from
// the workspace's rotation marks ("next" is Next, "retiring" Retiring), the
// signer being the picked kid or the first key that can sign and is neither.
// Every served key needs a kid. ErrNoSigningKey when nothing would sign.
func EntriesFrom(ws *keyset.Workspace, o FromWorkspace) ([]Entry, error) {
	var out []Entry
	for i, e := range ws.Entries() {
		if kty, _, _ := keys.Shape(e.Key); kty == keys.KtyOct {
			continue // a shared secret is never served
		}
		en, err := entryOf(e)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		out = append(out, en)
	}
	if err := assignRoles(out, o); err != nil {
		return nil, err
	}
	return out, nil
}

// SigningKids lists the kids of the workspace's keys that could sign
// tokens (see EntriesFrom), in order: what a signer can be picked from.
func SigningKids(ws *keyset.Workspace) []string {
	var kids []string
	for _, e := range ws.Entries() {
		kid, _ := e.Key.KeyID()
		if _, ok := signingAlg(e.Key); ok && kid != "" {
			kids = append(kids, kid)
		}
	}
	return kids
}

// entryOf is one workspace key as an Entry with its role from its mark.
func entryOf(e keyset.Entry) (Entry, error) {
	kid, _ := e.Key.KeyID()
	if kid == "" {
		return Entry{}, errors.New("it has no kid: every served key needs one, set it first")
	}
	pub, _, err := keys.PublicJWK(e.Key)
	if err != nil {
		return Entry{}, fmt.Errorf("kid %q: %w", kid, err)
	}
	en := Entry{Kid: kid, Public: pub}
	switch e.Note {
	case keyset.NoteNext:
		en.Role = Next
	case keyset.NoteRetiring:
		en.Role = Retiring
	}
	if alg, ok := signingAlg(e.Key); ok {
		en.Private, en.Alg = e.Key, alg
	}
	return en, nil
}

// signingAlg is the signature alg a private key signs with (its own alg, or
// the default for its shape), and whether it can sign at all: private,
// asymmetric, not meant for encryption.
func signingAlg(k jwk.Key) (string, bool) {
	if kty, _, _ := keys.Shape(k); kty == keys.KtyOct || !keys.IsPrivate(k) {
		return "", false
	}
	if use, ok := k.KeyUsage(); ok && use != keys.UseSig {
		return "", false
	}
	if alg := keys.AlgOf(k); alg != "" {
		return alg, keys.AlgUse(alg) == keys.UseSig
	}
	algs := keys.AlgsForKey(k, keys.UseSig)
	if len(algs) == 0 {
		return "", false
	}
	return algs[0], true
}

// assignRoles applies the kept roles, then picks the signer.
func assignRoles(out []Entry, o FromWorkspace) error {
	kept := make(map[string]Role, len(o.Keep))
	for _, k := range o.Keep {
		if k.Role != Published {
			kept[k.Kid] = k.Role
		}
	}
	for i := range out {
		if r, ok := kept[out[i].Kid]; ok {
			out[i].Role = r
		}
	}
	demoteNew(out, kept)
	if o.Signer != "" {
		return pickSigner(out, o.Signer)
	}
	if slices.ContainsFunc(out, func(e Entry) bool { return e.Role == Signer }) {
		return nil
	}
	for i := range out {
		if out[i].Role == Published && out[i].Private != nil {
			out[i].Role = Signer
			return nil
		}
	}
	return ErrNoSigningKey
}

// demoteNew keeps one next key: a key the workspace marks next is only
// published while the rehearsal has its own next key.
func demoteNew(out []Entry, kept map[string]Role) {
	hasNext := slices.ContainsFunc(out, func(e Entry) bool {
		_, old := kept[e.Kid]
		return old && e.Role == Next
	})
	if !hasNext {
		return
	}
	for i := range out {
		if _, old := kept[out[i].Kid]; !old && out[i].Role == Next {
			out[i].Role = Published
		}
	}
}

// pickSigner makes kid the signer, the previous one published.
func pickSigner(out []Entry, kid string) error {
	i := slices.IndexFunc(out, func(e Entry) bool { return e.Kid == kid })
	switch {
	case i < 0:
		return fmt.Errorf("no served key has kid %q", kid)
	case out[i].Private == nil:
		return fmt.Errorf("kid %q cannot sign: it has no private key for signing", kid)
	}
	for j := range out {
		if out[j].Role == Signer {
			out[j].Role = Published
		}
	}
	out[i].Role = Signer
	return nil
}
