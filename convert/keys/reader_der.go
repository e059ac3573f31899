package keys

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/jwkdesk/jwkdesk/convert/words"
)

// The one DER key reader. crypto/x509 reads the usual encodings; what it
// refuses though standard tools write it for a key JOSE can use — RSASSA-PSS
// keys (RFC 4055), EC keys with explicit curve parameters or compressed
// points (openssl -param_enc explicit, -conv_form compressed), secp256k1 —
// is taken apart here with encoding/asn1 and cryptobyte and the pieces handed
// back to crypto/x509, crypto/ecdsa or the secp256k1 package. Keys JOSE has
// no use for (Ed448, X448, DSA, DH, other curves) are refused by name.
// "Damaged" is said only of DER that does not parse as the structure it is
// labelled as; "cut short" when it ends before its own length says.
//
// Private keys that carry their public key (SEC1's publicKey, PKCS#8 v2's
// OneAsymmetricKey publicKey, RFC 5958) keep it in derKey.stored: the one
// halves check (checkHalves) compares it with the private part.

var (
	oidRSA          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidRSAPSS       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidMGF1         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
	oidEd25519      = asn1.ObjectIdentifier{1, 3, 101, 112}
	oidX25519       = asn1.ObjectIdentifier{1, 3, 101, 110}
	oidEd448        = asn1.ObjectIdentifier{1, 3, 101, 113}
	oidX448         = asn1.ObjectIdentifier{1, 3, 101, 111}
	oidDSA          = asn1.ObjectIdentifier{1, 2, 840, 10040, 4, 1}
	oidDH           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 3, 1}
	oidDHX          = asn1.ObjectIdentifier{1, 2, 840, 10046, 2, 1}
	oidP256         = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	oidP384         = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
	oidP521         = asn1.ObjectIdentifier{1, 3, 132, 0, 35}
	oidPrimeField   = asn1.ObjectIdentifier{1, 2, 840, 10045, 1, 1}
	oidBinaryField  = asn1.ObjectIdentifier{1, 2, 840, 10045, 1, 2}
	oidSHA1         = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA224       = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}
	oidSHA256       = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384       = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512       = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	namedCurveOIDs  = map[string]asn1.ObjectIdentifier{CrvP256: oidP256, CrvP384: oidP384, CrvP521: oidP521, CrvSecp256k1: oidSecp256k1}
	unsupportedOIDs = map[string]string{
		oidEd448.String(): "Ed448", oidX448.String(): "X448", oidDSA.String(): "DSA",
		oidDH.String(): "Diffie-Hellman (PKCS #3)", oidDHX.String(): "Diffie-Hellman (X9.42)",
		"1.2.643.7.1.1.1.1": "GOST R 34.10-2012", "1.2.643.7.1.1.1.2": "GOST R 34.10-2012",
	}
	// Curves seen in the wild that JOSE does not register.
	unsupportedCurves = map[string]string{
		"1.3.132.0.33": "secp224r1 (P-224)", "1.2.840.10045.3.1.1": "secp192r1 (P-192)",
		"1.3.36.3.3.2.8.1.1.7": "brainpoolP256r1", "1.3.36.3.3.2.8.1.1.11": "brainpoolP384r1",
		"1.3.36.3.3.2.8.1.1.13": "brainpoolP512r1", "1.2.156.10197.1.301": "SM2",
		"1.3.132.0.31": "secp192k1", "1.3.132.0.32": "secp224k1",
	}
)

// derKey is a key read from DER, with what came with it.
type derKey struct {
	raw    any    // *rsa.PublicKey or *rsa.PrivateKey, *ecdsa.*, ed25519.*, *ecdh.*
	stored any    // the public key stored with a private key (SEC1, PKCS#8 v2), nil when none
	alg    string // PS256, PS384 or PS512 from RSASSA-PSS parameters
	pss    bool   // an RSASSA-PSS key (RFC 4055): restricted to PSS signatures
	notes  []string
	// derived: raw's public part was computed from its private part (and an
	// RSA key validated) by crypto/x509 or crypto/ecdsa; see checkHalves.
	derived bool
}

// storedWhose names a private key's stored public key in messages.
const storedWhose = "the public key stored with it"

