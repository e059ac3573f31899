package ui

import "fyne.io/fyne/v2/widget"

// showErr shows err in the error label next to a field, or hides the label
// when err is nil.
func showErr(l *widget.Label, err error) {
	if err == nil {
		l.SetText("")
		l.Hide()
		return
	}
	l.SetText(err.Error())
	l.Show()
}
