package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// Issue 21, item 2: work that vanishes without a word.

// askRecorder answers every question with *yes and remembers them.
type askRecorder struct {
	asked []string
	yes   bool
}

func (r *askRecorder) install(mw *MainWindow) {
	mw.sh.ask = func(title, message, ok, cancel string, onOK func()) {
		r.asked = append(r.asked, title+" | "+message+" | "+ok+" / "+cancel)
		if r.yes {
			onOK()
		}
	}
}

func (r *askRecorder) take() []string { a := r.asked; r.asked = nil; return a }

func saveInto(mw *MainWindow, dir string) {
	mw.sh.saveDialog = func(name string, onPath func(string)) { onPath(filepath.Join(dir, name)) }
}

func currentKid(g *generateTab) string {
	kid, _ := g.current.Private.KeyID()
	return kid
}

// A second Generate over a key that is neither in the JWKS nor saved asks;
// "Keep it" keeps it. Added (Ctrl+J) or saved, a key is not asked about.
// RFC 7518 §3.2's oct secrets are siblings: their only form is private.
func TestGenerateAsksBeforeReplacingAKeyNotKept(t *testing.T) {
	_, mw := newTestWindow(t)
	g := mw.generate
	r := &askRecorder{}
	r.install(mw)
	generate(t, g, func() { test.Tap(g.genBtn) })
	if a := r.take(); len(a) != 0 {
		t.Fatalf("the first key asked: %v", a)
	}
	first := currentKid(g)

	generate(t, g, func() { test.Tap(g.genBtn) }) // answered "Keep it"
	a := r.take()
	if len(a) != 1 || !strings.Contains(a[0], "Key "+first+" is neither in the JWKS nor saved") || !strings.HasSuffix(a[0], "Generate anyway / Keep it") {
		t.Fatalf("asked %v", a)
	}
	if currentKid(g) != first {
		t.Fatal("the unkept key was replaced although the user kept it")
	}
	r.yes = true
	generate(t, g, func() { mw.generateNow() }) // Ctrl+G asks the same
	if len(r.take()) != 1 || currentKid(g) == first {
		t.Fatal("Generate anyway did not replace the key")
	}

	// Added to the JWKS: kept, so no question.
	mw.addToJWKS()
	generate(t, g, func() { test.Tap(g.genBtn) })
	if a := r.take(); len(a) != 0 {
		t.Errorf("a key in the JWKS was asked about: %v", a)
	}
	// Saved (private JWK): kept too.
	saveInto(mw, t.TempDir())
	g.onSave(g.privJWK)
	generate(t, g, func() { test.Tap(g.genBtn) })
	if a := r.take(); len(a) != 0 {
		t.Errorf("a saved key was asked about: %v", a)
	}
	// Saved as public only: the private half is still only here.
	g.onSave(g.pubJWK)
	generate(t, g, func() { test.Tap(g.genBtn) })
	if a := r.take(); len(a) != 1 {
		t.Errorf("a key saved public only was not asked about: %v", a)
	}
	// An oct secret (RFC 7518 §3.2), whose private JWK is its only form.
	choose(g, keys.KtyOct, "256", keys.UseSig)
	generate(t, g, func() { test.Tap(g.genBtn) })
	r.take()
	generate(t, g, func() { test.Tap(g.genBtn) })
	if a := r.take(); len(a) != 1 {
		t.Errorf("an unkept oct secret was replaced without a word: %v", a)
	}
}

