package issuer

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// Role is what the issuer does with a key: serve it, sign with it, or
// neither.
type Role int

const (
	// Published keys are served; the first one that can sign is the signer
	// when no key is marked RoleSigner.
	Published Role = iota
	// Next is the key a rotation will switch to: served, not signing.
	Next
	// Signer signs the tokens (one at most) and is served.
	Signer
	// Retiring is the previous signer, still served so tokens it signed
	// keep verifying, no longer signing.
	Retiring
	// Retired keys are neither served nor used.
	Retired
)

var roleNames = [...]string{"published", "next", "signer", "retiring", "retired"}

func (r Role) String() string {
	if r < 0 || int(r) >= len(roleNames) {
		return fmt.Sprintf("role(%d)", int(r))
	}
	return roleNames[r]
}

// Served says whether keys of this role are in the served JWKS.
func (r Role) Served() bool { return r >= Published && r <= Retiring }

// Entry is one key the issuer holds, as the caller gives it.
type Entry struct {
	// Kid is the key's kid: the public JWK's "kid" member and the "kid"
	// header of the tokens it signs.
	Kid string
	// Public is the key's public JWK (JSON), served as given. It is checked
	// again here: no member private for any key type (d p q dp dq qi oth k
	// r t) at any depth, no oct key, a kid that is Kid.
	Public json.RawMessage
	// Private is the private key that signs (nil: the key is only served).
	Private jwk.Key
	// Alg is the signature algorithm the key signs with ("" takes the
	// public JWK's "alg").
	Alg string
	// Role is what the issuer does with the key.
	Role Role
}

// KeyStatus is one key as the issuer holds it now.
type KeyStatus struct {
	Kid     string
	Alg     string
	Role    Role
	CanSign bool
}

// key is a validated Entry: immutable once built.
type key struct {
	kid    string
	alg    string
	role   Role
	public json.RawMessage // compact JSON, checked
	signer crypto.Signer   // nil: served only
	sigAlg jwa.SignatureAlgorithm
}

func (k key) canSign() bool { return k.signer != nil }

// othMembers are the members of RSA's "oth" entries (RFC 7518 §6.3.2.7),
// private too: found at any depth, they are refused with the members the
// engine's allow-list writer never writes (keys.IsPrivateMember).
var othMembers = []string{"r", "t"}

// isPrivateMember says whether a member name is private for some key type.
func isPrivateMember(name string) bool {
	return keys.IsPrivateMember(name) || slices.Contains(othMembers, name)
}

// servedKty are the key types a published key set may hold: oct keys are
// shared secrets and are never served.
var servedKty = []string{"RSA", "EC", "OKP"}

