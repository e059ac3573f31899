package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

func (t *jwksTab) buildFetch() fyne.CanvasObject {
	t.urlEntry = widget.NewEntry()
	t.urlEntry.SetPlaceHolder("https://issuer.example.com or its jwks_uri")
	t.fetchBtn = widget.NewButtonWithIcon("Fetch JWKS", theme.DownloadIcon(), func() { t.onFetch(false) })
	t.discoverBtn = widget.NewButtonWithIcon("Discover issuer", theme.SearchIcon(), func() { t.onFetch(true) })
	t.fetchBusy = widget.NewActivity()
	t.fetchBusy.Hide()
	t.fetchErr = newErrorLabel()
	t.fetchResult = widget.NewLabel("Nothing fetched. JWK Desk goes online only when you press Fetch JWKS or Discover issuer.")
	t.fetchResult.Wrapping = fyne.TextWrapBreak
	t.fetchResult.Selectable = true
	t.importBtn = widget.NewButtonWithIcon("Import", theme.ContentAddIcon(), t.onImport)
	t.compareBtn = widget.NewButtonWithIcon("Compare with workspace", theme.ViewRestoreIcon(), t.onCompare)
	t.importBtn.Disable()
	t.compareBtn.Disable()
	t.compareText = widget.NewLabel("")
	t.compareText.Wrapping = fyne.TextWrapBreak
	t.compareText.Selectable = true
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(t.fetchBtn, t.discoverBtn, t.fetchBusy), t.urlEntry),
		t.fetchErr,
		container.NewHBox(t.importBtn, t.compareBtn),
	)
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(container.NewVBox(t.fetchResult, t.compareText)))
}

// fetchRequest is one fetch the user asked for, carried through the
// confirmations it may need (a private or loopback address, a jwks_uri on
// another host) and its two steps for an issuer (discovery, then keys).
type fetchRequest struct {
	raw      string
	discover bool
	opts     keyset.FetchOptions
	found    *keyset.FetchResult // discovery done: the jwks_uri comes next
}

// onFetch fetches the jwks_uri (or discovers the issuer) the user typed.
func (t *jwksTab) onFetch(discover bool) {
	if t.fetching {
		return
	}
	raw := strings.TrimSpace(t.urlEntry.Text)
	if _, err := keyset.CheckFetchURL(raw); err != nil {
		showErr(t.fetchErr, err)
		t.finishFetch()
		return
	}
	req := &fetchRequest{raw: raw, discover: discover, opts: t.fetchOpts}
	req.opts.Typed = true
	t.runFetch(req)
}

// fetchTokenIssuer discovers the keys of a token's issuer (the JWT tab's
// Fetch issuer keys). The URL comes from the token, which anyone can write:
// it is not treated as typed (https only, this machine asked too) and the
// user is asked before anything is sent.
func (t *jwksTab) fetchTokenIssuer(iss string) {
	if t.fetching {
		return
	}
	shown := keyset.RedactURL(iss)
	t.urlEntry.SetText(shown)
	req := &fetchRequest{raw: iss, discover: true, opts: t.fetchOpts}
	req.opts.Typed = false
	t.sh.setStatus("Fetch the keys of " + shown + "? Waiting for your answer.")
	t.confirm("Fetch the token issuer's keys?",
		"The token names its issuer as\n"+shown+"\n\nAnyone can write a token. JWK Desk will read this issuer's discovery document and keys\nover https only, and will ask again before connecting to this machine or your network.",
		func() { t.runFetch(req) })
}

