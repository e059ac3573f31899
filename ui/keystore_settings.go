package ui

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// keystoreSettings is the Settings dialog's part for the private keystore:
// its controls act at once (each asks first), apart from the dialog's Save.
// Exposed for tests.
type keystoreSettings struct {
	keep    *widget.Check
	change  *widget.Button
	forget  *widget.Button
	syncing bool
	// passDlg and unlockDlg are the dialogs the controls opened last.
	passDlg   *newPassDialog
	unlockDlg *unlockDialog
	// done, when set (tests), runs when an action's result is applied.
	done func()
}

func (mw *MainWindow) newKeystoreSettings() *keystoreSettings {
	k := &keystoreSettings{}
	finished := func() {
		k.sync(mw)
		if k.done != nil {
			k.done()
		}
	}
	k.keep = widget.NewCheck("Keep private keys between restarts (encrypted with a passphrase)", func(on bool) {
		if k.syncing {
			return
		}
		k.sync(mw) // the box shows what is, until the dialog's answer
		switch {
		case !on:
			mw.forgetKeystore(finished)
		case mw.keystore.Exists():
			k.unlockDlg = mw.showUnlock(true)
			k.unlockDlg.then = finished
		default:
			k.passDlg = mw.enableKeystore(false, finished)
		}
	})
	k.change = widget.NewButton("Change passphrase…", func() { k.passDlg = mw.enableKeystore(true, finished) })
	k.forget = widget.NewButton("Forget private keys", func() { mw.forgetKeystore(finished) })
	k.sync(mw)
	return k
}

// sync shows the keystore's state.
func (k *keystoreSettings) sync(mw *MainWindow) {
	k.syncing = true
	k.keep.SetChecked(mw.keystoreOn())
	k.syncing = false
	setEnabled(k.change, mw.keystoreOn())
	setEnabled(k.forget, mw.keystore.Exists() || mw.keystoreOn())
	if mw.keystore.Path() == "" {
		k.keep.Disable()
	}
}

// formItem is the part as one row of the Settings form.
func (k *keystoreSettings) formItem() *widget.FormItem {
	return &widget.FormItem{Text: "Private keys", Widget: container.NewVBox(k.keep, container.NewHBox(k.change, k.forget)),
		HintText: "off: private keys live in this window only; on: kept encrypted on disk, unlocked at start. The passphrase is never stored."}
}
