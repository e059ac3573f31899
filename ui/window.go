// Package ui is JWK Desk's desktop face: a Fyne window with one tab per job
// over the engine in convert/. No crypto happens here.
package ui

import (
	"fmt"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/atotto/clipboard"

	"github.com/jwkdesk/jwkdesk/assets"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// appIcon is the application icon as Fyne shows it.
var appIcon = fyne.NewStaticResource("icon.png", assets.IconPNG)

// AppID is the application ID (FyneApp.toml's).
const AppID = "io.github.jwkdesk"

// Options tune the main window; the zero value is the real app's.
type Options struct {
	// FyneClipboard forces Fyne's clipboard (tests; machines without xclip).
	FyneClipboard bool
	// fontsLoaded, when set, is waited for before the tabs are built (see
	// preloadFonts).
	fontsLoaded <-chan struct{}
	// stateFile, when set (tests), names the file that keeps the public
	// workspace between runs ("": none); unset, it is stateFileIn's.
	stateFile func(fyne.App) string
	// applyLoad, when set (tests), is handed the last step of loading the
	// saved workspace instead of fyne.Do (see jwksTab.applyLoad).
	applyLoad func(apply func())
	// plainExports (tests written before issue 19) saves private keys in
	// plaintext without asking how.
	plainExports bool
}

// stateFileIn is where the public part of the workspace is kept between
// runs: in the app's storage.
func stateFileIn(a fyne.App) string {
	return filepath.Join(a.Storage().RootURI().Path(), "jwks-workspace.json")
}

// MainWindow is the app window: the tabs, the status line and the parts the
// tabs share.
type MainWindow struct {
	Window   fyne.Window
	Tabs     *container.AppTabs
	Clip     *Clipboard
	generate *generateTab
	pem      *pemTab
	jwt      *jwtTab
	jwks     *jwksTab
	slots    []*tabSlot // in the order of Tabs.Items
	sh       *shell
	// keystore keeps the private keys between restarts (keystore.go);
	// unlock is the unlock dialog shown at start, when there was one.
	keystore   *keyset.Keystore
	unlock     *unlockDialog
	keystoreUI *keystoreSettings // the Settings part, once shown
	// afterRoute, when set (tests), runs once Ctrl+Shift+V has routed what
	// the clipboard held, or failed to read it.
	afterRoute func()
	// closeWindow, when set (tests), replaces closing the window on Quit.
	closeWindow func()
}

// The tabs' places in the window.
const (
	tabGenerate = iota
	tabPEM
	tabJWKS
	tabJWT
)

// tabSlot is one tab of the window. Until it is first shown its TabItem
// holds an empty holder; built tabs keep their content here till then.
type tabSlot struct {
	item    *container.TabItem
	tab     tab               // nil until built
	content fyne.CanvasObject // the built content
	// build makes the tab (setting its MainWindow field) and its item.
	build func() (tab, *container.TabItem)
}

// tab is what the window asks of every tab for the shared shortcuts.
type tab interface {
	// copyMain copies the tab's main public output (Ctrl+Shift+C).
	copyMain()
	// saveCurrent saves the output in front (Ctrl+S).
	saveCurrent()
}

// Run starts the desktop app and blocks until it quits.
func Run() {
	a := app.NewWithID(AppID)
	a.SetIcon(appIcon)
	applyTheme(a)
	stopProfile := startProfile()
	mw := NewMainWindow(a, Options{fontsLoaded: preloadFonts()})
	startHeartbeat()
	a.Lifecycle().SetOnStarted(func() { time.AfterFunc(time.Second, releaseStartupGarbage) })
	mw.Window.ShowAndRun()
	stopProfile()
}

// releaseStartupGarbage collects and hands back to the OS what start-up
// left behind. Parsing font faces (Fyne loads several per text style on
// first use) leaves ~15 MB of garbage on a ~20 MB live heap, and a window
// left idle allocates too little to trigger a collection: the runtime's
// forced one comes after two minutes. Run once, a second after start, off
// the UI goroutine (the collection is concurrent; it takes a few ms).
func releaseStartupGarbage() { debug.FreeOSMemory() }

// preloadFonts loads the regular and bold font faces on a goroutine while
// the main goroutine starts GLFW (~40 ms under Xvfb). Fyne loads the faces
// of a text style the first time it measures one (~50 ms each under
// software GL), and the first window needs these two. The main goroutine
// must measure no text until the returned channel is closed: Fyne's text
// shaper is not safe for concurrent use. Nothing before the tabs measures
// text: the first measurement is in the Generate tab's build.
func preloadFonts() <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		size := theme.TextSize()
		fyne.MeasureText("JWK Desk", size, fyne.TextStyle{})
		fyne.MeasureText("Generate", size, fyne.TextStyle{Bold: true})
	}()
	return done
}

