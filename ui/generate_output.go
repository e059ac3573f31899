package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

func (t *generateTab) clearOutputs() {
	const none = "Nothing generated yet."
	for _, v := range []*outputView{t.pubJWK, t.privJWK, t.pubPEM, t.privPEM, t.jwks, t.details} {
		v.set("", none)
	}
	t.pubPEMFormat.Hide()
	t.privPEMFormat.Hide()
}

func (t *generateTab) outputsShown() bool {
	return len(t.outArea.Objects) == 1 && t.outArea.Objects[0] == t.outTabs
}

// showOutputs puts the output tabs in place of the hint (once).
func (t *generateTab) showOutputs() {
	if !t.outputsShown() {
		t.outArea.Objects = []fyne.CanvasObject{t.outTabs}
		t.outArea.Refresh()
	}
}

// show fills every output view from a generated key.
func (t *generateTab) show(g *keys.Generated) {
	t.showOutputs()
	t.current = g
	t.addBtn.Enable()
	kid, _ := g.Private.KeyID()
	priv, err := keys.MarshalJWK(g.Private)
	if err != nil {
		t.sh.showError("showing the key", err)
		return
	}
	t.privJWK.set(string(priv), "Private JWK: keep it secret.")
	if g.Public == nil {
		note := keys.ErrNoPublicForm.Error() + "."
		t.pubJWK.set("", note)
		t.jwks.set("", note)
		t.pubPEM.set("", "An oct secret has no PEM form.")
		t.privPEM.set("", "An oct secret has no PEM form: copy the private JWK.")
		t.details.set("", "No thumbprint: a kid must never be derived from a hash of the secret.")
		t.thumbLabel.SetText(fmt.Sprintf("kid %s · oct secret: no thumbprint, no public form", kid))
		t.pubPEMFormat.Hide()
		t.privPEMFormat.Hide()
		return
	}
	pub, _ := keys.MarshalPublicJWK(g.Private)
	t.pubJWK.set(string(pub), "Public JWK: safe to publish. Copy with Ctrl+Shift+C.")
	set, _ := keys.MarshalPublicJWKS(g.Private)
	t.jwks.set(string(set), "A one-key public JWKS, ready for /.well-known/jwks.json.")
	t.details.set(detailsText(g), "RFC 7638 thumbprint and the canonical JSON that was hashed.")
	if kid == g.Thumbprint.Value {
		t.thumbLabel.SetText("kid = RFC 7638 SHA-256 thumbprint: " + kid)
	} else {
		t.thumbLabel.SetText(fmt.Sprintf("kid: %s\nRFC 7638 SHA-256 thumbprint: %s", kid, g.Thumbprint.Value))
	}
	t.pubPEMFormat.Options = formatNames(keys.PEMFormatsFor(g.Private, true))
	t.privPEMFormat.Options = formatNames(keys.PEMFormatsFor(g.Private, false))
	t.pubPEMFormat.Show()
	t.privPEMFormat.Show()
	t.loading = true
	keepOrFirst(t.pubPEMFormat)
	keepOrFirst(t.privPEMFormat)
	t.loading = false
	t.showPEM()
}

func detailsText(g *keys.Generated) string {
	var b strings.Builder
	tp, err := keys.ComputeThumbprint(g.Private)
	if err != nil {
		return "The thumbprint cannot be explained: " + err.Error() + "\n"
	}
	fmt.Fprintf(&b, "Thumbprint (SHA-256, RFC 7638):\n%s\n\nCanonical JSON hashed:\n%s\n", tp.Value, tp.Canonical)
	if certPEM, err := keys.CertificatePEM(g.Private); err == nil && certPEM != nil {
		fmt.Fprintf(&b, "\nSelf-signed certificate (x5c[0]):\n%s", certPEM)
	}
	return b.String()
}

func formatNames(fs []keys.PEMFormat) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = pemFormatName(f)
	}
	return out
}

