package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// convertDebounce is the pause in typing after which the input is converted.
const convertDebounce = 300 * time.Millisecond

const (
	kidKeep   = "auto"
	kidCustom = "custom"
	keepValue = "(keep)"
)

// pemTab is the PEM ⇄ JWK tab: paste (or open, or drop) any key or
// certificate and get its JWK; paste a JWK or JWKS and get PEM.
type pemTab struct {
	sh *shell

	input     *cappedEntry
	inputErr  *widget.Label
	passRow   *fyne.Container
	pass      *passEntry
	passErr   *widget.Label
	kidSel    *widget.Select
	kidEntry  *widget.Entry
	useSel    *widget.Select
	algSel    *widget.Select
	optErr    *widget.Label
	found     *widget.Label
	warnings  *widget.Label
	addBtn    *widget.Button
	outTabs   *container.AppTabs
	pubPEMSel *widget.Select
	prvPEMSel *widget.Select

	pubJWK, privJWK, pubPEM, privPEM, details *outputView

	parsed   *keys.ParseResult // the last successful parse
	keys     []jwk.Key         // parsed keys with the options applied
	rendered *pemOutputs       // their outputs

	// fillingOpts is true while the option lists are refilled (their
	// callbacks stay quiet).
	fillingOpts bool

	deb debouncer // conversions run after a pause in typing
	// parseFn reads the input (convert.Parse; tests force failures).
	parseFn func([]byte, keys.ParseOptions) (*keys.ParseResult, error)
	// decryptBtn is disabled, and deriving shown, while a key is derived
	// from the passphrase.
	decryptBtn *widget.Button
	deriving   *widget.Label
	// memo runs one parse at a time and keeps the last for option changes.
	memo parseMemo
	// usedPass is the passphrase in use: the field's text when last
	// submitted (Enter or Decrypt).
	usedPass string
}

func newPEMTab(sh *shell) (*pemTab, *container.TabItem) {
	t := &pemTab{sh: sh, deb: debouncer{delay: convertDebounce}, parseFn: keys.Parse}
	return t, container.NewTabItemWithIcon(pemTabTitle, pemTabIcon(), t.buildUI())
}

// The PEM / JWK tab's title and icon (the window shows them before the tab
// is built).
const pemTabTitle = "PEM / JWK"

func pemTabIcon() fyne.Resource { return theme.DocumentIcon() }

