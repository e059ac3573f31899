package encjwk

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// envelope is a JWE taken apart, before any key work: its serialization,
// its three header locations (RFC 7516 §7.2.1: protected, shared
// unprotected, per-recipient) and its decoded parts. Only the protected
// header exists in the compact form.
type envelope struct {
	form      Form
	data      []byte                     // the input without surrounding whitespace: what jwx decrypts
	protected map[string]json.RawMessage // decoded "protected" / first part
	shared    map[string]json.RawMessage // "unprotected" (JSON forms)
	recipient map[string]json.RawMessage // the one recipient's "header" (JSON forms)
	encKey    []byte
	iv        []byte
	cipher    []byte
	tag       []byte
}

// parseEnvelope takes data apart. An error of kind ErrNotJWE means data is
// not shaped like a JWE at all; ErrDamaged, that it is but a part is broken;
// ErrUnsupported, a JSON form this reader does not take. With those two the
// envelope is returned too, its headers read as far as they could be (so
// Detect can still recognise a damaged encrypted JWK).
func parseEnvelope(data []byte) (*envelope, error) {
	if len(data) > MaxInput {
		return nil, newError(ErrTooLarge, fmt.Sprintf("the encrypted JWK is over %d MiB", MaxInput>>20))
	}
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' {
		return parseJSONForm(data)
	}
	return parseCompact(data)
}

// compactParts are the five parts of a compact JWE (RFC 7516 §7.1), in order.
var compactParts = [5]string{"protected header", "encrypted_key", "iv", "ciphertext", "tag"}

func parseCompact(data []byte) (*envelope, error) {
	parts := strings.Split(string(data), ".")
	if len(parts) != 5 || parts[0] == "" {
		return nil, newError(ErrNotJWE, "not a JWE: a compact JWE has five parts separated by dots, and a JSON one is an object")
	}
	for _, p := range parts {
		if strings.IndexFunc(p, notBase64URL) >= 0 {
			return nil, newError(ErrNotJWE, "not a JWE: a compact JWE holds only base64url characters and four dots")
		}
	}
	env := &envelope{form: FormCompact, data: data}
	raw := make([][]byte, 5)
	var err error
	if raw[0], err = decodeB64(parts[0], compactParts[0]); err != nil {
		return env, err
	}
	if env.protected, err = headerObject(raw[0], "the protected header"); err != nil {
		return env, err
	}
	for i := 1; i < 5; i++ {
		if raw[i], err = decodeB64(parts[i], compactParts[i]); err != nil {
			return env, err
		}
	}
	env.encKey, env.iv, env.cipher, env.tag = raw[1], raw[2], raw[3], raw[4]
	return env, nil
}

func notBase64URL(r rune) bool {
	return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
}

// decodeB64 decodes one base64url member strictly: unpadded, canonical
// (RFC 7515 §2, base64url without padding). what names it in the error.
func decodeB64(s, what string) ([]byte, error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, newError(ErrDamaged, fmt.Sprintf("%s is not base64url without padding: the file is damaged", what))
	}
	return b, nil
}

// parseJSONForm reads the JSON serialization (RFC 7516 §7.2): flattened
// (step's form) or general with exactly one recipient.
func parseJSONForm(data []byte) (*envelope, error) {
	top, topErr := members(data)
	if _, ok := top["ciphertext"]; !ok {
		return nil, newError(ErrNotJWE, `not a JWE: a JSON JWE is an object with a "ciphertext" member`)
	}
	env := &envelope{form: FormFlattened, data: data}
	rcpt := top
	if rs, ok := top["recipients"]; ok {
		var err error
		if rcpt, err = oneRecipient(rs, top); err != nil {
			return env, err
		}
		env.form = FormGeneral
	}
	err := env.readJSONParts(top, rcpt)
	if topErr != nil && err == nil {
		err = newError(ErrDamaged, "the JWE "+topErr.Error())
	}
	return env, err
}

