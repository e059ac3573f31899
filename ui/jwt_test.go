package ui

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/token"
)

// inspectWait runs action and waits for the fyne.Do that shows the
// resulting inspection.
func inspectWait(t *testing.T, jt *jwtTab, action func()) {
	t.Helper()
	gatedWait(t, &jt.deb, action)
}

func ecKey(t *testing.T, kid string) jwk.Key {
	t.Helper()
	g, err := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: kid})
	if err != nil {
		t.Fatal(err)
	}
	return g.Private
}

func signToken(t *testing.T, key jwk.Key, claims map[string]any, kid string) string {
	t.Helper()
	b, _ := json.Marshal(claims)
	tok, err := token.Sign(key, b, kid)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// tabNow is the JWT tab's clock in these tests.
var tabNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// jwtWindow is a window whose workspace holds the EC keys k1 and k2, with
// the JWT tab in front.
func jwtWindow(t *testing.T) (fyne.App, *MainWindow, *jwtTab, jwk.Key) {
	t.Helper()
	a, mw := newTestWindow(t)
	k1 := ecKey(t, "k1")
	if _, err := mw.sh.ws.Add("test", k1, ecKey(t, "k2")); err != nil {
		t.Fatal(err)
	}
	mw.jwt.now = func() time.Time { return tabNow }
	t.Cleanup(mw.jwt.deb.inflight.Wait)
	mw.sh.workspaceChanged()
	mw.Tabs.SelectIndex(tabIndex(t, mw, mw.jwt))
	mw.jwt.deb.inflight.Wait()
	return a, mw, mw.jwt, k1
}

func bannerColour(state string) color.Color {
	name := map[string]fyne.ThemeColorName{token.StateVerified: theme.ColorNameSuccess, token.StateExpired: theme.ColorNameWarning, token.StateNotVerified: theme.ColorNameError,
		token.StateDecrypted: theme.ColorNameSuccess, token.StateNotDecrypted: theme.ColorNameError}[state]
	c := theme.Current().Color(name, fyne.CurrentApp().Settings().ThemeVariant())
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x66}
}

func wantBanner(t *testing.T, jt *jwtTab, state, text string) {
	t.Helper()
	if jt.state != state || jt.bannerBg.FillColor != bannerColour(state) {
		t.Errorf("banner state %q colour %v, want %q", jt.state, jt.bannerBg.FillColor, state)
	}
	if !strings.Contains(jt.bannerText.Text, text) {
		t.Errorf("banner %q, want it to contain %q", jt.bannerText.Text, text)
	}
}

