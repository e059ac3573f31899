package keyset

import (
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/words"
)

// Severity of a lint finding.
type Severity string

// Severities, from the most to the least serious. An error blocks publishing
// the set as it is; a warning is a weakness to fix; info is worth knowing.
const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
	SevInfo    Severity = "info"
)

// Lint rule codes: stable names for scripts and tests.
const (
	LintWeakRSA         = "weak-rsa"          // RSA modulus under 2048 bits
	LintRSAExponent     = "rsa-exponent"      // public exponent other than 65537
	LintAlgMismatch     = "alg-mismatch"      // alg does not fit kty/crv (or use)
	LintNoKid           = "missing-kid"       // no kid
	LintNoUse           = "missing-use"       // neither use nor key_ops
	LintUseKeyOps       = "use-key-ops"       // use conflicts with key_ops
	LintRSA15           = "rsa1_5"            // RSA1_5 (PKCS#1 v1.5 key transport)
	LintOctKey          = "oct-key"           // a shared secret in a set meant for publishing
	LintPrivate         = "private-members"   // private members present (stripped on export)
	LintCertExpired     = "x5c-expired"       // certificate expired or not yet valid
	LintCertMismatch    = "x5c-mismatch"      // certificate does not hold this key
	LintCertUnreadable  = "x5c-unreadable"    // x5c[0] is not a certificate Go can read
	LintDuplicateKid    = "duplicate-kid"     // two different keys of one kty share a kid
	LintKidAcrossKty    = "kid-across-kty"    // keys of different kty share a kid (RFC 7517 §4.5 allows it)
	LintDuplicateKeyAlg = "duplicate-key-alg" // the same key listed twice with different alg
	LintStrayPrivate    = "stray-private"     // a member private for another kty ("k" on an EC key)
	LintUnpublished     = "unpublished"       // members outside the public allow-list, left out of the public JWKS
	LintInternal        = "internal"          // the lint of this key panicked: a bug, reported instead of crashing
)

// Finding is one lint result about one key, or about a group of keys (a
// kid they share, the same key listed twice): then Positions lists them
// all and Index is the first.
type Finding struct {
	Index     int      `json:"index"` // position of the key in the set, from 0
	Kid       string   `json:"kid,omitempty"`
	Severity  Severity `json:"severity"`
	Code      string   `json:"code"`
	Message   string   `json:"message"`
	Positions []int    `json:"positions,omitempty"` // a group's keys, from 0
}

// String is the finding as one line: "key 2 (kid abc): warning: …", or for
// a group "3 keys (kid abc): error: …" (the message lists the positions).
func (f Finding) String() string {
	who := fmt.Sprintf("key %d", f.Index+1)
	if len(f.Positions) > 1 {
		who = words.Thousands(len(f.Positions)) + " keys" // the message lists them
	}
	if f.Kid != "" {
		who += fmt.Sprintf(" (kid %q)", f.Kid)
	}
	return fmt.Sprintf("%s: %s: %s", who, f.Severity, f.Message)
}

// LintReport is the lint of a whole set: the findings about each key (in
// set order), the findings about groups of keys (once per group, however
// many keys it holds: output stays linear in the set), and the counts by
// severity.
type LintReport struct {
	PerKey   [][]Finding `json:"per_key"`
	Groups   []Finding   `json:"groups,omitempty"`
	Errors   int         `json:"errors"`
	Warnings int         `json:"warnings"`
	Infos    int         `json:"infos"`
	inGroups [][]int     // per key: indexes into Groups of the groups it is in
}

// All returns every finding once: key by key, then the group findings.
func (r LintReport) All() []Finding {
	var out []Finding
	for _, fs := range r.PerKey {
		out = append(out, fs...)
	}
	return append(out, r.Groups...)
}

// ForKey returns the findings that concern key i: its own, then those of
// the groups it is in (shared with the group's other keys).
func (r LintReport) ForKey(i int) []Finding {
	if i < 0 || i >= len(r.PerKey) {
		return nil
	}
	if i >= len(r.inGroups) || len(r.inGroups[i]) == 0 {
		return r.PerKey[i]
	}
	out := append(make([]Finding, 0, len(r.PerKey[i])+len(r.inGroups[i])), r.PerKey[i]...)
	for _, g := range r.inGroups[i] {
		out = append(out, r.Groups[g])
	}
	return out
}

