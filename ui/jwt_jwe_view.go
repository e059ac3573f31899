package ui

import (
	"fmt"
	"strings"

	"github.com/jwkdesk/jwkdesk/convert/token"
	"github.com/jwkdesk/jwkdesk/convert/token/jwe"
)

// jweKidLine is the JWT tab's kid line for a JWE: the protected header's
// members that decide which key opens it, the kid it needs, and what the
// key source holds.
func jweKidLine(r *token.Report) string {
	j := r.JWE
	parts := []string{"alg " + j.Alg, "enc " + j.Enc}
	for _, m := range []struct{ name, v string }{{"zip", j.Zip}, {"cty", j.Cty}, {"epk curve", j.EPKCurve}} {
		if m.v != "" {
			parts = append(parts, m.name+" "+m.v)
		}
	}
	if j.P2C > 0 {
		parts = append(parts, "p2c "+groupThousands(j.P2C))
	}
	line := "Encrypted (JWE): " + strings.Join(parts, " · ")
	switch need := jwe.Needs(j.Alg); {
	case need == jwe.NeedPassphrase:
		return line + "\nIt is opened with a passphrase: enter it below."
	case need == jwe.NeedSecret && j.KeySource == "shared secret":
		return line + "\nIt is opened with the shared secret entered below."
	case j.HasKid:
		line += fmt.Sprintf("\nThe token needs the private key with kid %q.", j.Kid)
	default:
		line += "\nThe token names no kid: every private key that fits " + j.Alg + " is tried."
	}
	if need := jwe.Needs(j.Alg); need == jwe.NeedSecret {
		line += " Or enter the shared secret below."
	}
	return line + "\n" + sourceLine(r)
}

// sourceLine says what the key source holds (the kid line's last line).
func sourceLine(r *token.Report) string {
	if r.DirectKey {
		return "The " + r.KeySource + " is the one key you chose: it is tried whatever kid the token names."
	}
	kids := "none"
	if len(r.SetKids) > 0 {
		shown, more := r.SetKids, ""
		if len(shown) > 20 {
			shown, more = shown[:20], fmt.Sprintf(" … and %d more", len(r.SetKids)-20)
		}
		kids = strings.Join(shown, ", ") + more
	}
	return "Kids in the " + r.KeySource + ": " + kids
}

func groupThousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// jweCandidateLines lists the keys considered for the JWE with one reason
// each, then, for a nested token, the inner token's verdict and its own
// candidates.
func jweCandidateLines(r *token.Report) string {
	var b strings.Builder
	if len(r.JWE.Candidates) == 0 {
		b.WriteString("No key was considered.")
	}
	for _, c := range r.JWE.Candidates {
		mark := "✗"
		if c.Decrypted {
			mark = "✓"
		} else if c.Opened {
			mark = "≈"
		}
		kid := c.Kid
		if !c.HasKid {
			kid = "(no kid)"
		}
		shape := strings.TrimSpace(c.Kty + " " + c.Crv)
		if c.Alg != "" {
			shape += " " + c.Alg
		}
		fmt.Fprintf(&b, "%s %s [%s]", mark, kid, shape)
		if c.Thumbprint != "" {
			fmt.Fprintf(&b, " %s…", c.Thumbprint[:min(12, len(c.Thumbprint))])
		}
		fmt.Fprintf(&b, "\n    %s\n", c.Outcome)
	}
	if in := r.Inner; in != nil {
		fmt.Fprintf(&b, "\nInner token (JWS, alg %s", in.Alg)
		if in.HasKid {
			fmt.Fprintf(&b, ", kid %q", in.Kid)
		}
		fmt.Fprintf(&b, "): %s\n%s", in.Verdict, candidateLines(in))
	}
	return strings.TrimRight(b.String(), "\n")
}

// showJWE fills the views of a JWE: the kid line, the candidates of both
// layers, the plaintext; the claims are the inner token's.
func (t *jwtTab) showJWE(r *token.Report) {
	t.kidLabel.SetText(jweKidLine(r))
	t.candidates.SetText(jweCandidateLines(r))
	warnings := r.Warnings
	if r.Inner != nil {
		warnings = append(append([]string{}, warnings...), r.Inner.Warnings...)
	}
	t.warnings.SetText(strings.Join(warnings, "\n"))
	t.headerView.set(r.HeaderJSON(), "The JWE's protected header, as the token wrote it.")
	rd := r.JWE.Render()
	switch {
	case !r.JWE.Decrypted:
		t.plainView.set("", "Not decrypted: "+r.JWE.Reason)
		t.claimsView.set("", "Not decrypted: no plaintext to show.")
	case r.Inner != nil:
		t.plainView.set(rd.Text, "The plaintext: a nested JWS (RFC 7519 §5.2); its claims are in the Claims tab.")
		t.claimsView.set(r.ClaimsJSON(), "The inner token's claims, as it wrote them.")
	default:
		note := "The plaintext (" + rd.Kind + ")."
		if rd.Note != "" {
			note = "The plaintext: " + rd.Note + "."
		}
		t.plainView.set(rd.Text, note)
		t.claimsView.set(rd.Text, "No inner token: the plaintext, as decrypted.")
	}
}