func TestJWTTabVerdicts(t *testing.T) {
	_, mw, jt, k1 := jwtWindow(t)
	if it := mw.Tabs.Items[tabIndex(t, mw, mw.jwt)]; it.Text != "JWT" {
		t.Fatalf("tab %q", it.Text)
	}
	now := tabNow
	good := signToken(t, k1, map[string]any{"sub": "alice", "iat": now.Add(-time.Hour).Unix(), "exp": now.Add(time.Hour).Unix()}, "k1")

	t.Run("valid is green", func(t *testing.T) {
		inspectWait(t, jt, func() { jt.tokenEntry.SetText(good) })
		wantBanner(t, jt, token.StateVerified, "Verified with key k1")
		if !strings.HasPrefix(jt.candidates.Text, "✓ k1 [EC ES256]") || !strings.Contains(jt.candidates.Text, "\n    verified") {
			t.Errorf("candidates %q", jt.candidates.Text)
		}
		if !strings.Contains(jt.timesLabel.Text, "exp ") || !strings.Contains(jt.timesLabel.Text, "valid for another 1 h") {
			t.Errorf("times %q", jt.timesLabel.Text)
		}
		if jt.lifetime.lt == nil || jt.lifetime.lt.exp == nil || jt.lifetime.lt.iat == nil || jt.lifetime.lt.state != token.StateVerified {
			t.Errorf("lifetime %+v", jt.lifetime.lt)
		}
		if !strings.Contains(jt.claimsView.content, `"sub": "alice"`) || !strings.Contains(jt.headerView.content, `"kid": "k1"`) {
			t.Errorf("claims %q header %q", jt.claimsView.content, jt.headerView.content)
		}
		if jt.tokenErr.Visible() {
			t.Errorf("token error shown: %q", jt.tokenErr.Text)
		}
		test.Tap(jt.headerView.copyBtn)
		if got := fyne.CurrentApp().Clipboard().Content(); got != jt.headerView.content || !strings.Contains(got, `"alg": "ES256"`) {
			t.Errorf("Copy header: clipboard %q", got)
		}
	})
	t.Run("tampered is red with the reason", func(t *testing.T) {
		parts := strings.Split(good, ".")
		parts[1] = "eyJzdWIiOiJhZG1pbiJ9" // {"sub":"admin"}
		inspectWait(t, jt, func() { jt.tokenEntry.SetText(strings.Join(parts, ".")) })
		wantBanner(t, jt, token.StateNotVerified, "Not verified: signature does not match")
	})
	t.Run("unknown kid lists the set's kids", func(t *testing.T) {
		inspectWait(t, jt, func() {
			jt.tokenEntry.SetText(signToken(t, k1, map[string]any{"exp": now.Add(time.Hour).Unix()}, "nope"))
		})
		wantBanner(t, jt, token.StateNotVerified, "kid nope not in the set (the set has: k1, k2)")
		if jt.kidLabel.Text != "The token needs kid \"nope\" with alg ES256.\nKids in the JWKS workspace: k1, k2" {
			t.Errorf("kid line %q", jt.kidLabel.Text)
		}
	})
	t.Run("expired is amber", func(t *testing.T) {
		inspectWait(t, jt, func() {
			jt.tokenEntry.SetText(signToken(t, k1, map[string]any{"exp": now.Add(-3*time.Hour - 15*time.Minute).Unix()}, "k1"))
		})
		wantBanner(t, jt, token.StateExpired, "Signature valid but expired 3 h 15 min ago")
		if jt.lifetime.lt.state != token.StateExpired {
			t.Errorf("lifetime state %q", jt.lifetime.lt.state)
		}
	})
	t.Run("garbage: an error next to the entry, text kept", func(t *testing.T) {
		inspectWait(t, jt, func() { jt.tokenEntry.SetText("hello world") })
		if !jt.tokenErr.Visible() || jt.tokenErr.Text != "Not a JWT: a compact token has three parts separated by dots (a JWE has five), this has 1" {
			t.Errorf("token error %v %q", jt.tokenErr.Visible(), jt.tokenErr.Text)
		}
		if jt.tokenEntry.Text != "hello world" || jt.state != "" || jt.claimsView.content != "" {
			t.Errorf("entry %q state %q", jt.tokenEntry.Text, jt.state)
		}
	})
	t.Run("pasted with Bearer and line breaks: cleaned, entry untouched", func(t *testing.T) {
		pasted := "Bearer " + good[:30] + "\n" + good[30:]
		inspectWait(t, jt, func() { jt.tokenEntry.SetText(pasted) })
		wantBanner(t, jt, token.StateVerified, "Verified with key k1")
		if jt.tokenEntry.Text != pasted || !jt.cleaned.Visible() || !strings.Contains(jt.cleaned.Text, `removed the "Bearer " prefix, removed 1 space or line break`) {
			t.Errorf("cleaned %q entry changed %v", jt.cleaned.Text, jt.tokenEntry.Text != pasted)
		}
	})
}

func TestJWTTabFocusesTheTokenEntry(t *testing.T) {
	_, mw, jt, _ := jwtWindow(t)
	if mw.Window.Canvas().Focused() != jt.tokenEntry {
		t.Errorf("focused %v, want the token entry", mw.Window.Canvas().Focused())
	}
	mw.Tabs.SelectIndex(0)
	mw.Window.Canvas().Unfocus()
	menuAction(t, mw.Window, fyne.KeyName(fmt.Sprint(tabIndex(t, mw, mw.jwt)+1)), fyne.KeyModifierAlt)()
	if mw.Window.Canvas().Focused() != jt.tokenEntry {
		t.Error("Alt+N (the JWT tab) does not focus the token entry")
	}
}

func TestJWTTabReinspectsWhenTheWorkspaceChanges(t *testing.T) {
	_, mw, jt, _ := jwtWindow(t)
	k3 := ecKey(t, "k3")
	tok := signToken(t, k3, map[string]any{"exp": tabNow.Add(time.Hour).Unix()}, "k3")
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(tok) })
	wantBanner(t, jt, token.StateNotVerified, "kid k3 not in the set (the set has: k1, k2)")
	inspectWait(t, jt, func() {
		if _, err := mw.sh.ws.Add("test", k3); err != nil {
			t.Fatal(err)
		}
		mw.sh.workspaceChanged()
	})
	wantBanner(t, jt, token.StateVerified, "Verified with key k3")
}