// Summary is one line for a status bar: "2 errors, 1 warning, 3 notes" or
// "no findings".
func (r LintReport) Summary() string {
	var parts []string
	if r.Errors > 0 {
		parts = append(parts, words.Plural(r.Errors, "error", "errors"))
	}
	if r.Warnings > 0 {
		parts = append(parts, words.Plural(r.Warnings, "warning", "warnings"))
	}
	if r.Infos > 0 {
		parts = append(parts, words.Plural(r.Infos, "note", "notes"))
	}
	if len(parts) == 0 {
		return "no findings"
	}
	return strings.Join(parts, ", ")
}

// Worst is the most serious severity among a key's findings ("" for none).
func Worst(findings []Finding) Severity {
	worst := Severity("")
	for _, f := range findings {
		switch {
		case f.Severity == SevError:
			return SevError
		case f.Severity == SevWarning:
			worst = SevWarning
		case worst == "":
			worst = SevInfo
		}
	}
	return worst
}

// LintSet lints every key of a set and the set as a whole (kids shared by
// different keys, the same key listed twice with different alg): a group
// of keys gets one finding, whatever its size. now is the clock for
// certificate validity.
func LintSet(keys []jwk.Key, now time.Time) (r LintReport) {
	r.PerKey = make([][]Finding, len(keys))
	tps := make([]string, len(keys))
	for i, k := range keys {
		r.PerKey[i] = LintKey(i, k, now)
		tps[i] = thumbprintOrEmpty(k)
	}
	for _, g := range kidGroups(keys, tps) {
		r.Groups = append(r.Groups, g.finding())
	}
	for _, g := range sameKeyAlgGroups(keys, tps) {
		kid, _ := keys[g[0]].KeyID()
		r.Groups = append(r.Groups, Finding{Index: g[0], Kid: kid, Severity: SevWarning, Code: LintDuplicateKeyAlg, Positions: g,
			Message: fmt.Sprintf("the same key is listed %s times with different alg (positions %s): keep one entry per key", words.Thousands(len(g)), PositionsText(g, maxPositionsShown))})
	}
	if len(r.Groups) > 0 {
		r.inGroups = make([][]int, len(keys))
		for gi, f := range r.Groups {
			for _, p := range f.Positions {
				r.inGroups[p] = append(r.inGroups[p], gi)
			}
		}
	}
	for _, f := range r.All() {
		switch f.Severity {
		case SevError:
			r.Errors++
		case SevWarning:
			r.Warnings++
		default:
			r.Infos++
		}
	}
	return r
}

// KidGroup is a kid that two or more different keys share (RFC 7517 §4.5):
// Conflict when two of them have the same kty (a verifier picking by kid
// may take the wrong one: an error for publishing); otherwise the keys
// differ in kty, which RFC 7517 allows (a note).
type KidGroup struct {
	Kid       string
	Positions []int          // every key with this kid, from 0
	Conflict  bool           // two different keys of one kty
	ByKty     map[string]int // distinct keys per kty
	ktyOrder  []string
}

// finding is the group's one lint finding.
func (g KidGroup) finding() Finding {
	f := Finding{Index: g.Positions[0], Kid: g.Kid, Positions: g.Positions}
	var parts []string
	for _, kty := range g.ktyOrder {
		parts = append(parts, fmt.Sprintf("%s %s", words.Thousands(g.ByKty[kty]), kty))
	}
	if g.Conflict {
		f.Severity, f.Code = SevError, LintDuplicateKid
		distinct := 0
		for _, n := range g.ByKty {
			distinct += n
		}
		f.Message = fmt.Sprintf("kid %q is shared by %s different keys (%s; positions %s): a verifier picks one by kid and may pick the wrong one; give each key its own kid",
			g.Kid, words.Thousands(distinct), strings.Join(parts, ", "), PositionsText(g.Positions, maxPositionsShown))
		return f
	}
	f.Severity, f.Code = SevInfo, LintKidAcrossKty
	f.Message = fmt.Sprintf("kid %q is shared by keys of different types (%s; positions %s): RFC 7517 §4.5 allows it, since verifiers also match kty and alg, but a library that looks keys up by kid alone may take the first",
		g.Kid, strings.Join(parts, ", "), PositionsText(g.Positions, maxPositionsShown))
	return f
}

// KidGroups lists the kids that different keys share, in order of first
// appearance (see KidGroup).
func KidGroups(keys []jwk.Key) []KidGroup {
	tps := make([]string, len(keys))
	for i, k := range keys {
		tps[i] = thumbprintOrEmpty(k)
	}
	return kidGroups(keys, tps)
}

