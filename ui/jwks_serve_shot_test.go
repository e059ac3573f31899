package ui

import (
	"image/png"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/jwkdesk/jwkdesk/convert/issuer"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// TestServeScreenshot draws the Serve panel after a rehearsal into the PNG
// named by JWKDESK_SERVE_SHOT (the README's docs/jwks-serve.png), through
// Fyne's software renderer. Skipped unless the variable is set.
func TestServeScreenshot(t *testing.T) {
	path := os.Getenv("JWKDESK_SERVE_SHOT")
	if path == "" {
		t.Skip("set JWKDESK_SERVE_SHOT=docs/jwks-serve.png to draw the README's picture")
	}
	_, mw := newTestWindow(t)
	mw.Window.Resize(fyne.NewSize(1180, 900))
	p := mw.jwks.serve
	addToWorkspace(t, mw, serveKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256}, "2026-01"),
		serveKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256}, "2026-07"))
	p.audEntry.SetText("orders-api")
	p.scopeEntry.SetText("read")
	test.Tap(p.startBtn)
	iss := p.srv.URL()
	tokenKid(t, p, iss)
	test.Tap(p.publishBtn)
	servedKids(t, p, iss)
	test.Tap(p.switchBtn)
	tokenKid(t, p, iss)
	test.Tap(p.retireBtn)
	servedKids(t, p, iss)
	waitLog(t, p, "GET "+issuer.DiscoveryPath, func() { httpGet(t, iss+issuer.DiscoveryPath) })
	mw.selectTab(tabJWKS)
	selectInnerTab(mw.jwks.outTabs, "Serve")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, mw.Window.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}
