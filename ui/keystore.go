package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// The private keystore (issue 19): the workspace's private keys kept
// between restarts as one passphrase-encrypted JWE beside the public state
// file (keyset.Keystore). Off by default; Settings turns it on. The
// passphrase lives in the Keystore's memory only.

// keystoreFileBeside is the keystore's path beside the public state file
// ("" when there is none: nothing is kept).
func keystoreFileBeside(stateFile string) string {
	if stateFile == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(stateFile), "jwks-private-keystore.jwe.json")
}

// newKeystore makes the window's keystore and attaches it to the store, so
// every save of the workspace saves it too (when unlocked).
func (mw *MainWindow) newKeystore(store *keyset.Store) {
	ks := keyset.NewKeystore(keystoreFileBeside(store.Path()), func(err error) {
		fyne.Do(func() { mw.sh.setStatus("Could not save the private keystore: " + err.Error()) })
	})
	if n := mw.sh.app.Preferences().Int(prefKeystoreP2C); n > 0 {
		if err := ks.SetCount(int64(n)); err != nil {
			mw.sh.setStatus("Preference " + prefKeystoreP2C + " ignored: " + err.Error())
		}
	}
	store.AttachKeystore(ks)
	mw.keystore = ks
}

// offerUnlock shows the unlock dialog at start when a keystore is there.
func (mw *MainWindow) offerUnlock() {
	if mw.keystore.Exists() {
		mw.unlock = mw.showUnlock(false)
	}
}

// keystoreOn says whether private keys are kept between restarts now.
func (mw *MainWindow) keystoreOn() bool { return mw.keystore != nil && mw.keystore.Unlocked() }

// unlockDialog asks for the keystore's passphrase at start (or from
// Settings). Exposed for tests.
type unlockDialog struct {
	d        *dialog.CustomDialog
	pass     *widget.Entry
	unlock   *widget.Button
	skip     *widget.Button
	busy     *widget.ProgressBarInfinite
	errLabel *widget.Label
	// then runs after an unlock's result is applied (Settings syncs);
	// done, when set (tests), after it.
	then func()
	done func()
}

// showUnlock shows the unlock dialog: "Unlock" derives off the UI
// goroutine behind a busy bar; a wrong passphrase says so and asks again;
// "Open without private keys" leaves the file as it is.
func (mw *MainWindow) showUnlock(fromSettings bool) *unlockDialog {
	u := &unlockDialog{pass: widget.NewPasswordEntry(), busy: widget.NewProgressBarInfinite(), errLabel: widget.NewLabel("")}
	u.pass.SetPlaceHolder("passphrase of the private keystore")
	u.errLabel.Importance = widget.DangerImportance
	u.errLabel.Wrapping = fyne.TextWrapWord
	u.errLabel.Hide()
	u.busy.Stop()
	u.busy.Hide()
	u.unlock = widget.NewButton("Unlock", func() { mw.onUnlock(u) })
	u.unlock.Importance = widget.HighImportance
	skipText := "Open without private keys"
	if fromSettings {
		skipText = "Cancel"
	}
	u.skip = widget.NewButton(skipText, func() {
		u.pass.SetText("")
		u.d.Hide()
		if !fromSettings {
			mw.sh.setStatus("Opened without private keys: the private keystore is kept as it is; unlock it in Settings.")
		}
	})
	u.pass.OnSubmitted = func(string) { mw.onUnlock(u) }
	intro := "The private keys of this workspace were kept encrypted with a passphrase. Enter it to have them back (deriving the key takes a second or so)."
	width := min(float32(460), mw.Window.Canvas().Size().Width-80)
	u.d = dialog.NewCustomWithoutButtons("Unlock private keys", atWidth(max(width, 260), textLabel(intro), u.pass, u.busy, u.errLabel), mw.Window)
	u.d.SetButtons([]fyne.CanvasObject{u.skip, u.unlock})
	u.d.Show()
	mw.Window.Canvas().Focus(u.pass)
	return u
}

