// Package encjwk reads and writes passphrase-encrypted JWKs and JWK Sets:
// a JWE (RFC 7516) with a PBES2 key management algorithm (RFC 7518 §4.8)
// whose plaintext is a JWK (cty jwk+json) or a JWK Set (cty jwk-set+json).
// It is the form `step crypto jwk create` writes (the JSON flattened
// serialization, PBES2-HS256+A128KW, p2c 100,000), and node jose reads and
// writes with a passphrase.
//
// The package does the envelope only: Detect and Inspect read the header
// without deriving anything; Open derives the key and decrypts, and checks
// that the plaintext is a JSON object with "kty" or "keys"; Seal encrypts.
// Parsing the key itself is the engine's strict JWK reader's job.
//
// All JOSE work is jwx v3's; what this package adds is the policy: the p2c
// cap and floors, the header checks done before an expensive derivation,
// and errors a caller can branch on (see Error).
//
// What it decides, where the RFCs leave room:
//   - cty jwk+json or jwk-set+json, case-insensitive, "application/"
//     optional; no cty is accepted, and then the plaintext must be a JWK or
//     JWK Set; any other cty, or typ JWT without cty, is not a key. cty is
//     a hint: a JWK Set under jwk+json is read as a JWK Set, with a note.
//   - alg, p2s and p2c in the protected header or the recipient's; enc in
//     the protected header; none of them in the shared unprotected header
//     (jwx would not read them there). Header locations must be disjoint,
//     and no object may repeat a member.
//   - The compact form, the JSON flattened form, and the JSON general form
//     with one recipient. zip DEF is read (bounded by MaxContent); crit is
//     refused.
//   - p2c is read within [ReadFloor, ReadCap] and written within
//     [WriteFloor, ReadCap]; it is a positive integer written in digits.
package encjwk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The limits, in one place.
const (
	// ReadCap is the largest p2c Open derives. Above it the key is refused
	// before any work: 10,000,000 iterations of PBES2-HS512 took 11–14 s
	// on the 2-core reference machine (see pbes2).
	ReadCap = 10_000_000
	// ReadFloor is the smallest p2c Open accepts: RFC 7518 §4.8.1.2
	// recommends at least 1,000. Below it the passphrase protects little.
	ReadFloor = 1000
	// WriteFloor is the smallest p2c Seal writes, and its default: OWASP's
	// 2023 figure for PBKDF2-HMAC-SHA256. A caller may ask for more, up to
	// ReadCap (more could not be read back).
	WriteFloor = 600_000
	// DefaultAlg and DefaultEnc are what Seal writes.
	DefaultAlg = "PBES2-HS512+A256KW"
	DefaultEnc = "A256GCM"
	// MaxInput caps an encrypted JWK or JWK Set (the caller's own cap for
	// its kind of input comes first), and MaxContent what decrypting and
	// inflating it may yield.
	MaxInput   = 16 << 20
	MaxContent = 16 << 20
)

// Form is the serialization of a JWE (RFC 7516 §7).
type Form int

// The forms Detect recognises.
const (
	FormCompact   Form = iota + 1 // five base64url parts separated by dots
	FormFlattened                 // JSON, flattened (§7.2.2): step's form and Seal's default
	FormGeneral                   // JSON, general (§7.2.1), with one recipient
)

func (f Form) String() string {
	switch f {
	case FormCompact:
		return "compact serialization"
	case FormFlattened:
		return "JSON serialization (flattened)"
	case FormGeneral:
		return "JSON serialization (general)"
	}
	return "unknown serialization"
}

// Content is what an encrypted JWK holds: by its cty before Open, by what
// the plaintext is after.
type Content int

// The contents.
const (
	ContentUnknown Content = iota // no cty: a JWK or JWK Set is expected
	ContentJWK                    // cty jwk+json; a JSON object with "kty"
	ContentJWKS                   // cty jwk-set+json; a JSON object with "keys"
)