// oneRecipient returns the only element of "recipients" (RFC 7516 §7.2.1),
// refusing several and a mix with the flattened form's members (§7.2.2).
func oneRecipient(rs json.RawMessage, top map[string]json.RawMessage) (map[string]json.RawMessage, error) {
	for _, m := range []string{"header", "encrypted_key"} {
		if _, ok := top[m]; ok {
			return nil, newError(ErrDamaged, fmt.Sprintf(`the JWE has both "recipients" and %q: the general and the flattened JSON forms are mixed`, m))
		}
	}
	var list []json.RawMessage
	if err := json.Unmarshal(rs, &list); err != nil {
		return nil, newError(ErrDamaged, `"recipients" is not an array`)
	}
	if len(list) != 1 {
		return nil, newError(ErrUnsupported, fmt.Sprintf(`the JWE has %d recipients: an encrypted JWK has one (its passphrase)`, len(list)))
	}
	r, err := members(list[0])
	if err != nil {
		return nil, newError(ErrDamaged, "the recipient "+err.Error())
	}
	return r, nil
}

// readJSONParts decodes the headers and parts of a JSON JWE; rcpt holds the
// recipient's members (the top object itself when flattened).
func (env *envelope) readJSONParts(top, rcpt map[string]json.RawMessage) error {
	var err error
	if env.shared, err = objectMember(top, "unprotected"); err != nil {
		return err
	}
	if env.recipient, err = objectMember(rcpt, "header"); err != nil {
		return err
	}
	p, ok := top["protected"]
	if !ok {
		return newError(ErrUnsupported, `the JWE has no "protected" header: its enc and PBES2 parameters must be integrity-protected`)
	}
	b, err := b64Member(p, "protected")
	if err != nil {
		return err
	}
	if env.protected, err = headerObject(b, "the protected header"); err != nil {
		return err
	}
	if _, ok := top["aad"]; ok {
		if _, err := b64Member(top["aad"], "aad"); err != nil {
			return err
		}
	}
	for _, m := range []struct {
		obj  map[string]json.RawMessage
		name string
		dst  *[]byte
	}{{rcpt, "encrypted_key", &env.encKey}, {top, "iv", &env.iv}, {top, "ciphertext", &env.cipher}, {top, "tag", &env.tag}} {
		v, ok := m.obj[m.name]
		if !ok {
			return newError(ErrDamaged, fmt.Sprintf("the JWE has no %q member", m.name))
		}
		if *m.dst, err = b64Member(v, m.name); err != nil {
			return err
		}
	}
	return nil
}

// b64Member decodes a JSON string member holding base64url.
func b64Member(v json.RawMessage, name string) ([]byte, error) {
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, newError(ErrDamaged, fmt.Sprintf("%q is not a string", name))
	}
	return decodeB64(s, fmt.Sprintf("%q", name))
}

// objectMember returns the JSON object obj[name] as members (nil when absent).
func objectMember(obj map[string]json.RawMessage, name string) (map[string]json.RawMessage, error) {
	v, ok := obj[name]
	if !ok {
		return nil, nil
	}
	m, err := members(v)
	if err != nil {
		return m, newError(ErrDamaged, fmt.Sprintf("the %q header %s", name, err))
	}
	return m, nil
}

// headerObject decodes a header's JSON text: one object, each member once
// (with a repeated member, the object is returned with the error).
func headerObject(b []byte, what string) (map[string]json.RawMessage, error) {
	m, err := members(b)
	if err != nil {
		return m, newError(ErrDamaged, what+" "+err.Error())
	}
	return m, nil
}

// members reads one JSON object and nothing after it, refusing a member
// that appears twice (RFC 7516 §4 and RFC 7159 §4: encoding/json would keep
// the last, another reader the first). The error reads after the object's
// name: "repeats the member "alg"". With a repeated member or text after
// the end the object is still returned (first values kept), so a caller
// can tell a damaged JWE from something else.
func members(b []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("is not a JSON object")
	}
	out := map[string]json.RawMessage{}
	var dup string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("is not valid JSON")
		}
		name, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("is not valid JSON")
		}
		if _, seen := out[name]; seen {
			if dup == "" {
				dup = name
			}
			continue
		}
		out[name] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("is not valid JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return out, fmt.Errorf("has text after its end")
	}
	if dup != "" {
		return out, fmt.Errorf("repeats the member %q: each member appears once", dup)
	}
	return out, nil
}
