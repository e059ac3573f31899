package jwe

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// MaxP2C is the largest PBES2 iteration count read (RFC 7518 §4.8.1.2's
// p2c): one million PBKDF2-HMAC-SHA-512 iterations took 2 s on the loaded
// 2-core build machine (1.5 s with SHA-256). A larger
// count is refused before any key is derived, so that a pasted token cannot
// freeze the app; jwx's own cap (jwe.WithMaxPBES2Count) is set to the same
// value as a second line of defence.
const MaxP2C = 1_000_000

// minP2SBytes: RFC 7518 §4.8.1.1 wants a salt input of 8 octets or more.
const minP2SBytes = 8

// headerRefusal runs the checks of the protected header and of the parts'
// sizes that come before any key is tried, in order, and returns the first
// refusal ("" when the token may be decrypted).
func headerRefusal(h *header, c *compact, opts Options) string {
	for _, check := range []func(*header, *compact, Options) string{
		checkAlg, checkEnc, checkZip, checkCrit, checkPBES2, checkGCMKW, checkAgreementInfo, checkEPK, checkEncryptedKey, checkSizes,
	} {
		if msg := check(h, c, opts); msg != "" {
			return msg
		}
	}
	return ""
}

func checkAlg(h *header, _ *compact, opts Options) string {
	a, ok := keyAlgs[h.alg]
	switch {
	case h.alg == "" && h.members["alg"] == nil:
		return `the header has no "alg": a JWE names its key management algorithm (RFC 7516 §4.1.1): refused`
	case strings.EqualFold(h.alg, "none"):
		return `alg "none" is not a key management algorithm: a JWE is always encrypted to a key (RFC 7516 §4.1.1): refused`
	case slices.Contains(signatureAlgs, h.alg):
		return fmt.Sprintf("alg %s is a signature algorithm (JWS), not a key management algorithm: refused", h.alg)
	case !ok:
		return fmt.Sprintf("alg %q is not a key management algorithm read here (%s): refused", h.alg, listAlgs())
	case a.fam == famRSA15 && !opts.AllowRSA1_5:
		return "alg RSA1_5 (RSA PKCS #1 v1.5 key encryption) is refused: it is open to Bleichenbacher's padding-oracle attack (RFC 8725 §3.2); allow RSA1_5 explicitly to read a legacy token"
	}
	return ""
}

func checkEnc(h *header, _ *compact, _ Options) string {
	if _, ok := contentEncs[h.enc]; ok {
		return ""
	}
	if h.enc == "" {
		return `the header has no "enc": a JWE names its content encryption algorithm (RFC 7516 §4.1.2): refused`
	}
	return fmt.Sprintf("enc %q is not a content encryption algorithm read here (%s): refused", h.enc, strings.Join(ContentAlgorithms(), ", "))
}

func checkZip(h *header, _ *compact, _ Options) string {
	if _, ok := h.members["zip"]; !ok || h.zip == "DEF" {
		return ""
	}
	return fmt.Sprintf(`zip %q is not a compression algorithm read here: only "DEF" (DEFLATE, RFC 7516 §4.1.3) is: refused`, h.zip)
}

