package token

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/token/jwe"
)

// Verdict states (Report.State): a face shows each in its own colour (the
// window: green, amber, red), and never spells them out.
const (
	StateVerified     = "verified"      // green
	StateExpired      = "expired"       // amber: signature valid, exp passed
	StateNotYetValid  = "not_yet_valid" // amber: signature valid, nbf ahead
	StateNotVerified  = "not_verified"  // red
	StateDecrypted    = "decrypted"     // green: a JWE decrypted (no nested token)
	StateNotDecrypted = "not_decrypted" // red: a JWE not decrypted
)

// InspectOptions tune Inspect. Now is the clock (zero: time.Now). Skew is
// the tolerance around exp and nbf, used as given: 0 means none, and callers
// that want the usual tolerance pass DefaultSkew (60 s).
//
// For a compact JWE, Secret is the shared secret of dir, A*KW and A*GCMKW
// (nil: the key source's HMAC secret, if it is one), Passphrase the PBES2
// passphrase, and AllowRSA1_5 the opt-in to RSA1_5 (legacy,
// Bleichenbacher-prone; RFC 8725 §3.2).
type InspectOptions struct {
	Now         time.Time
	Skew        time.Duration
	Secret      []byte
	Passphrase  []byte
	AllowRSA1_5 bool
}

// Candidate is one key considered for a token and what came of it.
type Candidate struct {
	Kid        string `json:"kid"`
	Thumbprint string `json:"thumbprint,omitempty"` // empty for oct secrets: never hashed for display
	Kty        string `json:"kty"`
	Alg        string `json:"alg,omitempty"` // the key's own alg, if it has one
	Outcome    string `json:"outcome"`
	Verified   bool   `json:"verified"`
	// Checked is true when the signature itself was checked with this key.
	Checked bool `json:"signature_checked"`
	// Matches is true when the signature matches this key, even if it is
	// not trusted for the verdict (ambiguous kid, key without kid).
	Matches bool `json:"signature_matches"`
	index   int
	tp      string // thumbprint for identity, also for oct keys
	misfit  bool   // the key does not fit the token's alg (fitProblem): told last
}

// Report is everything Inspect learnt about a token. The JSON names are the
// CLI's stable interface (DESIGN.md).
type Report struct {
	Header      json.RawMessage `json:"header"`
	HeaderCut   string          `json:"header_cut,omitempty"`   // what of the header is left out of Header, and why
	Claims      json.RawMessage `json:"claims"`                 // null when the payload is not a JSON object
	ClaimsCut   string          `json:"claims_cut,omitempty"`   // what of the claims is left out of Claims, and why
	PayloadText string          `json:"payload_text,omitempty"` // a non-JSON payload, as text
	Kid         string          `json:"kid"`
	HasKid      bool            `json:"has_kid"`
	Alg         string          `json:"alg"`
	Typ         string          `json:"typ,omitempty"`
	IsJWE       bool            `json:"is_jwe"`
	Verified    bool            `json:"verified"` // the signature verified with a trusted key
	Key         string          `json:"key"`      // kid of the key that verified
	KeyThumb    string          `json:"key_thumbprint,omitempty"`
	Reason      string          `json:"reason"` // why not verified, or why not valid now
	Verdict     string          `json:"verdict"`
	State       string          `json:"state"`
	Expired     bool            `json:"expired"`
	NotYetValid bool            `json:"not_yet_valid"`
	// WithinSkew is set when the token is valid only thanks to the clock
	// skew: exp has passed, or nbf is still ahead, by less than the skew.
	WithinSkew *SkewNote   `json:"within_skew,omitempty"`
	Candidates []Candidate `json:"candidates"`
	KeySource  string      `json:"key_source"`
	DirectKey  bool        `json:"direct_key"` // one key the user chose: tried whatever the token's kid
	SetKids    []string    `json:"set_kids"`
	Times      []TimeClaim `json:"times"`
	Iss        string      `json:"iss,omitempty"`
	Sub        string      `json:"sub,omitempty"`
	Aud        []string    `json:"aud,omitempty"`
	Warnings   []string    `json:"warnings"`
	Cleaned    []string    `json:"cleaned,omitempty"` // what was removed from the pasted text
	refusal    string      // a reason found while decoding, given before any key is tried
	budgetNote string      // set when the signature-check work bound stopped the checks
	Token      string      `json:"-"` // the cleaned token that was inspected
	// JWE is the report of a compact JWE (nil for a JWS): the header, the
	// candidates and the plaintext; Inner is the nested JWS it held,
	// inspected against the same key source (RFC 7519 §5.2).
	JWE   *jwe.Report `json:"-"`
	Inner *Report     `json:"-"`
	Now   time.Time   `json:"now"`
	Skew  string      `json:"skew"`
}

