package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/jwkdesk/jwkdesk/convert/issuer"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// BenchmarkServeLogFlush is one update of the Serve panel's request log
// (the work one fyne.Do does on the UI goroutine, at most every logEvery):
// 1,500 requests (15,000 req/s for 100 ms) into a full log, and the
// timeline redrawn.
func BenchmarkServeLogFlush(b *testing.B) {
	a := test.NewTempApp(b)
	mw := NewMainWindow(a, testOptions())
	mw.buildAll()
	defer mw.Window.Close()
	g, err := keys.Generate(keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP256})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := mw.sh.ws.Add("bench", g.Private); err != nil {
		b.Fatal(err)
	}
	p := mw.jwks.serve
	mw.selectTab(tabJWKS)
	selectInnerTab(mw.jwks.outTabs, "Serve")
	test.Tap(p.startBtn)
	defer p.stopNow()
	batch := make([]issuer.Request, 1500)
	for i := range batch {
		batch[i] = issuer.Request{At: time.Now(), Method: "GET", Path: issuer.JWKSPath, Status: 200,
			UserAgent: "Go-http-client/1.1", Duration: 150 * time.Microsecond, Generation: 2}
	}
	p.appendLog(batch)
	b.ResetTimer()
	for range b.N {
		p.appendLog(batch)
	}
}