func (c Content) String() string {
	switch c {
	case ContentJWK:
		return "JWK"
	case ContentJWKS:
		return "JWK Set"
	}
	return "JWK or JWK Set"
}

// Info is what the header says, read without the passphrase.
type Info struct {
	Form     Form
	Alg      string // "PBES2-HS256+A128KW"
	Enc      string // "A256GCM"
	Cty      string // as written; "" when absent
	Zip      string // "DEF" or ""
	P2C      int64  // the PBES2 count
	SaltLen  int    // the length of p2s in bytes
	Declared Content
	// Content is Declared before Open; after it, what the plaintext is.
	Content Content
	// Estimate is the derivation's price on the reference machine (see
	// pbes2): a UI shows a busy indicator for it (600,000: about 1 s).
	Estimate time.Duration
	// Notes are facts worth showing: a cty that did not match the content.
	Notes []string
}

// Describe says what the input is, for a prompt or a refusal:
// "a PBES2-HS256+A128KW-encrypted JWK (p2c 100,000)".
func (i Info) Describe() string {
	if i.Content == ContentUnknown {
		return fmt.Sprintf("a %s-encrypted JWE without cty (p2c %s), expected to hold a JWK or JWK Set", i.Alg, grouped(i.P2C))
	}
	return fmt.Sprintf("a %s-encrypted %s (p2c %s)", i.Alg, i.Content, grouped(i.P2C))
}

// pbes2 are the PBES2 algorithms (RFC 7518 §4.8) with the price of one
// PBKDF2 iteration of each on the reference machine (2 shared KVM cores,
// Xeon @ 2.00GHz, go1.26.8), measured by BenchmarkDerive, BenchmarkOpen and
// BenchmarkSeal under the load of other work (load average ~4): medians,
// rounded up. HS512 ranged 1.1–2.3 µs: Open at p2c 600,000 took 0.92–1.06 s,
// at 10,000,000 11–14 s; Seal 0.95–1.4 s and 14–21 s.
var pbes2 = map[string]time.Duration{
	"PBES2-HS256+A128KW": 1500 * time.Nanosecond,
	"PBES2-HS384+A192KW": 1900 * time.Nanosecond,
	"PBES2-HS512+A256KW": 2000 * time.Nanosecond,
}

// encSizes are the sizes RFC 7518 §5 fixes for each enc: content key, iv
// and tag, in bytes. The wrapped key is 8 bytes longer (RFC 3394).
var encSizes = map[string]struct{ cek, iv, tag int }{
	"A128GCM":       {16, 12, 16},
	"A192GCM":       {24, 12, 16},
	"A256GCM":       {32, 12, 16},
	"A128CBC-HS256": {32, 16, 16},
	"A192CBC-HS384": {48, 16, 24},
	"A256CBC-HS512": {64, 16, 32},
}

// Detect says whether data is a passphrase-encrypted JWK or JWK Set, and in
// which serialization: a JWE whose alg is PBES2 and whose cty is jwk+json
// or jwk-set+json (case-insensitive, "application/" optional), or absent —
// then the plaintext must turn out to be a JWK or JWK Set when opened — but
// not typ JWT. It is cheap (no derivation) and says yes to a damaged one
// too, so a reader can route it here and Inspect or Open can say what is
// wrong. A JWE encrypted to a key is not one: Inspect says ErrNotPBES2.
func Detect(data []byte) (Form, bool) {
	env, _ := parseEnvelope(data)
	if env == nil || env.protected == nil {
		return 0, false
	}
	h := env.header()
	alg, _ := h.str("alg")
	if _, ok := pbes2[alg]; !ok {
		return 0, false
	}
	if _, err := h.content(); err != nil {
		return 0, false
	}
	return env.form, true
}

