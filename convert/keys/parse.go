package keys

import (
	"bytes"
	"context"
	//lint:ignore SA1019 crypto/x509 returns *dsa.PublicKey for DSA SPKI and certificates: named to refuse them
	"crypto/dsa"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"golang.org/x/crypto/ssh"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
	"github.com/jwkdesk/jwkdesk/convert/internal/words"
)

// Kinds of parsed items.
const (
	ItemKey         = "key"         // a key (PEM, DER, JWK, OpenSSH)
	ItemCertificate = "certificate" // a certificate (chain): its public key with x5c
	ItemToken       = "token"       // a JWT or JWE: not a key; the JWT tab reads it
)

// ErrNeedsPassphrase and ErrWrongPassphrase tell the UI to ask for (another)
// passphrase; the message says which key it is.
var (
	ErrNeedsPassphrase = errors.New("this key is encrypted: enter its passphrase")
	ErrWrongPassphrase = errors.New("wrong passphrase: the key did not decrypt")
)

// passphraseError is a needs-passphrase or wrong-passphrase error whose
// message names the key; errors.Is finds the sentinel.
type passphraseError struct {
	msg  string
	kind error
}

func (e *passphraseError) Error() string { return e.msg }
func (e *passphraseError) Unwrap() error { return e.kind }

func needPassphrase(format string, a ...any) error {
	return &passphraseError{msg: fmt.Sprintf(format, a...), kind: ErrNeedsPassphrase}
}

func wrongPassphrase(format string, a ...any) error {
	return &passphraseError{msg: fmt.Sprintf(format, a...), kind: ErrWrongPassphrase}
}

// ParseOptions carry what parsing may need besides the text.
type ParseOptions struct {
	Passphrase []byte // at most MaxPassphrase bytes
	// Context, when set, stops the parse before its next key derivation
	// once it is done (a conversion superseded by a newer one).
	Context context.Context
	// OnDerive, when set, is called before each key derivation from the
	// passphrase, with its price (kdf_caps.go): progress for a UI.
	OnDerive func(Derivation)

	work *deriveBudget // one per Parse: what its derivations may spend
}

// Item is one thing found in the input, labelled for a human: "PKCS#1 RSA
// private key, 2048 bits", "X.509 certificate, CN=…, valid until …".
type Item struct {
	Label    string
	Kind     string
	Key      jwk.Key // nil for tokens
	Warnings []string
}

// ParseResult is everything found in the input, in order.
type ParseResult struct {
	Summary  string // "PEM, 2 blocks", "JWKS, 3 keys", …
	Items    []Item
	Warnings []string
}

// Keys returns the keys of the key and certificate items, in order.
func (r *ParseResult) Keys() []jwk.Key {
	var keys []jwk.Key
	for _, it := range r.Items {
		if it.Key != nil {
			keys = append(keys, it.Key)
		}
	}
	return keys
}

// ParseKeys reads the keys in a pasted JWK, JWKS, PEM, DER or OpenSSH text.
// An input that holds no key is an error.
func ParseKeys(data []byte) ([]jwk.Key, error) {
	r, err := Parse(data, ParseOptions{})
	if err != nil {
		return nil, err
	}
	keys := r.Keys()
	if len(keys) == 0 {
		if len(r.Items) == 1 && r.Items[0].Kind == ItemToken {
			return nil, errors.New("this is a " + r.Items[0].Label)
		}
		return nil, fmt.Errorf("no key here: found %s", r.Summary)
	}
	return keys, nil
}

