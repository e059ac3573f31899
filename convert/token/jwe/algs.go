package jwe

import (
	"fmt"
	"strings"
)

// family groups the key management algorithms that want the same kind of key.
type family int

const (
	famRSA    family = iota + 1 // RSA-OAEP*: an RSA private key
	famRSA15                    // RSA1_5: an RSA private key, and the opt-in
	famECDH                     // ECDH-ES: EC P-256/384/521 or OKP X25519; the derived key is the CEK
	famECDHKW                   // ECDH-ES+A*KW: the same keys; the derived key wraps the CEK
	famAESKW                    // A*KW: an AES key of the alg's size
	famGCMKW                    // A*GCMKW: an AES key of the alg's size
	famDir                      // dir: the CEK itself, of the enc's size
	famPBES2                    // PBES2-*: a passphrase
)

// keyAlg is what JWK Desk knows of a key management algorithm.
type keyAlg struct {
	fam     family
	size    int    // key bytes: AES key of A*KW/A*GCMKW, the KEK of ECDH-ES+A*KW and PBES2
	section string // where it is defined
}

// keyAlgs are the key management algorithms read and written here (RFC 7518
// §4.1; RSA-OAEP-384 and RSA-OAEP-512 are in the IANA JOSE registry, from
// the W3C Web Cryptography API).
var keyAlgs = map[string]keyAlg{
	"RSA1_5":             {famRSA15, 0, "RFC 7518 §4.2"},
	"RSA-OAEP":           {famRSA, 0, "RFC 7518 §4.3"},
	"RSA-OAEP-256":       {famRSA, 0, "RFC 7518 §4.3"},
	"RSA-OAEP-384":       {famRSA, 0, "IANA JOSE registry (WebCrypto)"},
	"RSA-OAEP-512":       {famRSA, 0, "IANA JOSE registry (WebCrypto)"},
	"ECDH-ES":            {famECDH, 0, "RFC 7518 §4.6"},
	"ECDH-ES+A128KW":     {famECDHKW, 16, "RFC 7518 §4.6"},
	"ECDH-ES+A192KW":     {famECDHKW, 24, "RFC 7518 §4.6"},
	"ECDH-ES+A256KW":     {famECDHKW, 32, "RFC 7518 §4.6"},
	"A128KW":             {famAESKW, 16, "RFC 7518 §4.4"},
	"A192KW":             {famAESKW, 24, "RFC 7518 §4.4"},
	"A256KW":             {famAESKW, 32, "RFC 7518 §4.4"},
	"A128GCMKW":          {famGCMKW, 16, "RFC 7518 §4.7"},
	"A192GCMKW":          {famGCMKW, 24, "RFC 7518 §4.7"},
	"A256GCMKW":          {famGCMKW, 32, "RFC 7518 §4.7"},
	"dir":                {famDir, 0, "RFC 7518 §4.5"},
	"PBES2-HS256+A128KW": {famPBES2, 16, "RFC 7518 §4.8"},
	"PBES2-HS384+A192KW": {famPBES2, 24, "RFC 7518 §4.8"},
	"PBES2-HS512+A256KW": {famPBES2, 32, "RFC 7518 §4.8"},
}

// KeyAlgorithms lists the key management algorithms JWK Desk decrypts and
// encrypts with (RSA1_5 only with the opt-in), in a stable order.
func KeyAlgorithms() []string {
	return []string{
		"RSA-OAEP-256", "RSA-OAEP", "RSA-OAEP-384", "RSA-OAEP-512", "RSA1_5",
		"ECDH-ES+A256KW", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW",
		"A256KW", "A128KW", "A192KW", "A256GCMKW", "A128GCMKW", "A192GCMKW", "dir",
		"PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW",
	}
}

// contentEnc is what JWK Desk knows of a content encryption algorithm
// (RFC 7518 §5.1).
type contentEnc struct {
	cek     int // CEK bytes
	iv      int // initialization vector bytes
	tag     int // authentication tag bytes
	cbc     bool
	section string
}

var contentEncs = map[string]contentEnc{
	"A128GCM":       {16, 12, 16, false, "RFC 7518 §5.3"},
	"A192GCM":       {24, 12, 16, false, "RFC 7518 §5.3"},
	"A256GCM":       {32, 12, 16, false, "RFC 7518 §5.3"},
	"A128CBC-HS256": {32, 16, 16, true, "RFC 7518 §5.2.3"},
	"A192CBC-HS384": {48, 16, 24, true, "RFC 7518 §5.2.4"},
	"A256CBC-HS512": {64, 16, 32, true, "RFC 7518 §5.2.5"},
}

// ContentAlgorithms lists the content encryption algorithms, the default
// first.
func ContentAlgorithms() []string {
	return []string{"A256GCM", "A128GCM", "A192GCM", "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512"}
}

// ecdhCurves are the curves ECDH-ES is done on here, by kty.
var ecdhCurves = map[string]string{"P-256": "EC", "P-384": "EC", "P-521": "EC", "X25519": "OKP"}

// signatureAlgs are JWS algorithms: a JWE that names one was made by a
// confused producer.
var signatureAlgs = []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES256K", "ES384", "ES512", "EdDSA", "Ed25519"}

// need says, for a human, what kind of key alg needs (with enc for dir).
func need(alg, enc string) string {
	a := keyAlgs[alg]
	switch a.fam {
	case famRSA, famRSA15:
		return alg + " needs the RSA private key (2048 bits or more)"
	case famECDH, famECDHKW:
		return alg + " needs the EC (P-256, P-384, P-521) or OKP X25519 private key on the epk's curve"
	case famAESKW, famGCMKW:
		return fmt.Sprintf("%s needs a %d-byte shared key (an oct JWK or a secret)", alg, a.size)
	case famDir:
		if ce, ok := contentEncs[enc]; ok {
			return fmt.Sprintf("dir with %s needs the %d-byte shared content key (an oct JWK or a secret)", enc, ce.cek)
		}
		return "dir needs the shared content key (an oct JWK or a secret)"
	case famPBES2:
		return alg + " needs the passphrase"
	}
	return alg + " is not read here"
}

// listAlgs is the supported key management algorithms for a message.
func listAlgs() string { return strings.Join(KeyAlgorithms(), ", ") }

// What a key management algorithm needs to open a token (Needs).
const (
	NeedKey        = "key"        // a private key (RSA, EC, X25519) from a key set or given directly
	NeedSecret     = "secret"     // a shared secret (or an oct JWK): dir, A*KW, A*GCMKW
	NeedPassphrase = "passphrase" // a passphrase: PBES2-*
)

// Needs says what kind of key alg needs to open a token: NeedKey,
// NeedSecret or NeedPassphrase; "" for an alg not read here.
func Needs(alg string) string {
	switch keyAlgs[alg].fam {
	case famRSA, famRSA15, famECDH, famECDHKW:
		return NeedKey
	case famAESKW, famGCMKW, famDir:
		return NeedSecret
	case famPBES2:
		return NeedPassphrase
	}
	return ""
}
