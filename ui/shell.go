package ui

import (
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// shell is what every tab shares: the window, the clipboard, the status
// line, saving and error reporting.
type shell struct {
	app    fyne.App
	win    fyne.Window
	clip   *Clipboard
	status *widget.Label
	// ws is the shared workspace (the key set being assembled). Main
	// goroutine only; call workspaceChanged after changing it.
	ws          *keyset.Workspace
	wsListeners []func()
	// fetchIssuer discovers an issuer's keys in the JWKS tab; set by the window.
	fetchIssuer func(issuer string)
	// openFile asks for a file and routes it to the tab that reads it
	// (Ctrl+O); set by the window.
	openFile func()
	// saveDialog asks for a path to save to; tests replace it.
	saveDialog func(defaultName string, onPath func(path string))

	// ask confirms an action that cannot be undone (askDialog; tests
	// replace it): onOK runs only if the user chose ok.
	ask func(title, message, ok, cancel string, onOK func())
	// askExport asks how private keys are saved (export.go): onChoice gets
	// the passphrase, nil for plaintext; lastExport is its last dialog.
	askExport  func(what string, onChoice func(pass []byte))
	lastExport *privateExportDialog
	// ledger knows the private keys made in this window and which were saved.
	ledger privateLedger
	// currentTab is the tab in front (set by the window); tabStatus holds
	// each tab's last status message.
	currentTab func() int
	tabStatus  map[int]string
}

// setStatus shows msg in the status line, as the message of the tab in
// front: another tab shows its own last message when it is brought to
// the front (showTabStatus), not this one.
func (s *shell) setStatus(msg string) {
	s.status.SetText(msg)
	if s.currentTab != nil {
		s.statusOf()[s.currentTab()] = msg
	}
}

// setStatusFor records msg as tab i's message and shows it if tab i is in
// front: work that finishes after the user moved to another tab.
func (s *shell) setStatusFor(i int, msg string) {
	if s.currentTab == nil || s.currentTab() == i {
		s.setStatus(msg)
		return
	}
	s.statusOf()[i] = msg
}

// showTabStatus shows tab i's last message (or the opening one).
func (s *shell) showTabStatus(i int) {
	msg, ok := s.statusOf()[i]
	if !ok {
		msg = readyStatus
	}
	s.status.SetText(msg)
}

func (s *shell) statusOf() map[int]string {
	if s.tabStatus == nil {
		s.tabStatus = map[int]string{}
	}
	return s.tabStatus
}

// readyStatus is the status line before anything happened.
const readyStatus = "Ready. Nothing leaves this machine unless you ask."

// onWorkspaceChanged registers a function called (on the main goroutine)
// after any change to the workspace.
func (s *shell) onWorkspaceChanged(f func()) { s.wsListeners = append(s.wsListeners, f) }

// workspaceChanged tells every tab that the workspace changed.
func (s *shell) workspaceChanged() {
	for _, f := range s.wsListeners {
		f()
	}
}

// showError reports an unexpected failure. Call it on the main goroutine
// (from goroutines, inside fyne.Do).
func (s *shell) showError(doing string, err error) {
	s.setStatus("Error while " + doing + ": " + err.Error())
	dialog.ShowError(fmt.Errorf("%s: %w", doing, err), s.win)
}

// copy puts text on the clipboard and says what was copied and, for private
// material, when the clipboard will be cleared.
func (s *shell) copy(text, what string, private bool) {
	if text == "" {
		s.setStatus("Nothing to copy yet: generate or paste something first")
		return
	}
	d, err := s.clip.Copy(text, private)
	if err != nil {
		s.showError("copying the "+what, err)
		return
	}
	if private {
		s.setStatus(fmt.Sprintf("Copied the %s. The clipboard will be cleared in %s if it still holds it.", what, d.Round(time.Second)))
		return
	}
	s.setStatus("Copied the " + what + ".")
}

// save asks where to save data and writes it atomically: 0600 for private
// material, 0644 otherwise.
func (s *shell) save(defaultName, what string, data []byte, private bool) {
	if len(data) == 0 {
		s.setStatus("Nothing to save yet: generate or paste something first")
		return
	}
	s.saveDialog(defaultName, func(path string) {
		s.saveTo(path, what, data, private)
	})
}

func (s *shell) saveTo(path, what string, data []byte, private bool) {
	s.writeTo(path, what, data, private)
}

// writeTo writes data atomically and says so; it reports whether it did.
func (s *shell) writeTo(path, what string, data []byte, private bool) bool {
	perm := os.FileMode(0o644)
	if private {
		perm = 0o600
	}
	if err := keyset.WriteFileAtomic(path, data, perm); err != nil {
		s.showError("saving the "+what, err)
		return false
	}
	s.setStatus(fmt.Sprintf("Saved the %s to %s (mode %04o).", what, path, perm))
	return true
}

// saveKeys saves private key material (mode 0600) like save, and once it
// is written records keys as saved: they no longer exist only in memory.
func (s *shell) saveKeys(defaultName, what string, data []byte, keys ...jwk.Key) {
	if len(data) == 0 {
		s.setStatus("Nothing to save yet: generate or paste something first")
		return
	}
	s.saveDialog(defaultName, func(path string) {
		if s.writeTo(path, what, data, true) {
			s.savedPrivate(keys...)
		}
	})
}

// fyneSaveDialog is the real save dialog. The dialog creates the file
// (world-readable) when the user confirms; it is closed at once, empty, and
// replaced by the atomic, correctly-moded write.
func (s *shell) fyneSaveDialog(defaultName string, onPath func(string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			s.showError("choosing where to save", err)
			return
		}
		if w == nil {
			return // cancelled
		}
		path := w.URI().Path()
		_ = w.Close()
		onPath(path)
	}, s.win)
	d.SetFileName(defaultName)
	d.Show()
}

// maxFileKid is how much of a kid a file name keeps: all of any real kid
// (a thumbprint is 43 characters, a UUID 36), within the 255 bytes of a
// file name with its extension.
const maxFileKid = 200

// fileSafe turns a kid into a file name part.
func fileSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
	if len(s) > maxFileKid {
		s = s[:maxFileKid]
	}
	if s == "" {
		return "key"
	}
	return s
}