// kidGroups is the one owner of the kid rule; tps are the keys' RFC 7638
// thumbprints ("" for oct keys and keys without one). Linear in the keys.
func kidGroups(keys []jwk.Key, tps []string) []KidGroup {
	byKid := map[string][]int{}
	var order []string
	for i, k := range keys {
		kid, ok := k.KeyID()
		if !ok || kid == "" {
			continue
		}
		if _, seen := byKid[kid]; !seen {
			order = append(order, kid)
		}
		byKid[kid] = append(byKid[kid], i)
	}
	var out []KidGroup
	for _, kid := range order {
		ps := byKid[kid]
		if len(ps) < 2 {
			continue
		}
		g := KidGroup{Kid: kid, Positions: ps, ByKty: map[string]int{}}
		seen := map[string]bool{}
		for _, p := range ps {
			kty := keys[p].KeyType().String()
			id := keyIdentity(keys[p], tps[p], p)
			if seen[kty+" "+id] {
				continue
			}
			seen[kty+" "+id] = true
			if g.ByKty[kty] == 0 {
				g.ktyOrder = append(g.ktyOrder, kty)
			}
			g.ByKty[kty]++
			if g.ByKty[kty] > 1 {
				g.Conflict = true
			}
		}
		if g.Conflict || len(g.ByKty) > 1 {
			out = append(out, g)
		}
	}
	return out
}

// keyIdentity tells keys apart for the kid rule: the thumbprint, an oct
// key's secret itself (compared, never shown or hashed for display), or
// the position when neither exists (then the key counts as different).
func keyIdentity(k jwk.Key, tp string, pos int) string {
	if tp != "" {
		return tp
	}
	if sk, ok := k.(jwk.SymmetricKey); ok {
		if o, _ := sk.Octets(); len(o) > 0 {
			return "oct:" + string(o)
		}
	}
	return fmt.Sprintf("#%d", pos)
}

// sameKeyAlgGroups lists the keys (by thumbprint) listed more than once
// with different alg, each group's positions in set order.
func sameKeyAlgGroups(list []jwk.Key, tps []string) [][]int {
	byTP := map[string][]int{}
	var order []string
	for i, tp := range tps {
		if tp == "" {
			continue
		}
		if _, seen := byTP[tp]; !seen {
			order = append(order, tp)
		}
		byTP[tp] = append(byTP[tp], i)
	}
	var out [][]int
	for _, tp := range order {
		ps := byTP[tp]
		if len(ps) < 2 {
			continue
		}
		first := keys.AlgOf(list[ps[0]])
		for _, p := range ps[1:] {
			if keys.AlgOf(list[p]) != first {
				out = append(out, ps)
				break
			}
		}
	}
	return out
}

// maxPositionsShown caps the positions a message lists.
const maxPositionsShown = 10

// PositionsText lists positions (from 0) as the 1-based "1, 4, 9", at most
// max of them, then "and 9,990 more".
func PositionsText(ps []int, max int) string {
	var b strings.Builder
	for i, p := range ps {
		if i == max {
			fmt.Fprintf(&b, " and %s more", words.Thousands(len(ps)-max))
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, p+1)
	}
	return b.String()
}

func thumbprintOrEmpty(k jwk.Key) string {
	if _, isOct := k.(jwk.SymmetricKey); isOct {
		return ""
	}
	tp, err := keys.ComputeThumbprint(k)
	if err != nil {
		return ""
	}
	return tp.Value
}

// LintKey lints one key on its own; index is its position, for the messages.
func LintKey(index int, key jwk.Key, now time.Time) (out []Finding) {
	kid, _ := key.KeyID()
	add := func(sev Severity, code, format string, a ...any) {
		out = append(out, Finding{Index: index, Kid: kid, Severity: sev, Code: code, Message: fmt.Sprintf(format, a...)})
	}
	defer func() {
		if r := recover(); r != nil {
			add(SevError, LintInternal, "internal error while linting: %v", r)
		}
	}()
	lintKidAndUse(key, add)
	octBits := lintSecrecy(key, add)
	if key.KeyType().String() != keys.KtyOct {
		lintMembers(key, add)
	}
	lintAlg(key, octBits, add)
	lintRSA(key, add)
	out = append(out, lintCert(index, kid, key, now)...)
	return out
}

