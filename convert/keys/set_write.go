package keys

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
	"github.com/jwkdesk/jwkdesk/convert/words"
)

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

// MaxNamesShown caps the member names a one-line report lists.
const MaxNamesShown = 8

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
			words.Plural(s.MembersDropped, "member", "members"), quotedList(s.MemberNames, MaxNamesShown)))
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

// MarshalPublicJWKS writes the public forms of keys as a pretty JWKS
// ({"keys": [...]}) in the order given. oct keys are refused.
func MarshalPublicJWKS(keys ...jwk.Key) ([]byte, error) {
	out, _, err := publicJWKS(keys, false)
	return out, err
}

// ExportPublicJWKS writes the set to publish: the public form of every key
// (PublicForm: the allow-list), in order, oct secrets left out, as pretty
// JSON with members sorted (stable from one run to the next). The report
// counts what was stripped and dropped.
func ExportPublicJWKS(keys []jwk.Key) ([]byte, StripReport, error) {
	return publicJWKS(keys, true)
}

// publicJWKS is the one writer of a public JWKS: each key's public form
// (publicJSON), in order, and a report of what was left out. dropOct says
// what becomes of an oct secret: left out and counted (the set to publish),
// or refused (keys the user asked to see as a set).
func publicJWKS(keys []jwk.Key, dropOct bool) (out []byte, rep StripReport, err error) {
	defer recovery.Into(&err, "writing the public JWKS")
	raws := make([]json.RawMessage, 0, len(keys))
	for i, k := range keys {
		if _, isOct := k.(jwk.SymmetricKey); isOct && dropOct {
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
