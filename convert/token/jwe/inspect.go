// Package jwe reads and writes compact JWEs (RFC 7516, RFC 7518) for JWK
// Desk: it inspects a token (the protected header, the kid it needs, every
// candidate key from a source with one reason each), decrypts it with the
// candidates in turn, renders the plaintext and finds a nested JWT (RFC 7519
// §5.2); and it encrypts test tokens to a key, a shared secret or a
// passphrase. The JOSE work is jwx's (github.com/lestrrat-go/jwx/v3/jwe);
// this package chooses the keys, refuses what should not be decrypted, and
// says why.
package jwe

import (
	"encoding/json"
	"errors"
	"fmt"
)

// MaxTokenSize caps a token: 64 KiB, as for a signed token.
const MaxTokenSize = 64 << 10

// Options tune Inspect.
type Options struct {
	// AllowRSA1_5 reads RSA1_5 tokens: legacy, and open to Bleichenbacher's
	// padding-oracle attack (RFC 8725 §3.2). Off by default.
	AllowRSA1_5 bool
}

// Candidate codes: what came of one key (Candidate.Code).
const (
	CodeWrongKid    = "wrong_kid"        // the key's kid is not the token's
	CodeAlgMismatch = "alg_does_not_fit" // kty, curve or size does not fit the token's alg
	CodeKeyAlg      = "key_alg_differs"  // the key's own alg is another
	CodeSigningKey  = "use_sig"          // a signing key never decrypts
	CodeKeyOps      = "key_ops"          // key_ops allow no decryption
	CodePublicOnly  = "public_only"      // the public half: no private key
	CodeRSASize     = "rsa_size"         // RSA under 2048 bits (or over 16384)
	CodeOpened      = "opened"           // the key opened the token
	CodeNotOpened   = "not_opened"       // the key did not open it
	CodeNotTried    = "not_tried"        // not tried: another key opened it, or the work bound was hit
)

// Candidate is one key considered for a token and what came of it.
type Candidate struct {
	Kid        string `json:"kid"`
	HasKid     bool   `json:"has_kid"`
	Thumbprint string `json:"thumbprint,omitempty"` // RFC 7638; empty for secrets: never hashed for display
	Kty        string `json:"kty"`
	Crv        string `json:"crv,omitempty"`
	Alg        string `json:"alg,omitempty"` // the key's own alg, if it has one
	Code       string `json:"code"`
	Outcome    string `json:"outcome"`
	Tried      bool   `json:"tried"`  // a decryption was attempted with it
	Opened     bool   `json:"opened"` // it opened the token, trusted for the verdict or not
	Decrypted  bool   `json:"decrypted"`
}

// Report is everything Inspect learnt about a JWE.
type Report struct {
	Header     json.RawMessage `json:"header"` // the protected header as written
	Alg        string          `json:"alg"`
	Enc        string          `json:"enc"`
	Kid        string          `json:"kid"`
	HasKid     bool            `json:"has_kid"`
	Zip        string          `json:"zip,omitempty"`
	Cty        string          `json:"cty,omitempty"`
	Typ        string          `json:"typ,omitempty"`
	EPKCurve   string          `json:"epk_crv,omitempty"` // ECDH-ES*: the ephemeral key's curve
	P2C        int64           `json:"p2c,omitempty"`     // PBES2: the iteration count
	Crit       []string        `json:"crit,omitempty"`
	KeySource  string          `json:"key_source"`
	DirectKey  bool            `json:"direct_key"` // one key the user chose: tried whatever the kid
	Candidates []Candidate     `json:"candidates"`
	Decrypted  bool            `json:"decrypted"`
	Key        string          `json:"key"` // the kid of the key that opened it
	KeyThumb   string          `json:"key_thumbprint,omitempty"`
	Plaintext  []byte          `json:"-"`      // rendered by Render; in JSON as "plaintext", "plaintext_kind", "plaintext_note"
	Nested     bool            `json:"nested"` // the plaintext is a token (RFC 7519 §5.2)
	Inner      string          `json:"inner_token,omitempty"`
	InnerKind  string          `json:"inner_kind,omitempty"` // "JWS" or "JWE"
	Verdict    string          `json:"verdict"`
	Reason     string          `json:"reason"` // why not decrypted
	Warnings   []string        `json:"warnings"`
}

// Inspect reads a compact JWE, picks the candidate keys from src, decrypts
// with each in turn until one opens it, and puts every finding in a Report.
// It returns an error only when the input is not a compact JWE at all;
// every refusal and every failure to decrypt is a Report with Decrypted
// false and a Reason.
func Inspect(compact string, src Source, opts Options) (r *Report, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("failed to inspect the JWE: an unexpected internal error (%v); nothing was changed, please report it", p)
		}
	}()
	if len(compact) > MaxTokenSize {
		return nil, fmt.Errorf("the token is %d KiB: tokens over %d KiB are refused; paste the token only", len(compact)>>10, MaxTokenSize>>10)
	}
	c, err := splitCompact(compact)
	if err != nil {
		return nil, err
	}
	if !json.Valid(c.rawHeader) {
		return nil, errors.New("not a compact JWE: the protected header (first part) is not JSON")
	}
	r = &Report{Header: json.RawMessage(c.rawHeader), KeySource: src.Name, DirectKey: src.kind == srcKey,
		Candidates: []Candidate{}, Warnings: []string{}}
	h, refusal := parseHeader(c.rawHeader)
	if h == nil {
		r.notDecrypted(refusal)
		return r, nil
	}
	r.fill(h)
	if refusal := headerRefusal(h, c, opts); refusal != "" {
		r.notDecrypted(refusal)
		return r, nil
	}
	r.EPKCurve = h.epkCrv
	r.Warnings = append(r.Warnings, headerWarnings(h)...)
	r.decrypt(c, h, src)
	return r, nil
}

func (r *Report) fill(h *header) {
	r.Alg, r.Enc, r.Kid, r.HasKid = h.alg, h.enc, h.kid, h.hasKid
	r.Zip, r.Cty, r.Typ, r.P2C, r.Crit = h.zip, h.cty, h.typ, h.p2c, h.crit
}

// notDecrypted sets the verdict of a token that was not decrypted.
func (r *Report) notDecrypted(reason string) {
	r.Decrypted = false
	r.Plaintext = nil
	r.Nested, r.Inner, r.InnerKind = false, "", ""
	r.Reason = reason
	r.Verdict = "Not decrypted: " + reason
}

// headerWarnings are what the header holds that is shown and never used.
func headerWarnings(h *header) []string {
	var out []string
	for _, name := range []string{"jku", "jwk", "x5u", "x5c"} {
		if _, ok := h.members[name]; ok {
			out = append(out, fmt.Sprintf("the header carries %q: shown, never used (keys are never taken from the token itself)", name))
		}
	}
	if h.hasP2C && h.p2c < 1000 {
		out = append(out, fmt.Sprintf("p2c is %d: under the 1,000 iterations RFC 7518 §4.8.1.2 recommends, the passphrase is cheap to guess", h.p2c))
	}
	if h.epkNote != "" {
		out = append(out, h.epkNote)
	}
	return out
}
