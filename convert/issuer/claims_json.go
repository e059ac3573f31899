package issuer

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/input"
)

// ClaimsFromJSON reads a claims template written as one JSON object, as
// `jwkdesk serve --claims` takes it: "sub" and "scope" (strings) and "aud"
// (a string or an array of strings) fill the template's fields, every
// other member is an extra claim. lifetime is the tokens' lifetime. The
// template is checked as New checks it.
func ClaimsFromJSON(raw []byte, lifetime time.Duration) (Claims, error) {
	c := Claims{Lifetime: lifetime}
	members, err := input.Members(raw, false)
	var notJSON *input.NotJSONError
	var dup *input.DuplicateMemberError
	switch {
	case errors.As(err, &notJSON):
		return c, fmt.Errorf("the claims are not JSON: %s", notJSON.Problem)
	case errors.As(err, &dup):
		return c, fmt.Errorf("the claims have the member %q twice", dup.Name)
	case err != nil:
		return c, errors.New(`the claims are not a JSON object: write them as {"sub": "…", "aud": "…", …}`)
	}
	if v, ok := members["sub"]; ok {
		if err := json.Unmarshal(v, &c.Subject); err != nil {
			return c, errors.New(`the claim "sub" is not a string`)
		}
		delete(members, "sub")
	}
	if v, ok := members["scope"]; ok {
		if err := json.Unmarshal(v, &c.Scope); err != nil {
			return c, errors.New(`the claim "scope" is not a string of space-separated scopes`)
		}
		delete(members, "scope")
	}
	if v, ok := members["aud"]; ok {
		if c.Audience, err = audience(v); err != nil {
			return c, err
		}
		delete(members, "aud")
	}
	if len(members) > 0 {
		if c.Extra, err = json.Marshal(members); err != nil {
			return c, fmt.Errorf("failed to encode the extra claims: %w", err)
		}
	}
	if _, err := validateClaims(c); err != nil {
		return c, err
	}
	return c, nil
}

// audience reads "aud": one string or an array of strings (RFC 7519
// §4.1.3).
func audience(v json.RawMessage) ([]string, error) {
	var one string
	if err := json.Unmarshal(v, &one); err == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(v, &many); err != nil {
		return nil, errors.New(`the claim "aud" is neither a string nor an array of strings (RFC 7519 §4.1.3)`)
	}
	return many, nil
}

// Check says what New and SetClaims would refuse in c (nil: nothing), for a
// form to show next to its fields before anything starts.
func (c Claims) Check() error {
	_, err := validateClaims(c)
	return err
}
