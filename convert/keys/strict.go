package keys

import (
	"bytes"
	"crypto/ecdh"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
)

// ParseJWK reads one JWK strictly: jwx parses it, and on top of what jwx
// checks, keys nobody should import are refused with a specific message —
// duplicate members (also twins that differ only in case, like "KTY"), RSA
// moduli under 1024 bits and exponents that are even, under 3 or longer than
// 4 bytes, EC coordinates that are not the curve's size, OKP members of the
// wrong length, and private parts that do not belong to their public part.
// Its octet members are written canonically (see ParseJWKWithNotes).
func ParseJWK(raw []byte) (jwk.Key, error) {
	k, _, err := ParseJWKWithNotes(raw)
	return k, err
}

// ParseJWKWithNotes is the one JWK reader: ParseJWK, and the notes naming
// what it wrote canonically. Every member that holds octets (RSA n, e, d, p,
// q, dp, dq, qi; EC x, y, d; OKP x, d; oct k; x5t and x5t#S256 of any key)
// goes through one base64url decoder with one policy: standard base64 ("+",
// "/") and "=" padding are read and noted, since the value is not in doubt
// and the key is written in base64url anyway; whitespace, a mix of both
// alphabets and characters of neither are refused. Base64urlUInt members
// (RFC 7518 §2: the RSA ones) lose leading zero octets, with a note; EC
// coordinates and private scalars must be the curve's full size (RFC 7518
// §6.2.1.2, §6.2.2.1), short or long. No jwx message reaches the caller:
// errors name the member and what to do.
func ParseJWKWithNotes(raw []byte) (key jwk.Key, notes []string, err error) {
	defer recovery.Into(&err, "reading a JWK")
	obj, err := jwkMembers(raw)
	if err != nil {
		return nil, nil, err
	}
	canon, f, notes, err := canonicalJWK(raw, obj)
	if err != nil {
		return nil, nil, err
	}
	if err := checkShape(f); err != nil {
		return nil, nil, err
	}
	k, err := jwk.ParseKey(canon)
	if err != nil {
		return nil, nil, jwxParseError(f, err)
	}
	if err := CheckKey(k); err != nil {
		return nil, nil, err
	}
	return k, notes, nil
}

// jwkMembers reads a JWK's members through the one duplicate-member walker
// (input.Members): a member named twice, also in another case, is refused.
func jwkMembers(raw []byte) (map[string]json.RawMessage, error) {
	obj, err := input.Members(raw, true)
	var nj *input.NotJSONError
	switch {
	case errors.As(err, &nj):
		return nil, fmt.Errorf("%w: paste the whole JWK", err)
	case errors.Is(err, input.ErrNotObject):
		return nil, errors.New("a JWK is a JSON object: { \"kty\": … }")
	}
	return obj, err
}

// octetMember is a JWK member that holds octets, base64url-encoded.
type octetMember struct {
	name    string
	uint    bool   // Base64urlUInt (RFC 7518 §2): the minimum number of octets
	section string // where it is defined
}

// octetMembers are, per kty, the members that hold octets; x5t and
// x5t#S256 (RFC 7517 §4.8, §4.9) may be on any key.
var octetMembers = map[string][]octetMember{
	KtyRSA: {
		{"n", true, "RFC 7518 §6.3.1.1"}, {"e", true, "RFC 7518 §6.3.1.2"}, {"d", true, "RFC 7518 §6.3.2.1"},
		{"p", true, "RFC 7518 §6.3.2.2"}, {"q", true, "RFC 7518 §6.3.2.3"}, {"dp", true, "RFC 7518 §6.3.2.4"},
		{"dq", true, "RFC 7518 §6.3.2.5"}, {"qi", true, "RFC 7518 §6.3.2.6"},
	},
	KtyEC:  {{"x", false, "RFC 7518 §6.2.1.2"}, {"y", false, "RFC 7518 §6.2.1.3"}, {"d", false, "RFC 7518 §6.2.2.1"}},
	KtyOKP: {{"x", false, "RFC 8037 §2"}, {"d", false, "RFC 8037 §2"}},
	KtyOct: {{"k", false, "RFC 7518 §6.4.1"}},
	"":     {{"x5t", false, "RFC 7517 §4.8"}, {"x5t#S256", false, "RFC 7517 §4.9"}},
}

// jwkFields are the members of a JWK the checks need, decoded.
type jwkFields struct {
	kty, crv string
	octets   map[string][]byte
}

func (f *jwkFields) has(name string) bool { _, ok := f.octets[name]; return ok }

