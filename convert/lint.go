package convert

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"
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
	LintDuplicateKid    = "duplicate-kid"     // two different keys share a kid
	LintDuplicateKeyAlg = "duplicate-key-alg" // the same key listed twice with different alg
)

// Finding is one lint result about one key.
type Finding struct {
	Index    int      `json:"index"` // position of the key in the set, from 0
	Kid      string   `json:"kid,omitempty"`
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
}

// String is the finding as one line: "key 2 (kid abc): warning: …".
func (f Finding) String() string {
	who := fmt.Sprintf("key %d", f.Index+1)
	if f.Kid != "" {
		who += fmt.Sprintf(" (kid %q)", f.Kid)
	}
	return fmt.Sprintf("%s: %s: %s", who, f.Severity, f.Message)
}

// LintReport is the lint of a whole set: the findings per key (in set order)
// and the counts by severity.
type LintReport struct {
	PerKey   [][]Finding `json:"per_key"`
	Errors   int         `json:"errors"`
	Warnings int         `json:"warnings"`
	Infos    int         `json:"infos"`
}

// All returns every finding, key by key.
func (r LintReport) All() []Finding {
	var out []Finding
	for _, fs := range r.PerKey {
		out = append(out, fs...)
	}
	return out
}

// Summary is one line for a status bar: "2 errors, 1 warning, 3 notes" or
// "no findings".
func (r LintReport) Summary() string {
	var parts []string
	if r.Errors > 0 {
		parts = append(parts, plural(r.Errors, "error", "errors"))
	}
	if r.Warnings > 0 {
		parts = append(parts, plural(r.Warnings, "warning", "warnings"))
	}
	if r.Infos > 0 {
		parts = append(parts, plural(r.Infos, "note", "notes"))
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

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// LintSet lints every key of a set and the set as a whole (duplicate kids,
// the same key listed twice with different alg). now is the clock for
// certificate validity.
func LintSet(keys []jwk.Key, now time.Time) (r LintReport) {
	r.PerKey = make([][]Finding, len(keys))
	type seen struct {
		index int
		tp    string
		alg   string
	}
	byKid := map[string][]seen{}
	byTP := map[string][]seen{}
	for i, k := range keys {
		r.PerKey[i] = LintKey(i, k, now)
		tp := thumbprintOrEmpty(k)
		kid, _ := k.KeyID()
		s := seen{i, tp, algOf(k)}
		if kid != "" {
			byKid[kid] = append(byKid[kid], s)
		}
		if tp != "" {
			byTP[tp] = append(byTP[tp], s)
		}
	}
	for kid, list := range byKid {
		distinct := map[string]bool{}
		for _, s := range list {
			distinct[s.tp] = true
		}
		if len(distinct) < 2 {
			continue
		}
		for _, s := range list {
			r.PerKey[s.index] = append(r.PerKey[s.index], Finding{Index: s.index, Kid: kid, Severity: SevError, Code: LintDuplicateKid,
				Message: fmt.Sprintf("kid %q is shared by %d different keys (positions %s): a verifier picks one by kid and may pick the wrong one; give each key its own kid", kid, len(distinct), positions(list, func(s seen) int { return s.index }))})
		}
	}
	for _, list := range byTP {
		algs := map[string]bool{}
		for _, s := range list {
			algs[s.alg] = true
		}
		if len(list) < 2 || len(algs) < 2 {
			continue
		}
		for _, s := range list {
			kid, _ := keys[s.index].KeyID()
			r.PerKey[s.index] = append(r.PerKey[s.index], Finding{Index: s.index, Kid: kid, Severity: SevWarning, Code: LintDuplicateKeyAlg,
				Message: fmt.Sprintf("the same key is listed %d times with different alg (positions %s): keep one entry per key", len(list), positions(list, func(s seen) int { return s.index }))})
		}
	}
	for _, fs := range r.PerKey {
		for _, f := range fs {
			switch f.Severity {
			case SevError:
				r.Errors++
			case SevWarning:
				r.Warnings++
			default:
				r.Infos++
			}
		}
	}
	return r
}

func positions[T any](list []T, index func(T) int) string {
	var ps []int
	for _, s := range list {
		ps = append(ps, index(s)+1)
	}
	sort.Ints(ps)
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, p)
	}
	return b.String()
}

func thumbprintOrEmpty(k jwk.Key) string {
	if _, isOct := k.(jwk.SymmetricKey); isOct {
		return ""
	}
	tp, err := ComputeThumbprint(k)
	if err != nil {
		return ""
	}
	return tp.Value
}

func algOf(k jwk.Key) string {
	if a, ok := k.Algorithm(); ok {
		return a.String()
	}
	return ""
}