// Parse detects what input is and reads every key in it: JWK, JWKS, PEM of
// every flavour (SPKI, PKCS#1, PKCS#8, SEC1, certificates and chains,
// encrypted PKCS#8 and legacy encrypted PEM), raw DER, OpenSSH public keys.
// JWTs and JWEs are recognised and labelled, not read.
func Parse(data []byte, opts ParseOptions) (res *ParseResult, err error) {
	defer recovery.Into(&err, "reading the input")
	if opts.work == nil { // always, but for tests inside the package
		opts.work = newDeriveBudget(opts)
	}
	if len(data) > input.MaxKeyInput {
		return nil, fmt.Errorf("the input is %d KiB, over the %d KiB limit for keys and certificates", len(data)>>10, input.MaxKeyInput>>10)
	}
	if raw := input.FromUTF16(data); len(raw) > 0 && raw[0] == 0x30 && !input.IsBase64Text(raw) {
		// Binary DER, read as it is: text clean-ups (CR, trailing
		// whitespace) would change its bytes.
		return parseDERInput(raw, "DER (binary)", opts)
	}
	text := input.NormalizeText(input.FromUTF16(data))
	trimmed := bytes.TrimSpace(text)
	if len(trimmed) == 0 {
		return nil, errors.New("nothing to read: paste a PEM key or certificate, a JWK, a JWKS or an OpenSSH public key")
	}
	if bytes.Contains(trimmed, ssh2Marker) {
		return parseSSH2PublicKey(trimmed)
	}
	if bytes.Contains(trimmed, []byte("-----BEGIN ")) {
		tidy, notes := tidyPEM(trimmed)
		res, err := parsePEMText(tidy, opts)
		if err == nil {
			res.Warnings = append(notes, res.Warnings...)
		}
		return res, err
	}
	if !utf8.Valid(trimmed) || trimmed[0] == 0x30 && !input.IsBase64Text(trimmed) {
		return parseDERInput(trimmed, "DER (binary)", opts)
	}
	switch input.Classify(string(trimmed)) {
	case input.KindJWK, input.KindJWKS:
		return parseJSONKeys(trimmed)
	case input.KindJWT:
		return &ParseResult{Summary: "JWT", Items: []Item{{Kind: ItemToken, Label: "JWT (a signed token, not a key): the JWT tab inspects it"}}}, nil
	case input.KindJWE:
		return &ParseResult{Summary: "JWE", Items: []Item{{Kind: ItemToken, Label: "JWE (encrypted token, not a key)"}}}, nil
	case input.KindOpenSSH:
		return parseOpenSSH(trimmed)
	case input.KindDER:
		der, err := base64.StdEncoding.DecodeString(string(bytes.Join(bytes.Fields(trimmed), nil)))
		if err != nil {
			return nil, errors.New("this looks like base64 DER but is not base64: copy the whole key again")
		}
		return parseDERInput(der, "DER (base64)", opts)
	}
	if trimmed[0] == '{' {
		var v any
		if err := json.Unmarshal(trimmed, &v); err != nil {
			return nil, fmt.Errorf("this starts like JSON but is not valid JSON (%s): paste the whole JWK or JWKS", input.JSONProblem(trimmed, err))
		}
		return nil, errors.New(`this JSON is neither a JWK (it has no "kty") nor a JWKS (it has no "keys")`)
	}
	return nil, errors.New("not a key: paste a PEM key or certificate (-----BEGIN …), a JWK, a JWKS, base64 DER or an OpenSSH public key")
}

func parseJSONKeys(b []byte) (*ParseResult, error) {
	ps, err := ParseKeySet(b)
	if err != nil {
		return nil, err
	}
	res := &ParseResult{}
	isSet := input.Classify(string(b)) == input.KindJWKS
	for i, k := range ps.Keys {
		what := "public"
		if IsPrivate(k) {
			what = "private"
		}
		label := "JWK (" + DescribeKey(k) + ", " + what + ")"
		if isSet {
			label = "JWKS key (" + DescribeKey(k) + ", " + what + ")"
			if kid, ok := k.KeyID(); ok {
				label += fmt.Sprintf(", kid %q", kid)
			}
		}
		item := Item{Kind: ItemKey, Label: label, Key: k}
		if i < len(ps.Notes) {
			item.Warnings = append(item.Warnings, ps.Notes[i]...)
		}
		res.Items = append(res.Items, item)
	}
	for _, bad := range ps.Bad {
		res.Warnings = append(res.Warnings, "skipped "+bad.String())
	}
	if isSet && len(ps.Keys) == 0 {
		if len(ps.Bad) > 0 {
			if len(ps.Bad) == 1 {
				return nil, fmt.Errorf("the JWKS's only key cannot be read: %s", ps.Bad[0])
			}
			return nil, fmt.Errorf("none of the JWKS's %d keys can be read; the first: %s", len(ps.Bad), ps.Bad[0])
		}
		return nil, errors.New(`this JWKS holds no keys: "keys" is empty`)
	}
	if isSet {
		res.Summary = "JWKS, " + words.Plural(len(ps.Keys), "key", "keys")
		if len(ps.Bad) > 0 {
			res.Summary += fmt.Sprintf(" (%d unreadable)", len(ps.Bad))
		}
	} else {
		res.Summary = "JWK"
	}
	return res, nil
}

