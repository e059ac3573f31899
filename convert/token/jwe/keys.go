package jwe

import (
	"crypto"
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

type sourceKind int

const (
	srcSet        sourceKind = iota // keys looked up by kid
	srcKey                          // one key the user chose: tried whatever the kid
	srcSecret                       // a shared secret (dir, A*KW, A*GCMKW)
	srcPassphrase                   // a passphrase (PBES2)
)

// Source is what a JWE is decrypted with, or encrypted to: a key set (the
// workspace's private keys, a pasted JWKS), one key the user chose (a PEM
// key, one JWK), a shared secret, or a passphrase. Build it with KeySet,
// OneKey, SharedSecret or Passphrase.
//
// The kid rules are for sets: the candidates are the keys whose kid is the
// token's (every key when the token names none). One key given directly is
// the key: it is tried whatever kid the token names, and a kid that differs
// is reported as a note.
type Source struct {
	Name   string // "JWKS workspace", "pasted keys"…: used in reasons
	kind   sourceKind
	keys   []jwk.Key
	secret []byte // the shared secret or the passphrase
}

// KeySet is a key set: keys are looked up by the token's kid.
func KeySet(name string, keys []jwk.Key) Source {
	return Source{Name: name, kind: srcSet, keys: keys}
}

// OneKey is one key the user chose: it is tried whatever kid the token
// names.
func OneKey(name string, key jwk.Key) Source {
	return Source{Name: name, kind: srcKey, keys: []jwk.Key{key}}
}

// SharedSecret is a shared secret, as raw bytes: the content key of dir,
// the key-wrapping key of A*KW and A*GCMKW. (PBES2 takes a Passphrase.)
func SharedSecret(secret []byte) Source {
	return Source{Name: "shared secret", kind: srcSecret, secret: secret}
}

// Passphrase is a PBES2 passphrase.
func Passphrase(passphrase []byte) Source {
	return Source{Name: "passphrase", kind: srcPassphrase, secret: passphrase}
}

// entry is one key of a source, described once for the checks.
type entry struct {
	key     jwk.Key // nil for a secret or a passphrase
	raw     []byte  // the octets of an oct key, a secret or a passphrase
	pass    bool    // raw is a passphrase
	kty     string  // "oct" for a secret
	crv     string
	kid     string
	hasKid  bool
	alg     string // the key's own alg
	use     string
	ops     []string
	hasOps  bool
	private bool
	rsaBits int
	id      string // identity: the RFC 7638 thumbprint, or the secret itself (in memory only)
	thumb   string // the thumbprint shown ("" for secrets: never hashed for display)
}

// entries describes the source's keys.
func (s Source) entries() []*entry {
	switch {
	case (s.kind == srcSecret || s.kind == srcPassphrase) && len(s.secret) == 0:
		return nil // said as "the shared secret is empty"
	case s.kind == srcSecret:
		return []*entry{{kty: "oct", raw: s.secret, private: true, id: "secret"}}
	case s.kind == srcPassphrase:
		return []*entry{{raw: s.secret, pass: true, private: true, id: "passphrase"}}
	}
	return s.described(true)
}

// described describes the keys of a key source; with thumbs, each with its
// RFC 7638 thumbprint (the identity decrypting compares and shows).
// Encrypting needs none: Algs over a 10,000-key workspace spent most of
// its time hashing keys.
func (s Source) described(thumbs bool) []*entry {
	out := make([]*entry, 0, len(s.keys))
	for i, k := range s.keys {
		if k == nil {
			continue
		}
		out = append(out, describe(i, k, thumbs))
	}
	return out
}

// curver is what jwx's EC and OKP keys have.
type curver interface {
	Crv() (jwa.EllipticCurveAlgorithm, bool)
}

func describe(i int, k jwk.Key, thumb bool) *entry {
	e := &entry{key: k, kty: k.KeyType().String()}
	e.kid, e.hasKid = k.KeyID()
	if a, ok := k.Algorithm(); ok {
		e.alg = a.String()
	}
	if u, ok := k.KeyUsage(); ok {
		e.use = u
	}
	if ops, ok := k.KeyOps(); ok {
		e.hasOps = true
		for _, o := range ops {
			e.ops = append(e.ops, string(o))
		}
	}
	if c, ok := k.(curver); ok {
		if crv, ok := c.Crv(); ok {
			e.crv = crv.String()
		}
	}
	switch k := k.(type) {
	case jwk.SymmetricKey:
		e.raw, _ = k.Octets()
		e.private = true
		e.id = "oct:" + string(e.raw) // compared in memory, never shown nor hashed
		return e
	case jwk.RSAPrivateKey:
		e.private = true
		n, _ := k.N()
		e.rsaBits = bitLen(n)
	case jwk.RSAPublicKey:
		n, _ := k.N()
		e.rsaBits = bitLen(n)
	case jwk.ECDSAPrivateKey, jwk.OKPPrivateKey:
		e.private = true
	}
	if !thumb {
		e.id = fmt.Sprintf("#%d", i)
		return e
	}
	if tp, err := k.Thumbprint(crypto.SHA256); err == nil {
		e.thumb = base64.RawURLEncoding.EncodeToString(tp)
		e.id = e.thumb
	} else {
		e.id = fmt.Sprintf("#%d", i) // no thumbprint: its own key
	}
	return e
}

// bitLen is the bit length of a big-endian unsigned integer.
func bitLen(b []byte) int {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	if len(b) == 0 {
		return 0
	}
	n := (len(b) - 1) * 8
	for v := b[0]; v != 0; v >>= 1 {
		n++
	}
	return n
}

// shape names a key for a message: "RSA 2048-bit", "EC P-256", "a 32-byte
// oct key", "a passphrase".
func (e *entry) shape() string {
	switch {
	case e.pass:
		return "a passphrase"
	case e.key == nil:
		return fmt.Sprintf("a %d-byte shared secret", len(e.raw))
	case e.kty == "oct":
		return fmt.Sprintf("a %d-byte oct key", len(e.raw))
	case e.kty == "RSA":
		return fmt.Sprintf("RSA %d-bit", e.rsaBits)
	case e.crv != "":
		return e.kty + " " + e.crv
	}
	return e.kty
}

// fitProblem says why a key cannot be used for the token's alg at all: its
// type, curve or size (CodeAlgMismatch), or its own alg (CodeKeyAlg). ""
// when it fits.
func (e *entry) fitProblem(h *header) (code, msg string) {
	if p := e.shapeProblem(h); p != "" {
		return CodeAlgMismatch, p
	}
	if e.alg != "" && !ownAlgFits(e.alg, h.alg, h.enc) {
		return CodeKeyAlg, fmt.Sprintf("key's own alg is %s, the token says %s", e.alg, h.alg)
	}
	return "", ""
}

// fitsAlg reports whether the key's type, curve and size fit alg (with enc
// for dir): RSA for RSA-OAEP* and RSA1_5; EC P-256/384/521 or OKP X25519
// for ECDH-ES*; an oct key or secret of the alg's size for A*KW and
// A*GCMKW, of the enc's content key size for dir; a passphrase for PBES2.
func (e *entry) fitsAlg(alg, enc string) bool {
	a := keyAlgs[alg]
	switch a.fam {
	case famRSA, famRSA15:
		return e.kty == "RSA"
	case famECDH, famECDHKW:
		return e.kty != "" && ecdhCurves[e.crv] == e.kty
	case famAESKW, famGCMKW:
		return e.kty == "oct" && !e.pass && len(e.raw) == a.size
	case famDir:
		return e.kty == "oct" && !e.pass && len(e.raw) == contentEncs[enc].cek
	case famPBES2:
		return e.pass
	}
	return false
}

// shapeProblem says why the key's type, curve or size does not fit the
// token (its alg, enc and epk's curve).
// ownAlgFits reports whether a key's own alg allows the token's alg. A
// dir key is the content key itself: its alg may name the enc it is for
// (RFC 7520 §5.6's key says "A128GCM").
func ownAlgFits(own, alg, enc string) bool {
	return own == alg || alg == "dir" && own == enc
}

func (e *entry) shapeProblem(h *header) string {
	fam := keyAlgs[h.alg].fam
	switch {
	case (fam == famECDH || fam == famECDHKW) && e.fitsAlg(h.alg, h.enc) && h.epkCrv != "" && e.crv != h.epkCrv:
		return fmt.Sprintf("the key is %s and the token's epk is on %s: ECDH-ES needs both on one curve", e.shape(), h.epkCrv)
	case e.fitsAlg(h.alg, h.enc):
		return ""
	case fam == famPBES2 && e.key != nil && e.kty == "oct":
		return "an oct key is not a passphrase: " + need(h.alg, h.enc)
	case e.key == nil:
		return fmt.Sprintf("%s cannot open %s tokens: %s", e.shape(), h.alg, need(h.alg, h.enc))
	}
	return fmt.Sprintf("the key is %s and the token says %s (%s)", e.shape(), h.alg, need(h.alg, h.enc))
}

// decryptOps are the key_ops (RFC 7517 §4.3) that allow a key to open a
// token of a family: one of them must be listed when key_ops is present.
var decryptOps = map[family][]string{
	famRSA:    {"unwrapKey", "decrypt"},
	famRSA15:  {"unwrapKey", "decrypt"},
	famECDH:   {"deriveKey", "deriveBits"},
	famECDHKW: {"deriveKey", "deriveBits", "unwrapKey"},
	famAESKW:  {"unwrapKey", "decrypt"},
	famGCMKW:  {"unwrapKey", "decrypt"},
	famDir:    {"decrypt"},
}

// maxRSABits: larger RSA keys are shown but never used; the work of one
// private-key operation grows with the cube of the modulus size.
const maxRSABits = 16384

// trustProblem says why a key that fits is still never used to decrypt.
func (e *entry) trustProblem(h *header) (code, msg string) {
	fam := keyAlgs[h.alg].fam
	switch {
	case e.use == "sig":
		return CodeSigningKey, "key has use=sig: a signing key never decrypts"
	case e.hasOps && !slices.ContainsFunc(decryptOps[fam], func(op string) bool { return slices.Contains(e.ops, op) }):
		return CodeKeyOps, fmt.Sprintf("key's key_ops (%s) include none of %s: it is not meant to open %s tokens", strings.Join(e.ops, ", "), strings.Join(decryptOps[fam], ", "), h.alg)
	case !e.private:
		return CodePublicOnly, "this is the public half: decrypting needs the private key"
	case e.kty == "RSA" && e.rsaBits < 2048:
		return CodeRSASize, fmt.Sprintf("RSA key is %d bits: under 2048 never decrypts (RFC 7518 §4.2, §4.3: a key of 2048 bits or more must be used)", e.rsaBits)
	case e.kty == "RSA" && e.rsaBits > maxRSABits:
		return CodeRSASize, fmt.Sprintf("RSA key is %d bits: over %d never decrypts here (one decryption with it costs as much as %d with RSA-2048)", e.rsaBits, maxRSABits, e.cost())
	}
	return "", ""
}

// cost is the work of one decryption attempt with the key, in RSA-2048
// private-key operations (at least 1: every attempt counts).
func (e *entry) cost() int {
	if e.kty != "RSA" {
		return 1
	}
	size := float64(e.rsaBits) / 2048
	return max(1, int(math.Ceil(size*size*size)))
}