// onUnlock runs the derivation in a goroutine; the result comes back in
// one fyne.Do.
func (mw *MainWindow) onUnlock(u *unlockDialog) {
	if u.unlock.Disabled() {
		return
	}
	if u.pass.Text == "" {
		u.showErr("Enter the passphrase, or open without private keys.")
		return
	}
	pass := []byte(u.pass.Text)
	u.unlock.Disable()
	u.skip.Disable()
	u.errLabel.Hide()
	u.busy.Show()
	u.busy.Start()
	ks := mw.keystore
	go func() {
		var list []jwk.Key
		var notes []string
		err := recovered("unlocking the private keystore", func() (err error) {
			list, notes, err = ks.Unlock(context.Background(), pass)
			return err
		})
		clear(pass)
		fyne.Do(func() {
			mw.unlocked(u, list, notes, err)
			if u.then != nil {
				u.then()
			}
			if u.done != nil {
				u.done()
			}
		})
	}()
}

func (u *unlockDialog) showErr(msg string) {
	u.errLabel.SetText(msg)
	u.errLabel.Show()
}

// unlocked applies an unlock's result.
func (mw *MainWindow) unlocked(u *unlockDialog, list []jwk.Key, notes []string, err error) {
	u.busy.Stop()
	u.busy.Hide()
	u.unlock.Enable()
	u.skip.Enable()
	var damaged *keyset.DamagedKeystoreError
	switch {
	case errors.Is(err, keys.ErrWrongPassphrase), errors.Is(err, keys.ErrNeedsPassphrase):
		u.pass.SetText("")
		u.showErr(sentence(err.Error()))
		mw.Window.Canvas().Focus(u.pass)
		return
	case errors.As(err, &damaged):
		u.pass.SetText("")
		u.d.Hide()
		mw.sh.setStatus(sentence(err.Error()) + ".")
		dialog.ShowInformation("Private keystore damaged", sentence(err.Error())+".", mw.Window)
		return
	case err != nil:
		u.showErr(sentence(err.Error()))
		return
	}
	u.pass.SetText("")
	u.d.Hide()
	res, err := mw.sh.ws.Add("keystore", list...)
	if err != nil {
		mw.sh.showError("adding the private keys", err)
		return
	}
	mw.sh.workspaceChanged()
	msg := fmt.Sprintf("Unlocked the private keystore: %s back (%d new, %d upgraded from public).", plural(len(list), "private key", "private keys"), res.Added, res.Upgraded)
	if len(notes) > 0 {
		msg += " " + sentence(notes[0]) + "."
	}
	mw.sh.setStatus(msg)
}

// enableKeystore asks for a new passphrase twice and turns the keystore on
// (or, when it is on, changes its passphrase): the first write derives off
// the UI goroutine.
func (mw *MainWindow) enableKeystore(change bool, done func()) *newPassDialog {
	title, intro, okText := "Keep private keys", "The private keys of the workspace will be kept between restarts, encrypted with this passphrase (PBES2-HS512+A256KW, 600,000 iterations). Without it they cannot be read back: JWK Desk keeps no copy of it.", "Keep them"
	if change {
		title, intro, okText = "Change passphrase", "The private keystore will be encrypted again with the new passphrase; the old one no longer opens it.", "Change"
	}
	return mw.sh.askNewPassphrase(title, intro, okText, func(pass []byte) {
		snap := mw.sh.ws.Clone()
		mw.sh.setStatus("Encrypting the private keys…")
		ks := mw.keystore
		go func() {
			err := recovered("writing the private keystore", func() error { return ks.Enable(pass, snap) })
			clear(pass)
			fyne.Do(func() {
				if err != nil {
					mw.sh.showError("writing the private keystore", err)
				} else if change {
					mw.sh.setStatus("Changed the passphrase of the private keystore.")
				} else {
					mw.sh.setStatus(fmt.Sprintf("Private keys are kept between restarts (%s now), encrypted with your passphrase.", plural(len(snap.Private()), "key", "keys")))
				}
				mw.sh.workspaceChanged() // keys changed meanwhile are saved too
				if done != nil {
					done()
				}
			})
		}()
	})
}

// forgetKeystore deletes the keystore after a confirmation.
func (mw *MainWindow) forgetKeystore(done func()) {
	mw.sh.ask("Forget private keys?",
		"The private keystore is deleted: the private keys stay in this window until you quit, then they are gone unless you export them (JWKS › Export private JWKS…).",
		"Forget them", "Cancel", func() {
			if err := mw.keystore.Forget(); err != nil {
				mw.sh.showError("deleting the private keystore", err)
			} else {
				mw.sh.setStatus("Forgot the private keystore: private keys are no longer kept between restarts.")
			}
			if done != nil {
				done()
			}
		})
}
