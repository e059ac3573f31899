package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// generateTab is the Generate tab: choose a key shape, generate it off the UI
// thread, show and export its forms.
type generateTab struct {
	sh    *shell
	prefs fyne.Preferences

	ktySel     *widget.Select
	shapeLabel *widget.Label
	shapeSel   *widget.Select
	useRadio   *widget.RadioGroup
	algSel     *widget.Select
	kidSel     *widget.Select
	customKid  *widget.Entry
	certCheck  *widget.Check
	certCN     *widget.Entry
	certDays   *widget.Entry
	errLabel   *widget.Label
	genBtn     *widget.Button
	addBtn     *widget.Button
	// busy says generation is under way and for how long. Not an animated
	// spinner: under software GL (Xvfb, VMs) every animation frame repaints
	// the whole window, and with key generation loading the CPU those
	// frames stalled the window by up to 350 ms.
	busy *widget.Label
	// tick is how often busy's elapsed time is updated (0: never; tests).
	tick       time.Duration
	thumbLabel *widget.Label

	pubJWK, privJWK, pubPEM, privPEM, jwks, details *outputView
	pubPEMFormat, privPEMFormat                     *widget.Select
	outTabs                                         *container.AppTabs
	outArea                                         *fyne.Container // a hint, then outTabs from the first key on

	current    *keys.Generated
	generating bool
	// generateFn generates a key (convert.Generate; tests force failures).
	generateFn func(keys.Spec) (*keys.Generated, error)
	loading    bool // true while widgets are filled from preferences
	// afterGenerate, when set (tests), runs at the end of the final fyne.Do
	// of a generation, success or failure.
	afterGenerate func()

	// replaceOK is set once the user agreed that the next key replaces one
	// that was not kept (askReplace).
	replaceOK bool

	// afterExport, when set (tests), runs after an encrypted save.
	afterExport func()
}

func newGenerateTab(sh *shell) (*generateTab, *container.TabItem) {
	t := &generateTab{sh: sh, prefs: sh.app.Preferences(), generateFn: keys.Generate, tick: 250 * time.Millisecond}
	return t, container.NewTabItemWithIcon("Generate", theme.ContentAddIcon(), t.buildUI())
}

func (t *generateTab) buildUI() fyne.CanvasObject {
	t.loading = true
	defer func() { t.loading = false }()

	t.ktySel = widget.NewSelect(keys.KeyTypes(), func(string) { t.onKtyChanged() })
	t.shapeLabel = widget.NewLabel("Size")
	t.shapeSel = widget.NewSelect(nil, func(string) { t.onShapeChanged() })
	t.useRadio = widget.NewRadioGroup([]string{keys.UseSig, keys.UseEnc}, func(string) { t.onUseChanged() })
	t.useRadio.Horizontal = true
	t.useRadio.Required = true
	t.algSel = widget.NewSelect(nil, func(string) { t.onOptionChanged() })
	t.kidSel = widget.NewSelect(kidStrategyNames(), func(string) { t.onKidChanged() })
	t.customKid = widget.NewEntry()
	t.customKid.SetPlaceHolder("e.g. signing-2026-11")
	t.customKid.OnChanged = func(string) { t.onOptionChanged() }
	t.certCheck = widget.NewCheck("Self-signed X.509 certificate (x5c)", func(bool) { t.onCertChanged() })
	t.certCN = widget.NewEntry()
	t.certCN.OnChanged = func(string) { t.onOptionChanged() }
	t.certDays = widget.NewEntry()
	t.certDays.OnChanged = func(string) { t.onOptionChanged() }
	t.errLabel = widget.NewLabel("")
	t.errLabel.Importance = widget.DangerImportance
	t.errLabel.Wrapping = fyne.TextWrapWord
	t.errLabel.Hide()
	t.genBtn = widget.NewButtonWithIcon("Generate (Ctrl+G)", theme.MediaPlayIcon(), t.onGenerate)
	t.genBtn.Importance = widget.HighImportance
	t.busy = widget.NewLabel("")
	t.busy.Hide()
	t.addBtn = widget.NewButtonWithIcon("Add to JWKS", theme.ContentAddIcon(), t.onAddToJWKS)
	t.addBtn.Disable()

	t.loadPrefs()

	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Key type"), t.ktySel,
		t.shapeLabel, t.shapeSel,
		widget.NewLabel("Use"), t.useRadio,
		widget.NewLabel("Algorithm"), t.algSel,
		widget.NewLabel("Key ID"), t.kidSel,
		widget.NewLabel("Custom kid"), t.customKid, // its own row: beside the select it showed "cus"
		widget.NewLabel("Certificate"), t.certCheck,
		widget.NewLabel("Subject CN"), t.certCN,
		widget.NewLabel("Valid (days)"), t.certDays,
	)
	left := container.NewVBox(
		widget.NewLabelWithStyle("New key", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		form,
		t.errLabel,
		container.NewHBox(t.genBtn, t.busy),
	)

	t.pubJWK = newOutputView("public JWK", false, nil, t.onCopy, t.onSave)
	t.privJWK = newOutputView("private JWK", true, maskJWK, t.onCopy, t.onSave)
	t.pubPEM = newOutputView("public PEM", false, nil, t.onCopy, t.onSave)
	t.privPEM = newOutputView("private PEM", true, maskPEM, t.onCopy, t.onSave)
	t.jwks = newOutputView("public JWKS", false, nil, t.onCopy, t.onSave)
	t.details = newOutputView("thumbprint details", false, nil, t.onCopy, t.onSave)
	t.pubPEMFormat = widget.NewSelect(nil, func(string) { t.showPEM() })
	t.privPEMFormat = widget.NewSelect(nil, func(string) { t.showPEM() })
	t.pubPEM.toolbar.Add(t.pubPEMFormat)
	t.privPEM.toolbar.Add(t.privPEMFormat)
	t.clearOutputs()

	t.outTabs = container.NewAppTabs(
		container.NewTabItem("Public JWK", t.pubJWK.root),
		container.NewTabItem("Private JWK", t.privJWK.root),
		container.NewTabItem("Public PEM", t.pubPEM.root),
		container.NewTabItem("Private PEM", t.privPEM.root),
		container.NewTabItem("JWKS", t.jwks.root),
		container.NewTabItem("Thumbprint", t.details.root),
	)
	t.thumbLabel = widget.NewLabel("No key yet: choose its shape and press Generate (Ctrl+G).")
	t.thumbLabel.Wrapping = fyne.TextWrapWord // a kid goes whole to the next line
	t.thumbLabel.Selectable = true
	// The output tabs join the window with the first key: until then they
	// would only show six empty views, and laying them out (tab buttons,
	// icons, toolbars) is start-up time before the window maps.
	hint := widget.NewLabel("The new key's public and private JWK, PEM, a one-key JWKS and the RFC 7638 thumbprint appear here.")
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	t.outArea = container.NewStack(container.NewVBox(hint))
	right := container.NewBorder(container.NewBorder(nil, nil, nil, t.addBtn, t.thumbLabel), nil, nil, nil, t.outArea)

	split := container.NewHSplit(container.NewVScroll(container.NewPadded(left)), right)
	split.Offset = 0.36
	t.validate()
	return split
}