func (t *pemTab) buildUI() fyne.CanvasObject {
	t.fillingOpts = true // the option callbacks wait for the whole tab
	defer func() { t.fillingOpts = false }()
	t.inputErr = dangerLabel()
	t.input = newCappedEntry(input.MaxKeyInput, func(n int) {
		t.inputErr.SetText(tooBigMessage(n, input.MaxKeyInput, "keys and certificates", "Your text is unchanged; open a file with Ctrl+O, or paste one key or certificate at a time."))
		t.inputErr.Show()
	})
	t.input.TextStyle = fyne.TextStyle{Monospace: true}
	t.input.heldBtn.Hide() // the tab's own Clear is just above
	t.input.SetPlaceHolder("Paste a PEM key or certificate chain, base64 DER, an OpenSSH public key,\na JWK or a JWKS — or open (Ctrl+O) or drop a file.")
	t.input.OnChanged = func(string) { t.scheduleConvert() }
	t.pass = newPassEntry(func(n int) {
		showErr(t.passErr, errors.New(tooBigMessage(n, input.MaxPassphrase, "a passphrase", "The passphrase is one line of text.")))
	})
	t.pass.SetPlaceHolder("passphrase")
	t.pass.OnSubmitted = func(string) { t.submitPassphrase() }
	t.passErr = dangerLabel()
	t.decryptBtn = widget.NewButtonWithIcon("Decrypt", theme.ConfirmIcon(), t.submitPassphrase)
	t.passRow = container.NewBorder(nil, t.passErr, widget.NewLabel("Passphrase"), t.decryptBtn, t.pass)
	t.passRow.Hide()
	t.deriving = wrapLabel()
	t.deriving.Hide()

	t.kidEntry = widget.NewEntry()
	t.kidEntry.SetPlaceHolder("custom kid")
	t.kidEntry.OnChanged = func(string) { t.onOptions() }
	t.kidEntry.Disable()
	t.kidSel = widget.NewSelect([]string{kidKeep, kidCustom}, func(string) { t.onOptions() })
	t.kidSel.SetSelected(kidKeep)
	t.useSel = widget.NewSelect([]string{keepValue, keys.UseSig, keys.UseEnc}, func(string) { t.onOptions() })
	t.useSel.SetSelected(keepValue)
	t.algSel = widget.NewSelect([]string{keepValue}, func(string) { t.onOptions() })
	t.algSel.SetSelected(keepValue)
	t.optErr = dangerLabel()
	options := container.New(layout.NewFormLayout(),
		widget.NewLabel("Key ID"), container.NewBorder(nil, nil, t.kidSel, nil, t.kidEntry),
		widget.NewLabel("Use"), t.useSel,
		widget.NewLabel("Algorithm"), t.algSel,
	)
	open := widget.NewButtonWithIcon("Open… (Ctrl+O)", theme.FolderOpenIcon(), func() { t.sh.openFile() })
	clear := widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), func() { t.input.SetText(""); t.resetOptions() })
	left := container.NewBorder(
		container.NewVBox(widget.NewLabelWithStyle("Input", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), container.NewHBox(open, clear)),
		container.NewVBox(t.inputErr, t.passRow, t.deriving, widget.NewSeparator(), options, t.optErr),
		nil, nil, t.input.View())

	t.found = widget.NewLabel("Nothing converted yet.")
	t.found.Wrapping = fyne.TextWrapWord
	t.found.Selectable = true
	t.warnings = widget.NewLabel("")
	t.warnings.Importance = widget.WarningImportance
	t.warnings.Wrapping = fyne.TextWrapWord
	t.warnings.Hide()
	t.addBtn = widget.NewButtonWithIcon("Add to JWKS", theme.ContentAddIcon(), t.onAddToJWKS)
	t.addBtn.Disable()

	t.pubJWK = newOutputView("public JWK", false, nil, t.onCopy, t.onSave)
	t.privJWK = newOutputView("private JWK", true, maskJWK, t.onCopy, t.onSave)
	t.pubPEM = newOutputView("public PEM", false, nil, t.onCopy, t.onSave)
	t.privPEM = newOutputView("private PEM", true, maskPEM, t.onCopy, t.onSave)
	t.details = newOutputView("thumbprints", false, nil, t.onCopy, t.onSave)
	t.pubPEMSel = widget.NewSelect([]string{"SPKI", "PKCS#1"}, func(string) { t.showPEM() })
	t.pubPEMSel.SetSelected("SPKI")
	t.prvPEMSel = widget.NewSelect([]string{"PKCS#8", "PKCS#1", "SEC1"}, func(string) { t.showPEM() })
	t.prvPEMSel.SetSelected("PKCS#8")
	t.pubPEM.toolbar.Add(t.pubPEMSel)
	t.privPEM.toolbar.Add(t.prvPEMSel)
	t.outTabs = container.NewAppTabs(
		container.NewTabItem("Public JWK", t.pubJWK.root),
		container.NewTabItem("Private JWK", t.privJWK.root),
		container.NewTabItem("Public PEM", t.pubPEM.root),
		container.NewTabItem("Private PEM", t.privPEM.root),
		container.NewTabItem("Thumbprint", t.details.root),
	)
	t.clearOutputs("Nothing converted yet.")
	right := container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, nil, t.addBtn, t.found), t.warnings),
		nil, nil, nil, t.outTabs)
	split := container.NewHSplit(container.NewPadded(left), right)
	split.Offset = 0.5 // a 64-character PEM line fits at the default size
	return split
}

// load puts text into the input (opened or dropped files, paste-and-route).
func (t *pemTab) load(text string) { t.input.SetText(text) }

