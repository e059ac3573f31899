package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

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

// onPaste reads the pasted text in a goroutine and adds its keys.
func (t *jwksTab) onPaste() {
	text := t.pasteEntry.Value()
	if strings.TrimSpace(text) == "" {
		showErr(t.pasteErr, fmt.Errorf("nothing to add: paste a JWK, a JWKS or PEM keys in the box above"))
		t.finishPaste()
		return
	}
	if len(text) > maxPaste {
		showErr(t.pasteErr, fmt.Errorf("the pasted text is %d KiB, over the %d KiB limit: add the keys in parts", len(text)/1024, maxPaste/1024))
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
		var tok *keys.TokenError
		switch {
		case errors.As(err, &notJSON):
			msg += ": check that the whole key or set was pasted"
		case errors.As(err, &tok) && tok.Kind == input.KindJWT:
			msg += ": the JWT tab inspects it"
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
