package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/jwkdesk/jwkdesk/assets"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/token"
)

// testOptions are the window options of the tests: Fyne's clipboard, and
// no saved workspace (the tests of persistence name their own file).
func testOptions() Options {
	return Options{FyneClipboard: true, stateFile: func(fyne.App) string { return "" }, plainExports: true}
}

func newTestWindow(t *testing.T) (fyne.App, *MainWindow) {
	t.Helper()
	return newTestWindowWith(t, testOptions())
}

// newTestWindowWith is newTestWindow with other options.
func newTestWindowWith(t *testing.T, opts Options) (fyne.App, *MainWindow) {
	t.Helper()
	a := test.NewTempApp(t)
	mw := NewMainWindow(a, opts)
	mw.buildAll()
	// The elapsed-time ticker would update a label from its own goroutine:
	// Fyne's test driver runs fyne.Do there, racing with the test.
	mw.generate.tick = 0
	mw.sh.ask = func(_, _, _, _ string, onOK func()) { onOK() } // tests that look at a question set their own
	t.Cleanup(mw.Window.Close)
	return a, mw
}

// generate presses Generate and waits for the final fyne.Do of the goroutine.
func generate(t *testing.T, g *generateTab, press func()) {
	t.Helper()
	done := make(chan struct{})
	g.afterGenerate = func() { close(done) }
	press()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("generation did not finish")
	}
	g.afterGenerate = nil
}

func choose(g *generateTab, kty, shape, use string) {
	g.useRadio.SetSelected(use)
	g.ktySel.SetSelected(kty)
	g.shapeSel.SetSelected(shape)
}

func TestGenerateEachKeyTypeThroughTheWidgets(t *testing.T) {
	cases := []struct{ kty, shape, use, alg string }{
		{"RSA", "2048", "sig", "RS256"},
		{"RSA", "3072", "enc", "RSA-OAEP-256"},
		{"EC", "P-256", "sig", "ES256"},
		{"EC", "P-384", "sig", "ES384"},
		{"EC", "P-521", "enc", "ECDH-ES"},
		{"EC", "secp256k1", "sig", "ES256K"},
		{"OKP", "Ed25519", "sig", "EdDSA"},
		{"OKP", "X25519", "enc", "ECDH-ES"},
	}
	a, mw := newTestWindow(t)
	g := mw.generate
	for _, c := range cases {
		t.Run(c.kty+"-"+c.shape+"-"+c.use, func(t *testing.T) {
			choose(g, c.kty, c.shape, c.use)
			if g.algSel.Selected != c.alg {
				t.Fatalf("alg offered %q, want %q (options %v)", g.algSel.Selected, c.alg, g.algSel.Options)
			}
			generate(t, g, func() { test.Tap(g.genBtn) })
			if g.errLabel.Visible() {
				t.Fatalf("error shown: %s", g.errLabel.Text)
			}
			var pub map[string]any
			if err := json.Unmarshal([]byte(g.pubJWK.content), &pub); err != nil {
				t.Fatalf("public JWK is not JSON: %v\n%s", err, g.pubJWK.content)
			}
			if pub["kty"] != c.kty || pub["alg"] != c.alg || pub["use"] != c.use {
				t.Errorf("public JWK %v", pub)
			}
			for _, m := range keys.PrivateMembers {
				if _, ok := pub[m]; ok {
					t.Errorf("public JWK holds private member %q", m)
				}
				if strings.Contains(g.pubJWK.text.Text, `"`+m+`":`) {
					t.Errorf("public view shows %q", m)
				}
			}
			// The private view is masked until Reveal.
			var priv map[string]any
			_ = json.Unmarshal([]byte(g.privJWK.content), &priv)
			d, _ := priv["d"].(string)
			if d == "" {
				t.Fatal("private JWK has no d")
			}
			if strings.Contains(g.privJWK.text.Text, d) || !strings.Contains(g.privJWK.text.Text, maskText) {
				t.Error("private JWK shown unmasked before Reveal")
			}
			test.Tap(g.privJWK.revealBtn)
			if !strings.Contains(g.privJWK.text.Text, d) {
				t.Error("Reveal does not show d")
			}
			test.Tap(g.privJWK.revealBtn)
			if strings.Contains(g.privJWK.text.Text, d) {
				t.Error("Hide does not mask d again")
			}
			// PEM views name their flavour; the private one is masked.
			if !strings.Contains(g.pubPEM.caption.Text, "SPKI") || !strings.HasPrefix(g.pubPEM.content, "-----BEGIN PUBLIC KEY-----") {
				t.Errorf("public PEM %q / %q", g.pubPEM.caption.Text, g.pubPEM.content)
			}
			if !strings.Contains(g.privPEM.caption.Text, "PKCS#8") || strings.Contains(g.privPEM.text.Text, strings.Split(g.privPEM.content, "\n")[1]) {
				t.Errorf("private PEM not labelled or not masked: %q", g.privPEM.caption.Text)
			}
			// Copy puts the public JWK on the clipboard.
			test.Tap(g.pubJWK.copyBtn)
			if got := a.Clipboard().Content(); got != g.pubJWK.content {
				t.Errorf("clipboard holds %q", got)
			}
			if !strings.Contains(g.thumbLabel.Text, pub["kid"].(string)) {
				t.Errorf("thumbprint line %q lacks the kid", g.thumbLabel.Text)
			}
		})
	}
}