// scheduleConvert converts the input after a pause in typing, off the UI
// thread; the result comes back in one fyne.Do, stale results dropped. The
// input is never changed. The parse goes through memo: the same input and
// passphrase are not parsed (nor their keys derived) again for an option
// change, and a parse of another one supersedes the last.
func (t *pemTab) scheduleConvert() {
	text := t.input.Value()
	pass := t.usedPass
	opts := t.keyOptions()
	pubFmt, privFmt := pemFormatByName(t.pubPEMSel.Selected), pemFormatByName(t.prvPEMSel.Selected)
	if strings.TrimSpace(text) == "" {
		t.parsed, t.keys, t.rendered = nil, nil, nil
		showErr(t.inputErr, nil)
		t.passRow.Hide()
		t.clearOutputs("Nothing converted yet.")
		t.deb.cancel()
		t.memo.forget()
		t.doneDeriving()
		return
	}
	parse := func(ctx context.Context) (*keys.ParseResult, error) {
		return t.parseFn([]byte(text), keys.ParseOptions{Passphrase: []byte(pass), Context: ctx, OnDerive: t.onDerive})
	}
	t.deb.schedule(func() func() {
		var res *keys.ParseResult
		var keys []jwk.Key
		var optErr error
		var out *pemOutputs
		err := recovered("converting the input", func() (err error) {
			res, err = t.memo.parse(text, pass, parse)
			if err == nil {
				keys, optErr = applyOptions(res.Keys(), fitOptions(res.Keys(), opts))
			}
			if err == nil && optErr == nil {
				out = renderOutputs(keys, pubFmt, privFmt)
			}
			return err
		})
		return func() { t.show(res, keys, err, optErr, out) }
	})
}

func applyOptions(list []jwk.Key, o keys.KeyOptions) ([]jwk.Key, error) {
	out := make([]jwk.Key, 0, len(list))
	for _, k := range list {
		if len(list) > 1 && o.Kid != "" {
			o.Kid = "" // one custom kid cannot name several keys
		}
		k2, err := keys.ApplyKeyOptions(k, o)
		if err != nil {
			return nil, err
		}
		out = append(out, k2)
	}
	return out, nil
}

func (t *pemTab) keyOptions() keys.KeyOptions {
	var o keys.KeyOptions
	if t.kidSel.Selected == kidCustom {
		o.Kid = strings.TrimSpace(t.kidEntry.Text)
	}
	if t.useSel.Selected != keepValue {
		o.Use = t.useSel.Selected
	}
	if t.algSel.Selected != keepValue && t.algSel.Selected != "" {
		o.Alg = t.algSel.Selected
	}
	return o
}

// onOptions re-evaluates from the input whenever an option changes, even
// after a refusal: the lists offer what fits, and the input is converted
// again with the new kid, use or alg from the parse the memo kept (no new
// key derivation). A choice made while the first conversion runs counts.
func (t *pemTab) onOptions() {
	if t.fillingOpts {
		return
	}
	setEnabled(t.kidEntry, t.kidSel.Selected == kidCustom)
	t.noteDropped(t.fillOptionLists())
	if strings.TrimSpace(t.input.Value()) != "" {
		t.scheduleConvert()
	}
}

// noteDropped says that a choice went back to (keep) because it no longer
// fits.
func (t *pemTab) noteDropped(dropped string) {
	if dropped != "" {
		t.sh.setStatus(dropped + " does not fit this key: set back to " + keepValue + ".")
	}
}

// show applies a conversion result. Errors go next to the field they
// concern; the input text stays as the user left it.
func (t *pemTab) show(res *keys.ParseResult, list []jwk.Key, err, optErr error, out *pemOutputs) {
	t.doneDeriving()
	needPass := errors.Is(err, keys.ErrNeedsPassphrase) || errors.Is(err, keys.ErrWrongPassphrase) || errors.Is(err, input.ErrPassphraseTooLong)
	if needPass || t.usedPass != "" && err == nil && strings.Contains(labels(res), "decrypted") {
		t.passRow.Show()
	}
	showErr(t.passErr, nil)
	showErr(t.inputErr, nil)
	showErr(t.optErr, nil)
	switch {
	case errors.Is(err, keys.ErrNeedsPassphrase):
		t.passRow.Show()
		showErr(t.inputErr, fmt.Errorf("%w: enter its passphrase below", err))
		t.sh.win.Canvas().Focus(t.pass)
	case errors.Is(err, keys.ErrWrongPassphrase), errors.Is(err, input.ErrPassphraseTooLong):
		showErr(t.passErr, err)
	case err != nil:
		showErr(t.inputErr, err)
	}
	if err != nil {
		t.parsed, t.keys, t.rendered = nil, nil, nil
		t.clearOutputs("No result: see the message under the input.")
		return
	}
	t.parsed = res
	t.noteDropped(t.fillOptionLists()) // what fitOptions left out of the conversion
	if optErr != nil {
		showErr(t.optErr, optErr)
		t.keys, t.rendered = nil, nil
		t.clearOutputs("No result: see the message under the options.")
		return
	}
	t.keys = list
	t.found.SetText(res.Summary + ":\n• " + labels(res))
	var warns []string
	for _, it := range res.Items {
		warns = append(warns, it.Warnings...)
	}
	warns = append(warns, res.Warnings...)
	if len(warns) > 0 {
		t.warnings.SetText("⚠ " + strings.Join(warns, "\n⚠ "))
		t.warnings.Show()
	} else {
		t.warnings.Hide()
	}
	t.showOutputs(out)
}