// NewMainWindow builds the window with its tabs, menus and shortcuts.
func NewMainWindow(a fyne.App, opts Options) *MainWindow {
	w := a.NewWindow("JWK Desk")
	w.Resize(fyne.NewSize(1180, 760))
	w.SetIcon(appIcon)

	sh := &shell{app: a, win: w, ws: keyset.NewWorkspace(), status: widget.NewLabel(readyStatus)}
	sh.status.Truncation = fyne.TextTruncateEllipsis
	sh.saveDialog = sh.fyneSaveDialog
	sh.ask = sh.askDialog
	sh.askExport = sh.askPrivateExport
	if opts.plainExports {
		sh.askExport = func(_ string, onChoice func([]byte)) { onChoice(nil) }
	}

	primary := chooseClipboard(clipboard.Unsupported || opts.FyneClipboard, a)
	var fallback clipboardBackend
	if _, isSystem := primary.(systemClipboard); isSystem {
		fallback = fyneClipboard{a.Clipboard()}
	}
	sh.clip = newClipboard(primary, fallback, func() time.Duration { return clipboardClearDelay(a.Preferences()) })
	sh.clip.onCleared = func() { sh.setStatus("Cleared the private material from the clipboard.") }

	mw := &MainWindow{Window: w, Clip: sh.clip, sh: sh}
	// The tabs, in order (Alt+1, Alt+2…). Generate is shown first, and the
	// JWKS tab keeps the saved workspace, so both are built now. The PEM / JWK
	// and JWT tabs are built the first time they are needed (shown, routed
	// to, or asked for by a shortcut), and until a tab is shown its content
	// stays out of the window: AppTabs sizes every item's content, so each
	// tab would otherwise cost its renderers and text layout before the
	// window could appear.
	var genItem, jwksItem *container.TabItem
	if opts.fontsLoaded != nil {
		<-opts.fontsLoaded
	}
	mw.generate, genItem = newGenerateTab(sh)
	stateFile := stateFileIn
	if opts.stateFile != nil {
		stateFile = opts.stateFile
	}
	store := keyset.NewStore(stateFile(a), func(err error) {
		fyne.Do(func() { sh.setStatus("Could not save the key set for the next start: " + err.Error()) })
	})
	mw.newKeystore(store)
	mw.jwks, jwksItem = newJWKSTab(sh, store, opts.applyLoad)
	mw.slots = []*tabSlot{
		{item: genItem, tab: mw.generate},
		{item: container.NewTabItemWithIcon(pemTabTitle, pemTabIcon(), nil), build: func() (tab, *container.TabItem) {
			var item *container.TabItem
			mw.pem, item = newPEMTab(sh)
			return mw.pem, item
		}},
		{item: jwksItem, tab: mw.jwks},
		{item: container.NewTabItemWithIcon(jwtTabTitle, jwtTabIcon(), nil), build: func() (tab, *container.TabItem) {
			var item *container.TabItem
			mw.jwt, item = newJWTTab(sh)
			return mw.jwt, item
		}},
	}
	items := make([]*container.TabItem, len(mw.slots))
	for i, sl := range mw.slots {
		if sl.tab != nil {
			sl.content = sl.item.Content
		}
		if i > 0 {
			sl.item.Content = container.NewStack() // the holder
		}
		items[i] = sl.item
	}
	mw.Tabs = container.NewAppTabs(items...)
	sh.openFile = mw.openFile
	sh.fetchIssuer = func(iss string) {
		mw.selectTab(tabJWKS)
		selectInnerTab(mw.jwks.outTabs, "Fetch")
		mw.jwks.fetchTokenIssuer(iss) // not typed: asked first, https only
	}
	w.SetOnDropped(mw.onDropped)
	sh.currentTab = mw.Tabs.SelectedIndex
	mw.Tabs.OnSelected = func(*container.TabItem) {
		i := mw.Tabs.SelectedIndex()
		mw.show(i)
		sh.showTabStatus(i)
		if i == tabJWT {
			mw.jwt.focus()
		}
	}

	w.SetContent(container.NewBorder(nil, container.NewPadded(sh.status), nil, nil, mw.Tabs))
	mw.installMenusAndShortcuts()
	mw.installQuit()
	mw.offerUnlock()
	a.Lifecycle().SetOnStopped(func() {
		mw.jwks.serve.stopNow() // the local issuer stops with the app
		mw.Clip.ClearIfUnchanged()
	})
	return mw
}

