package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/keyset"
	"github.com/jwkdesk/jwkdesk/convert/token"
)

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
		t.plainView.set("", "No token yet.")
		t.jwe.showFor(nil)
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
	t.plainView.set("", "A signed token (JWS): nothing is encrypted.")
	if r.JWE != nil {
		t.showJWE(r)
	}
	t.jwe.showFor(r)
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
	case token.StateVerified, token.StateDecrypted:
		name = theme.ColorNameSuccess
	case token.StateExpired, token.StateNotYetValid:
		name = theme.ColorNameWarning
	case token.StateNotVerified, token.StateNotDecrypted:
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
