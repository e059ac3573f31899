// Command hello is the baseline for JWK Desk's start-up and memory figures:
// a bare Fyne window built with the same Fyne version and flags.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.jwkdesk.hello")
	w := a.NewWindow("Hello Fyne")
	w.SetContent(widget.NewLabel("Hello"))
	w.Resize(fyne.NewSize(1180, 760))
	w.ShowAndRun()
}