func parseOpenSSH(b []byte) (*ParseResult, error) {
	pub, comment, _, rest, err := ssh.ParseAuthorizedKey(b)
	if err != nil {
		typ, _, _ := bytes.Cut(bytes.TrimSpace(b), []byte(" "))
		return nil, fmt.Errorf("this looks like an OpenSSH public key (%s) but its key does not parse: the base64 part is cut short or damaged; copy the whole line again", typ)
	}
	cpk, ok := pub.(ssh.CryptoPublicKey)
	if !ok {
		return nil, fmt.Errorf("OpenSSH key type %s has no JOSE form", pub.Type())
	}
	item, err := keyItem(cpk.CryptoPublicKey(), "OpenSSH public key, "+pub.Type())
	if err != nil {
		return nil, err
	}
	if comment != "" {
		item.Warnings = append(item.Warnings, fmt.Sprintf("the comment %q is not part of the JWK", comment))
	}
	res := &ParseResult{Summary: "OpenSSH public key", Items: []Item{item}}
	if len(bytes.TrimSpace(rest)) > 0 {
		res.Warnings = append(res.Warnings, "only the first OpenSSH key was read: paste one per line into the JWKS tab for several")
	}
	return res, nil
}

// parsePEMText reads every PEM block; certificates that chain are grouped.
func parsePEMText(b []byte, opts ParseOptions) (*ParseResult, error) {
	res := &ParseResult{}
	if i := bytes.Index(b, []byte("-----BEGIN ")); i > 0 && len(bytes.TrimSpace(b[:i])) > 0 {
		res.Warnings = append(res.Warnings, "Text before the first BEGIN line was ignored")
	}
	var certs []*x509.Certificate
	blocks := 0
	rest := b
	for {
		block, r := pem.Decode(rest)
		// encoding/pem skips a block it cannot read and returns the next:
		// a damaged block must not vanish silently.
		if block == nil && bytes.Contains(rest, []byte("-----BEGIN ")) || block != nil && bytes.Count(rest[:len(rest)-len(r)], []byte("-----BEGIN ")) > 1 {
			return nil, pemBlockProblem(rest, blocks+1)
		}
		if block == nil {
			break
		}
		blocks++
		rest = r
		switch block.Type {
		case "CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE", "X.509 CERTIFICATE":
			c, notes, err := readCertificateDER(block.Bytes, block.Type == "TRUSTED CERTIFICATE")
			var dmg *damagedError
			switch {
			case errors.As(err, &dmg):
				return nil, fmt.Errorf("PEM block %d (%s) %s: copy the whole block again, from -----BEGIN to -----END", blocks, block.Type, dmg)
			case err != nil:
				return nil, fmt.Errorf("PEM block %d (%s) cannot be read: %w", blocks, block.Type, err)
			}
			certs = append(certs, c)
			res.Warnings = append(res.Warnings, notes...)
			continue
		}
		if len(certs) > 0 {
			items, warns, err := certificateItems(certs)
			if err != nil {
				return nil, err
			}
			res.Items, res.Warnings = append(res.Items, items...), append(res.Warnings, warns...)
			certs = nil
		}
		item, skip, err := pemBlockItem(block, blocks, opts)
		if err != nil {
			return nil, err
		}
		if !skip {
			res.Items = append(res.Items, item)
		}
	}
	if len(certs) > 0 {
		items, warns, err := certificateItems(certs)
		if err != nil {
			return nil, err
		}
		res.Items, res.Warnings = append(res.Items, items...), append(res.Warnings, warns...)
	}
	if blocks == 0 {
		return nil, pemBlockProblem(b, 1)
	}
	if err := pairKeysWithCertificates(res); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		res.Warnings = append(res.Warnings, "Text after the END line was ignored")
	}
	if len(res.Items) == 0 {
		return nil, errors.New("no key in these PEM blocks")
	}
	res.Summary = "PEM, " + words.Plural(blocks, "block", "blocks")
	return res, nil
}