// loadPrefs restores the last chosen options (with the callbacks quiet).
func (t *generateTab) loadPrefs() {
	t.useRadio.SetSelected(t.prefs.StringWithFallback(prefGenUse, keys.UseSig))
	kty := t.prefs.StringWithFallback(prefGenKty, keys.KtyEC)
	if !slices.Contains(keys.KeyTypes(), kty) {
		kty = keys.KtyEC
	}
	t.ktySel.SetSelected(kty)
	t.fillShapes()
	t.fillAlgs(t.prefs.String(prefGenAlg))
	t.kidSel.SetSelected(t.prefs.StringWithFallback(prefGenKid, defaultKid(kty)))
	if !slices.Contains(kidStrategyNames(), t.kidSel.Selected) {
		t.kidSel.SetSelected(defaultKid(kty))
	}
	t.customKid.SetText(t.prefs.String(prefGenCustomKid))
	t.certCheck.SetChecked(t.prefs.Bool(prefGenCert))
	hintDefault(t.certCN, defaultCertCN, t.prefs.String(prefGenCertCN))
	hintDefault(t.certDays, strconv.Itoa(defaultCertDays), intText(t.prefs.Int(prefGenCertDays)))
	t.syncEnabled()
}

// kidStrategyNames are the kid strategies as the Key ID list names them.
func kidStrategyNames() []string {
	var names []string
	for _, s := range keys.KidStrategies() {
		names = append(names, string(s))
	}
	return names
}

func defaultKid(kty string) string {
	if kty == keys.KtyOct {
		return string(keys.KidUUID)
	}
	return string(keys.KidThumbprint)
}

// shapes returns the size or curve choices for the selected type and use.
func (t *generateTab) shapes() (label string, opts []string) {
	switch t.ktySel.Selected {
	case keys.KtyRSA:
		return "Size (bits)", intsToStrings(keys.RSASizes)
	case keys.KtyEC, keys.KtyOKP:
		return "Curve", keys.Curves(t.ktySel.Selected)
	case keys.KtyOct:
		if t.useRadio.Selected == keys.UseEnc {
			return "Secret (bits)", []string{"128", "192", "256"}
		}
		return "Secret (bits)", intsToStrings(keys.OctSizes)
	}
	return "Size", nil
}

func intsToStrings(v []int) []string {
	out := make([]string, len(v))
	for i, n := range v {
		out[i] = strconv.Itoa(n)
	}
	return out
}

