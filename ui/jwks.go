package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// workspaceStateFile is where the public part of the workspace is kept
// between runs ("" disables persistence; tests replace it).
var workspaceStateFile = func(a fyne.App) string {
	return filepath.Join(a.Storage().RootURI().Path(), "jwks-workspace.json")
}

// jwksLoadApply, when set (tests), is handed the final step of loading the
// saved workspace instead of fyne.Do: the load starts while the window is
// built, and Fyne's test driver would run that step on the loading
// goroutine, concurrently with the test.
var jwksLoadApply func(apply func())

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
	statePath string
	fetchOpts keyset.FetchOptions // tests: a short timeout, the TLS client

	rows       []jwksRow
	lint       keyset.LintReport // of the last refresh; PerKey may lag rows briefly
	lintFresh  bool
	strip      keys.StripReport
	dupKids    []keyset.DuplicateKid
	selected   int
	refreshGen int
	loaded     bool // the saved workspace was read: saving may begin
	fetched    *keyset.FetchResult
	fetching   bool
	rotating   bool
	filling    bool // true while the detail widgets are filled in

	saveMu    sync.Mutex
	savedGen  int
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

	// parseSetFn reads pasted keys (convert.ParseKeySet; tests force panics).
	parseSetFn func([]byte) (keys.ParsedSet, error)
	// confirm asks before a risky action; tests replace it.
	confirm func(title, message string, onOK func())
	// Test hooks, each run at the end of the final fyne.Do of its work.
	afterRefresh, afterFetch, afterRotate, afterPaste func()
	// afterSave runs (on the saving goroutine) after each background save.
	afterSave func()

	// lastRotation is what the last rotation did; showRotation, when set
	// (tests), is handed it instead of the dialog.
	lastRotation rotationSummary
	showRotation func(rotationSummary)
}

func newJWKSTab(sh *shell) (*jwksTab, *container.TabItem) {
	t := &jwksTab{sh: sh, selected: -1, statePath: workspaceStateFile(sh.app), parseSetFn: keys.ParseKeySet}
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

	t.public = newOutputView("public JWKS", false, nil, func(*outputView) { t.copyMain() }, func(*outputView) { t.saveCurrent() })
	t.public.caption.Wrapping = fyne.TextWrapWord // the duplicate-kid warning is long
	t.outTabs = container.NewAppTabs(
		container.NewTabItem("Key", t.buildDetail()),
		container.NewTabItem("Public JWKS", t.public.root),
		container.NewTabItem("Add keys", t.buildPaste()),
		container.NewTabItem("Fetch", t.buildFetch()),
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

func (t *jwksTab) buildDetail() fyne.CanvasObject {
	t.detailTitle = widget.NewLabel("")
	t.detailTitle.Truncation = fyne.TextTruncateEllipsis
	t.detailTP = widget.NewLabel("")
	t.detailTP.Truncation = fyne.TextTruncateEllipsis
	t.detailTP.Selectable = true
	t.detailSource = widget.NewLabel("")
	t.detailSource.Truncation = fyne.TextTruncateEllipsis
	t.kidEntry = widget.NewEntry()
	t.kidEntry.SetPlaceHolder("kid, e.g. signing-2026-11")
	t.kidEntry.OnSubmitted = func(string) { t.onApplyKid() }
	t.kidBtn = widget.NewButton("Set kid", t.onApplyKid)
	t.useSel = widget.NewSelect([]string{noneOption, keys.UseSig, keys.UseEnc}, func(string) { t.onUse() })
	t.algSel = widget.NewSelect(nil, func(string) { t.onAlg() })
	t.noteSel = widget.NewSelect([]string{noneOption, keyset.NoteNext, keyset.NoteRetiring}, func(string) { t.onNote() })
	t.upBtn = widget.NewButtonWithIcon("Up", theme.MoveUpIcon(), func() { t.onMove(-1) })
	t.downBtn = widget.NewButtonWithIcon("Down", theme.MoveDownIcon(), func() { t.onMove(1) })
	t.removeBtn = widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), t.onRemove)
	t.detailErr = newErrorLabel()
	t.findings = widget.NewLabel("")
	t.findings.Wrapping = fyne.TextWrapWord
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Key ID"), container.NewBorder(nil, nil, nil, t.kidBtn, t.kidEntry),
		widget.NewLabel("Use"), t.useSel,
		widget.NewLabel("Algorithm"), t.algSel,
		widget.NewLabel("Rotation note"), t.noteSel,
	)
	return container.NewVScroll(container.NewVBox(t.detailTitle, t.detailTP, t.detailSource, form, t.detailErr,
		container.NewHBox(t.upBtn, t.downBtn, t.removeBtn),
		widget.NewLabelWithStyle("Lint", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), t.findings))
}

func newErrorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func (t *jwksTab) buildPaste() fyne.CanvasObject {
	t.pasteEntry = newCappedEntry(maxPaste, func(n int) {
		showErr(t.pasteErr, errors.New(tooBigMessage(n, maxPaste, "keys and key sets", "Your text is unchanged; fetch the set from its URL, or open the file with Ctrl+O.")))
	})
	t.pasteEntry.SetPlaceHolder("Paste a JWK, a JWKS ({\"keys\": [...]}) or PEM keys here")
	t.pasteEntry.TextStyle = fyne.TextStyle{Monospace: true}
	t.pasteBtn = widget.NewButtonWithIcon("Add to JWKS ("+keyLabel(fyne.KeyReturn)+")", theme.ContentAddIcon(), t.onPaste) // the name the other tabs and the menu use
	t.pasteBtn.Importance = widget.HighImportance
	t.pasteErr = newErrorLabel()
	return container.NewBorder(nil, container.NewVBox(t.pasteErr, container.NewHBox(t.pasteBtn)), nil, nil, t.pasteEntry.View())
}

func (t *jwksTab) buildFetch() fyne.CanvasObject {
	t.urlEntry = widget.NewEntry()
	t.urlEntry.SetPlaceHolder("https://issuer.example.com or its jwks_uri")
	t.fetchBtn = widget.NewButtonWithIcon("Fetch JWKS", theme.DownloadIcon(), func() { t.onFetch(false) })
	t.discoverBtn = widget.NewButtonWithIcon("Discover issuer", theme.SearchIcon(), func() { t.onFetch(true) })
	t.fetchBusy = widget.NewActivity()
	t.fetchBusy.Hide()
	t.fetchErr = newErrorLabel()
	t.fetchResult = widget.NewLabel("Nothing fetched. JWK Desk goes online only when you press Fetch JWKS or Discover issuer.")
	t.fetchResult.Wrapping = fyne.TextWrapBreak
	t.fetchResult.Selectable = true
	t.importBtn = widget.NewButtonWithIcon("Import", theme.ContentAddIcon(), t.onImport)
	t.compareBtn = widget.NewButtonWithIcon("Compare with workspace", theme.ViewRestoreIcon(), t.onCompare)
	t.importBtn.Disable()
	t.compareBtn.Disable()
	t.compareText = widget.NewLabel("")
	t.compareText.Wrapping = fyne.TextWrapBreak
	t.compareText.Selectable = true
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(t.fetchBtn, t.discoverBtn, t.fetchBusy), t.urlEntry),
		t.fetchErr,
		container.NewHBox(t.importBtn, t.compareBtn),
	)
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(container.NewVBox(t.fetchResult, t.compareText)))
}

// asyncRefresh is the workspace size from which lint and export run in a
// goroutine; below it they take a few milliseconds and run at once.
const asyncRefresh = 300

// refresh rebuilds the rows at once, then the lint and the public JWKS
// (in a goroutine over a snapshot for big sets, applied in one fyne.Do),
// and saves the public workspace in the background.
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
	if t.loaded && t.statePath != "" {
		after := t.afterSave
		go func() {
			if err := t.saveState(gen, snap, t.statePath); err != nil {
				fyne.Do(func() { t.sh.setStatus("Could not save the key set for the next start: " + err.Error()) })
			}
			if after != nil {
				after()
			}
		}()
	}
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

