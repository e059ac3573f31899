package convert

import (
	"fmt"
	"unicode"
	"unicode/utf8"
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
