package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// Issue 21, items 3, 4 and 8: results in sight, a window that fits half a
// screen, and a layout that does not jump. These tests lay the window out
// with the real theme's sizes (the test theme's are smaller).

// realWindow is a test window in the app's own theme, every tab built.
func realWindow(t *testing.T) (fyne.App, *MainWindow) {
	t.Helper()
	a := test.NewTempApp(t)
	applyTheme(a)
	mw := NewMainWindow(a, testOptions())
	mw.buildAll()
	mw.generate.tick = 0
	mw.sh.ask = func(_, _, _, _ string, onOK func()) { onOK() }
	t.Cleanup(mw.Window.Close)
	return a, mw
}

// fillEveryTab puts what a user would have on screen in every tab: a key
// with a certificate (added), a selected key with lint, a converted key
// and chain, an inspected token and a signed one.
func fillEveryTab(t *testing.T, mw *MainWindow) {
	t.Helper()
	g := mw.generate
	g.certCheck.SetChecked(true)
	generate(t, g, func() { test.Tap(g.genBtn) })
	test.Tap(g.addBtn)
	g.outTabs.SelectIndex(3) // Private PEM: the widest toolbar
	mw.jwks.list.Select(0)
	p := mw.pem
	convertWait(t, p, func() { p.input.SetText(pemFixture(t, "leaf.key") + pemFixture(t, "chain.pem")) })
	p.outTabs.SelectIndex(2)
	jt := mw.jwt
	jt.signKeySel.SetSelectedIndex(0)
	test.Tap(jt.signBtn)
	inspectWait(t, jt, func() { test.Tap(jt.inspectBtn) })
	jt.signedView.set(jt.signedView.content, jt.signedView.caption.Text)
}

// clipped lists the shown objects under o laid out smaller than their
// minimum size: a field showing "cus", a button covered.
func clipped(t *testing.T, o fyne.CanvasObject) []string {
	t.Helper()
	var out []string
	walkTree(t, o, func(c fyne.CanvasObject) bool {
		if !c.Visible() {
			return false
		}
		min, size := c.MinSize(), c.Size()
		if size.Width+1 < min.Width || size.Height+1 < min.Height {
			what := fmt.Sprintf("%T", c)
			switch w := c.(type) {
			case *widget.Label:
				what += fmt.Sprintf(" %q", w.Text)
			case *widget.Button:
				what += fmt.Sprintf(" %q", w.Text)
			case *widget.Entry:
				what += fmt.Sprintf(" (placeholder %q)", w.PlaceHolder)
			case *canvas.Text:
				return true // laid out by its label
			}
			out = append(out, fmt.Sprintf("%s: %.0f×%.0f, needs %.0f×%.0f", what, size.Width, size.Height, min.Width, min.Height))
		}
		return true
	})
	return out
}

// menuBarHeight is about what the real window's menu bar takes from its
// height (the test window draws none).
const menuBarHeight = 40

// Item 4: usable at 900×600 — every tab, with content, fits without
// clipping; the window's minimum size is at most that.
func TestWindowFitsHalfAScreen(t *testing.T) {
	_, mw := realWindow(t)
	fillEveryTab(t, mw)
	size := fyne.NewSize(900, 600-menuBarHeight)
	if min := mw.Window.Content().MinSize(); min.Width > size.Width || min.Height > size.Height {
		t.Errorf("the window needs at least %.0f×%.0f, more than %.0f×%.0f", min.Width, min.Height, size.Width, size.Height)
	}
	mw.Window.Resize(size)
	for i, item := range mw.Tabs.Items {
		mw.selectTab(i)
		mw.Window.Content().Refresh()
		for _, c := range clipped(t, item.Content) {
			t.Errorf("%s tab at 900×600: %s", item.Text, c)
		}
	}
	// The custom kid has a row of its own, wide enough for its hint.
	g := mw.generate
	hint := fyne.MeasureText(g.customKid.PlaceHolder, 14, fyne.TextStyle{}).Width
	if w := g.customKid.Size().Width; w < hint {
		t.Errorf("custom kid field %.0f px wide, its hint needs %.0f", w, hint)
	}
}

// visibleIn reports whether o lies wholly inside the scroll's viewport.
func visibleIn(o fyne.CanvasObject, s *container.Scroll) (bool, string) {
	d := fyne.CurrentApp().Driver()
	op, sp := d.AbsolutePositionForObject(o), d.AbsolutePositionForObject(s)
	top, bottom := op.Y, op.Y+o.Size().Height
	ok := o.Size().Height > 0 && top >= sp.Y-1 && bottom <= sp.Y+s.Size().Height+1
	return ok, fmt.Sprintf("%.0f–%.0f, viewport %.0f–%.0f", top, bottom, sp.Y, sp.Y+s.Size().Height)
}

