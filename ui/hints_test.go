package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// Issue 21, item 5: placeholders stay placeholders. A default is shown as
// the entry's hint and applied when the entry is empty; typing never appends
// to it ("JWK Deskauth.example.com").
func TestDefaultsAreHintsNotText(t *testing.T) {
	a, mw := newTestWindow(t)
	g := mw.generate
	choose(g, keys.KtyEC, keys.CrvP256, keys.UseSig)
	g.certCheck.SetChecked(true)
	if g.certCN.Text != "" || g.certCN.PlaceHolder != "JWK Desk" || g.certDays.Text != "" || g.certDays.PlaceHolder != "365" {
		t.Fatalf("CN %q (hint %q), days %q (hint %q)", g.certCN.Text, g.certCN.PlaceHolder, g.certDays.Text, g.certDays.PlaceHolder)
	}
	s, err := g.spec()
	if err != nil || s.Cert == nil || s.Cert.CommonName != "JWK Desk" || s.Cert.Days != 365 {
		t.Fatalf("empty fields do not apply the defaults: %+v %v", s.Cert, err)
	}
	test.Type(g.certCN, "auth.example.com")
	if g.certCN.Text != "auth.example.com" {
		t.Errorf("typed into the CN: %q", g.certCN.Text)
	}
	test.Type(g.certDays, "30")
	if s, _ := g.spec(); s.Cert.CommonName != "auth.example.com" || s.Cert.Days != 30 {
		t.Errorf("typed values not used: %+v", s.Cert)
	}
	// A value the user chose comes back as text after a restart.
	mw2 := NewMainWindow(a, testOptions())
	defer mw2.Window.Close()
	if mw2.generate.certCN.Text != "auth.example.com" || mw2.generate.certDays.Text != "30" {
		t.Errorf("chosen values after restart: %q %q", mw2.generate.certCN.Text, mw2.generate.certDays.Text)
	}

	// The sibling in the JWT tab: the clock skew.
	jt := mw.jwt
	if jt.skewEntry.Text != "" || jt.skewEntry.PlaceHolder != "60" {
		t.Errorf("skew %q (hint %q)", jt.skewEntry.Text, jt.skewEntry.PlaceHolder)
	}
	if d, err := jt.skew(); err != nil || d != time.Minute {
		t.Errorf("empty skew: %v %v", d, err)
	}
}