func TestOctSecretHasNoPublicForm(t *testing.T) {
	a, mw := newTestWindow(t)
	g := mw.generate
	choose(g, "oct", "384", "sig")
	if g.kidSel.Selected != string(keys.KidUUID) {
		t.Errorf("oct kid strategy %q, want uuid", g.kidSel.Selected)
	}
	generate(t, g, func() { test.Tap(g.genBtn) })
	if g.pubJWK.content != "" || !g.pubJWK.copyBtn.Disabled() {
		t.Error("oct: a public JWK is offered")
	}
	if strings.Contains(g.privJWK.text.Text, `"k": "`+g.privJWK.content) {
		t.Error("k shown")
	}
	var priv map[string]any
	_ = json.Unmarshal([]byte(g.privJWK.content), &priv)
	if k, _ := priv["k"].(string); k == "" || strings.Contains(g.privJWK.text.Text, k) {
		t.Errorf("k missing or not masked: %q", g.privJWK.text.Text)
	}
	if priv["alg"] != "HS384" {
		t.Errorf("alg %v", priv["alg"])
	}
	a.Clipboard().SetContent("before")
	mw.copyPublic()
	if a.Clipboard().Content() != "before" || !strings.Contains(mw.sh.status.Text, "no public form") {
		t.Errorf("Ctrl+Shift+C on an oct key: clipboard %q, status %q", a.Clipboard().Content(), mw.sh.status.Text)
	}
}

func TestInvalidCombinationShowsErrorNextToControls(t *testing.T) {
	_, mw := newTestWindow(t)
	g := mw.generate
	choose(g, "OKP", "X25519", "sig")
	if !g.errLabel.Visible() || !strings.Contains(g.errLabel.Text, "X25519") {
		t.Fatalf("error label %v %q", g.errLabel.Visible(), g.errLabel.Text)
	}
	generate(t, g, func() { test.Tap(g.genBtn) })
	if g.current != nil || g.pubJWK.content != "" {
		t.Error("a key was generated from an invalid combination")
	}
	if !strings.Contains(mw.sh.status.Text, "Cannot generate") {
		t.Errorf("status %q", mw.sh.status.Text)
	}
	// Fixing the combination clears the error; the choices made stay.
	g.useRadio.SetSelected("enc")
	if g.errLabel.Visible() {
		t.Errorf("error still shown: %q", g.errLabel.Text)
	}
	if g.ktySel.Selected != "OKP" || g.shapeSel.Selected != "X25519" {
		t.Error("choices lost after the error")
	}

	g.kidSel.SetSelected(string(keys.KidCustom))
	g.customKid.SetText("")
	if !strings.Contains(g.errLabel.Text, "Custom kid is empty") {
		t.Errorf("empty custom kid: %q", g.errLabel.Text)
	}
	test.Type(g.customKid, "enc-2026")
	g.certCheck.SetChecked(true)
	if !strings.Contains(g.errLabel.Text, "certificate needs") {
		t.Errorf("certificate on X25519: %q", g.errLabel.Text)
	}
}