// Item 3: at the default size the verdict, the kid line and the candidate
// keys are readable without scrolling, and after Sign the new token is in
// view.
func TestJWTResultsInSightAtTheDefaultSize(t *testing.T) {
	_, mw := realWindow(t)
	for _, kid := range []keys.KidStrategy{"", ""} {
		g, err := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: kid})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mw.sh.ws.Add("generated", g.Private); err != nil {
			t.Fatal(err)
		}
	}
	mw.sh.workspaceChanged()
	mw.selectTab(tabJWT)
	jt := mw.jwt
	mw.Window.Resize(fyne.NewSize(1180, 760)) // NewMainWindow's size
	jt.signKeySel.SetSelectedIndex(0)
	test.Tap(jt.signBtn)
	mw.Window.Content().Refresh()
	if ok, where := visibleIn(jt.signedView.text, jt.leftScroll); !ok {
		t.Errorf("the signed token is out of sight after Sign: %s", where)
	}
	inspectWait(t, jt, func() { test.Tap(jt.inspectBtn) })
	mw.Window.Content().Refresh()
	scroll := scrollOf(t, mw.Window.Content(), jt.details)
	for name, o := range map[string]fyne.CanvasObject{"verdict": jt.bannerText, "kid line": jt.kidLabel, "candidates": jt.candidates} {
		if ok, where := visibleIn(o, scroll); !ok {
			t.Errorf("the %s needs scrolling at 1180×760: %s", name, where)
		}
	}
}

// scrollOf is the Scroll under root whose content is o.
func scrollOf(t *testing.T, root, o fyne.CanvasObject) *container.Scroll {
	t.Helper()
	var found *container.Scroll
	walkTree(t, root, func(c fyne.CanvasObject) bool {
		if s, ok := c.(*container.Scroll); ok && s.Content == o {
			found = s
		}
		return found == nil
	})
	if found == nil {
		t.Fatal("no scroll holds the object")
	}
	return found
}

// splitIn is the first HSplit of a tab.
func splitIn(t *testing.T, o fyne.CanvasObject) *container.Split {
	t.Helper()
	var found *container.Split
	walkTree(t, o, func(c fyne.CanvasObject) bool {
		if s, ok := c.(*container.Split); ok && s.Horizontal && found == nil {
			found = s
		}
		return found == nil
	})
	if found == nil {
		t.Fatal("no split")
	}
	return found
}

// Item 8: the divider stays where it was when something is pasted (PEM
// lines re-wrapped on every paste), in the PEM / JWK and JWT tabs.
func TestDividerStaysOnPaste(t *testing.T) {
	_, mw := realWindow(t)
	mw.Window.Resize(fyne.NewSize(1180, 760))
	cases := []struct {
		tab   int
		paste func()
	}{
		{tabPEM, func() {
			p := mw.pem
			convertWait(t, p, func() { p.input.SetText(pemFixture(t, "leaf.key") + pemFixture(t, "chain.pem")) })
		}},
		{tabJWT, func() {
			g, _ := keys.Generate(keys.Spec{Kty: keys.KtyRSA})
			tok := signToken(t, g.Private, map[string]any{"sub": "divider", "iss": "https://issuer.example.com/a/rather/long/path", "aud": "api"}, "kid-of-a-certain-length-for-the-caption")
			inspectWait(t, mw.jwt, func() { mw.jwt.tokenEntry.SetText(tok) })
		}},
	}
	for _, c := range cases {
		mw.selectTab(c.tab)
		content := mw.Tabs.Items[c.tab].Content
		mw.Window.Content().Refresh()
		split := splitIn(t, content)
		before := split.Leading.Size().Width
		c.paste()
		mw.Window.Resize(fyne.NewSize(1180, 761)) // lay out again
		mw.Window.Resize(fyne.NewSize(1180, 760))
		if after := split.Leading.Size().Width; after < before-1 || after > before+1 {
			t.Errorf("%s tab: the input column went from %.0f to %.0f px on paste", mw.Tabs.Items[c.tab].Text, before, after)
		}
	}
}

