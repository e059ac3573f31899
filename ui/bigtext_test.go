package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

func TestShownTextCapsWhatIsLaidOut(t *testing.T) {
	short := strings.Repeat("line\n", 100)
	if shownText(short) != short {
		t.Error("short text changed")
	}
	// Cut at a line end in the last quarter.
	lines := strings.Repeat(strings.Repeat("a", 99)+"\n", 400) // 40,000 bytes
	got := shownText(lines)
	head, tail, ok := strings.Cut(got, "… ")
	if !ok || len(head) > maxShown || len(head) < maxShown-100 || len(head)%100 != 0 || tail != sizeText(len(lines)-len(head))+" more not shown: Copy or Save gives the whole text.\n" {
		t.Errorf("lines: %d bytes kept, tail %q", len(head), tail)
	}
	// One long line of multi-byte runes: cut on rune boundaries, to
	// maxShown and then to maxLine, each cut saying what it left out.
	long := strings.Repeat("é", 20000) // 40,000 bytes, no line end
	got = shownText(long)
	head, tail, _ = strings.Cut(got, "\n… ")
	want := long[:maxLine] + " … (" + sizeText(maxShown-maxLine) + " more in this line)"
	if head != want || tail != sizeText(len(long)-maxShown)+" more not shown: Copy or Save gives the whole text.\n" {
		t.Errorf("long line: kept %q…, tail %q", head[max(0, len(head)-40):], tail)
	}
	// Long lines among short ones (a padded claim): only they are cut.
	claims := "{\n  \"sub\": \"x\",\n  \"pad\": \"" + strings.Repeat("x", 3000) + "\"\n}\n"
	got = shownText(claims)
	if want := "{\n  \"sub\": \"x\",\n  \"pad\": \"" + strings.Repeat("x", maxLine-10) + " … (" + sizeText(3000+11-maxLine) + " more in this line)\n}\n"; got != want {
		t.Errorf("claims shown as %q", got)
	}
	for n, want := range map[int]string{900: "900 bytes", 31 << 10: "31 KiB", 3 << 19: "1.5 MiB"} {
		if got := sizeText(n); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
	}
}

// An output view lays out at most maxShown, and Copy still gives it all.
func TestOutputViewCopiesWhatItDoesNotShow(t *testing.T) {
	_, mw := newTestWindow(t)
	jt := mw.jwt
	big := `{"pad":"` + strings.Repeat("x", 47000) + `"}`
	jt.claimsView.set(big, "claims")
	if len(jt.claimsView.text.Text) > maxShown+100 || !strings.Contains(jt.claimsView.text.Text, "more not shown") {
		t.Errorf("laid out %d bytes", len(jt.claimsView.text.Text))
	}
	if jt.claimsView.content != big {
		t.Error("the view lost the content it does not show")
	}
	// The same content again (re-inspected after the key set changed)
	// keeps what is shown and takes the new caption.
	shown := jt.claimsView.text.Text
	jt.claimsView.set(big, "claims, again")
	if jt.claimsView.text.Text != shown || jt.claimsView.caption.Text != "claims, again" || jt.claimsView.content != big {
		t.Errorf("set again: caption %q, %d bytes shown", jt.claimsView.caption.Text, len(jt.claimsView.text.Text))
	}
	jt.claimsView.set("{}", "small")
	if jt.claimsView.text.Text != "{}" {
		t.Errorf("new content not shown: %q", jt.claimsView.text.Text)
	}
}

// A big text is shown unwrapped (wrapping it stalls the window), and wraps
// again once it is short; pastes over the cap are refused in every box.
func TestCappedEntriesWrapAndRefuse(t *testing.T) {
	_, mw := newTestWindow(t)
	jt := mw.jwt
	e := jt.tokenEntry
	inspectWait(t, jt, func() { e.SetText("eyJ" + strings.Repeat("A", 9<<10)) })
	if e.Wrapping != fyne.TextWrapOff {
		t.Error("a 9 KiB token is wrapped")
	}
	inspectWait(t, jt, func() { e.SetText("eyJhbGciOiJub25lIn0.e30.") })
	if e.Wrapping != fyne.TextWrapWord {
		t.Error("a short token is not wrapped")
	}
	// Pasting into a short text so that it gets long.
	mw.sh.app.Clipboard().SetContent(strings.Repeat("A", 9<<10))
	inspectWait(t, jt, func() { e.TypedShortcut(&fyne.ShortcutPaste{Clipboard: mw.sh.app.Clipboard()}) })
	if e.Wrapping != fyne.TextWrapOff || len(e.Text) < 9<<10 {
		t.Errorf("after a 9 KiB paste: wrapping %v, %d bytes", e.Wrapping, len(e.Text))
	}

	huge := strings.Repeat("A", 2<<20)
	cases := []struct {
		name  string
		entry *cappedEntry
		err   func() string
		want  string
	}{
		{"JWKS paste box", mw.jwks.pasteEntry, func() string { return mw.jwks.pasteErr.Text },
			"Not pasted: the clipboard holds 2048 KiB, over the 1024 KiB limit for keys and key sets. Your text is unchanged; fetch the set from its URL, or open the file with Ctrl+O."},
		{"JWT pasted keys", jt.keysEntry, func() string { return jt.keysErr.Text },
			"Not pasted: the clipboard holds 2048 KiB, over the 1024 KiB limit for keys and key sets. Your text is unchanged; add the set to the JWKS tab (fetch it, or open it with Ctrl+O) and verify against the workspace."},
	}
	for _, c := range cases {
		if c.entry == jt.keysEntry {
			inspectWait(t, jt, func() { c.entry.SetText("kept") })
		} else {
			c.entry.SetText("kept")
		}
		mw.sh.app.Clipboard().SetContent(huge)
		c.entry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: mw.sh.app.Clipboard()})
		if c.entry.Text != "kept" || c.err() != c.want {
			t.Errorf("%s: text %q, message %q", c.name, c.entry.Text, c.err())
		}
	}
}

