package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
	"github.com/jwkdesk/jwkdesk/convert/token"
)

// wait runs press and waits for the hook it sets to be called.
func wait(t *testing.T, hook *func(), press func()) {
	t.Helper()
	done := make(chan struct{})
	*hook = func() { close(done) }
	press()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("the work did not finish")
	}
	*hook = nil
}

func paste(t *testing.T, j *jwksTab, text string) {
	t.Helper()
	j.pasteEntry.SetText(text)
	wait(t, &j.afterPaste, func() { test.Tap(j.pasteBtn) })
}

func jwkText(t *testing.T, spec keys.Spec, public bool) (string, *keys.Generated) {
	t.Helper()
	g, err := keys.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	var b []byte
	if public {
		b, err = keys.MarshalPublicJWK(g.Private)
	} else {
		b, err = keys.MarshalJWK(g.Private)
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b), g
}

func rowBadge(t *testing.T, j *jwksTab, id int) string {
	t.Helper()
	o := j.newRow()
	j.updateRow(id, o)
	return o.(*fyne.Container).Objects[1].(*widget.Label).Text
}

func publishedKids(t *testing.T, jwks string) []string {
	t.Helper()
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal([]byte(jwks), &set); err != nil {
		t.Fatalf("not a JWKS: %v\n%s", err, jwks)
	}
	var kids []string
	for _, k := range set.Keys {
		for _, m := range keys.PrivateMembers {
			if _, ok := k[m]; ok {
				t.Errorf("published key holds %q", m)
			}
		}
		kid, _ := k["kid"].(string)
		kids = append(kids, kid)
	}
	return kids
}

