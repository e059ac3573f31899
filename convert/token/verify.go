package token

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/titanous/rocacheck"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/words"
)

// signed is what a signature is checked over: the signing input as
// received (RFC 7515 §5.2: the header and payload segments with the dot, never
// a re-encoding) and the decoded signature.
type signed struct {
	input []byte
	sig   []byte
}

// verify picks the candidates (DESIGN.md's rules) and checks the signature
// with each one that may be trusted.
func (r *Report) verify(sg signed, alg jwa.SignatureAlgorithm, src KeySource) {
	idx := src.index()
	if refusal := sourceRefusal(idx, src.Name, alg); refusal != "" {
		r.notVerified(refusal)
		return
	}
	ch := &checker{sg: sg, alg: alg, budget: verifyBudget, seen: map[string]bool{}}
	picked, kidMatched := r.pick(idx)
	if len(picked) == 0 {
		r.kidNotFound(ch, idx)
	} else {
		r.checkCandidates(ch, idx, picked, kidMatched)
	}
	if ch.skipped > 0 {
		r.budgetNote = fmt.Sprintf("stopped after %d signature checks: the work allowed per token (that of %d RSA-2048 verifications) was used up, and %s not checked", ch.checks, verifyBudget, words.Plural(ch.skipped, "candidate key was", "candidate keys were"))
		r.Warnings = append(r.Warnings, r.budgetNote)
		if r.State == StateNotVerified { // an ambiguous or unknown kid: the reason is already given
			r.notVerified(r.Reason + "; " + r.budgetNote)
		}
	}
	if idx.direct && !idx.secret && r.HasKid {
		r.directKidNote(idx.keys[0])
	}
}

// sourceRefusal says why no key of the source may verify the token at all
// ("" when some may): no keys, secrets mixed with public keys, a "secret"
// that is a key, an HMAC secret for an asymmetric alg.
func sourceRefusal(idx *keyIndex, name string, alg jwa.SignatureAlgorithm) string {
	switch {
	case len(idx.keys) == 0 && idx.secret:
		return "the HMAC secret is empty: type or paste the secret"
	case len(idx.keys) == 0:
		return "no keys to verify with: add keys to the " + name + ", paste a JWK, JWKS or PEM key, or choose an HMAC secret"
	case idx.hasOct && idx.hasPublic:
		return "the key set mixes secret (oct) keys with public keys: refused (a published set never holds secrets, and mixing them is how key-confusion attacks start); use the HMAC secret source for HS* tokens"
	case idx.secretKey != "":
		return idx.secretKey
	case idx.secret && !alg.IsSymmetric():
		return fmt.Sprintf("the token says %s but the key source is an HMAC secret: choose the token issuer's public keys", alg)
	}
	return ""
}

// pick is the keys the kid rules make candidates (DESIGN.md): every key for
// a key given directly or a token without kid, else the keys with the
// token's kid (kidMatched).
func (r *Report) pick(idx *keyIndex) (picked []int, kidMatched bool) {
	if idx.direct || !r.HasKid {
		picked = make([]int, len(idx.keys))
		for i := range picked {
			picked[i] = i
		}
		return picked, false
	}
	return idx.byKid[r.Kid], true
}

// directKidNote explains a key given directly whose kid is not the token's:
// it was tried all the same, since the user chose it.
func (r *Report) directKidNote(key jwk.Key) {
	kid, ok := key.KeyID()
	if ok && kid == r.Kid {
		return
	}
	has := "has no kid"
	if ok {
		has = fmt.Sprintf("has kid %q", kid)
	}
	r.Warnings = append(r.Warnings, fmt.Sprintf("the token names kid %q and the key you gave %s: it was tried all the same, since you chose this one key (as jose's jwtVerify(token, key) does); a verifier that looks kid %q up in a key set would not pick it", r.Kid, has, r.Kid))
}

// verifyBudget bounds the signature-check work per token, in units of one
// RSA-2048 (e = 65537) verification: about 0.25 s on a 2-core machine. A
// token without kid against a large set, or an ambiguous kid, stops there
// (and says so) instead of working for seconds.
const verifyBudget = 2000

// maxVerifyRSABits: larger RSA keys are shown but never used to verify; the
// work of one check grows with the square of the modulus size (a 65,536-bit
// modulus costs 1,000 RSA-2048 checks).
const maxVerifyRSABits = 16384

// checker checks signatures within the work budget, once per distinct key.
type checker struct {
	sg      signed
	alg     jwa.SignatureAlgorithm
	budget  int
	seen    map[string]bool // thumbprint → whether the signature matched it
	checks  int             // signature checks made
	skipped int             // candidates left unchecked: the budget was used up
}

