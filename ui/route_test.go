package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/token"
)

func TestPasteAndRoute(t *testing.T) {
	a, mw := newTestWindow(t)
	g, err := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := token.Sign(g.Private, []byte(`{"sub":"route"}`), "")
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := keys.MarshalPublicJWK(g.Private)
	set, _ := keys.MarshalPublicJWKS(g.Private)
	pemOut, _ := keys.ExportPEM(g.Private, keys.PEMSPKI, true)
	route := menuAction(t, mw.Window, fyne.KeyV, fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift)
	cases := []struct {
		name, text string
		tab        tab
		check      func() string
	}{
		{"token", "Bearer " + tok, mw.jwt, func() string { return mw.jwt.tokenEntry.Text }},
		{"JWKS", string(set), mw.jwks, func() string { return mw.jwks.pasteEntry.Text }},
		{"JWK", string(pub), mw.pem, func() string { return mw.pem.input.Text }},
		{"PEM", string(pemOut.PEM), mw.pem, func() string { return mw.pem.input.Text }},
		{"URL", "https://issuer.example/.well-known/openid-configuration", mw.jwks, func() string { return mw.jwks.urlEntry.Text }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mw.Tabs.SelectIndex(0)
			a.Clipboard().SetContent(c.text)
			switch c.tab {
			case mw.jwt:
				inspectWait(t, mw.jwt, route) // the token is inspected at once
			case mw.pem:
				convertWait(t, mw.pem, route) // the key is converted at once
			default:
				route()
			}
			if mw.current() != c.tab {
				t.Fatalf("routed to tab %q", mw.Tabs.Selected().Text)
			}
			if got := c.check(); strings.TrimSpace(got) != strings.TrimSpace(strings.TrimPrefix(c.text, "Bearer ")) && got != strings.TrimSpace(c.text) {
				t.Errorf("field holds %.60q", got)
			}
			if !strings.HasPrefix(mw.sh.status.Text, "Opened ") {
				t.Errorf("status %q", mw.sh.status.Text)
			}
		})
	}
	a.Clipboard().SetContent("just some words")
	mw.Tabs.SelectIndex(0)
	route()
	if mw.Tabs.SelectedIndex() != 0 || !strings.Contains(mw.sh.status.Text, "Nothing to route") {
		t.Errorf("garbage routed: tab %d, status %q", mw.Tabs.SelectedIndex(), mw.sh.status.Text)
	}
}

// Paste-and-route a key set, then Ctrl+Enter adds it: no mouse needed.
func TestCtrlEnterAddsTheRoutedKeySet(t *testing.T) {
	_, mw := newTestWindow(t)
	mw.sh.wsListeners = []func(){mw.jwks.refresh} // see TestJWKSTabTenThousandKeys
	g1, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	g2, _ := keys.Generate(keys.Spec{Kty: keys.KtyOKP})
	set, _ := keys.MarshalPublicJWKS(g1.Private, g2.Private)
	mw.routeText(string(set), "the clipboard")
	if mw.sh.ws.Len() != 0 {
		t.Fatal("routing added keys before the user asked")
	}
	wait(t, &mw.jwks.afterPaste, menuAction(t, mw.Window, fyne.KeyReturn, fyne.KeyModifierShortcutDefault))
	if mw.sh.ws.Len() != 2 || mw.Tabs.SelectedIndex() != tabJWKS {
		t.Errorf("%d keys in the workspace, tab %d in front", mw.sh.ws.Len(), mw.Tabs.SelectedIndex())
	}
}

// slowClipboard is a system clipboard whose helper takes its time (xclip
// handing over a 1 MiB selection): it may be read off the main goroutine.
type slowClipboard struct {
	release chan struct{}
	text    string
	err     error
}

func (c slowClipboard) Write(string) error { return nil }
func (c slowClipboard) Read() (string, error) {
	<-c.release
	return c.text, c.err
}
func (slowClipboard) Name() string       { return "slow" }
func (slowClipboard) readsOffMain() bool { return true }

// Ctrl+Shift+V does not hold the window while the clipboard helper works:
// the shortcut returns at once and the text is routed when it arrives.
// When the helper fails, Fyne's clipboard is read instead.
func TestPasteAndRouteReadsTheClipboardOffTheMainGoroutine(t *testing.T) {
	a, mw := newTestWindow(t)
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
	set, _ := keys.MarshalPublicJWKS(g.Private)
	route := menuAction(t, mw.Window, fyne.KeyV, fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift)
	for _, c := range []struct {
		name    string
		primary slowClipboard
		fyne    string
	}{
		{"helper", slowClipboard{release: make(chan struct{}), text: string(set)}, "not this"},
		{"helper fails", slowClipboard{release: make(chan struct{}), err: errors.New("xclip: no display")}, string(set)},
	} {
		t.Run(c.name, func(t *testing.T) {
			mw.Tabs.SelectIndex(tabGenerate)
			mw.jwks.pasteEntry.SetText("")
			a.Clipboard().SetContent(c.fyne)
			mw.Clip = newClipboard(c.primary, fyneClipboard{a.Clipboard()}, func() time.Duration { return time.Hour })
			routed := make(chan struct{})
			mw.afterRoute = func() { close(routed) }
			defer func() { mw.afterRoute = nil }()
			returned := make(chan struct{})
			go func() { route(); close(returned) }()
			select {
			case <-returned:
			case <-time.After(10 * time.Second):
				t.Fatal("the shortcut waited for the clipboard helper")
			}
			if mw.Tabs.SelectedIndex() != tabGenerate {
				t.Fatal("routed before the clipboard was read")
			}
			close(c.primary.release)
			select {
			case <-routed:
			case <-time.After(30 * time.Second):
				t.Fatal("never routed")
			}
			if mw.Tabs.SelectedIndex() != tabJWKS || mw.jwks.pasteEntry.Value() != string(set) {
				t.Errorf("tab %d, paste box %.40q", mw.Tabs.SelectedIndex(), mw.jwks.pasteEntry.Value())
			}
		})
	}
}
