package ui

import (
	"encoding/json"
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
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
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
	t.tokenEntry.SetPlaceHolder("Paste a JWT here (header.payload.signature). \"Bearer \", quotes and line breaks are ignored.")
	t.tokenEntry.SetMinRowsVisible(4)
	t.tokenEntry.OnChanged = func(string) { t.scheduleInspect() }
	t.cleaned = widget.NewLabel("")
	t.cleaned.Importance = widget.LowImportance
	t.cleaned.Wrapping = fyne.TextWrapWord
	t.cleaned.Hide()

	t.keysEntry = newCappedEntry(input.MaxKeyInput, func(n int) {
		showErr(t.keysErr, errors.New(tooBigMessage(n, input.MaxKeyInput, "keys and key sets", "Your text is unchanged; add the set to the JWKS tab (fetch it, or open it with Ctrl+O) and verify against the workspace.")))
	})
	t.keysEntry.SetPlaceHolder("Paste a JWK, a JWKS or a PEM public key / certificate")
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

	t.left = container.NewVBox(
		widget.NewLabelWithStyle("Token", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		t.tokenEntry.View(), t.tokenErr, t.cleaned,
		widget.NewLabelWithStyle("Verify against", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		t.sourceRadio, t.sourceBox,
		container.New(layout.NewFormLayout(), widget.NewLabel("Clock skew (s)"), t.skewEntry),
		t.skewErr,
		widget.NewSeparator(),
		t.buildSignPanel(),
	)
	banner := container.NewStack(t.bannerBg, container.NewPadded(t.bannerText))
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
		t.show(nil, nil) // nothing to inspect: no goroutine needed
		t.deb.cancel()
		return
	}
	inspect, now := t.inspectFn, t.now()
	t.deb.schedule(func() func() {
		var r *token.Report
		ierr := recovered("inspecting the token", func() (err error) {
			r, err = inspect(tok, src, token.InspectOptions{Now: now, Skew: skew})
			return err
		})
		return func() { t.show(r, ierr) }
	})
}

// show fills the views from a report; an error is shown next to the token
// entry, whose text is left exactly as it is.
func (t *jwtTab) show(r *token.Report, err error) {
	t.report = r
	showErr(t.tokenErr, err)
	if r == nil {
		msg := "Paste a token to inspect it."
		if err != nil {
			msg = "Not a token: see the message under the entry."
		}
		t.setBanner("", msg)
		for _, l := range []*widget.Label{t.kidLabel, t.candidates, t.warnings, t.timesLabel, t.idLabel} {
			l.SetText("")
		}
		t.cleaned.Hide()
		t.fetchIssuerBtn.Hide()
		t.lifetime.set(nil, "No token yet.")
		t.headerView.set("", "No token yet.")
		t.claimsView.set("", "No token yet.")
		t.reportView.set("", "No token yet.")
		t.relayout()
		return
	}
	if len(r.Cleaned) > 0 {
		t.cleaned.SetText("Inspected the token without what surrounded it: " + strings.Join(r.Cleaned, ", ") + ". The text above is left as pasted.")
		t.cleaned.Show()
	} else {
		t.cleaned.Hide()
	}
	t.setBanner(bannerOf(r))
	t.kidLabel.SetText(kidLine(r))
	t.candidates.SetText(candidateLines(r))
	t.warnings.SetText(strings.Join(r.Warnings, "\n"))
	t.timesLabel.SetText(timeLines(r))
	t.idLabel.SetText(idLine(r))
	if _, err := keyset.CheckFetchURL(r.Iss); r.Iss != "" && err == nil {
		t.fetchIssuerBtn.Show()
	} else {
		t.fetchIssuerBtn.Hide()
	}
	t.lifetime.set(lifetimeOf(r), "No iat, nbf or exp in this token.")
	hnote := "Protected header, as the token wrote it."
	if r.HeaderCut != "" {
		hnote = "Cut: " + r.HeaderCut + "."
	}
	t.headerView.set(r.HeaderJSON(), hnote)
	note := "Claims, as the token wrote them."
	switch {
	case r.PayloadText != "":
		note = "The payload is not JSON: shown as text."
	case r.ClaimsCut != "":
		note = "Cut: " + r.ClaimsCut + "."
	}
	t.claimsView.set(r.ClaimsJSON(), note)
	if out, err := r.JSON(); err == nil {
		t.reportView.set(string(out), "The inspection report (the same JSON as jwkdesk inspect). Ctrl+Shift+R copies it.")
	}
	t.relayout()
}

// relayout lays both columns out again: labels changed height, error
// labels appeared or went.
func (t *jwtTab) relayout() {
	t.details.Refresh()
	t.left.Refresh()
}

func (t *jwtTab) setBanner(state, text string) {
	t.state = state
	name := theme.ColorNameDisabled
	switch state {
	case token.StateVerified:
		name = theme.ColorNameSuccess
	case token.StateExpired, token.StateNotYetValid:
		name = theme.ColorNameWarning
	case token.StateNotVerified, token.StateEncrypted:
		name = theme.ColorNameError
	}
	c := theme.Current().Color(name, fyne.CurrentApp().Settings().ThemeVariant())
	r, g, b, _ := c.RGBA()
	t.bannerBg.FillColor = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x66}
	t.bannerBg.Refresh()
	t.bannerText.SetText(text)
}

