package token

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// SignAlg is the algorithm Sign uses for a key: its own alg, or the first
// that fits its type.
func SignAlg(key jwk.Key) (string, error) {
	kty := key.KeyType().String()
	crv, _ := keys.CurveOf(key)
	size := 0
	if k, ok := key.(jwk.SymmetricKey); ok {
		o, _ := k.Octets()
		size = len(o) * 8
	}
	fits := keys.AlgsFor(kty, crv, keys.UseSig, 0)
	if own, ok := key.Algorithm(); ok {
		if !slices.Contains(fits, own.String()) {
			return "", fmt.Errorf("the key's own alg %s is not a signature algorithm for %s: choose a signing key", own, kty)
		}
		return own.String(), nil
	}
	if kty == keys.KtyOct {
		fits = keys.AlgsFor(kty, "", keys.UseSig, size)
		if len(fits) == 0 {
			fits = []string{"HS256"}
		}
	}
	if len(fits) == 0 {
		return "", fmt.Errorf("this %s key cannot sign: choose an RSA, EC, Ed25519 or oct key", strings.TrimSpace(kty+" "+crv))
	}
	return fits[0], nil
}

// Sign makes a new compact JWT of claimsJSON (a JSON object; empty means {})
// with a private key, under the key's alg and with typ JWT. kid is the header
// kid: "" leaves it out. The key itself is never changed (jws.Sign would
// write the key's own kid over the header's, so a clone carries the chosen
// one).
func Sign(key jwk.Key, claimsJSON []byte, kid string) (token string, err error) {
	defer recovery.Into(&err, "signing a token")
	alg, err := signingAlg(key)
	if err != nil {
		return "", err
	}
	payload, err := compactClaims(claimsJSON)
	if err != nil {
		return "", err
	}
	signer, err := key.Clone()
	if err != nil {
		return "", fmt.Errorf("failed to copy the key: %w", err)
	}
	if kid == "" {
		_ = signer.Remove(jwk.KeyIDKey)
	} else if err := signer.Set(jwk.KeyIDKey, kid); err != nil {
		return "", fmt.Errorf("failed to set the kid: %w", err)
	}
	hdr := jws.NewHeaders()
	if err := hdr.Set(jws.TypeKey, "JWT"); err != nil {
		return "", fmt.Errorf("failed to set typ: %w", err)
	}
	out, err := jws.Sign(payload, jws.WithKey(alg, signer, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		return "", fmt.Errorf("failed to sign: %w", err)
	}
	return string(out), nil
}

// signingAlg is the alg Sign uses with key (SignAlg), once the key is known
// to be private and fit to sign (the verifier's trust rules).
func signingAlg(key jwk.Key) (jwa.SignatureAlgorithm, error) {
	if key == nil {
		return jwa.EmptySignatureAlgorithm(), errors.New("no key: choose a private key to sign with")
	}
	if !keys.IsPrivate(key) {
		return jwa.EmptySignatureAlgorithm(), errors.New("this is a public key: signing needs the private key (or an oct secret)")
	}
	algName, err := SignAlg(key)
	if err != nil {
		return jwa.EmptySignatureAlgorithm(), err
	}
	alg, ok := jwa.LookupSignatureAlgorithm(algName)
	if !ok {
		return jwa.EmptySignatureAlgorithm(), fmt.Errorf("alg %s is not supported for signing", algName)
	}
	if p := trustProblem(key, alg); p != "" {
		return jwa.EmptySignatureAlgorithm(), errors.New("this key is not fit to sign: " + p)
	}
	return alg, nil
}

// compactClaims is the claims as compact JSON (empty means {}), refused
// when they are not a JSON object.
func compactClaims(claimsJSON []byte) ([]byte, error) {
	payload := bytes.TrimSpace(claimsJSON)
	if len(payload) == 0 {
		payload = []byte("{}")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(payload, &obj); err != nil || !bytes.HasPrefix(payload, []byte("{")) {
		msg := "it is not a JSON object"
		if err != nil {
			msg = err.Error()
		}
		return nil, fmt.Errorf(`the claims must be a JSON object such as {"sub":"alice"}: %s`, msg)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, payload); err != nil {
		return nil, fmt.Errorf("the claims are not valid JSON: %w", err)
	}
	return compact.Bytes(), nil
}
