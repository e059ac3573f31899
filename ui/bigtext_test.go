package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
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
	if !ok || len(head) > maxShown || len(head)%100 != 0 || tail != "23 KiB more not shown: Copy or Save gives the whole text.\n" {
		t.Errorf("lines: %d bytes kept, tail %q", len(head), tail)
	}
	// One long line of multi-byte runes: cut on a rune boundary.
	long := strings.Repeat("é", 20000) // 40,000 bytes, no line end
	got = shownText(long)
	head, tail, _ = strings.Cut(got, "\n… ")
	if !strings.HasPrefix(long, head) || len(head) != maxShown || tail != "23 KiB more not shown: Copy or Save gives the whole text.\n" {
		t.Errorf("long line: %d bytes kept, tail %q", len(head), tail)
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
	if e.Wrapping != fyne.TextWrapBreak {
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
