package jwe

import (
	"fmt"
	"strings"
)

// decryptBudget bounds the decryption work per token, in RSA-2048 private-key
// operations (a few milliseconds each on a loaded 2-core machine: the bound
// is under a second): a token without kid against a large set stops there,
// and says so, instead of working for seconds. Every attempt costs at
// least 1.
const decryptBudget = 256

// maxWrongKid is how many keys with another kid are listed as candidates
// when the token's kid is not in the set (the rest are counted).
const maxWrongKid = 20

// run is one decryption: the candidates tried so far and the work left.
type run struct {
	r       *Report
	c       *compact
	h       *header
	src     Source
	budget  int
	tries   int
	skipped int
	seen    map[string]seenKey // identity → the first attempt with that key
	opened  attempt            // the attempt that opened the token
}

type seenKey struct {
	n int // the candidate, from 0
	a attempt
}

// decrypt picks the candidates (the kid rules) and tries them.
func (r *Report) decrypt(c *compact, h *header, src Source) {
	es := src.entries()
	if len(es) == 0 {
		r.notDecrypted(fmt.Sprintf("no keys to decrypt with: the %s is empty; give the private key (a JWK, JWKS or PEM), the shared secret or the passphrase (%s)", src.Name, need(h.alg, h.enc)))
		return
	}
	ru := &run{r: r, c: c, h: h, src: src, budget: decryptBudget, seen: map[string]seenKey{}}
	picked, kidMatched := es, false
	if src.kind == srcSet && h.hasKid {
		picked, kidMatched = nil, true
		for _, e := range es {
			if e.hasKid && e.kid == h.kid {
				picked = append(picked, e)
			}
		}
	}
	if len(picked) == 0 {
		ru.kidNotFound(es)
	} else {
		ru.candidates(picked, kidMatched)
	}
	if ru.skipped > 0 {
		note := fmt.Sprintf("stopped after %s: the decryption work allowed per token (that of %d RSA-2048 decryptions) was used up, and %s not tried", plural(ru.tries, "1 attempt", fmt.Sprintf("%d attempts", ru.tries)), decryptBudget, plural(ru.skipped, "1 candidate key was", fmt.Sprintf("%d candidate keys were", ru.skipped)))
		r.Warnings = append(r.Warnings, note)
		if !r.Decrypted {
			r.notDecrypted(r.Reason + "; " + note)
		}
	}
	if src.kind == srcKey && h.hasKid && es[0].kid != h.kid {
		r.Warnings = append(r.Warnings, directKidNote(h.kid, es[0]))
	}
}

// directKidNote explains a key given directly whose kid is not the token's:
// it was tried all the same, since the user chose it.
func directKidNote(kid string, e *entry) string {
	has := "has no kid"
	if e.hasKid {
		has = fmt.Sprintf("has kid %q", e.kid)
	}
	return fmt.Sprintf("the token names kid %q and the key you gave %s: it was tried all the same, since you chose this one key (as jose's compactDecrypt(token, key) does); a recipient that looks kid %q up in a key set would not pick it", kid, has, kid)
}

func describeCandidate(e *entry) Candidate {
	return Candidate{Kid: e.kid, HasKid: e.hasKid, Thumbprint: e.thumb, Kty: e.kty, Crv: e.crv, Alg: e.alg}
}

// try decrypts with one key within the work budget. A key seen before (the
// same key listed twice) is not tried again: its first result is reused,
// and same is that first candidate (-1 for a fresh attempt). ok is false
// when the budget does not cover the attempt.
func (ru *run) try(n int, e *entry, c *Candidate) (a attempt, same int, ok bool) {
	if prev, seen := ru.seen[e.id]; seen {
		c.Tried = true
		return prev.a, prev.n, true
	}
	cost := e.cost()
	if cost > ru.budget {
		ru.budget = 0
		ru.skipped++
		c.Code, c.Outcome = CodeNotTried, "not tried: the decryption work allowed per token was used up"
		return attempt{}, -1, false
	}
	ru.budget -= cost
	ru.tries++
	c.Tried = true
	a = open(ru.c, ru.h, e)
	ru.seen[e.id] = seenKey{n: n, a: a}
	return a, -1, true
}