// Valid reports whether the token is verified and within its lifetime; a
// JWE, whether it was decrypted and its nested token (if any) is valid.
func (r *Report) Valid() bool {
	if r.JWE != nil {
		return r.JWE.Decrypted && (r.Inner == nil || r.Inner.Valid())
	}
	return r.Verified && !r.Expired && !r.NotYetValid
}

// HeaderJSON is the header pretty-printed as the token wrote it.
func (r *Report) HeaderJSON() string { return prettyRaw(r.Header) }

// ClaimsJSON is the claims pretty-printed as the token wrote them (or the
// payload text when it is not JSON).
func (r *Report) ClaimsJSON() string {
	if len(r.Claims) == 0 || string(r.Claims) == "null" {
		return r.PayloadText
	}
	return prettyRaw(r.Claims)
}

// JSON is the report as pretty JSON (the CLI's output).
func (r *Report) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	var v any = r
	if r.JWE != nil {
		m, err := r.jweJSON()
		if err != nil {
			return nil, err
		}
		v = m
	}
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("failed to encode the report: %w", err)
	}
	return buf.Bytes(), nil
}

func prettyRaw(raw json.RawMessage) string {
	var out bytes.Buffer
	if err := json.Indent(&out, bytes.TrimSpace(raw), "", "  "); err != nil {
		return string(raw)
	}
	return out.String()
}

// refuse records a reason found while decoding, given before any key is
// tried; the first one found is kept.
func (r *Report) refuse(reason string) {
	if r.refusal == "" {
		r.refusal = reason
	}
}

func (r *Report) notVerified(reason string) {
	r.Verified = false
	r.State = StateNotVerified
	r.Reason = reason
	r.Verdict = "Not verified: " + reason
	switch {
	case r.Expired:
		r.Verdict += " (and expired)"
	case r.NotYetValid:
		r.Verdict += " (and not yet valid)"
	}
}

// finish sets the verdict once the candidates are known.
func (r *Report) finish(timeReason string) {
	if r.State == StateNotVerified {
		return
	}
	for _, c := range r.Candidates {
		if c.Verified {
			r.Verified = true
			r.Key = c.Kid
			r.KeyThumb = c.Thumbprint
			break
		}
	}
	if !r.Verified {
		r.notVerified(r.candidateReason())
		return
	}
	with := "key " + quoteKid(r.Key)
	if r.Key == "" && r.KeyThumb != "" {
		with = "the key with thumbprint " + r.KeyThumb
	} else if r.Key == "" {
		with = "the " + r.KeySource
	}
	switch {
	case r.Expired:
		r.State = StateExpired
		r.Reason = "signature valid but " + timeReason
	case r.NotYetValid:
		r.State = StateNotYetValid
		r.Reason = "signature valid but " + timeReason
	default:
		r.State = StateVerified
		r.Verdict = "Verified with " + with
		return
	}
	r.Verdict = strings.ToUpper(r.Reason[:1]) + r.Reason[1:] + " (verified with " + with + ")"
}

// candidateReason puts the most telling outcomes first: a signature that was
// checked and failed, then keys refused, then keys that do not fit.
func (r *Report) candidateReason() (reason string) {
	if len(r.Candidates) == 0 {
		return "no key in the " + r.KeySource + " fits alg " + r.Alg
	}
	if r.budgetNote != "" {
		defer func() { reason += "; " + r.budgetNote }()
	}
	if len(r.Candidates) == 1 {
		return r.Candidates[0].Outcome
	}
	sorted := slices.Clone(r.Candidates)
	slices.SortStableFunc(sorted, func(a, b Candidate) int { return rank(a) - rank(b) })
	var parts []string
	for i, c := range sorted {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(sorted)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("key %s: %s", quoteKid(c.Kid), c.Outcome))
	}
	return fmt.Sprintf("none of the %d candidate keys verifies (%s)", len(r.Candidates), strings.Join(parts, "; "))
}

func rank(c Candidate) int {
	switch {
	case c.Matches:
		return 0
	case c.Checked:
		return 1
	case c.misfit:
		return 3
	}
	return 2
}

func quoteKid(kid string) string {
	if kid == "" {
		return "(no kid)"
	}
	return kid
}
