package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/issuer"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// serveUntil returns a context that ends when serve should stop: SIGINT or
// SIGTERM. Tests replace it with one they cancel.
var serveUntil = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// serveStopGrace is how long requests in flight may run after a stop.
const serveStopGrace = 5 * time.Second

const serveSynopsis = `--keys PRIVATE_JWKS_FILE [--port N] [--signer KID] [--lifetime 1h] [--claims JSON] [--max-age 300]`

type serveFlags struct {
	keys, signer, claims string
	port, maxAge         int
	lifetime             time.Duration
}

func runServe(env Env, args []string) int {
	fs := newFlagSet("serve")
	var f serveFlags
	fs.StringVar(&f.keys, "keys", "", "the private JWKS (or PEM/JWK file) whose keys are served: public forms in the JWKS, the signer's private key signs")
	fs.IntVar(&f.port, "port", 0, "the TCP port on 127.0.0.1 (0: a free one)")
	fs.StringVar(&f.signer, "signer", "", "the kid of the key that signs (default: the first signing key)")
	fs.DurationVar(&f.lifetime, "lifetime", issuer.DefaultLifetime, "the tokens' lifetime (exp - iat)")
	fs.StringVar(&f.claims, "claims", "", `the claims template, a JSON object: "sub", "aud", "scope" and extra claims (iss, iat, nbf, exp and jti are the issuer's)`)
	fs.IntVar(&f.maxAge, "max-age", int(issuer.DefaultJWKSMaxAge/time.Second), "the JWKS's Cache-Control max-age in seconds")
	pos, code, ok := parseFlags(env, fs, serveSynopsis, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return fail(env, "serve: unexpected argument %q: give the keys with --keys FILE", pos[0])
	}
	s, err := newServeIssuer(f)
	if err != nil {
		return fail(env, "serve: %v", err)
	}
	return serve(env, s)
}

// newServeIssuer reads the flags into an issuer ready to start.
func newServeIssuer(f serveFlags) (*issuer.Server, error) {
	if f.keys == "" {
		return nil, errors.New("--keys FILE is required: the private JWKS whose keys are served and sign")
	}
	if f.maxAge < 0 {
		return nil, fmt.Errorf("--max-age %d: give the seconds verifiers may cache the JWKS, 0 or more", f.maxAge)
	}
	claims := issuer.Claims{Lifetime: f.lifetime}
	if f.claims != "" {
		var err error
		if claims, err = issuer.ClaimsFromJSON([]byte(f.claims), f.lifetime); err != nil {
			return nil, fmt.Errorf("--claims: %w", err)
		}
	}
	entries, err := serveEntries(f.keys, f.signer)
	if err != nil {
		return nil, err
	}
	maxAge := time.Duration(f.maxAge) * time.Second
	if f.maxAge == 0 {
		maxAge = -1 // max-age=0: the issuer's 0 means its default
	}
	return issuer.New(issuer.Config{Port: f.port, JWKSMaxAge: maxAge, Claims: claims}, entries)
}

// serveEntries reads the keys file into the issuer's entries.
func serveEntries(path, signer string) ([]issuer.Entry, error) {
	data, err := input.ReadFileCapped(path, input.MaxKeyInput, "")
	if err != nil {
		return nil, fmt.Errorf("--keys: %w", err)
	}
	list, err := keys.ParseKeys(data)
	if err != nil {
		return nil, fmt.Errorf("--keys %s: %w", path, err)
	}
	ws := keyset.NewWorkspace()
	if _, err := ws.Add("file "+path, list...); err != nil {
		return nil, fmt.Errorf("--keys %s: %w", path, err)
	}
	entries, err := issuer.EntriesFrom(ws, issuer.FromWorkspace{Signer: signer})
	switch {
	case errors.Is(err, issuer.ErrNoSigningKey):
		return nil, fmt.Errorf("--keys %s holds no private key that can sign: give the private JWKS (jwkdesk jwks writes only public keys; export the private JWKS, or jwkdesk generate a key without --public)", path)
	case err != nil:
		return nil, fmt.Errorf("--keys %s: %w", path, err)
	}
	return entries, nil
}

// serve starts s, prints its URL as the first line of standard output,
// logs each request on standard error, and stops when serveUntil ends.
func serve(env Env, s *issuer.Server) int {
	ctx, stop := serveUntil()
	defer stop()
	requests, cancel := s.Subscribe(256)
	logged := make(chan struct{})
	go func() {
		defer close(logged)
		for r := range requests {
			fmt.Fprintln(env.Stderr, r.String())
		}
	}()
	defer func() { cancel(); <-logged }()
	if err := s.Start(); err != nil {
		return fail(env, "serve: %v", err)
	}
	fmt.Fprintf(env.Stdout, "issuer %s\n", s.URL())
	fmt.Fprintf(env.Stderr, "jwkdesk: serving %s (signer kid %q) on loopback; stop with Ctrl+C\n", issuer.JWKSPath, s.Signer())
	<-ctx.Done()
	sctx, done := context.WithTimeout(context.Background(), serveStopGrace)
	defer done()
	if err := s.Stop(sctx); err != nil {
		fmt.Fprintf(env.Stderr, "jwkdesk: serve: %v\n", err)
	}
	fmt.Fprintln(env.Stderr, "jwkdesk: stopped")
	return ExitOK
}
