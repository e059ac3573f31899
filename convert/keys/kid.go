package keys

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/internal/recovery"
)

// MaxKidLength bounds a kid the user types: it travels in every token
// header and log line, and real kids are under 100 characters.
const MaxKidLength = 256

// maxCommonName is X.509's upper bound for a CN (RFC 5280 ub-common-name).
const maxCommonName = 64

// CheckKid refuses a kid the user typed (already trimmed) that cannot be
// what they meant: a control character (usually a pasted line break), an
// invalid UTF-8 sequence, or an absurd length. Kids of imported keys are
// kept as they are; this is for kids JWK Desk would write.
func CheckKid(kid string) error {
	return checkTyped("kid", kid, MaxKidLength, "keep it to %d (it is sent in every token header)", " (a pasted line break or tab, perhaps)")
}

// checkCommonName refuses a certificate subject CN (already trimmed) that
// the certificate could not carry as typed.
func checkCommonName(cn string) error {
	return checkTyped("certificate subject CN", cn, maxCommonName, "X.509 allows at most %d (RFC 5280)", "")
}

// checkTyped refuses text typed into a field named name: invalid UTF-8,
// over max characters (tooLong says the limit, %d), or holding a control
// character (ctrlHint follows "remove it").
func checkTyped(name, s string, max int, tooLong, ctrlHint string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8 text: retype it", name)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Errorf("%s is %d characters long: "+tooLong, name, n, max)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("%s holds the control character %U: remove it%s", name, r, ctrlHint)
		}
	}
	return nil
}

// KidGiven names a key that ThumbprintKids gave a kid: its position (from
// 0) and the kid.
type KidGiven struct {
	Index int
	Kid   string
}

// String says it for a status line or stderr.
func (g KidGiven) String() string {
	return fmt.Sprintf("key %d had no kid: its RFC 7638 thumbprint %s is its kid now", g.Index+1, g.Kid)
}

// ThumbprintKids is the one rule for keys added to a set without a kid
// (jwkdesk jwks and the window's key set, as conversion does through
// ApplyKeyOptions): each gets its RFC 7638 thumbprint as kid.
// oct secrets keep none (a kid is never a hash of a secret). Keys that get
// a kid are copies; the others are returned as they are.
func ThumbprintKids(keys []jwk.Key) (out []jwk.Key, given []KidGiven, err error) {
	defer recovery.Into(&err, "giving keys a kid")
	out = make([]jwk.Key, len(keys))
	for i, k := range keys {
		out[i] = k
		if kid, ok := k.KeyID(); ok && kid != "" {
			continue
		}
		if _, isOct := k.(jwk.SymmetricKey); isOct {
			continue
		}
		nk, err := ApplyKeyOptions(k, KeyOptions{})
		if err != nil {
			return nil, nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		kid, _ := nk.KeyID()
		out[i] = nk
		given = append(given, KidGiven{Index: i, Kid: kid})
	}
	return out, given, nil
}