// saveState writes the public workspace unless a newer snapshot was saved.
func (t *jwksTab) saveState(gen int, snap *keyset.Workspace, path string) error {
	if path == "" {
		return nil
	}
	t.saveMu.Lock()
	defer t.saveMu.Unlock()
	if gen < t.savedGen {
		return nil
	}
	t.savedGen = gen
	return snap.SaveState(path)
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

func (t *jwksTab) onSelect(id widget.ListItemID) {
	t.selected = id
	showErr(t.detailErr, nil)
	t.showDetail()
	t.outTabs.SelectIndex(0)
}

func (t *jwksTab) showDetail() {
	t.filling = true
	defer func() { t.filling = false }()
	e, err := t.sh.ws.Entry(t.selected)
	controls := []fyne.Disableable{t.kidEntry, t.kidBtn, t.useSel, t.algSel, t.noteSel, t.upBtn, t.downBtn, t.removeBtn}
	if err != nil {
		t.detailTitle.SetText("Select a key in the list to edit it, move it or remove it.")
		for _, c := range controls {
			c.Disable()
		}
		t.detailTP.SetText("")
		t.detailSource.SetText("")
		t.kidEntry.SetText("")
		t.findings.SetText("")
		return
	}
	for _, c := range controls {
		c.Enable()
	}
	if t.selected == 0 {
		t.upBtn.Disable()
	}
	if t.selected == len(t.rows)-1 {
		t.downBtn.Disable()
	}
	tp := e.Thumbprint
	if tp == "" {
		tp = "(none: oct secrets are never hashed for display)"
	}
	t.detailTitle.SetText(fmt.Sprintf("Key %d: %s", t.selected+1, t.rows[t.selected].detail))
	t.detailTP.SetText("Thumbprint (RFC 7638, SHA-256): " + tp)
	t.detailSource.SetText("Source: " + e.Source)
	kid, _ := e.Key.KeyID()
	t.kidEntry.SetText(kid)
	use, _ := e.Key.KeyUsage()
	t.useSel.Options = useChoices(noneOption, e.Key) // only what fits the key
	t.useSel.SetSelected(orNoneOption(use))
	t.algSel.Options = append([]string{noneOption}, t.sh.ws.AlgChoices(t.selected)...)
	alg := ""
	if a, ok := e.Key.Algorithm(); ok {
		alg = a.String()
	}
	t.algSel.SetSelected(orNoneOption(alg))
	t.noteSel.SetSelected(orNoneOption(e.Note))
	t.showFindings()
}

func (t *jwksTab) showFindings() {
	if t.selected < 0 || t.selected >= len(t.rows) {
		return
	}
	if !t.lintFresh || t.selected >= len(t.lint.PerKey) {
		t.findings.SetText("Linting…")
		return
	}
	fs := t.lint.ForKey(t.selected)
	if len(fs) == 0 {
		t.findings.SetText("✔ No findings.")
		return
	}
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s: %s\n", f.Severity, f.Message)
	}
	t.findings.SetText(strings.TrimSpace(b.String()))
}

func orNoneOption(s string) string {
	if s == "" {
		return noneOption
	}
	return s
}

func fromOption(s string) string {
	if s == noneOption {
		return ""
	}
	return s
}

// edit runs one workspace edit of the selected key; an error is shown next
// to the fields and the widgets go back to the key as it is.
func (t *jwksTab) edit(what string, do func(i int) error) {
	if t.filling || t.selected < 0 {
		return
	}
	if err := do(t.selected); err != nil {
		showErr(t.detailErr, err)
		t.sh.setStatus("Not changed: " + err.Error())
		kid := t.kidEntry.Text
		t.showDetail()
		t.kidEntry.SetText(kid) // what the user typed stays
		return
	}
	showErr(t.detailErr, nil)
	t.sh.setStatus("Changed the " + what + " of key " + fmt.Sprint(t.selected+1) + ".")
	t.changed()
}

func (t *jwksTab) onApplyKid() {
	t.edit("kid", func(i int) error { return t.sh.ws.SetKid(i, t.kidEntry.Text) })
}

func (t *jwksTab) onUse() {
	t.edit("use", func(i int) error { return t.sh.ws.SetUse(i, fromOption(t.useSel.Selected)) })
}

func (t *jwksTab) onAlg() {
	t.edit("alg", func(i int) error { return t.sh.ws.SetAlg(i, fromOption(t.algSel.Selected)) })
}

func (t *jwksTab) onNote() {
	t.edit("rotation note", func(i int) error { return t.sh.ws.SetNote(i, fromOption(t.noteSel.Selected)) })
}

func (t *jwksTab) onMove(delta int) {
	i := t.selected
	if err := t.sh.ws.Move(i, delta); err != nil {
		showErr(t.detailErr, err)
		return
	}
	t.selected = i + delta
	t.changed()
	t.list.Select(t.selected)
	t.sh.setStatus(fmt.Sprintf("Moved key %d to position %d.", i+1, t.selected+1))
}

func (t *jwksTab) onRemove() {
	i := t.selected
	if err := t.sh.ws.Remove(i); err != nil {
		showErr(t.detailErr, err)
		return
	}
	t.list.UnselectAll()
	t.selected = -1
	t.changed()
	t.sh.setStatus(fmt.Sprintf("Removed key %d from the workspace.", i+1))
}

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