func twoKeyWorkspace(t *testing.T, mw *MainWindow) (k1, k2 string) {
	t.Helper()
	a, err := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "current"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := keys.Generate(keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP384, KidStrategy: keys.KidCustom, CustomKid: "prepared"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mw.sh.ws.Add("test", a.Private, b.Private); err != nil {
		t.Fatal(err)
	}
	mw.sh.workspaceChanged()
	return "current", "prepared"
}

// RFC 7517 §4.5: a rotation publishes the next key ahead of use. Rotate
// asks first, switches to the key the user marked next (nothing generated),
// and says what it did.
func TestRotateConfirmsAndUsesTheKeyMarkedNext_RFC7517(t *testing.T) {
	_, mw := newTestWindow(t)
	j := mw.jwks
	r := &askRecorder{}
	r.install(mw)
	var shown []rotationSummary
	j.showRotation = func(s rotationSummary) { shown = append(shown, s) }
	twoKeyWorkspace(t, mw)
	j.list.Select(1)
	j.noteSel.SetSelected(keyset.NoteNext)

	wait(t, &j.afterRotate, func() { test.Tap(j.rotateBtn) }) // answered Cancel
	a := r.take()
	if len(a) != 1 || !strings.Contains(a[0], "Key 2 (kid prepared), which you marked next, moves first and takes over; key 1 (kid current) is marked retiring. No key is generated") {
		t.Fatalf("asked %v", a)
	}
	if es := mw.sh.ws.Entries(); es[0].Note != "" || es[1].Note != keyset.NoteNext {
		t.Fatal("Cancel rotated anyway")
	}
	r.yes = true
	wait(t, &j.afterRotate, func() { test.Tap(j.rotateBtn) })
	es := mw.sh.ws.Entries()
	if len(es) != 2 || j.rows[0].title != "prepared" || es[0].Note != keyset.NoteNext || j.rows[1].title != "current" || es[1].Note != keyset.NoteRetiring {
		t.Fatalf("after the rotation: %+v", j.rows)
	}
	if len(shown) != 1 || shown[0].key != nil || !strings.Contains(shown[0].text, "Key prepared is now first, marked next, and key current is marked retiring") {
		t.Errorf("summary %+v", shown)
	}
	if mw.sh.status.Text != "Rotated: prepared moved first (next), current marked retiring." {
		t.Errorf("status %q", mw.sh.status.Text)
	}
}

// Two keys marked next: lint flags both and Rotate says why it will not.
func TestTwoKeysMarkedNextAreFlaggedAndNotRotated(t *testing.T) {
	_, mw := newTestWindow(t)
	j := mw.jwks
	r := &askRecorder{yes: true}
	r.install(mw)
	twoKeyWorkspace(t, mw)
	for _, i := range []int{0, 1} {
		j.list.Select(i)
		j.noteSel.SetSelected(keyset.NoteNext)
	}
	for i := range 2 {
		if b := rowBadge(t, j, i); !strings.HasPrefix(b, "⚠") {
			t.Errorf("key %d badge %q", i+1, b)
		}
	}
	j.list.Select(0)
	if !strings.Contains(j.findings.Text, "keys 1 and 2 are all marked next") {
		t.Errorf("findings %q", j.findings.Text)
	}
	wait(t, &j.afterRotate, func() { test.Tap(j.rotateBtn) })
	if len(r.take()) != 0 || mw.sh.status.Text != "Keys 1 and 2 are all marked next: a rotation switches to one key; clear the mark on all but one." {
		t.Errorf("status %q", mw.sh.status.Text)
	}
}

// A rotation that generates offers the new private key: saved from the
// dialog (mode 0600) it no longer counts as held only in memory.
func TestRotateOffersTheNewPrivateKey(t *testing.T) {
	_, mw := newTestWindow(t)
	j := mw.jwks
	var shown []rotationSummary
	j.showRotation = func(s rotationSummary) { shown = append(shown, s) }
	g, err := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "only"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mw.sh.ws.Add("pasted", g.Public); err != nil {
		t.Fatal(err)
	}
	mw.sh.workspaceChanged()
	wait(t, &j.afterRotate, func() { test.Tap(j.rotateBtn) })
	if len(shown) != 1 || shown[0].key == nil || !strings.Contains(string(shown[0].private), `"d":`) {
		t.Fatalf("no private key offered: %+v", shown)
	}
	newKid, _ := shown[0].key.KeyID()
	if kids := mw.sh.unsavedKeys(); len(kids) != 1 || kids[0] != newKid {
		t.Errorf("unsaved keys %v, want the new one", kids)
	}
	// The dialog's Save button writes it 0600.
	dir := t.TempDir()
	saveInto(mw, dir)
	j.rotationDialog(shown[0])
	overlay := mw.Window.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("no dialog")
	}
	test.Tap(findButton(t, overlay, "Save private JWK…"))
	info, err := os.Stat(filepath.Join(dir, fileSafe(newKid)+".private.jwk.json"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("saved file: %v %v", info, err)
	}
	if kids := mw.sh.unsavedKeys(); len(kids) != 0 {
		t.Errorf("still unsaved after Save: %v", kids)
	}
	_ = findButton(t, overlay, "Copy private JWK")
}

// Quit (Ctrl+Q, File › Quit, the close button) asks while private keys made
// here exist only in memory, and names them.
func TestQuitAsksWhilePrivateKeysAreOnlyInMemory(t *testing.T) {
	_, mw := newTestWindow(t)
	r := &askRecorder{}
	r.install(mw)
	closed := 0
	mw.closeWindow = func() { closed++ }
	var quit *fyne.MenuItem
	for _, it := range mw.Window.MainMenu().Items[0].Items {
		if it.IsQuit {
			quit = it
		}
	}
	if quit == nil || quit.Shortcut == nil || shortcutText(shortcut{key: quit.Shortcut.(interface{ Key() fyne.KeyName }).Key(), mod: fyne.KeyModifierShortcutDefault}) != "Ctrl+Q" {
		t.Fatalf("File › Quit with Ctrl+Q missing: %+v", quit)
	}
	g := mw.generate
	generate(t, g, func() { test.Tap(g.genBtn) })
	kid := currentKid(g)
	quit.Action() // answered Cancel
	a := r.take()
	if len(a) != 1 || !strings.Contains(a[0], "1 private key made in this window is not saved anywhere: "+kid+". Quitting loses it.") || closed != 0 {
		t.Fatalf("asked %v, closed %d", a, closed)
	}
	// In the workspace it is still only in memory (the workspace keeps
	// private keys in memory only).
	mw.addToJWKS()
	mw.quit()
	if len(r.take()) != 1 || closed != 0 {
		t.Fatal("a private key in the workspace was lost without a word")
	}
	r.yes = true
	mw.quit()
	if closed != 1 {
		t.Fatal("Quit anyway did not close")
	}
}

// Nothing unsaved: Quit closes at once.
func TestQuitWithNothingUnsavedCloses(t *testing.T) {
	_, mw := newTestWindow(t)
	r := &askRecorder{}
	r.install(mw)
	closed := 0
	mw.closeWindow = func() { closed++ }
	mw.quit()
	if len(r.asked) != 0 || closed != 1 {
		t.Errorf("asked %v closed %d", r.asked, closed)
	}
}