func (t *generateTab) fillShapes() {
	label, opts := t.shapes()
	t.shapeLabel.SetText(label)
	prev := t.prefs.String(prefGenShape + t.ktySel.Selected)
	t.shapeSel.Options = opts
	switch {
	case slices.Contains(opts, prev):
		t.shapeSel.SetSelected(prev)
	case len(opts) > 0:
		t.shapeSel.SetSelected(opts[0])
	default:
		t.shapeSel.ClearSelected()
	}
	t.shapeSel.Refresh()
}

// fillAlgs offers the algorithms that fit, keeping want when it fits.
func (t *generateTab) fillAlgs(want string) {
	s := t.rawSpec()
	algs := keys.AlgsFor(s.Kty, s.Crv, s.Use, s.Size)
	t.algSel.Options = algs
	switch {
	case slices.Contains(algs, want):
		t.algSel.SetSelected(want)
	case len(algs) > 0:
		t.algSel.SetSelected(algs[0])
	default:
		t.algSel.ClearSelected()
		t.algSel.PlaceHolder = "(no algorithm fits)"
	}
	t.algSel.Refresh()
}

func (t *generateTab) onKtyChanged() {
	if t.loading {
		return
	}
	t.loading = true
	t.fillShapes()
	t.fillAlgs(t.algSel.Selected)
	if t.ktySel.Selected == keys.KtyOct && t.kidSel.Selected == string(keys.KidThumbprint) {
		t.kidSel.SetSelected(string(keys.KidUUID))
	}
	t.loading = false
	t.onOptionChanged()
}

func (t *generateTab) onShapeChanged() {
	if t.loading {
		return
	}
	t.loading = true
	t.fillAlgs(t.algSel.Selected)
	t.loading = false
	t.onOptionChanged()
}

func (t *generateTab) onUseChanged() {
	if t.loading {
		return
	}
	t.loading = true
	if t.ktySel.Selected == keys.KtyOct {
		t.fillShapes()
	}
	t.fillAlgs(t.algSel.Selected)
	t.loading = false
	t.onOptionChanged()
}

func (t *generateTab) onKidChanged()  { t.syncEnabled(); t.onOptionChanged() }
func (t *generateTab) onCertChanged() { t.syncEnabled(); t.onOptionChanged() }

func (t *generateTab) syncEnabled() {
	setEnabled(t.customKid, t.kidSel.Selected == string(keys.KidCustom))
	setEnabled(t.certCN, t.certCheck.Checked)
	setEnabled(t.certDays, t.certCheck.Checked)
}

