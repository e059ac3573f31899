package ui

import (
	"time"

	"fyne.io/fyne/v2"
)

// Preference keys.
const (
	prefGenKty       = "generate.kty"
	prefGenShape     = "generate.shape." // + kty: size or curve last chosen for that type
	prefGenUse       = "generate.use"
	prefGenAlg       = "generate.alg"
	prefGenKid       = "generate.kid"
	prefGenCustomKid = "generate.kid.custom"
	prefGenCert      = "generate.cert"
	prefGenCertCN    = "generate.cert.cn"
	prefGenCertDays  = "generate.cert.days"
	prefClipClear    = "clipboard.clear_seconds"
	// prefKeystoreP2C raises the keystore's PBES2 count above 600,000
	// (never lower: keyset.Keystore.SetCount refuses it).
	prefKeystoreP2C = "keystore.p2c"
)

// defaultClipboardClear is how long private material stays on the clipboard.
const defaultClipboardClear = 30 * time.Second

// clipboardClearDelay reads the delay from the preferences (Settings; the
// end-to-end run writes a short one into the preferences file).
func clipboardClearDelay(p fyne.Preferences) time.Duration {
	secs := p.IntWithFallback(prefClipClear, int(defaultClipboardClear/time.Second))
	if secs < 1 {
		secs = 1
	}
	return time.Duration(secs) * time.Second
}
