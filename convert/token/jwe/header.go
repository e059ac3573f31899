package jwe

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// compact is a compact JWE split into its five parts (RFC 7516 §7.1), each
// decoded strictly.
type compact struct {
	token     string // as inspected: the five parts and their dots
	rawHeader []byte // the protected header's JSON as written
	encKey    []byte
	iv        []byte
	ciphertxt []byte
	tag       []byte
}

// partNames name the five parts of a compact JWE for a human.
var partNames = [5]string{
	"the protected header (first part)",
	"the encrypted key (second part)",
	"the initialization vector (third part)",
	"the ciphertext (fourth part)",
	"the authentication tag (fifth part)",
}

// splitCompact reads the five parts of a compact JWE. It refuses the JSON
// serialization, another number of parts, characters base64url never uses
// and base64url that decodes only leniently (stray bits in the last
// character: one token would then be written several ways).
func splitCompact(tok string) (*compact, error) {
	tok = strings.TrimSpace(tok)
	switch {
	case tok == "":
		return nil, errors.New("nothing to inspect: paste a compact JWE (five base64url parts separated by dots)")
	case strings.HasPrefix(tok, "{"):
		return nil, errors.New("this is a JWE in JSON serialization: only the compact form (five base64url parts separated by dots) is read; ask the issuer for the compact form, or take the \"protected\", \"encrypted_key\", \"iv\", \"ciphertext\" and \"tag\" members of one recipient and join them with dots (possible only when there is no unprotected header and no \"aad\")")
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 5 {
		return nil, fmt.Errorf("not a compact JWE: it has five parts separated by dots (a signed JWT has three), this has %d", len(parts))
	}
	c := &compact{token: tok}
	dst := [5]*[]byte{&c.rawHeader, &c.encKey, &c.iv, &c.ciphertxt, &c.tag}
	for i, p := range parts {
		b, err := decodePart(p, partNames[i])
		if err != nil {
			return nil, err
		}
		*dst[i] = b
	}
	if len(c.rawHeader) == 0 {
		return nil, errors.New("not a compact JWE: the protected header (first part) is empty")
	}
	return c, nil
}

// decodePart decodes one part strictly, naming it in the error.
func decodePart(part, name string) ([]byte, error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(part)
	if err == nil {
		return b, nil
	}
	if j := strings.IndexFunc(part, func(r rune) bool { return notBase64URL(string(r)) }); j >= 0 {
		r, _ := utf8.DecodeRuneInString(part[j:])
		return nil, fmt.Errorf("not a compact JWE: %s holds %q, which base64url never uses (check that the whole token was copied)", name, r)
	}
	if _, lerr := base64.RawURLEncoding.DecodeString(part); lerr == nil {
		return nil, fmt.Errorf("not a compact JWE: %s is not canonical base64url: its last character carries stray bits (a token is encoded one way only; check that it was not edited)", name)
	}
	return nil, fmt.Errorf("not a compact JWE: %s is not base64url (its length is impossible): check that the whole token was copied", name)
}

// header is what Inspect reads from the protected header. The raw JSON is
// kept as written; the members are read once, after the duplicate check.
type header struct {
	members map[string]json.RawMessage
	alg     string
	enc     string
	kid     string
	hasKid  bool
	zip     string
	cty     string
	typ     string
	epk     json.RawMessage
	epkCrv  string // the epk's curve, once checkEPK has read it
	epkX    []byte // an X25519 epk's u-coordinate
	epkNote string
	p2c     int64
	hasP2C  bool
	p2s     []byte
	crit    []string
	hasCrit bool
}

// stringMembers are the header members that, when present, must be strings
// (RFC 7516 §4.1, RFC 7518 §4.6.1, §4.7.1, §4.8.1).
var stringMembers = []string{"alg", "enc", "zip", "kid", "typ", "cty", "jku", "x5u", "x5t", "x5t#S256", "apu", "apv", "iv", "tag", "p2s"}

// parseHeader reads the protected header: a JSON object, without duplicate
// members at any depth, whose registered members have their registered
// types. The problem is returned as a refusal reason (a token whose header
// says two things at once is shown, never decrypted).
func parseHeader(raw []byte) (*header, string) {
	members, msg := readMembers(raw)
	if msg != "" {
		return nil, msg
	}
	h := &header{members: members}
	for _, name := range stringMembers {
		v, ok := members[name]
		if !ok {
			continue
		}
		s, ok := jsonString(v)
		if !ok {
			return nil, fmt.Sprintf("header member %q must be a string, not %s: refused", name, jsonKind(v))
		}
		if p := h.stringField(name); p != nil {
			*p = s
		}
	}
	_, h.hasKid = members["kid"]
	h.epk = members["epk"]
	if msg := h.readPBES2(); msg != "" {
		return nil, msg
	}
	if msg := h.readCrit(); msg != "" {
		return nil, msg
	}
	return h, ""
}

// jsonString reads a JSON string value; false when v is not a string. A
// plain ASCII string without escapes is read without decoding.
func jsonString(v json.RawMessage) (string, bool) {
	if n := len(v); n >= 2 && v[0] == '"' && v[n-1] == '"' && plainASCII(v[1:n-1]) {
		return string(v[1 : n-1]), true
	}
	if len(v) == 0 || v[0] != '"' { // null, too, which Unmarshal would take as ""
		return "", false
	}
	var s string
	err := json.Unmarshal(v, &s)
	return s, err == nil
}

func plainASCII(b []byte) bool {
	for _, c := range b {
		if c == '\\' || c == '"' || c < 0x20 || c >= 0x80 {
			return false
		}
	}
	return true
}

// stringField is where a string member is kept (nil for those only checked).
func (h *header) stringField(name string) *string {
	switch name {
	case "alg":
		return &h.alg
	case "enc":
		return &h.enc
	case "zip":
		return &h.zip
	case "cty":
		return &h.cty
	case "typ":
		return &h.typ
	case "kid":
		return &h.kid
	}
	return nil
}

// readPBES2 reads p2c and p2s (RFC 7518 §4.8.1) when present.
func (h *header) readPBES2() string {
	if v, ok := h.members["p2c"]; ok {
		if jsonKind(v) != "a number" {
			return fmt.Sprintf(`header member "p2c" must be a number, not %s: refused`, jsonKind(v))
		}
		var n json.Number
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.UseNumber()
		if dec.Decode(&n) != nil {
			return fmt.Sprintf(`header member "p2c" must be a number, not %s: refused`, jsonKind(v))
		}
		c, err := n.Int64()
		if err != nil || c < 1 {
			return fmt.Sprintf(`header member "p2c" is %s: the PBES2 count is a positive integer (RFC 7518 §4.8.1.2): refused`, n)
		}
		h.p2c, h.hasP2C = c, true
	}
	if v, ok := h.members["p2s"]; ok {
		s := stringMember(h.members, "p2s")
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			return fmt.Sprintf(`header member "p2s" is not base64url (%s): refused`, v)
		}
		h.p2s = b
	}
	return ""
}