// addFinding adds a finding about the key being linted.
type addFinding func(sev Severity, code, format string, a ...any)

// lintKidAndUse flags a key without kid, without use or key_ops, or whose
// use and key_ops disagree.
func lintKidAndUse(key jwk.Key, add addFinding) {
	use, hasUse := key.KeyUsage()
	ops, hasOps := key.KeyOps()
	if kid, _ := key.KeyID(); kid == "" {
		add(SevInfo, LintNoKid, "no kid: verifiers cannot pick this key by kid; set one (the thumbprint is a good choice)")
	}
	if !hasUse && (!hasOps || len(ops) == 0) {
		add(SevInfo, LintNoUse, `neither "use" nor "key_ops": say whether the key signs (use sig) or encrypts (use enc)`)
	}
	if hasUse && hasOps {
		if c := useOpsConflict(use, ops); c != "" {
			add(SevWarning, LintUseKeyOps, `use %q conflicts with key_ops %q: remove the one that is wrong`, use, c)
		}
	}
}

// lintSecrecy flags an oct secret and a key with private members; it
// returns an oct secret's size in bits (0 for other keys).
func lintSecrecy(key jwk.Key, add addFinding) (octBits int) {
	if sk, ok := key.(jwk.SymmetricKey); ok {
		b, _ := sk.Octets()
		add(SevError, LintOctKey, "an oct key is a shared secret: it is never published and is left out of the public JWKS")
		return len(b) * 8
	}
	if keys.IsPrivate(key) {
		add(SevInfo, LintPrivate, "holds private members: they are stripped from the public JWKS")
	}
	return 0
}

// lintAlg flags an alg that does not fit the key (or its use), and RSA1_5.
func lintAlg(key jwk.Key, octBits int, add addFinding) {
	alg := keys.AlgOf(key)
	kty := key.KeyType().String()
	crv, _ := keys.CurveOf(key)
	use, _ := key.KeyUsage()
	if alg != "" && !keys.AlgFits(kty, crv, use, octBits, alg) {
		add(SevWarning, LintAlgMismatch, "alg %s does not fit %s%s: choose one of %s", alg, keys.DescribeShape(kty, crv, octBits), useWords(use), strings.Join(keys.FittingAlgs(kty, crv, use, octBits), ", "))
	}
	if alg == "RSA1_5" {
		add(SevWarning, LintRSA15, "RSA1_5 (PKCS#1 v1.5 key transport) is open to padding-oracle attacks (RFC 8725 §3.2): use RSA-OAEP-256")
	}
}

// lintRSA flags a weak RSA modulus and an unusual exponent.
func lintRSA(key jwk.Key, add addFinding) {
	if key.KeyType().String() != keys.KtyRSA {
		return
	}
	pub, err := keys.RSAPublicKey(key)
	if err != nil {
		return
	}
	if bits := pub.N.BitLen(); bits < 2048 {
		add(SevWarning, LintWeakRSA, "RSA modulus of %d bits is under 2048 (RFC 7518 §3.3): verifiers refuse it; replace the key", bits)
	}
	if pub.E != 65537 {
		add(SevWarning, LintRSAExponent, "public exponent %d is not 65537: some libraries refuse it; generate a new key", pub.E)
	}
}

// ownPrivate are each kty's own private members (RFC 7518 §6; RFC 8037).
var ownPrivate = map[string][]string{
	keys.KtyRSA: {"d", "p", "q", "dp", "dq", "qi", "oth"},
	keys.KtyEC:  {"d"},
	keys.KtyOKP: {"d"},
}

// nearMisses are member names written by hand for a registered one.
var nearMisses = map[string]string{
	"mod": "n", "modulus": "n", "exp": "e", "exponent": "e", "keyid": "kid", "key_id": "kid",
	"keyops": "key_ops", "key-ops": "key_ops", "algorithm": "alg", "usage": "use", "x5t#s256": "x5t#S256",
	"x5t256": "x5t#S256", "x5chain": "x5c",
}

