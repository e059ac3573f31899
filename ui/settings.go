package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// Preference keys shared with the settings dialog.
const (
	prefTheme = "theme" // "system", "light", "dark"
)

var themeChoices = []string{"system", "light", "dark"}

// settingsForm is the Settings dialog's content, exposed for tests.
type settingsForm struct {
	theme    *widget.Select
	clear    *widget.Entry
	skew     *widget.Entry
	keyType  *widget.Select
	errLabel *widget.Label
	form     *widget.Form
	// submit validates and saves (the dialog's Save button).
	submit func()
}

func newSettingsForm(a fyne.App, onSaved func()) *settingsForm {
	p := a.Preferences()
	f := &settingsForm{
		theme:    widget.NewSelect(themeChoices, nil),
		clear:    widget.NewEntry(),
		skew:     widget.NewEntry(),
		keyType:  widget.NewSelect(keys.KeyTypes(), nil),
		errLabel: widget.NewLabel(""),
	}
	f.theme.SetSelected(p.StringWithFallback(prefTheme, "system"))
	f.clear.SetText(strconv.Itoa(p.IntWithFallback(prefClipClear, int(defaultClipboardClear.Seconds()))))
	f.skew.SetText(strconv.Itoa(p.IntWithFallback(prefJWTSkew, 60)))
	f.keyType.SetSelected(p.StringWithFallback(prefGenKty, keys.KtyEC))
	f.errLabel.Importance = widget.DangerImportance
	f.errLabel.Hide()
	f.form = widget.NewForm(
		widget.NewFormItem("Theme", f.theme),
		&widget.FormItem{Text: "Clear clipboard after (s)", Widget: f.clear, HintText: "private material copied is cleared after this delay, and on quit"},
		&widget.FormItem{Text: "JWT clock skew (s)", Widget: f.skew, HintText: "leeway for exp, nbf and iat"},
		&widget.FormItem{Text: "Default key type", Widget: f.keyType, HintText: "used when the Generate tab opens"},
		widget.NewFormItem("", f.errLabel),
	)
	f.submit = func() {
		if err := f.save(a); err != nil {
			f.errLabel.SetText(err.Error())
			f.errLabel.Show()
			return
		}
		f.errLabel.Hide()
		onSaved()
	}
	return f
}

// save validates and stores the settings; inputs stay as typed on error.
func (f *settingsForm) save(a fyne.App) error {
	clear, err := strconv.Atoi(strings.TrimSpace(f.clear.Text))
	if err != nil || clear < 1 || clear > 3600 {
		return fmt.Errorf("clear clipboard after: type a number of seconds from 1 to 3600")
	}
	skew, err := strconv.Atoi(strings.TrimSpace(f.skew.Text))
	if err != nil || skew < 0 || skew > 86400 {
		return fmt.Errorf("JWT clock skew: type a number of seconds from 0 to 86400")
	}
	p := a.Preferences()
	p.SetString(prefTheme, f.theme.Selected)
	p.SetInt(prefClipClear, clear)
	p.SetInt(prefJWTSkew, skew)
	p.SetString(prefGenKty, f.keyType.Selected)
	applyTheme(a)
	return nil
}

// showSettings shows the settings with Cancel and Save side by side in
// the dialog's button row (the form's own Save sat at its right, Cancel
// centred under it).
func (mw *MainWindow) showSettings() {
	var d *dialog.CustomDialog
	f := newSettingsForm(mw.sh.app, func() {
		d.Hide()
		mw.settingsSaved()
	})
	mw.keystoreUI = mw.newKeystoreSettings()
	f.form.Items = append(f.form.Items[:len(f.form.Items)-1], mw.keystoreUI.formItem(), f.form.Items[len(f.form.Items)-1])
	f.form.Refresh()
	d = dialog.NewCustomWithoutButtons("Settings", f.form, mw.Window)
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), d.Hide)
	save := widget.NewButtonWithIcon("Save", theme.ConfirmIcon(), f.submit)
	save.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{cancel, save})
	d.Resize(fyne.NewSize(min(560, mw.Window.Canvas().Size().Width-40), 480))
	d.Show()
}

// settingsSaved redraws every tab in the theme just applied.
func (mw *MainWindow) settingsSaved() {
	mw.refreshTheme()
	mw.sh.setStatus("Settings saved.")
}
