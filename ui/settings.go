package ui

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert"
)

// Preference keys shared with the settings dialog.
const (
	prefTheme = "theme" // "system", "light", "dark"
)

var themeChoices = []string{"system", "light", "dark"}

// variantTheme forces the light or dark variant of the default theme.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// applyTheme sets the app theme from the preference.
func applyTheme(a fyne.App) {
	switch a.Preferences().StringWithFallback(prefTheme, "system") {
	case "light":
		a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantLight})
	case "dark":
		a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantDark})
	default:
		a.Settings().SetTheme(theme.DefaultTheme())
	}
}

// settingsForm is the Settings dialog's content, exposed for tests.
type settingsForm struct {
	theme    *widget.Select
	clear    *widget.Entry
	skew     *widget.Entry
	keyType  *widget.Select
	errLabel *widget.Label
	form     *widget.Form
}

func newSettingsForm(a fyne.App, onSaved func()) *settingsForm {
	p := a.Preferences()
	f := &settingsForm{
		theme:    widget.NewSelect(themeChoices, nil),
		clear:    widget.NewEntry(),
		skew:     widget.NewEntry(),
		keyType:  widget.NewSelect(convert.KeyTypes(), nil),
		errLabel: widget.NewLabel(""),
	}
	f.theme.SetSelected(p.StringWithFallback(prefTheme, "system"))
	f.clear.SetText(strconv.Itoa(p.IntWithFallback(prefClipClear, int(defaultClipboardClear.Seconds()))))
	f.skew.SetText(strconv.Itoa(p.IntWithFallback(prefJWTSkew, 60)))
	f.keyType.SetSelected(p.StringWithFallback(prefGenKty, convert.KtyEC))
	f.errLabel.Importance = widget.DangerImportance
	f.errLabel.Hide()
	f.form = widget.NewForm(
		widget.NewFormItem("Theme", f.theme),
		&widget.FormItem{Text: "Clear clipboard after (s)", Widget: f.clear, HintText: "private material copied is cleared after this delay, and on quit"},
		&widget.FormItem{Text: "JWT clock skew (s)", Widget: f.skew, HintText: "leeway for exp, nbf and iat"},
		&widget.FormItem{Text: "Default key type", Widget: f.keyType, HintText: "used when the Generate tab opens"},
		widget.NewFormItem("", f.errLabel),
	)
	f.form.SubmitText = "Save"
	f.form.OnSubmit = func() {
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

func (mw *MainWindow) showSettings() {
	var d dialog.Dialog
	f := newSettingsForm(mw.sh.app, func() {
		d.Hide()
		mw.sh.setStatus("Settings saved.")
	})
	d = dialog.NewCustom("Settings", "Cancel", f.form, mw.Window)
	d.Resize(fyne.NewSize(560, 360))
	d.Show()
}
