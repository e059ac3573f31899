package keys

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
)

// BadKey is a key of a set that could not be read; the others still are.
type BadKey struct {
	Index int    `json:"index"` // position in the set, from 0
	Kid   string `json:"kid,omitempty"`
	Err   string `json:"error"`
	// Unsupported marks a key of a type or curve JWK Desk does not know
	// (RFC 7517 §5: a set's reader skips such keys and uses the rest), as
	// against a key that is damaged or refused.
	Unsupported bool `json:"unsupported,omitempty"`
}

// String names the bad key and why: `key 3 (kid "x"): failed to …`.
func (b BadKey) String() string {
	who := fmt.Sprintf("key %d", b.Index+1)
	if b.Kid != "" {
		who += fmt.Sprintf(" (kid %q)", b.Kid)
	}
	if b.Unsupported {
		return who + ": " + b.Err + "; skipped as RFC 7517 §5 asks, the other keys are used"
	}
	return who + ": " + b.Err
}

// ParsedSet is what ParseKeySet read: the good keys in order and the bad
// ones named.
type ParsedSet struct {
	Keys  []jwk.Key
	Bad   []BadKey
	Notes [][]string // per key of Keys: what the JWK reader wrote canonically (ParseJWKWithNotes)
}

// Damaged is the bad keys that are not merely of an unsupported type or
// curve (see BadKey.Unsupported).
func (ps ParsedSet) Damaged() []BadKey {
	var out []BadKey
	for _, b := range ps.Bad {
		if !b.Unsupported {
			out = append(out, b)
		}
	}
	return out
}

// ParseKeySet reads a JWKS key by key, so one bad key among good ones is
// named and the good ones still import (jwx's own set parser fails the whole
// set, or with WithIgnoreParseError drops keys silently; its non-strict mode
// keeps a placeholder for any failure, which neither tells an unknown kty
// from a damaged key nor runs ParseJWK's checks). A key of a type or curve
// JWK Desk does not know is marked Unsupported (RFC 7517 §5). A single JWK
// or PEM text goes through ParseKeys. At most MaxSetKeys keys.
func ParseKeySet(data []byte) (ps ParsedSet, err error) {
	defer recovery.Into(&err, "reading a key set")
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		ps.Keys, err = ParseKeys(trimmed)
		return ps, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &top); err != nil {
		return ps, &input.NotJSONError{Problem: err.Error()}
	}
	rawKeys, isSet := top["keys"]
	if _, isKey := top["kty"]; !isSet && !isKey {
		return ps, errors.New(`this JSON is neither a JWK (it has no "kty") nor a JWKS (it has no "keys")`)
	}
	if !isSet {
		k, notes, err := ParseJWKWithNotes(trimmed)
		if err != nil {
			return ps, err
		}
		ps.Keys, ps.Notes = []jwk.Key{k}, [][]string{notes}
		return ps, nil
	}
	var members []json.RawMessage
	if err := json.Unmarshal(rawKeys, &members); err != nil || members == nil {
		return ps, errors.New(`"keys" is not an array: a JWKS is {"keys": [ … ]}`)
	}
	if len(members) > input.MaxSetKeys {
		return ps, fmt.Errorf("the set has %d keys, over the limit of %d", len(members), input.MaxSetKeys)
	}
	for i, raw := range members {
		k, notes, err := ParseJWKWithNotes(raw)
		if err != nil {
			ps.Bad = append(ps.Bad, BadKey{Index: i, Kid: RawKid(raw), Err: err.Error(), Unsupported: unsupportedShape(raw)})
			continue
		}
		ps.Keys, ps.Notes = append(ps.Keys, k), append(ps.Notes, notes)
	}
	return ps, nil
}

// unsupportedShape reports whether a JWK names a key type, or a curve of a
// known type, that JWK Desk does not read (an "AKP" post-quantum key, an
// Ed448 or P-192 key): RFC 7517 §5's "kty values that are not understood".
// A missing kty or a damaged member is not unsupported: it is damage.
func unsupportedShape(raw json.RawMessage) bool {
	var m struct {
		Kty *string `json:"kty"`
		Crv *string `json:"crv"`
	}
	if json.Unmarshal(raw, &m) != nil || m.Kty == nil || *m.Kty == "" {
		return false
	}
	switch *m.Kty {
	case KtyRSA, KtyOct:
		return false
	case KtyEC:
		return m.Crv != nil && curveBytes(*m.Crv) == 0
	case KtyOKP:
		return m.Crv != nil && *m.Crv != CrvEd25519 && *m.Crv != CrvX25519
	}
	return true
}

// ReadKeys reads the keys of a pasted or opened JWK, JWKS, PEM, DER or
// OpenSSH text as ParseKeys does (the same reader, the same messages), and
// also returns what the reader said on the way: a key of a set skipped
// (named; RFC 7517 §5 for an unknown type), text ignored. For a verifier's
// key source, where the rest of the set is used.
func ReadKeys(data []byte) (keys []jwk.Key, notes []string, err error) {
	r, err := Parse(data, ParseOptions{})
	if err != nil {
		return nil, nil, err
	}
	if keys = r.Keys(); len(keys) == 0 {
		_, err := ParseKeys(data) // its message for an input without a key
		if err == nil {
			err = errors.New("no key here")
		}
		return nil, nil, err
	}
	return keys, r.Warnings, nil
}

// RawKid digs the kid out of a key jwx could not read.
func RawKid(raw json.RawMessage) string {
	var m struct {
		Kid string `json:"kid"`
	}
	_ = json.Unmarshal(raw, &m)
	return m.Kid
}