// onPaste reads the pasted text in a goroutine and adds its keys.
func (t *jwksTab) onPaste() {
	text := t.pasteEntry.Value()
	if strings.TrimSpace(text) == "" {
		showErr(t.pasteErr, fmt.Errorf("nothing to add: paste a JWK, a JWKS or PEM keys in the box above"))
		t.finishPaste()
		return
	}
	if len(text) > maxPaste {
		showErr(t.pasteErr, fmt.Errorf("the pasted text is %d KiB, over the 1024 KiB limit: add the keys in parts", len(text)/1024))
		t.finishPaste()
		return
	}
	t.pasteBtn.Disable()
	parse := t.parseSetFn
	go func() {
		var ps keys.ParsedSet
		var tps []string
		var given []keys.KidGiven
		err := recovered("adding the pasted keys", func() (err error) {
			if ps, err = parse([]byte(text)); err != nil {
				return err
			}
			// A key without kid gets its thumbprint, as in the PEM / JWK tab.
			if ps.Keys, given, err = keys.ThumbprintKids(ps.Keys); err != nil {
				return err
			}
			tps = keyset.Thumbprints(ps.Keys) // here, not on the UI goroutine
			return nil
		})
		fyne.Do(func() {
			t.pasteBtn.Enable()
			defer t.finishPaste()
			t.showPasteResult(ps, tps, err)
			if err == nil && len(given) > 0 {
				t.sh.setStatus(t.sh.status.Text + " " + kidsGivenText(given))
			}
		})
	}()
}

// showPasteResult adds what was read and says what happened, next to the
// paste box and in the status line. The pasted text is left as it is.
func (t *jwksTab) showPasteResult(ps keys.ParsedSet, tps []string, err error) {
	const nothing = "Nothing added: see the message under the paste box."
	if err != nil {
		msg := err.Error()
		var notJSON *input.NotJSONError
		if errors.As(err, &notJSON) {
			msg += ": check that the whole key or set was pasted"
		}
		showErr(t.pasteErr, errors.New(msg))
		t.sh.setStatus(nothing)
		return
	}
	if len(ps.Keys) == 0 && len(ps.Bad) == 0 {
		showErr(t.pasteErr, errors.New(`this JWKS holds no keys: "keys" is empty`))
		t.sh.setStatus(nothing)
		return
	}
	var msg string
	if len(ps.Keys) > 0 {
		msg = t.add("pasted", ps.Keys, tps)
	}
	if len(ps.Bad) == 0 {
		showErr(t.pasteErr, nil)
		t.sh.setStatus(msg)
		return
	}
	var lines []string
	for _, b := range ps.Bad {
		lines = append(lines, b.String())
	}
	left := "was left out"
	if len(ps.Bad) > 1 {
		left = "were left out"
	}
	head := fmt.Sprintf("%s could not be read and %s", plural(len(ps.Bad), "key", "keys"), left)
	if len(ps.Damaged()) == 0 {
		head = fmt.Sprintf("%s of a type or curve JWK Desk does not read %s", plural(len(ps.Bad), "key", "keys"), left)
	}
	if len(ps.Keys) == 0 {
		head = fmt.Sprintf("none of the %s could be read", plural(len(ps.Bad), "key", "keys"))
		if len(ps.Bad) == 1 {
			head = "the one key could not be read"
		}
		msg = nothing
	} else {
		msg += fmt.Sprintf(" %s could not be read.", plural(len(ps.Bad), "key", "keys"))
	}
	showErr(t.pasteErr, fmt.Errorf("%s:\n%s", head, strings.Join(lines, "\n")))
	t.sh.setStatus(msg)
}

func (t *jwksTab) finishPaste() {
	if t.afterPaste != nil {
		t.afterPaste()
	}
}

// add adds keys to the workspace and says what happened; tps are their
// thumbprints when computed beforehand (convert.Thumbprints), or nil.
func (t *jwksTab) add(source string, keys []jwk.Key, tps []string) string {
	res, err := t.sh.ws.AddHashed(source, keys, tps)
	if err != nil {
		t.sh.showError("adding keys", err)
	}
	if res.Added > 0 || res.Upgraded > 0 {
		t.changed()
	}
	msg := fmt.Sprintf("Added %s to the workspace.", plural(res.Added, "key", "keys"))
	if res.Upgraded > 0 {
		msg += fmt.Sprintf(" %s now hold their private half.", plural(res.Upgraded, "key", "keys"))
	}
	if len(res.Duplicates) > 0 {
		msg += fmt.Sprintf(" %s already there (same thumbprint), kept once: %s.", plural(len(res.Duplicates), "key was", "keys were"), strings.Join(firstN(res.Duplicates, 3), ", "))
	}
	return msg
}

