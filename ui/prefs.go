package ui

import (
	"os"
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
)

// defaultClipboardClear is how long private material stays on the clipboard.
const defaultClipboardClear = 30 * time.Second

// clipboardClearDelay reads the delay: JWKDESK_CLIPBOARD_CLEAR (a Go
// duration, for tests and scripts) wins over the preference.
func clipboardClearDelay(p fyne.Preferences) time.Duration {
	if s := os.Getenv("JWKDESK_CLIPBOARD_CLEAR"); s != "" {
		if d, err := time.ParseDuration(s); err == nil && d > 0 {
			return d
		}
	}
	secs := p.IntWithFallback(prefClipClear, int(defaultClipboardClear/time.Second))
	if secs < 1 {
		secs = 1
	}
	return time.Duration(secs) * time.Second
}
