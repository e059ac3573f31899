package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/issuer"
)

// build lays out the Serve panel of the JWKS tab.
func (p *servePanel) build() fyne.CanvasObject {
	p.portEntry = widget.NewEntry()
	p.portEntry.SetPlaceHolder("empty: a free port")
	p.startBtn = widget.NewButtonWithIcon("Start", theme.MediaPlayIcon(), p.onStart)
	p.stopBtn = widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), p.onStop)
	p.startErr = newErrorLabel()
	p.urlLabel = widget.NewLabel("Not serving. The issuer listens on 127.0.0.1 only: nothing outside this machine can reach it.")
	p.urlLabel.Wrapping = fyne.TextWrapWord
	p.urlLabel.Selectable = true
	p.copyBtn = widget.NewButtonWithIcon("Copy URL", theme.ContentCopyIcon(), p.onCopyURL)

	p.subEntry = widget.NewEntry()
	p.subEntry.SetPlaceHolder("empty: the client_id")
	p.audEntry = widget.NewEntry()
	p.audEntry.SetPlaceHolder("space-separated; empty: the client_id")
	p.scopeEntry = widget.NewEntry()
	p.scopeEntry.SetPlaceHolder("e.g. read write")
	p.lifetimeEntry = widget.NewEntry()
	p.lifetimeEntry.SetText(issuer.DefaultLifetime.String())
	p.extraEntry = widget.NewMultiLineEntry()
	p.extraEntry.SetPlaceHolder(`{"tenant": "acme"}`)
	p.extraEntry.SetMinRowsVisible(3)
	p.maxAgeEntry = widget.NewEntry()
	p.maxAgeEntry.SetText(strconv.Itoa(int(issuer.DefaultJWKSMaxAge / time.Second)))
	p.applyBtn = widget.NewButtonWithIcon("Apply to the running issuer", theme.ConfirmIcon(), p.onApply)
	p.settingsErr = newErrorLabel()
	form := widget.NewForm(
		widget.NewFormItem("iss", widget.NewLabel("the issuer URL (fixed)")),
		widget.NewFormItem("sub", p.subEntry),
		widget.NewFormItem("aud", p.audEntry),
		widget.NewFormItem("scope", p.scopeEntry),
		widget.NewFormItem("Lifetime", p.lifetimeEntry),
		widget.NewFormItem("Extra claims", p.extraEntry),
		widget.NewFormItem("JWKS max-age (s)", p.maxAgeEntry),
	)

	p.signerSel = widget.NewSelect(nil, p.onPickSigner)
	p.signerSel.PlaceHolder = "the first signing key"
	p.publishBtn = widget.NewButtonWithIcon("Publish next key", theme.UploadIcon(), p.onPublishNext)
	p.switchBtn = widget.NewButtonWithIcon("Switch signer", theme.ViewRefreshIcon(), p.onSwitch)
	p.retireBtn = widget.NewButtonWithIcon("Retire old key", theme.DeleteIcon(), p.onRetire)
	p.rehearsalErr = newErrorLabel()
	p.keysLabel = selectableLabel("")
	p.timelineLabel = selectableLabel("No steps yet.")
	p.timelineLabel.TextStyle = fyne.TextStyle{Monospace: true}
	p.logList = widget.NewList(func() int { return len(p.logLines) }, newLogRow, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id >= 0 && id < len(p.logLines) {
			o.(*widget.Label).SetText(p.logLines[id])
		}
	})
	p.logCount = widget.NewLabel("No requests yet.")

	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	template := widget.NewAccordion(widget.NewAccordionItem("Token template and JWKS max-age",
		container.NewVBox(form, container.NewHBox(p.applyBtn))))
	top := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel("Port"), container.NewHBox(p.startBtn, p.stopBtn), p.portEntry),
		p.startErr,
		container.NewBorder(nil, nil, nil, p.copyBtn, p.urlLabel),
		template, p.settingsErr,
		widget.NewSeparator(),
		bold("Rotation rehearsal"),
		container.NewBorder(nil, nil, widget.NewLabel("Signer"), nil, p.signerSel),
		container.NewHBox(p.publishBtn, p.switchBtn, p.retireBtn), p.rehearsalErr, p.keysLabel,
		bold("Timeline"), p.timelineLabel,
	)
	p.render()
	// The log is a list (only the rows in view are drawn) below the rest.
	log := container.NewBorder(container.NewHBox(bold("Request log"), p.logCount), nil, nil, nil, p.logList)
	split := container.NewVSplit(container.NewVScroll(top), log)
	split.Offset = 0.7
	return split
}

func newLogRow() fyne.CanvasObject {
	l := widget.NewLabel("00:00:00.000 GET /.well-known/openid-configuration 200 1.5ms")
	l.TextStyle = fyne.TextStyle{Monospace: true}
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func selectableLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Selectable = true
	return l
}