// LintKey lints one key on its own; index is its position, for the messages.
func LintKey(index int, key jwk.Key, now time.Time) (out []Finding) {
	kid, _ := key.KeyID()
	add := func(sev Severity, code, format string, a ...any) {
		out = append(out, Finding{Index: index, Kid: kid, Severity: sev, Code: code, Message: fmt.Sprintf(format, a...)})
	}
	defer func() {
		if r := recover(); r != nil {
			add(SevError, "internal", "internal error while linting: %v", r)
		}
	}()
	kty := key.KeyType().String()
	crv, _ := curveOf(key)
	use, hasUse := key.KeyUsage()
	ops, hasOps := key.KeyOps()
	alg := algOf(key)

	if kid == "" {
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
	var octBits int
	if sk, ok := key.(jwk.SymmetricKey); ok {
		b, _ := sk.Octets()
		octBits = len(b) * 8
		add(SevError, LintOctKey, "an oct key is a shared secret: it is never published and is left out of the public JWKS")
	} else if IsPrivate(key) {
		add(SevInfo, LintPrivate, "holds private members: they are stripped from the public JWKS")
	}
	if alg != "" && !algFits(kty, crv, use, octBits, alg) {
		add(SevWarning, LintAlgMismatch, "alg %s does not fit %s%s: choose one of %s", alg, describeKeyShape(kty, crv, octBits), useWords(use), strings.Join(fittingAlgs(kty, crv, use, octBits), ", "))
	}
	if alg == "RSA1_5" {
		add(SevWarning, LintRSA15, "RSA1_5 (PKCS#1 v1.5 key transport) is open to padding-oracle attacks (RFC 8725 §3.2): use RSA-OAEP-256")
	}
	if kty == KtyRSA {
		var pub rsa.PublicKey
		if err := exportPublic(key, &pub); err == nil {
			if bits := pub.N.BitLen(); bits < 2048 {
				add(SevWarning, LintWeakRSA, "RSA modulus of %d bits is under 2048 (RFC 7518 §3.3): verifiers refuse it; replace the key", bits)
			}
			if pub.E != 65537 {
				add(SevWarning, LintRSAExponent, "public exponent %d is not 65537: some libraries refuse it; generate a new key", pub.E)
			}
		}
	}
	out = append(out, lintCert(index, kid, key, now)...)
	return out
}

func useWords(use string) string {
	if use == "" {
		return ""
	}
	return " for use " + use
}

// fittingAlgs lists the algs that fit a key shape for a use ("" = either).
func fittingAlgs(kty, crv, use string, octBits int) []string {
	if kty == KtyOct && octBits != 256 && octBits != 384 && octBits != 512 && octBits != 128 && octBits != 192 {
		octBits = 0
	}
	var algs []string
	for _, u := range []string{UseSig, UseEnc} {
		if use == "" || use == u {
			algs = append(algs, AlgsFor(kty, crv, u, octBits)...)
		}
	}
	return algs
}

func algFits(kty, crv, use string, octBits int, alg string) bool {
	if kty == KtyOct {
		// Any secret at least as long as the alg needs (RFC 7518 §3.2).
		need := octSizeForAlg(alg)
		return need > 0 && octBits >= need && slices.Contains(fittingAlgs(kty, crv, use, 0), alg)
	}
	return slices.Contains(fittingAlgs(kty, crv, use, 0), alg)
}

var (
	sigOps = []jwk.KeyOperation{jwk.KeyOpSign, jwk.KeyOpVerify}
	encOps = []jwk.KeyOperation{jwk.KeyOpEncrypt, jwk.KeyOpDecrypt, jwk.KeyOpWrapKey, jwk.KeyOpUnwrapKey, jwk.KeyOpDeriveKey, jwk.KeyOpDeriveBits}
)

// useOpsConflict returns the first key_ops value that contradicts use, or "".
func useOpsConflict(use string, ops jwk.KeyOperationList) string {
	var wrong []jwk.KeyOperation
	switch use {
	case UseSig:
		wrong = encOps
	case UseEnc:
		wrong = sigOps
	}
	for _, op := range ops {
		if slices.Contains(wrong, op) {
			return string(op)
		}
	}
	return ""
}

// publicKeyEqual is what crypto public keys share.
type publicKeyEqual interface {
	Equal(x crypto.PublicKey) bool
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
	var pub any
	pk, err := key.PublicKey()
	if err == nil {
		err = jwk.Export(pk, &pub)
	}
	certPub, ok := c.PublicKey.(publicKeyEqual)
	if err != nil || !ok || !certPub.Equal(pub) {
		add(SevWarning, LintCertMismatch, "the x5c certificate holds another public key than this JWK: a verifier using x5c would reject or mistake it")
	}
	return out
}

// rsaBits is an RSA key's modulus size in bits (0 when unreadable).
func rsaBits(key jwk.Key) int {
	var pub rsa.PublicKey
	if err := exportPublic(key, &pub); err != nil {
		return 0
	}
	return pub.N.BitLen()
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