// pemBlockItem reads one non-certificate PEM block. skip is true for blocks
// that carry no key of their own (EC PARAMETERS).
func pemBlockItem(block *pem.Block, n int, opts ParseOptions) (Item, bool, error) {
	der := block.Bytes
	encrypted := false
	//lint:ignore SA1019 legacy "Proc-Type: 4,ENCRYPTED" PEM is still what openssl's -traditional writes; users paste it
	if x509.IsEncryptedPEMBlock(block) {
		if len(opts.Passphrase) == 0 {
			return Item{}, false, needPassphrase("this is a %s protected by a passphrase (legacy PEM encryption): enter it below", pemTypeName(block.Type))
		}
		if err := opts.work.charge(opts.Passphrase, legacyPEMDerivation); err != nil {
			return Item{}, false, err
		}
		//lint:ignore SA1019 see above: decrypting legacy PEM is the only way to read these files
		plain, err := x509.DecryptPEMBlock(block, opts.Passphrase)
		if err != nil {
			return Item{}, false, wrongPassphrase("the passphrase does not decrypt this %s: check it and try again", pemTypeName(block.Type))
		}
		der, encrypted = plain, true
	}
	var raw any
	var err error
	label := pemTypeName(block.Type)
	switch block.Type {
	case "EC PARAMETERS":
		return Item{}, true, nil
	case "PUBLIC KEY", "RSA PUBLIC KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "RSA-PSS PRIVATE KEY", "RSA-PSS PUBLIC KEY":
		form := pemLabelForm[block.Type]
		dk, err := readDERKey(der, form)
		if err == nil && strings.HasPrefix(block.Type, "RSA-PSS") {
			dk.pss = true // openssl rsa -traditional writes a PSS key as PKCS#1 under this label, without its parameters
			dk.notes = append(dk.notes, "an RSASSA-PSS key in openssl's traditional form, which keeps no parameters: its owner meant it for PSS signatures only, so use it with PS256, PS384 or PS512, never RS* or RSA-OAEP")
		}
		var dmg *damagedError
		switch {
		case errors.As(err, &dmg):
			if actual := sniffDER(der); actual != formUnknown && actual != form {
				return Item{}, false, fmt.Errorf("PEM block %d is labelled %s but holds a %s: fix its BEGIN and END lines", n, block.Type, actual)
			}
			return Item{}, false, fmt.Errorf("PEM block %d (%s) %s: copy the whole block again, from -----BEGIN to -----END", n, block.Type, dmg)
		case err != nil:
			return Item{}, false, fmt.Errorf("PEM block %d (%s): %w", n, block.Type, err)
		}
		if encrypted {
			label += " (decrypted)"
		}
		item, err := keyItemFrom(dk, label)
		return item, false, err
	case "ENCRYPTED PRIVATE KEY":
		raw, err = decryptPKCS8(der, opts)
		if err != nil {
			return Item{}, false, err
		}
		encrypted = true
	case "OPENSSH PRIVATE KEY":
		raw, err = parseOpenSSHPrivate(block, opts)
		if err != nil {
			return Item{}, false, err
		}
	case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST":
		return Item{}, false, errors.New("this is a certificate signing request (CSR), not a key: paste the key it was made from, or the certificate issued for it")
	case "DSA PRIVATE KEY", "DSA PUBLIC KEY":
		return Item{}, false, fmt.Errorf("unknown PEM type `%s`: DSA keys cannot be used with JOSE", block.Type)
	case "X509 CRL":
		return Item{}, false, errors.New("this is a certificate revocation list, not a key")
	default:
		return Item{}, false, fmt.Errorf("unknown PEM type `%s` (block %d): JWK Desk reads PUBLIC KEY, RSA PUBLIC KEY, PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY and CERTIFICATE", block.Type, n)
	}
	if encrypted {
		label += " (decrypted)"
	}
	item, err := keyItem(raw, label)
	return item, false, err
}

// pemLabelForm is the DER form each key label holds (RSA-PSS: openssl rsa
// -traditional's labels for a PSS key, over PKCS#1).
var pemLabelForm = map[string]derForm{"PUBLIC KEY": formSPKI, "RSA PUBLIC KEY": formPKCS1Public, "RSA PRIVATE KEY": formPKCS1Private,
	"EC PRIVATE KEY": formSEC1, "PRIVATE KEY": formPKCS8, "RSA-PSS PRIVATE KEY": formPKCS1Private, "RSA-PSS PUBLIC KEY": formPKCS1Public}

