package token

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// HMAC secret encodings: how the user wrote the secret. Never guessed.
const (
	SecretText      = "text"      // the UTF-8 bytes as typed
	SecretBase64URL = "base64url" // RFC 4648 §5, padding optional
	SecretHex       = "hex"
)

// SecretEncodings lists the encodings in the order the UI offers them.
func SecretEncodings() []string { return []string{SecretText, SecretBase64URL, SecretHex} }

// DecodeSecret turns an HMAC secret as written into its bytes. Text is taken
// exactly as typed; base64url and hex ignore surrounding spaces.
func DecodeSecret(text, encoding string) (secret []byte, err error) {
	defer recovery.Into(&err, "reading the secret")
	switch encoding {
	case SecretText:
		if text == "" {
			return nil, errors.New("the secret is empty: type or paste it")
		}
		return []byte(text), nil
	case SecretBase64URL:
		t := strings.TrimRight(strings.TrimSpace(text), "=")
		if t == "" {
			return nil, errors.New("the secret is empty: paste it as base64url")
		}
		if strings.ContainsAny(t, "+/") {
			return nil, errors.New("the secret holds + or /, so it is standard base64, not base64url: replace + with - and / with _, or choose another encoding")
		}
		b, err := base64.RawURLEncoding.DecodeString(t)
		if err != nil {
			return nil, fmt.Errorf("the secret is not base64url (%v): check it, or choose text or hex", err)
		}
		return b, nil
	case SecretHex:
		t := strings.TrimSpace(text)
		if t == "" {
			return nil, errors.New("the secret is empty: paste it as hex")
		}
		b, err := hex.DecodeString(t)
		if err != nil {
			return nil, fmt.Errorf("the secret is not hex (%v): check it, or choose text or base64url", err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown secret encoding %q: choose text, base64url or hex", encoding)
}

// looksLikeKeyText reports whether a secret is really a PEM block or a JWK
// (also a damaged one, which Parse does not read).
func looksLikeKeyText(secret []byte) bool {
	s := strings.TrimSpace(string(secret))
	return strings.Contains(s, "-----BEGIN ") || strings.HasPrefix(s, "{") && strings.Contains(s, `"kty"`)
}

// secretKeyConfusion says why an HMAC secret is refused when it is really a
// key or a certificate, in any encoding a user could paste: PEM text, the
// PEM body without its armour (base64 DER, wrapped or not), base64url or hex
// DER, raw DER, a JWK or JWKS, an OpenSSH public key line. The engine's one
// key reader (Parse) decides; this only undoes the text encodings it does
// not try on its own. "" when the secret is no key.
func secretKeyConfusion(secret []byte) string {
	const refused = "refused (a public key or certificate used as an HMAC secret is the classic key-confusion attack: anyone who has the key can sign); verify with the issuer's public key as the key source"
	for _, f := range secretForms(secret) {
		res, err := keys.Parse(f.bytes, keys.ParseOptions{})
		if errors.Is(err, keys.ErrNeedsPassphrase) {
			return "the HMAC secret is an encrypted private key, not a secret: " + refused
		}
		if err != nil {
			continue
		}
		for _, it := range res.Items {
			if it.Key == nil {
				continue
			}
			if _, isOct := it.Key.(jwk.SymmetricKey); isOct {
				return `the HMAC secret is an oct JWK, not the secret itself: refused; paste its "k" member and choose the base64url encoding`
			}
			where := f.name
			if where == "" {
				where = res.Summary
			}
			return fmt.Sprintf("the HMAC secret is a key, not a secret (%s, read from %s): %s", it.Label, where, refused)
		}
	}
	if looksLikeKeyText(secret) {
		return "the HMAC secret is the text of a PEM or JWK key: " + refused
	}
	return ""
}

type secretForm struct {
	name  string
	bytes []byte
}

// secretForms are the secret's bytes, and what they decode to when they are
// text in base64, base64url or hex (whitespace and colons removed).
func secretForms(secret []byte) []secretForm {
	forms := []secretForm{{"", secret}}
	text := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == ':' {
			return -1
		}
		return r
	}, string(secret))
	if text == "" || !utf8.ValidString(text) {
		return forms
	}
	if b, err := hex.DecodeString(text); err == nil {
		forms = append(forms, secretForm{"its hex decoding", b})
	}
	unpadded := strings.TrimRight(text, "=")
	if b, err := base64.RawStdEncoding.DecodeString(unpadded); err == nil {
		forms = append(forms, secretForm{"its base64 decoding", b})
	}
	if b, err := base64.RawURLEncoding.DecodeString(unpadded); err == nil {
		forms = append(forms, secretForm{"its base64url decoding", b})
	}
	return forms
}