// check sets c.Checked and c.Matches, or returns false (and counts the
// candidate as skipped) when the budget does not cover it.
func (ch *checker) check(c *Candidate, key jwk.Key) bool {
	if m, ok := ch.seen[c.tp]; ok { // the same key listed twice
		c.Checked, c.Matches = true, m
		return true
	}
	cost := checkCost(key)
	if cost > ch.budget {
		ch.budget = 0
		ch.skipped++
		c.Outcome = "not checked: the signature-check work allowed per token was used up"
		return false
	}
	ch.budget -= cost
	ch.checks++
	c.Checked = true
	c.Matches = signatureMatches(ch.sg, ch.alg, key)
	ch.seen[c.tp] = c.Matches
	return true
}

// checkCost is the work of one signature check with key, in RSA-2048
// verifications (measured with go1.26 on amd64: P-256 2×, secp256k1 4×,
// P-384 18×, P-521 40×; RSA grows with the square of the modulus and with
// the exponent's length).
func checkCost(key jwk.Key) int {
	switch key.KeyType().String() {
	case keys.KtyRSA:
		pub, err := keys.RSAPublicKey(key)
		if err != nil {
			return 1
		}
		e := big.NewInt(int64(pub.E))
		mults := e.BitLen() - 1 + bitCount(e) - 1 // squarings and multiplications
		size := float64(pub.N.BitLen()) / 2048
		return max(1, int(math.Ceil(size*size*float64(mults)/17)))
	case keys.KtyEC:
		crv, _ := keys.CurveOf(key)
		if cost, ok := map[string]int{keys.CrvP256: 2, keys.CrvSecp256k1: 4, keys.CrvP384: 18, keys.CrvP521: 40}[crv]; ok {
			return cost
		}
		return 40
	case keys.KtyOKP:
		return 2
	}
	return 1
}

func bitCount(n *big.Int) int {
	c := 0
	for _, w := range n.Bits() {
		c += bits.OnesCount(uint(w))
	}
	return c
}

// checkCandidates applies the fit and trust rules to each picked key, then
// checks the signature with the ones left, until one verifies (or, for an
// ambiguous kid, matches): the report needs no more. Ambiguity is decided
// from the keys alone, before any signature is checked.
func (r *Report) checkCandidates(ch *checker, idx *keyIndex, picked []int, kidMatched bool) {
	cands := make([]Candidate, len(picked))
	fitting := map[string]bool{}
	for n, i := range picked {
		c := describeCandidate(idx, i)
		if p := fitProblem(idx.keys[i], ch.alg, kidMatched); p != "" {
			c.Outcome, c.misfit = p, true
		} else {
			fitting[c.tp] = true
		}
		cands[n] = c
	}
	ambiguous := kidMatched && len(fitting) > 1
	found := -1 // the candidate that verified, or matched
	for n := range cands {
		if c := &cands[n]; c.Outcome == "" && checkCandidate(ch, c, idx.keys[c.index], ambiguous, found) && c.Matches {
			found = n
		}
	}
	r.Candidates = cands
	if ambiguous {
		reason := fmt.Sprintf("kid %s is ambiguous: %d different keys in the %s share it", quoteKid(r.Kid), len(fitting), r.KeySource)
		if found >= 0 {
			reason += fmt.Sprintf("; the signature matches candidate %d (thumbprint %s), but a typical verifier tries only one of them", found+1, cands[found].Thumbprint)
		}
		r.notVerified(reason)
	}
}

// checkCandidate applies the trust rules to a candidate that fits and
// checks the signature with it, unless an earlier candidate (found, -1 for
// none) already verified or matched; its outcome says what came of it. It
// reports whether the signature was checked.
func checkCandidate(ch *checker, c *Candidate, key jwk.Key, ambiguous bool, found int) bool {
	if p := trustProblem(key, ch.alg); p != "" {
		c.Outcome = p
		return false
	}
	switch {
	case found >= 0 && ambiguous:
		c.Outcome = fmt.Sprintf("two keys share this kid: not checked (the signature already matched candidate %d)", found+1)
		return false
	case found >= 0:
		c.Outcome = fmt.Sprintf("not checked: candidate %d already verified the signature", found+1)
		return false
	case !ch.check(c, key):
		return false
	}
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
	return true
}

