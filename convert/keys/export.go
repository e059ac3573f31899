package keys

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
)

// ErrNoPublicForm is returned when a public form of an oct secret is asked
// for: a secret has no public half and is never published.
var ErrNoPublicForm = errors.New("an oct key is a shared secret: it has no public form and must never be published")

// IsPrivate reports whether a key holds private (or secret) material.
func IsPrivate(key jwk.Key) bool {
	if _, ok := key.(jwk.SymmetricKey); ok {
		return true
	}
	priv, err := jwk.IsPrivateKey(key)
	return err == nil && priv
}

// The public form of a key is an allow-list, never "everything but the
// private members": jwx copies members it does not know (an "oth" on an RSA
// key, a "k" or "dp" on an EC key) into PublicKey(), so a deny-list would
// publish them. publicKtyMembers, publicMetadata and reviewedExtras are the
// whole list; PublicForm is the one function that applies it.
var (
	// publicKtyMembers are each key type's public members (RFC 7518 §6.2.1,
	// §6.3.1; RFC 8037 §2). kty itself is in publicMetadata.
	publicKtyMembers = map[string][]string{
		KtyRSA: {"n", "e"},
		KtyEC:  {"crv", "x", "y"},
		KtyOKP: {"crv", "x"},
	}
	// publicMetadata are the members RFC 7517 §4 registers for every key.
	publicMetadata = []string{"kty", "kid", "use", "alg", "key_ops", "x5c", "x5t", "x5t#S256", "x5u"}
	// ReviewedExtras are the members outside RFC 7517 that a public form
	// keeps, each reviewed:
	//   - issuer: Microsoft Entra ID publishes it on every key of its
	//     multi-tenant sets and Microsoft.IdentityModel checks tokens against
	//     it; a URL, public by nature.
	// Not kept: exp/nbf/iat (no JWK semantics, and "exp" is a common
	// hand-written slip for the RSA "e"), ext (WebCrypto's extractable flag,
	// meaningless once published), and every name not listed here.
	ReviewedExtras = []string{"issuer"}
	// privateMembers are private for some key type: PrivateMembers (the
	// members masked on screen, RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037
	// §2) and r and t, the members of RSA's "oth" entries. A public form
	// never holds any of them, whatever the key's own kty.
	privateMembers = append(slices.Clip(PrivateMembers), "r", "t")
)

// publicMember reports whether a public form of a kty key may hold name.
func publicMember(kty, name string) bool {
	return slices.Contains(publicMetadata, name) || slices.Contains(publicKtyMembers[kty], name) || slices.Contains(ReviewedExtras, name)
}

// IsPrivateMember reports whether name is a private member for some key
// type: such a member is never written in a public form.
func IsPrivateMember(name string) bool { return slices.Contains(privateMembers, name) }

// Dropped names the members a key's public form leaves out: Private are
// private for some key type (the key's own d, p, q… or a stray "k" on an EC
// key), Other are members outside the allow-list. Both sorted.
type Dropped struct {
	Private []string `json:"private,omitempty"`
	Other   []string `json:"other,omitempty"`
}

// Any reports whether anything was left out.
func (d Dropped) Any() bool { return len(d.Private)+len(d.Other) > 0 }

// DroppedMembers lists what the public form of key leaves out.
func DroppedMembers(key jwk.Key) Dropped {
	return classifyMembers(key.KeyType().String(), key.Keys())
}

// classifyMembers sorts the member names a public form of a kty key
// leaves out: private for some kty, or outside the allow-list.
func classifyMembers(kty string, names []string) (d Dropped) {
	for _, name := range names {
		switch {
		case IsPrivateMember(name):
			d.Private = append(d.Private, name)
		case !publicMember(kty, name):
			d.Other = append(d.Other, name)
		}
	}
	sort.Strings(d.Private)
	sort.Strings(d.Other)
	return d
}