// pemTypeName names a PEM block's flavour as users know it.
func pemTypeName(typ string) string {
	switch typ {
	case "PUBLIC KEY":
		return "SPKI public key"
	case "RSA PUBLIC KEY":
		return "PKCS#1 RSA public key"
	case "RSA PRIVATE KEY":
		return "PKCS#1 RSA private key"
	case "RSA-PSS PRIVATE KEY":
		return "PKCS#1 RSA-PSS private key"
	case "RSA-PSS PUBLIC KEY":
		return "PKCS#1 RSA-PSS public key"
	case "EC PRIVATE KEY":
		return "SEC1 EC private key"
	case "PRIVATE KEY":
		return "PKCS#8 private key"
	case "ENCRYPTED PRIVATE KEY":
		return "encrypted PKCS#8 private key"
	case "OPENSSH PRIVATE KEY":
		return "OpenSSH private key"
	}
	return typ
}

// parseOpenSSHPrivate reads an "openssh-key-v1" private key. An encrypted
// one is priced and charged to the input's budget before its bcrypt_pbkdf
// runs; a passphrase given for an unencrypted one is not needed, not an error.
func parseOpenSSHPrivate(block *pem.Block, opts ParseOptions) (any, error) {
	pemBytes := pem.EncodeToMemory(block)
	raw, err := ssh.ParseRawPrivateKey(pemBytes)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		if len(opts.Passphrase) == 0 {
			return nil, needPassphrase("this is an OpenSSH private key protected by a passphrase: enter it below")
		}
		rounds, ok := opensshKDFRounds(block.Bytes)
		if !ok {
			return nil, errors.New("this OpenSSH private key is damaged, or protected by a key derivation other than bcrypt_pbkdf (the one ssh-keygen uses)")
		}
		d, derr := bcryptDerivation(int64(rounds))
		if derr != nil {
			return nil, derr
		}
		if derr := opts.work.charge(opts.Passphrase, d); derr != nil {
			return nil, derr
		}
		raw, err = ssh.ParseRawPrivateKeyWithPassphrase(pemBytes, opts.Passphrase)
		if errors.Is(err, x509.IncorrectPasswordError) {
			return nil, wrongPassphrase("the passphrase does not decrypt this OpenSSH private key: check it and try again")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("OpenSSH private key does not parse: %w", err)
	}
	if p, ok := raw.(*ed25519.PrivateKey); ok {
		raw = *p
	}
	return raw, nil
}

// opensshKDFRounds reads the bcrypt rounds of an "openssh-key-v1" private
// key before any decryption, so a hostile file cannot hang the app.
func opensshKDFRounds(b []byte) (uint32, bool) {
	const magic = "openssh-key-v1\x00"
	if !bytes.HasPrefix(b, []byte(magic)) {
		return 0, false
	}
	b = b[len(magic):]
	next := func() ([]byte, bool) {
		if len(b) < 4 {
			return nil, false
		}
		n := binary.BigEndian.Uint32(b)
		if uint64(n) > uint64(len(b)-4) {
			return nil, false
		}
		v := b[4 : 4+n]
		b = b[4+n:]
		return v, true
	}
	if _, ok := next(); !ok { // cipher name
		return 0, false
	}
	kdf, ok := next()
	if !ok || string(kdf) != "bcrypt" {
		return 0, false
	}
	opts, ok := next()
	if !ok || len(opts) < 4 {
		return 0, false
	}
	b = opts
	if _, ok := next(); !ok || len(b) < 4 { // salt
		return 0, false
	}
	return binary.BigEndian.Uint32(b), true
}

// parseDERInput reads DER by the form its shape shows (sniffDER), so a
// key crypto/x509 refuses still gets its form's reader and message.
func parseDERInput(der []byte, origin string, opts ParseOptions) (*ParseResult, error) {
	if form := sniffDER(der); form != formUnknown && form != formEncryptedPKCS8 {
		return parseDERForm(der, form, origin)
	}
	// An EncryptedPrivateKeyInfo is derived once; whatever stops it (no
	// passphrase, a wrong one, a cost over its cap) is what the user reads.
	if raw, err := decryptPKCS8(der, opts); !errors.Is(err, errNotEncryptedPKCS8) {
		if err != nil {
			return nil, err
		}
		item, err := keyItem(raw, "encrypted PKCS#8 private key ("+origin+", decrypted)")
		if err != nil {
			return nil, err
		}
		return &ParseResult{Summary: origin, Items: []Item{item}}, nil
	}
	return nil, fmt.Errorf("%s that is no key or certificate JWK Desk knows (SPKI, PKCS#1, PKCS#8, SEC1, X.509)", origin)
}

