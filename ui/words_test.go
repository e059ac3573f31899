package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// Issue 21, item 9: words. Counts by number, one name per control, one
// spelling per shortcut, captions that follow the Reveal button, and file
// names that keep the whole kid.

func TestCountsReadByNumber(t *testing.T) {
	_, mw := newTestWindow(t)
	g := mw.generate
	generate(t, g, func() { test.Tap(g.genBtn) })
	test.Tap(g.addBtn)
	if st := mw.sh.status.Text; !strings.HasSuffix(st, "(1 key in all).") {
		t.Errorf("Generate › Add to JWKS: %q", st)
	}
	mw.jwt.onSourceChanged()
	if l := labelsIn(t, mw.jwt.sourceBox); !slices.Contains(l, "The JWKS workspace (1 key).") {
		t.Errorf("JWT source %q", l)
	}
	mw.selectTab(tabPEM)
	p := mw.pem
	convertWait(t, p, func() { p.input.SetText(pemFixture(t, "ec-p384-pkcs8.pem")) })
	p.onAddToJWKS()
	if st := p.sh.status.Text; !strings.HasPrefix(st, "Added 1 key to the JWKS workspace (2 keys in all).") {
		t.Errorf("PEM / JWK › Add to JWKS: %q", st)
	}
	// A dropped pair of files: "1 more file".
	mw.onDropped(fyne.Position{}, []fyne.URI{storageURI(t, pemFixture(t, "ec-p384-pkcs8.pem")), storageURI(t, "x")})
	if st := mw.sh.status.Text; !strings.Contains(st, "(1 more file dropped") {
		t.Errorf("two files dropped: %q", st)
	}
	for _, n := range []int{1, 1023} {
		if s := sizeText(n); n == 1 && s != "1 byte" {
			t.Errorf("sizeText(1) = %q", s)
		}
	}
}

func labelsIn(t *testing.T, o fyne.CanvasObject) []string {
	t.Helper()
	var out []string
	walkTree(t, o, func(c fyne.CanvasObject) bool {
		if l, ok := c.(*widget.Label); ok {
			out = append(out, l.Text)
		}
		return true
	})
	return out
}

func storageURI(t *testing.T, content string) fyne.URI {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f.pem")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return storage.NewFileURI(path)
}

// "The pasted keys has kids": the kid line reads for any key source.
func TestKidLineReadsForEveryKeySource(t *testing.T) {
	_, _, jt, k1 := jwtWindow(t)
	pub, _ := keys.MarshalPublicJWK(k1)
	jt.sourceRadio.SetSelected(srcPasted)
	// A JWKS is a set (one key given directly is tried whatever the kid,
	// and its line says so instead).
	inspectWait(t, jt, func() { jt.keysEntry.SetText(`{"keys":[` + string(pub) + `]}`) })
	tok := signToken(t, ecKey(t, "k9"), map[string]any{"sub": "x"}, "k9")
	inspectWait(t, jt, func() { jt.tokenEntry.SetText(tok) })
	if strings.Contains(jt.kidLabel.Text, " has kids") || !strings.Contains(jt.kidLabel.Text, "Kids in the pasted keys: k1") {
		t.Errorf("kid line %q", jt.kidLabel.Text)
	}
}

// "Opened JWT … from the clipboard: JWT.": a routed paste says once what it
// was and where it went.
func TestRoutedPasteSaysWhatAndWhereOnce(t *testing.T) {
	_, mw := newTestWindow(t)
	tok := signToken(t, ecKey(t, "k1"), map[string]any{"sub": "x"}, "k1")
	set, _ := jwkText(t, keys.Spec{Kty: keys.KtyEC}, true)
	route := func(in, want string, wait func(func())) {
		t.Helper()
		wait(func() { mw.routeText(in, "the clipboard") })
		if got := mw.sh.status.Text; got != want {
			t.Errorf("status %q\nwant %q", got, want)
		}
	}
	route(tok, "Opened a JWT from the clipboard in the JWT tab.", func(f func()) { inspectWait(t, mw.jwt, f) })
	route(pemFixture(t, "ec-p256-spki.pem"), "Opened PEM text from the clipboard in the PEM / JWK tab.", func(f func()) { convertWait(t, mw.pem, f) })
	route(`{"keys":[`+set+`]}`, "Opened a JWKS from the clipboard in JWKS › Add keys: press Add to JWKS (Ctrl+Return) to add its keys.", func(f func()) { f() })
}