// damagedError is DER that does not parse as the structure it should be.
type damagedError struct {
	what     string // "an SPKI public key"
	cutShort bool
	extra    int // bytes after the structure
}

func (e *damagedError) Error() string {
	switch {
	case e.cutShort:
		return "is cut short: its DER ends before the " + strings.TrimPrefix(strings.TrimPrefix(e.what, "an "), "a ") + " does"
	case e.extra > 0:
		return fmt.Sprintf("has %s of something else after the %s", words.Plural(e.extra, "byte", "bytes"), strings.TrimPrefix(strings.TrimPrefix(e.what, "an "), "a "))
	}
	return "is damaged: it is not a well-formed " + strings.TrimPrefix(strings.TrimPrefix(e.what, "an "), "a ")
}

// damagedDER says how der fails to be what: cut short (its outer length
// says more than there is), followed by other bytes, or damaged inside.
func damagedDER(der []byte, what string) error {
	var rv asn1.RawValue
	rest, err := asn1.Unmarshal(der, &rv)
	var se asn1.SyntaxError
	switch {
	case errors.As(err, &se) && strings.Contains(se.Msg, "truncated"):
		return &damagedError{what: what, cutShort: true}
	case err == nil && len(rest) > 0 && rv.Tag == asn1.TagSequence && rv.IsCompound:
		return &damagedError{what: what, extra: len(rest)}
	}
	return &damagedError{what: what}
}

// derForm is the structure a DER key or certificate has.
type derForm int

const (
	formUnknown derForm = iota
	formCertificate
	formSPKI
	formPKCS8
	formEncryptedPKCS8
	formPKCS1Private
	formPKCS1Public
	formSEC1
	formPKCS12
	formDSAPrivate
)

// String names the form as users know it, with its PEM label.
func (f derForm) String() string {
	return [...]string{"", "certificate (CERTIFICATE)", "SPKI public key (PUBLIC KEY)", "PKCS#8 private key (PRIVATE KEY)",
		"encrypted PKCS#8 private key (ENCRYPTED PRIVATE KEY)", "PKCS#1 RSA private key (RSA PRIVATE KEY)",
		"PKCS#1 RSA public key (RSA PUBLIC KEY)", "SEC1 EC private key (EC PRIVATE KEY)", "PKCS#12 bundle (.p12, .pfx)",
		"DSA private key (DSA PRIVATE KEY)"}[f]
}

// label is the form's name in item labels.
func (f derForm) label() string {
	return [...]string{"", "X.509 certificate", "SPKI public key", "PKCS#8 private key", "encrypted PKCS#8 private key",
		"PKCS#1 RSA private key", "PKCS#1 RSA public key", "SEC1 EC private key", "PKCS#12 bundle", "DSA private key"}[f]
}

// what is the form with an article, for damaged messages.
func (f derForm) what() string {
	switch f {
	case formSPKI:
		return "an SPKI public key"
	case formPKCS8:
		return "a PKCS#8 private key"
	case formEncryptedPKCS8:
		return "an encrypted PKCS#8 private key"
	case formSEC1:
		return "a SEC1 EC private key"
	}
	return "a " + f.label()
}

// sniffDER tells the form of DER by its outer shape alone (tags and the
// first integers), so that a key x509 refuses still gets the reader of its
// form and a specific message. formUnknown when no form fits.
func sniffDER(der []byte) derForm {
	seq, ok := outerSequence(der)
	switch {
	case !ok:
		return formUnknown
	case seq.PeekASN1Tag(cbasn1.SEQUENCE):
		return sniffAfterSequence(seq)
	case seq.PeekASN1Tag(cbasn1.INTEGER):
		return sniffAfterInteger(seq)
	}
	return formUnknown
}

// outerSequence is the contents of DER's outer SEQUENCE, or of what there
// is of it when the DER is cut short.
func outerSequence(der []byte) (cryptobyte.String, bool) {
	s := cryptobyte.String(der)
	var seq cryptobyte.String
	if s.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return seq, true
	}
	var rv asn1.RawValue
	var se asn1.SyntaxError
	if _, err := asn1.Unmarshal(der, &rv); !errors.As(err, &se) || !strings.Contains(se.Msg, "truncated") || len(der) < 4 {
		return nil, false
	}
	// Cut short: tell the form by what there is of the SEQUENCE's
	// contents, after its tag and length octets (X.690 §8.1.3).
	header := 2
	if der[1] > 0x80 {
		header += int(der[1] & 0x7f)
	}
	if der[0] != 0x30 || header >= len(der) {
		return nil, false
	}
	return cryptobyte.String(der[header:]), true
}