// tabAt builds tab i if it was not yet and returns it. The content enters
// the window only when the tab is shown (show).
func (mw *MainWindow) tabAt(i int) tab {
	sl := mw.slots[i]
	if sl.tab == nil {
		var item *container.TabItem
		sl.tab, item = sl.build()
		sl.content = item.Content
	}
	return sl.tab
}

// show puts tab i's content into its holder the first time it is shown.
func (mw *MainWindow) show(i int) {
	if i < 0 || i >= len(mw.slots) {
		return
	}
	mw.tabAt(i)
	holder, ok := mw.slots[i].item.Content.(*fyne.Container)
	if !ok || len(holder.Objects) > 0 || i == tabGenerate {
		return
	}
	holder.Objects = []fyne.CanvasObject{mw.slots[i].content}
	holder.Refresh()
}

// selectTab brings tab i to the front, building it if needed.
func (mw *MainWindow) selectTab(i int) {
	mw.tabAt(i)
	mw.Tabs.SelectIndex(i)
	mw.show(i) // SelectIndex does nothing when i is already in front
}

// jwtTab returns the JWT tab, building it if needed.
func (mw *MainWindow) jwtTab() *jwtTab { mw.tabAt(tabJWT); return mw.jwt }

// buildAll builds every tab and puts it in the window (tests).
func (mw *MainWindow) buildAll() {
	for i := range mw.slots {
		mw.show(i)
	}
}

// shortcut is a keyboard shortcut with its menu placement.
type shortcut struct {
	menu   string
	label  string
	key    fyne.KeyName
	mod    fyne.KeyModifier
	action func()
}

func (mw *MainWindow) shortcuts() []shortcut {
	ctrl := fyne.KeyModifierShortcutDefault
	list := []shortcut{
		{"File", "Open…", fyne.KeyO, ctrl, mw.openFile},
		{"File", "Save current output…", fyne.KeyS, ctrl, mw.saveCurrent},
		{"Edit", "Copy public output", fyne.KeyC, ctrl | fyne.KeyModifierShift, mw.copyPublic},
		{"Edit", "Paste and route", fyne.KeyV, ctrl | fyne.KeyModifierShift, mw.pasteAndRoute},
		{"Key", "Generate", fyne.KeyG, ctrl, mw.generateNow},
		{"Key", "Add to JWKS", fyne.KeyJ, ctrl, mw.addToJWKS},
		{"Key", "Copy generated private JWK", fyne.KeyK, ctrl | fyne.KeyModifierShift, mw.generate.copyPrivate},
		{"Key", "Add pasted keys to JWKS", fyne.KeyReturn, ctrl, mw.addPastedKeys},
		{"Edit", "Copy JWT inspection report", fyne.KeyR, ctrl | fyne.KeyModifierShift, func() { mw.jwtTab().copyReport() }},
		{"File", quitLabel, fyne.KeyQ, ctrl, mw.quit},
	}
	for i, item := range mw.Tabs.Items {
		i := i
		list = append(list, shortcut{"View", item.Text + " tab", fyne.KeyName(fmt.Sprint(i + 1)), fyne.KeyModifierAlt, func() { mw.Tabs.SelectIndex(i) }})
	}
	return list
}

// installMenusAndShortcuts puts every shortcut in the main menu (so it works
// even while an entry has focus) and on the canvas.
func (mw *MainWindow) installMenusAndShortcuts() {
	menus := map[string]*fyne.Menu{}
	var order []*fyne.Menu
	var quit *fyne.MenuItem
	for _, s := range mw.shortcuts() {
		sc := &desktop.CustomShortcut{KeyName: s.key, Modifier: s.mod}
		item := fyne.NewMenuItem(s.label, s.action)
		item.Shortcut = sc
		if s.label == quitLabel {
			item.IsQuit = true // last in File, after Settings (below)
			quit = item
			mw.Window.Canvas().AddShortcut(sc, func(fyne.Shortcut) { mw.quit() })
			continue
		}
		m, ok := menus[s.menu]
		if !ok {
			m = fyne.NewMenu(s.menu)
			menus[s.menu] = m
			order = append(order, m)
		}
		m.Items = append(m.Items, item)
		action := s.action
		mw.Window.Canvas().AddShortcut(sc, func(fyne.Shortcut) { action() })
	}
	if len(order) > 0 && order[0].Label == "File" {
		order[0].Items = append(order[0].Items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Settings…", mw.showSettings),
			fyne.NewMenuItemSeparator(), quit)
	}
	help := fyne.NewMenu("Help",
		fyne.NewMenuItem("Keyboard shortcuts", mw.showShortcuts),
		fyne.NewMenuItem("About JWK Desk", mw.showAbout),
	)
	mw.Window.SetMainMenu(fyne.NewMainMenu(append(order, help)...))
}

