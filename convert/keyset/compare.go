package keyset

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

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
// (there). Kids are compared exactly, never normalised. A key without a kid
// on one side is matched by thumbprint with a key on the other side: an
// imported kid-less key got its thumbprint as kid (ThumbprintKids), and is
// the same key, not one "only here" and one "only there".
func CompareKeys(here, there []jwk.Key) (c Comparison) {
	hereKids, thereKids := kidsByIdentity(here), kidsByIdentity(there)
	index := func(keys []jwk.Key, otherKids map[string]string) (map[string][]string, []string) {
		m := map[string][]string{}
		var order []string
		for _, k := range keys {
			id := compareID(k)
			if kid, ok := otherKids[identity(k)]; ok && !hasKid(k) {
				id = kid
			}
			if _, ok := m[id]; !ok {
				order = append(order, id)
			}
			m[id] = append(m[id], identity(k))
		}
		return m, order
	}
	h, hOrder := index(here, thereKids)
	t, tOrder := index(there, hereKids)
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

// kidsByIdentity maps the identity of each key that has a kid to its kid.
func kidsByIdentity(keys []jwk.Key) map[string]string {
	m := map[string]string{}
	for _, k := range keys {
		if kid, ok := k.KeyID(); ok && kid != "" {
			m[identity(k)] = kid
		}
	}
	return m
}

func hasKid(k jwk.Key) bool {
	kid, ok := k.KeyID()
	return ok && kid != ""
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