// One name per control: the three buttons that add to the workspace, the
// menu item and the messages that point at them all say "Add to JWKS".
func TestOneNameForAddToJWKS(t *testing.T) {
	_, mw := newTestWindow(t)
	for name, text := range map[string]string{"Generate": mw.generate.addBtn.Text, "PEM / JWK": mw.pem.addBtn.Text, "JWKS › Add keys": mw.jwks.pasteBtn.Text} {
		if !strings.HasPrefix(text, "Add to JWKS") {
			t.Errorf("%s button %q", name, text)
		}
	}
	var menu []string
	for _, s := range mw.shortcuts() {
		menu = append(menu, s.label)
	}
	if !slices.Contains(menu, "Add to JWKS") {
		t.Errorf("menu %v", menu)
	}
}

// One spelling per shortcut: the README's table, the shortcuts dialog (and
// menus) and the buttons agree ("Ctrl+Return", not "Ctrl+Enter" in one
// place and "Ctrl+Return" in another).
func TestShortcutsAreSpelledTheSameEverywhere(t *testing.T) {
	_, mw := newTestWindow(t)
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	inTable := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\| ([^|]+?) \| [^|]+ \|$`).FindAllStringSubmatch(string(readme), -1) {
		if m[1] != "Shortcut" && m[1] != "---" {
			inTable[m[1]] = true
		}
	}
	app := map[string]bool{}
	for _, s := range mw.shortcuts() {
		text := shortcutText(s)
		app[text] = true
		if s.mod == fyne.KeyModifierAlt {
			continue // one README row: Alt+1 … Alt+4
		}
		if !inTable[text] {
			t.Errorf("%s (%s › %s) is not in the README's table", text, s.menu, s.label)
		}
	}
	for text := range inTable {
		if text != "Alt+1 … Alt+4" && !app[text] {
			t.Errorf("the README lists %s, which the app does not have", text)
		}
	}
	// Buttons name their shortcut as the menu does.
	re := regexp.MustCompile(`\(((?:Ctrl|Cmd|Alt|Shift)\+[^)]*)\)`)
	for _, b := range []string{mw.generate.genBtn.Text, mw.jwks.pasteBtn.Text, findButton(t, mw.slots[tabPEM].content, "Open… (Ctrl+O)").Text} {
		for _, m := range re.FindAllStringSubmatch(b, -1) {
			if !app[m[1]] {
				t.Errorf("button %q names %s, which no menu item has", b, m[1])
			}
		}
	}
}

// After Reveal the caption no longer says the members are hidden.
func TestRevealCaptionFollowsTheButton(t *testing.T) {
	_, mw := newTestWindow(t)
	g := mw.generate
	generate(t, g, func() { test.Tap(g.genBtn) })
	for _, v := range []*outputView{g.privJWK, g.privPEM} {
		if !strings.Contains(v.caption.Text, "hidden until you press Reveal") {
			t.Errorf("%s before Reveal: %q", v.what, v.caption.Text)
		}
		test.Tap(v.revealBtn)
		if strings.Contains(v.caption.Text, "hidden") || !strings.Contains(v.caption.Text, "press Hide") {
			t.Errorf("%s after Reveal: %q", v.what, v.caption.Text)
		}
		test.Tap(v.revealBtn)
		if !strings.Contains(v.caption.Text, "hidden until you press Reveal") {
			t.Errorf("%s after Hide: %q", v.what, v.caption.Text)
		}
	}
}

// A saved file's name keeps the whole kid: an RFC 7638 thumbprint is 43
// characters (it was cut to 40).
func TestSavedFileNameKeepsTheWholeKid_RFC7638(t *testing.T) {
	_, mw := newTestWindow(t)
	g := mw.generate
	generate(t, g, func() { test.Tap(g.genBtn) })
	kid := currentKid(g)
	if len(kid) != 43 {
		t.Fatalf("kid %q is not a thumbprint", kid)
	}
	var names []string
	mw.sh.saveDialog = func(name string, _ func(string)) { names = append(names, name) }
	g.onSave(g.pubJWK)
	g.onSave(g.privJWK)
	for _, n := range names {
		if !strings.HasPrefix(n, kid+".") {
			t.Errorf("file name %q does not hold the kid %s", n, kid)
		}
	}
}