func TestJWKSTabAddDedupeDuplicateKidExport(t *testing.T) {
	a, mw := newTestWindow(t)
	j := mw.jwks
	if it := mw.Tabs.Items[tabIndex(t, mw, mw.jwks)]; it.Text != "JWKS" {
		t.Fatalf("JWKS tab titled %q", it.Text)
	}
	mw.Tabs.SelectIndex(tabIndex(t, mw, mw.jwks))

	// Add: a private EC key.
	priv, ec := jwkText(t, keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "k1"}, false)
	paste(t, j, priv)
	if mw.sh.ws.Len() != 1 || mw.sh.status.Text != "Added 1 key to the workspace." {
		t.Fatalf("after add: %d keys, status %q", mw.sh.ws.Len(), mw.sh.status.Text)
	}
	if j.rows[0].title != "k1" || j.rows[0].detail != "EC P-256 · ES256 · sig · 🔒 private" || rowBadge(t, j, 0) != "ℹ 1 note" {
		t.Errorf("row %+v badge %q", j.rows[0], rowBadge(t, j, 0))
	}
	if j.public.caption.Text != "1 key published; private members stripped from 1 key." || !strings.Contains(j.public.content, `"kid": "k1"`) {
		t.Errorf("public view %q\n%s", j.public.caption.Text, j.public.content)
	}
	publishedKids(t, j.public.content)

	// Dedupe: the same key, public, under another kid.
	pub, _ := keys.MarshalPublicJWK(ec.Private)
	renamed := strings.Replace(string(pub), `"kid": "k1"`, `"kid": "renamed"`, 1)
	paste(t, j, renamed)
	if mw.sh.ws.Len() != 1 || mw.sh.status.Text != "Added 0 keys to the workspace. 1 key was already there (same thumbprint), kept once: renamed." {
		t.Errorf("dedupe: %d keys, %q", mw.sh.ws.Len(), mw.sh.status.Text)
	}

	// Duplicate kid: another EC key named k1.
	other, _ := jwkText(t, keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "k1"}, true)
	paste(t, j, other)
	if mw.sh.ws.Len() != 2 || rowBadge(t, j, 0) != "✖ 1 error" || rowBadge(t, j, 1) != "✖ 1 error" {
		t.Fatalf("duplicate kid: %d keys, badges %q %q", mw.sh.ws.Len(), rowBadge(t, j, 0), rowBadge(t, j, 1))
	}
	if !strings.HasPrefix(j.public.caption.Text, `Not ready to publish: different keys of the same type share kid "k1" (keys 1, 2). Give each key its own kid.`) {
		t.Errorf("caption %q", j.public.caption.Text)
	}
	j.copyMain()
	if a.Clipboard().Content() != "" || mw.sh.status.Text != `Not copied: kid "k1" is shared by different keys; give each key its own kid first.` {
		t.Errorf("copy with a duplicate kid: clipboard %q status %q", a.Clipboard().Content(), mw.sh.status.Text)
	}
	if !strings.Contains(j.summary.Text, "2 keys · lint: 1 error") {
		t.Errorf("summary %q", j.summary.Text)
	}
	j.list.Select(1)
	test.Tap(j.removeBtn)

	// The same kid on an OKP key: RFC 7517 §4.5 allows it, a note.
	other, _ = jwkText(t, keys.Spec{Kty: keys.KtyOKP, KidStrategy: keys.KidCustom, CustomKid: "k1"}, true)
	paste(t, j, other)
	if mw.sh.ws.Len() != 2 || len(j.dupKids) != 0 || strings.HasPrefix(j.public.caption.Text, "Not ready") {
		t.Fatalf("kid across kty: %d keys, caption %q", mw.sh.ws.Len(), j.public.caption.Text)
	}

	// Rename it anyway in the detail view: select key 2, type a kid, Set kid.
	j.list.Select(1)
	if !strings.HasPrefix(j.detailTitle.Text, "Key 2: OKP Ed25519 · EdDSA · sig · public") || !strings.Contains(j.findings.Text, `info: kid "k1" is shared by keys of different types`) {
		t.Errorf("detail %q findings %q", j.detailTitle.Text, j.findings.Text)
	}
	j.kidEntry.SetText("k2")
	test.Tap(j.kidBtn)
	if kids := publishedKids(t, j.public.content); strings.Join(kids, ",") != "k1,k2" || len(j.dupKids) != 0 {
		t.Errorf("after the kid fix: %v", kids)
	}
	// The Use list offers only what fits the key: an Ed25519 key only signs.
	if got := strings.Join(j.useSel.Options, ","); got != "(none),sig" || j.useSel.Selected != keys.UseSig {
		t.Errorf("use options %q selected %q", got, j.useSel.Selected)
	}
	j.algSel.SetSelected("Ed25519")
	if j.detailErr.Visible() || !strings.Contains(j.public.content, `"alg": "Ed25519"`) {
		t.Errorf("alg change: %q", j.detailErr.Text)
	}
	j.noteSel.SetSelected(keyset.NoteNext)
	if mw.sh.ws.Entries()[1].Note != keyset.NoteNext || !strings.HasSuffix(j.rows[1].detail, "★ next") || strings.Contains(j.public.content, "next") {
		t.Errorf("note: %+v", j.rows[1])
	}
	test.Tap(j.upBtn)
	if kids := publishedKids(t, j.public.content); strings.Join(kids, ",") != "k2,k1" || j.selected != 0 {
		t.Errorf("move up: %v selected %d", kids, j.selected)
	}

	// Strip count: an oct secret is left out.
	oct, _ := jwkText(t, keys.Spec{Kty: keys.KtyOct, KidStrategy: keys.KidCustom, CustomKid: "hmac"}, false)
	paste(t, j, oct)
	if j.public.caption.Text != "2 keys published; private members stripped from 1 key; 1 oct secret left out." {
		t.Errorf("strip caption %q", j.public.caption.Text)
	}
	if rowBadge(t, j, 2) != "✖ 1 error" {
		t.Errorf("oct badge %q", rowBadge(t, j, 2))
	}

	// A set with one bad key: the good one imports, the bad one is named,
	// the pasted text stays.
	good, _ := jwkText(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP384}, true)
	bad := `{"keys":[` + good + `,{"kty":"EC","crv":"P-256","x":"@","y":"@","kid":"broken"}]}`
	paste(t, j, bad)
	if mw.sh.ws.Len() != 4 || !strings.HasPrefix(j.pasteErr.Text, "1 key could not be read and was left out:\nkey 2 (kid \"broken\"): member \"x\" is not base64url") || j.pasteEntry.Text != bad {
		t.Errorf("bad key: %d keys, %q", mw.sh.ws.Len(), j.pasteErr.Text)
	}
	paste(t, j, "not a key")
	if !j.pasteErr.Visible() || !strings.HasPrefix(j.pasteErr.Text, "Not a key: paste a PEM key or certificate") || j.pasteEntry.Text != "not a key" {
		t.Errorf("garbage: %q", j.pasteErr.Text)
	}

	// Copy and save the public JWKS (Ctrl+Shift+C, Ctrl+S), and the private
	// one after the confirmation.
	dir := t.TempDir()
	mw.sh.saveDialog = func(name string, onPath func(string)) { onPath(filepath.Join(dir, name)) }
	menuAction(t, mw.Window, fyne.KeyC, fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift)()
	if a.Clipboard().Content() != j.public.content {
		t.Error("Ctrl+Shift+C did not copy the public JWKS")
	}
	menuAction(t, mw.Window, fyne.KeyS, fyne.KeyModifierShortcutDefault)()
	assertFile(t, filepath.Join(dir, "jwks.json"), 0o644, j.public.content)
	var asked string
	j.confirm = func(title, _ string, onOK func()) { asked = title; onOK() }
	test.Tap(j.privBtn)
	data := assertFile(t, filepath.Join(dir, "jwks.private.json"), 0o600, "")
	if asked != "Export private keys?" || !strings.Contains(data, `"d":`) || !strings.Contains(data, `"k":`) {
		t.Errorf("private export after %q:\n%s", asked, data)
	}

	// Remove.
	j.list.Select(3)
	test.Tap(j.removeBtn)
	if mw.sh.ws.Len() != 3 || len(j.rows) != 3 || j.selected != -1 || !j.kidEntry.Disabled() {
		t.Errorf("remove: %d keys", mw.sh.ws.Len())
	}
}