func labels(res *keys.ParseResult) string {
	if res == nil {
		return ""
	}
	var l []string
	for i, it := range res.Items {
		if i == maxLabels && len(res.Items) > maxLabels+1 {
			l = append(l, fmt.Sprintf("… and %d more", len(res.Items)-i))
			break
		}
		l = append(l, it.Label+tokenHint(it, res.Summary))
	}
	return strings.Join(l, "\n• ")
}

// tokenHint says where a JWT pasted as a key is read.
func tokenHint(it keys.Item, summary string) string {
	if it.Kind == keys.ItemToken && summary == "JWT" {
		return ": the JWT tab inspects it"
	}
	return ""
}

// maxLabels is how many items the found list names: a 380-certificate
// bundle listed whole made the window taller than the screen.
const maxLabels = 8

func (t *pemTab) clearOutputs(note string) {
	for _, v := range []*outputView{t.pubJWK, t.privJWK, t.pubPEM, t.privPEM, t.details} {
		v.set("", note)
	}
	t.found.SetText(note)
	t.warnings.Hide()
	t.addBtn.Disable()
}

// pemOutputs is every output of a conversion, rendered off the UI thread:
// for a bundle of hundreds of certificates the JSON and PEM take ~100 ms.
type pemOutputs struct {
	keys                  int
	pub, priv             []byte // JWK (one key) or JWKS
	pubErr                error
	private               bool
	details               string
	pubPEM, privPEM       []byte
	pubPEMFmt             keys.PEMFormat
	privPEMFmt            keys.PEMFormat
	pubPEMErr, privPEMErr error
}

func renderOutputs(list []jwk.Key, pubFmt, privFmt keys.PEMFormat) *pemOutputs {
	o := &pemOutputs{keys: len(list), pubPEMFmt: pubFmt, privPEMFmt: privFmt}
	if len(list) == 1 {
		o.pub, o.pubErr = keys.MarshalPublicJWK(list[0])
		o.priv, _ = keys.MarshalJWK(list[0])
	} else {
		o.pub, o.pubErr = keys.MarshalPublicJWKS(list...)
		o.priv, _ = keys.ExportPrivateJWKS(list)
	}
	var b strings.Builder
	for _, k := range list {
		if keys.IsPrivate(k) {
			o.private = true
		}
		kid, _ := k.KeyID()
		// The engine refuses a secret's thumbprint (its canonical JSON is
		// the secret): nothing derived from it reaches this public view.
		switch tp, err := keys.ComputeThumbprint(k); {
		case err == nil:
			fmt.Fprintf(&b, "kid %s\nRFC 7638 SHA-256 thumbprint: %s\nCanonical JSON hashed: %s\n\n", kid, tp.Value, tp.Canonical)
		case errors.Is(err, keys.ErrSecretThumbprint):
			fmt.Fprintf(&b, "kid %s: an oct secret: no thumbprint is shown, since it would be a hash of the secret and its canonical JSON the secret itself\n\n", kid)
		default:
			fmt.Fprintf(&b, "kid %s: no thumbprint: %v\n\n", kid, err)
		}
	}
	o.details = b.String()
	o.renderPEM(list)
	return o
}

func (o *pemOutputs) renderPEM(list []jwk.Key) {
	o.pubPEM, o.pubPEMErr = keys.ExportPEMBundle(list, o.pubPEMFmt, true)
	if o.private {
		o.privPEM, o.privPEMErr = keys.ExportPEMBundle(list, o.privPEMFmt, false)
	}
}

