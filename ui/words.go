package ui

import (
	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/words"
)

// plural is "1 key" or "3 keys": every count the window writes goes
// through the engine's one rule (words.Plural).
func plural(n int, one, many string) string { return words.Plural(n, one, many) }

// kindPhrase names what was routed: "a JWT", "PEM text", "an OpenSSH public
// key".
func kindPhrase(k input.InputKind) string {
	switch k {
	case input.KindPEM:
		return "PEM text"
	case input.KindDER:
		return "DER"
	case input.KindOpenSSH, input.KindDiscoveryURL:
		return "an " + k.String()
	}
	return "a " + k.String()
}