func TestCertificateAndCustomKid(t *testing.T) {
	_, mw := newTestWindow(t)
	g := mw.generate
	choose(g, "EC", "P-384", "sig")
	g.kidSel.SetSelected(string(keys.KidCustom))
	test.Type(g.customKid, "signing-2026-11")
	g.certCheck.SetChecked(true)
	g.certCN.SetText("auth.example.com")
	g.certDays.SetText("30")
	generate(t, g, func() { test.Tap(g.genBtn) })
	var pub map[string]any
	if err := json.Unmarshal([]byte(g.pubJWK.content), &pub); err != nil {
		t.Fatal(err)
	}
	if pub["kid"] != "signing-2026-11" || pub["x5c"] == nil || pub["x5t#S256"] == nil {
		t.Errorf("public JWK %v", pub)
	}
	if !strings.Contains(g.details.content, "BEGIN CERTIFICATE") || !strings.Contains(g.details.content, `{"crv":"P-384","kty":"EC"`) {
		t.Errorf("details %q", g.details.content)
	}
	g.certDays.SetText("thirty")
	if !strings.Contains(g.errLabel.Text, "Valid (days)") {
		t.Errorf("bad days: %q", g.errLabel.Text)
	}
}

func TestPEMFlavourSelection(t *testing.T) {
	_, mw := newTestWindow(t)
	g := mw.generate
	choose(g, "RSA", "2048", "sig")
	generate(t, g, func() { test.Tap(g.genBtn) })
	g.privPEMFormat.SetSelected("PKCS#1")
	if !strings.HasPrefix(g.privPEM.content, "-----BEGIN RSA PRIVATE KEY-----") || !strings.Contains(g.privPEM.caption.Text, "PKCS#1") {
		t.Errorf("PKCS#1 private: %q", g.privPEM.caption.Text)
	}
	g.pubPEMFormat.SetSelected("PKCS#1")
	if !strings.HasPrefix(g.pubPEM.content, "-----BEGIN RSA PUBLIC KEY-----") {
		t.Errorf("PKCS#1 public: %q", g.pubPEM.content)
	}
	choose(g, "EC", "P-256", "sig")
	generate(t, g, func() { test.Tap(g.genBtn) })
	if got := g.privPEMFormat.Options; len(got) != 2 || got[1] != "SEC1" {
		t.Errorf("EC private PEM flavours %v", got)
	}
	g.privPEMFormat.SetSelected("SEC1")
	if !strings.HasPrefix(g.privPEM.content, "-----BEGIN EC PRIVATE KEY-----") {
		t.Errorf("SEC1: %q", g.privPEM.content)
	}
}

func TestPrivateCopyIsClearedAfterDelay(t *testing.T) {
	a, mw := newTestWindow(t)
	mw.Clip.delay = func() time.Duration { return 50 * time.Millisecond }
	g := mw.generate
	choose(g, "EC", "P-256", "sig")
	generate(t, g, func() { test.Tap(g.genBtn) })
	cleared := make(chan struct{})
	mw.Clip.onCleared = func() { close(cleared) }
	// The clipboard is not read here: the clearing timer may already be
	// writing it. onCleared fires only if it still held the private JWK.
	test.Tap(g.privJWK.copyBtn)
	if !strings.Contains(mw.sh.status.Text, "will be cleared in") {
		t.Errorf("status %q does not say when the clipboard is cleared", mw.sh.status.Text)
	}
	select {
	case <-cleared:
	case <-time.After(10 * time.Second):
		t.Fatal("clipboard not cleared")
	}
	if a.Clipboard().Content() != "" {
		t.Errorf("clipboard still holds %q", a.Clipboard().Content())
	}
}

func TestClipboardLeavesUserCopiesAlone(t *testing.T) {
	a, mw := newTestWindow(t)
	mw.Clip.delay = func() time.Duration { return time.Hour }
	if _, err := mw.Clip.Copy("secret", true); err != nil {
		t.Fatal(err)
	}
	a.Clipboard().SetContent("something the user copied since")
	mw.Clip.ClearIfUnchanged() // what quitting does
	if a.Clipboard().Content() != "something the user copied since" {
		t.Error("cleared text the user copied")
	}
	if _, err := mw.Clip.Copy("secret", true); err != nil {
		t.Fatal(err)
	}
	mw.Clip.ClearIfUnchanged()
	if a.Clipboard().Content() != "" || mw.Clip.Pending() {
		t.Error("quit did not clear the private copy")
	}
}