// canonicalJWK checks the registered members' JSON types, decodes every
// octet member with the one policy (decodeOctets) and returns the JWK with
// those members rewritten canonically, the decoded members, and notes on
// what was rewritten. obj is raw's members (checkMembers).
func canonicalJWK(raw []byte, obj map[string]json.RawMessage) ([]byte, *jwkFields, []string, error) {
	f := &jwkFields{octets: map[string][]byte{}}
	// An unknown kty is said first: its other members (an "alg" of its own
	// family, say) are not this reader's to judge (RFC 7517 §5: skipped).
	var kty string
	if json.Unmarshal(obj["kty"], &kty) == nil && kty != "" && !slices.Contains(KeyTypes(), kty) {
		return nil, nil, nil, unknownKty(kty)
	}
	if err := f.readStringMembers(obj); err != nil {
		return nil, nil, nil, err
	}
	if err := checkListMembers(obj); err != nil {
		return nil, nil, nil, err
	}
	notes, changed, err := f.readOctetMembers(obj)
	if err != nil {
		return nil, nil, nil, err
	}
	if !changed {
		return raw, f, notes, nil // already canonical: jwx reads it as it is
	}
	canon, err := json.Marshal(obj)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("failed to rewrite the JWK: %w", err)
	}
	return canon, f, notes, nil
}

// readStringMembers checks the registered string members' JSON types and
// values, keeping kty and crv.
func (f *jwkFields) readStringMembers(obj map[string]json.RawMessage) error {
	for _, name := range []string{"kty", "crv", "kid", "use", "alg", "x5u"} {
		v, ok := obj[name]
		if !ok {
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("member %q must be a string, not %s", name, jsonKind(v))
		}
		switch name {
		case "kty":
			f.kty = s
		case "crv":
			f.crv = s
		case "use":
			if s != UseSig && s != UseEnc {
				return fmt.Errorf(`"use" is %q: JWK Desk reads "sig" and "enc" (RFC 7517 §4.2); correct it or remove it`, s)
			}
		case "alg":
			if _, err := jwa.KeyAlgorithmFrom(s); err != nil {
				return unknownAlg(s)
			}
		}
	}
	return nil
}

// checkListMembers checks key_ops and x5c are arrays of strings, and x5c's
// certificates standard base64 (RFC 7517 §4.7).
func checkListMembers(obj map[string]json.RawMessage) error {
	for _, name := range []string{"key_ops", "x5c"} {
		v, ok := obj[name]
		if !ok {
			continue
		}
		var list []string
		if err := json.Unmarshal(v, &list); err != nil || list == nil {
			return fmt.Errorf("member %q must be an array of strings, not %s", name, jsonKind(v))
		}
		if name != "x5c" {
			continue
		}
		for i, c := range list {
			if _, err := base64.StdEncoding.DecodeString(c); err != nil {
				return fmt.Errorf(`x5c[%d] is not base64 DER (RFC 7517 §4.7: standard base64, not base64url): copy the certificate again`, i)
			}
		}
	}
	return nil
}

// readOctetMembers decodes every octet member of the kty with the one
// policy (decodeOctets), keeps them, and rewrites in obj the ones not
// written canonically; notes say what was rewritten.
func (f *jwkFields) readOctetMembers(obj map[string]json.RawMessage) (notes []string, changed bool, err error) {
	for _, m := range append(slices.Clone(octetMembers[f.kty]), octetMembers[""]...) {
		v, ok := obj[m.name]
		if !ok {
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, false, fmt.Errorf("member %q must be a base64url string (%s), not %s", m.name, m.section, jsonKind(v))
		}
		b, n, err := decodeOctets(m, s)
		if err != nil {
			return nil, false, err
		}
		notes = append(notes, n...)
		if m.uint {
			var note string
			if b, note = minimalUint(m, b); note != "" {
				notes = append(notes, note)
			}
		}
		f.octets[m.name] = b
		if canonical := base64.RawURLEncoding.EncodeToString(b); canonical != s {
			enc, _ := json.Marshal(canonical)
			obj[m.name], changed = enc, true
		}
	}
	return notes, changed, nil
}

// minimalUint drops the leading zero octets of a Base64urlUInt member (RFC
// 7518 §2: the minimum number of octets), saying so.
func minimalUint(m octetMember, b []byte) ([]byte, string) {
	trimmed := bytes.TrimLeft(b, "\x00")
	if len(trimmed) == 0 && len(b) > 0 {
		trimmed = b[:1] // zero is one zero octet (RFC 7518 §2)
	}
	zeros := len(b) - len(trimmed)
	if zeros == 0 {
		return b, ""
	}
	what := "a leading zero octet"
	if zeros > 1 {
		what = fmt.Sprintf("%d leading zero octets", zeros)
	}
	return trimmed, fmt.Sprintf("%s has %s (%d octets): non-canonical per %s; AWS STS and others reject it; written canonically", m.name, what, len(b), m.section)
}

