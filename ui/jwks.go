package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// maxPaste caps a pasted JWK/JWKS/PEM text: the engine's key cap.
const maxPaste = input.MaxKeyInput

const noneOption = "(none)"

// jwksRow is what the list shows for one key, computed when the workspace
// changes so scrolling 10,000 keys does no crypto.
type jwksRow struct {
	title   string // the kid
	detail  string // "EC P-256 · ES256 · sig · private · next"
	private bool
}

// jwksTab is the JWKS tab: the workspace as a list, the selected key's
// details, the public JWKS to publish, adding keys, fetching and rotation.
type jwksTab struct {
	sh        *shell
	store     *keyset.Store       // keeps the public workspace between runs
	fetchOpts keyset.FetchOptions // tests: a short timeout, the TLS client
	// applyLoad, when set (tests), is handed the last step of loading the
	// saved workspace instead of fyne.Do: the load starts while the window
	// is built, and Fyne's test driver would run that step on the loading
	// goroutine, concurrently with the test.
	applyLoad func(apply func())

	rows       []jwksRow
	lint       keyset.LintReport // of the last refresh; PerKey may lag rows briefly
	lintFresh  bool
	strip      keys.StripReport
	dupKids    []keyset.DuplicateKid
	selected   int
	refreshGen int
	fetched    *keyset.FetchResult
	fetching   bool
	rotating   bool
	filling    bool // true while the detail widgets are filled in

	summary   *widget.Label
	list      *widget.List
	rotateBtn *widget.Button
	privBtn   *widget.Button

	detailTitle  *widget.Label
	detailTP     *widget.Label
	detailSource *widget.Label
	kidEntry     *widget.Entry
	kidBtn       *widget.Button
	useSel       *widget.Select
	algSel       *widget.Select
	noteSel      *widget.Select
	upBtn        *widget.Button
	downBtn      *widget.Button
	removeBtn    *widget.Button
	detailErr    *widget.Label
	findings     *widget.Label

	public *outputView

	pasteEntry *cappedEntry
	pasteBtn   *widget.Button
	pasteErr   *widget.Label

	urlEntry    *widget.Entry
	fetchBtn    *widget.Button
	discoverBtn *widget.Button
	fetchBusy   *widget.Activity
	fetchErr    *widget.Label
	fetchResult *widget.Label
	importBtn   *widget.Button
	compareBtn  *widget.Button
	compareText *widget.Label

	outTabs *container.AppTabs
	serve   *servePanel // the Serve panel: the workspace as a local issuer

	// parseSetFn reads pasted keys (convert.ParseKeySet; tests force panics).
	parseSetFn func([]byte) (keys.ParsedSet, error)
	// confirm asks before a risky action; tests replace it.
	confirm func(title, message string, onOK func())
	// Test hooks, each run at the end of the final fyne.Do of its work.
	afterRefresh, afterFetch, afterRotate, afterPaste func()

	// lastRotation is what the last rotation did; showRotation, when set
	// (tests), is handed it instead of the dialog.
	lastRotation rotationSummary
	showRotation func(rotationSummary)
	// afterExport, when set (tests), runs after an encrypted export.
	afterExport func()
}

func newJWKSTab(sh *shell, store *keyset.Store, applyLoad func(func())) (*jwksTab, *container.TabItem) {
	t := &jwksTab{sh: sh, selected: -1, store: store, applyLoad: applyLoad, parseSetFn: keys.ParseKeySet}
	t.confirm = func(title, message string, onOK func()) {
		sh.ask(title, message, "Continue", "Cancel", onOK) // wrapped text, no icon over it
	}
	item := container.NewTabItemWithIcon("JWKS", theme.ListIcon(), t.buildUI())
	sh.onWorkspaceChanged(t.refresh)
	t.refresh()
	t.load()
	return t, item
}

func (t *jwksTab) buildUI() fyne.CanvasObject {
	t.summary = widget.NewLabel("No keys yet: generate one, paste one, or fetch a set.")
	t.summary.Wrapping = fyne.TextWrapWord
	t.list = widget.NewList(func() int { return len(t.rows) }, t.newRow, t.updateRow)
	t.list.OnSelected = t.onSelect
	t.list.OnUnselected = func(widget.ListItemID) {}
	t.rotateBtn = widget.NewButtonWithIcon("Rotate", theme.ViewRefreshIcon(), t.onRotate)
	t.privBtn = widget.NewButtonWithIcon("Export private JWKS…", theme.WarningIcon(), t.onExportPrivate)
	left := container.NewBorder(
		container.NewVBox(widget.NewLabelWithStyle("Key set", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), t.summary),
		container.NewHBox(t.rotateBtn, t.privBtn), nil, nil, t.list)

	t.serve = newServePanel(t.sh)
	t.public = newOutputView("public JWKS", false, nil, func(*outputView) { t.copyMain() }, func(*outputView) { t.saveCurrent() })
	t.public.caption.Wrapping = fyne.TextWrapWord // the duplicate-kid warning is long
	t.outTabs = container.NewAppTabs(
		container.NewTabItem("Key", t.buildDetail()),
		container.NewTabItem("Public JWKS", t.public.root),
		container.NewTabItem("Add keys", t.buildPaste()),
		container.NewTabItem("Fetch", t.buildFetch()),
		container.NewTabItem("Serve", t.serve.build()),
	)
	split := container.NewHSplit(left, t.outTabs)
	split.Offset = 0.4
	t.showDetail()
	return split
}