type failingClipboard struct{}

func (failingClipboard) Write(string) error    { return os.ErrNotExist }
func (failingClipboard) Read() (string, error) { return "", os.ErrNotExist }
func (failingClipboard) Name() string          { return "broken" }

func TestClipboardFallsBackToFyne(t *testing.T) {
	a := test.NewTempApp(t)
	if _, ok := chooseClipboard(true, a).(fyneClipboard); !ok {
		t.Error("no clipboard utility: want Fyne's clipboard")
	}
	if _, ok := chooseClipboard(false, a).(systemClipboard); !ok {
		t.Error("with a clipboard utility: want the system clipboard")
	}
	c := newClipboard(failingClipboard{}, fyneClipboard{a.Clipboard()}, func() time.Duration { return time.Hour })
	if _, err := c.Copy("public", false); err != nil {
		t.Fatal(err)
	}
	if a.Clipboard().Content() != "public" {
		t.Error("a failing system clipboard did not fall back to Fyne's")
	}
}

func TestSaveWritesPrivateFilesOwnerOnly(t *testing.T) {
	_, mw := newTestWindow(t)
	g := mw.generate
	dir := t.TempDir()
	var asked []string
	mw.sh.saveDialog = func(name string, onPath func(string)) {
		asked = append(asked, name)
		onPath(filepath.Join(dir, name))
	}
	choose(g, "OKP", "Ed25519", "sig")
	generate(t, g, func() { test.Tap(g.genBtn) })
	test.Tap(g.privJWK.saveBtn)
	test.Tap(g.pubJWK.saveBtn)
	if len(asked) != 2 || !strings.HasSuffix(asked[0], ".private.jwk.json") || !strings.HasSuffix(asked[1], ".public.jwk.json") {
		t.Fatalf("file names %v", asked)
	}
	for i, want := range []os.FileMode{0o600, 0o644} {
		st, err := os.Stat(filepath.Join(dir, asked[i]))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", asked[i], st.Mode().Perm(), want)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, asked[0]))
	if string(b) != g.privJWK.content || strings.Contains(string(b), maskText) {
		t.Error("saved private JWK is not the real (unmasked) key")
	}
	// Ctrl+S saves the output in front.
	g.outTabs.SelectIndex(2)
	mw.saveCurrent()
	if len(asked) != 3 || !strings.HasSuffix(asked[2], ".public.pem") {
		t.Errorf("Ctrl+S saved %v", asked)
	}
}

// menuAction finds the main-menu item bound to a shortcut: the real driver
// dispatches shortcuts through the main menu first.
func menuAction(t *testing.T, w fyne.Window, key fyne.KeyName, mod fyne.KeyModifier) func() {
	t.Helper()
	want := (&desktop.CustomShortcut{KeyName: key, Modifier: mod}).ShortcutName()
	for _, m := range w.MainMenu().Items {
		for _, it := range m.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == want {
				return it.Action
			}
		}
	}
	t.Fatalf("no menu item for %s", want)
	return nil
}

func TestKeyboardShortcuts(t *testing.T) {
	a, mw := newTestWindow(t)
	g := mw.generate
	choose(g, "EC", "P-256", "sig")
	ctrl := fyne.KeyModifierShortcutDefault
	generate(t, g, menuAction(t, mw.Window, fyne.KeyG, ctrl))
	if g.current == nil {
		t.Fatal("Ctrl+G did not generate")
	}
	menuAction(t, mw.Window, fyne.KeyC, ctrl|fyne.KeyModifierShift)()
	var pub map[string]any
	if err := json.Unmarshal([]byte(a.Clipboard().Content()), &pub); err != nil {
		t.Fatalf("Ctrl+Shift+C: clipboard %q", a.Clipboard().Content())
	}
	if pub["kid"] != g.current.Thumbprint.Value || pub["d"] != nil {
		t.Errorf("Ctrl+Shift+C copied %v", pub)
	}
	mw.Clip.delay = func() time.Duration { return time.Hour }
	menuAction(t, mw.Window, fyne.KeyK, ctrl|fyne.KeyModifierShift)()
	if a.Clipboard().Content() != g.privJWK.content || !mw.Clip.Pending() {
		t.Error("Ctrl+Shift+K did not copy the private JWK with a clear pending")
	}
	mw.Clip.ClearIfUnchanged()
	menuAction(t, mw.Window, fyne.Key1, fyne.KeyModifierAlt)()
	if mw.Tabs.SelectedIndex() != 0 {
		t.Error("Alt+1")
	}
}

