package convert

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// MaxKidLength bounds a kid the user types: it travels in every token
// header and log line, and real kids are under 100 characters.
const MaxKidLength = 256

// CheckKid refuses a kid the user typed (already trimmed) that cannot be
// what they meant: a control character (usually a pasted line break), an
// invalid UTF-8 sequence, or an absurd length. Kids of imported keys are
// kept as they are; this is for kids JWK Desk would write.
func CheckKid(kid string) error {
	if !utf8.ValidString(kid) {
		return fmt.Errorf("kid is not valid UTF-8 text: retype it")
	}
	if n := utf8.RuneCountInString(kid); n > MaxKidLength {
		return fmt.Errorf("kid is %d characters long: keep it to %d (it is sent in every token header)", n, MaxKidLength)
	}
	for _, r := range kid {
		if unicode.IsControl(r) {
			return fmt.Errorf("kid holds the control character %U: remove it (a pasted line break or tab, perhaps)", r)
		}
	}
	return nil
}

// maxCommonName is X.509's upper bound for a CN (RFC 5280 ub-common-name).
const maxCommonName = 64

// checkCommonName refuses a certificate subject CN (already trimmed) that
// the certificate could not carry as typed.
func checkCommonName(cn string) error {
	if !utf8.ValidString(cn) {
		return fmt.Errorf("certificate subject CN is not valid UTF-8 text: retype it")
	}
	if n := utf8.RuneCountInString(cn); n > maxCommonName {
		return fmt.Errorf("certificate subject CN is %d characters long: X.509 allows at most %d (RFC 5280)", n, maxCommonName)
	}
	for _, r := range cn {
		if unicode.IsControl(r) {
			return fmt.Errorf("certificate subject CN holds the control character %U: remove it", r)
		}
	}
	return nil
}
