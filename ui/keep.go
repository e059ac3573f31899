package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// Work never vanishes without a word: a private key made in this window
// (generated, or by a rotation) exists nowhere else until it is saved. The
// ledger remembers which were made and which were saved; a new Generate over
// such a key, and Quit, ask first.

// privateLedger tracks the private keys made in this session, by identity.
type privateLedger struct {
	made  map[string]string // identity → what made it ("generated", "rotation")
	saved map[string]bool
}

// keyIdentity names a key for the ledger: its thumbprint, or for an oct
// secret (never hashed for display) its kid.
func keyIdentity(k jwk.Key) string {
	if k == nil {
		return ""
	}
	if _, isOct := k.(jwk.SymmetricKey); !isOct {
		if tp, err := keys.ThumbprintOf(k); err == nil && tp != "" {
			return tp
		}
	}
	kid, _ := k.KeyID() // a secret is never hashed, even in memory
	return "kid:" + kid
}

func (l *privateLedger) init() {
	if l.made == nil {
		l.made, l.saved = map[string]string{}, map[string]bool{}
	}
}

// made records a private key that exists only in this window.
func (s *shell) madePrivate(k jwk.Key, how string) {
	s.ledger.init()
	s.ledger.made[keyIdentity(k)] = how
}

// savedPrivate records private keys written to a file by the user.
func (s *shell) savedPrivate(list ...jwk.Key) {
	s.ledger.init()
	for _, k := range list {
		if keys.IsPrivate(k) {
			s.ledger.saved[keyIdentity(k)] = true
		}
	}
}

// unsaved reports whether k is a private key made here and not saved.
func (s *shell) unsaved(k jwk.Key) bool {
	if k == nil || !keys.IsPrivate(k) {
		return false
	}
	id := keyIdentity(k)
	_, made := s.ledger.made[id]
	return made && !s.ledger.saved[id]
}

// entryIdentity is keyIdentity from the thumbprint the workspace keeps.
func entryIdentity(e keyset.Entry) string {
	if e.Thumbprint != "" {
		return e.Thumbprint
	}
	kid, _ := e.Key.KeyID()
	return "kid:" + kid
}

// unsavedKeys lists the kids of the private keys that exist only in this
// window: in the workspace, or extra (the Generate tab's current key).
func (s *shell) unsavedKeys(extra ...jwk.Key) []string {
	var kids []string
	seen := map[string]bool{}
	add := func(k jwk.Key, id string) {
		_, made := s.ledger.made[id]
		if k == nil || !made || s.ledger.saved[id] || seen[id] || !keys.IsPrivate(k) {
			return
		}
		seen[id] = true
		kid, _ := k.KeyID()
		kids = append(kids, orNone(kid))
	}
	for _, e := range s.ws.Entries() {
		add(e.Key, entryIdentity(e))
	}
	for _, k := range extra {
		add(k, keyIdentity(k))
	}
	return kids
}

// unsavedOutsideWorkspace is unsavedKeys when the keystore keeps the
// workspace's private keys: only a key made here and not in the workspace
// (the Generate tab's current one) would be lost.
func (s *shell) unsavedOutsideWorkspace(extra ...jwk.Key) []string {
	var kids []string
	for _, k := range extra {
		if s.unsaved(k) && !s.inWorkspace(k) {
			kid, _ := k.KeyID()
			kids = append(kids, orNone(kid))
		}
	}
	return kids
}

// inWorkspace reports whether the workspace holds k (by identity).
func (s *shell) inWorkspace(k jwk.Key) bool {
	id := keyIdentity(k)
	for _, e := range s.ws.Entries() {
		if entryIdentity(e) == id {
			return true
		}
	}
	return false
}

// askDialog asks before an action that cannot be undone: message wraps at
// the dialog's width and no icon is drawn over it. ok names the action
// ("Quit anyway"), cancel what keeps the work.
func (s *shell) askDialog(title, message, ok, cancel string, onOK func()) {
	width := min(float32(460), s.win.Canvas().Size().Width-80)
	content := atWidth(max(width, 260), textLabel(message))
	d := dialog.NewCustomConfirm(title, ok, cancel, content, func(yes bool) {
		if yes {
			onOK()
		}
	}, s.win)
	d.Show()
}

// quit closes the window, after asking when private keys made here were
// not saved (Ctrl+Q, File › Quit, the window's close button).
func (mw *MainWindow) quit() {
	kids := mw.sh.unsavedKeys(mw.generate.currentKey())
	if mw.keystoreOn() { // the workspace's private keys are kept, encrypted
		kids = mw.sh.unsavedOutsideWorkspace(mw.generate.currentKey())
	}
	if len(kids) == 0 {
		mw.closeNow()
		return
	}
	mw.sh.ask("Quit and lose private keys?",
		fmt.Sprintf("%s made in this window %s saved anywhere: %s. Quitting loses %s. Save them first (Generate › Private JWK › Save…, or JWKS › Export private JWKS…).",
			plural(len(kids), "private key", "private keys"), isAre(len(kids), "is not", "are not"), strings.Join(firstN(kids, 5), ", "), itThem(len(kids))),
		"Quit anyway", "Cancel", mw.closeNow)
}

// closeNow clears private material we copied and closes the window.
func (mw *MainWindow) closeNow() {
	mw.Clip.ClearIfUnchanged()
	if mw.keystore != nil {
		mw.keystore.Wait() // the last change's keystore write (about 1 s)
	}
	if mw.closeWindow != nil {
		mw.closeWindow()
		return
	}
	mw.Window.Close()
}

// currentKey is the Generate tab's current private key (nil: none yet).
func (t *generateTab) currentKey() jwk.Key {
	if t.current == nil {
		return nil
	}
	return t.current.Private
}

// replacesUnkept reports whether generating now would replace a key made
// here that is neither in the workspace nor saved.
func (t *generateTab) replacesUnkept() bool {
	k := t.currentKey()
	return k != nil && t.sh.unsaved(k) && !t.sh.inWorkspace(k)
}

// askReplace asks before a new key replaces one that was not kept; on yes
// it generates. It reports whether the answer was yes before it returned.
func (t *generateTab) askReplace() (answered bool) {
	kid, _ := t.current.Private.KeyID()
	t.sh.ask("Replace the key you have not kept?",
		fmt.Sprintf("Key %s is neither in the JWKS nor saved: a new key replaces it, and its private half is gone for good. Add it to the JWKS (Ctrl+J) or save its private JWK first, or generate anyway.", orNone(kid)),
		"Generate anyway", "Keep it", func() {
			answered = true
			t.replaceOK = true
			t.onGenerate()
		})
	return answered
}

func isAre(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func itThem(n int) string { return isAre(n, "it", "them") }

// installQuit makes the window's close button ask like Quit does.
func (mw *MainWindow) installQuit() {
	mw.Window.SetCloseIntercept(mw.quit)
}
