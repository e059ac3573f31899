package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// variantTheme is the app's theme: Fyne's default, in the variant the user
// chose (or the system's), with two changes:
//   - in the light variant, the success, warning and error colours are dark
//     enough to read as text on white (WCAG AA, 4.5:1): Fyne's green "✓ ok"
//     on white is 1.5:1;
//   - each theme applied draws the dropdown arrow from a resource of its own:
//     a Select's arrow is an Icon that redraws only when its resource
//     changes, so with one shared resource the arrows kept the old theme's
//     colour (invisible after switching to light).
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
	system  bool          // follow the system's variant
	arrow   fyne.Resource // this theme's dropdown arrow
}

func newVariantTheme(variant fyne.ThemeVariant, system bool) variantTheme {
	base := theme.DefaultTheme()
	return variantTheme{Theme: base, variant: variant, system: system,
		arrow: theme.NewThemedResource(base.Icon(theme.IconNameArrowDropDown))}
}

func (t variantTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if !t.system {
		v = t.variant
	}
	if v == theme.VariantLight {
		if c, ok := lightText[n]; ok {
			return c
		}
	}
	return t.Theme.Color(n, v)
}

func (t variantTheme) Icon(n fyne.ThemeIconName) fyne.Resource {
	if n == theme.IconNameArrowDropDown && t.arrow != nil {
		return t.arrow
	}
	return t.Theme.Icon(n)
}

// lightText are the light variant's state colours, readable as text on the
// light background (contrast 5:1 or more on white).
var lightText = map[fyne.ThemeColorName]color.Color{
	theme.ColorNameSuccess: color.NRGBA{R: 0x1b, G: 0x7a, B: 0x2e, A: 0xff},
	theme.ColorNameWarning: color.NRGBA{R: 0x9a, G: 0x56, B: 0x00, A: 0xff},
	theme.ColorNameError:   color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff},
}

// applyTheme sets the app theme from the preference.
func applyTheme(a fyne.App) {
	switch a.Preferences().StringWithFallback(prefTheme, "system") {
	case "light":
		a.Settings().SetTheme(newVariantTheme(theme.VariantLight, false))
	case "dark":
		a.Settings().SetTheme(newVariantTheme(theme.VariantDark, false))
	default:
		a.Settings().SetTheme(newVariantTheme(a.Settings().ThemeVariant(), true))
	}
}

// refreshTheme redraws every tab, shown or not, in the theme just applied.
// Fyne redraws what is in the window; a tab container holds only its
// selected item there, so the other tabs (and inner tabs) are refreshed
// here, and their widgets take the new theme's resources.
func (mw *MainWindow) refreshTheme() {
	for _, sl := range mw.slots {
		if sl.content != nil {
			refreshTree(sl.content)
		}
	}
	if mw.generate != nil {
		refreshTree(mw.generate.outTabs) // laid out with the first key
	}
}

func refreshTree(o fyne.CanvasObject) {
	switch c := o.(type) {
	case *fyne.Container:
		for _, ch := range c.Objects {
			refreshTree(ch)
		}
	case *container.AppTabs:
		for _, it := range c.Items {
			refreshTree(it.Content)
		}
	case *container.Split:
		refreshTree(c.Leading)
		refreshTree(c.Trailing)
	case *container.Scroll:
		refreshTree(c.Content)
	}
	o.Refresh()
}