// publicJSON is the one owner of what a public JWK holds: the key's members
// as written, cut down to the allow-list (built up from the allowed members,
// not by removing known private ones: jwx's PublicKey copies members it does
// not know, such as an "oth", or a "k" on an EC key), as compact JSON with
// members sorted; and what was left out. oct secrets have no public form:
// ErrNoPublicForm. Every public output (the published JWKS, a public JWK or
// JWKS, the saved workspace) goes through it.
func publicJSON(key jwk.Key) (out []byte, d Dropped, err error) {
	defer recovery.Into(&err, "making the public form of a key")
	if _, ok := key.(jwk.SymmetricKey); ok {
		return nil, d, ErrNoPublicForm
	}
	kty := key.KeyType().String()
	if _, known := publicKtyMembers[kty]; !known {
		return nil, d, fmt.Errorf("a key of type %q has no public form JWK Desk can vouch for", kty)
	}
	raw, err := json.Marshal(key)
	if err != nil {
		return nil, d, fmt.Errorf("failed to encode the JWK: %w", err)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, d, fmt.Errorf("failed to read back the JWK: %w", err)
	}
	names := make([]string, 0, len(members))
	for name := range members {
		names = append(names, name)
	}
	d = classifyMembers(kty, names)
	for _, name := range append(d.Private, d.Other...) {
		delete(members, name)
	}
	for _, must := range publicKtyMembers[kty] {
		if _, ok := members[must]; !ok {
			return nil, d, fmt.Errorf("the %s key has no %q: it has no public form", kty, must)
		}
	}
	if err := checkPublicMembers(kty, members); err != nil {
		return nil, d, err
	}
	if out, err = json.Marshal(members); err != nil {
		return nil, d, fmt.Errorf("failed to encode the public JWK: %w", err)
	}
	return out, d, nil
}

// PublicForm is the public form of key (see publicJSON) as a jwk.Key, and
// what was left out. The key given is not changed.
func PublicForm(key jwk.Key) (pub jwk.Key, d Dropped, err error) {
	raw, d, err := publicJSON(key)
	if err != nil {
		return nil, d, err
	}
	if pub, err = jwk.ParseKey(raw); err != nil {
		return nil, d, fmt.Errorf("failed to read the public form back: %w", err)
	}
	return pub, d, nil
}

// checkPublicMembers refuses a public JWK about to be written with a member
// outside the allow-list: the last check before anything public is written.
func checkPublicMembers(kty string, members map[string]json.RawMessage) error {
	for name := range members {
		if !publicMember(kty, name) {
			return fmt.Errorf("internal error: the public JWK would hold member %q; nothing was written", name)
		}
	}
	return nil
}

// PublicOf returns the public form of a key (see PublicForm). oct secrets
// have none: ErrNoPublicForm.
func PublicOf(key jwk.Key) (jwk.Key, error) {
	pub, _, err := PublicForm(key)
	return pub, err
}

// MarshalJWK writes a key as pretty JSON, members as jwx writes them.
func MarshalJWK(key jwk.Key) ([]byte, error) {
	raw, err := json.Marshal(key)
	if err != nil {
		return nil, fmt.Errorf("failed to encode the JWK: %w", err)
	}
	return indent(raw)
}

// MarshalPublicJWK writes the public form of a key as pretty JSON.
func MarshalPublicJWK(key jwk.Key) ([]byte, error) {
	out, _, err := PublicJWK(key)
	return out, err
}

// PublicJWK is MarshalPublicJWK that also says what the public form left
// out, for the caller to report.
func PublicJWK(key jwk.Key) ([]byte, Dropped, error) {
	raw, d, err := publicJSON(key)
	if err != nil {
		return nil, d, err
	}
	out, err := indent(raw)
	return out, d, err
}

