package ui

import (
	"fmt"

	"github.com/jwkdesk/jwkdesk/convert/input"
)

// plural is "1 key" or "3 keys": every count the window writes goes
// through it (never "1 keys" or "key(s)"), by the rule the engine's
// messages follow.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

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