func kidLine(r *token.Report) string {
	need := "The token names no kid: every key that fits " + r.Alg + " is tried."
	if r.HasKid {
		need = fmt.Sprintf("The token needs kid %q with alg %s.", r.Kid, r.Alg)
	}
	if r.IsJWE {
		return need
	}
	if r.DirectKey {
		return need + "\nThe " + r.KeySource + " is the one key you chose: it is tried whatever kid the token names."
	}
	kids := "none"
	if len(r.SetKids) > 0 {
		shown := r.SetKids
		more := ""
		if len(shown) > 20 {
			shown, more = shown[:20], fmt.Sprintf(" … and %d more", len(r.SetKids)-20)
		}
		kids = strings.Join(shown, ", ") + more
	}
	return need + "\nKids in the " + r.KeySource + ": " + kids // "The pasted keys has kids"
}

func candidateLines(r *token.Report) string {
	if len(r.Candidates) == 0 {
		return "No key was considered."
	}
	var b strings.Builder
	for _, c := range r.Candidates {
		mark := "✗"
		if c.Verified {
			mark = "✓"
		} else if c.Matches {
			mark = "≈"
		}
		kid := c.Kid
		if kid == "" {
			kid = "(no kid)"
		}
		fmt.Fprintf(&b, "%s %s [%s", mark, kid, c.Kty)
		if c.Alg != "" {
			fmt.Fprintf(&b, " %s", c.Alg)
		}
		b.WriteString("]")
		if c.Thumbprint != "" {
			fmt.Fprintf(&b, " %s…", c.Thumbprint[:min(12, len(c.Thumbprint))])
		}
		fmt.Fprintf(&b, "\n    %s\n", c.Outcome)
	}
	return strings.TrimRight(b.String(), "\n")
}