// kidNotFound explains a kid absent from the set, and checks the keys that
// have no kid at all (a verifier looking the kid up would never pick them).
func (r *Report) kidNotFound(ch *checker, idx *keyIndex) {
	reason := fmt.Sprintf("kid %s not in the set (the set has: %s)", quoteKid(r.Kid), listKids(idx.kids, len(idx.noKid)))
	matched := false
	for _, i := range idx.noKid {
		key := idx.keys[i]
		c := describeCandidate(idx, i)
		switch {
		case fitProblem(key, ch.alg, false) != "":
			c.Outcome = "key has no kid, and " + fitProblem(key, ch.alg, false)
		case trustProblem(key, ch.alg) != "":
			c.Outcome = "key has no kid, and " + trustProblem(key, ch.alg)
		case matched:
			c.Outcome = "key has no kid: not checked (another key without kid already matches)"
		case !ch.check(&c, key):
		case c.Matches:
			matched = true
			c.Outcome = fmt.Sprintf("key has no kid: the signature matches it, but a verifier looking up kid %s will not pick it", quoteKid(r.Kid))
			reason += "; a key without kid would verify the signature: give it the kid " + quoteKid(r.Kid)
		default:
			c.Outcome = "key has no kid, and the signature does not match it either"
		}
		r.Candidates = append(r.Candidates, c)
	}
	r.notVerified(reason)
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
		out += words.Plural(noKid, "key", "keys") + " without kid"
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
		return keys.KtyRSA
	case strings.HasPrefix(alg, "ES"):
		return keys.KtyEC
	case strings.HasPrefix(alg, "HS"):
		return keys.KtyOct
	case alg == "EdDSA" || alg == "Ed25519":
		return keys.KtyOKP
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
	crv, _ := keys.CurveOf(key)
	if alg.IsSymmetric() && kty != keys.KtyOct {
		return fmt.Sprintf("%sthe key is %s and the token says %s: an HMAC token is never checked with a public key (key confusion)", prefix, kty, alg)
	}
	if !slices.Contains(keys.AlgsFor(kty, crv, keys.UseSig, 0), alg.String()) {
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
	if use, ok := key.KeyUsage(); ok && use == keys.UseEnc {
		return "key has use=enc: an encryption key never verifies"
	}
	if ops, ok := key.KeyOps(); ok && !slices.Contains(ops, jwk.KeyOpVerify) {
		names := make([]string, len(ops))
		for i, o := range ops {
			names[i] = string(o)
		}
		return fmt.Sprintf("key's key_ops (%s) do not include verify", strings.Join(names, ", "))
	}
	if leaf, ok := keys.CertificateOf(key); ok && !keys.CertificateHoldsKey(leaf, key) {
		return "the key's x5c certificate holds another public key (RFC 7517 §4.7: the first certificate's key must be this key): never trusted, since verifiers that read x5c and those that read the key members disagree"
	}
	switch k := key.(type) {
	case jwk.SymmetricKey:
		secret, _ := k.Octets()
		if need := hashBytes[alg.String()]; len(secret) < need {
			return fmt.Sprintf("HMAC secret is %d bytes: %s needs at least %d (RFC 7518 §3.2)", len(secret), alg, need)
		}
	case jwk.RSAPublicKey, jwk.RSAPrivateKey:
		pub, err := keys.RSAPublicKey(key)
		if err != nil {
			return "the RSA key cannot be read: " + err.Error()
		}
		if bits := pub.N.BitLen(); bits < 2048 {
			return fmt.Sprintf("RSA key is %d bits: under 2048 never verifies (RFC 7518 §3.3)", bits)
		} else if bits > maxVerifyRSABits {
			return fmt.Sprintf("RSA key is %d bits: over %d never verifies here (one check with it costs as much as %d with RSA-2048)", bits, maxVerifyRSABits, checkCost(key))
		}
		if rocacheck.IsWeak(pub) {
			return "RSA key has the ROCA fingerprint (CVE-2017-15361): its private key can be recovered, never trusted"
		}
	}
	return ""
}

// signatureMatches checks the signature with one key, through jwx's verifier
// for alg, over the signing input as received (jws.Verify re-encodes the
// header it parsed, which drops whitespace around the header's JSON). Private
// keys verify with their public half.
func signatureMatches(sg signed, alg jwa.SignatureAlgorithm, key jwk.Key) bool {
	if _, isOct := key.(jwk.SymmetricKey); !isOct {
		pub, err := key.PublicKey()
		if err != nil {
			return false
		}
		key = pub
	}
	v, err := jws.VerifierFor(alg)
	return err == nil && v.Verify(key, sg.input, sg.sig) == nil
}