// readCrit reads crit (RFC 7516 §4.1.13, RFC 7515 §4.1.11): a non-empty
// array of strings.
func (h *header) readCrit() string {
	v, ok := h.members["crit"]
	if !ok {
		return ""
	}
	h.hasCrit = true
	if json.Unmarshal(v, &h.crit) != nil {
		return fmt.Sprintf(`header member "crit" must be an array of names, not %s: refused`, jsonKind(v))
	}
	if len(h.crit) == 0 {
		return `header member "crit" is empty, which RFC 7515 §4.1.11 forbids: refused`
	}
	return ""
}

func stringMember(m map[string]json.RawMessage, name string) string {
	s, _ := jsonString(m[name])
	return s
}

// jsonKind names the JSON type of a value for a message.
func jsonKind(v json.RawMessage) string {
	t := bytes.TrimSpace(v)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// readMembers reads the members of a JSON object (raw is valid JSON),
// refusing a member that appears twice in one object at any depth, also
// twins that differ only in case ("ALG" beside "alg"): readers disagree on
// which one counts. The top level's values are kept as written. It scans
// the bytes once (encoding/json's Decoder.Token, or Unmarshal into a map,
// costs a third of a dir decryption here): in valid JSON, a string followed
// by a colon is a member name; names with escapes are decoded by
// encoding/json.
func readMembers(raw []byte) (map[string]json.RawMessage, string) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' {
		return nil, "the protected header is not a JSON object: refused"
	}
	sc := memberScanner{raw: t, members: map[string]json.RawMessage{}, start: -1}
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '{':
			sc.stack = append(sc.stack, map[string]string{})
		case '[':
			sc.stack = append(sc.stack, nil)
		case '}', ']':
			sc.endValue(i)
			sc.stack = sc.stack[:max(0, len(sc.stack)-1)]
		case ',':
			sc.endValue(i)
		case '"':
			end, msg := sc.str(i)
			if msg != "" {
				return nil, msg
			}
			i = end
		}
	}
	return sc.members, ""
}

// memberScanner is readMembers' state.
type memberScanner struct {
	raw     []byte
	stack   []map[string]string // the open objects' names (nil for an array)
	members map[string]json.RawMessage
	name    string // the top-level member whose value is being read
	start   int    // where its value starts (-1: none)
}

// str reads the string starting at raw[i]: a member name is checked
// against its object's others, and a top-level one starts a value. It
// returns the index of the closing quote.
func (sc *memberScanner) str(i int) (int, string) {
	end := stringEnd(sc.raw, i)
	j := end + 1
	for j < len(sc.raw) && (sc.raw[j] == ' ' || sc.raw[j] == '\t' || sc.raw[j] == '\n' || sc.raw[j] == '\r') {
		j++
	}
	depth := len(sc.stack)
	if j >= len(sc.raw) || sc.raw[j] != ':' || depth == 0 || sc.stack[depth-1] == nil {
		return end, "" // a value, not a name
	}
	name, _ := jsonString(sc.raw[i : end+1])
	if msg := seenName(sc.stack[depth-1], name); msg != "" {
		return end, msg
	}
	if depth == 1 {
		sc.name, sc.start = name, j+1
	}
	return end, ""
}

// endValue ends the top-level value being read at raw[i] (a comma or the
// object's closing brace).
func (sc *memberScanner) endValue(i int) {
	if len(sc.stack) == 1 && sc.start >= 0 {
		sc.members[sc.name] = json.RawMessage(bytes.TrimSpace(sc.raw[sc.start:i]))
		sc.start = -1
	}
}

// stringEnd is the index of the quote that ends the JSON string starting at
// raw[start].
func stringEnd(raw []byte, start int) int {
	for i := start + 1; i < len(raw); i++ {
		switch raw[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(raw) - 1
}

func seenName(names map[string]string, name string) string {
	lower := strings.ToLower(name)
	prev, dup := names[lower]
	switch {
	case !dup:
		names[lower] = name
		return ""
	case prev == name:
		return fmt.Sprintf("header member %q appears twice: refused, since readers disagree on which one counts", name)
	}
	return fmt.Sprintf("header members %q and %q differ only in case: refused, since member names are case-sensitive and one of them is a trap", prev, name)
}