func TestOptionsRememberedAcrossRestarts(t *testing.T) {
	a := test.NewTempApp(t)
	mw := NewMainWindow(a, testOptions())
	mw.buildAll()
	// The elapsed-time ticker would update a label from its own goroutine:
	// Fyne's test driver runs fyne.Do there, racing with the test.
	mw.generate.tick = 0
	g := mw.generate
	choose(g, "RSA", "3072", "sig")
	g.algSel.SetSelected("PS256")
	g.kidSel.SetSelected(string(keys.KidDate))
	mw.Window.Close()

	mw2 := NewMainWindow(a, testOptions())
	defer mw2.Window.Close()
	g2 := mw2.generate
	if g2.ktySel.Selected != "RSA" || g2.shapeSel.Selected != "3072" || g2.algSel.Selected != "PS256" || g2.kidSel.Selected != string(keys.KidDate) {
		t.Errorf("restored %s %s %s %s", g2.ktySel.Selected, g2.shapeSel.Selected, g2.algSel.Selected, g2.kidSel.Selected)
	}
}

func TestWindowShell(t *testing.T) {
	_, mw := newTestWindow(t)
	if mw.Window.Title() != "JWK Desk" {
		t.Errorf("title %q", mw.Window.Title())
	}
	if len(mw.Tabs.Items) != len(mw.slots) || mw.Tabs.Items[0].Text != "Generate" {
		t.Errorf("tabs %v", mw.Tabs.Items)
	}
	names := map[string]bool{}
	for _, m := range mw.Window.MainMenu().Items {
		names[m.Label] = true
	}
	for _, want := range []string{"File", "Edit", "Key", "View", "Help"} {
		if !names[want] {
			t.Errorf("menu %s missing", want)
		}
	}
}

func TestAddToJWKS(t *testing.T) {
	_, mw := newTestWindow(t)
	g := mw.generate
	if !g.addBtn.Disabled() {
		t.Error("Add to JWKS enabled before any key exists")
	}
	changes := 0
	mw.sh.onWorkspaceChanged(func() { changes++ })
	choose(g, "EC", "P-256", "sig")
	generate(t, g, func() { test.Tap(g.genBtn) })
	test.Tap(g.addBtn)
	test.Tap(g.addBtn)
	if mw.sh.ws.Len() != 1 || changes != 1 {
		t.Errorf("workspace has %d keys after adding the same key twice (%d changes)", mw.sh.ws.Len(), changes)
	}
	if !strings.Contains(mw.sh.status.Text, "already in the JWKS") {
		t.Errorf("status %q", mw.sh.status.Text)
	}
}

func TestSettingsValidateAndSave(t *testing.T) {
	a := test.NewTempApp(t)
	saved := 0
	f := newSettingsForm(a, func() { saved++ })
	f.clear.SetText("0")
	f.submit()
	if saved != 0 || !f.errLabel.Visible() || !strings.Contains(f.errLabel.Text, "1 to 3600") {
		t.Errorf("clear=0 accepted: %q", f.errLabel.Text)
	}
	if f.clear.Text != "0" {
		t.Error("input changed after an error")
	}
	f.clear.SetText("5")
	f.skew.SetText("abc")
	f.submit()
	if saved != 0 || !strings.Contains(f.errLabel.Text, "clock skew") {
		t.Errorf("skew=abc accepted: %q", f.errLabel.Text)
	}
	f.skew.SetText("120")
	f.theme.SetSelected("light")
	f.keyType.SetSelected("RSA")
	f.submit()
	if saved != 1 || f.errLabel.Visible() {
		t.Fatalf("valid settings refused: %q", f.errLabel.Text)
	}
	p := a.Preferences()
	if p.Int(prefClipClear) != 5 || p.Int(prefJWTSkew) != 120 || p.String(prefTheme) != "light" || p.String(prefGenKty) != "RSA" {
		t.Error("settings not stored")
	}
	if clipboardClearDelay(p) != 5*time.Second {
		t.Errorf("clipboard delay %v", clipboardClearDelay(p))
	}
	if _, ok := a.Settings().Theme().(variantTheme); !ok {
		t.Error("light theme not applied")
	}
	mw := NewMainWindow(a, testOptions())
	mw.buildAll()
	// The elapsed-time ticker would update a label from its own goroutine:
	// Fyne's test driver runs fyne.Do there, racing with the test.
	mw.generate.tick = 0
	defer mw.Window.Close()
	if mw.generate.ktySel.Selected != "RSA" {
		t.Error("default key type not used by the Generate tab")
	}
}

