package convert

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/jwkdesk/jwkdesk/convert/input"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
	"github.com/jwkdesk/jwkdesk/convert/internal/words"

	"github.com/lestrrat-go/jwx/v3/jwk"
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
			ps.Bad = append(ps.Bad, BadKey{Index: i, Kid: rawKid(raw), Err: err.Error(), Unsupported: unsupportedShape(raw)})
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

// rawKid digs the kid out of a key jwx could not read.
func rawKid(raw json.RawMessage) string {
	var m struct {
		Kid string `json:"kid"`
	}
	_ = json.Unmarshal(raw, &m)
	return m.Kid
}

// StripReport counts what the public export left out.
type StripReport struct {
	Published       int      `json:"published"`        // keys in the exported set
	PrivateStripped int      `json:"private_stripped"` // keys whose private members were removed
	OctDropped      int      `json:"oct_dropped"`      // oct secrets left out entirely
	DroppedKids     []string `json:"dropped_kids,omitempty"`
	// MembersDropped counts the other members left out (outside the public
	// allow-list: see PublicForm); MemberNames names them, sorted, once each.
	MembersDropped int      `json:"members_dropped"`
	MemberNames    []string `json:"member_names,omitempty"`
}

// count adds what one key's public form left out.
func (s *StripReport) count(d Dropped) {
	if len(d.Private) > 0 {
		s.PrivateStripped++
	}
	s.MembersDropped += len(d.Other)
	s.MemberNames = append(s.MemberNames, d.Other...)
}

// finish sorts the member names and keeps each once.
func (s *StripReport) finish() {
	slices.Sort(s.MemberNames)
	s.MemberNames = slices.Compact(s.MemberNames)
}

// maxNamesShown caps the member names a one-line report lists.
const maxNamesShown = 8

// String says it in one line for the screen.
func (s StripReport) String() string {
	parts := []string{words.Plural(s.Published, "key published", "keys published")}
	if s.PrivateStripped > 0 {
		parts = append(parts, "private members stripped from "+words.Plural(s.PrivateStripped, "key", "keys"))
	}
	if s.OctDropped > 0 {
		parts = append(parts, words.Plural(s.OctDropped, "oct secret", "oct secrets")+" left out")
	}
	if s.MembersDropped > 0 {
		parts = append(parts, fmt.Sprintf("%s outside the public allow-list dropped (%s)",
			words.Plural(s.MembersDropped, "member", "members"), quotedList(s.MemberNames, maxNamesShown)))
	}
	if s.PrivateStripped == 0 && s.OctDropped == 0 && s.MembersDropped == 0 {
		parts = append(parts, "nothing stripped")
	}
	return strings.Join(parts, "; ")
}

// quotedList quotes at most max names, then says how many more.
func quotedList(names []string, max int) string {
	var q []string
	for i, n := range names {
		if i == max {
			q = append(q, fmt.Sprintf("and %s more", words.Thousands(len(names)-max)))
			break
		}
		q = append(q, strconv.Quote(n))
	}
	return strings.Join(q, ", ")
}

// ExportPublicJWKS writes the set to publish: the public form of every key
// (PublicForm: the allow-list), in order, oct secrets left out, as pretty
// JSON with members sorted (stable from one run to the next). The report
// counts what was stripped and dropped.
func ExportPublicJWKS(keys []jwk.Key) (out []byte, rep StripReport, err error) {
	defer recovery.Into(&err, "exporting the public JWKS")
	raws := make([]json.RawMessage, 0, len(keys))
	for i, k := range keys {
		if _, isOct := k.(jwk.SymmetricKey); isOct {
			rep.OctDropped++
			kid, _ := k.KeyID()
			rep.DroppedKids = append(rep.DroppedKids, kid)
			continue
		}
		raw, d, err := publicJSON(k)
		if err != nil {
			return nil, rep, fmt.Errorf("key %d: %w", i+1, err)
		}
		rep.count(d)
		raws = append(raws, raw)
	}
	rep.Published = len(raws)
	rep.finish()
	out, err = marshalRaws(raws)
	return out, rep, err
}

