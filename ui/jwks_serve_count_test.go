package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/jwkdesk/jwkdesk/convert/issuer"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// Under load the log's subscription skips requests the window cannot keep
// up with (issuer.Subscribe never blocks a request); the count it shows is
// the issuer's own, not the number of lines that arrived. 155,000 requests
// were counted as 59,768 before.
func TestJWKSServeLogCountsEveryRequest(t *testing.T) {
	_, mw := newTestWindow(t)
	p := mw.jwks.serve
	addToWorkspace(t, mw, serveKey(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256}, "k"))
	test.Tap(p.startBtn)
	defer wait(t, &p.afterStop, func() { test.Tap(p.stopBtn) })
	waitLog(t, p, "GET "+issuer.JWKSPath+" 200", func() { httpGet(t, p.urlLabel.Text+issuer.JWKSPath) })
	p.unsubscribe() // the next four never reach the window, as when its subscription is full
	for range 4 {
		httpGet(t, p.urlLabel.Text+issuer.JWKSPath)
	}
	p.appendLog(nil)
	if got := p.logCount.Text; !strings.HasPrefix(got, "5 requests") {
		t.Errorf("log count %q, want 5 requests (the issuer served 5)", got)
	}
}