func timeLines(r *token.Report) string {
	var lines []string
	for _, tc := range r.Times {
		line := fmt.Sprintf("%s %s", tc.Name, tc.Raw)
		if tc.UTC != "" {
			line += fmt.Sprintf(" = %s · %s\n    local time %s", tc.UTC, tc.Relative, tc.Local)
		}
		if tc.Warning != "" {
			line += "\n    warning: " + tc.Warning
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 && !r.IsJWE {
		return "No time claims (exp, nbf, iat, auth_time)."
	}
	return strings.Join(lines, "\n")
}

// onFetchIssuer fetches the keys of the token's issuer through OIDC
// discovery in the JWKS tab — only because the user clicked.
func (t *jwtTab) onFetchIssuer() {
	if t.report == nil || t.report.Iss == "" || t.sh.fetchIssuer == nil {
		return
	}
	t.sh.fetchIssuer(t.report.Iss)
}

func idLine(r *token.Report) string {
	var parts []string
	if r.Iss != "" {
		parts = append(parts, "iss "+r.Iss)
	}
	if r.Sub != "" {
		parts = append(parts, "sub "+r.Sub)
	}
	if len(r.Aud) > 0 {
		parts = append(parts, "aud "+strings.Join(r.Aud, ", "))
	}
	return strings.Join(parts, " · ")
}

func lifetimeOf(r *token.Report) *lifetime {
	lt := &lifetime{now: r.Now, state: r.State}
	for _, tc := range r.Times {
		at, ok := tc.Time() // a date past year 9999 (or before year 1) is not drawn
		if !ok {
			continue
		}
		switch tc.Name {
		case "iat":
			lt.iat = &at
		case "nbf":
			lt.nbf = &at
		case "exp":
			lt.exp = &at
		}
	}
	if lt.iat == nil && lt.nbf == nil && lt.exp == nil {
		return nil
	}
	return lt
}

// --- the Sign panel ---

func (t *jwtTab) buildSignPanel() fyne.CanvasObject {
	t.signKeySel = widget.NewSelect(nil, func(string) { t.onSignKeyChanged() })
	t.signKeySel.PlaceHolder = "Private key from the workspace"
	t.signClaims = widget.NewMultiLineEntry()
	t.signClaims.SetMinRowsVisible(4)
	now := time.Now().Unix()
	t.signClaims.SetText(fmt.Sprintf("{\n  \"sub\": \"test-user\",\n  \"iat\": %d,\n  \"exp\": %d\n}", now, now+3600))
	t.signKid = widget.NewEntry()
	t.signKid.SetPlaceHolder("header kid (empty: none)")
	t.signErr = dangerLabel()
	t.signHint = wrapLabel()
	t.signHint.Importance = widget.LowImportance
	t.signBtn = widget.NewButtonWithIcon("Sign", theme.ConfirmIcon(), t.onSign)
	t.signedView = newInlineOutputView("signed token", t.onCopy, t.onSave)
	t.signedView.set("", "A new token appears here; the token above is never altered.")
	t.inspectBtn = widget.NewButtonWithIcon("Inspect this token", theme.SearchIcon(), t.onInspectSigned)
	t.inspectBtn.Disable()
	t.signedView.toolbar.Add(t.inspectBtn)
	t.presetBtns = []*widget.Button{
		widget.NewButton("iat = now", func() { t.onPreset("iat", 0) }),
		widget.NewButton("exp +1 h", func() { t.onPreset("exp", time.Hour) }),
		widget.NewButton("exp +1 d", func() { t.onPreset("exp", 24*time.Hour) }),
	}
	t.refreshSignKeys()
	return container.NewVBox(
		widget.NewLabelWithStyle("Sign a test token", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.New(layout.NewFormLayout(),
			widget.NewLabel("Key"), t.signKeySel,
			widget.NewLabel("Header kid"), t.signKid,
		),
		t.signHint,
		container.NewHBox(t.presetBtns[0], t.presetBtns[1], t.presetBtns[2]),
		t.signClaims,
		t.signErr,
		t.signBtn,
		t.signedView.root,
	)
}

// refreshSignKeys offers the workspace's private keys.
func (t *jwtTab) refreshSignKeys() {
	t.signKeys = map[string]jwk.Key{}
	var opts []string
	for i, k := range t.sh.ws.Keys() {
		if !keys.IsPrivate(k) {
			continue
		}
		kid, _ := k.KeyID()
		alg, err := token.SignAlg(k)
		if err != nil {
			continue // an encryption key cannot sign
		}
		label := fmt.Sprintf("%d. %s (%s %s)", i+1, kid, k.KeyType(), alg)
		t.signKeys[label] = k
		opts = append(opts, label)
	}
	t.signKeySel.Options = opts
	if _, ok := t.signKeys[t.signKeySel.Selected]; !ok {
		t.signKeySel.ClearSelected()
		if len(opts) > 0 {
			t.signKeySel.SetSelected(opts[len(opts)-1])
		}
	}
	t.signKeySel.Refresh()
	if len(opts) == 0 {
		t.signBtn.Disable()
		t.signKeySel.PlaceHolder = "(no private signing key)"
		t.signHint.SetText("The workspace holds no private signing key: generate one and press Add to JWKS (Ctrl+J).")
		t.signHint.Show()
	} else {
		t.signBtn.Enable()
		t.signHint.Hide()
	}
}

func (t *jwtTab) onSignKeyChanged() {
	if k, ok := t.signKeys[t.signKeySel.Selected]; ok {
		kid, _ := k.KeyID()
		t.signKid.SetText(kid)
	}
}

// onPreset sets a time claim in the claims JSON (now + d). The claims must
// be a JSON object; the entry is left alone otherwise.
func (t *jwtTab) onPreset(name string, d time.Duration) {
	var claims map[string]any
	dec := json.NewDecoder(strings.NewReader(t.signClaims.Text))
	dec.UseNumber()
	if err := dec.Decode(&claims); err != nil || claims == nil {
		showErr(t.signErr, fmt.Errorf("the claims are not a JSON object, so %s cannot be set: fix them first", name))
		t.left.Refresh()
		return
	}
	claims[name] = t.now().Add(d).Unix()
	out, _ := json.MarshalIndent(claims, "", "  ")
	showErr(t.signErr, nil)
	t.signClaims.SetText(string(out))
}

func (t *jwtTab) onSign() {
	key, ok := t.signKeys[t.signKeySel.Selected]
	if !ok {
		showErr(t.signErr, fmt.Errorf("choose a private key to sign with"))
		return
	}
	tok, err := token.Sign(key, []byte(t.signClaims.Text), strings.TrimSpace(t.signKid.Text))
	showErr(t.signErr, err)
	t.left.Refresh()
	if err != nil {
		t.sh.setStatus("Cannot sign: " + err.Error())
		return
	}
	t.signedView.set(tok, "A new token, signed with "+t.signKeySel.Selected+". The token above is left as it was.")
	t.inspectBtn.Enable()
	t.showSigned()
	t.sh.setStatus("Signed a test token. Press \"Inspect this token\" to verify it.")
}

// onInspectSigned puts the signed token in the token entry: the only way
// the tab ever writes there, and only on the user's click.
func (t *jwtTab) onInspectSigned() {
	if t.signedView.content != "" {
		t.tokenEntry.SetText(t.signedView.content)
	}
}

// --- copy, save and the shared shortcuts ---

func (t *jwtTab) onCopy(v *outputView) { t.sh.copy(v.content, v.what, false) }

func (t *jwtTab) onSave(v *outputView) {
	name := map[*outputView]string{t.headerView: "jwt-header.json", t.claimsView: "jwt-claims.json", t.reportView: "jwt-report.json", t.signedView: "token.jwt"}[v]
	t.sh.save(name, v.what, []byte(v.content), false)
}

// copyMain copies the claims JSON (Ctrl+Shift+C).
func (t *jwtTab) copyMain() { t.sh.copy(t.claimsView.content, "claims JSON", false) }

// copyReport copies the inspection report JSON (Ctrl+Shift+R).
func (t *jwtTab) copyReport() { t.sh.copy(t.reportView.content, "inspection report", false) }

// saveCurrent saves the inspection report (Ctrl+S).
func (t *jwtTab) saveCurrent() { t.onSave(t.reportView) }