func jsonKind(v json.RawMessage) string {
	switch t := bytes.TrimSpace(v); {
	case len(t) == 0:
		return "nothing"
	case t[0] == '"':
		return "a string"
	case t[0] == '{':
		return "an object"
	case t[0] == '[':
		return "an array"
	case t[0] == 't' || t[0] == 'f':
		return "a boolean"
	case t[0] == 'n':
		return "null"
	}
	return "a number"
}

// unknownKty refuses a key type JWK Desk does not read.
func unknownKty(kty string) error {
	return fmt.Errorf("unknown key type %q: JWK Desk reads RSA, EC, OKP and oct keys (RFC 7518 §6.1)", kty)
}

// unknownAlg refuses an alg jwx does not register, with the near miss.
func unknownAlg(alg string) error {
	msg := fmt.Sprintf("alg %q is not a registered JOSE algorithm (RFC 7518 §3.1, §4.1, §5.1)", alg)
	guess := map[string]string{"ES521": "ES512"}[strings.ToUpper(alg)]
	if guess == "" {
		if _, err := jwa.KeyAlgorithmFrom(strings.ToUpper(alg)); err == nil {
			guess = strings.ToUpper(alg)
		}
	}
	if guess != "" {
		msg += fmt.Sprintf(": did you mean %q?", guess)
	}
	return errors.New(msg + ": correct it or remove it")
}

// base64Alphabet is every character of base64url and standard base64.
const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/"

// decodeOctets is the one base64url decoder of JWK members, with the one
// policy (see ParseJWKWithNotes).
func decodeOctets(m octetMember, s string) ([]byte, []string, error) {
	if strings.ContainsAny(s, " \t\r\n") {
		return nil, nil, fmt.Errorf("member %q holds spaces or line breaks: base64url (%s) has none; remove them", m.name, m.section)
	}
	std, url := strings.ContainsAny(s, "+/"), strings.ContainsAny(s, "-_")
	if std && url {
		return nil, nil, fmt.Errorf(`member %q mixes base64url ("-", "_") and standard base64 ("+", "/") characters: it was edited or damaged; copy it again from its source`, m.name)
	}
	body := strings.TrimRight(s, "=")
	padding := len(s) - len(body)
	if padding > 0 && (padding > 2 || len(s)%4 != 0) {
		return nil, nil, fmt.Errorf(`member %q ends in %d "=" that do not pad it to a multiple of 4: it was cut or edited; copy it again`, m.name, padding)
	}
	enc := base64.RawURLEncoding
	if std {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(body)
	if err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) && int(ce) < len(body) && !strings.ContainsRune(base64Alphabet, rune(body[ce])) {
			return nil, nil, fmt.Errorf("member %q is not base64url (%s): character %d, %q, is not in its alphabet", m.name, m.section, int(ce)+1, string(body[ce]))
		}
		return nil, nil, fmt.Errorf("member %q is %d characters long, a length no base64url text has: it was cut or edited; copy it again", m.name, len(body))
	}
	var notes []string
	if std {
		notes = append(notes, fmt.Sprintf(`%s is in standard base64 ("+", "/"), not the base64url %s requires: read anyway, written as base64url`, m.name, m.section))
	}
	if padding > 0 {
		notes = append(notes, fmt.Sprintf(`%s ends in "=" padding, which JOSE's base64url omits (RFC 7515 §2): read anyway, written without`, m.name))
	}
	return b, notes, nil
}

// checkShape refuses, with the member named, what jwx would refuse with a
// technical message or accept though it is hostile: unknown kty or crv,
// missing members, members of the wrong size, an EC point off its curve,
// weak RSA numbers. jwx's own checks still run after.
func checkShape(f *jwkFields) error {
	switch f.kty {
	case "":
		return errors.New(`this JSON has no "kty": a JWK names its key type ("kty": "RSA", "EC", "OKP" or "oct")`)
	case KtyRSA:
		if err := f.need("n", "e"); err != nil {
			return err
		}
		if err := checkRSAMembers(f.octets["n"], f.octets["e"]); err != nil {
			return err
		}
		return checkRSAPrivateMembers(f)
	case KtyOct:
		return f.need("k")
	case KtyEC, KtyOKP:
	default:
		return unknownKty(f.kty)
	}
	if f.crv == "" {
		return fmt.Errorf(`this %s JWK has no "crv": it names the curve (%s)`, f.kty, strings.Join(Curves(f.kty), ", "))
	}
	if err := f.need("x"); err != nil {
		return err
	}
	if f.kty == KtyOKP {
		return checkOKPMembers(f.crv, f.octets["x"], f.octets["d"], f.has("d"))
	}
	return checkECShape(f)
}