// ExportPrivateJWKS writes every key as it is, private members and oct
// secrets included. Save it with mode 0600 and never publish it.
func ExportPrivateJWKS(keys []jwk.Key) (out []byte, err error) {
	defer recovery.Into(&err, "exporting the private JWKS")
	return marshalSet(keys)
}

func marshalSet(keys []jwk.Key) ([]byte, error) {
	raws := make([]json.RawMessage, len(keys))
	for i, k := range keys {
		b, err := json.Marshal(k)
		if err != nil {
			return nil, fmt.Errorf("key %d: failed to encode: %w", i+1, err)
		}
		raws[i] = b
	}
	return marshalRaws(raws)
}

// marshalRaws writes encoded keys as a pretty JWKS.
func marshalRaws(raws []json.RawMessage) ([]byte, error) {
	raw, err := json.Marshal(struct {
		Keys []json.RawMessage `json:"keys"`
	}{raws})
	if err != nil {
		return nil, fmt.Errorf("failed to encode the JWKS: %w", err)
	}
	return indent(raw)
}

// Comparison is a fetched set compared with the workspace, by kid (keys
// without a kid by thumbprint, named "thumbprint …").
type Comparison struct {
	OnlyHere  []string `json:"only_here"`  // in the workspace, not in the fetched set
	OnlyThere []string `json:"only_there"` // fetched, not in the workspace
	Differ    []string `json:"differ"`     // same kid, different key
	Same      []string `json:"same"`       // same kid, same key
}

// String says it in a few lines for the screen.
func (c Comparison) String() string {
	var b strings.Builder
	line := func(what string, kids []string) {
		if len(kids) == 0 {
			fmt.Fprintf(&b, "%s: none\n", what)
			return
		}
		fmt.Fprintf(&b, "%s (%d): %s\n", what, len(kids), strings.Join(kids, ", "))
	}
	line("Only in the workspace", c.OnlyHere)
	line("Only in the fetched set", c.OnlyThere)
	line("Same kid, different key", c.Differ)
	line("Same kid, same key", c.Same)
	return b.String()
}

// CompareKeys compares the workspace's keys (here) with a fetched set
// (there). Kids are compared exactly, never normalised.
func CompareKeys(here, there []jwk.Key) (c Comparison) {
	index := func(keys []jwk.Key) (map[string][]string, []string) {
		m := map[string][]string{}
		var order []string
		for _, k := range keys {
			id := compareID(k)
			if _, ok := m[id]; !ok {
				order = append(order, id)
			}
			m[id] = append(m[id], identity(k))
		}
		return m, order
	}
	h, hOrder := index(here)
	t, tOrder := index(there)
	for _, id := range hOrder {
		other, ok := t[id]
		switch {
		case !ok:
			c.OnlyHere = append(c.OnlyHere, id)
		case sameMembers(h[id], other):
			c.Same = append(c.Same, id)
		default:
			c.Differ = append(c.Differ, id)
		}
	}
	for _, id := range tOrder {
		if _, ok := h[id]; !ok {
			c.OnlyThere = append(c.OnlyThere, id)
		}
	}
	return c
}

func compareID(k jwk.Key) string {
	if kid, ok := k.KeyID(); ok && kid != "" {
		return kid
	}
	if _, isOct := k.(jwk.SymmetricKey); isOct {
		return "(oct secret without kid)" // never show anything derived from a secret
	}
	return "thumbprint " + identity(k)
}

// identity is a key's thumbprint; for an oct secret (never hashed for
// display) its position-free JSON, used only for equality.
func identity(k jwk.Key) string {
	if tp := thumbprintOrEmpty(k); tp != "" {
		return tp
	}
	b, _ := json.Marshal(k)
	return string(b)
}

func sameMembers(a, b []string) bool {
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	a, b = uniq(a), uniq(b)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func uniq(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