// candidates applies the fit and trust rules to each picked key, then
// decrypts with the ones left until one opens the token. For a kid that
// more than one different key shares (ambiguous), the token is not
// decrypted; the report says which key opens it. Ambiguity is decided from
// the keys alone, before any decryption.
func (ru *run) candidates(picked []*entry, kidMatched bool) {
	h := ru.h
	cands := make([]Candidate, len(picked))
	fitting := map[string]bool{}
	for n, e := range picked {
		cands[n] = describeCandidate(e)
		if code, msg := e.fitProblem(h); msg != "" {
			cands[n].Code, cands[n].Outcome = code, prefixKid(kidMatched, msg)
		} else {
			fitting[e.id] = true
		}
	}
	ambiguous := kidMatched && len(fitting) > 1
	found := -1
	for n := range cands {
		c, e := &cands[n], picked[n]
		if c.Outcome != "" {
			continue
		}
		if code, msg := e.trustProblem(h); msg != "" {
			c.Code, c.Outcome = code, prefixKid(kidMatched, msg)
			continue
		}
		if found >= 0 {
			c.Code, c.Outcome = CodeNotTried, fmt.Sprintf("not tried: candidate %d already opens the token", found+1)
			continue
		}
		a, same, ok := ru.try(n, e, c)
		if !ok {
			continue
		}
		ru.outcome(c, a, same, ambiguous)
		if c.Opened {
			found, ru.opened = n, a
		}
	}
	ru.r.Candidates = cands
	ru.verdict(picked, cands, found, ambiguous, len(fitting))
}

func prefixKid(kidMatched bool, msg string) string {
	if kidMatched {
		return "kid matches, but " + msg
	}
	return msg
}

// outcome sets what came of an attempt on its candidate; same is the
// earlier candidate that is the same key (-1 when none).
func (ru *run) outcome(c *Candidate, a attempt, same int, ambiguous bool) {
	prefix := ""
	if same >= 0 {
		prefix = fmt.Sprintf("the same key as candidate %d: ", same+1)
	}
	switch {
	case a.res == resOpened && ambiguous:
		c.Code, c.Opened = CodeOpened, true
		c.Outcome = prefix + "two keys share this kid: this one opens the token, but a typical recipient tries only one of them"
	case a.res == resOpened:
		c.Code, c.Opened, c.Decrypted = CodeOpened, true, true
		c.Outcome = prefix + "the key opened the token"
	case a.res == resTooLarge || a.res == resBadDeflate:
		c.Code, c.Opened = CodeOpened, true
		c.Outcome = prefix + failure(a.res, ru.h)
	default:
		c.Code, c.Outcome = CodeNotOpened, prefix+failure(a.res, ru.h)
	}
}

// verdict decides the report from the candidates.
func (ru *run) verdict(picked []*entry, cands []Candidate, found int, ambiguous bool, fitting int) {
	r, h := ru.r, ru.h
	switch {
	case ambiguous && found >= 0:
		r.notDecrypted(fmt.Sprintf("kid %q is ambiguous: %d different keys in the %s share it; candidate %d%s opens the token, but a typical recipient tries only one of them", h.kid, fitting, ru.src.Name, found+1, thumbNote(picked[found])))
	case ambiguous:
		r.notDecrypted(fmt.Sprintf("kid %q is ambiguous: %d different keys in the %s share it, and none of them opens the token", h.kid, fitting, ru.src.Name))
	case found >= 0 && ru.opened.res == resOpened:
		r.decrypted(picked[found], ru.opened.plaintext, h)
	case found >= 0:
		r.notDecrypted(failure(ru.opened.res, h))
	case fitting == 0 && len(cands) == 1:
		r.notDecrypted(cands[0].Outcome)
	case fitting == 0:
		r.notDecrypted(fmt.Sprintf("none of the %d keys of the %s can open it: %s", len(cands), ru.src.Name, need(h.alg, h.enc)))
	case len(cands) == 1:
		r.notDecrypted(cands[0].Outcome)
	default:
		r.notDecrypted(fmt.Sprintf("none of the %d candidate keys of the %s opened the token (each key's reason is listed)", len(cands), ru.src.Name))
	}
}