// Inspect reads the header of an encrypted JWK without the passphrase and
// checks everything that can be checked before deriving: the form, the
// algorithms, the PBES2 parameters (p2c within [ReadFloor, ReadCap]) and
// the sizes of encrypted_key, iv and tag. Info is filled as far as the
// header could be read, also with an error: a refused p2c is in Info.P2C.
func Inspect(data []byte) (Info, error) {
	env, err := parseEnvelope(data)
	if env == nil || env.protected == nil {
		return Info{}, err
	}
	return inspectEnvelope(env, err, ReadCap)
}

// header is the JOSE header of the JWE: the union of its three locations
// (RFC 7516 §4), which must not share a name (§7.2.1).
type header struct {
	protected, shared, recipient map[string]json.RawMessage
}

func (env *envelope) header() header {
	return header{protected: env.protected, shared: env.shared, recipient: env.recipient}
}

// get returns the member name, from whichever location holds it, and
// whether it is in the shared unprotected header.
func (h header) get(name string) (v json.RawMessage, shared, ok bool) {
	if v, ok := h.protected[name]; ok {
		return v, false, true
	}
	if v, ok := h.recipient[name]; ok {
		return v, false, true
	}
	v, ok = h.shared[name]
	return v, ok, ok
}

// str returns a string member ("" and false when absent; an error when it
// is there but not a string).
func (h header) str(name string) (string, error) {
	v, _, ok := h.get(name)
	if !ok {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", newError(ErrDamaged, fmt.Sprintf("the header member %q is not a string", name))
	}
	return s, nil
}

// analyze reads and checks the header's members, filling Info as it goes.
func (h header) analyze(form Form) (Info, error) {
	info := Info{Form: form}
	if err := h.disjoint(); err != nil {
		return info, err
	}
	steps := []func(*Info) error{h.readAlg, h.readEnc, h.readExtras, h.readContent, h.readSalt, h.readCount}
	for _, step := range steps {
		if err := step(&info); err != nil {
			return info, err
		}
	}
	info.Estimate = estimate(info.Alg, info.P2C)
	return info, nil
}

// disjoint refuses a name in two header locations (RFC 7516 §7.2.1). The
// compact form has one location, so this is for the JSON forms.
func (h header) disjoint() error {
	locs := []struct {
		name string
		m    map[string]json.RawMessage
	}{{"the protected header", h.protected}, {`the "unprotected" header`, h.shared}, {`the recipient's "header"`, h.recipient}}
	for i, a := range locs {
		for _, b := range locs[i+1:] {
			for name := range a.m {
				if _, ok := b.m[name]; ok {
					return newError(ErrDamaged, fmt.Sprintf("%q is in both %s and %s: header members must be disjoint (RFC 7516 §7.2.1)", name, a.name, b.name))
				}
			}
		}
	}
	return nil
}

// algParams are the members jwx reads from the protected and the
// recipient's header only; in the shared unprotected header jwx would not
// see them.
var algParams = []string{"alg", "enc", "p2s", "p2c", "zip"}

func (h header) readAlg(info *Info) error {
	for _, name := range algParams {
		if _, shared, _ := h.get(name); shared {
			return newError(ErrUnsupported, fmt.Sprintf(`%q is in the shared "unprotected" header: put it in the protected header`, name))
		}
	}
	alg, err := h.str("alg")
	if err != nil {
		return err
	}
	info.Alg = alg
	if alg == "" {
		return newError(ErrDamaged, `the JWE header has no "alg"`)
	}
	if _, ok := pbes2[alg]; !ok {
		return newError(ErrNotPBES2, fmt.Sprintf("this JWE is encrypted to a key (alg %s), not with a passphrase: it needs that key to decrypt, and a passphrase-encrypted JWK uses PBES2", alg))
	}
	return nil
}

