package token

import (
	"fmt"
	"strings"
)

// Text is the report as plain text for a terminal (jwkdesk inspect
// --text): the verdict first, then the header's deciding members, the key
// source, every candidate with its outcome, the claims or the plaintext,
// the time claims and the warnings; a nested token's report follows,
// indented.
func (r *Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "verdict: %s\nstate: %s\n", r.Verdict, r.State)
	if r.JWE != nil {
		r.jweText(&b)
	} else {
		r.jwsText(&b)
	}
	for _, tc := range r.Times {
		if r.Inner != nil {
			break // a nested token's time claims are the inner token's, told there
		}
		fmt.Fprintf(&b, "%s: %s", tc.Name, tc.Raw)
		if tc.UTC != "" {
			fmt.Fprintf(&b, " = %s (%s)", tc.UTC, tc.Relative)
		}
		b.WriteString("\n")
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	if r.Inner != nil {
		b.WriteString("inner token (JWS):\n")
		for _, line := range strings.Split(strings.TrimRight(r.Inner.Text(), "\n"), "\n") {
			fmt.Fprintf(&b, "  %s\n", line)
		}
	}
	return b.String()
}

func (r *Report) jwsText(b *strings.Builder) {
	fmt.Fprintf(b, "token: JWS · alg %s · %s\n", r.Alg, kidText(r.Kid, r.HasKid))
	fmt.Fprintf(b, "key source: %s\n", r.KeySource)
	b.WriteString("candidates:\n")
	if len(r.Candidates) == 0 {
		b.WriteString("  none\n")
	}
	for _, c := range r.Candidates {
		mark := "✗"
		if c.Verified {
			mark = "✓"
		}
		fmt.Fprintf(b, "  %s %s [%s]: %s\n", mark, kidText(c.Kid, c.Kid != ""), strings.TrimSpace(c.Kty+" "+c.Alg), c.Outcome)
	}
	if text := r.ClaimsJSON(); text != "" {
		fmt.Fprintf(b, "claims:\n%s\n", text)
	}
}

func (r *Report) jweText(b *strings.Builder) {
	j := r.JWE
	parts := []string{"token: JWE", "alg " + j.Alg, "enc " + j.Enc, kidText(j.Kid, j.HasKid)}
	for _, m := range []struct{ name, v string }{{"zip", j.Zip}, {"cty", j.Cty}, {"epk curve", j.EPKCurve}} {
		if m.v != "" {
			parts = append(parts, m.name+" "+m.v)
		}
	}
	if j.P2C > 0 {
		parts = append(parts, fmt.Sprintf("p2c %d", j.P2C))
	}
	fmt.Fprintf(b, "%s\nkey source: %s\ncandidates:\n", strings.Join(parts, " · "), j.KeySource)
	if len(j.Candidates) == 0 {
		b.WriteString("  none\n")
	}
	for _, c := range j.Candidates {
		mark := "✗"
		if c.Decrypted {
			mark = "✓"
		}
		fmt.Fprintf(b, "  %s %s [%s]: %s\n", mark, kidText(c.Kid, c.HasKid), strings.Join(strings.Fields(c.Kty+" "+c.Crv+" "+c.Alg), " "), c.Outcome)
	}
	if !j.Decrypted {
		b.WriteString("decrypted: no\n")
		return
	}
	fmt.Fprintf(b, "decrypted: yes, key %s\n", kidText(j.Key, j.Key != ""))
	rd := j.Render()
	fmt.Fprintf(b, "plaintext (%s):\n%s\n", rd.Kind, rd.Text)
	if rd.Note != "" {
		fmt.Fprintf(b, "note: %s\n", rd.Note)
	}
}

func kidText(kid string, has bool) string {
	if !has {
		return "no kid"
	}
	return fmt.Sprintf("kid %q", kid)
}