// sniffAfterSequence tells the forms that open with an AlgorithmIdentifier
// or a TBSCertificate.
func sniffAfterSequence(seq cryptobyte.String) derForm {
	if !seq.SkipASN1(cbasn1.SEQUENCE) {
		return formUnknown
	}
	switch {
	case seq.PeekASN1Tag(cbasn1.BIT_STRING):
		return formSPKI
	case seq.PeekASN1Tag(cbasn1.OCTET_STRING):
		return formEncryptedPKCS8
	case seq.PeekASN1Tag(cbasn1.SEQUENCE):
		return formCertificate // or a CSR or CRL, which share the shape
	}
	return formUnknown
}

// sniffAfterInteger tells the forms that open with a version or a number.
func sniffAfterInteger(seq cryptobyte.String) derForm {
	var first big.Int
	if !seq.ReadASN1Integer(&first) {
		return formUnknown
	}
	switch {
	case seq.PeekASN1Tag(cbasn1.SEQUENCE) && first.Cmp(big.NewInt(3)) == 0:
		return formPKCS12
	case seq.PeekASN1Tag(cbasn1.SEQUENCE):
		return formPKCS8
	case seq.PeekASN1Tag(cbasn1.OCTET_STRING):
		return formSEC1
	case !seq.PeekASN1Tag(cbasn1.INTEGER):
		return formUnknown
	}
	ints := 1
	for seq.PeekASN1Tag(cbasn1.INTEGER) && seq.SkipASN1(cbasn1.INTEGER) {
		ints++
	}
	switch {
	case ints == 2 && seq.Empty():
		return formPKCS1Public
	case ints == 6 && seq.Empty() && first.Sign() == 0:
		return formDSAPrivate // OpenSSL's DSAPrivateKey: version, p, q, g, y, x
	}
	return formPKCS1Private
}

// readDERKey reads a key of a known form (not a certificate, not encrypted).
func readDERKey(der []byte, form derForm) (*derKey, error) {
	switch form {
	case formSPKI:
		return readSPKI(der)
	case formPKCS8:
		return readPKCS8(der)
	case formSEC1:
		return readSEC1(der, "")
	case formPKCS1Private:
		return readPKCS1Private(der)
	case formPKCS1Public:
		return readPKCS1Public(der)
	case formPKCS12:
		return nil, errPKCS12
	case formDSAPrivate:
		return nil, unsupportedAlgorithm(oidDSA)
	}
	return nil, damagedDER(der, form.what())
}

var errPKCS12 = errors.New("this is a PKCS#12 bundle (.p12, .pfx), which JWK Desk does not open: extract the key and certificates with `openssl pkcs12 -in FILE -nodes` and paste the PEM")

// algID is an AlgorithmIdentifier: the OID and its parameters' DER (nil when absent).
type algID struct {
	oid    asn1.ObjectIdentifier
	params []byte
}

func algIDOf(a pkix.AlgorithmIdentifier) algID {
	return algID{oid: a.Algorithm, params: a.Parameters.FullBytes}
}