// lintMembers names what the public form of key leaves out (PublicForm):
// members private for another key type, and members outside the allow-list.
func lintMembers(key jwk.Key, add addFinding) {
	d := keys.DroppedMembers(key)
	kty := key.KeyType().String()
	var stray []string
	for _, name := range d.Private {
		if !keys.IsPrivate(key) || !slices.Contains(ownPrivate[kty], name) {
			stray = append(stray, name)
		}
	}
	if len(stray) > 0 {
		add(SevWarning, LintStrayPrivate, "holds %s, private for another key type: never published; remove it (it may be a secret pasted into the wrong key)", memberWords(stray))
	}
	if len(d.Other) > 0 {
		var named []string
		for _, name := range d.Other {
			q := strconv.Quote(name)
			if want, ok := nearMisses[strings.ToLower(name)]; ok && want != name {
				q += fmt.Sprintf(" (did you mean %q?)", want)
			}
			named = append(named, q)
		}
		if len(named) > keys.MaxNamesShown {
			named = append(named[:keys.MaxNamesShown], fmt.Sprintf("and %s more", words.Thousands(len(named)-keys.MaxNamesShown)))
		}
		add(SevInfo, LintUnpublished, "%s %s not published: the public JWKS keeps the %s members, RFC 7517's kid, use, alg, key_ops and x5*, and %s",
			words.Plural(len(d.Other), "member", "members")+" "+strings.Join(named, ", "), isAre(len(d.Other)), kty, strings.Join(keys.ReviewedExtras, ", "))
	}
}

func memberWords(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return words.Plural(len(names), "member", "members") + " " + strings.Join(q, ", ")
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

var (
	sigOps = []jwk.KeyOperation{jwk.KeyOpSign, jwk.KeyOpVerify}
	encOps = []jwk.KeyOperation{jwk.KeyOpEncrypt, jwk.KeyOpDecrypt, jwk.KeyOpWrapKey, jwk.KeyOpUnwrapKey, jwk.KeyOpDeriveKey, jwk.KeyOpDeriveBits}
)

// useOpsConflict returns the first key_ops value that contradicts use, or "".
func useOpsConflict(use string, ops jwk.KeyOperationList) string {
	var wrong []jwk.KeyOperation
	switch use {
	case keys.UseSig:
		wrong = encOps
	case keys.UseEnc:
		wrong = sigOps
	}
	for _, op := range ops {
		if slices.Contains(wrong, op) {
			return string(op)
		}
	}
	return ""
}

func lintCert(index int, kid string, key jwk.Key, now time.Time) (out []Finding) {
	chain, ok := key.X509CertChain()
	if !ok || chain.Len() == 0 {
		return nil
	}
	add := func(sev Severity, code, format string, a ...any) {
		out = append(out, Finding{Index: index, Kid: kid, Severity: sev, Code: code, Message: fmt.Sprintf(format, a...)})
	}
	b64, _ := chain.Get(0)
	der, err := base64.StdEncoding.DecodeString(string(b64))
	if err != nil {
		add(SevWarning, LintCertUnreadable, "x5c[0] is not base64: %v", err)
		return out
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		add(SevWarning, LintCertUnreadable, "x5c[0] is not a certificate Go can read: %v", err)
		return out
	}
	switch {
	case now.After(c.NotAfter):
		add(SevWarning, LintCertExpired, "the x5c certificate expired on %s: renew it or remove x5c", c.NotAfter.UTC().Format(time.DateOnly))
	case now.Before(c.NotBefore):
		add(SevWarning, LintCertExpired, "the x5c certificate is not valid before %s", c.NotBefore.UTC().Format(time.DateTime))
	}
	if !keys.CertificateHoldsKey(c, key) {
		add(SevWarning, LintCertMismatch, "the x5c certificate holds another public key than this JWK: a verifier using x5c would reject or mistake it")
	}
	return out
}

// LintTwoNext is the code of the finding on keys marked next when more than
// one is: a rotation switches to one key (see PlanRotation).
const LintTwoNext = "two-next"

// lintNextNotes flags every key marked next when several are (notes[i] is
// the rotation note of keys[i]).
func lintNextNotes(r *LintReport, keys []jwk.Key, notes []string) {
	var next []int
	for i, n := range notes {
		if n == NoteNext && i < len(keys) {
			next = append(next, i)
		}
	}
	if len(next) < 2 {
		return
	}
	for _, i := range next {
		kid, _ := keys[i].KeyID()
		r.PerKey[i] = append(r.PerKey[i], Finding{Index: i, Kid: kid, Severity: SevWarning, Code: LintTwoNext,
			Message: fmt.Sprintf("keys %s are all marked next: a rotation switches to one key; clear the mark on all but one", positionList(next))})
		r.Warnings++
	}
}

// useWords is " for use sig", or "" for a key without use.
func useWords(use string) string {
	if use == "" {
		return ""
	}
	return " for use " + use
}
