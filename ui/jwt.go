package ui

import (
	"errors"
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/token"
)

// Preference keys of the JWT tab.
const (
	prefJWTSkew      = "jwt.skew_seconds"
	prefJWTSource    = "jwt.source"
	prefJWTSecretEnc = "jwt.secret_encoding"
)

// Key sources offered by the chooser.
const (
	srcWorkspace = "JWKS workspace"
	srcPasted    = "Pasted JWK / JWKS / PEM"
	srcSecret    = "HMAC secret"
)

// maxPastedKeys caps a pasted JWK, JWKS or PEM bundle: the engine's key cap.
const maxPastedKeys = input.MaxKeyInput

// inspectDebounce is how long typing pauses before a token is inspected; a
// paste is one change, so it is inspected at once after it.
const inspectDebounce = 120 * time.Millisecond

// jwtTab is the JWT tab: paste a token, see which kid it needs, whether a
// key verifies it and exactly why not; sign test tokens for the round trip.
type jwtTab struct {
	sh    *shell
	prefs fyne.Preferences

	tokenEntry  *cappedEntry
	tokenErr    *widget.Label
	cleaned     *widget.Label
	sourceRadio *widget.RadioGroup
	keysEntry   *cappedEntry
	keysErr     *widget.Label
	secretEntry *widget.Entry
	secretEnc   *widget.Select
	secretErr   *widget.Label
	skewEntry   *widget.Entry
	skewErr     *widget.Label
	sourceBox   *fyne.Container
	details     *fyne.Container
	left        *fyne.Container
	leftScroll  *container.Scroll // scrolled to the signed token after Sign
	signHint    *widget.Label

	bannerBg       *canvas.Rectangle
	bannerText     *widget.Label
	kidLabel       *widget.Label
	candidates     *widget.Label
	warnings       *widget.Label
	timesLabel     *widget.Label
	fetchIssuerBtn *widget.Button
	idLabel        *widget.Label
	lifetime       *lifetimeBar
	headerView     *outputView
	claimsView     *outputView
	reportView     *outputView
	plainView      *outputView // a JWE's plaintext
	jwe            jweInputs   // a JWE's shared secret, passphrase, RSA1_5 opt-in
	mk             makeInputs  // "Make a test token": encrypt and nest
	signKeySel     *widget.Select
	signClaims     *widget.Entry
	signKid        *widget.Entry
	signErr        *widget.Label
	signBtn        *widget.Button
	signedView     *outputView
	inspectBtn     *widget.Button
	presetBtns     []*widget.Button
	signKeys       map[string]jwk.Key
	wsSource       *token.KeySource // the workspace indexed once per change
	pasted         *pastedKeys
	report         *token.Report
	state          string    // the banner's state: a convert.State* or "" (no token)
	deb            debouncer // inspections run after a pause in typing
	now            func() time.Time
	// inspectFn inspects a token (convert.Inspect; tests force panics).
	inspectFn   func(string, token.KeySource, token.InspectOptions) (*token.Report, error)
	loadingPref bool
}

func newJWTTab(sh *shell) (*jwtTab, *container.TabItem) {
	t := &jwtTab{sh: sh, prefs: sh.app.Preferences(), deb: debouncer{delay: inspectDebounce}, now: time.Now, inspectFn: token.Inspect}
	item := container.NewTabItemWithIcon(jwtTabTitle, jwtTabIcon(), t.buildUI())
	sh.onWorkspaceChanged(t.onWorkspaceChanged)
	return t, item
}

// The JWT tab's title and icon (the window shows them before the tab is
// built).
const jwtTabTitle = "JWT"

func jwtTabIcon() fyne.Resource { return theme.VisibilityIcon() }