// readSPKI reads a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
func readSPKI(der []byte) (*derKey, error) {
	if raw, err := x509.ParsePKIXPublicKey(der); err == nil {
		return &derKey{raw: raw}, nil
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if rest, err := asn1.Unmarshal(der, &spki); err != nil || len(rest) > 0 {
		return nil, damagedDER(der, formSPKI.what())
	}
	alg, pub := algIDOf(spki.Algorithm), spki.PublicKey.RightAlign()
	switch {
	case alg.oid.Equal(oidRSA):
		return readPKCS1Public(pub)
	case alg.oid.Equal(oidRSAPSS):
		dk, err := readPKCS1Public(pub)
		if err != nil {
			return nil, err
		}
		return dk, dk.restrictToPSS(alg)
	case alg.oid.Equal(oidECPublicKey):
		crv, notes, err := ecCurve(alg.params)
		if err != nil {
			return nil, err
		}
		k, err := ecPublicKey(crv, pub)
		if err != nil {
			return nil, err
		}
		return &derKey{raw: k, notes: notes}, nil
	case alg.oid.Equal(oidEd25519), alg.oid.Equal(oidX25519):
		return nil, fmt.Errorf("its %s public key is %d bytes: it must be 32", oidName(alg.oid), len(pub))
	}
	return nil, unsupportedAlgorithm(alg.oid)
}

// readPKCS1Public reads an RSAPublicKey (RFC 8017 A.1.1). Sizes crypto/rsa
// refuses are read so that checkRawKey can name what is wrong.
func readPKCS1Public(der []byte) (*derKey, error) {
	if k, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return &derKey{raw: k}, nil
	}
	var pub struct{ N, E *big.Int }
	if rest, err := asn1.Unmarshal(der, &pub); err != nil || len(rest) > 0 || pub.N.Sign() <= 0 || pub.E.Sign() <= 0 {
		return nil, damagedDER(der, "a PKCS#1 RSA public key")
	}
	e, err := rsaExponent(pub.E)
	if err != nil {
		return nil, err
	}
	return &derKey{raw: &rsa.PublicKey{N: pub.N, E: e}}, nil
}

func rsaExponent(e *big.Int) (int, error) {
	if err := checkRSAExponentLength(e); err != nil {
		return 0, err
	}
	return int(e.Int64()), nil
}

// readPKCS1Private reads an RSAPrivateKey. A structure crypto/x509 refuses
// because its numbers disagree (n is not p·q, d does not fit) is returned as
// it is: checkHalves names what disagrees.
func readPKCS1Private(der []byte) (*derKey, error) {
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return &derKey{raw: k, derived: true}, nil // crypto/x509 validated it
	}
	var k struct { // RFC 8017 A.1.2's RSAPrivateKey
		Version                     int
		N, E, D, P, Q, Dp, Dq, Qinv *big.Int
		OtherPrimes                 asn1.RawValue `asn1:"optional"`
	}
	if rest, err := asn1.Unmarshal(der, &k); err != nil || len(rest) > 0 {
		return nil, damagedDER(der, "a PKCS#1 RSA private key")
	}
	if k.Version != 0 || len(k.OtherPrimes.FullBytes) > 0 {
		return nil, errors.New("a multi-prime RSA key (more than two primes, RFC 8017 A.1.2 version 1): JWK Desk reads two-prime RSA keys only")
	}
	for _, v := range []*big.Int{k.N, k.E, k.D, k.P, k.Q, k.Dp, k.Dq, k.Qinv} {
		if v.Sign() <= 0 {
			return nil, damagedDER(der, "a PKCS#1 RSA private key")
		}
	}
	e, err := rsaExponent(k.E)
	if err != nil {
		return nil, err
	}
	priv := &rsa.PrivateKey{
		PublicKey:   rsa.PublicKey{N: k.N, E: e},
		D:           k.D,
		Primes:      []*big.Int{k.P, k.Q},
		Precomputed: rsa.PrecomputedValues{Dp: k.Dp, Dq: k.Dq, Qinv: k.Qinv},
	}
	return &derKey{raw: priv}, nil
}

// pkcs8Key is RFC 5958's OneAsymmetricKey: PKCS#8 v1 (PrivateKeyInfo) and
// v2, which may carry the public key.
type pkcs8Key struct {
	Version    int
	Algo       pkix.AlgorithmIdentifier
	PrivateKey []byte
	Attributes asn1.RawValue  `asn1:"optional,tag:0"`
	PublicKey  asn1.BitString `asn1:"optional,tag:1"`
}

// readPKCS8 reads a PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958).
func readPKCS8(der []byte) (*derKey, error) {
	var p pkcs8Key
	if rest, err := asn1.Unmarshal(der, &p); err != nil || len(rest) > 0 || p.Version < 0 || p.Version > 1 {
		return nil, damagedDER(der, formPKCS8.what())
	}
	alg := algIDOf(p.Algo)
	dk, err := readPKCS8Inner(der, alg, p.PrivateKey)
	if err != nil {
		return nil, err
	}
	if p.PublicKey.BitLength == 0 {
		return dk, nil
	}
	stored, err := storedPublicKey(alg, dk.raw, p.PublicKey.RightAlign())
	if err != nil {
		return nil, err
	}
	if dk.stored == nil {
		dk.stored = stored
	} else if err := checkHalves(dk.raw, stored, "the public key in the PKCS#8 v2 wrapper", dk.derived); err != nil {
		return nil, err
	}
	return dk, nil
}