// tabIndex is the position of a tab in the window, so tests do not depend on
// the order of the tabs.
func tabIndex(t *testing.T, mw *MainWindow, x tab) int {
	t.Helper()
	for i, sl := range mw.slots {
		if sl.tab == x {
			return i
		}
	}
	t.Fatal("tab not in the window")
	return -1
}

// About says what the app is, its version, the Go it was built with, and
// each library that does its work with the version built in (a test binary
// has no dependencies in its build information, so one is made here).
func TestAboutNamesVersions(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Deps: []*debug.Module{
		{Path: "fyne.io/fyne/v2", Version: "v2.8.1"},
		{Path: "github.com/go-gl/glfw/v3.4/glfw", Version: "v0.1.0"}, // not one of JWK Desk's own: not named
		{Path: "github.com/lestrrat-go/jwx/v3", Version: "v3.4.0"},
	}}
	want := "JWK Desk " + assets.Version + "\nAn offline workbench for JWKs, JWKS and JWTs.\nNothing leaves this machine unless you ask.\n\n" +
		"Built with go1.26.8 and:\n  fyne.io/fyne/v2 v2.8.1\n  github.com/lestrrat-go/jwx/v3 v3.4.0\n"
	if got := aboutText(info, true); got != want {
		t.Errorf("about:\n%s\nwant:\n%s", got, want)
	}
	if got, want := aboutText(nil, false), "JWK Desk "+assets.Version+"\n"; !strings.HasPrefix(got, want) || strings.Contains(got, "Built with") {
		t.Errorf("about without build information: %q", got)
	}
}

// A panic inside an operation is reported as an error that says what was
// being done; the inputs, the last result and the workspace stay.
func TestPanicInAnOperationKeepsTheWork(t *testing.T) {
	_, mw := newTestWindow(t)
	g := mw.generate
	choose(g, "EC", "P-256", "sig")
	generate(t, g, func() { test.Tap(g.genBtn) })
	test.Tap(g.addBtn)
	before := g.pubJWK.content
	g.generateFn = func(keys.Spec) (*keys.Generated, error) { panic("forced by the test") }
	generate(t, g, func() { test.Tap(g.genBtn) })
	if !g.errLabel.Visible() || !strings.Contains(g.errLabel.Text, "Internal error while generating a key: forced by the test") {
		t.Errorf("error label %q", g.errLabel.Text)
	}
	if g.pubJWK.content != before || mw.sh.ws.Len() != 1 || g.genBtn.Disabled() || g.ktySel.Selected != "EC" {
		t.Error("the panic lost the last key, the workspace or the controls")
	}

	p := mw.pem
	p.parseFn = func([]byte, keys.ParseOptions) (*keys.ParseResult, error) { panic("forced by the test") }
	convertWait(t, p, func() { p.input.SetText("-----BEGIN PUBLIC KEY-----") })
	if !strings.Contains(p.inputErr.Text, "Internal error while converting the input: forced by the test") || p.input.Text != "-----BEGIN PUBLIC KEY-----" {
		t.Errorf("PEM tab: %q / input %q", p.inputErr.Text, p.input.Text)
	}
	if mw.sh.ws.Len() != 1 {
		t.Error("workspace changed")
	}

	j := mw.jwks
	j.parseSetFn = func([]byte) (keys.ParsedSet, error) { panic("forced by the test") }
	k, _ := jwkText(t, keys.Spec{Kty: keys.KtyEC}, true)
	paste(t, j, k)
	if j.pasteErr.Text != "Internal error while adding the pasted keys: forced by the test (your input and the workspace are unchanged)" || j.pasteEntry.Value() != k || mw.sh.ws.Len() != 1 {
		t.Errorf("JWKS tab: %q, %d keys", j.pasteErr.Text, mw.sh.ws.Len())
	}

	jt := mw.jwt
	jt.inspectFn = func(string, token.KeySource, token.InspectOptions) (*token.Report, error) {
		panic("forced by the test")
	}
	inspectWait(t, jt, func() { jt.tokenEntry.SetText("eyJhbGciOiJFUzI1NiJ9.e30.sig") })
	if jt.tokenErr.Text != "Internal error while inspecting the token: forced by the test (your input and the workspace are unchanged)" || jt.tokenEntry.Value() != "eyJhbGciOiJFUzI1NiJ9.e30.sig" || mw.sh.ws.Len() != 1 {
		t.Errorf("JWT tab: %q", jt.tokenErr.Text)
	}
}