func firstN(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(append([]string(nil), s[:n]...), fmt.Sprintf("and %d more", len(s)-n))
}

// fetchRequest is one fetch the user asked for, carried through the
// confirmations it may need (a private or loopback address, a jwks_uri on
// another host) and its two steps for an issuer (discovery, then keys).
type fetchRequest struct {
	raw      string
	discover bool
	opts     keyset.FetchOptions
	found    *keyset.FetchResult // discovery done: the jwks_uri comes next
}

// onFetch fetches the jwks_uri (or discovers the issuer) the user typed.
func (t *jwksTab) onFetch(discover bool) {
	if t.fetching {
		return
	}
	raw := strings.TrimSpace(t.urlEntry.Text)
	if _, err := keyset.CheckFetchURL(raw); err != nil {
		showErr(t.fetchErr, err)
		t.finishFetch()
		return
	}
	req := &fetchRequest{raw: raw, discover: discover, opts: t.fetchOpts}
	req.opts.Typed = true
	t.runFetch(req)
}

// fetchTokenIssuer discovers the keys of a token's issuer (the JWT tab's
// Fetch issuer keys). The URL comes from the token, which anyone can write:
// it is not treated as typed (https only, this machine asked too) and the
// user is asked before anything is sent.
func (t *jwksTab) fetchTokenIssuer(iss string) {
	if t.fetching {
		return
	}
	shown := keyset.RedactURL(iss)
	t.urlEntry.SetText(shown)
	req := &fetchRequest{raw: iss, discover: true, opts: t.fetchOpts}
	req.opts.Typed = false
	t.sh.setStatus("Fetch the keys of " + shown + "? Waiting for your answer.")
	t.confirm("Fetch the token issuer's keys?",
		"The token names its issuer as\n"+shown+"\n\nAnyone can write a token. JWK Desk will read this issuer's discovery document and keys\nover https only, and will ask again before connecting to this machine or your network.",
		func() { t.runFetch(req) })
}

// runFetch runs one step of a fetch in a goroutine.
func (t *jwksTab) runFetch(req *fetchRequest) {
	showErr(t.fetchErr, nil)
	t.fetching = true
	t.fetchBtn.Disable()
	t.discoverBtn.Disable()
	t.importBtn.Disable()
	t.compareBtn.Disable()
	t.fetchBusy.Show()
	t.fetchBusy.Start()
	t.compareText.SetText("")
	t.sh.setStatus("Fetching " + keyset.RedactURL(req.raw) + "…")
	go func() {
		var res *keyset.FetchResult
		err := recovered("fetching keys", func() (err error) {
			ctx := context.Background()
			switch {
			case req.found != nil:
				res, err = keyset.FetchDiscovered(ctx, req.found, req.opts)
			case req.discover:
				res, err = keyset.DiscoverJWKSURI(ctx, req.raw, req.opts)
			default:
				res, err = keyset.FetchJWKS(ctx, req.raw, req.opts)
			}
			return err
		})
		fyne.Do(func() { t.fetchStepDone(req, res, err) })
	}()
}