func TestJWTTabOtherKeySources(t *testing.T) {
	_, _, jt, k1 := jwtWindow(t)
	tok := signToken(t, k1, map[string]any{"exp": tabNow.Add(time.Hour).Unix()}, "k1")
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(tok) })

	// Pasted keys: unreadable text is an error next to the field.
	inspectWait(t, jt, func() { jt.sourceRadio.SetSelected(srcPasted) })
	wantBanner(t, jt, token.StateNotVerified, "no keys to verify with")
	inspectWait(t, jt, func() { jt.keysEntry.SetText("{not json") })
	if !jt.keysErr.Visible() || !strings.HasPrefix(jt.keysErr.Text, "This starts like JSON but is not valid JSON") || jt.keysEntry.Text != "{not json" {
		t.Errorf("keys error %q", jt.keysErr.Text)
	}
	pubJWK, _ := keys.MarshalPublicJWK(k1)
	inspectWait(t, jt, func() { jt.keysEntry.SetText(string(pubJWK)) })
	wantBanner(t, jt, token.StateVerified, "Verified with key k1")
	if jt.keysErr.Visible() {
		t.Error("keys error still shown")
	}

	// An HMAC secret, in the encoding the user says.
	secret := []byte("0123456789abcdef0123456789abcdef")
	oct, _ := jwk.Import(secret)
	hs := signToken(t, oct, map[string]any{"exp": tabNow.Add(time.Hour).Unix()}, "")
	inspectWait(t, jt, func() { jt.sourceRadio.SetSelected(srcSecret) })
	inspectWait(t, jt, func() { jt.secretEnc.SetSelected(token.SecretHex) })
	inspectWait(t, jt, func() { jt.secretEntry.SetText(hex.EncodeToString(secret)) })
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(hs) })
	wantBanner(t, jt, token.StateVerified, "Verified with the HMAC secret (hex)")
	inspectWait(t, jt, func() { jt.secretEntry.SetText("zz") })
	if !jt.secretErr.Visible() || !strings.HasPrefix(jt.secretErr.Text, "The secret is not hex") {
		t.Errorf("secret error %q", jt.secretErr.Text)
	}
	wantBanner(t, jt, token.StateNotVerified, "the HMAC secret is empty")
}

func TestJWTTabSignPanelRoundTrip(t *testing.T) {
	_, _, jt, _ := jwtWindow(t)
	if jt.signKeySel.Selected == "" || jt.signKid.Text != "k2" {
		t.Fatalf("key %q kid %q", jt.signKeySel.Selected, jt.signKid.Text)
	}
	jt.signKeySel.SetSelected(jt.signKeySel.Options[0])
	if jt.signKid.Text != "k1" {
		t.Fatalf("kid %q after choosing k1", jt.signKid.Text)
	}
	pasted := "something the user pasted"
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(pasted) })
	jt.signClaims.SetText(`{"sub":"bob"}`)
	test.Tap(jt.presetBtns[2]) // exp +1 d
	var claims map[string]any
	if err := json.Unmarshal([]byte(jt.signClaims.Text), &claims); err != nil || claims["sub"] != "bob" {
		t.Fatalf("claims %q: %v", jt.signClaims.Text, err)
	}
	if exp, _ := claims["exp"].(float64); int64(exp) != tabNow.Add(24*time.Hour).Unix() {
		t.Errorf("exp preset %v", claims["exp"])
	}
	test.Tap(jt.signBtn)
	if jt.signErr.Visible() || jt.signedView.content == "" {
		t.Fatalf("sign error %q", jt.signErr.Text)
	}
	if jt.tokenEntry.Text != pasted {
		t.Fatal("signing altered the pasted token")
	}
	inspectWait(t, jt, func() { test.Tap(jt.inspectBtn) })
	wantBanner(t, jt, token.StateVerified, "Verified with key k1")

	// Bad claims: an error next to them, the text kept.
	jt.signClaims.SetText(`{"sub":`)
	test.Tap(jt.presetBtns[0])
	if jt.signErr.Text != "The claims are not a JSON object, so iat cannot be set: fix them first" || jt.signClaims.Text != `{"sub":` {
		t.Errorf("preset error %q", jt.signErr.Text)
	}
	test.Tap(jt.signBtn)
	if !strings.HasPrefix(jt.signErr.Text, `The claims must be a JSON object such as {"sub":"alice"}`) {
		t.Errorf("sign error %q", jt.signErr.Text)
	}
}