func (h header) readEnc(info *Info) error {
	enc, err := h.str("enc")
	if err != nil {
		return err
	}
	info.Enc = enc
	if _, ok := h.protected["enc"]; !ok {
		return newError(ErrUnsupported, `"enc" is not in the protected header: it must be integrity-protected there`)
	}
	if _, ok := encSizes[enc]; !ok {
		return newError(ErrUnsupported, fmt.Sprintf("enc %q is not a content encryption algorithm of RFC 7518 §5 (A128GCM…A256GCM, A128CBC-HS256…A256CBC-HS512)", enc))
	}
	return nil
}

// memberKinds are the JSON kinds of the registered header members jwx
// type-checks when it parses a header (RFC 7515 §4.1, RFC 7516 §4.1, RFC
// 7518 §4.6.1 and §4.7.1): '"' a string, '[' an array, '{' an object.
var memberKinds = map[string]byte{
	"jku": '"', "kid": '"', "x5u": '"', "x5t": '"', "x5t#S256": '"', "typ": '"', "cty": '"',
	"apu": '"', "apv": '"', "iv": '"', "tag": '"', "x5c": '[', "crit": '[', "jwk": '{', "epk": '{',
}

var kindNames = map[byte]string{'"': "a string", '[': "an array", '{': "an object"}

// readExtras checks the registered members' JSON kinds, and refuses crit
// (no extension is understood here, RFC 7516 §4.1.13) and any zip but DEF
// (RFC 7516 §4.1.3).
func (h header) readExtras(info *Info) error {
	for name, kind := range memberKinds {
		if v, _, ok := h.get(name); ok && bytes.TrimSpace(v)[0] != kind {
			return newError(ErrDamaged, fmt.Sprintf("the header member %q is not %s (RFC 7516 §4.1)", name, kindNames[kind]))
		}
	}
	if _, _, ok := h.get("crit"); ok {
		return newError(ErrUnsupported, `the header has "crit": it names extensions this reader does not understand, so it must refuse the JWE (RFC 7516 §4.1.13)`)
	}
	zip, err := h.str("zip")
	if err != nil {
		return err
	}
	info.Zip = zip
	if zip != "" && zip != "DEF" {
		return newError(ErrUnsupported, fmt.Sprintf(`zip %q is not a compression algorithm of RFC 7518 §7.3 (only "DEF")`, zip))
	}
	return nil
}

func (h header) readContent(info *Info) error {
	cty, _ := h.str("cty")
	info.Cty = cty
	c, err := h.content()
	info.Declared, info.Content = c, c
	return err
}

// content classifies cty (and typ when cty is absent).
func (h header) content() (Content, error) {
	cty, err := h.str("cty")
	if err != nil {
		return 0, err
	}
	switch mediaType(cty) {
	case "jwk+json":
		return ContentJWK, nil
	case "jwk-set+json":
		return ContentJWKS, nil
	case "":
		if typ, _ := h.str("typ"); mediaType(typ) == "jwt" {
			return 0, newError(ErrNotKey, "typ is JWT: this is an encrypted token, not an encrypted JWK")
		}
		return ContentUnknown, nil
	}
	return 0, newError(ErrNotKey, fmt.Sprintf("cty is %q: the content is not a JWK or JWK Set (cty jwk+json or jwk-set+json)", cty))
}

// mediaType lower-cases a typ or cty value and drops an "application/"
// prefix, which RFC 7515 §4.1.9–10 lets a writer omit.
func mediaType(s string) string {
	s = strings.ToLower(s)
	if rest, ok := strings.CutPrefix(s, "application/"); ok && !strings.Contains(rest, "/") {
		return rest
	}
	return s
}

// readSalt checks p2s: base64url of at least 8 octets (RFC 7518 §4.8.1.1).
func (h header) readSalt(info *Info) error {
	v, _, ok := h.get("p2s")
	if !ok {
		return newError(ErrDamaged, `the header has no "p2s" (the PBES2 salt)`)
	}
	salt, err := b64Member(v, "p2s")
	if err != nil {
		return err
	}
	info.SaltLen = len(salt)
	if len(salt) < 8 {
		return newError(ErrDamaged, fmt.Sprintf("p2s is %d bytes: a PBES2 salt is at least 8 (RFC 7518 §4.8.1.1)", len(salt)))
	}
	return nil
}

