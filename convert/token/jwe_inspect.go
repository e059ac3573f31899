package token

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/token/jwe"
)

// inspectJWE inspects a compact JWE through package jwe with the source
// that fits its alg (jweSource), and a nested compact JWS (RFC 7519 §5.2)
// with Inspect against the same key source. The report's verdict is the
// combined one; the JWE layer's is in r.JWE, the inner token's in r.Inner.
func (r *Report) inspectJWE(tok string, h header, src KeySource, opts InspectOptions, inner *input.InnerSpace) (*Report, error) {
	r.IsJWE = true
	r.Warnings = []string{}
	if inner != nil { // refused before any key is tried, as for a JWS
		jr := &jwe.Report{Header: r.Header, Alg: h.alg, Enc: h.enc, Kid: h.kid, HasKid: h.hasKid, KeySource: src.Name, Candidates: []jwe.Candidate{}, Warnings: []string{}}
		jr.Reason = innerSpaceReason(inner, 5)
		jr.Verdict = "Not decrypted: " + jr.Reason
		r.JWE = jr
		r.combine()
		return r, nil
	}
	jr, err := jwe.Inspect(tok, jweSource(h.alg, src, opts), jwe.Options{AllowRSA1_5: opts.AllowRSA1_5})
	if err != nil {
		return nil, err
	}
	r.JWE = jr
	r.Warnings = append(r.Warnings, jr.Warnings...)
	if jr.Nested && jr.InnerKind == "JWS" {
		in, err := Inspect(jr.Inner, src, InspectOptions{Now: opts.Now, Skew: opts.Skew})
		if err != nil { // the plaintext looked like a token and is not one
			r.Warnings = append(r.Warnings, "the plaintext looks like a nested JWS but is not one: "+err.Error())
		} else {
			r.Inner = in
		}
	} else if jr.Nested {
		r.Warnings = append(r.Warnings, "the plaintext is itself a JWE: inspect it on its own (one layer is opened at a time)")
	}
	r.combine()
	return r, nil
}

// jweSource is what a JWE of alg is decrypted with: the passphrase for
// PBES2, the shared secret (opts.Secret, or the source's HMAC secret) for
// dir, A*KW and A*GCMKW when one is given, and otherwise the keys of src
// (a set by kid, or one key given directly, per the JWS rules).
func jweSource(alg string, src KeySource, opts InspectOptions) jwe.Source {
	secret := opts.Secret
	if secret == nil && src.Secret != nil {
		secret = src.Secret
	}
	switch jwe.Needs(alg) {
	case jwe.NeedPassphrase:
		if opts.Passphrase != nil {
			return jwe.Passphrase(opts.Passphrase)
		}
	case jwe.NeedSecret:
		if secret != nil {
			return jwe.SharedSecret(secret)
		}
	}
	if src.Secret != nil {
		return jwe.KeySet(src.Name, nil)
	}
	if src.direct && len(src.Keys) == 1 {
		return jwe.OneKey(src.Name, src.Keys[0])
	}
	return jwe.KeySet(src.Name, src.Keys)
}

// combine sets the report's verdict from the JWE layer and the inner
// token's: "Decrypted with kid "enc-1" (…); inner token: verified with key
// sig-1". A decrypted token without nested token is StateDecrypted; with
// one, the inner token's state is the report's.
func (r *Report) combine() {
	jr := r.JWE
	r.Key, r.KeyThumb, r.DirectKey = jr.Key, jr.KeyThumb, jr.DirectKey
	if !jr.Decrypted {
		r.State, r.Reason, r.Verdict = StateNotDecrypted, jr.Reason, jr.Verdict
		return
	}
	layer := jr.Verdict
	if i := strings.Index(layer, "; the plaintext is a nested"); i >= 0 {
		layer = layer[:i]
	}
	if r.Inner == nil {
		r.State, r.Reason, r.Verdict = StateDecrypted, "", jr.Verdict
		return
	}
	in := r.Inner
	r.Verified, r.Expired, r.NotYetValid, r.WithinSkew = in.Verified, in.Expired, in.NotYetValid, in.WithinSkew
	r.Claims, r.ClaimsCut, r.PayloadText, r.Times = in.Claims, in.ClaimsCut, in.PayloadText, in.Times
	r.Iss, r.Sub, r.Aud = in.Iss, in.Sub, in.Aud
	r.State, r.Reason = in.State, in.Reason
	r.Verdict = layer + "; inner token: " + lowerFirst(in.Verdict)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// jweJSON is a JWE's report as the CLI prints it: the JWE layer's fields
// (package jwe's report: header, alg, enc, kid, candidates, decrypted,
// key, plaintext…), with the combined "state" and "verdict", the layer's
// own verdict as "jwe_verdict", and the nested token's whole report as
// "inner".
func (r *Report) jweJSON() (map[string]any, error) {
	raw, err := json.Marshal(r.JWE)
	if err != nil {
		return nil, fmt.Errorf("failed to encode the report: %w", err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("failed to encode the report: %w", err)
	}
	m["is_jwe"] = true
	m["jwe_verdict"] = r.JWE.Verdict
	m["verdict"] = r.Verdict
	m["state"] = r.State
	m["reason"] = r.Reason
	m["warnings"] = r.Warnings
	m["now"] = r.Now
	if len(r.Cleaned) > 0 {
		m["cleaned"] = r.Cleaned
	}
	if r.Inner != nil {
		m["inner"] = r.Inner
	}
	return m, nil
}
