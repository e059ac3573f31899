package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/jwkdesk/jwkdesk/convert/issuer"
)

// servePanel is the JWKS tab's "Serve" panel: the workspace served as a
// local OIDC issuer on loopback (convert/issuer), its token template, the
// rotation rehearsal, the timeline and the request log.
type servePanel struct {
	sh  *shell
	srv *issuer.Server // nil until the first start
	// port is the port srv was made for ("" = a free one).
	port   string
	picked string // the signer picked before starting ("" = the first)

	// unsubscribe ends the log's subscription; pending holds requests
	// waiting for the one fyne.Do that shows them.
	unsubscribe func()
	subscribed  *issuer.Server // the server unsubscribe is for
	mu          sync.Mutex
	pending     []issuer.Request
	scheduled   bool
	lastFlush   time.Time
	logLines    []string // the last maxLogLines requests, as shown
	logTotal    int      // requests shown since the issuer was made
	filling     bool

	portEntry, subEntry, audEntry, scopeEntry, lifetimeEntry, maxAgeEntry, extraEntry *widget.Entry

	startBtn, stopBtn, copyBtn, applyBtn, publishBtn, switchBtn, retireBtn *widget.Button

	startErr, settingsErr, rehearsalErr          *widget.Label
	urlLabel, keysLabel, timelineLabel, logCount *widget.Label
	logList                                      *widget.List
	signerSel                                    *widget.Select

	// Test hooks: afterLog runs at the end of the fyne.Do that showed
	// requests, afterStop at the end of the one that ends a stop.
	afterLog, afterStop func()
}

func newServePanel(sh *shell) *servePanel {
	p := &servePanel{sh: sh}
	sh.onWorkspaceChanged(p.onWorkspaceChanged)
	return p
}

// stopGrace is how long requests in flight may finish after Stop.
const stopGrace = 2 * time.Second

// settings reads the template and the JWKS max-age from the fields.
func (p *servePanel) settings() (issuer.Claims, time.Duration, error) {
	var c issuer.Claims
	c.Subject = strings.TrimSpace(p.subEntry.Text)
	c.Audience = strings.Fields(strings.ReplaceAll(p.audEntry.Text, ",", " "))
	c.Scope = strings.TrimSpace(p.scopeEntry.Text)
	if lt := strings.TrimSpace(p.lifetimeEntry.Text); lt != "" {
		d, err := time.ParseDuration(lt)
		if err != nil {
			return c, 0, fmt.Errorf("the lifetime %q is not a duration: write it as 1h, 15m or 90s", lt)
		}
		c.Lifetime = d
	}
	if extra := strings.TrimSpace(p.extraEntry.Text); extra != "" {
		if !json.Valid([]byte(extra)) {
			return c, 0, errors.New(`the extra claims are not JSON: write one object, as {"tenant": "acme"}`)
		}
		c.Extra = json.RawMessage(extra)
	}
	if err := c.Check(); err != nil {
		return c, 0, err
	}
	secs, err := strconv.Atoi(strings.TrimSpace(p.maxAgeEntry.Text))
	if err != nil || secs < 0 {
		return c, 0, fmt.Errorf("the JWKS max-age %q is not a number of seconds (0 or more; 300 is usual)", p.maxAgeEntry.Text)
	}
	maxAge := time.Duration(secs) * time.Second
	if secs == 0 {
		maxAge = -1 // max-age=0: the issuer's 0 means its default
	}
	return c, maxAge, nil
}

// portNumber reads the port field: empty is 0, a free port.
func (p *servePanel) portNumber() (int, error) {
	s := strings.TrimSpace(p.portEntry.Text)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("the port %q is not a TCP port: give 1024 to 65535, or leave it empty for a free one", s)
	}
	return n, nil
}

