package issuer

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
)

// state is everything one request reads, built whole and never changed
// after it is published (atomic.Pointer): a request loads it once and never
// sees half an update. Only stats counts on.
type state struct {
	gen       uint64
	issuer    string   // "" while not serving
	hosts     []string // Host header values accepted
	keys      []key
	signer    int // index in keys; -1: none
	claims    claimsTpl
	tokenType string

	jwks        []byte // the served JWKS, checked after marshalling
	jwksErr     error  // the check failed: serve nothing
	jwksETag    string
	cacheHeader []string // Cache-Control of the JWKS
	disc        []byte
	discETag    string

	stats *genStats
}

// genStats counts the JWKS fetches of one generation of the state.
type genStats struct {
	Generation
	fetches atomic.Int64
	first   atomic.Int64 // unix nanoseconds; 0: none yet
	last    atomic.Int64
}

// Generation is one version of what the issuer serves and signs with, and
// how often verifiers fetched its JWKS: a fetch in the generation a switch
// of signer began is a verifier that refreshed its keys.
type Generation struct {
	N      uint64
	Since  time.Time
	Action Action   // what began it
	Served []string // the kids in the JWKS, in order
	Signer string   // "" when no key signs
	// JWKSFetches counts the GET requests for the JWKS (304 included).
	JWKSFetches int64
	FirstFetch  time.Time
	LastFetch   time.Time
}

func (g *genStats) fetched(now time.Time) {
	g.fetches.Add(1)
	g.first.CompareAndSwap(0, now.UnixNano())
	g.last.Store(now.UnixNano())
}

func (g *genStats) snapshot() Generation {
	out := g.Generation
	out.Served = slices.Clone(g.Served)
	out.JWKSFetches = g.fetches.Load()
	if n := g.first.Load(); n != 0 {
		out.FirstFetch = time.Unix(0, n)
	}
	if n := g.last.Load(); n != 0 {
		out.LastFetch = time.Unix(0, n)
	}
	return out
}

// settings are what the caller sets besides the keys.
type settings struct {
	issuer    string
	hosts     []string // Host header values accepted
	claims    claimsTpl
	tokenType string
	maxAge    time.Duration
}

// resolveSigner returns the index of the key that signs, after checking
// that at most one key is marked signer and one next: a key marked
// Signer, or else the first published key that can sign (marked Signer in
// keys from then on), or -1.
func resolveSigner(keys []key) (int, error) {
	signer, next := -1, -1
	for i, k := range keys {
		switch k.role {
		case Signer:
			if signer >= 0 {
				return -1, fmt.Errorf("two keys are marked signer: kids %q and %q", keys[signer].kid, k.kid)
			}
			signer = i
		case Next:
			if next >= 0 {
				return -1, fmt.Errorf("two keys are marked next: kids %q and %q", keys[next].kid, k.kid)
			}
			next = i
		}
	}
	if signer >= 0 {
		return signer, nil
	}
	for i := range keys {
		if keys[i].role == Published && keys[i].canSign() {
			keys[i].role = Signer
			return i, nil
		}
	}
	return -1, nil
}

// newState builds the state that follows prev (nil for the first) for
// keys, which it owns from then on.
func newState(prev *state, keys []key, set settings, action Action, now time.Time) (*state, error) {
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if seen[k.kid] {
			return nil, fmt.Errorf("kid %q is on two keys: a verifier could not tell them apart", k.kid)
		}
		seen[k.kid] = true
	}
	signer, err := resolveSigner(keys)
	if err != nil {
		return nil, err
	}
	st := &state{
		issuer: set.issuer, hosts: set.hosts, keys: keys, signer: signer,
		claims: set.claims, tokenType: set.tokenType,
		cacheHeader: []string{"max-age=" + strconv.Itoa(int(max(set.maxAge, 0)/time.Second))},
	}
	if prev != nil {
		st.gen = prev.gen + 1
	} else {
		st.gen = 1
	}
	st.buildJWKS()
	st.buildDiscovery()
	g := &genStats{Generation: Generation{N: st.gen, Since: now, Action: action}}
	for _, k := range keys {
		if k.role.Served() {
			g.Served = append(g.Served, k.kid)
		}
	}
	if signer >= 0 {
		g.Signer = keys[signer].kid
	}
	st.stats = g
	return st, nil
}