// runFetch runs one step of a fetch in a goroutine.
func (t *jwksTab) runFetch(req *fetchRequest) {
	showErr(t.fetchErr, nil)
	t.fetching = true
	t.fetchBtn.Disable()
	t.discoverBtn.Disable()
	t.importBtn.Disable()
	t.compareBtn.Disable()
	t.fetchBusy.Show()
	t.fetchBusy.Start()
	t.compareText.SetText("")
	t.sh.setStatus("Fetching " + keyset.RedactURL(req.raw) + "…")
	go func() {
		var res *keyset.FetchResult
		err := recovered("fetching keys", func() (err error) {
			ctx := context.Background()
			switch {
			case req.found != nil:
				res, err = keyset.FetchDiscovered(ctx, req.found, req.opts)
			case req.discover:
				res, err = keyset.DiscoverJWKSURI(ctx, req.raw, req.opts)
			default:
				res, err = keyset.FetchJWKS(ctx, req.raw, req.opts)
			}
			return err
		})
		fyne.Do(func() { t.fetchStepDone(req, res, err) })
	}()
}

// fetchStepDone shows a step's result, asks what needs asking, and starts
// the next step. Starting the next step is the last thing it does: Fyne's
// test driver runs that step's fyne.Do on its own goroutine at once.
func (t *jwksTab) fetchStepDone(req *fetchRequest, res *keyset.FetchResult, err error) {
	t.fetching = false
	t.fetchBusy.Stop()
	t.fetchBusy.Hide()
	t.fetchBtn.Enable()
	t.discoverBtn.Enable()
	next := false // a next step was started: this fetch is not over
	step := func() { next = true; t.runFetch(req) }
	defer func() {
		if !next {
			t.finishFetch()
		}
	}()
	var needs *keyset.NeedsConfirmationError
	switch {
	case errors.As(err, &needs):
		t.fetched = nil
		t.fetchResult.SetText(partialResult(res))
		t.sh.setStatus("Not fetched yet: " + needs.Host + " needs your confirmation.")
		t.confirm("Fetch from this address?", sentence(needs.Error())+".\n\nFetch from "+needs.Host+" anyway?", func() {
			req.opts.ConfirmedHosts = append(req.opts.ConfirmedHosts, needs.Host)
			step()
		})
		return
	case err != nil:
		if errors.Is(err, keyset.ErrNotJWKS) {
			err = fmt.Errorf("%w (for an issuer URL, use Discover issuer)", err)
		}
		t.fetched = nil
		showErr(t.fetchErr, err)
		t.fetchResult.SetText(partialResult(res))
		t.sh.setStatus("Fetch failed: " + err.Error())
		return
	case req.discover && req.found == nil:
		req.found = res
		if res.OtherHost() { // said before the keys are fetched
			t.fetchResult.SetText(fmt.Sprintf("Issuer %s\nDiscovery document %s\njwks_uri %s", res.Issuer, res.DiscoveryURL, res.JWKSURI))
			t.sh.setStatus("The issuer's keys are on another host: waiting for your answer.")
			t.confirm("Keys on another host", sentence(strings.Join(res.Notes, "\n"))+".\n\nFetch the keys from "+res.JWKSURI+"?", step)
			return
		}
		step()
		return
	}
	t.fetched = res
	t.fetchResult.SetText(res.Summary())
	if len(res.Parsed.Keys) > 0 {
		t.importBtn.Enable()
		t.compareBtn.Enable()
	}
	t.sh.setStatus(fmt.Sprintf("Fetched %s from %s.", plural(len(res.Parsed.Keys), "key", "keys"), res.URL))
}

func partialResult(res *keyset.FetchResult) string {
	if res == nil || res.URL == "" {
		return "Nothing fetched."
	}
	s := "Fetched " + res.URL
	if res.StatusText != "" {
		s += "\nHTTP " + res.StatusText
	}
	return s
}

func (t *jwksTab) finishFetch() {
	if t.afterFetch != nil {
		t.afterFetch()
	}
}

func (t *jwksTab) onCompare() {
	if t.fetched == nil {
		return
	}
	c := keyset.CompareKeys(t.sh.ws.Keys(), t.fetched.Parsed.Keys)
	t.compareText.SetText("Compared with the workspace, by kid:\n" + c.String())
	t.sh.setStatus(fmt.Sprintf("Compared: %d only here, %d only there, %d with a different key.", len(c.OnlyHere), len(c.OnlyThere), len(c.Differ)))
}

func orNone(s string) string {
	if s == "" {
		return "(no kid)"
	}
	return s
}