func (t *jwtTab) buildUI() fyne.CanvasObject {
	t.loadingPref = true
	defer func() { t.loadingPref = false }()
	t.tokenErr = dangerLabel()
	t.tokenEntry = newCappedEntry(input.MaxTokenSize, func(n int) {
		showErr(t.tokenErr, errors.New(tooBigMessage(n, input.MaxTokenSize, "a token", "Your text is unchanged; paste the token alone (a JWT is rarely over a few KiB).")))
	})
	// Past 16 KiB a token is held, not shown: drawing one unwrapped line of
	// 60 KiB took the real window 0.5 s a frame. Real tokens are far smaller.
	t.tokenEntry.holdAt = 16 << 10
	t.tokenEntry.SetPlaceHolder("Paste a JWT here (header.payload.signature), or an encrypted JWE (five parts). \"Bearer \", quotes and line breaks are ignored.")
	t.tokenEntry.SetMinRowsVisible(4)
	t.tokenEntry.OnChanged = func(string) { t.scheduleInspect() }
	t.cleaned = widget.NewLabel("")
	t.cleaned.Importance = widget.LowImportance
	t.cleaned.Wrapping = fyne.TextWrapWord
	t.cleaned.Hide()

	t.keysEntry = newCappedEntry(input.MaxKeyInput, func(n int) {
		showErr(t.keysErr, errors.New(tooBigMessage(n, input.MaxKeyInput, "keys and key sets", "Your text is unchanged; add the set to the JWKS tab (fetch it, or open it with Ctrl+O) and verify against the workspace.")))
	})
	t.keysEntry.SetPlaceHolder("Paste a JWK, a JWKS or a PEM public key / certificate (for a JWE: the private key)")
	t.keysEntry.SetMinRowsVisible(3)
	t.keysEntry.OnChanged = func(string) { t.scheduleInspect() }
	t.keysErr = dangerLabel()
	t.secretEntry = widget.NewPasswordEntry()
	t.secretEntry.SetPlaceHolder("HMAC secret")
	t.secretEntry.OnChanged = func(string) { t.scheduleInspect() }
	t.secretEnc = widget.NewSelect(token.SecretEncodings(), func(s string) {
		if !t.loadingPref {
			t.prefs.SetString(prefJWTSecretEnc, s)
		}
		t.scheduleInspect()
	})
	t.secretEnc.SetSelected(t.prefs.StringWithFallback(prefJWTSecretEnc, token.SecretText))
	t.secretErr = dangerLabel()
	t.skewEntry = widget.NewEntry()
	defSkew := strconv.Itoa(int(token.DefaultSkew / time.Second))
	hintDefault(t.skewEntry, defSkew, strconv.Itoa(t.prefs.IntWithFallback(prefJWTSkew, int(token.DefaultSkew/time.Second))))
	t.skewEntry.OnChanged = func(string) { t.onSkewChanged() }
	t.skewErr = dangerLabel()
	t.sourceBox = container.NewVBox()
	t.sourceRadio = widget.NewRadioGroup([]string{srcWorkspace, srcPasted, srcSecret}, func(s string) { t.onSourceChanged() })
	t.sourceRadio.Required = true // one source per row: side by side they made the tab 1,170 px wide
	t.sourceRadio.SetSelected(t.prefs.StringWithFallback(prefJWTSource, srcWorkspace))
	if t.sourceRadio.Selected == "" {
		t.sourceRadio.SetSelected(srcWorkspace)
	}

	t.bannerBg = canvas.NewRectangle(color.Transparent)
	t.bannerBg.CornerRadius = 4
	t.bannerText = widget.NewLabel("")
	t.bannerText.TextStyle = fyne.TextStyle{Bold: true}
	t.bannerText.Wrapping = fyne.TextWrapWord
	t.kidLabel = wrapLabel()
	t.candidates = wrapLabel()
	t.candidates.TextStyle = fyne.TextStyle{Monospace: true}
	t.warnings = wrapLabel()
	t.warnings.Importance = widget.WarningImportance
	t.timesLabel = wrapLabel()
	t.idLabel = wrapLabel()
	t.fetchIssuerBtn = widget.NewButtonWithIcon("Fetch issuer keys", theme.DownloadIcon(), t.onFetchIssuer)
	t.fetchIssuerBtn.Hide()
	t.lifetime = newLifetimeBar()
	t.headerView = newOutputView("header JSON", false, nil, t.onCopy, t.onSave)
	t.claimsView = newOutputView("claims JSON", false, nil, t.onCopy, t.onSave)
	t.reportView = newOutputView("inspection report", false, nil, t.onCopy, t.onSave)
	t.plainView = newOutputView("plaintext", false, nil, t.onCopy, t.onSave)

	t.left = container.NewVBox(
		widget.NewLabelWithStyle("Token", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		t.tokenEntry.View(), t.tokenErr, t.cleaned,
		widget.NewLabelWithStyle("Verify against (or decrypt with)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		t.sourceRadio, t.sourceBox, t.buildJWEInputs(),
		container.New(layout.NewFormLayout(), widget.NewLabel("Clock skew (s)"), t.skewEntry),
		t.skewErr,
		widget.NewSeparator(),
		t.buildSignPanel(),
	)
	banner := container.NewStack(t.bannerBg, container.NewPadded(container.NewBorder(nil, nil, nil, t.jwe.busy, t.bannerText)))
	// The verdict, the kid it needs and the candidate keys first: readable
	// without scrolling at the default size; the times after them.
	t.details = container.NewVBox(banner, t.kidLabel,
		widget.NewLabelWithStyle("Candidate keys", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), t.candidates,
		t.warnings, t.lifetime, t.timesLabel,
		container.NewBorder(nil, nil, nil, t.fetchIssuerBtn, t.idLabel))
	views := container.NewAppTabs(
		container.NewTabItem("Claims", t.claimsView.root),
		container.NewTabItem("Header", t.headerView.root),
		container.NewTabItem("Report", t.reportView.root),
		container.NewTabItem("Plaintext", t.plainView.root),
	)
	right := container.NewVSplit(container.NewVScroll(t.details), views)
	right.Offset = 0.62
	t.leftScroll = container.NewVScroll(container.NewPadded(t.left))
	split := container.NewHSplit(t.leftScroll, right)
	split.Offset = 0.42
	t.onSourceChanged()
	t.show(nil, nil)
	return split
}

func dangerLabel() *widget.Label {
	l := wrapLabel()
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

func wrapLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Selectable = true
	return l
}

// focus puts the cursor in the token entry (the tab's paste target).
func (t *jwtTab) focus() {
	// The window's canvas, not CanvasForObject: the real driver knows no
	// canvas for an entry whose tab has not been drawn yet.
	t.sh.win.Canvas().Focus(t.tokenEntry)
}

func (t *jwtTab) onSourceChanged() {
	if !t.loadingPref {
		t.prefs.SetString(prefJWTSource, t.sourceRadio.Selected)
	}
	t.sourceBox.RemoveAll()
	switch t.sourceRadio.Selected {
	case srcPasted:
		t.sourceBox.Add(t.keysEntry.View())
		t.sourceBox.Add(t.keysErr)
	case srcSecret:
		t.sourceBox.Add(container.NewBorder(nil, nil, nil, t.secretEnc, t.secretEntry))
		t.sourceBox.Add(widget.NewLabel("Encoding is what you say it is: never guessed."))
		t.sourceBox.Add(t.secretErr)
	default:
		t.sourceBox.Add(widget.NewLabel(fmt.Sprintf("The JWKS workspace (%s).", plural(t.sh.ws.Len(), "key", "keys"))))
	}
	t.scheduleInspect()
}

func (t *jwtTab) onSkewChanged() {
	if _, err := t.skew(); err != nil {
		showErr(t.skewErr, err)
		t.left.Refresh()
		return
	}
	showErr(t.skewErr, nil)
	s, _ := t.skew()
	t.prefs.SetInt(prefJWTSkew, int(s/time.Second))
	t.scheduleInspect()
}

func (t *jwtTab) skew() (time.Duration, error) {
	n, err := strconv.Atoi(valueOrHint(t.skewEntry))
	if err != nil || n < 0 || n > 86400 {
		return 0, fmt.Errorf("clock skew must be a whole number of seconds from 0 to 86400, such as 60")
	}
	return time.Duration(n) * time.Second, nil
}

func (t *jwtTab) onWorkspaceChanged() {
	t.wsSource = nil
	t.refreshSignKeys()
	if t.sourceRadio.Selected == srcWorkspace {
		t.onSourceChanged() // updates the key count too
	}
}

// keySource reads the chosen key source on the main goroutine. A mistake in
// it is shown next to its field; the token is still decoded.
func (t *jwtTab) keySource() token.KeySource {
	showErr(t.keysErr, nil)
	showErr(t.secretErr, nil)
	switch t.sourceRadio.Selected {
	case srcPasted:
		if t.pasted == nil || t.pasted.text != t.keysEntry.Value() {
			src, err := pastedSource(t.keysEntry.Value())
			t.pasted = &pastedKeys{text: t.keysEntry.Value(), src: src, err: err}
		}
		showErr(t.keysErr, t.pasted.err)
		return t.pasted.src
	case srcSecret:
		secret, err := token.DecodeSecret(t.secretEntry.Text, t.secretEnc.Selected)
		if err != nil {
			if t.secretEntry.Text != "" {
				showErr(t.secretErr, err)
			}
			return token.KeySource{Name: "HMAC secret", Secret: []byte{}}
		}
		return token.NewSecretSource(secret, t.secretEnc.Selected)
	}
	if t.wsSource == nil {
		s := token.NewKeySource("JWKS workspace", t.sh.ws.Keys()) // indexed by the first inspection's goroutine
		t.wsSource = &s
	}
	return *t.wsSource
}

// pastedKeys caches the pasted key source: parsed and indexed once per
// change of the text, not once per keystroke in the token.
type pastedKeys struct {
	text string
	src  token.KeySource
	err  error
}

func pastedSource(text string) (token.KeySource, error) {
	if strings.TrimSpace(text) == "" {
		return token.NewKeySource("pasted keys (none yet)", nil), nil
	}
	if len(text) > maxPastedKeys {
		return token.NewKeySource("pasted keys (too large)", nil), fmt.Errorf("the pasted keys are over %d KiB: paste the JWKS or key only", maxPastedKeys>>10)
	}
	src, notes, err := token.ReadKeySource([]byte(text), "pasted keys", "pasted key")
	if err != nil {
		return token.NewKeySource("pasted keys (unreadable)", nil), fmt.Errorf("%v: paste a JWK, a JWKS or a PEM public key", err)
	}
	if len(notes) > 0 { // a skipped key (the others are used: RFC 7517 §5), ignored text
		return src, errors.New(strings.Join(notes, "\n"))
	}
	return src, nil
}

// scheduleInspect inspects the token after a short pause in typing. The
// inputs are read now, on the main goroutine; Inspect runs off it and the
// result comes back in one fyne.Do (stale results are dropped).
func (t *jwtTab) scheduleInspect() {
	if t.tokenEntry == nil || t.sourceBox == nil || t.loadingPref {
		return
	}
	tok := t.tokenEntry.Value()
	src := t.keySource()
	skew, err := t.skew()
	if err != nil {
		skew = token.DefaultSkew
	}
	if strings.TrimSpace(tok) == "" {
		t.jwe.working(false)
		t.show(nil, nil) // nothing to inspect: no goroutine needed
		t.deb.cancel()
		return
	}
	inspect, opts := t.inspectFn, token.InspectOptions{Now: t.now(), Skew: skew}
	t.jwe.options(&opts)
	t.jwe.working(true) // until the newest inspection is shown (a PBES2 derivation takes a while)
	t.deb.schedule(func() func() {
		var r *token.Report
		ierr := recovered("inspecting the token", func() (err error) {
			r, err = inspect(tok, src, opts)
			return err
		})
		return func() {
			t.jwe.working(false)
			t.show(r, ierr)
		}
	})
}

// onFetchIssuer fetches the keys of the token's issuer through OIDC
// discovery in the JWKS tab — only because the user clicked.
func (t *jwtTab) onFetchIssuer() {
	if t.report == nil || t.report.Iss == "" || t.sh.fetchIssuer == nil {
		return
	}
	t.sh.fetchIssuer(t.report.Iss)
}

// --- copy, save and the shared shortcuts ---

func (t *jwtTab) onCopy(v *outputView) { t.sh.copy(v.content, v.what, false) }

func (t *jwtTab) onSave(v *outputView) {
	name := map[*outputView]string{t.headerView: "jwt-header.json", t.claimsView: "jwt-claims.json", t.reportView: "jwt-report.json", t.signedView: "token.jwt", t.plainView: "plaintext.txt"}[v]
	t.sh.save(name, v.what, []byte(v.content), false)
}

// copyMain copies the claims JSON (Ctrl+Shift+C).
func (t *jwtTab) copyMain() { t.sh.copy(t.claimsView.content, "claims JSON", false) }

// copyReport copies the inspection report JSON (Ctrl+Shift+R).
func (t *jwtTab) copyReport() { t.sh.copy(t.reportView.content, "inspection report", false) }

// saveCurrent saves the inspection report (Ctrl+S).
func (t *jwtTab) saveCurrent() { t.onSave(t.reportView) }