// readCount reads p2c: a positive integer written in digits (RFC 7518
// §4.8.1.2). One too large for int64 is read as over any cap.
func (h header) readCount(info *Info) error {
	v, _, ok := h.get("p2c")
	if !ok {
		return newError(ErrDamaged, `the header has no "p2c" (the PBES2 count)`)
	}
	s := string(v)
	if s == "" || strings.Trim(s, "0123456789") != "" || s[0] == '0' {
		return newError(ErrDamaged, fmt.Sprintf("p2c is %.40s: it must be a positive whole number written in digits", s))
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil { // digits, but more than int64 holds
		n = 1<<63 - 1
	}
	info.P2C = n
	return nil
}

// checkCount holds p2c to [ReadFloor, limit], before any derivation.
func checkCount(info Info, limit int64) error {
	switch {
	case info.P2C > limit:
		shown := grouped(info.P2C)
		if info.P2C == math.MaxInt64 { // readCount's stand-in for a longer number
			shown = "over " + shown
		}
		e := newError(ErrCountOverCap, fmt.Sprintf("p2c is %s, over the cap of %s for reading: refused before deriving (it would take %s here); re-encrypt the key with a p2c of %s to %s",
			shown, grouped(limit), roundEstimate(info.Estimate), grouped(WriteFloor), grouped(ReadCap)))
		e.Count, e.Limit = info.P2C, limit
		return e
	case info.P2C < ReadFloor:
		e := newError(ErrCountUnderFloor, fmt.Sprintf("p2c is %s, under the floor of %s (RFC 7518 §4.8.1.2): the passphrase barely protects this key; re-encrypt it with a p2c of %s or more",
			grouped(info.P2C), grouped(ReadFloor), grouped(WriteFloor)))
		e.Count, e.Limit = info.P2C, ReadFloor
		return e
	}
	return nil
}

// estimate prices count iterations of alg's PBKDF2 (saturating).
func estimate(alg string, count int64) time.Duration {
	unit := int64(pbes2[alg])
	if unit == 0 || count <= 0 {
		return 0
	}
	if count > math.MaxInt64/unit {
		return math.MaxInt64
	}
	return time.Duration(count * unit)
}

// roundEstimate writes a derivation time for a person: "about 0.9 s",
// "about 25 min", "years".
func roundEstimate(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return fmt.Sprintf("about %.1f s", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("about %.0f s", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("about %.0f min", d.Minutes())
	case d < 48*time.Hour:
		return fmt.Sprintf("about %.0f h", d.Hours())
	case d < 365*24*time.Hour:
		return fmt.Sprintf("about %.0f days", d.Hours()/24)
	}
	return "years"
}

// checkSizes compares the parts with the sizes enc fixes, so a damaged
// file is named as such before a derivation is spent on it.
func (env *envelope) checkSizes(info Info) error {
	sz := encSizes[info.Enc]
	for _, p := range []struct {
		name      string
		got, want int
	}{{"encrypted_key", len(env.encKey), sz.cek + 8}, {"iv", len(env.iv), sz.iv}, {"tag", len(env.tag), sz.tag}} {
		if p.got != p.want {
			return newError(ErrDamaged, fmt.Sprintf("%s is %d bytes, and with %s and %s it is %d: the file is damaged", p.name, p.got, info.Alg, info.Enc, p.want))
		}
	}
	if strings.Contains(info.Enc, "CBC") && (len(env.cipher) == 0 || len(env.cipher)%16 != 0) {
		return newError(ErrDamaged, fmt.Sprintf("the ciphertext is %d bytes, not a whole number of 16-byte blocks as %s writes: the file is damaged", len(env.cipher), info.Enc))
	}
	return nil
}
