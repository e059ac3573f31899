package keys

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
	"github.com/jwkdesk/jwkdesk/convert/words"
)

// Kinds of parsed items.
const (
	ItemKey         = "key"         // a key (PEM, DER, JWK, OpenSSH)
	ItemCertificate = "certificate" // a certificate (chain): its public key with x5c
	ItemToken       = "token"       // a JWT or JWE: not a key; the token inspector reads it
)

// ErrNeedsPassphrase and ErrWrongPassphrase tell a face to ask for (another)
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

// TokenError says a token was given where a key was asked for.
type TokenError struct {
	Kind  input.InputKind // input.KindJWT or input.KindJWE
	Label string          // "JWT (a signed token, not a key)"
}

func (e *TokenError) Error() string { return "this is a " + e.Label }

// tokenKinds are the kinds of token Parse labels, by its summary.
var tokenKinds = map[string]input.InputKind{"JWT": input.KindJWT, "JWE": input.KindJWE}

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
			return nil, &TokenError{Kind: tokenKinds[r.Summary], Label: r.Items[0].Label}
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
	switch {
	case len(trimmed) == 0:
		return nil, errors.New("nothing to read: paste a PEM key or certificate, a JWK, a JWKS or an OpenSSH public key")
	case bytes.Contains(trimmed, ssh2Marker):
		return parseSSH2PublicKey(trimmed)
	case bytes.Contains(trimmed, []byte("-----BEGIN ")):
		tidy, notes := tidyPEM(trimmed)
		res, err := parsePEMText(tidy, opts)
		if err == nil {
			res.Warnings = append(notes, res.Warnings...)
		}
		return res, err
	case !utf8.Valid(trimmed) || trimmed[0] == 0x30 && !input.IsBase64Text(trimmed):
		return parseDERInput(trimmed, "DER (binary)", opts)
	}
	if _, ok := encjwk.Detect(trimmed); ok {
		return parseEncryptedJWK(trimmed, opts)
	}
	return parseClassified(trimmed, opts)
}

// parseClassified reads text that is neither PEM nor binary DER by what
// input.Classify says it is.
func parseClassified(trimmed []byte, opts ParseOptions) (*ParseResult, error) {
	switch input.Classify(string(trimmed)) {
	case input.KindJWK, input.KindJWKS:
		return parseJSONKeys(trimmed)
	case input.KindJWT:
		return &ParseResult{Summary: "JWT", Items: []Item{{Kind: ItemToken, Label: "JWT (a signed token, not a key)"}}}, nil
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