// gatedWait runs action and waits for the debounced work it schedules to be
// shown. The result is held at the gate until action has returned, since
// Fyne's test driver runs fyne.Do in place; then every scheduled run is
// awaited, so nothing still touches widgets when the test goes on.
func gatedWait(t *testing.T, d *debouncer, action func()) {
	t.Helper()
	done := make(chan struct{})
	var once sync.Once
	d.after = func() { once.Do(func() { close(done) }) }
	g := make(chan struct{})
	d.gate = g
	action()
	d.gate = nil
	close(g)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the work did not finish")
	}
	d.after = nil
	d.inflight.Wait()
}

// The PEM / JWK and JWT tabs are built when first needed, and no tab but
// the first is laid out before it is shown; a workspace changed meanwhile
// is what the late tab sees.
func TestTabsAreBuiltWhenFirstNeeded(t *testing.T) {
	a := test.NewTempApp(t)
	mw := NewMainWindow(a, testOptions())
	t.Cleanup(mw.Window.Close)
	if mw.pem != nil || mw.jwt != nil {
		t.Fatal("PEM / JWK or JWT tab built at start-up")
	}
	for i := 1; i < len(mw.Tabs.Items); i++ {
		if holder := mw.Tabs.Items[i].Content.(*fyne.Container); len(holder.Objects) != 0 {
			t.Errorf("tab %d laid out before it was shown", i)
		}
	}
	g, err := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "late"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mw.sh.ws.Add("test", g.Public); err != nil {
		t.Fatal(err)
	}
	mw.sh.workspaceChanged()

	// A token routed to the JWT tab builds it, shows it, and it verifies
	// against the workspace it finds.
	tok := signToken(t, g.Private, map[string]any{"sub": "late"}, "late")
	mw.routeText(tok, "the clipboard")
	if mw.jwt == nil || mw.Tabs.SelectedIndex() != tabJWT {
		t.Fatalf("JWT tab built %v, in front %d", mw.jwt != nil, mw.Tabs.SelectedIndex())
	}
	if holder := mw.Tabs.Items[tabJWT].Content.(*fyne.Container); len(holder.Objects) != 1 {
		t.Errorf("JWT tab shown but not in its holder")
	}
	jt := mw.jwt
	inspectWait(t, jt, jt.scheduleInspect)
	wantBanner(t, jt, token.StateVerified, "Verified with key late")
	if mw.pem != nil {
		t.Error("routing a token built the PEM / JWK tab")
	}
	mw.selectTab(tabPEM)
	if mw.pem == nil || mw.current() != tab(mw.pem) {
		t.Error("PEM / JWK tab not built on selection")
	}
}

// While generating, the tab says for how long, without an animation.
func TestGenerateShowsElapsedTime(t *testing.T) {
	_, mw := newTestWindow(t)
	g := mw.generate
	g.tick = 5 * time.Millisecond
	g.busy.Show()
	stop := g.showElapsed(time.Now().Add(-1500 * time.Millisecond))
	time.Sleep(40 * time.Millisecond)
	stop()
	if !strings.HasPrefix(g.busy.Text, "Working… 1.5 s") && !strings.HasPrefix(g.busy.Text, "Working… 1.6 s") {
		t.Errorf("busy says %q", g.busy.Text)
	}
	stop2 := g.showElapsed(time.Now())
	stop2() // stopped at once: no update after
	if g.busy.Text != "Working… 1.5 s" && g.busy.Text != "Working… 1.6 s" {
		t.Errorf("busy changed after stop: %q", g.busy.Text)
	}
}
