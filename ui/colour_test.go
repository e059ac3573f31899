package ui

import (
	"image/color"
	"math"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/token"
)

// Issue 21, item 7: theme and colour.

// selectArrows maps every Select of the window (every tab, shown or not,
// inner tabs included) to the resource its dropdown arrow draws.
func selectArrows(t *testing.T, mw *MainWindow) map[*widget.Select]fyne.Resource {
	t.Helper()
	out := map[*widget.Select]fyne.Resource{}
	roots := []fyne.CanvasObject{mw.generate.outTabs}
	for _, sl := range mw.slots {
		roots = append(roots, sl.content)
	}
	for _, root := range roots {
		walkTree(t, root, func(o fyne.CanvasObject) bool {
			if s, ok := o.(*widget.Select); ok {
				for _, ro := range test.TempWidgetRenderer(t, s).Objects() {
					if icon, ok := ro.(*widget.Icon); ok {
						out[s] = icon.Resource
					}
				}
				return false
			}
			return true
		})
	}
	return out
}

// After a theme switch every dropdown arrow draws the new theme's arrow,
// in the tabs not shown too (an arrow redraws only when its resource
// changes: with one shared resource they kept the old theme's colour).
func TestThemeSwitchRedrawsEveryDropdownArrow(t *testing.T) {
	a, mw := newTestWindow(t)
	applyTheme(a)
	mw.refreshTheme()
	before := selectArrows(t, mw)
	if len(before) < 12 {
		t.Fatalf("only %d selects found", len(before))
	}
	f := newSettingsForm(a, mw.settingsSaved)
	f.theme.SetSelected("light")
	f.submit()
	want := theme.Current().Icon(theme.IconNameArrowDropDown)
	for s, res := range selectArrows(t, mw) {
		if res == before[s] || !s.Disabled() && res != want { // a disabled arrow is drawn from a new disabled resource
			t.Errorf("select %q (%v): arrow not redrawn in the new theme", s.Selected, s.Options)
		}
	}
	if mw.sh.status.Text != "Settings saved." {
		t.Errorf("status %q", mw.sh.status.Text)
	}
}

// luminance is WCAG 2.1's relative luminance.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// WCAG 2.1 §1.4.3: the light theme's "✓ ok", warnings and errors are text,
// and read at 4.5:1 or more on the background — chosen light, or the
// system's light variant.
func TestLightThemeStateColoursAreReadable_WCAG21(t *testing.T) {
	a := test.NewTempApp(t)
	for _, choice := range []string{"light", "system"} {
		a.Preferences().SetString(prefTheme, choice)
		applyTheme(a)
		th := a.Settings().Theme()
		bg := th.Color(theme.ColorNameBackground, theme.VariantLight)
		for _, n := range []fyne.ThemeColorName{theme.ColorNameSuccess, theme.ColorNameWarning, theme.ColorNameError} {
			if c := contrast(th.Color(n, theme.VariantLight), bg); c < 4.5 {
				t.Errorf("%s theme: %s on the background is %.1f:1, under 4.5:1", choice, n, c)
			}
		}
	}
	// The dark theme keeps Fyne's colours.
	a.Preferences().SetString(prefTheme, "dark")
	applyTheme(a)
	if got := a.Settings().Theme().Color(theme.ColorNameSuccess, theme.VariantDark); got != theme.DefaultTheme().Color(theme.ColorNameSuccess, theme.VariantDark) {
		t.Errorf("dark success %v", got)
	}
}

// RFC 7519 §4.1.4/§4.1.5: the lifetime bar says where now is in the token's
// lifetime, whatever the signature's verdict.
func TestLifetimeBarIsColouredByTime_RFC7519(t *testing.T) {
	test.NewTempApp(t)
	bar := newLifetimeBar()
	w := test.NewTempWindow(t, bar)
	w.Resize(fyne.NewSize(500, 80))
	r := test.TempWidgetRenderer(t, bar).(*lifetimeRenderer)
	at := func(d time.Duration) *time.Time { x := tabNow.Add(d); return &x }
	col := func(n fyne.ThemeColorName) color.Color {
		return theme.Current().Color(n, fyne.CurrentApp().Settings().ThemeVariant())
	}
	cases := []struct {
		name  string
		lt    lifetime
		want  fyne.ThemeColorName
		state string
	}{
		{"§4.1.4 fresh token, signature refused", lifetime{iat: at(-time.Hour), exp: at(time.Hour)}, theme.ColorNameSuccess, token.StateNotVerified},
		{"§4.1.4 exp passed, accepted within the skew", lifetime{iat: at(-time.Hour), exp: at(-10 * time.Second)}, theme.ColorNameWarning, token.StateVerified},
		{"§4.1.5 nbf ahead", lifetime{nbf: at(time.Minute), exp: at(time.Hour)}, theme.ColorNameWarning, token.StateNotVerified},
		{"§4.1.4 no exp", lifetime{iat: at(-time.Hour)}, theme.ColorNameSuccess, token.StateExpired},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lt := c.lt
			lt.now, lt.state = tabNow, c.state
			bar.set(&lt, "")
			if r.span.FillColor != col(c.want) {
				t.Errorf("span %v, want %s", r.span.FillColor, c.want)
			}
		})
	}
}

// RFC 7519 §4.1.4: a token past its exp is never a green "Verified", even
// when a large clock skew accepts it; the banner says why it is accepted.
func TestExpiredWithinTheSkewIsNeverGreen_RFC7519(t *testing.T) {
	_, _, jt, k1 := jwtWindow(t)
	inspectWait(t, jt, func() { jt.skewEntry.SetText("3600") })
	expired := signToken(t, k1, map[string]any{"sub": "a", "iat": tabNow.Add(-time.Hour).Unix(), "exp": tabNow.Add(-10 * time.Minute).Unix()}, "k1")
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(expired) })
	wantBanner(t, jt, token.StateExpired, "Verified with key k1 — but it expired 10 min ago, accepted only within the clock skew of 3600 s")
	if jt.report.State != token.StateVerified {
		t.Errorf("the engine's verdict changed: %q", jt.report.State)
	}
	early := signToken(t, k1, map[string]any{"sub": "a", "nbf": tabNow.Add(10 * time.Minute).Unix()}, "k1")
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(early) })
	if jt.state != token.StateNotYetValid || !strings.Contains(jt.bannerText.Text, "not valid for another 10 min") {
		t.Errorf("nbf ahead within the skew: %q %q", jt.state, jt.bannerText.Text)
	}
	fresh := signToken(t, k1, map[string]any{"sub": "a", "exp": tabNow.Add(time.Hour).Unix()}, "k1")
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(fresh) })
	wantBanner(t, jt, token.StateVerified, "Verified with key k1")
}