// buildJWKS marshals the served keys once per state, then walks the bytes
// that will be served once more: a member private for any key type or an
// oct key, whatever let it through, leaves the JWKS unserved.
func (st *state) buildJWKS() {
	set := struct {
		Keys []json.RawMessage `json:"keys"`
	}{Keys: []json.RawMessage{}}
	for _, k := range st.keys {
		if k.role.Served() {
			set.Keys = append(set.Keys, k.public)
		}
	}
	b, err := json.Marshal(set)
	if err == nil {
		err = checkPublicSet(b)
	}
	if err != nil {
		st.jwksErr = err
		return
	}
	st.jwks, st.jwksETag = b, etag(b)
}

// checkPublicSet is the last check of a JWKS before it is served.
func checkPublicSet(b []byte) error {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(b, &set); err != nil {
		return errors.New("the JWKS is not JSON")
	}
	for i, k := range set.Keys {
		if _, err := checkPublicJSON(k); err != nil {
			return fmt.Errorf("key %d of the JWKS: %w", i, err)
		}
	}
	return nil
}

// discovery is the OpenID Provider Metadata (OpenID Connect Discovery 1.0
// §3) of a client-credentials-only issuer.
type discovery struct {
	Issuer        string `json:"issuer"`
	JWKSURI       string `json:"jwks_uri"`
	TokenEndpoint string `json:"token_endpoint"`
	// No authorization endpoint: no response type is supported.
	ResponseTypes []string `json:"response_types_supported"`
	GrantTypes    []string `json:"grant_types_supported"`
	SubjectTypes  []string `json:"subject_types_supported"`
	SigningAlgs   []string `json:"id_token_signing_alg_values_supported"`
	AuthMethods   []string `json:"token_endpoint_auth_methods_supported"`
	ClaimsSupport []string `json:"claims_supported"`
}

// AuthMethods are the token endpoint's client authentication methods: any
// client_id is accepted, in the body (none, client_secret_post) or in a
// Basic Authorization header (client_secret_basic); a client_secret is
// accepted and not checked.
var AuthMethods = []string{"none", "client_secret_post", "client_secret_basic"}

func (st *state) buildDiscovery() {
	if st.issuer == "" {
		return
	}
	d := discovery{
		Issuer:        st.issuer,
		JWKSURI:       st.issuer + JWKSPath,
		TokenEndpoint: st.issuer + TokenPath,
		ResponseTypes: []string{},
		GrantTypes:    []string{"client_credentials"},
		SubjectTypes:  []string{"public"},
		SigningAlgs:   st.signingAlgs(),
		AuthMethods:   AuthMethods,
		ClaimsSupport: st.claimNames(),
	}
	b, err := json.Marshal(d)
	if err != nil {
		return
	}
	st.disc, st.discETag = b, etag(b)
}

// signingAlgs are the signature algs of the served keys, the signer's
// first: what a verifier meets in tokens now and after a switch to a
// served key (id_token_signing_alg_values_supported).
func (st *state) signingAlgs() []string {
	algs := []string{}
	if st.signer >= 0 {
		algs = append(algs, st.keys[st.signer].alg)
	}
	for _, k := range st.keys {
		if !k.role.Served() || k.alg == "" || slices.Contains(algs, k.alg) {
			continue
		}
		if a, ok := jwa.LookupSignatureAlgorithm(k.alg); ok && !a.IsSymmetric() && a != jwa.NoSignature() {
			algs = append(algs, k.alg)
		}
	}
	return algs
}

func (st *state) claimNames() []string {
	names := []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope"}
	extra := make([]string, 0, len(st.claims.extra))
	for name := range st.claims.extra {
		extra = append(extra, name)
	}
	slices.Sort(extra)
	return append(names, extra...)
}

// etag is a strong validator of b (RFC 9110 §8.8.3).
func etag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
}

// statuses lists the keys of st for the caller.
func (st *state) statuses() []KeyStatus {
	out := make([]KeyStatus, len(st.keys))
	for i, k := range st.keys {
		out[i] = KeyStatus{Kid: k.kid, Alg: k.alg, Role: k.role, CanSign: k.canSign()}
	}
	return out
}
