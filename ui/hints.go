package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2/widget"
)

// A default value is shown as the entry's placeholder and applied when the
// entry is empty: set as text, it turned into text the user typed after
// ("JWK Deskauth.example.com"). A value the user chose is shown as text.

// Defaults shown as hints.
const (
	defaultCertCN   = "JWK Desk"
	defaultCertDays = 365
)

// hintDefault makes def the placeholder of e, and sets chosen as its text
// unless it is empty or the default itself.
func hintDefault(e *widget.Entry, def, chosen string) {
	e.SetPlaceHolder(def)
	if chosen != def {
		e.SetText(chosen)
	}
}

// valueOrHint is the entry's text, or its placeholder (the default) when
// the text is empty.
func valueOrHint(e *widget.Entry) string {
	if s := strings.TrimSpace(e.Text); s != "" {
		return s
	}
	return e.PlaceHolder
}

// intText is n as text, or "" for 0 (never chosen).
func intText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