func (t *jwksTab) newRow() fyne.CanvasObject {
	title := widget.NewLabel("kid")
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("kty")
	detail.Truncation = fyne.TextTruncateEllipsis
	badge := widget.NewLabel("⚠ 99 warnings") // the widest badge: rows are laid out once
	return container.NewBorder(nil, nil, nil, badge, container.NewVBox(title, detail))
}

func (t *jwksTab) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(t.rows) {
		return
	}
	c := o.(*fyne.Container)
	texts := c.Objects[0].(*fyne.Container)
	badge := c.Objects[1].(*widget.Label)
	r := t.rows[id]
	texts.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%d. %s", id+1, r.title))
	texts.Objects[1].(*widget.Label).SetText(r.detail)
	text, imp := t.badge(id)
	badge.Importance = imp
	badge.SetText(text)
}

// badge is the lint badge of key id: its worst finding.
func (t *jwksTab) badge(id int) (string, widget.Importance) {
	if !t.lintFresh || id >= len(t.lint.PerKey) {
		return "…", widget.LowImportance
	}
	fs := t.lint.ForKey(id)
	switch keyset.Worst(fs) {
	case keyset.SevError:
		return "✖ " + countOf(fs, keyset.SevError, "error", "errors"), widget.DangerImportance
	case keyset.SevWarning:
		return "⚠ " + countOf(fs, keyset.SevWarning, "warning", "warnings"), widget.WarningImportance
	case keyset.SevInfo:
		return "ℹ " + countOf(fs, keyset.SevInfo, "note", "notes"), widget.MediumImportance
	}
	return "✔ ok", widget.SuccessImportance
}

func countOf(fs []keyset.Finding, sev keyset.Severity, one, many string) string {
	n := 0
	for _, f := range fs {
		if f.Severity == sev {
			n++
		}
	}
	return plural(n, one, many)
}

// asyncRefresh is the workspace size from which lint and export run in a
// goroutine; below it they take a few milliseconds and run at once.
const asyncRefresh = 300

// refresh rebuilds the rows at once, then the lint and the public JWKS
// (in a goroutine over a snapshot for big sets, applied in one fyne.Do),
// and has the store save the public workspace in the background.
func (t *jwksTab) refresh() {
	entries := t.sh.ws.Entries()
	rows := make([]jwksRow, len(entries))
	for i, e := range entries {
		rows[i] = rowOf(e)
	}
	t.rows = rows
	t.lintFresh = false
	t.dupKids = t.sh.ws.DuplicateKids()
	if t.selected >= len(rows) {
		t.selected = len(rows) - 1
	}
	t.list.Refresh()
	t.showDetail()
	t.refreshGen++
	gen, snap := t.refreshGen, t.sh.ws.Clone()
	t.store.Save(t.sh.ws)
	compute := func() func() {
		lint := snap.Lint(time.Now())
		out, strip, err := snap.ExportPublic()
		return func() {
			if gen != t.refreshGen {
				return // a newer refresh is on its way
			}
			t.applyRefresh(lint, out, strip, err)
			if t.afterRefresh != nil {
				t.afterRefresh()
			}
		}
	}
	if len(entries) < asyncRefresh {
		compute()()
		return
	}
	t.summary.SetText(fmt.Sprintf("%s · linting…", plural(len(entries), "key", "keys")))
	go func() {
		apply := compute()
		fyne.Do(apply)
	}()
}

func (t *jwksTab) applyRefresh(lint keyset.LintReport, out []byte, strip keys.StripReport, err error) {
	t.lint, t.lintFresh, t.strip = lint, true, strip
	n := len(t.rows)
	switch {
	case n == 0:
		t.summary.SetText("No keys yet: generate one, paste one, or fetch a set.")
	default:
		t.summary.SetText(fmt.Sprintf("%s · lint: %s", plural(n, "key", "keys"), lint.Summary()))
	}
	if err != nil {
		t.public.set("", "Cannot export: "+err.Error())
	} else {
		t.public.set(string(out), t.publicCaption())
	}
	t.list.Refresh()
	t.showFindings()
}

func (t *jwksTab) publicCaption() string {
	c := t.strip.String() + "."
	if len(t.dupKids) > 0 {
		var kids []string
		for i, d := range t.dupKids {
			if i == maxKidsShown {
				kids = append(kids, fmt.Sprintf("and %d more", len(t.dupKids)-maxKidsShown))
				break
			}
			kids = append(kids, fmt.Sprintf("%q (keys %s)", d.Kid, keyset.PositionsText(d.Positions, maxKidsShown)))
		}
		c = "Not ready to publish: different keys of the same type share kid " + strings.Join(kids, ", ") + ". Give each key its own kid. " + c
	}
	return c
}

