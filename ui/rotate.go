package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// onRotate says what a rotation will do and does it once confirmed: the
// key marked next takes over, or a key like the current signing key is
// generated off the main goroutine. Afterwards a dialog says what changed
// and offers the new private key, which exists only in this window.
func (t *jwksTab) onRotate() {
	if t.rotating {
		return
	}
	plan, err := t.sh.ws.PlanRotation()
	if err != nil {
		t.sh.setStatus(sentence(err.Error()) + ".")
		t.finishRotate()
		return
	}
	old, _ := t.sh.ws.Entry(plan.Old)
	what := t.rotationText(plan, old)
	answered := false
	t.sh.ask("Rotate the signing key?", what, "Rotate", "Cancel", func() {
		answered = true
		if plan.Next >= 0 {
			t.rotateToNext(plan, old)
			return
		}
		t.rotateToNew(plan, old)
	})
	if !answered {
		t.finishRotate() // asked; nothing done yet
	}
}

// rotationText is the question: what will retire and what takes over.
func (t *jwksTab) rotationText(plan keyset.RotationPlan, old keyset.Entry) string {
	oldKid, _ := old.Key.KeyID()
	retire := fmt.Sprintf("key %d (kid %s) is marked retiring", plan.Old+1, orNone(oldKid))
	if plan.Next >= 0 {
		next, _ := t.sh.ws.Entry(plan.Next)
		nextKid, _ := next.Key.KeyID()
		return fmt.Sprintf("Key %d (kid %s), which you marked next, moves first and takes over; %s. No key is generated; both stay published.",
			plan.Next+1, orNone(nextKid), retire)
	}
	return fmt.Sprintf("A new %s key (%s) is generated and put first, marked next; %s. Both stay published. The new private key exists only in this window until you save it.",
		keys.DescribeKey(old.Key), plan.Spec.Alg, retire)
}

func (t *jwksTab) rotateToNext(plan keyset.RotationPlan, old keyset.Entry) {
	next, _ := t.sh.ws.Entry(plan.Next)
	defer t.finishRotate()
	if err := t.sh.ws.ApplyRotationToNext(old.Thumbprint, next.Thumbprint); err != nil {
		t.sh.showError("rotating", err)
		return
	}
	t.rotated(next.Key, old.Key, false)
}

func (t *jwksTab) rotateToNew(plan keyset.RotationPlan, old keyset.Entry) {
	t.rotating = true
	t.rotateBtn.Disable()
	t.sh.setStatus(fmt.Sprintf("Generating the next key (%s)…", keys.DescribeKey(old.Key)))
	go func() {
		g, err := keys.Generate(plan.Spec)
		fyne.Do(func() {
			defer t.finishRotate()
			t.rotating = false
			t.rotateBtn.Enable()
			if err == nil {
				err = t.sh.ws.ApplyRotation(old.Thumbprint, g)
			}
			if err != nil {
				t.sh.showError("rotating", err)
				return
			}
			t.sh.madePrivate(g.Private, "rotation")
			t.rotated(g.Private, old.Key, true)
		})
	}()
}

// rotated shows the workspace after a rotation and says what changed: a
// short status line, and a dialog with the whole story and, for a new
// key, its private JWK to save or copy.
func (t *jwksTab) rotated(next, old jwk.Key, generated bool) {
	newKid, _ := next.KeyID()
	oldKid, _ := old.KeyID()
	t.selected = 0
	t.changed()
	t.list.Select(0)
	t.outTabs.SelectIndex(1)
	how := "moved"
	if generated {
		how = "added"
	}
	t.sh.setStatus(fmt.Sprintf("Rotated: %s %s first (next), %s marked retiring.", orNone(newKid), how, orNone(oldKid)))
	t.lastRotation = rotationResult(next, newKid, oldKid, generated)
	if t.showRotation != nil {
		t.showRotation(t.lastRotation)
		return
	}
	t.rotationDialog(t.lastRotation)
}

// rotationSummary is what the rotation dialog says and offers.
type rotationSummary struct {
	text      string
	key       jwk.Key // the new private key, or nil when no key was generated
	private   []byte  // its private JWK
	fileName  string
	generated bool
}

func rotationResult(next jwk.Key, newKid, oldKid string, generated bool) rotationSummary {
	s := rotationSummary{generated: generated,
		text: fmt.Sprintf("Key %s is now first, marked next, and key %s is marked retiring; both are published. Publish this JWKS now, and sign with the new key once verifiers' caches have expired (often 24 h); then remove the retiring key.",
			orNone(newKid), orNone(oldKid))}
	if generated && keys.IsPrivate(next) {
		s.key = next
		s.private, _ = keys.MarshalJWK(next)
		s.fileName = fileSafe(newKid) + ".private.jwk.json"
		s.text += " The new private key exists only in this window: save it (mode 0600) or copy it into your secret store."
	}
	return s
}

// rotationDialog shows a rotation's summary with Save and Copy for a new
// private key.
func (t *jwksTab) rotationDialog(r rotationSummary) {
	width := min(float32(480), t.sh.win.Canvas().Size().Width-80)
	content := []fyne.CanvasObject{textLabel(r.text)}
	if r.key != nil {
		save := widget.NewButtonWithIcon("Save private JWK…", theme.DocumentSaveIcon(), func() {
			t.sh.saveKeys(r.fileName, "private JWK", r.private, r.key)
		})
		save.Importance = widget.HighImportance
		copyBtn := widget.NewButtonWithIcon("Copy private JWK", theme.ContentCopyIcon(), func() {
			t.sh.copy(string(r.private), "private JWK", true)
		})
		content = append(content, container.NewHBox(layout.NewSpacer(), copyBtn, save))
	}
	dialog.ShowCustom("Rotated", "Close", atWidth(max(width, 260), content...), t.sh.win)
}

func (t *jwksTab) finishRotate() {
	if t.afterRotate != nil {
		t.afterRotate()
	}
}
