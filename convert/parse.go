package convert

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// ParseKeys reads the keys in a pasted JWK, JWKS or PEM text.
func ParseKeys(input []byte) (keys []jwk.Key, err error) {
	defer recoverInto(&err, "reading keys")
	trimmed := bytes.TrimSpace(input)
	if len(trimmed) == 0 {
		return nil, errors.New("nothing to read: paste a JWK, a JWKS or a PEM key")
	}
	var set jwk.Set
	if trimmed[0] == '{' {
		set, err = jwk.Parse(trimmed)
	} else {
		set, err = jwk.Parse(trimmed, jwk.WithPEM(true))
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read keys: %w", err)
	}
	for i := range set.Len() {
		k, _ := set.Key(i)
		keys = append(keys, k)
	}
	return keys, nil
}
