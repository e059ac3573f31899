package convert

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jwkdesk/jwkdesk/convert/input"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"

	"github.com/lestrrat-go/jwx/v3/jwa"
)

// Verdict states (Report.State), one per colour of the JWT tab's banner.
const (
	StateVerified    = "verified"      // green
	StateExpired     = "expired"       // amber: signature valid, exp passed
	StateNotYetValid = "not_yet_valid" // amber: signature valid, nbf ahead
	StateNotVerified = "not_verified"  // red
	StateEncrypted   = "encrypted"     // a JWE: nothing to verify here
)

// InspectOptions tune Inspect. Now is the clock (zero: time.Now). Skew is
// the tolerance around exp and nbf, used as given: 0 means none, and callers
// that want the usual tolerance pass DefaultSkew (60 s).
type InspectOptions struct {
	Now  time.Time
	Skew time.Duration
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
	Now        time.Time   `json:"now"`
	Skew       string      `json:"skew"`
}

// Valid reports whether the token is verified and within its lifetime.
func (r *Report) Valid() bool { return r.Verified && !r.Expired && !r.NotYetValid }

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
	if err := enc.Encode(r); err != nil {
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

// header is what Inspect reads from a protected header.
type header struct {
	raw     []byte
	members map[string]json.RawMessage
	alg     string
	kid     string
	hasKid  bool
	typ     string
	enc     string
}

// Inspect decodes a token, picks the candidate keys from src, checks the
// signature with each and puts every finding in a Report. It returns an error
// only when the input is not a token at all; every verification failure is a
// Report with Verified false and a Reason.
func Inspect(token string, src KeySource, opts InspectOptions) (r *Report, err error) {
	defer recovery.Into(&err, "inspecting the token")
	if len(token) > input.MaxTokenSize {
		return nil, fmt.Errorf("the token is %d KiB: tokens over %d KiB are refused; paste the token only", len(token)>>10, input.MaxTokenSize>>10)
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	tok, cleaned, inner := input.CleanToken(token)
	parts, err := splitToken(tok)
	if err != nil {
		return nil, err
	}
	hraw, h, err := decodeHeader(parts[0])
	if err != nil {
		return nil, err
	}
	r = &Report{Claims: json.RawMessage("null"), Kid: h.kid, HasKid: h.hasKid, Alg: h.alg, Typ: h.typ,
		Cleaned: cleaned, Token: tok, Now: now.UTC(), Skew: opts.Skew.String(), KeySource: src.Name,
		Candidates: []Candidate{}, Warnings: []string{}, Times: []TimeClaim{}}
	r.Header, r.HeaderCut = capJSON(hraw, "header")
	idx := src.index()
	r.SetKids, r.DirectKey = idx.kids, idx.direct
	r.Warnings = append(r.Warnings, headerWarnings(h)...)
	if inner != nil {
		r.refuse(innerSpaceReason(inner, len(parts)))
	}
	if len(parts) == 5 {
		r.IsJWE = true
		r.State = StateEncrypted
		r.Reason = fmt.Sprintf("encrypted token (JWE, alg %s, enc %s): it cannot be verified here, only its protected header is shown", h.alg, h.enc)
		r.Verdict = "Encrypted (JWE): " + r.Reason
		return r, nil
	}
	if err := r.readPayload(parts[1], h, now); err != nil {
		return nil, err
	}
	sig, sigErr := decodePart(parts[2], "the signature (third part)")
	if sigErr != nil && !errors.Is(sigErr, errNotCanonical) {
		return nil, fmt.Errorf("not a JWT: %w", sigErr)
	}
	expired, notYet, timeReason, withinSkew := timeState(r.Times, now, opts.Skew)
	r.Expired, r.NotYetValid, r.WithinSkew = expired, notYet, withinSkew
	if refusal := headerRefusal(h); refusal != "" {
		r.notVerified(refusal)
		return r, nil
	}
	if r.refusal != "" {
		r.notVerified(r.refusal)
		return r, nil
	}
	if refusal := signatureRefusal(h.alg, sig, sigErr); refusal != "" {
		r.notVerified(refusal)
		return r, nil
	}
	alg, _ := jwa.LookupSignatureAlgorithm(h.alg)
	// RFC 7515 §5.2: the signing input is the two segments as received.
	r.verify(signed{input: []byte(tok[:strings.LastIndexByte(tok, '.')]), sig: sig}, alg, src)
	r.finish(timeReason)
	return r, nil
}

// refuse records a reason found while decoding, given before any key is
// tried; the first one found is kept.
func (r *Report) refuse(reason string) {
	if r.refusal == "" {
		r.refusal = reason
	}
}

// innerSpaceReason refuses a token with whitespace inside a segment.
func innerSpaceReason(in *input.InnerSpace, parts int) string {
	return fmt.Sprintf("%s holds %s: whitespace inside a segment is not part of a token (RFC 7515 §7.1: the compact form has none), so it is not ignored: refused (if a tool inserted it, copy the token again)", partName(in.Part, parts), in.What)
}

// partName names a segment of a compact token for a human.
func partName(i, parts int) string {
	names := []string{"the header (first part)", "the payload (second part)", "the signature (third part)"}
	if parts == 5 {
		names = []string{"the header (first part)", "the encrypted key (second part)", "the initialization vector (third part)", "the ciphertext (fourth part)", "the authentication tag (fifth part)"}
	}
	if i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("part %d", i+1)
}

func splitToken(tok string) ([]string, error) {
	if tok == "" {
		return nil, errors.New("nothing to inspect: paste a JWT (three base64url parts separated by dots)")
	}
	if strings.HasPrefix(tok, "{") {
		return nil, errors.New("this is JSON serialization: only compact tokens (header.payload.signature) are inspected; paste the compact form")
	}
	parts := strings.Split(tok, ".")
	switch len(parts) {
	case 3, 5:
	default:
		return nil, fmt.Errorf("not a JWT: a compact token has three parts separated by dots (a JWE has five), this has %d", len(parts))
	}
	for i, p := range parts {
		if i == 1 && len(parts) == 3 {
			continue // the payload: checked when decoded (it is raw text under b64:false)
		}
		if j := strings.IndexFunc(p, func(r rune) bool {
			return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
		}); j >= 0 {
			r, _ := utf8.DecodeRuneInString(p[j:])
			return nil, fmt.Errorf("not a JWT: part %d holds %q, which base64url never uses (check that the whole token was copied)", i+1, r)
		}
	}
	if parts[0] == "" {
		return nil, errors.New("not a JWT: the header (first part) is empty")
	}
	return parts, nil
}

// errNotCanonical marks base64url that decodes only leniently: its last
// character carries bits that canonical encoding leaves zero. Accepting it
// would let one token be written several ways (signature malleability).
var errNotCanonical = errors.New("not canonical base64url")

// decodePart decodes one part of a token strictly, naming the part in the
// error and telling a non-canonical ending apart from garbage.
func decodePart(part, name string) ([]byte, error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(part)
	if err == nil {
		return b, nil
	}
	if lenient, lerr := base64.RawURLEncoding.DecodeString(part); lerr == nil {
		return lenient, fmt.Errorf("%s is %w: its last character carries stray bits (a token is encoded one way only; check that it was not edited)", name, errNotCanonical)
	}
	return nil, fmt.Errorf("%s is not base64url (%v): check that the whole token was copied", name, err)
}

// sigLengths are the signature sizes of the algorithms whose signatures
// have one size (RSA's follows the key, checked per candidate by jwx).
var sigLengths = map[string]int{
	"ES256": 64, "ES256K": 64, "ES384": 96, "ES512": 132, "EdDSA": 64, "Ed25519": 64,
	"HS256": 32, "HS384": 48, "HS512": 64,
}

// signatureRefusal refuses a signature that is empty, not canonical, or
// of the wrong size for its alg, with the reason.
func signatureRefusal(alg string, sig []byte, decodeErr error) string {
	switch {
	case decodeErr != nil:
		return decodeErr.Error() + ": refused"
	case len(sig) == 0:
		return "the signature (third part) is empty: refused (an unsigned token is never verified)"
	}
	if want, ok := sigLengths[alg]; ok && len(sig) != want {
		return fmt.Sprintf("the signature is %d bytes, but an %s signature is %d: refused (was the token cut short?)", len(sig), alg, want)
	}
	return ""
}

func decodeHeader(part string) (json.RawMessage, header, error) {
	var h header
	raw, err := decodePart(part, "the header (first part)")
	if err != nil {
		return nil, h, fmt.Errorf("not a JWT: %w", err)
	}
	if !json.Valid(raw) || !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		return nil, h, errors.New("not a JWT: the header (first part) is not a JSON object")
	}
	if err := json.Unmarshal(raw, &h.members); err != nil {
		return nil, h, fmt.Errorf("not a JWT: the header is not a JSON object: %w", err)
	}
	h.raw = raw
	h.alg = stringMember(h.members, "alg")
	h.typ = stringMember(h.members, "typ")
	h.enc = stringMember(h.members, "enc")
	if v, ok := h.members["kid"]; ok {
		h.hasKid = true
		if err := json.Unmarshal(v, &h.kid); err != nil {
			h.kid = string(v)
		}
	}
	return json.RawMessage(raw), h, nil
}

func stringMember(m map[string]json.RawMessage, name string) string {
	var s string
	if v, ok := m[name]; ok && json.Unmarshal(v, &s) == nil {
		return s
	}
	return ""
}

// untrustedHeaders carry keys or key locations: shown, never used.
var untrustedHeaders = []string{"jwk", "jku", "x5u", "x5c"}

func headerWarnings(h header) []string {
	var out []string
	for _, name := range untrustedHeaders {
		if _, ok := h.members[name]; ok {
			out = append(out, fmt.Sprintf("the header carries %q: shown only; a key named by the token itself is never used and nothing is fetched", name))
		}
	}
	return append(out, caseTwinWarnings(h.members, registeredHeaders, "header member", "RFC 7515 §4")...)
}

// The registered names of JOSE header parameters (RFC 7515 §4.1, RFC 7516
// §4.1, RFC 7518 §4, RFC 7797) and of JWT claims (RFC 7519 §4.1).
var (
	registeredHeaders = []string{"alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
		"enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c", "b64"}
	registeredClaims = []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti"}
)

// caseTwinWarnings warns about members whose names differ from a registered
// name only in case ("ALG", "Kid", "EXP"): names are case-sensitive, so they
// are not read as the registered member here, but a verifier that folds case
// would read them.
func caseTwinWarnings(members map[string]json.RawMessage, registered []string, what, rfc string) []string {
	var out []string
	for name := range members {
		for _, reg := range registered {
			if name != reg && strings.EqualFold(name, reg) {
				out = append(out, fmt.Sprintf("the %s %q differs from the registered %q only in case: names are case-sensitive (%s), so it is not read as %q here, but a verifier that ignores case would read it", what, name, reg, rfc, reg))
			}
		}
	}
	slices.Sort(out)
	return out
}

// headerRefusal returns why a token's header alone rules out verification.
func headerRefusal(h header) string {
	if dup := input.FirstDuplicate(h.raw); dup != "" {
		return fmt.Sprintf("the header has the member %q twice (verifiers disagree on which one wins): refused", dup)
	}
	if _, ok := h.members["alg"]; !ok {
		return `the header has no "alg": refused`
	}
	if strings.EqualFold(h.alg, "none") {
		return `alg "none" (an unsecured token): refused, never verified`
	}
	if _, ok := jwa.LookupSignatureAlgorithm(h.alg); !ok || familyOf(h.alg) == "" {
		return fmt.Sprintf("alg %q is not a JWS signature algorithm this app verifies: refused", h.alg)
	}
	if v, ok := h.members["kid"]; ok && !strings.HasPrefix(string(bytes.TrimSpace(v)), `"`) {
		return `the header "kid" is not a string: refused`
	}
	if v, ok := h.members["b64"]; ok && string(bytes.TrimSpace(v)) != "true" {
		return `the header sets "b64": false (RFC 7797 unencoded payload): refused`
	}
	if v, ok := h.members["crit"]; ok {
		var crit []string
		if err := json.Unmarshal(v, &crit); err != nil || len(crit) == 0 {
			return `the header "crit" is not a list of names: refused`
		}
		for _, name := range crit {
			if name != "b64" {
				return fmt.Sprintf("the header marks %q as critical (crit), an extension this app does not understand: refused", name)
			}
		}
	}
	return ""
}

// readPayload decodes the payload: claims when it is a JSON object, text
// otherwise.
func (r *Report) readPayload(part string, h header, now time.Time) error {
	if v, ok := h.members["b64"]; ok && string(bytes.TrimSpace(v)) == "false" {
		r.PayloadText = part
		return nil
	}
	payload, err := decodePart(part, "the payload (second part)")
	switch {
	case errors.Is(err, errNotCanonical):
		r.refuse(err.Error() + ": refused") // shown, never verified
	case err != nil:
		return fmt.Errorf("not a JWT: %w", err)
	}
	trimmed := bytes.TrimSpace(payload)
	if !bytes.HasPrefix(trimmed, []byte("{")) || !json.Valid(trimmed) {
		if utf8.Valid(payload) {
			r.PayloadText = string(payload)
		} else {
			r.PayloadText = fmt.Sprintf("(binary payload, %d bytes: %s)", len(payload), base64.StdEncoding.EncodeToString(payload))
		}
		r.Warnings = append(r.Warnings, "the payload is not a JSON object: shown as text, no claims to check")
		return nil
	}
	r.Claims, r.ClaimsCut = capJSON(trimmed, "claims")
	if dup := input.FirstDuplicate(trimmed); dup != "" {
		r.refuse(fmt.Sprintf("the claims have the member %q twice (verifiers disagree on which one wins): refused", dup))
	}
	var claims map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &claims); err != nil {
		return fmt.Errorf("not a JWT: the claims are not a JSON object: %w", err)
	}
	r.Warnings = append(r.Warnings, caseTwinWarnings(claims, registeredClaims, "claim", "RFC 7519 §4")...)
	r.Iss = stringMember(claims, "iss")
	r.Sub = stringMember(claims, "sub")
	if v, ok := claims["aud"]; ok {
		var one string
		if json.Unmarshal(v, &one) == nil {
			r.Aud = []string{one}
		} else {
			_ = json.Unmarshal(v, &r.Aud)
		}
	}
	r.Times = readTimeClaims(claims, now)
	for _, tc := range r.Times {
		if tc.Warning != "" {
			r.Warnings = append(r.Warnings, tc.Name+": "+tc.Warning)
		}
	}
	if refusal := timeClaimRefusal(r.Times); refusal != "" {
		r.refuse(refusal)
	}
	if _, ok := claims["exp"]; !ok {
		r.Warnings = append(r.Warnings, `no "exp": this token never expires`)
	}
	return nil
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
	case strings.HasPrefix(c.Outcome, "kid matches but") || strings.HasPrefix(c.Outcome, "key's own alg"):
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
