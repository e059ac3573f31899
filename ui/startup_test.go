package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// textStyles walks a tree of canvas objects, widgets' renderers included,
// and returns the text styles it lays out. Fyne loads a set of font faces
// for each style the first time it measures one (~7 MiB and ~50 ms under
// software GL), so the styles of the first window are start-up cost.
func textStyles(o fyne.CanvasObject, seen map[fyne.TextStyle]string) {
	switch v := o.(type) {
	case *canvas.Text:
		if v.Text != "" {
			seen[v.TextStyle] = v.Text
		}
		return
	case *fyne.Container:
		for _, c := range v.Objects {
			textStyles(c, seen)
		}
		return
	case *widget.RichText:
		for _, s := range v.Segments {
			if t, ok := s.(*widget.TextSegment); ok {
				seen[t.Style.TextStyle] = "(measured) " + t.Text
			}
		}
	}
	if w, ok := o.(fyne.Widget); ok {
		for _, c := range test.WidgetRenderer(w).Objects() {
			textStyles(c, seen)
		}
	}
}

// The window at start-up lays out regular and bold text only (Fyne's
// buttons and tab titles are bold); the Generate tab's output tabs join it
// with the first key, and output views turn monospace with their first
// content and back when emptied.
func TestStartWindowUsesTwoTextStyles(t *testing.T) {
	a := test.NewTempApp(t)
	mw := NewMainWindow(a, testOptions())
	mw.generate.tick = 0
	t.Cleanup(mw.Window.Close)
	seen := map[fyne.TextStyle]string{}
	textStyles(mw.Window.Content(), seen)
	for s, text := range seen {
		if s != (fyne.TextStyle{}) && s != (fyne.TextStyle{Bold: true}) {
			t.Errorf("start window lays out %+v text, for %q", s, text)
		}
	}
	if len(seen) == 0 {
		t.Fatal("walked no text at all")
	}
	g := mw.generate
	if g.pubJWK.text.TextStyle.Monospace {
		t.Error("empty public JWK view is monospace")
	}
	if g.outputsShown() {
		t.Error("the output tabs are in the start window")
	}
	generate(t, g, func() { test.Tap(g.genBtn) })
	if !g.outputsShown() {
		t.Error("the output tabs did not join the window with the first key")
	}
	if !g.pubJWK.text.TextStyle.Monospace || g.pubJWK.content == "" {
		t.Error("public JWK is not shown in monospace")
	}
	g.pubJWK.set("", "")
	if g.pubJWK.text.TextStyle.Monospace {
		t.Error("emptied view stays monospace")
	}
}

// The first key's output tabs and monospace face are laid out while the
// key is generated, not when it arrives: on the result, the window only
// fills the views.
func TestFirstKeyLaysOutOutputsWhileGenerating(t *testing.T) {
	a := test.NewTempApp(t)
	mw := NewMainWindow(a, testOptions())
	g := mw.generate
	g.tick = 0
	t.Cleanup(mw.Window.Close)
	release := make(chan struct{})
	real := g.generateFn
	g.generateFn = func(s keys.Spec) (*keys.Generated, error) {
		<-release
		return real(s)
	}
	done := make(chan struct{})
	g.afterGenerate = func() { close(done) }
	test.Tap(g.genBtn)
	deadline := time.After(10 * time.Second)
	for !g.outputsShown() {
		select {
		case <-deadline:
			close(release)
			t.Fatal("the output tabs wait for the key")
		case <-time.After(5 * time.Millisecond):
		}
	}
	close(release)
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("generation did not finish")
	}
	if g.pubJWK.content == "" {
		t.Error("no key shown")
	}
}

// The tabs are built only once the preloaded fonts are in: building them
// measures text, and Fyne's shaper is not safe for concurrent use.
func TestTabsWaitForPreloadedFonts(t *testing.T) {
	a := test.NewTempApp(t)
	loaded := make(chan struct{})
	built := make(chan *MainWindow)
	go func() { built <- NewMainWindow(a, withFonts(testOptions(), loaded)) }()
	select {
	case <-built:
		t.Fatal("the tabs were built before the fonts were loaded")
	case <-time.After(200 * time.Millisecond):
	}
	close(loaded)
	mw := <-built
	t.Cleanup(mw.Window.Close)
	if mw.generate == nil {
		t.Fatal("no Generate tab")
	}
	select {
	case <-preloadFonts():
	case <-time.After(10 * time.Second):
		t.Fatal("preloading the fonts did not finish")
	}
}

func withFonts(o Options, loaded <-chan struct{}) Options {
	o.fontsLoaded = loaded
	return o
}
