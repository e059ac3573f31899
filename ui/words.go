package ui

import (
	"github.com/jwkdesk/jwkdesk/convert"
)

// plural is "1 key" or "3 keys" (convert.Plural, the one helper for counts).
func plural(n int, one, many string) string { return convert.Plural(n, one, many) }

// kindPhrase names what was routed: "a JWT", "PEM text", "an OpenSSH public
// key".
func kindPhrase(k convert.InputKind) string {
	switch k {
	case convert.KindPEM:
		return "PEM text"
	case convert.KindDER:
		return "DER"
	case convert.KindOpenSSH, convert.KindDiscoveryURL:
		return "an " + k.String()
	}
	return "a " + k.String()
}