func assertFile(t *testing.T, path string, mode os.FileMode, content string) string {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != mode {
		t.Errorf("%s has mode %o, want %o", path, fi.Mode().Perm(), mode)
	}
	b, _ := os.ReadFile(path)
	if content != "" && string(b) != content {
		t.Errorf("%s holds %q", path, b)
	}
	return string(b)
}

func TestJWKSTabFetch(t *testing.T) {
	_, mw := newTestWindow(t)
	j := mw.jwks
	j.fetchOpts.Timeout = 2 * time.Second
	shared, _ := jwkText(t, keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "shared"}, true)
	paste(t, j, shared)
	other, _ := jwkText(t, keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "remote"}, true)
	set := `{"keys":[` + shared + `,` + other + `]}`
	var srv *httptest.Server
	issuer := ""
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/jwks":
			w.Header().Set("Cache-Control", "public, max-age=300")
			fmt.Fprint(w, set)
		case "/.well-known/openid-configuration":
			fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, issuer, srv.URL+"/jwks")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	j.urlEntry.SetText(srv.URL + "/jwks")
	wait(t, &j.afterFetch, func() { test.Tap(j.fetchBtn) })
	for _, want := range []string{"Fetched " + srv.URL + "/jwks", "HTTP 200 OK", "Cache-Control: public, max-age=300", "Expires: (none)", "Keys found: 2", "EC remote"} {
		if !strings.Contains(j.fetchResult.Text, want) {
			t.Errorf("result lacks %q:\n%s", want, j.fetchResult.Text)
		}
	}
	if j.importBtn.Disabled() || j.compareBtn.Disabled() || j.fetchErr.Visible() || j.fetchBtn.Disabled() {
		t.Error("buttons after a fetch")
	}
	test.Tap(j.compareBtn)
	if !strings.Contains(j.compareText.Text, "Only in the fetched set (1): remote\n") || !strings.Contains(j.compareText.Text, "Same kid, same key (1): shared\n") {
		t.Errorf("compare:\n%s", j.compareText.Text)
	}
	test.Tap(j.importBtn)
	if mw.sh.ws.Len() != 2 || !strings.Contains(mw.sh.status.Text, "Added 1 key to the workspace. 1 key was already there") {
		t.Errorf("import: %d keys, %q", mw.sh.ws.Len(), mw.sh.status.Text)
	}

	// Discovery with an issuer that is not the one asked.
	issuer = "https://elsewhere.example"
	j.urlEntry.SetText(srv.URL)
	wait(t, &j.afterFetch, func() { test.Tap(j.discoverBtn) })
	if !j.fetchErr.Visible() || !strings.Contains(j.fetchErr.Text, `names issuer "https://elsewhere.example", not "`+srv.URL+`" as asked`) || !j.importBtn.Disabled() {
		t.Errorf("mismatched issuer: %q", j.fetchErr.Text)
	}
	issuer = srv.URL
	wait(t, &j.afterFetch, func() { test.Tap(j.discoverBtn) })
	if j.fetchErr.Visible() || !strings.Contains(j.fetchResult.Text, "Issuer "+srv.URL) {
		t.Errorf("discovery: %q %q", j.fetchErr.Text, j.fetchResult.Text)
	}

	// Plain http to another host is refused before anything is sent; the
	// URL stays as typed.
	j.urlEntry.SetText("http://example.com/jwks")
	wait(t, &j.afterFetch, func() { test.Tap(j.fetchBtn) })
	if !strings.HasPrefix(j.fetchErr.Text, "Refused to fetch http://example.com/jwks over plain http") || j.urlEntry.Text != "http://example.com/jwks" {
		t.Errorf("plain http: %q", j.fetchErr.Text)
	}
}

