package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// runJWKS assembles the public JWKS from JWK, JWKS and PEM files (standard
// input when none is given and nothing is fetched) and, on request, a
// fetched set. The JWKS goes to stdout, lint findings to stderr (one per
// key, and one per group of keys sharing a kid). A key without a kid gets
// its RFC 7638 thumbprint (said on stderr) unless --keep-kids. A key of an
// unknown type or curve is skipped with a warning (RFC 7517 §5). Exit 2 on
// unreadable input (a damaged key inside a set included) or a kid shared by
// different keys of one type.
func runJWKS(env Env, args []string) int {
	fs := newFlagSet("jwks")
	fetchURL := fs.String("fetch", "", "also fetch the keys of this jwks_uri (https, or http to loopback)")
	issuer := fs.String("issuer", "", "also fetch the keys of this issuer through OIDC discovery")
	timeout := fs.Duration("timeout", keyset.DefaultFetchTimeout, "fetch timeout")
	allowPrivate := fs.Bool("allow-private", false, "fetch from private-network addresses (10/8, 172.16/12, 192.168/16, fc00::/7) too; link-local and cloud metadata addresses stay refused")
	keepKids := fs.Bool("keep-kids", false, "keep keys without a kid as given (default: their RFC 7638 thumbprint becomes their kid)")
	pos, code, ok := parseFlags(env, fs, "[FILE...] [--fetch URL|--issuer URL] [--allow-private] [--keep-kids]", args)
	if !ok {
		return code
	}
	if *fetchURL != "" && *issuer != "" {
		return fail(env, "jwks: give --fetch or --issuer, not both")
	}
	if len(pos) == 0 && *fetchURL == "" && *issuer == "" {
		pos = []string{"-"}
	}
	ws := keyset.NewWorkspace()
	for _, name := range pos {
		if code := addFile(env, ws, name, *keepKids); code != ExitOK {
			return code
		}
	}
	if *fetchURL != "" || *issuer != "" {
		res, code := fetchForJWKS(env, *fetchURL, *issuer, keyset.FetchOptions{Timeout: *timeout, Typed: true, AllowPrivate: *allowPrivate})
		if code != ExitOK {
			return code
		}
		if code := addKeys(env, ws, res.URL, res.Parsed, *keepKids); code != ExitOK {
			return code
		}
	}
	return publishJWKS(env, ws)
}

// addFile adds the keys of one file (or standard input, "-"): a damaged
// key fails it, a key of an unknown type is skipped with a warning.
func addFile(env Env, ws *keyset.Workspace, name string, keepKids bool) int {
	in, shown, err := readInput(env, []string{name}, input.MaxKeyInput)
	if err != nil {
		return fail(env, "jwks: %v", err)
	}
	ps, err := keys.ParseKeySet(in)
	if err != nil {
		return fail(env, "jwks: %s: %v", shown, err)
	}
	if damaged := ps.Damaged(); len(damaged) > 0 {
		for _, b := range damaged[1:] {
			fmt.Fprintf(env.Stderr, "jwkdesk: jwks: %s: %s\n", shown, b)
		}
		return fail(env, "jwks: %s: %s", shown, damaged[0])
	}
	for _, b := range ps.Bad {
		fmt.Fprintf(env.Stderr, "jwkdesk: warning: %s: %s\n", shown, b)
	}
	return addKeys(env, ws, shown, ps, keepKids)
}

// publishJWKS lints the set (stderr) and writes its public JWKS (stdout),
// unless different keys of one type share a kid.
func publishJWKS(env Env, ws *keyset.Workspace) int {
	report := ws.Lint(time.Now())
	for _, f := range report.All() {
		fmt.Fprintf(env.Stderr, "jwkdesk: %s\n", f)
	}
	if dups := ws.DuplicateKids(); len(dups) > 0 {
		return fail(env, "jwks: %d kid(s) shared by different keys of the same type (first: %q): give each key its own kid; nothing was written", len(dups), dups[0].Kid)
	}
	out, strip, err := ws.ExportPublic()
	if err != nil {
		return fail(env, "jwks: %v", err)
	}
	if _, err := env.Stdout.Write(out); err != nil {
		return fail(env, "jwks: %v", err)
	}
	fmt.Fprintf(env.Stderr, "jwkdesk: %s; lint: %s\n", strip, report.Summary())
	return ExitOK
}

// fetchForJWKS fetches a jwks_uri, or discovers an issuer and says where
// its keys come from before fetching them.
func fetchForJWKS(env Env, fetchURL, issuer string, opts keyset.FetchOptions) (*keyset.FetchResult, int) {
	ctx := context.Background()
	var res *keyset.FetchResult
	var err error
	if issuer != "" {
		res, err = keyset.DiscoverJWKSURI(ctx, issuer, opts)
		if err == nil {
			for _, n := range res.Notes {
				fmt.Fprintf(env.Stderr, "jwkdesk: note: %s\n", n)
			}
			res, err = keyset.FetchDiscovered(ctx, res, opts)
		}
	} else {
		res, err = keyset.FetchJWKS(ctx, fetchURL, opts)
	}
	if errors.Is(err, keyset.ErrNotJWKS) && fetchURL != "" {
		return nil, fail(env, "jwks: %v (for an issuer URL, use --issuer)", err)
	}
	var needs *keyset.NeedsConfirmationError
	if errors.As(err, &needs) {
		return nil, fail(env, "jwks: %v; pass --allow-private to fetch it anyway", err)
	}
	if err != nil {
		return nil, fail(env, "jwks: %v", err)
	}
	fmt.Fprintf(env.Stderr, "jwkdesk: fetched %s: HTTP %s, Cache-Control: %s, %s\n", res.URL, res.StatusText, orNone(res.CacheControl), plural(len(res.Parsed.Keys), "key", "keys"))
	for _, b := range res.Parsed.Bad {
		fmt.Fprintf(env.Stderr, "jwkdesk: warning: %s: %s (left out)\n", res.URL, b)
	}
	return res, ExitOK
}

// addKeys adds a source's keys, first giving a key without a kid its
// thumbprint (convert.ThumbprintKids) unless keepKids.
func addKeys(env Env, ws *keyset.Workspace, source string, ps keys.ParsedSet, keepKids bool) int {
	list := ps.Keys
	if !keepKids {
		var given []keys.KidGiven
		var err error
		if list, given, err = keys.ThumbprintKids(list); err != nil {
			return fail(env, "jwks: %s: %v", source, err)
		}
		for _, g := range given {
			fmt.Fprintf(env.Stderr, "jwkdesk: note: %s: %s (--keep-kids keeps keys as given)\n", source, g)
		}
	}
	res, err := ws.Add(source, list...)
	if err != nil {
		return fail(env, "jwks: %s: %v", source, err)
	}
	for _, d := range res.Duplicates {
		fmt.Fprintf(env.Stderr, "jwkdesk: note: %s: key %s is already in the set (same thumbprint): kept once\n", source, d)
	}
	return ExitOK
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// plural is "1 key" or "3 keys".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
