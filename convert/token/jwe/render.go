package jwe

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Plaintext kinds (Rendering.Kind).
const (
	TextPlain  = "text"   // UTF-8 text, shown as it is
	TextJSON   = "json"   // a JSON object or array, pretty-printed
	TextBinary = "binary" // not text: shown in base64
	TextEmpty  = "empty"
)

// Caps on pretty-printing a JSON plaintext: past them it is shown as
// written, with a note (a 1 MiB plaintext nested 10,000 levels deep would
// pretty-print to hundreds of MiB).
const (
	maxRenderDepth = 32
	maxRenderSize  = 256 << 10
)

// decrypted sets the verdict of a token that e opened.
func (r *Report) decrypted(e *entry, pt []byte, h *header) {
	if pt == nil {
		pt = []byte{} // an empty plaintext: decrypted, unlike nil
	}
	r.Decrypted, r.Plaintext, r.Reason = true, pt, ""
	r.Key, r.KeyThumb = e.kid, e.thumb
	r.Verdict = "Decrypted with " + keyName(e, h) + " (" + h.alg + ", " + h.enc + ")"
	kind, inner := innerToken(pt)
	switch {
	case kind != "":
		r.Nested, r.Inner, r.InnerKind = true, inner, kind
		r.Verdict += fmt.Sprintf("; the plaintext is a nested %s (RFC 7519 §5.2): inspect it for its own verdict", kind)
	case isJWTContent(h.cty):
		r.Warnings = append(r.Warnings, fmt.Sprintf("cty is %q, which announces a nested JWT (RFC 7519 §5.2), but the plaintext is not a compact JWS or JWE", h.cty))
	}
}

// keyName names the key that opened a token in the verdict.
func keyName(e *entry, h *header) string {
	switch {
	case e.pass:
		return fmt.Sprintf("the passphrase (p2c %s)", groupDigits(h.p2c))
	case e.key == nil:
		return "the shared secret"
	case e.hasKid:
		return fmt.Sprintf("kid %q", e.kid)
	case e.thumb != "":
		return "the key without kid (thumbprint " + e.thumb + ")"
	}
	return "the key without kid"
}

// isJWTContent reports whether cty announces a JWT: "JWT" in any case, with
// or without "application/" (RFC 7519 §5.2, RFC 7515 §4.1.10).
func isJWTContent(cty string) bool {
	return strings.EqualFold(cty, "JWT") || strings.EqualFold(cty, "application/jwt")
}

// Rendering is a plaintext rendered for reading.
type Rendering struct {
	Kind string // TextPlain, TextJSON, TextBinary, TextEmpty ("" when not decrypted)
	Text string // the plaintext as text, pretty JSON, or base64
	Note string // how it is rendered, when not as it is
}

// Render renders the plaintext for reading: UTF-8 text as it is, a JSON
// object or array pretty-printed (within the caps), anything else in base64
// with a note. It is made when asked for (the UI's view, the report's JSON),
// not by every decryption.
func (r *Report) Render() Rendering {
	if !r.Decrypted {
		return Rendering{}
	}
	kind, text, note := render(r.Plaintext)
	return Rendering{Kind: kind, Text: text, Note: note}
}

// MarshalJSON writes the report with its plaintext rendered: "plaintext",
// "plaintext_kind" and "plaintext_note" (the CLI's interface).
func (r *Report) MarshalJSON() ([]byte, error) {
	type fields Report // the same fields, without this method
	rd := r.Render()
	return json.Marshal(struct {
		*fields
		Text string `json:"plaintext"`
		Kind string `json:"plaintext_kind,omitempty"`
		Note string `json:"plaintext_note,omitempty"`
	}{(*fields)(r), rd.Text, rd.Kind, rd.Note})
}

// render renders a plaintext for reading: UTF-8 text as it is, a JSON
// object or array pretty-printed (within the caps), anything else in
// base64 with a note.
func render(pt []byte) (kind, text, note string) {
	switch {
	case len(pt) == 0:
		return TextEmpty, "", "the plaintext is empty"
	case !isText(pt):
		return TextBinary, base64.StdEncoding.EncodeToString(pt), fmt.Sprintf("the plaintext is %d bytes of binary data (not UTF-8 text): shown in base64", len(pt))
	}
	t := bytes.TrimSpace(pt)
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') || !json.Valid(t) {
		return TextPlain, string(pt), "" // json.Valid: the caps below need the depth of valid JSON
	}
	depth := jsonDepth(t)
	if depth > maxRenderDepth {
		return TextJSON, string(pt), fmt.Sprintf("the JSON nests %d levels deep (over %d): shown as written, not pretty-printed", depth, maxRenderDepth)
	}
	if len(t)*(2*depth+3) > maxRenderSize {
		return TextJSON, string(pt), fmt.Sprintf("the JSON would pretty-print to more than %d KiB: shown as written", maxRenderSize>>10)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, t, "", "  "); err != nil {
		return TextPlain, string(pt), ""
	}
	return TextJSON, out.String(), ""
}

// isText reports whether b is UTF-8 text: valid UTF-8 without control
// characters other than tab, line feed and carriage return.
func isText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}

// jsonDepth is how deep valid JSON nests its objects and arrays.
func jsonDepth(b []byte) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range b {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}

// innerToken finds a nested token in a plaintext: a compact JWS (three
// parts) or JWE (five) whose first part is a JSON object with an "alg".
// It returns its kind ("JWS", "JWE"; "" when the plaintext is no token)
// and the token with surrounding whitespace removed.
func innerToken(pt []byte) (kind, tok string) {
	if len(pt) > MaxTokenSize || !utf8.Valid(pt) {
		return "", ""
	}
	t := strings.TrimSpace(string(pt))
	parts := strings.Split(t, ".")
	switch len(parts) {
	case 3:
		kind = "JWS"
	case 5:
		kind = "JWE"
	default:
		return "", ""
	}
	if slices.ContainsFunc(parts, notBase64URL) {
		return "", ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[0])
	var h struct {
		Alg *string `json:"alg"`
	}
	if err != nil || json.Unmarshal(raw, &h) != nil || h.Alg == nil {
		return "", ""
	}
	return kind, t
}

// notBase64URL reports whether s holds a character base64url never uses.
func notBase64URL(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	})
}