func thumbNote(e *entry) string {
	if e.thumb == "" {
		return ""
	}
	return " (thumbprint " + e.thumb + ")"
}

// kidNotFound explains a kid absent from the set: the keys with another kid
// are listed, and the keys without kid are tried (a recipient looking the
// kid up would never pick them, but the report says whether one opens it).
func (ru *run) kidNotFound(es []*entry) {
	h := ru.h
	var kids []string
	reason := ""
	listed, more := 0, 0
	for n, e := range es {
		c := describeCandidate(e)
		switch {
		case e.hasKid && listed >= maxWrongKid:
			more++
			kids = append(kids, e.kid)
			continue
		case e.hasKid:
			listed++
			kids = append(kids, e.kid)
			c.Code, c.Outcome = CodeWrongKid, fmt.Sprintf("wrong kid: the key's kid is %q, the token names %q", e.kid, h.kid)
		default:
			if ru.noKidKey(n, e, &c) {
				reason = fmt.Sprintf("; a key without kid opens it: give it the kid %q", h.kid)
			}
		}
		ru.r.Candidates = append(ru.r.Candidates, c)
	}
	if more > 0 {
		ru.r.Warnings = append(ru.r.Warnings, fmt.Sprintf("%d more keys with another kid are not listed as candidates", more))
	}
	ru.r.notDecrypted(fmt.Sprintf("kid %q is not in the %s (it has: %s)%s", h.kid, ru.src.Name, listKids(kids, len(es)-len(kids)), reason))
}

// noKidKey checks and tries one key without kid for a kid the set lacks;
// true when it opens the token.
func (ru *run) noKidKey(n int, e *entry, c *Candidate) bool {
	h := ru.h
	if code, msg := e.fitProblem(h); msg != "" {
		c.Code, c.Outcome = code, "key has no kid, and "+msg
		return false
	}
	if code, msg := e.trustProblem(h); msg != "" {
		c.Code, c.Outcome = code, "key has no kid, and "+msg
		return false
	}
	if ru.opened.res != 0 {
		c.Code, c.Outcome = CodeNotTried, "key has no kid: not tried (another key without kid already opens it)"
		return false
	}
	a, _, ok := ru.try(n, e, c)
	if !ok {
		return false
	}
	if a.res != resOpened {
		c.Code, c.Outcome = CodeNotOpened, "key has no kid, and "+failure(a.res, h)
		return false
	}
	ru.opened = a
	c.Code, c.Opened = CodeOpened, true
	c.Outcome = fmt.Sprintf("key has no kid: it opens the token, but a recipient looking up kid %q will not pick it", h.kid)
	return true
}

func listKids(kids []string, noKid int) string {
	shown, more := kids, ""
	if len(kids) > 10 {
		shown, more = kids[:10], fmt.Sprintf(" and %d more", len(kids)-10)
	}
	q := make([]string, len(shown))
	for i, k := range shown {
		q[i] = fmt.Sprintf("%q", k)
	}
	out := strings.Join(q, ", ") + more
	if noKid > 0 {
		if out != "" {
			out += ", "
		}
		out += plural(noKid, "1 key", fmt.Sprintf("%d keys", noKid)) + " without kid"
	}
	if out == "" {
		return "no keys"
	}
	return out
}