// need refuses a JWK without one of the members named.
func (f *jwkFields) need(names ...string) error {
	for _, n := range names {
		if !f.has(n) {
			return fmt.Errorf("this %s JWK has no %q: %s", f.kty, n, memberMeaning[n])
		}
	}
	return nil
}

// checkECShape refuses an EC JWK of an unknown curve, with members not of
// the curve's full size (RFC 7518 §6.2.1.2, §6.2.2.1), or a point off it.
func checkECShape(f *jwkFields) error {
	size := curveBytes(f.crv)
	if size == 0 {
		return fmt.Errorf("unknown EC curve %q: JWK Desk reads P-256, P-384, P-521 and secp256k1", f.crv)
	}
	if err := f.need("y"); err != nil {
		return err
	}
	x, y, d := f.octets["x"], f.octets["y"], f.octets["d"]
	for _, c := range []struct {
		name string
		v    []byte
	}{{"x", x}, {"y", y}} {
		if len(c.v) != size {
			return fmt.Errorf("EC coordinate %q is %d bytes: %s needs %d", c.name, len(c.v), f.crv, size) // RFC 7518 §6.2.1.2: always the full size
		}
	}
	if f.has("d") && len(d) != size {
		return fmt.Errorf(`EC private member "d" is %d bytes: %s needs %d`, len(d), f.crv, size) // RFC 7518 §6.2.2.1
	}
	if !onCurve(f.crv, x, y) {
		return fmt.Errorf("the EC point (x, y) is not on %s: refused (a damaged or made-up key; such points leak private keys in ECDH)", f.crv)
	}
	return nil
}

// memberMeaning says what a required member is, for "has no" messages.
var memberMeaning = map[string]string{
	"n": "the RSA modulus (RFC 7518 §6.3.1.1)", "e": "the RSA exponent (RFC 7518 §6.3.1.2), normally AQAB",
	"k": "the secret (RFC 7518 §6.4.1)", "x": "the public key or x coordinate", "y": "the y coordinate (RFC 7518 §6.2.1.3)",
}

// checkRSAPrivateMembers refuses RSA private keys whose CRT members are
// partly there: RFC 7518 §6.3.2 wants all of p, q, dp, dq, qi or none, and
// a key without its primes cannot be checked.
func checkRSAPrivateMembers(f *jwkFields) error {
	var have, lack []string
	for _, n := range []string{"p", "q", "dp", "dq", "qi"} {
		if f.has(n) {
			have = append(have, n)
		} else {
			lack = append(lack, n)
		}
	}
	switch {
	case !f.has("d") && len(have) > 0:
		return fmt.Errorf(`this RSA JWK has %s but no "d": a private key needs "d" (RFC 7518 §6.3.2.1)`, quoteList(have))
	case f.has("d") && len(lack) > 0 && len(have) > 0:
		return fmt.Errorf(`this RSA private JWK has %s but lacks %s: RFC 7518 §6.3.2 asks for all of p, q, dp, dq and qi when any is present`, quoteList(have), quoteList(lack))
	case f.has("d") && len(have) == 0:
		return errors.New(`this RSA private JWK has "d" but none of p, q, dp, dq, qi: without its primes the key cannot be checked or used here; export it again with them`)
	}
	return nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

var jwxMember = regexp.MustCompile(`for key ([A-Za-z0-9_#]+)`)

// jwxParseError turns what jwx refused after the checks above into a
// message that names the member, without jwx's text.
func jwxParseError(f *jwkFields, err error) error {
	if m := jwxMember.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("this %s JWK's member %q has a value that cannot be read: check it against RFC 7517 §4 and RFC 7518 §6", f.kty, m[1])
	}
	return fmt.Errorf("this %s JWK cannot be read: check its members against RFC 7517 §4 and RFC 7518 §6", f.kty)
}

// onCurve reports whether (x, y), each at the curve's size, is a point of
// the named curve.
func onCurve(crv string, x, y []byte) bool {
	point := append(append([]byte{4}, x...), y...)
	switch crv {
	case CrvP256:
		_, err := ecdh.P256().NewPublicKey(point)
		return err == nil
	case CrvP384:
		_, err := ecdh.P384().NewPublicKey(point)
		return err == nil
	case CrvP521:
		_, err := ecdh.P521().NewPublicKey(point)
		return err == nil
	case CrvSecp256k1:
		_, err := secp256k1.ParsePubKey(point)
		return err == nil
	}
	return false
}

// crypto/ecdsa encodes NIST curves only (PublicKey.Bytes, PrivateKey.Bytes);
// a secp256k1 key's numbers are read from its fields for decred.