// A text over the hold size is kept whole but not laid out: the card says
// what it is, the tab works on it, and Clear lets the user start again.
func TestCappedEntryHoldsLongText(t *testing.T) {
	_, mw := newTestWindow(t)
	mw.sh.wsListeners = []func(){mw.jwks.refresh} // see TestJWKSTabTenThousandKeys
	j := mw.jwks
	// Two keys padded past the hold size (a thousand keys would lint in a
	// goroutine, which Fyne's test driver runs concurrently with the test).
	k1, _ := jwkText(t, keys.Spec{Kty: keys.KtyOKP}, true)
	k2, _ := jwkText(t, keys.Spec{Kty: keys.KtyEC}, true)
	set := []byte(`{"keys": [` + strings.Repeat(" ", holdLimit) + k1 + ", " + k2 + "]}")
	if len(set) <= holdLimit {
		t.Fatalf("the set is only %d bytes", len(set))
	}
	mw.routeText(string(set), "the clipboard")
	e := j.pasteEntry
	if e.Text != "" || e.Value() != string(set) || !e.heldCard.Visible() || e.Entry.Visible() {
		t.Fatalf("not held: %d bytes in the entry, card shown %v", len(e.Text), e.heldCard.Visible())
	}
	if want := sizeText(len(set)) + " pasted (" + plural(strings.Count(string(set), "\n")+1, "line", "lines") + ") — too long to show for editing, so it is kept as it is and used whole. Clear it to paste or type something else."; e.heldNote.Text != want {
		t.Errorf("note %q", e.heldNote.Text)
	}
	wait(t, &j.afterPaste, func() { test.Tap(j.pasteBtn) })
	if mw.sh.ws.Len() != 2 {
		t.Errorf("%d keys added from the held text", mw.sh.ws.Len())
	}
	test.Tap(e.heldBtn)
	if e.Value() != "" || e.heldCard.Visible() || !e.Entry.Visible() {
		t.Error("Clear did not bring the empty entry back")
	}

	// A pasted long text is held too, replacing what was there.
	e.SetText("short")
	mw.sh.app.Clipboard().SetContent(string(set))
	e.TypedShortcut(&fyne.ShortcutPaste{Clipboard: mw.sh.app.Clipboard()})
	if e.Value() != string(set) || !e.heldCard.Visible() {
		t.Error("a long paste was not held")
	}
}

// The PEM / JWK tab converts a held bundle, and a long token is held at
// 16 KiB yet inspected.
func TestHeldTextIsUsed(t *testing.T) {
	_, mw := newTestWindow(t)
	p := mw.pem
	chain := pemFixture(t, "chain.pem")
	bundle := strings.Repeat(chain, holdLimit/len(chain)+1)
	convertWait(t, p, func() { mw.routeText(bundle, "a file") })
	if !p.input.heldCard.Visible() || p.input.heldBtn.Visible() || p.pubJWK.content == "" {
		t.Errorf("bundle held %v (own Clear shown %v), converted %v: %q", p.input.heldCard.Visible(), p.input.heldBtn.Visible(), p.pubJWK.content != "", p.inputErr.Text)
	}
	if !strings.Contains(p.found.Text, "… and ") {
		t.Errorf("found list not cut: %d bytes", len(p.found.Text))
	}

	jt := mw.jwt
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "big"})
	tok := signToken(t, g.Private, map[string]any{"pad": strings.Repeat("x", 20<<10)}, "big")
	inspectWait(t, jt, func() { mw.routeText(tok, "the clipboard") })
	if !jt.tokenEntry.heldCard.Visible() || jt.report == nil || jt.report.Kid != "big" {
		t.Errorf("token held %v, inspected %v", jt.tokenEntry.heldCard.Visible(), jt.report != nil)
	}
}