// render shows the issuer's state: URL, buttons that make sense now, the
// keys and their roles, the timeline.
func (p *servePanel) render() {
	running := p.srv != nil && p.srv.Running()
	setEnabled(p.startBtn, !running)
	setEnabled(p.stopBtn, running)
	setEnabled(p.copyBtn, running)
	setEnabled(p.applyBtn, running)
	if running {
		p.urlLabel.SetText(p.srv.URL())
	} else {
		p.urlLabel.SetText("Not serving. The issuer listens on 127.0.0.1 only: nothing outside this machine can reach it.")
	}
	p.renderRehearsal(running)
	p.renderTimeline()
}

func (p *servePanel) renderRehearsal(running bool) {
	var st []issuer.KeyStatus
	if p.srv != nil {
		st = p.srv.Keys()
	}
	setEnabled(p.publishBtn, running && publishCandidate(st) != "" && roleKid(st, issuer.Next) == "")
	setEnabled(p.switchBtn, running && roleKid(st, issuer.Next) != "")
	setEnabled(p.retireBtn, running && roleKid(st, issuer.Retiring) != "")
	p.fillSigners(st)
	if len(st) == 0 {
		p.keysLabel.SetText("Start to serve the workspace's public keys; the signer's private key signs the tokens.")
		return
	}
	parts := make([]string, len(st))
	for i, k := range st {
		parts[i] = fmt.Sprintf("%s: %s", k.Kid, k.Role)
	}
	p.keysLabel.SetText("Keys: " + strings.Join(parts, " · "))
}

// fillSigners lists the kids that can sign in the picker.
func (p *servePanel) fillSigners(st []issuer.KeyStatus) {
	var kids []string
	if st != nil {
		for _, k := range st {
			if k.CanSign && k.Role.Served() {
				kids = append(kids, k.Kid)
			}
		}
	} else {
		kids = p.workspaceSigners()
	}
	p.filling = true
	defer func() { p.filling = false }()
	p.signerSel.SetOptions(kids)
	cur := ""
	if p.srv != nil {
		cur = p.srv.Signer()
	} else if p.picked != "" && slices.Contains(kids, p.picked) {
		cur = p.picked
	}
	if cur == "" {
		p.signerSel.ClearSelected()
		return
	}
	p.signerSel.SetSelected(cur)
}

// renderTimeline lists each step with its time, and after a switch of
// signer how often verifiers fetched the JWKS since.
func (p *servePanel) renderTimeline() {
	if p.srv == nil {
		return
	}
	var b strings.Builder
	for _, s := range p.srv.Timeline() {
		fmt.Fprintf(&b, "%s  %-13s %s", s.At.Format("15:04:05"), s.Action, stepKids(s))
		if s.Action == issuer.ActionSwitchSigner {
			n, first := p.srv.JWKSFetchesSince(s.Generation)
			if n == 0 {
				b.WriteString(" · JWKS not fetched since")
			} else {
				fmt.Fprintf(&b, " · JWKS fetched %d× since (first %s)", n, first.Format("15:04:05"))
			}
		}
		b.WriteByte('\n')
	}
	p.timelineLabel.SetText(strings.TrimRight(b.String(), "\n"))
}

// stepKids names a step's keys: a switch says which key it replaced.
func stepKids(s issuer.Step) string {
	if s.Action == issuer.ActionSwitchSigner && len(s.Kids) == 2 {
		return s.Kids[0] + " (was " + s.Kids[1] + ")"
	}
	return strings.Join(s.Kids, ", ")
}

// maxLogLines caps the request log shown (the issuer keeps its own).
const maxLogLines = 200

// appendLog adds requests to the log shown.
func (p *servePanel) appendLog(rs []issuer.Request) {
	p.logTotal += len(rs)
	if p.subscribed != nil {
		// Under load the subscription skips what the window cannot keep up
		// with: the count is the issuer's own.
		p.logTotal = max(p.logTotal, int(p.subscribed.Served()))
	}
	if len(rs) > maxLogLines {
		rs = rs[len(rs)-maxLogLines:] // only the latest are shown
	}
	for _, r := range rs {
		p.logLines = append(p.logLines, r.String())
	}
	if len(p.logLines) > maxLogLines {
		p.logLines = append([]string(nil), p.logLines[len(p.logLines)-maxLogLines:]...)
	}
	p.logList.Refresh()
	p.logList.ScrollToBottom()
	p.logCount.SetText(fmt.Sprintf("%s (the last %d shown)", plural(p.logTotal, "request", "requests"), len(p.logLines)))
	p.renderTimeline() // the fetch counts after a switch
}