// registeredHeaders are the header names RFC 7516 §4.1 and RFC 7518 §4.6,
// §4.7, §4.8 define: crit must not list them (RFC 7515 §4.1.11).
var registeredHeaders = []string{"alg", "enc", "zip", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c"}

// checkCrit refuses every crit: no extension is understood here, and RFC
// 7516 §4.1.13 makes a recipient refuse one it does not understand.
func checkCrit(h *header, _ *compact, _ Options) string {
	if !h.hasCrit {
		return ""
	}
	for _, name := range h.crit {
		if slices.Contains(registeredHeaders, name) {
			return fmt.Sprintf("crit lists %q, a header parameter the specifications define, which RFC 7515 §4.1.11 forbids: refused", name)
		}
	}
	return fmt.Sprintf("crit lists %s: %s that JWK Desk does not understand, and RFC 7516 §4.1.13 says a recipient must then refuse the token: refused", quoteList(h.crit), plural(len(h.crit), "an extension", "extensions"))
}

func checkPBES2(h *header, _ *compact, _ Options) string {
	if keyAlgs[h.alg].fam != famPBES2 {
		return ""
	}
	switch {
	case !h.hasP2C:
		return `the header has no "p2c": PBES2 needs its iteration count (RFC 7518 §4.8.1.2): refused`
	case h.p2c > MaxP2C:
		return fmt.Sprintf("p2c is %s: PBES2 iteration counts over %s are refused before any key is derived (this many would keep the computer busy for a long time; it is how a token can freeze a recipient)", groupDigits(h.p2c), groupDigits(MaxP2C))
	case h.members["p2s"] == nil:
		return `the header has no "p2s": PBES2 needs its salt input (RFC 7518 §4.8.1.1): refused`
	case len(h.p2s) < minP2SBytes:
		return fmt.Sprintf("p2s is %d bytes: RFC 7518 §4.8.1.1 wants a salt input of %d bytes or more: refused", len(h.p2s), minP2SBytes)
	}
	return ""
}

// checkGCMKW needs the iv and tag of the key wrapping (RFC 7518 §4.7.1).
func checkGCMKW(h *header, _ *compact, _ Options) string {
	if keyAlgs[h.alg].fam != famGCMKW {
		return ""
	}
	for _, m := range []struct {
		name, section string
		size          int
	}{{"iv", "§4.7.1.1", 12}, {"tag", "§4.7.1.2", 16}} {
		b, err := base64.RawURLEncoding.Strict().DecodeString(stringMember(h.members, m.name))
		switch {
		case h.members[m.name] == nil:
			return fmt.Sprintf("the header has no %q: %s needs it (RFC 7518 %s): refused", m.name, h.alg, m.section)
		case err != nil:
			return fmt.Sprintf("header member %q is not base64url: refused", m.name)
		case len(b) != m.size:
			return fmt.Sprintf("header member %q is %d bytes: %s's is %d (RFC 7518 %s): refused", m.name, len(b), h.alg, m.size, m.section)
		}
	}
	return ""
}

// checkAgreementInfo reads apu and apv (RFC 7518 §4.6.1.2, §4.6.1.3) and the
// epk of ECDH-ES.
func checkAgreementInfo(h *header, _ *compact, _ Options) string {
	fam := keyAlgs[h.alg].fam
	if fam != famECDH && fam != famECDHKW {
		return ""
	}
	for _, name := range []string{"apu", "apv"} {
		if _, ok := h.members[name]; !ok {
			continue
		}
		if _, err := base64.RawURLEncoding.DecodeString(stringMember(h.members, name)); err != nil {
			return fmt.Sprintf("header member %q is not base64url: refused", name)
		}
	}
	return ""
}

// checkEncryptedKey: the encrypted key part is empty for dir and ECDH-ES,
// which wrap no key (RFC 7516 §5.2 step 10), and present otherwise.
func checkEncryptedKey(h *header, c *compact, _ Options) string {
	fam := keyAlgs[h.alg].fam
	empty := fam == famDir || fam == famECDH
	switch {
	case empty && len(c.encKey) > 0:
		return fmt.Sprintf("the encrypted key (second part) holds %d bytes, but with %s it must be empty (RFC 7516 §5.2 step 10): refused", len(c.encKey), h.alg)
	case !empty && len(c.encKey) == 0:
		return fmt.Sprintf("the encrypted key (second part) is empty, but %s wraps the content key there: refused (was the token cut?)", h.alg)
	}
	return ""
}

// checkSizes checks the initialization vector, the authentication tag and
// the ciphertext against enc (RFC 7518 §5.2.2.1, §5.3).
func checkSizes(h *header, c *compact, _ Options) string {
	ce := contentEncs[h.enc]
	switch {
	case len(c.iv) != ce.iv:
		return fmt.Sprintf("the initialization vector (third part) is %d bytes, but %s's is %d (%s): refused", len(c.iv), h.enc, ce.iv, ce.section)
	case len(c.tag) != ce.tag:
		return fmt.Sprintf("the authentication tag (fifth part) is %d bytes, but %s's is %d (%s): refused (was the token cut?)", len(c.tag), h.enc, ce.tag, ce.section)
	case ce.cbc && (len(c.ciphertxt) == 0 || len(c.ciphertxt)%16 != 0):
		return fmt.Sprintf("the ciphertext (fourth part) is %d bytes, but %s's is a non-zero multiple of 16 (RFC 7518 §5.2.2.1): refused (was the token cut?)", len(c.ciphertxt), h.enc)
	}
	return ""
}

// checkEPK reads the epk of an ECDH-ES token (RFC 7518 §4.6.1.1): a public
// EC key on P-256, P-384 or P-521, or an OKP X25519 key, whose point is on
// its curve. Its curve and a note about it go to h.
func checkEPK(h *header, _ *compact, _ Options) string {
	if fam := keyAlgs[h.alg].fam; fam != famECDH && fam != famECDHKW {
		return ""
	}
	if h.epk == nil {
		return fmt.Sprintf(`the header has no "epk": %s needs the sender's ephemeral public key (RFC 7518 §4.6.1.1): refused`, h.alg)
	}
	if jsonKind(h.epk) != "an object" {
		return fmt.Sprintf(`header member "epk" must be a JWK object, not %s: refused`, jsonKind(h.epk))
	}
	var m epkMembers
	_ = json.Unmarshal(h.epk, &m)
	if kty, ok := ecdhCurves[m.Crv]; !ok || kty != m.Kty {
		return fmt.Sprintf("the epk is kty %q crv %q: ECDH-ES is read on EC P-256, P-384, P-521 and OKP X25519: refused", m.Kty, m.Crv)
	}
	if msg := m.pointProblem(); msg != "" {
		return msg
	}
	h.epkCrv, h.epkX = m.Crv, m.x
	if m.D != nil {
		h.epkNote = `the epk carries a private part ("d"): the sender published its ephemeral private key, so anyone who has the token can decrypt it`
	}
	return ""
}

// epkMembers are the members of an epk the checks read.
type epkMembers struct {
	Kty, Crv string
	X, Y     string
	D        *string
	x        []byte // X decoded, once pointProblem has read it
}

// coordinateSize is the size of a curve's coordinates (RFC 7518 §6.2.1.2,
// RFC 8037 §2).
var coordinateSize = map[string]int{"P-256": 32, "P-384": 48, "P-521": 66, "X25519": 32}

var ecdhCurve = map[string]ecdh.Curve{"P-256": ecdh.P256(), "P-384": ecdh.P384(), "P-521": ecdh.P521()}

// pointProblem checks the epk's coordinates: their size, and for EC that
// the point is on the curve (an off-curve point is how an invalid-curve
// attack learns a recipient's private key).
func (m *epkMembers) pointProblem() string {
	size := coordinateSize[m.Crv]
	x, errX := base64.RawURLEncoding.Strict().DecodeString(m.X)
	y, errY := base64.RawURLEncoding.Strict().DecodeString(m.Y)
	switch {
	case errX != nil || len(x) != size:
		return fmt.Sprintf("the epk's x is not a coordinate of %s (%d bytes, base64url): refused", m.Crv, size)
	case m.Kty == "OKP":
		m.x = x
		return ""
	case errY != nil || len(y) != size:
		return fmt.Sprintf("the epk's y is not a coordinate of %s (%d bytes, base64url): refused", m.Crv, size)
	}
	if _, err := ecdhCurve[m.Crv].NewPublicKey(append(append([]byte{4}, x...), y...)); err != nil {
		return fmt.Sprintf("the epk's point is not on %s: refused (an off-curve point is how an invalid-curve attack learns a recipient's private key)", m.Crv)
	}
	return ""
}

// lowOrderX25519 reports whether an X25519 public key (its u-coordinate)
// is a low-order point: with it every private key agrees on the all-zero
// secret, which crypto/ecdh refuses (it is tried with a throwaway key). It
// is asked only when a key failed the agreement.
func lowOrderX25519(u []byte) bool {
	pub, err := ecdh.X25519().NewPublicKey(u)
	if err != nil {
		return false
	}
	priv, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return false
	}
	_, err = priv.ECDH(pub)
	return err != nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// groupDigits writes 1000000 as 1,000,000.
func groupDigits(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
