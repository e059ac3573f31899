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
	if j := strings.IndexFunc(part, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}); j >= 0 {
		r, _ := utf8.DecodeRuneInString(part[j:])
		return nil, fmt.Errorf("not a compact JWE: %s holds %q, which base64url never uses (check that the whole token was copied)", name, r)
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(part)
	if err == nil {
		return b, nil
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
	if msg := duplicateMember(raw); msg != "" {
		return nil, msg
	}
	h := &header{}
	if err := json.Unmarshal(raw, &h.members); err != nil || h.members == nil {
		return nil, "the protected header is not a JSON object: refused"
	}
	for _, name := range stringMembers {
		if v, ok := h.members[name]; ok {
			var s string
			if json.Unmarshal(v, &s) != nil {
				return nil, fmt.Sprintf("header member %q must be a string, not %s: refused", name, jsonKind(v))
			}
		}
	}
	h.alg = stringMember(h.members, "alg")
	h.enc = stringMember(h.members, "enc")
	h.zip = stringMember(h.members, "zip")
	h.cty = stringMember(h.members, "cty")
	h.typ = stringMember(h.members, "typ")
	if _, ok := h.members["kid"]; ok {
		h.kid, h.hasKid = stringMember(h.members, "kid"), true
	}
	h.epk = h.members["epk"]
	if msg := h.readPBES2(); msg != "" {
		return nil, msg
	}
	if msg := h.readCrit(); msg != "" {
		return nil, msg
	}
	return h, ""
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
	var s string
	if v, ok := m[name]; ok && json.Unmarshal(v, &s) == nil {
		return s
	}
	return ""
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

// duplicateMember walks JSON with encoding/json's Decoder.Token and names the
// first member that appears twice in one object, at any depth, also twins
// that differ only in case ("ALG" beside "alg"): readers disagree on which
// one counts. "" when there is none, or when raw is not JSON (said later).
func duplicateMember(raw []byte) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	type frame struct {
		obj   bool
		key   bool // the next token of an object is a member name
		names map[string]string
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil { // the end, or not JSON: said by the caller
			return ""
		}
		top := len(stack) - 1
		if top >= 0 && stack[top].obj && stack[top].key {
			name, _ := tok.(string)
			if msg := seenName(stack[top].names, name); msg != "" {
				return msg
			}
			stack[top].key = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{obj: true, key: true, names: map[string]string{}})
			continue
		case json.Delim('['):
			stack = append(stack, frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:top]
		}
		if top = len(stack) - 1; top >= 0 && stack[top].obj {
			stack[top].key = true // a value ended: a name comes next
		}
	}
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