// Item 8: the status line says what happened in the tab in front, not in
// another one.
func TestStatusLineBelongsToTheTabInFront(t *testing.T) {
	_, mw := newTestWindow(t)
	g := mw.generate
	generate(t, g, func() { test.Tap(g.genBtn) })
	genMsg := mw.sh.status.Text
	if !strings.HasPrefix(genMsg, "Generated ") {
		t.Fatalf("status %q", genMsg)
	}
	mw.selectTab(tabJWT)
	if mw.sh.status.Text == genMsg {
		t.Errorf("the JWT tab shows the Generate tab's message %q", genMsg)
	}
	mw.selectTab(tabGenerate)
	if mw.sh.status.Text != genMsg {
		t.Errorf("back on Generate: %q", mw.sh.status.Text)
	}
}

// Item 8: at the default size the rotation's status line fits the window
// (the whole story is in the rotation dialog).
func TestRotateStatusFitsTheWindow(t *testing.T) {
	_, mw := realWindow(t)
	mw.Window.Resize(fyne.NewSize(1180, 760))
	j := mw.jwks
	j.showRotation = func(rotationSummary) {}
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	_, _ = mw.sh.ws.Add("pasted", g.Public)
	mw.sh.workspaceChanged()
	wait(t, &j.afterRotate, func() { test.Tap(j.rotateBtn) })
	st := mw.sh.status
	need := fyne.MeasureText(st.Text, 14, fyne.TextStyle{}).Width + 16
	if need > st.Size().Width {
		t.Errorf("status %q needs %.0f px, has %.0f", st.Text, need, st.Size().Width)
	}
}

// Item 8: a confirmation draws no icon over its text, and its text wraps
// inside the dialog (the export-private dialog's "?" covered its words).
func TestConfirmationHasNoIconOverItsText(t *testing.T) {
	_, mw := realWindow(t)
	mw.Window.Resize(fyne.NewSize(900, 600))
	mw.sh.ask = mw.sh.askDialog
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	_, _ = mw.sh.ws.Add("generated", g.Private)
	mw.jwks.onExportPrivate()
	top := mw.Window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	var icons []string
	var msg *widget.Label
	walkTree(t, top, func(o fyne.CanvasObject) bool {
		switch w := o.(type) {
		case *widget.Icon:
			if w.Resource != nil && strings.Contains(w.Resource.Name(), "question") {
				icons = append(icons, w.Resource.Name())
			}
		case *canvas.Image:
			if w.Resource != nil && strings.Contains(w.Resource.Name(), "question") {
				icons = append(icons, w.Resource.Name())
			}
		case *widget.Label:
			if strings.Contains(w.Text, "Anyone with the file") {
				msg = w
			}
		}
		return true
	})
	if len(icons) > 0 {
		t.Errorf("the dialog draws %v over its text", icons)
	}
	if msg == nil || msg.Wrapping != fyne.TextWrapWord || msg.Size().Width > 900 {
		t.Errorf("the message does not wrap inside the dialog: %+v", msg)
	}
}

// Item 8: Settings has Cancel and Save side by side in one row.
func TestSettingsButtonsShareARow(t *testing.T) {
	_, mw := realWindow(t)
	mw.Window.Resize(fyne.NewSize(900, 600))
	mw.showSettings()
	top := mw.Window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	cancel, save := findButton(t, top, "Cancel"), findButton(t, top, "Save")
	d := fyne.CurrentApp().Driver()
	cp, sp := d.AbsolutePositionForObject(cancel), d.AbsolutePositionForObject(save)
	if cp.Y != sp.Y || cp.X >= sp.X {
		t.Errorf("Cancel at %v, Save at %v: not side by side, Cancel first", cp, sp)
	}
}

// Item 8: hints and kids wrap between words: a paste box's hint broke
// mid-word ("Op / enSSH"), a long kid in the middle.
func TestTextWrapsBetweenWords(t *testing.T) {
	_, mw := newTestWindow(t)
	for name, e := range map[string]*cappedEntry{"PEM / JWK input": mw.pem.input, "JWKS paste box": mw.jwks.pasteEntry, "JWT token": mw.jwt.tokenEntry, "JWT pasted keys": mw.jwt.keysEntry} {
		if e.Wrapping != fyne.TextWrapWord {
			t.Errorf("%s wraps %v, not between words", name, e.Wrapping)
		}
	}
	for name, l := range map[string]*widget.Label{"Generate's kid line": mw.generate.thumbLabel, "JWT kid line": mw.jwt.kidLabel, "PEM found": mw.pem.found} {
		if l.Wrapping != fyne.TextWrapWord {
			t.Errorf("%s wraps %v", name, l.Wrapping)
		}
	}
}