func setEnabled(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// onOptionChanged validates the options and remembers them.
func (t *generateTab) onOptionChanged() {
	if t.loading {
		return
	}
	t.validate()
	t.savePrefs()
}

func (t *generateTab) savePrefs() {
	p := t.prefs
	p.SetString(prefGenKty, t.ktySel.Selected)
	p.SetString(prefGenShape+t.ktySel.Selected, t.shapeSel.Selected)
	p.SetString(prefGenUse, t.useRadio.Selected)
	p.SetString(prefGenAlg, t.algSel.Selected)
	p.SetString(prefGenKid, t.kidSel.Selected)
	p.SetString(prefGenCustomKid, t.customKid.Text)
	p.SetBool(prefGenCert, t.certCheck.Checked)
	p.SetString(prefGenCertCN, t.certCN.Text)
	if d, err := strconv.Atoi(strings.TrimSpace(valueOrHint(t.certDays))); err == nil {
		p.SetInt(prefGenCertDays, d)
	}
}

// rawSpec reads the widgets into a spec, without defaults or checks.
func (t *generateTab) rawSpec() keys.Spec {
	s := keys.Spec{Kty: t.ktySel.Selected, Use: t.useRadio.Selected, Alg: t.algSel.Selected, KidStrategy: keys.KidStrategy(t.kidSel.Selected), CustomKid: t.customKid.Text}
	switch s.Kty {
	case keys.KtyRSA, keys.KtyOct:
		s.Size, _ = strconv.Atoi(t.shapeSel.Selected)
	default:
		s.Crv = t.shapeSel.Selected
	}
	return s
}

// spec returns the spec to generate, or an error that says which control to
// change.
func (t *generateTab) spec() (keys.Spec, error) {
	s := t.rawSpec()
	if s.Kty == "" {
		return s, fieldError{"Key type", "choose RSA, EC, OKP or oct"}
	}
	if t.certCheck.Checked {
		days, err := strconv.Atoi(valueOrHint(t.certDays))
		if err != nil {
			return s, fieldError{"Valid (days)", "type a whole number of days, such as 365"}
		}
		s.Cert = &keys.CertSpec{CommonName: valueOrHint(t.certCN), Days: days}
	}
	// An empty alg lets Normalize explain why nothing fits (X25519 + sig, say).
	return s.Normalize()
}

// fieldError is a user's mistake in one control, named as the form labels it.
type fieldError struct{ field, msg string }

func (e fieldError) Error() string { return e.field + ": " + e.msg }

// validate shows (or hides) the error next to the controls.
func (t *generateTab) validate() bool {
	_, err := t.spec()
	showErr(t.errLabel, err)
	return err == nil
}

// onGenerate generates in a goroutine; the button is disabled and the
// activity indicator spins meanwhile. The result comes back in one fyne.Do.
func (t *generateTab) onGenerate() {
	if t.generating {
		return
	}
	if t.replacesUnkept() && !t.replaceOK {
		if !t.askReplace() {
			t.finish() // asked, not (yet) answered yes
		}
		return
	}
	t.replaceOK = false
	spec, err := t.spec()
	if err != nil {
		showErr(t.errLabel, err)
		t.sh.setStatus("Cannot generate: " + err.Error())
		t.finish()
		return
	}
	t.generating = true
	t.genBtn.Disable()
	t.busy.SetText("Working…")
	t.busy.Show()
	t.sh.setStatus("Generating " + describeSpec(spec) + "…")
	start := time.Now()
	stopTicking := t.showElapsed(start)
	if !t.outputsShown() {
		// The first key: lay out the output tabs and load the monospace
		// face now, while the key is generated, each in its own turn of the
		// event loop (the second is queued by the first, behind whatever
		// came meanwhile). Done when the result arrives, they stalled the
		// window ~100 ms instead of ~50.
		fyne.Do(func() {
			t.showOutputs()
			fyne.Do(func() { fyne.MeasureText("{}", theme.TextSize(), fyne.TextStyle{Monospace: true}) })
		})
	}
	goBackground(func() {
		var g *keys.Generated
		err := recovered("generating a key", func() (err error) {
			g, err = t.generateFn(spec)
			return err
		})
		elapsed := time.Since(start)
		fyne.Do(func() {
			t.generating = false
			stopTicking()
			t.busy.Hide()
			t.genBtn.Enable()
			if err != nil {
				showErr(t.errLabel, err)
				t.sh.setStatusFor(tabGenerate, "Generation failed: "+err.Error())
			} else {
				t.sh.madePrivate(g.Private, "generated")
				t.show(g)
				kid, _ := g.Private.KeyID()
				t.sh.setStatusFor(tabGenerate, fmt.Sprintf("Generated %s with kid %s in %s.", describeSpec(spec), kid, elapsed.Round(time.Millisecond)))
			}
			t.finish()
		})
	})
}

// showElapsed updates busy with the time since start, every tick, until the
// returned function is called (on the main goroutine).
func (t *generateTab) showElapsed(start time.Time) (stop func()) {
	if t.tick <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tk := time.NewTicker(t.tick)
		defer tk.Stop()
		for {
			select {
			case <-done:
				return
			case <-tk.C:
				fyne.Do(func() {
					select {
					case <-done: // finished meanwhile: busy is hidden
					default:
						t.busy.SetText(fmt.Sprintf("Working… %.1f s", time.Since(start).Seconds()))
					}
				})
			}
		}
	}()
	// fyne.Do only queues, so waiting for the ticker cannot deadlock.
	return func() { close(done); wg.Wait() }
}

func (t *generateTab) finish() {
	if t.afterGenerate != nil {
		t.afterGenerate()
	}
}

func describeSpec(s keys.Spec) string {
	switch s.Kty {
	case keys.KtyRSA:
		return fmt.Sprintf("an RSA %d key (%s)", s.Size, s.Alg)
	case keys.KtyOct:
		return fmt.Sprintf("a %d-bit oct secret (%s)", s.Size, s.Alg)
	}
	return fmt.Sprintf("an %s %s key (%s)", s.Kty, s.Crv, s.Alg)
}

// onAddToJWKS adds the generated key to the workspace. The private key is
// kept (in memory) so it can sign test tokens; the exported JWKS is always
// public.
func (t *generateTab) onAddToJWKS() {
	if t.current == nil {
		t.sh.setStatus("Nothing to add yet: generate a key first (Ctrl+G).")
		return
	}
	res, err := t.sh.ws.Add("generated", t.current.Private)
	if err != nil {
		t.sh.showError("adding the key to the JWKS", err)
		return
	}
	kid, _ := t.current.Private.KeyID()
	if res.Added == 0 {
		t.sh.setStatus(fmt.Sprintf("Key %s is already in the JWKS workspace (same thumbprint): kept once.", kid))
		return
	}
	t.sh.workspaceChanged()
	t.sh.setStatus(fmt.Sprintf("Added key %s to the JWKS workspace (%s in all).", kid, plural(t.sh.ws.Len(), "key", "keys")))
}
