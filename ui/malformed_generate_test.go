package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// genInput is one filling of the Generate form.
type genInput struct {
	name            string
	kty, shape, use string
	kid, custom     string
	cert            bool
	cn, days        string
	want            string // the message next to the form; "" = generates
	wantKid         string // for inputs that generate: the kid written
}

func generateMalformed() []genInput {
	ec := func(name, kid, custom string, cert bool, cn, days, want string) genInput {
		return genInput{name: name, kty: "EC", shape: "P-256", use: "sig", kid: kid, custom: custom, cert: cert, cn: cn, days: days, want: want}
	}
	custom := func(name, kid, want string) genInput {
		return ec(name, string(keys.KidCustom), kid, false, "", "", want)
	}
	cert := func(name, cn, days, want string) genInput {
		return ec(name, string(keys.KidThumbprint), "", true, cn, days, want)
	}
	ctrl := "custom kid holds the control character %s: remove it (a pasted line break or tab, perhaps)"
	return []genInput{
		custom("empty kid", "", "Custom kid is empty: type the kid to use, or choose another kid strategy"),
		custom("blank kid", " \t ", "Custom kid is empty: type the kid to use, or choose another kid strategy"),
		custom("line break in kid", "key\n2026", sentence(strings.Replace(ctrl, "%s", "U+000A", 1))),
		custom("tab in kid", "key\t2026", sentence(strings.Replace(ctrl, "%s", "U+0009", 1))),
		custom("NUL in kid", "key\x002026", sentence(strings.Replace(ctrl, "%s", "U+0000", 1))),
		custom("escape in kid", "key\x1b[31m", sentence(strings.Replace(ctrl, "%s", "U+001B", 1))),
		custom("DEL in kid", "key\x7f", sentence(strings.Replace(ctrl, "%s", "U+007F", 1))),
		custom("257-character kid", strings.Repeat("k", 257), "Custom kid is 257 characters long: keep it to 256 (it is sent in every token header)"),
		custom("10 KiB kid", strings.Repeat("k", 10<<10), "Custom kid is 10240 characters long: keep it to 256 (it is sent in every token header)"),
		custom("invalid UTF-8 kid", "key\xff", "Custom kid is not valid UTF-8 text: retype it"),
		// Empty days and CN take the defaults shown as their hints (365, JWK Desk).
		{name: "empty days", kty: "EC", shape: "P-256", use: "sig", kid: string(keys.KidCustom), custom: "d", cert: true, cn: "issuer.example", wantKid: "d"},
		cert("words for days", "issuer.example", "a year", "Valid (days): type a whole number of days, such as 365"),
		cert("fractional days", "issuer.example", "1.5", "Valid (days): type a whole number of days, such as 365"),
		cert("exponent days", "issuer.example", "3e2", "Valid (days): type a whole number of days, such as 365"),
		cert("Arabic-Indic digits", "issuer.example", "٣٠", "Valid (days): type a whole number of days, such as 365"),
		cert("overflowing days", "issuer.example", "99999999999999999999", "Valid (days): type a whole number of days, such as 365"),
		cert("negative days", "issuer.example", "-1", "Certificate validity must be 1 to 36500 days, not -1"),
		cert("zero days", "issuer.example", "0", "Certificate validity must be 1 to 36500 days, not 0"),
		cert("a century and a day", "issuer.example", "36501", "Certificate validity must be 1 to 36500 days, not 36501"),
		{name: "empty CN", kty: "EC", shape: "P-256", use: "sig", kid: string(keys.KidCustom), custom: "c", cert: true, days: "30", wantKid: "c"},
		{name: "blank CN", kty: "EC", shape: "P-256", use: "sig", kid: string(keys.KidCustom), custom: "b", cert: true, cn: "   ", days: "30", wantKid: "b"},
		cert("65-character CN", strings.Repeat("c", 65), "30", "Certificate subject CN is 65 characters long: X.509 allows at most 64 (RFC 5280)"),
		cert("10 KiB CN", strings.Repeat("c", 10<<10), "30", "Certificate subject CN is 10240 characters long: X.509 allows at most 64 (RFC 5280)"),
		cert("line break in CN", "issuer\nexample", "30", "Certificate subject CN holds the control character U+000A: remove it"),
		cert("NUL in CN", "issuer\x00example", "30", "Certificate subject CN holds the control character U+0000: remove it"),
		{name: "thumbprint kid for a secret", kty: "oct", shape: "256", use: "sig", kid: string(keys.KidThumbprint),
			want: "A thumbprint kid would publish a hash of the secret: choose uuid, date or custom for oct keys"},
		{name: "certificate for an encryption key", kty: "OKP", shape: "X25519", use: "enc", kid: string(keys.KidThumbprint), cert: true, cn: "issuer.example", days: "30",
			want: "A self-signed certificate needs an RSA, EC P-256/P-384/P-521 or Ed25519 signing key"},
		{name: "certificate for secp256k1", kty: "EC", shape: "secp256k1", use: "sig", kid: string(keys.KidThumbprint), cert: true, cn: "issuer.example", days: "30",
			want: "A self-signed certificate needs an RSA, EC P-256/P-384/P-521 or Ed25519 signing key"},
		// Lenient where it is safe: surrounding spaces are trimmed.
		{name: "spaces around kid and days", kty: "EC", shape: "P-256", use: "sig", kid: string(keys.KidCustom), custom: "  signing-2026  ", cert: true, cn: " issuer.example ", days: " 30 ", wantKid: "signing-2026"},
		{name: "kid in another script", kty: "EC", shape: "P-256", use: "sig", kid: string(keys.KidCustom), custom: "clé-éphémère-✓", wantKid: "clé-éphémère-✓"},
	}
}

// TestGenerateTabMalformedInputs: every bad filling of the form is refused
// with its exact message next to the form, the fields keep what was typed,
// the last generated key stays, and nothing panics.
func TestGenerateTabMalformedInputs(t *testing.T) {
	_, mw := newTestWindow(t)
	g := mw.generate
	choose(g, "EC", "P-256", "sig")
	generate(t, g, func() { test.Tap(g.genBtn) })
	last := g.pubJWK.content
	cases := generateMalformed()
	if len(cases) < 25 {
		t.Fatalf("only %d malformed inputs", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			choose(g, c.kty, c.shape, c.use)
			g.kidSel.SetSelected(c.kid)
			g.customKid.SetText(c.custom)
			g.certCheck.SetChecked(c.cert)
			g.certCN.SetText(c.cn)
			g.certDays.SetText(c.days)
			generate(t, g, func() { test.Tap(g.genBtn) })
			if c.want == "" {
				if g.errLabel.Visible() {
					t.Fatalf("refused: %q", g.errLabel.Text)
				}
				if kid, _ := g.current.Private.KeyID(); kid != c.wantKid {
					t.Errorf("kid %q, want %q", kid, c.wantKid)
				}
				last = g.pubJWK.content
				return
			}
			if !g.errLabel.Visible() || g.errLabel.Text != c.want {
				t.Errorf("message\n got %q\nwant %q", g.errLabel.Text, c.want)
			}
			if g.customKid.Text != c.custom || g.certCN.Text != c.cn || g.certDays.Text != c.days {
				t.Error("the form lost what was typed")
			}
			if g.pubJWK.content != last {
				t.Error("the last generated key was replaced")
			}
		})
	}
	if mw.sh.ws.Len() != 0 {
		t.Error("a refused input reached the workspace")
	}
}
