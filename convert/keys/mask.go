package keys

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/jwkdesk/jwkdesk/convert/words"
)

// PrivateMembers are the JWK members that hold private or secret material
// (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2).
var PrivateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

var privateMemberLine = regexp.MustCompile(`(?m)^(\s*"(?:d|p|q|dp|dq|qi|k)":\s*)"[^"]*"`)

// MaskJWK writes mask (the face's words for a hidden value) in place of the
// values of the private members in pretty JWK or JWKS JSON (as MarshalJWK
// writes it), keeping every other member readable.
func MaskJWK(prettyJSON, mask string) string {
	out := privateMemberLine.ReplaceAllString(prettyJSON, `${1}"`+mask+`"`)
	// "oth" (multi-prime RSA) is an array: hide it whole.
	return regexp.MustCompile(`(?s)("oth":\s*)\[.*?\]`).ReplaceAllString(out, `${1}"`+mask+`"`)
}

// MaskPEM writes mask in place of the body of PEM blocks, with the number
// of lines hidden, keeping the BEGIN and END lines so the flavour stays
// visible.
func MaskPEM(pemText, mask string) string {
	var b strings.Builder
	hidden := 0
	inBlock := false
	for _, line := range strings.SplitAfter(pemText, "\n") {
		switch {
		case strings.HasPrefix(line, "-----BEGIN "):
			inBlock, hidden = true, 0
			b.WriteString(line)
		case strings.HasPrefix(line, "-----END "):
			inBlock = false
			fmt.Fprintf(&b, "%s (%s)\n", mask, words.Plural(hidden, "line", "lines"))
			b.WriteString(line)
		case inBlock:
			hidden++
		default:
			b.WriteString(line)
		}
	}
	return b.String()
}