func (t *pemTab) showOutputs(o *pemOutputs) {
	t.addBtn.Enable()
	switch {
	case o.pubErr != nil:
		t.pubJWK.set("", o.pubErr.Error())
	case o.keys == 1:
		t.pubJWK.set(string(o.pub), "Public JWK: safe to publish. Copy with Ctrl+Shift+C.")
	default:
		t.pubJWK.set(string(o.pub), fmt.Sprintf("Public JWKS of the %s.", plural(o.keys, "key", "keys")))
	}
	if o.private {
		t.privJWK.set(string(o.priv), "Private JWK: keep it secret.")
	} else {
		t.privJWK.set("", "The input holds public keys only.")
	}
	t.details.set(o.details, "Thumbprints and the canonical JSON that was hashed.")
	t.rendered = o
	t.setPEM(o)
}

// showPEM shows the PEM in the chosen flavours (a flavour was chosen).
func (t *pemTab) showPEM() {
	if len(t.keys) == 0 || t.rendered == nil {
		return
	}
	o := *t.rendered
	o.pubPEMFmt, o.privPEMFmt = pemFormatByName(t.pubPEMSel.Selected), pemFormatByName(t.prvPEMSel.Selected)
	o.renderPEM(t.keys)
	t.setPEM(&o)
}

func (t *pemTab) setPEM(o *pemOutputs) {
	if o.pubPEMErr != nil {
		t.pubPEM.set("", o.pubPEMErr.Error())
	} else {
		t.pubPEM.set(strings.TrimPrefix(string(o.pubPEM), commentLine(o.pubPEM)), "Public PEM, "+strings.TrimPrefix(strings.TrimSpace(commentLine(o.pubPEM)), "# "))
	}
	if !o.private {
		t.privPEM.set("", "The input holds public keys only.")
		return
	}
	if o.privPEMErr != nil {
		t.privPEM.set("", o.privPEMErr.Error())
		return
	}
	t.privPEM.set(strings.TrimPrefix(string(o.privPEM), commentLine(o.privPEM)), "Private PEM, "+strings.TrimPrefix(strings.TrimSpace(commentLine(o.privPEM)), "# "))
}

// commentLine is the "# kid: … — flavour" line before a single key's PEM:
// for one key it becomes the caption; several keys keep theirs inline.
func commentLine(b []byte) string {
	s := string(b)
	if strings.Count(s, "-----BEGIN ") != 1 || !strings.HasPrefix(s, "# ") {
		return ""
	}
	return s[:strings.IndexByte(s, '\n')+1]
}

func (t *pemTab) onCopy(v *outputView) { t.sh.copy(v.content, v.what, v.private) }

func (t *pemTab) onSave(v *outputView) {
	name := "key"
	if len(t.keys) == 1 {
		kid, _ := t.keys[0].KeyID()
		name = fileSafe(kid)
	}
	ext := map[string]string{
		"public JWK": ".public.jwk.json", "private JWK": ".private.jwk.json",
		"public PEM": ".public.pem", "private PEM": ".private.pem", "thumbprints": ".thumbprint.txt",
	}[v.what]
	t.sh.save(name+ext, v.what, []byte(v.content), v.private)
}

func (t *pemTab) onAddToJWKS() {
	if len(t.keys) == 0 {
		t.sh.setStatus("Nothing to add yet: paste a key first.")
		return
	}
	res, err := t.sh.ws.Add("PEM / JWK tab", t.keys...)
	if err != nil {
		t.sh.showError("adding the keys to the JWKS", err)
		return
	}
	if res.Added > 0 {
		t.sh.workspaceChanged()
	}
	msg := fmt.Sprintf("Added %s to the JWKS workspace (%s in all).", plural(res.Added, "key", "keys"), plural(t.sh.ws.Len(), "key", "keys"))
	if len(res.Duplicates) > 0 {
		msg += fmt.Sprintf(" Already there (same thumbprint): %s.", strings.Join(res.Duplicates, ", "))
	}
	t.sh.setStatus(msg)
}

func (t *pemTab) copyMain() {
	if t.pubJWK.content == "" {
		t.sh.setStatus("Nothing to copy yet: paste a key or certificate first.")
		return
	}
	t.onCopy(t.pubJWK)
}

func (t *pemTab) saveCurrent() {
	views := []*outputView{t.pubJWK, t.privJWK, t.pubPEM, t.privPEM, t.details}
	i := t.outTabs.SelectedIndex()
	if i < 0 || i >= len(views) || views[i].content == "" {
		t.sh.setStatus("Nothing to save yet: paste a key or certificate first.")
		return
	}
	t.onSave(views[i])
}