// quitLabel is File › Quit's label (Fyne treats an item so named as Quit).
const quitLabel = "Quit"

// addToJWKS adds the key of the tab in front to the workspace (Ctrl+J):
// the generated key, the converted keys, or the JWKS tab's pasted keys.
func (mw *MainWindow) addToJWKS() {
	switch mw.Tabs.SelectedIndex() {
	case tabPEM:
		mw.pem.onAddToJWKS()
	case tabJWKS:
		mw.addPastedKeys()
	case tabJWT:
		mw.sh.setStatus("Nothing to add here: Ctrl+J adds the key of the Generate or PEM / JWK tab.")
	default:
		mw.generate.onAddToJWKS()
	}
}

func (mw *MainWindow) generateNow() {
	mw.selectTab(tabGenerate)
	mw.generate.onGenerate()
}

// addPastedKeys adds what the JWKS tab's paste box holds (Ctrl+Return), so
// paste-and-route then Ctrl+Return imports a key set without the mouse.
func (mw *MainWindow) addPastedKeys() {
	mw.selectTab(tabJWKS)
	selectInnerTab(mw.jwks.outTabs, "Add keys")
	mw.jwks.onPaste()
}

// current is the tab in front.
func (mw *MainWindow) current() tab { return mw.tabAt(mw.Tabs.SelectedIndex()) }

func (mw *MainWindow) copyPublic()  { mw.current().copyMain() }
func (mw *MainWindow) saveCurrent() { mw.current().saveCurrent() }

func shortcutText(s shortcut) string {
	var parts []string
	if s.mod&fyne.KeyModifierControl != 0 {
		parts = append(parts, "Ctrl")
	}
	if s.mod&fyne.KeyModifierSuper != 0 {
		parts = append(parts, "Cmd")
	}
	if s.mod&fyne.KeyModifierAlt != 0 {
		parts = append(parts, "Alt")
	}
	if s.mod&fyne.KeyModifierShift != 0 {
		parts = append(parts, "Shift")
	}
	return strings.Join(append(parts, string(s.key)), "+")
}

// keyLabel spells the shortcut key with the default modifier as the menus
// show it ("Ctrl+Return"): buttons and messages use it, the README too.
func keyLabel(k fyne.KeyName) string {
	return shortcutText(shortcut{key: k, mod: fyne.KeyModifierShortcutDefault})
}

func (mw *MainWindow) showShortcuts() {
	var b strings.Builder
	for _, s := range mw.shortcuts() {
		fmt.Fprintf(&b, "%-16s %s › %s\n", shortcutText(s), s.menu, s.label)
	}
	l := widget.NewLabel(b.String())
	l.TextStyle = fyne.TextStyle{Monospace: true}
	dialog.ShowCustom("Keyboard shortcuts", "Close", l, mw.Window)
}

func (mw *MainWindow) showAbout() {
	dialog.ShowInformation("About JWK Desk", aboutText(debug.ReadBuildInfo()), mw.Window)
}

// aboutModules are the libraries About names with their versions: the ones
// that do JWK Desk's work.
var aboutModules = []string{"fyne.io/fyne/v2", "github.com/lestrrat-go/jwx/v3", "github.com/atotto/clipboard",
	"github.com/youmark/pkcs8", "github.com/titanous/rocacheck", "golang.org/x/crypto",
	"github.com/decred/dcrd/dcrec/secp256k1/v4", "github.com/google/uuid"}

// aboutText names the version and the versions of the libraries built in,
// read from the binary's own build information (debug.ReadBuildInfo).
func aboutText(info *debug.BuildInfo, ok bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "JWK Desk %s\nAn offline workbench for JWKs, JWKS and JWTs.\nNothing leaves this machine unless you ask.\n\n", assets.Version)
	if ok {
		fmt.Fprintf(&b, "Built with %s and:\n", info.GoVersion)
		for _, d := range info.Deps {
			if slices.Contains(aboutModules, d.Path) {
				fmt.Fprintf(&b, "  %s %s\n", d.Path, d.Version)
			}
		}
	}
	return b.String()
}