func indent(raw []byte) ([]byte, error) {
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return nil, fmt.Errorf("failed to indent JSON: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// PEMFormat names a PEM flavour explicitly; JWK Desk never picks one silently.
type PEMFormat string

// The PEM flavours. PKCS#1 exists for RSA public and private keys, SEC1 for
// EC private keys only; SPKI is public, PKCS#8 private.
const (
	PEMSPKI  PEMFormat = "spki"
	PEMPKCS1 PEMFormat = "pkcs1"
	PEMPKCS8 PEMFormat = "pkcs8"
	PEMSEC1  PEMFormat = "sec1"
)

// PEMOutput is an exported PEM block with the name of its flavour.
type PEMOutput struct {
	Format PEMFormat
	Public bool
	Label  string // e.g. "PKCS#8 private key (BEGIN PRIVATE KEY)"
	PEM    []byte
}

// PEMFormatsFor lists the PEM flavours that exist for a key, public or
// private, the default first.
func PEMFormatsFor(key jwk.Key, public bool) []PEMFormat {
	_, isRSA := key.(jwk.RSAPublicKey)
	if _, ok := key.(jwk.RSAPrivateKey); ok {
		isRSA = true
	}
	_, isEC := key.(jwk.ECDSAPrivateKey)
	switch {
	case public && isRSA:
		return []PEMFormat{PEMSPKI, PEMPKCS1}
	case public:
		if _, ok := key.(jwk.SymmetricKey); ok {
			return nil
		}
		return []PEMFormat{PEMSPKI}
	case !IsPrivate(key):
		return nil
	case isRSA:
		return []PEMFormat{PEMPKCS8, PEMPKCS1}
	case isEC:
		return []PEMFormat{PEMPKCS8, PEMSEC1}
	}
	if _, ok := key.(jwk.SymmetricKey); ok {
		return nil
	}
	return []PEMFormat{PEMPKCS8}
}

// ExportPEM writes a key as PEM in the given flavour, built with crypto/x509
// (and encoding/asn1 for secp256k1, which crypto/x509 does not know).
// public selects the public half of a private key.
func ExportPEM(key jwk.Key, format PEMFormat, public bool) (out *PEMOutput, err error) {
	defer recovery.Into(&err, "writing PEM")
	if _, ok := key.(jwk.SymmetricKey); ok {
		return nil, errors.New("an oct secret has no PEM form: copy it as a JWK instead")
	}
	if !public && !IsPrivate(key) {
		return nil, errors.New("this is a public key: only public PEM forms (SPKI, PKCS#1 for RSA) exist")
	}
	if crv, _ := CurveOf(key); crv == CrvSecp256k1 {
		return secp256k1PEM(key, format, public)
	}
	var raw any
	if public {
		pub, err := PublicOf(key)
		if err != nil {
			return nil, err
		}
		key = pub
	}
	if err := jwk.Export(key, &raw); err != nil {
		return nil, fmt.Errorf("failed to export the key: %w", err)
	}
	return stdlibPEM(raw, format, public)
}

func stdlibPEM(raw any, format PEMFormat, public bool) (*PEMOutput, error) {
	out := &PEMOutput{Format: format, Public: public}
	var der []byte
	var typ string
	var err error
	switch {
	case public && format == PEMSPKI:
		typ, out.Label = "PUBLIC KEY", "SPKI public key (BEGIN PUBLIC KEY)"
		der, err = marshalPKIX(raw)
	case public && format == PEMPKCS1:
		pub, ok := raw.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("PKCS#1 exists for RSA keys only: choose SPKI")
		}
		typ, out.Label = "RSA PUBLIC KEY", "PKCS#1 RSA public key (BEGIN RSA PUBLIC KEY)"
		der = x509.MarshalPKCS1PublicKey(pub)
	case !public && format == PEMPKCS8:
		typ, out.Label = "PRIVATE KEY", "PKCS#8 private key (BEGIN PRIVATE KEY)"
		der, err = x509.MarshalPKCS8PrivateKey(raw)
	case !public && format == PEMPKCS1:
		priv, ok := raw.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("PKCS#1 exists for RSA keys only: choose PKCS#8")
		}
		typ, out.Label = "RSA PRIVATE KEY", "PKCS#1 RSA private key (BEGIN RSA PRIVATE KEY)"
		der = x509.MarshalPKCS1PrivateKey(priv)
	case !public && format == PEMSEC1:
		priv, ok := raw.(*ecdsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("SEC1 exists for EC keys only: choose PKCS#8")
		}
		typ, out.Label = "EC PRIVATE KEY", "SEC1 EC private key (BEGIN EC PRIVATE KEY)"
		der, err = x509.MarshalECPrivateKey(priv)
	default:
		return nil, fmt.Errorf("no %s PEM flavour for a %s key: %s", format, publicWord(public), formatsHint(public))
	}
	if err != nil {
		return nil, fmt.Errorf("failed to encode %s: %w", out.Label, err)
	}
	out.PEM = pemEncode(typ, der)
	return out, nil
}

func marshalPKIX(raw any) ([]byte, error) {
	switch raw.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey, *ecdh.PublicKey:
		return x509.MarshalPKIXPublicKey(raw)
	}
	return nil, fmt.Errorf("unsupported public key type %T", raw)
}

func publicWord(public bool) string {
	if public {
		return "public"
	}
	return "private"
}

func formatsHint(public bool) string {
	if public {
		return "public keys are written as SPKI, or PKCS#1 for RSA"
	}
	return "private keys are written as PKCS#8, PKCS#1 (RSA) or SEC1 (EC)"
}

func pemEncode(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}
