package issuer

import (
	"fmt"
	"slices"
	"time"
)

// Action names a step of the timeline.
type Action string

// The steps of a timeline.
const (
	ActionKeys         Action = "keys"          // the keys were set (New, SetKeys)
	ActionStart        Action = "start"         // the server started serving
	ActionStop         Action = "stop"          // the server stopped
	ActionPublishNext  Action = "publish next"  // a key is served as the next signer
	ActionSwitchSigner Action = "switch signer" // the next key signs; the old one is retiring
	ActionRetire       Action = "retire"        // a key is no longer served
	ActionSettings     Action = "settings"      // the claims or the JWKS max-age changed
)

// Step is one entry of the timeline.
type Step struct {
	At     time.Time
	Action Action
	// Kids are the keys involved: for a switch, the new signer then the old.
	Kids []string
	// Generation is the state the step began (see Generations).
	Generation uint64
}

const (
	maxSteps       = 1000
	maxGenerations = 256
)

// validateAll checks every entry, naming the first that fails.
func validateAll(entries []Entry) ([]key, error) {
	keys := make([]key, 0, len(entries))
	for _, e := range entries {
		k, err := validate(e)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func kidsOf(keys []key) []string {
	kids := make([]string, len(keys))
	for i, k := range keys {
		kids[i] = k.kid
	}
	return kids
}

// publish builds the state that follows the current one from keys and
// s.set and makes it the one requests read. s.mu is held (or s is new).
func (s *Server) publish(keys []key, action Action, kids []string) error {
	now := time.Now()
	st, err := newState(s.state.Load(), keys, s.set, action, now)
	if err != nil {
		return err
	}
	s.state.Store(st)
	s.gens = append(s.gens, st.stats)
	if len(s.gens) > maxGenerations {
		s.gens = slices.Delete(s.gens, 0, len(s.gens)-maxGenerations)
	}
	s.appendStep(action, kids, st.gen)
	return nil
}

// republish publishes the current keys again with the current settings.
func (s *Server) republish(action Action, kids []string) error {
	return s.publish(slices.Clone(s.state.Load().keys), action, kids)
}

func (s *Server) appendStep(action Action, kids []string, gen uint64) {
	s.timeline = append(s.timeline, Step{At: time.Now(), Action: action, Kids: kids, Generation: gen})
	if len(s.timeline) > maxSteps {
		s.timeline = slices.Delete(s.timeline, 0, len(s.timeline)-maxSteps)
	}
}

// SetKeys replaces the keys (the workspace changed). Nothing changes when
// an entry is refused.
func (s *Server) SetKeys(entries []Entry) error {
	keys, err := validateAll(entries)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.publish(keys, ActionKeys, kidsOf(keys))
}

// SetClaims replaces the token template.
func (s *Server) SetClaims(c Claims) error {
	t, err := validateClaims(c)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.set.claims
	s.set.claims = t
	if err := s.republish(ActionSettings, nil); err != nil {
		s.set.claims = old
		return err
	}
	return nil
}

// SetJWKSMaxAge sets the JWKS's Cache-Control max-age (0: the default; a
// negative value: max-age=0).
func (s *Server) SetJWKSMaxAge(d time.Duration) error {
	if d == 0 {
		d = DefaultJWKSMaxAge
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.set.maxAge
	s.set.maxAge = d
	if err := s.republish(ActionSettings, nil); err != nil {
		s.set.maxAge = old
		return err
	}
	return nil
}

// find returns the index of kid in keys.
func find(keys []key, kid string) (int, error) {
	i := slices.IndexFunc(keys, func(k key) bool { return k.kid == kid })
	if i < 0 {
		return -1, fmt.Errorf("no key has kid %q", kid)
	}
	return i, nil
}

// change runs edit on a copy of the keys and publishes the result as
// action; edit returns the kids involved, or nil kids and nil error when
// there is nothing to do.
func (s *Server) change(action Action, edit func(keys []key) ([]string, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := slices.Clone(s.state.Load().keys)
	kids, err := edit(keys)
	if err != nil || kids == nil {
		return err
	}
	return s.publish(keys, action, kids)
}

// PublishNext serves kid as the next signer, not signing yet: verifiers
// that fetch the JWKS from now on know it before it signs.
func (s *Server) PublishNext(kid string) error {
	return s.change(ActionPublishNext, func(keys []key) ([]string, error) {
		i, err := find(keys, kid)
		if err != nil {
			return nil, err
		}
		switch {
		case keys[i].role == Next:
			return nil, nil
		case keys[i].role == Signer:
			return nil, fmt.Errorf("kid %q is the signer: it cannot also be the next key", kid)
		case !keys[i].canSign():
			return nil, fmt.Errorf("kid %q has no private key: it could never sign", kid)
		}
		if j := slices.IndexFunc(keys, func(k key) bool { return k.role == Next }); j >= 0 {
			return nil, fmt.Errorf("kid %q is already the next key: switch to it or retire it first", keys[j].kid)
		}
		keys[i].role = Next
		return []string{kid}, nil
	})
}

// SwitchSigner makes kid the signer ("" means the next key); the old
// signer becomes retiring, still served so the tokens it signed keep
// verifying. kid must be served already: a verifier cannot know a key it
// was never shown.
func (s *Server) SwitchSigner(kid string) error {
	return s.change(ActionSwitchSigner, func(keys []key) ([]string, error) {
		i := slices.IndexFunc(keys, func(k key) bool { return k.role == Next })
		if kid != "" {
			var err error
			if i, err = find(keys, kid); err != nil {
				return nil, err
			}
		} else if i < 0 {
			return nil, fmt.Errorf("no key is marked next: publish the next key first")
		}
		switch {
		case keys[i].role == Signer:
			return nil, nil
		case !keys[i].role.Served():
			return nil, fmt.Errorf("kid %q is not served: publish it as the next key first, or verifiers will not find it", keys[i].kid)
		case !keys[i].canSign():
			return nil, fmt.Errorf("kid %q has no private key: it cannot sign", keys[i].kid)
		}
		kids := []string{keys[i].kid}
		if j := slices.IndexFunc(keys, func(k key) bool { return k.role == Signer }); j >= 0 {
			keys[j].role = Retiring
			kids = append(kids, keys[j].kid)
		}
		keys[i].role = Signer
		return kids, nil
	})
}

// Retire stops serving kid. The signer cannot be retired: switch first.
func (s *Server) Retire(kid string) error {
	return s.change(ActionRetire, func(keys []key) ([]string, error) {
		i, err := find(keys, kid)
		if err != nil {
			return nil, err
		}
		switch keys[i].role {
		case Retired:
			return nil, nil
		case Signer:
			return nil, fmt.Errorf("kid %q is the signer: switch the signer to another key before retiring it", kid)
		}
		keys[i].role = Retired
		return []string{kid}, nil
	})
}

// Keys lists the keys as the issuer holds them now, in order, with their
// roles (the signer resolved).
func (s *Server) Keys() []KeyStatus { return s.state.Load().statuses() }

// Signer is the kid of the key that signs now ("" when none does).
func (s *Server) Signer() string {
	st := s.state.Load()
	if st.signer < 0 {
		return ""
	}
	return st.keys[st.signer].kid
}

// JWKS is the key set served now (nil when it failed its last check).
func (s *Server) JWKS() []byte { return slices.Clone(s.state.Load().jwks) }

// Timeline lists the steps so far, oldest first (the last 1000).
func (s *Server) Timeline() []Step {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Step, len(s.timeline))
	for i, st := range s.timeline {
		st.Kids = slices.Clone(st.Kids)
		out[i] = st
	}
	return out
}

// Generations lists the states served so far, oldest first (the last 256),
// with their JWKS fetch counts.
func (s *Server) Generations() []Generation {
	s.mu.Lock()
	gens := slices.Clone(s.gens)
	s.mu.Unlock()
	out := make([]Generation, len(gens))
	for i, g := range gens {
		out[i] = g.snapshot()
	}
	return out
}

// JWKSFetchesSince counts the JWKS fetches in generation gen and the ones
// after it, with the time of the first: after a switch of signer (its
// Step.Generation), a fetch is a verifier that refreshed its keys.
func (s *Server) JWKSFetchesSince(gen uint64) (n int64, first time.Time) {
	for _, g := range s.Generations() {
		if g.N < gen || g.JWKSFetches == 0 {
			continue
		}
		n += g.JWKSFetches
		if first.IsZero() || g.FirstFetch.Before(first) {
			first = g.FirstFetch
		}
	}
	return n, first
}
