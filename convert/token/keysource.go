package token

import (
	"sync"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// KeySource is what a token is verified against: a key set (the workspace, a
// pasted JWKS, a bundle of several keys), a single key the user chose, or an
// HMAC secret. Build it with NewKeySource, NewDirectKeySource, ReadKeySource
// or NewSecretSource, once per source: the first Inspect indexes the keys by
// kid (off the UI goroutine, where inspection runs), once for every copy of
// the source, so later lookups do not walk the set. A KeySource literal
// works too (a set, indexed on each Inspect).
//
// The kid rules (candidates by kid, ambiguity, keys without kid) are for
// sets. A single key given directly, and an HMAC secret, is the key: it is
// tried whatever kid the token names, as jose's jwtVerify(token, key),
// jsonwebtoken and jwt.io do, and a kid that differs is reported as a note.
type KeySource struct {
	Name           string // "JWKS workspace", "pasted keys", "HMAC secret"…: used in reasons
	Keys           []jwk.Key
	Secret         []byte // an HMAC secret; when set, Keys is ignored
	SecretEncoding string // how the user wrote it: text, base64url, hex (shown, never guessed)
	direct         bool   // Keys is one key the user chose (NewDirectKeySource)
	lazy           *lazyIndex
}

// lazyIndex is a KeySource's index, built on first use, once for every copy
// of the source.
type lazyIndex struct {
	once sync.Once
	idx  *keyIndex
}

type keyIndex struct {
	keys      []jwk.Key // Keys, or the secret as an oct key
	tps       []string  // RFC 7638 thumbprint of each key ("" when it has none)
	byKid     map[string][]int
	noKid     []int
	kids      []string // the distinct kids, in set order
	hasOct    bool
	hasPublic bool
	secret    bool
	direct    bool   // one key the user chose (or the secret): tried whatever the kid
	secretKey string // why the "secret" is really a key, when it is one
}

// NewKeySource makes a key source of a key set, indexed by kid (with each
// key's thumbprint computed once) by the first Inspect.
func NewKeySource(name string, keys []jwk.Key) KeySource {
	return KeySource{Name: name, Keys: keys, lazy: &lazyIndex{}}
}

// NewDirectKeySource makes a key source of one key the user chose (a PEM
// key, one JWK, a certificate): it is tried whatever kid the token names.
func NewDirectKeySource(name string, key jwk.Key) KeySource {
	return KeySource{Name: name, Keys: []jwk.Key{key}, direct: true, lazy: &lazyIndex{}}
}

// ReadKeySource reads pasted or opened keys (anything Parse reads) into a
// key source: a JWKS, or several different keys, is a set (named setName);
// one key, or one key in several forms (a private key and its certificate),
// is a key given directly (named keyName).
func ReadKeySource(data []byte, setName, keyName string) (KeySource, []string, error) {
	keys, notes, err := keys.ReadKeys(data)
	if err != nil {
		return NewKeySource(setName, nil), nil, err
	}
	if input.Classify(string(input.NormalizeText(input.FromUTF16(data)))) != input.KindJWKS && distinctKeys(keys) == 1 {
		return NewDirectKeySource(keyName, keys[0]), notes, nil
	}
	return NewKeySource(setName, keys), notes, nil
}

// distinctKeys counts the keys by RFC 7638 thumbprint (a key without one
// counts as its own).
func distinctKeys(keys []jwk.Key) int {
	seen := map[string]bool{}
	n := 0
	for _, k := range keys {
		id := identityOf(k)
		if id == "" || !seen[id] {
			n++
		}
		if id != "" {
			seen[id] = true
		}
	}
	return n
}

// identityOf tells keys apart within one inspection: the RFC 7638
// thumbprint, or for an oct secret the secret itself, kept in memory for the
// comparison only (a secret is never hashed for display: ThumbprintOf
// refuses it). "" when the key has neither.
func identityOf(k jwk.Key) string {
	if o, ok := k.(jwk.SymmetricKey); ok {
		secret, _ := o.Octets()
		return "oct:" + string(secret)
	}
	tp, err := keys.ThumbprintOf(k)
	if err != nil {
		return ""
	}
	return tp
}

// NewSecretSource makes a key source of an HMAC secret (see DecodeSecret).
func NewSecretSource(secret []byte, encoding string) KeySource {
	return KeySource{Name: "HMAC secret (" + encoding + ")", Secret: secret, SecretEncoding: encoding, lazy: &lazyIndex{}}
}

func (s KeySource) index() *keyIndex {
	if s.lazy == nil {
		return buildIndex(s)
	}
	s.lazy.once.Do(func() { s.lazy.idx = buildIndex(s) })
	return s.lazy.idx
}

func buildIndex(s KeySource) *keyIndex {
	idx := &keyIndex{byKid: map[string][]int{}, kids: []string{}}
	if s.Secret != nil {
		idx.secret, idx.direct = true, true
		idx.secretKey = secretKeyConfusion(s.Secret)
		if k, err := jwk.Import(s.Secret); err == nil {
			idx.keys = []jwk.Key{k}
			idx.tps = []string{"secret"}
			idx.noKid = []int{0}
			idx.hasOct = true
		}
		return idx
	}
	idx.keys = s.Keys
	idx.direct = s.direct && len(s.Keys) == 1
	idx.tps = make([]string, len(s.Keys))
	for i, k := range s.Keys {
		idx.tps[i] = identityOf(k) // the fast path: this runs for every key of a set the UI builds a source from
		if _, ok := k.(jwk.SymmetricKey); ok {
			idx.hasOct = true
		} else {
			idx.hasPublic = true
		}
		kid, ok := k.KeyID()
		if !ok {
			idx.noKid = append(idx.noKid, i)
			continue
		}
		if _, seen := idx.byKid[kid]; !seen {
			idx.kids = append(idx.kids, kid)
		}
		idx.byKid[kid] = append(idx.byKid[kid], i)
	}
	return idx
}
