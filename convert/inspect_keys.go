package convert

import (
	"crypto/rsa"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/titanous/rocacheck"
)

// KeySource is what a token is verified against: a key set (the workspace, a
// pasted JWK/JWKS/PEM) or an HMAC secret. Build it with NewKeySource or
// NewSecretSource, once per set: the first Inspect indexes the keys by kid
// (off the UI goroutine, where inspection runs), once for every copy of the
// source, so later lookups do not walk the set. A KeySource literal works
// too (indexed on each Inspect).
type KeySource struct {
	Name           string // "JWKS workspace", "pasted keys", "HMAC secret"…: used in reasons
	Keys           []jwk.Key
	Secret         []byte // an HMAC secret; when set, Keys is ignored
	SecretEncoding string // how the user wrote it: text, base64url, hex (shown, never guessed)
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
}

// NewKeySource makes a key source of a key set, indexed by kid (with each
// key's thumbprint computed once) by the first Inspect.
func NewKeySource(name string, keys []jwk.Key) KeySource {
	return KeySource{Name: name, Keys: keys, lazy: &lazyIndex{}}
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
		idx.secret = true
		if k, err := jwk.Import(s.Secret); err == nil {
			idx.keys = []jwk.Key{k}
			idx.tps = []string{"secret"}
			idx.noKid = []int{0}
			idx.hasOct = true
		}
		return idx
	}
	idx.keys = s.Keys
	idx.tps = make([]string, len(s.Keys))
	for i, k := range s.Keys {
		if tp, err := ThumbprintOf(k); err == nil {
			idx.tps[i] = tp // the fast path: this runs for every key of a set the UI builds a source from
		}
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

// verify picks the candidates (DESIGN.md's rules) and checks the signature
// with each one that may be trusted.
func (r *Report) verify(tok string, alg jwa.SignatureAlgorithm, src KeySource) {
	idx := src.index()
	switch {
	case len(idx.keys) == 0 && idx.secret:
		r.notVerified("the HMAC secret is empty: type or paste the secret")
		return
	case len(idx.keys) == 0:
		r.notVerified("no keys to verify with: add keys to the " + src.Name + ", paste a JWK, JWKS or PEM key, or choose an HMAC secret")
		return
	case idx.hasOct && idx.hasPublic:
		r.notVerified("the key set mixes secret (oct) keys with public keys: refused (a published set never holds secrets, and mixing them is how key-confusion attacks start); use the HMAC secret source for HS* tokens")
		return
	case idx.secret && looksLikeKeyText(src.Secret):
		r.notVerified("the HMAC secret is the text of a PEM or JWK key: refused (using a public key's text as an HMAC secret is the classic key-confusion attack)")
		return
	case idx.secret && !alg.IsSymmetric():
		r.notVerified(fmt.Sprintf("the token says %s but the key source is an HMAC secret: choose the token issuer's public keys", alg))
		return
	}
	var picked []int
	kidMatched := false
	switch {
	case idx.secret || !r.HasKid:
		picked = make([]int, len(idx.keys))
		for i := range picked {
			picked[i] = i
		}
	default:
		picked = idx.byKid[r.Kid]
		kidMatched = true
	}
	if len(picked) == 0 {
		r.kidNotFound(tok, alg, idx)
		return
	}
	r.checkCandidates(tok, alg, idx, picked, kidMatched)
}

// checkCandidates applies the fit and trust rules to each picked key, then
// checks the signature with the ones left.
func (r *Report) checkCandidates(tok string, alg jwa.SignatureAlgorithm, idx *keyIndex, picked []int, kidMatched bool) {
	cands := make([]Candidate, len(picked))
	fitting := map[string]bool{}
	for n, i := range picked {
		c := describeCandidate(idx, i)
		if p := fitProblem(idx.keys[i], alg, kidMatched); p != "" {
			c.Outcome = p
		} else {
			fitting[c.tp] = true
		}
		cands[n] = c
	}
	ambiguous := kidMatched && len(fitting) > 1
	for n := range cands {
		c := &cands[n]
		if c.Outcome != "" {
			continue
		}
		key := idx.keys[c.index]
		if p := trustProblem(key, alg); p != "" {
			c.Outcome = p
			continue
		}
		c.Checked = true
		c.Matches = signatureMatches(tok, alg, key)
		switch {
		case ambiguous && c.Matches:
			c.Outcome = "two keys share this kid: the signature matches this one, but a typical verifier tries only one of them"
		case ambiguous:
			c.Outcome = "two keys share this kid: the signature does not match this one"
		case c.Matches:
			c.Outcome = "verified"
			c.Verified = true
		default:
			c.Outcome = "signature does not match"
		}
	}
	r.Candidates = cands
	if ambiguous {
		reason := fmt.Sprintf("kid %s is ambiguous: %d different keys in the %s share it", quoteKid(r.Kid), len(fitting), r.KeySource)
		for n, c := range cands {
			if c.Matches {
				reason += fmt.Sprintf("; the signature matches candidate %d (thumbprint %s), but a typical verifier tries only one of them", n+1, c.Thumbprint)
			}
		}
		r.notVerified(reason)
	}
}

// kidNotFound explains a kid absent from the set, and checks the keys that
// have no kid at all (a verifier looking the kid up would never pick them).
func (r *Report) kidNotFound(tok string, alg jwa.SignatureAlgorithm, idx *keyIndex) {
	reason := fmt.Sprintf("kid %s not in the set (the set has: %s)", quoteKid(r.Kid), listKids(idx.kids, len(idx.noKid)))
	for _, i := range idx.noKid {
		key := idx.keys[i]
		c := describeCandidate(idx, i)
		if p := fitProblem(key, alg, false); p != "" {
			c.Outcome = "key has no kid, and " + p
		} else if p := trustProblem(key, alg); p != "" {
			c.Outcome = "key has no kid, and " + p
		} else {
			c.Checked = true
			c.Matches = signatureMatches(tok, alg, key)
			if c.Matches {
				c.Outcome = fmt.Sprintf("key has no kid: the signature matches it, but a verifier looking up kid %s will not pick it", quoteKid(r.Kid))
				reason += "; a key without kid would verify the signature: give it the kid " + quoteKid(r.Kid)
			} else {
				c.Outcome = "key has no kid, and the signature does not match it either"
			}
		}
		r.Candidates = append(r.Candidates, c)
	}
	r.notVerified(reason)
}

// looksLikeKeyText reports whether a secret is really a PEM block or a JWK.
func looksLikeKeyText(secret []byte) bool {
	s := strings.TrimSpace(string(secret))
	return strings.Contains(s, "-----BEGIN ") || strings.HasPrefix(s, "{") && strings.Contains(s, `"kty"`)
}

func listKids(kids []string, noKid int) string {
	shown := kids
	more := ""
	if len(kids) > 10 {
		shown = kids[:10]
		more = fmt.Sprintf(" and %d more", len(kids)-10)
	}
	out := strings.Join(shown, ", ") + more
	if noKid > 0 {
		if out != "" {
			out += ", "
		}
		out += plural(noKid, "key", "keys") + " without kid"
	}
	if out == "" {
		return "no keys"
	}
	return out
}

func describeCandidate(idx *keyIndex, i int) Candidate {
	key := idx.keys[i]
	c := Candidate{index: i, Kty: key.KeyType().String(), tp: idx.tps[i]}
	c.Kid, _ = key.KeyID()
	if a, ok := key.Algorithm(); ok {
		c.Alg = a.String()
	}
	if _, isOct := key.(jwk.SymmetricKey); !isOct {
		c.Thumbprint = c.tp
	}
	if c.tp == "" {
		c.tp = fmt.Sprintf("#%d", i) // no thumbprint: count it as its own key
	}
	return c
}

// familyOf is the key type an algorithm needs ("" for algorithms that are
// not JWS signatures).
func familyOf(alg string) string {
	switch {
	case strings.HasPrefix(alg, "RS") || strings.HasPrefix(alg, "PS"):
		return KtyRSA
	case strings.HasPrefix(alg, "ES"):
		return KtyEC
	case strings.HasPrefix(alg, "HS"):
		return KtyOct
	case alg == "EdDSA" || alg == "Ed25519":
		return KtyOKP
	}
	return ""
}

// fitProblem says why a key cannot be used for alg at all: key type, curve,
// or the key's own alg. "" when it fits.
func fitProblem(key jwk.Key, alg jwa.SignatureAlgorithm, kidMatched bool) string {
	prefix := ""
	if kidMatched {
		prefix = "kid matches but "
	}
	kty := key.KeyType().String()
	crv, _ := curveOf(key)
	if alg.IsSymmetric() && kty != KtyOct {
		return fmt.Sprintf("%sthe key is %s and the token says %s: an HMAC token is never checked with a public key (key confusion)", prefix, kty, alg)
	}
	if !slices.Contains(AlgsFor(kty, crv, UseSig, 0), alg.String()) {
		shape := kty
		if familyOf(alg.String()) == kty && crv != "" {
			shape += " " + crv
		}
		return fmt.Sprintf("%sthe key is %s and the token says %s", prefix, shape, alg)
	}
	if own, ok := key.Algorithm(); ok && own.String() != alg.String() {
		return fmt.Sprintf("key's own alg is %s, token says %s", own, alg)
	}
	return ""
}

// hashBytes is the minimum HMAC secret length for an HS algorithm.
var hashBytes = map[string]int{"HS256": 32, "HS384": 48, "HS512": 64}

// trustProblem says why a key that fits is still never trusted to verify.
func trustProblem(key jwk.Key, alg jwa.SignatureAlgorithm) string {
	if use, ok := key.KeyUsage(); ok && use == UseEnc {
		return "key has use=enc: an encryption key never verifies"
	}
	if ops, ok := key.KeyOps(); ok && !slices.Contains(ops, jwk.KeyOpVerify) {
		names := make([]string, len(ops))
		for i, o := range ops {
			names[i] = string(o)
		}
		return fmt.Sprintf("key's key_ops (%s) do not include verify", strings.Join(names, ", "))
	}
	switch k := key.(type) {
	case jwk.SymmetricKey:
		secret, _ := k.Octets()
		if need := hashBytes[alg.String()]; len(secret) < need {
			return fmt.Sprintf("HMAC secret is %d bytes: %s needs at least %d (RFC 7518 §3.2)", len(secret), alg, need)
		}
	case jwk.RSAPublicKey, jwk.RSAPrivateKey:
		var pub rsa.PublicKey
		if err := exportPublic(key, &pub); err != nil {
			return "the RSA key cannot be read: " + err.Error()
		}
		if bits := pub.N.BitLen(); bits < 2048 {
			return fmt.Sprintf("RSA key is %d bits: under 2048 never verifies (RFC 7518 §3.3)", bits)
		}
		if rocacheck.IsWeak(&pub) {
			return "RSA key has the ROCA fingerprint (CVE-2017-15361): its private key can be recovered, never trusted"
		}
	}
	return ""
}

// signatureMatches checks the signature with one key, through jwx. Private
// keys verify with their public half.
func signatureMatches(tok string, alg jwa.SignatureAlgorithm, key jwk.Key) bool {
	if _, isOct := key.(jwk.SymmetricKey); !isOct {
		pub, err := key.PublicKey()
		if err != nil {
			return false
		}
		key = pub
	}
	_, err := jws.Verify([]byte(tok), jws.WithKey(alg, key))
	return err == nil
}
