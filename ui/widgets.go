package ui

import (
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2/widget"
)

// showErr shows err in the error label next to a field, or hides the label
// when err is nil.
func showErr(l *widget.Label, err error) {
	if err == nil {
		l.SetText("")
		l.Hide()
		return
	}
	l.SetText(sentence(err.Error()))
	l.Show()
}

// sentence starts a message with a capital letter: Go error strings start
// lower-case, a message on screen does not.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