// onStart serves the workspace: a new issuer for a new port, else the
// stopped one again (its timeline and log go on).
func (p *servePanel) onStart() {
	showErr(p.startErr, nil)
	showErr(p.settingsErr, nil)
	port, err := p.portNumber()
	if err != nil {
		showErr(p.startErr, err)
		return
	}
	claims, maxAge, err := p.settings()
	if err != nil {
		showErr(p.settingsErr, err)
		return
	}
	if err := p.startIssuer(port, claims, maxAge); err != nil {
		showErr(p.startErr, err)
		p.render()
		return
	}
	p.subscribe()
	p.sh.setStatus("Serving the workspace at " + p.srv.URL() + " (loopback only).")
	p.render()
}

func (p *servePanel) startIssuer(port int, claims issuer.Claims, maxAge time.Duration) error {
	var keep []issuer.KeyStatus
	if p.srv != nil && p.port == p.portEntry.Text {
		keep = p.srv.Keys()
	}
	entries, err := issuer.EntriesFrom(p.sh.ws, issuer.FromWorkspace{Signer: p.picked, Keep: keep})
	if errors.Is(err, issuer.ErrNoSigningKey) {
		return errors.New("no key in the workspace can sign: generate a signing key (Generate › Add to JWKS) or add a private one; public keys alone are served but cannot make tokens")
	}
	if err != nil {
		return err
	}
	if keep == nil {
		srv, err := issuer.New(issuer.Config{Port: port, Claims: claims, JWKSMaxAge: maxAge}, entries)
		if err != nil {
			return err
		}
		p.srv, p.port, p.logLines, p.logTotal = srv, p.portEntry.Text, nil, 0
	} else if err := p.applyTo(entries, claims, maxAge); err != nil {
		return err
	}
	return p.srv.Start()
}

// applyTo gives the stopped issuer the workspace and settings of now.
func (p *servePanel) applyTo(entries []issuer.Entry, claims issuer.Claims, maxAge time.Duration) error {
	if err := p.srv.SetKeys(entries); err != nil {
		return err
	}
	if err := p.srv.SetClaims(claims); err != nil {
		return err
	}
	return p.srv.SetJWKSMaxAge(maxAge)
}

// logEvery is the shortest time between two updates of the log shown: a
// verifier under load (thousands of requests a second) costs the UI ten
// short updates a second, not one per request.
const logEvery = 100 * time.Millisecond

// subscribe shows each request in the log: the subscriber goroutine
// collects them and schedules one fyne.Do at a time, at most one per
// logEvery.
func (p *servePanel) subscribe() {
	if p.subscribed == p.srv {
		return
	}
	if p.unsubscribe != nil {
		p.unsubscribe() // the issuer of another port
	}
	ch, cancel := p.srv.Subscribe(1024)
	p.unsubscribe, p.subscribed = cancel, p.srv
	go func() {
		for r := range ch {
			p.mu.Lock()
			p.pending = append(p.pending, r)
			if len(p.pending) > 2*maxLogLines { // the UI is behind: show the latest
				p.pending = append([]issuer.Request(nil), p.pending[len(p.pending)-maxLogLines:]...)
			}
			schedule := !p.scheduled
			p.scheduled = true
			wait := time.Until(p.lastFlush.Add(logEvery))
			p.mu.Unlock()
			switch {
			case !schedule:
			case wait > 0:
				time.AfterFunc(wait, func() { fyne.Do(p.flushLog) })
			default:
				fyne.Do(p.flushLog)
			}
		}
	}()
}

func (p *servePanel) flushLog() {
	p.mu.Lock()
	rs := p.pending
	p.pending, p.scheduled, p.lastFlush = nil, false, time.Now()
	p.mu.Unlock()
	p.appendLog(rs)
	if p.afterLog != nil {
		p.afterLog()
	}
}

// onStop stops serving in a goroutine (requests in flight may take up to
// stopGrace) and shows the result in one fyne.Do.
func (p *servePanel) onStop() {
	if p.srv == nil || !p.srv.Running() {
		return
	}
	p.stopBtn.Disable()
	srv := p.srv
	go func() {
		err := stopIssuer(srv)
		fyne.Do(func() {
			if err != nil {
				showErr(p.startErr, err)
			}
			p.sh.setStatus("Stopped serving.")
			p.render()
			if p.afterStop != nil {
				p.afterStop()
			}
		})
	}()
}