// readPKCS8Inner reads the private key a PKCS#8 structure (der) wraps in
// inner, by its algorithm.
func readPKCS8Inner(der []byte, alg algID, inner []byte) (*derKey, error) {
	switch {
	case alg.oid.Equal(oidRSA):
		return readPKCS1Private(inner)
	case alg.oid.Equal(oidRSAPSS):
		dk, err := readPKCS1Private(inner)
		if err != nil {
			return nil, err
		}
		return dk, dk.restrictToPSS(alg)
	case alg.oid.Equal(oidECPublicKey):
		crv, notes, err := ecCurve(alg.params)
		if err != nil {
			return nil, err
		}
		dk, err := readSEC1(inner, crv)
		if err != nil {
			return nil, err
		}
		dk.notes = append(notes, dk.notes...)
		return dk, nil
	case alg.oid.Equal(oidEd25519), alg.oid.Equal(oidX25519):
		raw, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			return nil, fmt.Errorf("its %s private key is not 32 bytes in an OCTET STRING (RFC 8410 §7): the key is damaged", oidName(alg.oid))
		}
		return &derKey{raw: raw, derived: true}, nil
	}
	return nil, unsupportedAlgorithm(alg.oid)
}

// storedPublicKey reads the publicKey of a PKCS#8 v2 (RFC 5958) key.
func storedPublicKey(alg algID, priv any, b []byte) (any, error) {
	bad := func(err error) error {
		return fmt.Errorf("the public key stored with this %s private key is not a valid public key (%v): the key is damaged", oidName(alg.oid), err)
	}
	switch {
	case alg.oid.Equal(oidEd25519):
		if len(b) != ed25519.PublicKeySize {
			return nil, bad(fmt.Errorf("%d bytes, not 32", len(b)))
		}
		return ed25519.PublicKey(b), nil
	case alg.oid.Equal(oidX25519):
		k, err := ecdh.X25519().NewPublicKey(b)
		if err != nil {
			return nil, bad(fmt.Errorf("%d bytes, not 32", len(b)))
		}
		return k, nil
	case alg.oid.Equal(oidECPublicKey):
		k, err := ecPublicKey(curveOfRaw(priv), b)
		if err != nil {
			return nil, err
		}
		return k, nil
	}
	dk, err := readPKCS1Public(b)
	if err != nil {
		return nil, bad(err)
	}
	return dk.raw, nil
}

// pssParams is RFC 4055 §3.1's RSASSA-PSS-params.
type pssParams struct {
	Hash         pkix.AlgorithmIdentifier `asn1:"optional,explicit,tag:0"`
	MGF          pkix.AlgorithmIdentifier `asn1:"optional,explicit,tag:1"`
	SaltLength   int                      `asn1:"optional,explicit,tag:2,default:20"`
	TrailerField int                      `asn1:"optional,explicit,tag:3,default:1"`
}

