package ui

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// Read returns the clipboard's text (the system clipboard, or Fyne's where
// none can be read). Main goroutine only.
func (c *Clipboard) Read() (string, error) {
	text, err := c.primary.Read()
	if err != nil && c.fallback != nil {
		return c.fallback.Read()
	}
	return text, err
}

// ReadThen reads the clipboard and calls done with its text on the main
// goroutine. A backend that may be read off the main goroutine (the system
// clipboard: xclip takes ~40 ms to hand over a 1 MiB selection) is read in
// a goroutine meanwhile; Fyne's clipboard is read at once.
func (c *Clipboard) ReadThen(done func(string, error)) {
	if r, ok := c.primary.(interface{ readsOffMain() bool }); !ok || !r.readsOffMain() {
		done(c.Read())
		return
	}
	go func() {
		text, err := c.primary.Read()
		fyne.Do(func() {
			if err != nil && c.fallback != nil {
				text, err = c.fallback.Read()
			}
			done(text, err)
		})
	}()
}

// pasteAndRoute reads the clipboard and opens the tab that handles what it
// holds, filled in (Ctrl+Shift+V).
func (mw *MainWindow) pasteAndRoute() {
	mw.Clip.ReadThen(func(text string, err error) {
		if mw.afterRoute != nil {
			defer mw.afterRoute()
		}
		if err != nil {
			mw.sh.showError("reading the clipboard", err)
			return
		}
		mw.routeText(text, "the clipboard")
	})
}

// routeText opens the tab for text and fills it in. Nothing is fetched or
// verified on the user's behalf beyond what that tab does on a paste.
func (mw *MainWindow) routeText(text, origin string) {
	if len(text) > input.MaxKeyInput {
		mw.sh.setStatus(fmt.Sprintf("Nothing routed: %s holds %d KiB, over the %d KiB limit for keys, key sets and tokens.", origin, len(text)>>10, input.MaxKeyInput>>10))
		return
	}
	if info, err := encjwk.Inspect([]byte(strings.TrimSpace(text))); (err == nil || info.Alg != "") && info.Declared != encjwk.ContentUnknown {
		mw.sh.setStatus(fmt.Sprintf("Opened a passphrase-encrypted JWK from %s in the %s tab.", origin, mw.routeKey(text)))
		return // a key, not a token, whatever its five parts look like (issue 19)
	}
	kind := input.Classify(text)
	where := ""
	switch kind {
	case input.KindJWT, input.KindJWE:
		mw.selectTab(tabJWT)
		mw.jwt.tokenEntry.SetText(strings.TrimSpace(text))
		where = "the JWT tab"
	case input.KindJWKS:
		mw.selectTab(tabJWKS)
		selectInnerTab(mw.jwks.outTabs, "Add keys")
		mw.jwks.pasteEntry.SetText(text)
		where = "JWKS › Add keys: press Add to JWKS (" + keyLabel(fyne.KeyReturn) + ") to add its keys"
	case input.KindJWK, input.KindPEM, input.KindOpenSSH, input.KindDER:
		where = "the " + mw.routeKey(text) + " tab"
	case input.KindJWKSURL, input.KindDiscoveryURL:
		mw.selectTab(tabJWKS)
		selectInnerTab(mw.jwks.outTabs, "Fetch")
		mw.jwks.urlEntry.SetText(strings.TrimSpace(text))
		where = "JWKS › Fetch: nothing is fetched until you press Fetch JWKS or Discover issuer"
	default:
		mw.sh.setStatus(fmt.Sprintf("Nothing to route: %s holds no JWT, JWK, JWKS, PEM, OpenSSH key or JWKS URL.", origin))
		return
	}
	mw.sh.setStatus(fmt.Sprintf("Opened %s from %s in %s.", kindPhrase(kind), origin, where))
}

// routeKey sends a key (JWK, PEM, OpenSSH, DER) to the PEM / JWK tab.
func (mw *MainWindow) routeKey(text string) string {
	mw.selectTab(tabPEM)
	mw.pem.load(text)
	return "PEM / JWK"
}

// routeFile opens a file's content in the tab that reads it: a JWKS in the
// JWKS tab, a token in the JWT tab, anything else (PEM, DER, OpenSSH, JWK)
// in the PEM / JWK tab. Binary DER is shown as base64.
func (mw *MainWindow) routeFile(name string, data []byte) {
	if len(data) > input.MaxKeyInput {
		mw.refuseFile(name, &input.TooLargeError{What: name, Limit: input.MaxKeyInput})
		return
	}
	text := string(data)
	if !utf8.Valid(data) || len(data) > 0 && data[0] == 0x30 {
		text = base64.StdEncoding.EncodeToString(data)
	}
	switch input.Classify(text) {
	case input.KindJWKS, input.KindJWT, input.KindJWE:
		mw.routeText(text, name)
	default:
		mw.selectTab(tabPEM)
		mw.pem.load(text)
		mw.sh.setStatus("Opened " + name + " in the PEM / JWK tab.")
	}
}

// openFile asks for a key, certificate, JWKS or token file (Ctrl+O).
func (mw *MainWindow) openFile() {
	d := dialog.NewFileOpen(mw.onFileChosen, mw.Window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pem", ".crt", ".cer", ".key", ".der", ".pub", ".json", ".jwk", ".jwks", ".txt"}))
	d.Show()
}

// onFileChosen reads the file chosen in the open dialog through the
// engine's capped reader and routes it.
func (mw *MainWindow) onFileChosen(r fyne.URIReadCloser, err error) {
	if err != nil {
		mw.sh.showError("choosing a file", err)
		return
	}
	if r == nil {
		return // cancelled
	}
	defer r.Close()
	data, err := input.ReadCapped(r, input.MaxKeyInput, r.URI().Name())
	if err != nil {
		mw.refuseFile(r.URI().Name(), err)
		return
	}
	mw.routeFile(r.URI().Name(), data)
}

// refuseFile says why a file was not opened: over its cap on the status
// line (a user's choice, not a failure), anything else in a dialog.
func (mw *MainWindow) refuseFile(name string, err error) {
	if errors.Is(err, input.ErrTooLarge) {
		mw.sh.setStatus("Not opened: " + err.Error() + ".")
		return
	}
	mw.sh.showError("reading "+name, err)
}

// onDropped opens the first dropped file (drag and drop anywhere), read
// through the engine's capped reader.
func (mw *MainWindow) onDropped(_ fyne.Position, uris []fyne.URI) {
	if len(uris) == 0 {
		return
	}
	u := uris[0]
	data, err := input.ReadFileCapped(u.Path(), input.MaxKeyInput, u.Name())
	if err != nil {
		mw.refuseFile(u.Name(), err)
		return
	}
	mw.routeFile(u.Name(), data)
	if len(uris) > 1 {
		mw.sh.setStatus(mw.sh.status.Text + fmt.Sprintf(" (%s dropped: open them one at a time)", plural(len(uris)-1, "more file", "more files")))
	}
}

func selectInnerTab(tabs *container.AppTabs, text string) {
	for _, it := range tabs.Items {
		if it.Text == text {
			tabs.Select(it)
			return
		}
	}
}