// keyItem turns a crypto key into a JWK item with its label and checks the
// key is fit to import, its private part against its public part included.
func keyItem(raw any, label string) (Item, error) {
	return keyItemFrom(&derKey{raw: raw}, label)
}

// keyItemFrom is keyItem for a key read from DER, with the public key
// stored beside it, its PSS alg and the reader's notes.
func keyItemFrom(dk *derKey, label string) (Item, error) {
	desc, warn, err := checkRawKey(dk.raw)
	if err != nil {
		return Item{}, fmt.Errorf("%s: %w", label, err)
	}
	whose := storedWhose
	if dk.stored == nil {
		whose = "its public part"
	}
	if err := checkHalves(dk.raw, dk.stored, whose, dk.derived); err != nil {
		return Item{}, fmt.Errorf("%s: %w", label, err)
	}
	k, err := jwk.Import(dk.raw)
	if err != nil {
		return Item{}, fmt.Errorf("%s: this key cannot be written as a JWK", label)
	}
	if a, ok := jwa.LookupSignatureAlgorithm(dk.alg); dk.alg != "" && ok {
		if err := k.Set(jwk.AlgorithmKey, a); err != nil {
			return Item{}, fmt.Errorf("%s: failed to set alg %s", label, dk.alg)
		}
	}
	if strings.HasSuffix(desc, " bits") && !strings.Contains(label, "RSA") {
		desc = "RSA " + desc
	}
	if dk.pss {
		desc += " (RSASSA-PSS"
		if dk.alg != "" {
			desc += ", " + dk.alg
		}
		desc += ")"
	}
	item := Item{Kind: ItemKey, Label: label + ", " + desc, Key: k, Warnings: append([]string(nil), dk.notes...)}
	if warn != "" {
		item.Warnings = append(item.Warnings, warn)
	}
	return item, nil
}

// checkRawKey describes a crypto key ("2048 bits", "P-384", "Ed25519") and
// refuses keys no one should import.
func checkRawKey(raw any) (desc, warn string, err error) {
	switch k := raw.(type) {
	case *rsa.PublicKey:
		return checkRSA(k)
	case *rsa.PrivateKey:
		return checkRSA(&k.PublicKey)
	case *ecdsa.PublicKey:
		return ecName(k)
	case *ecdsa.PrivateKey:
		return ecName(&k.PublicKey)
	case ed25519.PublicKey, ed25519.PrivateKey:
		return "Ed25519", "", nil
	case *ecdh.PublicKey:
		return ecdhName(k.Curve()), "", nil
	case *ecdh.PrivateKey:
		return ecdhName(k.Curve()), "", nil
	case *dsa.PublicKey, *dsa.PrivateKey:
		return "", "", unsupportedAlgorithm(oidDSA)
	case nil:
		return "", "", errors.New("no key could be read from it")
	}
	return "", "", fmt.Errorf("a %T has no JOSE form", raw)
}

func checkRSA(k *rsa.PublicKey) (string, string, error) {
	bits := k.N.BitLen()
	desc := fmt.Sprintf("%d bits", bits)
	switch {
	case bits < 1024:
		return "", "", fmt.Errorf("an RSA modulus of %d bits is refused: under 1024 bits it is broken", bits)
	case k.E < 3 || k.E%2 == 0:
		return "", "", fmt.Errorf("RSA exponent %d is refused: it must be odd and at least 3 (normally 65537)", k.E)
	case bits < 2048:
		return desc, fmt.Sprintf("weak: %d-bit RSA is shown and linted but never used to verify (RFC 7518 §3.3 needs 2048)", bits), nil
	}
	return desc, "", nil
}

// ecName describes an EC key by its curve, and refuses curves JOSE does
// not register (crypto/x509 reads P-224).
func ecName(k *ecdsa.PublicKey) (string, string, error) {
	switch crv := curveOfRaw(k); crv {
	case CrvP256, CrvP384, CrvP521, CrvSecp256k1:
		return "EC " + crv, "", nil
	case "P-224":
		return "", "", unsupportedCurve(asn1.ObjectIdentifier{1, 3, 132, 0, 33})
	default:
		return "", "", fmt.Errorf("an EC key on curve %q, which JOSE does not register: make a key on P-256, P-384, P-521 or secp256k1", crv)
	}
}

func ecdhName(c ecdh.Curve) string {
	if c == ecdh.X25519() {
		return "X25519"
	}
	return fmt.Sprint(c)
}