// findPrivate walks a decoded JSON value and returns the path of the first
// member whose name is private for some key type ("" when there is none).
func findPrivate(v any, path string) string {
	switch v := v.(type) {
	case map[string]any:
		names := make([]string, 0, len(v))
		for name := range v {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			if isPrivateMember(name) {
				return path + "." + name
			}
			if p := findPrivate(v[name], path+"."+name); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range v {
			if p := findPrivate(e, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

// checkPublicJSON refuses JSON that must never be served: not one JSON
// object, a member private for any key type at any depth, a duplicate
// member, an oct key or a key type a key set for verifiers does not hold.
func checkPublicJSON(raw []byte) (map[string]any, error) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, errors.New("the public JWK is not a JSON object")
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("the public JWK has text after its JSON object")
	}
	if p := findPrivate(m, ""); p != "" {
		return nil, fmt.Errorf("the public JWK holds %q, a private member: it is never served", p[1:])
	}
	switch name, err := duplicateMember(raw); {
	case err != nil:
		return nil, fmt.Errorf("the public JWK %w", err)
	case name != "":
		return nil, fmt.Errorf("the public JWK has the member %q twice", name)
	}
	kty, _ := m["kty"].(string)
	switch {
	case kty == "oct":
		return nil, errors.New("an oct key is a shared secret: it is never served")
	case !slices.Contains(servedKty, kty):
		return nil, fmt.Errorf("the public JWK has kty %q: only RSA, EC and OKP keys are served", kty)
	}
	return m, nil
}

// maxNesting is how deeply nested JSON the issuer reads: a JWK or a claims
// template has no reason to nest deeper, and each level is read again by
// the level above (a deeper text would cost time to the square of its depth).
const maxNesting = 32

// errTooDeep: JSON nested deeper than maxNesting.
var errTooDeep = fmt.Errorf("nests objects or arrays deeper than %d levels", maxNesting)

// duplicateMember returns the name of the first member an object in raw
// (valid JSON) repeats at any depth, or "": jwx and encoding/json keep the
// last one, a verifier may keep the first. Each object is read by the
// engine's one member walker (input.Members). errTooDeep past maxNesting.
func duplicateMember(raw []byte) (string, error) { return duplicateAt(raw, 0) }

func duplicateAt(raw []byte, depth int) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || (raw[0] != '{' && raw[0] != '[') {
		return "", nil
	}
	if depth == maxNesting {
		return "", errTooDeep
	}
	var items []json.RawMessage
	if raw[0] == '{' {
		members, err := input.Members(raw, false)
		var dup *input.DuplicateMemberError
		if errors.As(err, &dup) {
			return dup.Name, nil
		}
		names := make([]string, 0, len(members))
		for name := range members {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			items = append(items, members[name])
		}
	} else {
		_ = json.Unmarshal(raw, &items)
	}
	for _, item := range items {
		if d, err := duplicateAt(item, depth+1); d != "" || err != nil {
			return d, err
		}
	}
	return "", nil
}

// validate checks e and builds its key: the public JWK must be safe to
// serve and name e.Kid; a private key must be the public key's pair, and its
// alg an asymmetric signature algorithm that fits it.
func validate(e Entry) (key, error) {
	k := key{kid: e.Kid, role: e.Role, alg: e.Alg}
	if e.Kid == "" {
		return k, errors.New("a key has no kid: every served key needs one")
	}
	if e.Role < Published || e.Role > Retired {
		return k, fmt.Errorf("kid %q: unknown role %d", e.Kid, int(e.Role))
	}
	m, err := checkPublicJSON(e.Public)
	if err != nil {
		return k, fmt.Errorf("kid %q: %w", e.Kid, err)
	}
	if kid, _ := m["kid"].(string); kid != e.Kid {
		return k, fmt.Errorf("kid %q: the public JWK's kid is %q", e.Kid, kid)
	}
	pub, err := jwk.ParseKey(e.Public)
	if err != nil {
		return k, fmt.Errorf("kid %q: the public JWK is not a valid %v key", e.Kid, m["kty"])
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, e.Public); err != nil {
		return k, fmt.Errorf("kid %q: the public JWK is not a JSON object", e.Kid)
	}
	k.public = compact.Bytes()
	if pubAlg, _ := m["alg"].(string); pubAlg != "" {
		if k.alg != "" && k.alg != pubAlg {
			return k, fmt.Errorf("kid %q: the key's alg is %s, not %s", e.Kid, pubAlg, k.alg)
		}
		k.alg = pubAlg
	}
	if e.Private == nil {
		if e.Role == Signer {
			return k, fmt.Errorf("kid %q: no private key, so it cannot sign", e.Kid)
		}
		return k, nil
	}
	if err := k.setSigner(e.Private, pub); err != nil {
		return k, fmt.Errorf("kid %q: %w", e.Kid, err)
	}
	return k, nil
}

// setSigner checks that priv signs with k.alg and is the pair of pub, and
// keeps its crypto.Signer.
func (k *key) setSigner(priv, pub jwk.Key) error {
	if k.alg == "" {
		return errors.New("no signature algorithm: set the key's alg")
	}
	alg, ok := jwa.LookupSignatureAlgorithm(k.alg)
	if !ok || alg.IsSymmetric() || alg == jwa.NoSignature() {
		return fmt.Errorf("%s is not an asymmetric signature algorithm", k.alg)
	}
	if err := keys.KeyAlgMisfit(pub, keys.UseSig, k.alg); err != nil {
		return err
	}
	if isPriv, err := jwk.IsPrivateKey(priv); err != nil || !isPriv {
		return errors.New("the signing key is not a private key")
	}
	signer, err := keys.SignerOf(priv)
	if err != nil {
		return errors.New("the private key cannot be used for signing")
	}
	if r, isRSA := signer.(*rsa.PrivateKey); isRSA && r.N.BitLen() < 2048 {
		return fmt.Errorf("an RSA key of %d bits never signs: RFC 7518 §3.3 asks for 2048 bits or more", r.N.BitLen())
	}
	// One signature made and checked with the served public key: the
	// private key is the public key's pair and the alg fits both.
	probe, err := jws.Sign([]byte("issuer key check"), jws.WithKey(alg, signer))
	if err != nil {
		return fmt.Errorf("%s does not fit this %s key", k.alg, pub.KeyType())
	}
	if _, err := jws.Verify(probe, jws.WithKey(alg, pub)); err != nil {
		return errors.New("the private key is not the pair of the public JWK")
	}
	k.signer, k.sigAlg = signer, alg
	return nil
}
