package input

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
)

// InputKind is what a piece of pasted or dropped text is, coarsely: enough
// to hand it to the reader that parses it in full.
type InputKind int

// The kinds Classify tells apart.
const (
	KindUnknown      InputKind = iota
	KindJWT                    // compact JWS: header.payload.signature
	KindJWE                    // compact JWE: five segments
	KindJWK                    // a JSON object with "kty"
	KindJWKS                   // a JSON object with "keys"
	KindPEM                    // one or more PEM blocks (keys, certificates)
	KindOpenSSH                // an OpenSSH public key line
	KindDER                    // base64 text of DER (a key or certificate without PEM armour)
	KindJWKSURL                // an https URL of a JWKS (…/jwks.json, …/certs, …/keys)
	KindDiscoveryURL           // an https URL of an OIDC discovery document or of an issuer
)

func (k InputKind) String() string {
	return [...]string{"unknown", "JWT", "JWE", "JWK", "JWKS", "PEM", "OpenSSH public key", "DER", "JWKS URL", "OpenID configuration URL"}[k]
}

var (
	b64urlSegment = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)
	base64Text    = regexp.MustCompile(`^[A-Za-z0-9+/=\s]+$`)
)

// Classify tells what text is, after the leniency a paste deserves (a
// "Bearer " prefix, quotes, surrounding space: UnwrapToken, as the token
// inspector does). Whitespace inside a token still classifies it as a
// token, whose inspection names the segment that holds it.
func Classify(text string) InputKind {
	s, _ := UnwrapToken(text)
	switch {
	case s == "":
		return KindUnknown
	case strings.HasPrefix(s, "{"):
		return classifyJSON([]byte(s))
	case strings.Contains(s, "-----BEGIN "):
		return KindPEM
	case strings.HasPrefix(s, "ssh-") || strings.HasPrefix(s, "ecdsa-sha2-"):
		return KindOpenSSH
	case strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://"):
		return classifyURL(s)
	}
	compact := strings.Join(strings.Fields(s), "")
	switch parts := strings.Split(compact, "."); len(parts) {
	case 3, 5:
		for _, p := range parts {
			if !b64urlSegment.MatchString(p) {
				return KindUnknown
			}
		}
		if parts[0] == "" {
			return KindUnknown
		}
		if len(parts) == 5 {
			return KindJWE
		}
		return KindJWT
	}
	if len(compact) >= 64 && base64Text.MatchString(s) {
		return KindDER
	}
	return KindUnknown
}

func classifyJSON(b []byte) InputKind {
	var m map[string]json.RawMessage
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&m); err != nil {
		return KindUnknown
	}
	if _, ok := m["keys"]; ok {
		return KindJWKS
	}
	if _, ok := m["kty"]; ok {
		return KindJWK
	}
	return KindUnknown
}

func classifyURL(s string) InputKind {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return KindUnknown
	}
	p := strings.TrimSuffix(u.Path, "/")
	switch {
	case strings.HasSuffix(p, "/.well-known/openid-configuration"):
		return KindDiscoveryURL
	case strings.HasSuffix(p, ".json") || strings.Contains(p, "jwks") || strings.HasSuffix(p, "/certs") || strings.HasSuffix(p, "/keys"):
		return KindJWKSURL
	}
	return KindDiscoveryURL // an issuer URL: discovery finds its keys
}
