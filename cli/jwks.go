package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/jwkdesk/jwkdesk/convert"
)

// runJWKS assembles the public JWKS from JWK, JWKS and PEM files (standard
// input when none is given and nothing is fetched) and, on request, a
// fetched set. The JWKS goes to stdout, lint warnings to stderr. Exit 2 on
// unreadable input (a bad key inside a set included) or duplicate kids.
func runJWKS(env Env, args []string) int {
	fs := newFlagSet("jwks")
	fetchURL := fs.String("fetch", "", "also fetch the keys of this jwks_uri (https, or http to loopback)")
	issuer := fs.String("issuer", "", "also fetch the keys of this issuer through OIDC discovery")
	timeout := fs.Duration("timeout", convert.DefaultFetchTimeout, "fetch timeout")
	pos, code, ok := parseFlags(env, fs, "[FILE...] [--fetch URL|--issuer URL]", args)
	if !ok {
		return code
	}
	if *fetchURL != "" && *issuer != "" {
		return fail(env, "jwks: give --fetch or --issuer, not both")
	}
	if len(pos) == 0 && *fetchURL == "" && *issuer == "" {
		pos = []string{"-"}
	}
	ws := convert.NewWorkspace()
	for _, name := range pos {
		in, shown, err := readInput(env, []string{name}, convert.MaxKeyInput)
		if err != nil {
			return fail(env, "jwks: %v", err)
		}
		ps, err := convert.ParseKeySet(in)
		if err != nil {
			return fail(env, "jwks: %s: %v", shown, err)
		}
		if len(ps.Bad) > 0 {
			for _, b := range ps.Bad[1:] {
				fmt.Fprintf(env.Stderr, "jwkdesk: jwks: %s: %s\n", shown, b)
			}
			return fail(env, "jwks: %s: %s", shown, ps.Bad[0])
		}
		if code := addKeys(env, ws, shown, ps); code != ExitOK {
			return code
		}
	}
	if *fetchURL != "" || *issuer != "" {
		opts := convert.FetchOptions{Timeout: *timeout}
		var res *convert.FetchResult
		var err error
		if *issuer != "" {
			res, err = convert.DiscoverIssuer(context.Background(), *issuer, opts)
		} else {
			res, err = convert.FetchJWKS(context.Background(), *fetchURL, opts)
		}
		if err != nil {
			return fail(env, "jwks: %v", err)
		}
		fmt.Fprintf(env.Stderr, "jwkdesk: fetched %s: HTTP %s, Cache-Control: %s, %d keys\n", res.URL, res.StatusText, orNone(res.CacheControl), len(res.Parsed.Keys))
		for _, b := range res.Parsed.Bad {
			fmt.Fprintf(env.Stderr, "jwkdesk: warning: %s: %s (left out)\n", res.URL, b)
		}
		if code := addKeys(env, ws, res.URL, res.Parsed); code != ExitOK {
			return code
		}
	}
	report := ws.Lint(time.Now())
	for _, f := range report.All() {
		fmt.Fprintf(env.Stderr, "jwkdesk: %s\n", f)
	}
	if dups := ws.DuplicateKids(); len(dups) > 0 {
		return fail(env, "jwks: %d kid(s) shared by different keys (first: %q): give each key its own kid; nothing was written", len(dups), dups[0].Kid)
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

func addKeys(env Env, ws *convert.Workspace, source string, ps convert.ParsedSet) int {
	res, err := ws.Add(source, ps.Keys...)
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