// maxKidsShown caps the shared kids (and the positions of each) that the
// caption lists: the lint of each key says the rest.
const maxKidsShown = 5

func rowOf(e keyset.Entry) jwksRow {
	kid, _ := e.Key.KeyID()
	r := jwksRow{title: kid, private: keys.IsPrivate(e.Key)}
	if kid == "" {
		r.title = "(no kid)"
	}
	parts := []string{keys.DescribeKey(e.Key)}
	if a, ok := e.Key.Algorithm(); ok {
		parts = append(parts, a.String())
	} else {
		parts = append(parts, "no alg")
	}
	if u, ok := e.Key.KeyUsage(); ok {
		parts = append(parts, u)
	} else {
		parts = append(parts, "no use")
	}
	if r.private {
		parts = append(parts, "🔒 private")
	} else {
		parts = append(parts, "public")
	}
	if e.Note != "" {
		parts = append(parts, "★ "+e.Note)
	}
	r.detail = strings.Join(parts, " · ")
	return r
}

// changed tells every tab (this one included) that the workspace changed.
func (t *jwksTab) changed() { t.sh.workspaceChanged() }

func (t *jwksTab) copyMain() {
	if t.blockedByDuplicateKids("copied") {
		return
	}
	t.sh.copy(t.public.content, "public JWKS", false)
}

func (t *jwksTab) saveCurrent() {
	if t.blockedByDuplicateKids("saved") {
		return
	}
	t.sh.save("jwks.json", "public JWKS", []byte(t.public.content), false)
}

func (t *jwksTab) blockedByDuplicateKids(done string) bool {
	if len(t.dupKids) == 0 {
		return false
	}
	t.sh.setStatus(fmt.Sprintf("Not %s: kid %q is shared by different keys; give each key its own kid first.", done, t.dupKids[0].Kid))
	return true
}

// onExportPrivate saves every key with its private members, after an
// explicit confirmation, with mode 0600.
func (t *jwksTab) onExportPrivate() {
	if t.sh.ws.Len() == 0 {
		t.sh.setStatus("Nothing to export: the workspace is empty.")
		return
	}
	t.sh.askExport("private JWKS", func(pass []byte) {
		if pass != nil {
			t.sh.saveSealed("jwks.private.jwe.json", "private JWKS", t.sh.ws.Keys(), true, pass, t.afterExport)
			return
		}
		t.exportPlainPrivate()
	})
}

// exportPlainPrivate saves the private JWKS in plaintext, after the
// warning.
func (t *jwksTab) exportPlainPrivate() {
	t.confirm("Export private keys?",
		"The private JWKS holds every private key and secret of the workspace.\nAnyone with the file can sign as you. It is saved with mode 0600; never publish it.",
		func() {
			data, err := t.sh.ws.ExportPrivate()
			if err != nil {
				t.sh.showError("exporting the private JWKS", err)
				return
			}
			t.sh.saveKeys("jwks.private.json", "private JWKS", data, t.sh.ws.Keys()...)
		})
}

// load reads the saved public workspace in a goroutine; onLoaded puts its
// keys ahead of any added meanwhile.
func (t *jwksTab) load() {
	if t.store.Path() == "" {
		return
	}
	go func() {
		l, err := t.store.Load()
		apply := func() { t.onLoaded(l, err) }
		if t.applyLoad != nil {
			t.applyLoad(apply)
			return
		}
		fyne.Do(apply)
	}()
}

// onLoaded adopts what the store read, which starts the saving: a file that
// could not be read is left as it is and nothing is saved over it; a
// damaged one was moved aside and the workspace starts empty.
func (t *jwksTab) onLoaded(l keyset.Loaded, err error) {
	switch {
	case err != nil:
		t.sh.setStatus("Could not read the saved key set (" + err.Error() + "); it is left as it is and changes are not saved.")
		return
	case l.Quarantined != nil:
		t.store.Adopt(t.sh.ws, l) // start empty; saving goes on into a fresh file
		t.sh.setStatus(sentence(l.Quarantined.Error()) + ".")
		dialog.ShowInformation("Saved key set damaged", sentence(l.Quarantined.Error())+".", t.sh.win)
		return
	}
	t.store.Adopt(t.sh.ws, l)
	if n := l.Workspace.Len(); n > 0 {
		t.sh.setStatus(fmt.Sprintf("Loaded %s saved from the last run.", plural(n, "public key", "public keys")))
	}
	if len(l.Bad) > 0 {
		t.sh.setStatus(fmt.Sprintf("Loaded the saved key set; %s could not be read: %s", plural(len(l.Bad), "key", "keys"), l.Bad[0]))
	}
	t.changed()
}
