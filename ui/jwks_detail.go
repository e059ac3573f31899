package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

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