func TestJWTTabShortcutsAndSkew(t *testing.T) {
	a, mw, jt, k1 := jwtWindow(t)
	tok := signToken(t, k1, map[string]any{"sub": "carol", "exp": tabNow.Add(-30 * time.Second).Unix()}, "k1")
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(tok) })
	// Within the 60 s skew: verified, but never a plain green banner.
	wantBanner(t, jt, token.StateExpired, "Verified with key k1 — but it expired 30 s ago, accepted only within the clock skew of 60 s")
	ctrl := fyne.KeyModifierShortcutDefault
	menuAction(t, mw.Window, fyne.KeyR, ctrl|fyne.KeyModifierShift)()
	var report map[string]any
	if err := json.Unmarshal([]byte(a.Clipboard().Content()), &report); err != nil || report["verified"] != true || report["key"] != "k1" {
		t.Fatalf("Ctrl+Shift+R copied %q", a.Clipboard().Content())
	}
	menuAction(t, mw.Window, fyne.KeyC, ctrl|fyne.KeyModifierShift)()
	if got := a.Clipboard().Content(); !strings.Contains(got, `"sub": "carol"`) {
		t.Errorf("Ctrl+Shift+C copied %q", got)
	}
	var saved []byte
	mw.sh.saveDialog = func(name string, onPath func(string)) {
		saved = []byte(name)
	}
	menuAction(t, mw.Window, fyne.KeyS, ctrl)()
	if string(saved) != "jwt-report.json" {
		t.Errorf("Ctrl+S offered %q", saved)
	}

	inspectWait(t, jt, func() { jt.skewEntry.SetText("0") })
	wantBanner(t, jt, token.StateExpired, "Signature valid but expired 30 s ago")
	if got := a.Preferences().Int(prefJWTSkew); got != 0 {
		t.Errorf("skew preference %d", got)
	}
	jt.skewEntry.SetText("soon")
	if !jt.skewErr.Visible() || jt.skewErr.Text != "Clock skew must be a whole number of seconds from 0 to 86400, such as 60" {
		t.Errorf("skew error %q", jt.skewErr.Text)
	}

	// The skew survives a restart.
	mw2 := NewMainWindow(a, testOptions())
	defer mw2.Window.Close()
	if mw2.jwtTab().skewEntry.Text != "0" {
		t.Errorf("skew after restart %q", mw2.jwt.skewEntry.Text)
	}
}

func TestLifetimeBarDrawsTheTimeline(t *testing.T) {
	test.NewTempApp(t)
	bar := newLifetimeBar()
	w := test.NewTempWindow(t, bar)
	w.Resize(fyne.NewSize(500, 80))
	iat, exp := tabNow.Add(-time.Hour), tabNow.Add(time.Hour)
	bar.set(&lifetime{iat: &iat, exp: &exp, now: tabNow, state: token.StateVerified}, "")
	r := test.TempWidgetRenderer(t, bar).(*lifetimeRenderer)
	width := bar.Size().Width
	if x := r.nowLine.Position1.X; x < width*0.49 || x > width*0.51 {
		t.Errorf("now at %.1f of %.1f, want the middle", x, width)
	}
	if r.span.Position().X > width*0.05 || r.span.Size().Width < width*0.9 || r.nbfLine.Visible() {
		t.Errorf("span %v %v", r.span.Position(), r.span.Size())
	}
	success := theme.Current().Color(theme.ColorNameSuccess, fyne.CurrentApp().Settings().ThemeVariant())
	if r.span.FillColor != success || r.labels[2].Text != "exp" || !r.labels[2].Visible() || r.labels[1].Visible() {
		t.Errorf("colour %v labels %v", r.span.FillColor, r.labels)
	}
	// Expired long ago, no iat: the span ends at exp, now at the right.
	old := tabNow.Add(-3 * time.Hour)
	bar.set(&lifetime{exp: &old, now: tabNow, state: token.StateExpired}, "")
	warning := theme.Current().Color(theme.ColorNameWarning, fyne.CurrentApp().Settings().ThemeVariant())
	if r.span.FillColor != warning || r.nowLine.Position1.X < width*0.9 || r.span.Position().X != 0 {
		t.Errorf("expired: colour %v now %.1f", r.span.FillColor, r.nowLine.Position1.X)
	}
	// No exp: said in words.
	bar.set(&lifetime{iat: &iat, now: tabNow, state: token.StateVerified}, "")
	if r.caption.Text != "no exp: never expires" {
		t.Errorf("caption %q", r.caption.Text)
	}
	bar.set(nil, "No iat, nbf or exp in this token.")
	if r.span.Visible() || r.caption.Text != "No iat, nbf or exp in this token." {
		t.Errorf("empty: caption %q", r.caption.Text)
	}
}