func stopIssuer(srv *issuer.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), stopGrace)
	defer cancel()
	return srv.Stop(ctx)
}

// stopNow stops serving at once (the app quits).
func (p *servePanel) stopNow() {
	if p.srv != nil {
		_ = stopIssuer(p.srv)
	}
	if p.unsubscribe != nil {
		p.unsubscribe()
		p.unsubscribe, p.subscribed = nil, nil
	}
}

func (p *servePanel) onCopyURL() {
	if p.srv == nil || p.srv.URL() == "" {
		return
	}
	p.sh.copy(p.srv.URL(), "issuer URL", false)
}

// onApply gives the running issuer the template and max-age of the fields.
func (p *servePanel) onApply() {
	claims, maxAge, err := p.settings()
	if err == nil && p.srv != nil {
		if err = p.srv.SetClaims(claims); err == nil {
			err = p.srv.SetJWKSMaxAge(maxAge)
		}
	}
	showErr(p.settingsErr, err)
	if err == nil {
		p.sh.setStatus("The next tokens use the new template.")
	}
	p.render()
}

// onWorkspaceChanged serves the workspace as it is now, keeping the
// rehearsal's roles; a workspace that cannot be served leaves the issuer
// serving what it served, and says why.
func (p *servePanel) onWorkspaceChanged() {
	if p.startBtn == nil {
		return
	}
	if p.srv == nil || !p.srv.Running() {
		p.render()
		return
	}
	entries, err := issuer.EntriesFrom(p.sh.ws, issuer.FromWorkspace{Keep: p.srv.Keys()})
	if err == nil {
		err = p.srv.SetKeys(entries)
	}
	if err != nil {
		showErr(p.rehearsalErr, fmt.Errorf("the workspace changed but is not served (%w); still serving the keys before the change", err))
	} else {
		showErr(p.rehearsalErr, nil)
	}
	p.render()
}

// onPickSigner: before starting, the key that will sign; while serving, a
// switch of signer (a rehearsal step).
func (p *servePanel) onPickSigner(kid string) {
	if p.filling {
		return
	}
	if p.srv == nil || !p.srv.Running() {
		p.picked = kid
		return
	}
	p.rehearse(func() error { return p.srv.SwitchSigner(kid) })
}

func (p *servePanel) onPublishNext() {
	p.rehearse(func() error {
		kid := publishCandidate(p.srv.Keys())
		if kid == "" {
			return errors.New("no key can be the next signer: generate a signing key and add it to the workspace (or press Rotate)")
		}
		return p.srv.PublishNext(kid)
	})
}

func (p *servePanel) onSwitch() { p.rehearse(func() error { return p.srv.SwitchSigner("") }) }

func (p *servePanel) onRetire() {
	p.rehearse(func() error {
		kid := roleKid(p.srv.Keys(), issuer.Retiring)
		if kid == "" {
			return errors.New("no key is retiring: switch the signer first")
		}
		return p.srv.Retire(kid)
	})
}

func (p *servePanel) rehearse(step func() error) {
	if p.srv == nil {
		return
	}
	showErr(p.rehearsalErr, step())
	p.render()
}

// publishCandidate is the key "Publish next key" publishes: the first
// published key that can sign and is not the signer.
func publishCandidate(st []issuer.KeyStatus) string {
	i := slices.IndexFunc(st, func(k issuer.KeyStatus) bool { return k.Role == issuer.Published && k.CanSign })
	if i < 0 {
		return ""
	}
	return st[i].Kid
}

// roleKid is the kid of the first key in role r ("" when none).
func roleKid(st []issuer.KeyStatus, r issuer.Role) string {
	i := slices.IndexFunc(st, func(k issuer.KeyStatus) bool { return k.Role == r })
	if i < 0 {
		return ""
	}
	return st[i].Kid
}

// workspaceSigners lists the kids the workspace could sign with.
func (p *servePanel) workspaceSigners() []string { return issuer.SigningKids(p.sh.ws) }