func TestJWKSTabRotateAndWorkspaceFromOtherTabs(t *testing.T) {
	_, mw := newTestWindow(t)
	j := mw.jwks
	wait(t, &j.afterRotate, func() { test.Tap(j.rotateBtn) })
	if mw.sh.status.Text != "Nothing to rotate: add or generate an RSA, EC or Ed25519 signing key first." {
		t.Errorf("empty rotate: %q", mw.sh.status.Text)
	}
	// A key added by the Generate tab appears in the list.
	g := mw.generate
	choose(g, "EC", "P-384", "sig")
	generate(t, g, func() { test.Tap(g.genBtn) })
	test.Tap(g.addBtn)
	if len(j.rows) != 1 || !strings.HasPrefix(j.rows[0].detail, "EC P-384 · ES384 · sig") {
		t.Fatalf("rows %+v", j.rows)
	}
	oldKid := j.rows[0].title
	wait(t, &j.afterRotate, func() { test.Tap(j.rotateBtn) })
	es := mw.sh.ws.Entries()
	if len(es) != 2 || es[0].Note != keyset.NoteNext || es[1].Note != keyset.NoteRetiring || j.rows[1].title != oldKid ||
		!strings.HasPrefix(j.rows[0].detail, "EC P-384 · ES384 · sig · 🔒 private · ★ next") || j.outTabs.SelectedIndex() != 1 {
		t.Fatalf("after rotate: %+v", j.rows)
	}
	if kids := publishedKids(t, j.public.content); len(kids) != 2 || kids[1] != oldKid {
		t.Errorf("published %v", kids)
	}
	if !strings.HasPrefix(mw.sh.status.Text, "Rotated: "+j.rows[0].title+" added first (next), "+oldKid+" marked retiring.") {
		t.Errorf("status %q", mw.sh.status.Text)
	}
}

// stateOptions are window options that keep the workspace in path and hand
// each start-up load to the test (the returned channel) instead of fyne.Do.
func stateOptions(path string) (Options, chan func()) {
	loads := make(chan func(), 2)
	o := testOptions()
	o.stateFile = func(fyne.App) string { return path }
	o.applyLoad = func(apply func()) { loads <- apply }
	return o, loads
}

func TestJWKSTabPersistsThePublicWorkspace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jwks-workspace.json")
	opts, loads := stateOptions(path)

	_, mw := newTestWindowWith(t, opts)
	(<-loads)()
	j := mw.jwks
	priv, ec := jwkText(t, keys.Spec{Kty: keys.KtyEC}, false)
	oct, _ := jwkText(t, keys.Spec{Kty: keys.KtyOct}, false)
	paste(t, j, `{"keys":[`+priv+`,`+oct+`]}`)
	j.store.Wait()
	j.list.Select(0)
	j.noteSel.SetSelected(keyset.NoteRetiring)
	j.store.Wait()
	data := assertFile(t, path, 0o600, "")
	if strings.Contains(data, `"d":`) || strings.Contains(data, `"k":`) || !strings.Contains(data, `"note": "retiring"`) {
		t.Fatalf("saved state:\n%s", data)
	}

	// The next start loads it (public only) without blocking the window.
	_, mw2 := newTestWindowWith(t, opts)
	(<-loads)()
	mw2.jwks.store.Wait() // the load saves again: let that finish inside this test
	es := mw2.sh.ws.Entries()
	if len(es) != 1 || es[0].Thumbprint != ec.Thumbprint.Value || keys.IsPrivate(es[0].Key) || es[0].Note != keyset.NoteRetiring || len(mw2.jwks.rows) != 1 {
		t.Errorf("loaded %+v", es)
	}
	if mw2.sh.status.Text != "Loaded 1 public key saved from the last run." {
		t.Errorf("status %q", mw2.sh.status.Text)
	}
}

func TestJWKSTabMovesACorruptSaveAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "jwks-workspace.json")
	if err := os.WriteFile(path, []byte(`{"version":1,"keys":[{"kty":"EC","crv":"P-2`), 0o600); err != nil { // truncated
		t.Fatal(err)
	}
	opts, loads := stateOptions(path)

	_, mw := newTestWindowWith(t, opts)
	(<-loads)()
	if mw.sh.ws.Len() != 0 || !strings.Contains(mw.sh.status.Text, "The saved key set was damaged") || !strings.Contains(mw.sh.status.Text, ".corrupt-") {
		t.Errorf("status %q, %d keys", mw.sh.status.Text, mw.sh.ws.Len())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || !strings.HasPrefix(entries[0].Name(), "jwks-workspace.json.corrupt-") {
		t.Errorf("files %v", entries)
	}
	// The app goes on saving into a fresh file.
	k, _ := jwkText(t, keys.Spec{Kty: keys.KtyEC}, true)
	paste(t, mw.jwks, k)
	mw.jwks.store.Wait()
	assertFile(t, path, 0o600, "")
}

func TestJWKSTabTenThousandKeys(t *testing.T) {
	_, mw := newTestWindow(t)
	j := mw.jwks
	// Only this tab listens here: Fyne's test driver runs fyne.Do on the
	// calling goroutine, so another tab redrawing on the test goroutine
	// would race with this tab's background lint in Fyne's text cache —
	// something the real driver serialises on its main thread.
	mw.sh.wsListeners = []func(){j.refresh}
	list := make([]jwk.Key, 0, 10000)
	for range 10000 {
		g, err := keys.Generate(keys.Spec{Kty: keys.KtyOKP})
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, g.Public)
	}
	if _, err := mw.sh.ws.Add("bulk", list...); err != nil {
		t.Fatal(err)
	}
	// Lint and export run in a goroutine for a set this big; the rows are
	// there at once.
	wait(t, &j.afterRefresh, func() {
		mw.sh.workspaceChanged()
		if len(j.rows) != 10000 {
			t.Errorf("before the lint: %d rows", len(j.rows))
		}
	})
	if !strings.HasPrefix(j.summary.Text, "10000 keys · lint: ") || j.list.Length() != 10000 || rowBadge(t, j, 9999) != "✔ ok" {
		t.Errorf("summary %q badge %q", j.summary.Text, rowBadge(t, j, 9999))
	}
	// The view shows the start of the set; Copy and Save hold all of it.
	if n := strings.Count(j.public.content, `"kid"`); n != 10000 {
		t.Errorf("public JWKS holds %d kids", n)
	}
	if len(j.public.text.Text) > maxShown+200 || !strings.Contains(j.public.text.Text, "more not shown: Copy or Save gives the whole text.") {
		t.Errorf("view shows %d bytes", len(j.public.text.Text))
	}
}

func TestJWTFetchIssuerKeys(t *testing.T) {
	_, mw := newTestWindow(t)
	g, err := keys.Generate(keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "issuer-key"})
	if err != nil {
		t.Fatal(err)
	}
	set, _ := keys.MarshalPublicJWKS(g.Private)
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, srv.URL, srv.URL+"/keys")
		case "/keys":
			w.Write(set)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	mw.jwks.fetchOpts.Client = srv.Client()
	// The iss comes from the token: asked before anything is sent, and
	// again for an address on this machine.
	var asked []string
	mw.jwks.confirm = func(title, _ string, onOK func()) { asked = append(asked, title); onOK() }
	tok, err := token.Sign(g.Private, []byte(`{"iss":"`+srv.URL+`","sub":"x"}`), "issuer-key")
	if err != nil {
		t.Fatal(err)
	}
	inspectWait(t, mw.jwt, func() { mw.jwt.tokenEntry.SetText(tok) })
	if !mw.jwt.fetchIssuerBtn.Visible() {
		t.Fatal("no Fetch issuer keys button for an iss with a discoverable URL")
	}
	wait(t, &mw.jwks.afterFetch, func() { test.Tap(mw.jwt.fetchIssuerBtn) })
	if mw.current() != mw.jwks || !strings.Contains(mw.jwks.fetchResult.Text, "Keys found: 1") {
		t.Errorf("tab %q, result %q", mw.Tabs.Selected().Text, mw.jwks.fetchResult.Text)
	}
	if strings.Join(asked, "|") != "Fetch the token issuer's keys?|Fetch from this address?" {
		t.Errorf("asked %q", asked)
	}
	// A token whose iss is not a URL offers no fetch.
	plain, _ := token.Sign(g.Private, []byte(`{"iss":"joe"}`), "issuer-key")
	inspectWait(t, mw.jwt, func() { mw.jwt.tokenEntry.SetText(plain) })
	if mw.jwt.fetchIssuerBtn.Visible() {
		t.Error("Fetch issuer keys offered for iss \"joe\"")
	}
}
