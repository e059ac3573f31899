package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/container"

	"github.com/jwkdesk/jwkdesk/convert"
)

// Read returns the clipboard's text (the system clipboard, or Fyne's where
// none can be read). Main goroutine only.
func (c *Clipboard) Read() (string, error) {
	text, err := c.primary.Read()
	if err != nil && c.fallback != nil {
		return c.fallback.Read()
	}
	return text, err
}

// pasteAndRoute reads the clipboard and opens the tab that handles what it
// holds, filled in (Ctrl+Shift+V).
func (mw *MainWindow) pasteAndRoute() {
	text, err := mw.Clip.Read()
	if err != nil {
		mw.sh.showError("reading the clipboard", err)
		return
	}
	mw.routeText(text, "the clipboard")
}

// routeText opens the tab for text and fills it in. Nothing is fetched or
// verified on the user's behalf beyond what that tab does on a paste.
func (mw *MainWindow) routeText(text, origin string) {
	kind := convert.Classify(text)
	where := ""
	switch kind {
	case convert.KindJWT, convert.KindJWE:
		mw.selectTab(mw.jwt)
		mw.jwt.tokenEntry.SetText(strings.TrimSpace(text))
		where = "JWT"
	case convert.KindJWKS:
		mw.selectTab(mw.jwks)
		selectInnerTab(mw.jwks.outTabs, "Add keys")
		mw.jwks.pasteEntry.SetText(text)
		where = "JWKS (press Add to add them)"
	case convert.KindJWK, convert.KindPEM, convert.KindOpenSSH, convert.KindDER:
		where = mw.routeKey(text)
	case convert.KindJWKSURL, convert.KindDiscoveryURL:
		mw.selectTab(mw.jwks)
		selectInnerTab(mw.jwks.outTabs, "Fetch")
		mw.jwks.urlEntry.SetText(strings.TrimSpace(text))
		where = "JWKS › Fetch (nothing is fetched until you press Fetch or Discover)"
	default:
		mw.sh.setStatus(fmt.Sprintf("Nothing to route: %s holds no JWT, JWK, JWKS, PEM, OpenSSH key or JWKS URL.", origin))
		return
	}
	mw.sh.setStatus(fmt.Sprintf("Opened %s from %s: %s.", where, origin, kind))
}

// routeKey sends a single key (JWK, PEM, OpenSSH, DER) to the JWKS tab's
// paste box.
func (mw *MainWindow) routeKey(text string) string {
	mw.selectTab(mw.jwks)
	selectInnerTab(mw.jwks.outTabs, "Add keys")
	mw.jwks.pasteEntry.SetText(text)
	return "JWKS (press Add to add it)"
}

func (mw *MainWindow) selectTab(x tab) {
	for i, tb := range mw.tabs {
		if tb == x {
			mw.Tabs.SelectIndex(i)
			return
		}
	}
}

func selectInnerTab(tabs *container.AppTabs, text string) {
	for _, it := range tabs.Items {
		if it.Text == text {
			tabs.Select(it)
			return
		}
	}
}