// fetchStepDone shows a step's result, asks what needs asking, and starts
// the next step. Starting the next step is the last thing it does: Fyne's
// test driver runs that step's fyne.Do on its own goroutine at once.
func (t *jwksTab) fetchStepDone(req *fetchRequest, res *keyset.FetchResult, err error) {
	t.fetching = false
	t.fetchBusy.Stop()
	t.fetchBusy.Hide()
	t.fetchBtn.Enable()
	t.discoverBtn.Enable()
	next := false // a next step was started: this fetch is not over
	step := func() { next = true; t.runFetch(req) }
	defer func() {
		if !next {
			t.finishFetch()
		}
	}()
	var needs *keyset.NeedsConfirmationError
	switch {
	case errors.As(err, &needs):
		t.fetched = nil
		t.fetchResult.SetText(partialResult(res))
		t.sh.setStatus("Not fetched yet: " + needs.Host + " needs your confirmation.")
		t.confirm("Fetch from this address?", sentence(needs.Error())+".\n\nFetch from "+needs.Host+" anyway?", func() {
			req.opts.ConfirmedHosts = append(req.opts.ConfirmedHosts, needs.Host)
			step()
		})
		return
	case err != nil:
		t.fetched = nil
		showErr(t.fetchErr, err)
		t.fetchResult.SetText(partialResult(res))
		t.sh.setStatus("Fetch failed: " + err.Error())
		return
	case req.discover && req.found == nil:
		req.found = res
		if res.OtherHost() { // said before the keys are fetched
			t.fetchResult.SetText(fmt.Sprintf("Issuer %s\nDiscovery document %s\njwks_uri %s", res.Issuer, res.DiscoveryURL, res.JWKSURI))
			t.sh.setStatus("The issuer's keys are on another host: waiting for your answer.")
			t.confirm("Keys on another host", sentence(strings.Join(res.Notes, "\n"))+".\n\nFetch the keys from "+res.JWKSURI+"?", step)
			return
		}
		step()
		return
	}
	t.fetched = res
	t.fetchResult.SetText(res.Summary())
	if len(res.Parsed.Keys) > 0 {
		t.importBtn.Enable()
		t.compareBtn.Enable()
	}
	t.sh.setStatus(fmt.Sprintf("Fetched %s from %s.", plural(len(res.Parsed.Keys), "key", "keys"), res.URL))
}

func partialResult(res *keyset.FetchResult) string {
	if res == nil || res.URL == "" {
		return "Nothing fetched."
	}
	s := "Fetched " + res.URL
	if res.StatusText != "" {
		s += "\nHTTP " + res.StatusText
	}
	return s
}

func (t *jwksTab) finishFetch() {
	if t.afterFetch != nil {
		t.afterFetch()
	}
}

func (t *jwksTab) onImport() {
	if t.fetched == nil {
		return
	}
	keys, given, err := keys.ThumbprintKids(t.fetched.Parsed.Keys)
	if err != nil {
		t.sh.showError("importing the fetched keys", err)
		return
	}
	msg := t.add(t.fetched.URL, keys, nil)
	if len(given) > 0 {
		msg += " " + kidsGivenText(given)
	}
	t.sh.setStatus(msg)
}

// kidsGivenText says which keys got their thumbprint as kid.
func kidsGivenText(given []keys.KidGiven) string {
	if len(given) == 1 {
		return sentence(given[0].String()) + "."
	}
	return fmt.Sprintf("%d keys had no kid: each got its RFC 7638 thumbprint as kid.", len(given))
}

func (t *jwksTab) onCompare() {
	if t.fetched == nil {
		return
	}
	c := keyset.CompareKeys(t.sh.ws.Keys(), t.fetched.Parsed.Keys)
	t.compareText.SetText("Compared with the workspace, by kid:\n" + c.String())
	t.sh.setStatus(fmt.Sprintf("Compared: %d only here, %d only there, %d with a different key.", len(c.OnlyHere), len(c.OnlyThere), len(c.Differ)))
}

func orNone(s string) string {
	if s == "" {
		return "(no kid)"
	}
	return s
}

// load reads the saved public workspace in a goroutine and puts its keys
// ahead of any added meanwhile. Saving starts only once it was read, so a
// failed read never overwrites the file.
func (t *jwksTab) load() {
	path := t.statePath
	if path == "" {
		return
	}
	go func() {
		tmp := keyset.NewWorkspace()
		_, bad, err := tmp.LoadOrQuarantine(path, time.Now())
		apply := func() {
			var corrupt *keyset.CorruptStateError
			if errors.As(err, &corrupt) {
				t.loaded = true // start empty; saving goes on into a fresh file
				t.sh.setStatus(sentence(corrupt.Error()) + ".")
				dialog.ShowInformation("Saved key set damaged", sentence(corrupt.Error())+".", t.sh.win)
				return
			}
			if err != nil {
				t.sh.setStatus("Could not read the saved key set (" + err.Error() + "); it is left as it is and changes are not saved.")
				return
			}
			t.loaded = true
			if tmp.Len() > 0 {
				t.sh.ws.MergeFront(tmp)
				t.sh.setStatus(fmt.Sprintf("Loaded %s saved from the last run.", plural(tmp.Len(), "public key", "public keys")))
			}
			if len(bad) > 0 {
				t.sh.setStatus(fmt.Sprintf("Loaded the saved key set; %s could not be read: %s", plural(len(bad), "key", "keys"), bad[0]))
			}
			t.changed()
		}
		if jwksLoadApply != nil {
			jwksLoadApply(apply)
			return
		}
		fyne.Do(apply)
	}()
}
