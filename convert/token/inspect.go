package token

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

	"github.com/lestrrat-go/jwx/v3/jwa"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
)

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
	if len(parts) == 5 {
		return r.inspectJWE(tok, h, src, opts, inner)
	}
	if inner != nil {
		r.refuse(innerSpaceReason(inner, len(parts)))
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
	if err := checkAlphabet(parts); err != nil {
		return nil, err
	}
	if parts[0] == "" {
		return nil, errors.New("not a JWT: the header (first part) is empty")
	}
	return parts, nil
}

// checkAlphabet refuses a part that holds a character base64url never uses
// (the payload of a JWS is checked when decoded: it is raw text under
// b64:false).
func checkAlphabet(parts []string) error {
	for i, p := range parts {
		if i == 1 && len(parts) == 3 {
			continue
		}
		if j := strings.IndexFunc(p, func(r rune) bool {
			return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
		}); j >= 0 {
			r, _ := utf8.DecodeRuneInString(p[j:])
			return fmt.Errorf("not a JWT: part %d holds %q, which base64url never uses (check that the whole token was copied)", i+1, r)
		}
	}
	return nil
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
	r.readClaims(claims, now)
	return nil
}

// readClaims reads the registered claims the report shows: iss, sub, aud
// and the time claims, with what is wrong with them.
func (r *Report) readClaims(claims map[string]json.RawMessage, now time.Time) {
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
}