// restrictToPSS records that an RSA key is an RSASSA-PSS key (RFC 4055)
// and, when its parameters name a hash, the JOSE alg that fits (RFC 7518
// §3.5: PS256/384/512 use that hash for the message and MGF1, and a salt as
// long as the hash).
func (dk *derKey) restrictToPSS(alg algID) error {
	dk.pss = true
	if len(alg.params) == 0 {
		dk.notes = append(dk.notes, "an RSASSA-PSS key (RFC 4055) without parameters: its owner meant it for PSS signatures only, so use it with PS256, PS384 or PS512, never RS* or RSA-OAEP")
		return nil
	}
	var p pssParams
	if rest, err := asn1.Unmarshal(alg.params, &p); err != nil || len(rest) > 0 {
		return damagedDER(alg.params, "an RSASSA-PSS parameter block")
	}
	hash := hashName(p.Hash.Algorithm)
	mgfHash := "SHA-1" // the default (RFC 4055 §3.1)
	if len(p.MGF.Algorithm) > 0 {
		var h pkix.AlgorithmIdentifier
		if !p.MGF.Algorithm.Equal(oidMGF1) {
			mgfHash = "an unknown mask generation function"
		} else if _, err := asn1.Unmarshal(p.MGF.Parameters.FullBytes, &h); err == nil {
			mgfHash = hashName(h.Algorithm)
		}
	}
	jose := map[string]string{"SHA-256": "PS256", "SHA-384": "PS384", "SHA-512": "PS512"}[hash]
	if jose == "" {
		dk.notes = append(dk.notes, fmt.Sprintf("an RSASSA-PSS key (RFC 4055) restricted to PSS with %s, which no JOSE algorithm uses (RFC 7518 §3.5: PS256, PS384, PS512): no alg is set; a verifier that enforces the key's parameters will refuse JOSE signatures", hash))
		return nil
	}
	dk.alg = jose
	note := fmt.Sprintf("an RSASSA-PSS key (RFC 4055) restricted to PSS with %s: alg %s (RFC 7518 §3.5); use it for nothing else", hash, jose)
	hashLen := map[string]int{"PS256": 32, "PS384": 48, "PS512": 64}[jose]
	switch {
	case mgfHash != hash:
		note += fmt.Sprintf("; its parameters name MGF1 with %s, while %s uses MGF1 with %s, so a verifier that enforces them (openssl) refuses %s signatures", mgfHash, jose, hash, jose)
	case p.SaltLength > hashLen:
		note += fmt.Sprintf("; its parameters ask for a salt of at least %d bytes, while %s uses %d, so a verifier that enforces them refuses %s signatures", p.SaltLength, jose, hashLen, jose)
	}
	dk.notes = append(dk.notes, note)
	return nil
}

func hashName(oid asn1.ObjectIdentifier) string {
	switch {
	case len(oid) == 0, oid.Equal(oidSHA1):
		return "SHA-1"
	case oid.Equal(oidSHA224):
		return "SHA-224"
	case oid.Equal(oidSHA256):
		return "SHA-256"
	case oid.Equal(oidSHA384):
		return "SHA-384"
	case oid.Equal(oidSHA512):
		return "SHA-512"
	}
	return "hash " + oid.String()
}

func oidName(oid asn1.ObjectIdentifier) string {
	switch {
	case oid.Equal(oidEd25519):
		return "Ed25519"
	case oid.Equal(oidX25519):
		return "X25519"
	case oid.Equal(oidECPublicKey):
		return "EC"
	}
	return "RSA"
}

// unsupportedAlgorithm names a key algorithm JOSE has no use for.
func unsupportedAlgorithm(oid asn1.ObjectIdentifier) error {
	switch name := unsupportedOIDs[oid.String()]; name {
	case "Ed448", "X448":
		return unsupportedOKPCurve(name)
	case "DSA":
		return errors.New("a DSA key: DSA keys cannot be used with JOSE (RFC 7518 registers no DSA algorithm)")
	case "":
		return fmt.Errorf("a key of algorithm OID %s, which JOSE does not use: JWK Desk reads RSA, RSASSA-PSS, EC (P-256, P-384, P-521, secp256k1), Ed25519 and X25519 keys", oid)
	default:
		return fmt.Errorf("a %s key: JOSE has no algorithm for it (key agreement uses ECDH-ES on P-256, P-384, P-521 or X25519)", name)
	}
}

// unsupportedOKPCurve is the one refusal of Ed448 and X448, for JWKs and DER alike.
func unsupportedOKPCurve(name string) error {
	other := map[string]string{"Ed448": "Ed25519", "X448": "X25519"}[name]
	if other == "" {
		return fmt.Errorf("unknown OKP curve %q: JWK Desk reads Ed25519 and X25519", name)
	}
	return fmt.Errorf("%s keys are not supported by the JOSE libraries JWK Desk uses, nor by most verifiers (RFC 8037 registers %s, but few implement it): use %s", name, name, other)
}

// unsupportedCurve names an EC curve JOSE does not register.
func unsupportedCurve(oid asn1.ObjectIdentifier) error {
	name := unsupportedCurves[oid.String()]
	if name == "" {
		name = "OID " + oid.String()
	}
	return fmt.Errorf("an EC key on curve %s, which JOSE does not register (RFC 7518 §6.2.1.1: P-256, P-384, P-521; RFC 8812: secp256k1): make a key on one of those", name)
}