func pemFormatName(f keys.PEMFormat) string {
	switch f {
	case keys.PEMSPKI:
		return "SPKI"
	case keys.PEMPKCS1:
		return "PKCS#1"
	case keys.PEMPKCS8:
		return "PKCS#8"
	case keys.PEMSEC1:
		return "SEC1"
	}
	return string(f)
}

func pemFormatByName(name string) keys.PEMFormat {
	for _, f := range []keys.PEMFormat{keys.PEMSPKI, keys.PEMPKCS1, keys.PEMPKCS8, keys.PEMSEC1} {
		if pemFormatName(f) == name {
			return f
		}
	}
	return ""
}

func keepOrFirst(s *widget.Select) {
	if !slices.Contains(s.Options, s.Selected) && len(s.Options) > 0 {
		s.SetSelected(s.Options[0])
	}
	s.Refresh()
}

// showPEM renders both PEM views in the chosen flavours.
func (t *generateTab) showPEM() {
	if t.loading || t.current == nil || t.current.Public == nil {
		return
	}
	for _, pv := range []struct {
		view   *outputView
		sel    *widget.Select
		public bool
	}{{t.pubPEM, t.pubPEMFormat, true}, {t.privPEM, t.privPEMFormat, false}} {
		out, err := keys.ExportPEM(t.current.Private, pemFormatByName(pv.sel.Selected), pv.public)
		if err != nil {
			pv.view.set("", err.Error())
			continue
		}
		pv.view.set(string(out.PEM), out.Label)
	}
}

func (t *generateTab) onCopy(v *outputView) {
	t.sh.copy(v.content, v.what, v.private)
}

func (t *generateTab) onSave(v *outputView) {
	if t.current == nil {
		return
	}
	kid, _ := t.current.Private.KeyID()
	ext := map[string]string{
		"public JWK": ".public.jwk.json", "private JWK": ".private.jwk.json",
		"public PEM": ".public.pem", "private PEM": ".private.pem",
		"public JWKS": ".jwks.json", "thumbprint details": ".thumbprint.txt",
	}[v.what]
	if v == t.privJWK { // encrypted with a passphrase by default (issue 19)
		k, content := t.current.Private, []byte(v.content)
		t.sh.askExport(v.what, func(pass []byte) {
			if pass != nil {
				t.sh.saveSealed(fileSafe(kid)+".private.jwe.json", v.what, []jwk.Key{k}, false, pass, t.afterExport)
				return
			}
			t.sh.saveKeys(fileSafe(kid)+ext, v.what, content, k)
		})
		return
	}
	if v.private {
		t.sh.saveKeys(fileSafe(kid)+ext, v.what, []byte(v.content), t.current.Private)
		return
	}
	t.sh.save(fileSafe(kid)+ext, v.what, []byte(v.content), v.private)
}

// copyMain copies the main public output: the public JWK (Ctrl+Shift+C).
func (t *generateTab) copyMain() {
	if t.current == nil {
		t.sh.setStatus("Nothing to copy yet: press Generate (Ctrl+G) first.")
		return
	}
	if t.current.Public == nil {
		t.sh.setStatus("An oct secret has no public form: use Copy on the Private JWK tab.")
		return
	}
	t.onCopy(t.pubJWK)
}

// copyPrivate copies the private JWK; the clipboard is cleared after the
// delay (Ctrl+Shift+K).
func (t *generateTab) copyPrivate() {
	if t.current == nil {
		t.sh.setStatus("Nothing to copy yet: press Generate (Ctrl+G) first.")
		return
	}
	t.onCopy(t.privJWK)
}

// saveCurrent saves the output view in front (Ctrl+S).
func (t *generateTab) saveCurrent() {
	views := []*outputView{t.pubJWK, t.privJWK, t.pubPEM, t.privPEM, t.jwks, t.details}
	i := t.outTabs.SelectedIndex()
	if i < 0 || i >= len(views) || views[i].content == "" {
		t.sh.setStatus("Nothing to save yet: press Generate (Ctrl+G) first.")
		return
	}
	t.onSave(views[i])
}
