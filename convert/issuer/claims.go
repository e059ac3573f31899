package issuer

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lestrrat-go/jwx/v3/jws"
)

// Claims is the template of the tokens the token endpoint issues. "iss" is
// always the issuer's URL; "iat" and "nbf" are the time of issue, "exp" that
// time plus Lifetime, and "jti" a fresh random value.
type Claims struct {
	// Subject is "sub"; "" puts the client_id there, as RFC 9068 §2.2 says
	// for a client credentials grant.
	Subject string
	// Audience is "aud"; empty puts the client_id there (a verifier that
	// checks aud against its client_id, as an OIDC one does, accepts it).
	Audience []string
	// Scope is "scope" when the request asks for none; a request's own
	// scope is granted as asked.
	Scope string
	// Lifetime is exp - iat: 0 means one hour; at most MaxLifetime.
	Lifetime time.Duration
	// Extra is a JSON object of further claims merged in. It may not name a
	// claim the issuer sets (iss, iat, nbf, exp, jti) or one that has its
	// own field here (sub, aud, scope, client_id).
	Extra json.RawMessage
}

const (
	// DefaultLifetime is a token's lifetime when the template sets none.
	DefaultLifetime = time.Hour
	// MaxLifetime is the longest lifetime a template may ask for.
	MaxLifetime = 366 * 24 * time.Hour
	// maxExtra caps the extra claims' JSON.
	maxExtra = 16 << 10
)

// reservedClaims are set by the issuer or by a field of Claims, with what to
// do instead.
var reservedClaims = map[string]string{
	"iss":       "the issuer sets it to its URL",
	"iat":       "the issuer sets it to the time of issue",
	"nbf":       "the issuer sets it to the time of issue",
	"exp":       "the issuer sets it from the lifetime",
	"jti":       "the issuer makes a new one for each token",
	"sub":       "set the subject instead",
	"aud":       "set the audience instead",
	"scope":     "set the scope instead",
	"client_id": "the issuer sets it to the requesting client_id",
}

// claimsTpl is a validated Claims: immutable once built.
type claimsTpl struct {
	sub      string
	aud      []string
	scope    string
	lifetime time.Duration
	extra    map[string]json.RawMessage
}

// validateClaims checks c and returns its immutable form.
func validateClaims(c Claims) (claimsTpl, error) {
	t := claimsTpl{sub: c.Subject, aud: slices.Clone(c.Audience), scope: c.Scope, lifetime: c.Lifetime}
	switch {
	case c.Lifetime == 0:
		t.lifetime = DefaultLifetime
	case c.Lifetime < time.Second:
		return t, fmt.Errorf("the token lifetime %v is under one second", c.Lifetime)
	case c.Lifetime > MaxLifetime:
		return t, fmt.Errorf("the token lifetime %v is over %v", c.Lifetime, MaxLifetime)
	}
	if slices.Contains(t.aud, "") {
		return t, errors.New("the audience has an empty value")
	}
	if c.Scope != "" && !validScope(c.Scope) {
		return t, fmt.Errorf("the scope %q is not space-separated scope tokens (RFC 6749 §3.3)", c.Scope)
	}
	var err error
	t.extra, err = checkExtra(c.Extra)
	return t, err
}

// checkExtra reads the extra claims: one JSON object, capped, no member
// twice, none the issuer or a field of Claims sets (nil: none given).
func checkExtra(raw json.RawMessage) (map[string]json.RawMessage, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil
	}
	if len(raw) > maxExtra {
		return nil, fmt.Errorf("the extra claims are %d bytes, over the %d accepted", len(raw), maxExtra)
	}
	var extra map[string]json.RawMessage
	if err := json.Unmarshal(raw, &extra); err != nil || extra == nil {
		return nil, errors.New("the extra claims are not a JSON object")
	}
	switch name, err := duplicateMember(raw); {
	case err != nil:
		return nil, fmt.Errorf("the extra claims %w: flatten them", err)
	case name != "":
		return nil, fmt.Errorf("the extra claims have the member %q twice", name)
	}
	names := make([]string, 0, len(extra))
	for name := range extra {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if why, ok := reservedClaims[name]; ok {
			return nil, fmt.Errorf("the extra claims may not set %q: %s", name, why)
		}
	}
	return extra, nil
}

// validScope says whether s is scope tokens separated by single spaces
// (RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )).
func validScope(s string) bool {
	if s == "" {
		return false
	}
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E):
			prevSpace = false
		default:
			return false
		}
	}
	return !prevSpace
}

// issued is a token the issuer made.
type issued struct {
	token string
	kid   string
	scope string
	ttl   time.Duration
}

// errNoSigner: no served key can sign.
var errNoSigner = errors.New("the issuer has no signing key: no served key with a private key is the signer")

// mint signs a token for clientID with the state's signer. scope is the
// scope the request asked for ("" takes the template's).
func (st *state) mint(now time.Time, clientID, scope string) (issued, error) {
	if st.signer < 0 {
		return issued{}, errNoSigner
	}
	k := st.keys[st.signer]
	t := st.claims
	if scope == "" {
		scope = t.scope
	}
	claims := make(map[string]any, len(t.extra)+10)
	for name, v := range t.extra {
		claims[name] = v
	}
	claims["iss"] = st.issuer
	claims["sub"] = clientID
	if t.sub != "" {
		claims["sub"] = t.sub
	}
	switch len(t.aud) {
	case 0:
		claims["aud"] = clientID
	case 1:
		claims["aud"] = t.aud[0]
	default:
		claims["aud"] = t.aud
	}
	claims["client_id"] = clientID
	if scope != "" {
		claims["scope"] = scope
	}
	claims["iat"] = now.Unix()
	claims["nbf"] = now.Unix()
	claims["exp"] = now.Add(t.lifetime).Unix()
	claims["jti"] = rand.Text()
	payload, err := json.Marshal(claims)
	if err != nil {
		return issued{}, fmt.Errorf("failed to encode the claims: %w", err)
	}
	hdr := jws.NewHeaders()
	if err := hdr.Set(jws.KeyIDKey, k.kid); err != nil {
		return issued{}, fmt.Errorf("failed to set the kid header: %w", err)
	}
	if err := hdr.Set(jws.TypeKey, st.tokenType); err != nil {
		return issued{}, fmt.Errorf("failed to set the typ header: %w", err)
	}
	tok, err := jws.Sign(payload, jws.WithKey(k.sigAlg, k.signer, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		return issued{}, fmt.Errorf("failed to sign the token with kid %q", k.kid)
	}
	return issued{token: string(tok), kid: k.kid, scope: scope, ttl: t.lifetime}, nil
}
