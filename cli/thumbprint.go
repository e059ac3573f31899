package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

type thumbprintResult struct {
	Kid string `json:"kid,omitempty"`
	keys.Thumbprint
}

// runThumbprint prints the RFC 7638 thumbprint of every key in a file: it
// reads what convert reads (PEM, DER, certificates, OpenSSH, JWK, JWKS)
// through the same reader, with the same checks and warnings. An oct secret
// has no thumbprint to show (convert.ErrSecretThumbprint): exit 2.
func runThumbprint(env Env, args []string) int {
	fs := newFlagSet("thumbprint")
	pos, code, ok := parseFlags(env, fs, "[FILE|-]", args)
	if !ok {
		return code
	}
	list, name, code := thumbprintKeys(env, pos)
	if code != ExitOK {
		return code
	}
	results := make([]thumbprintResult, 0, len(list))
	for i, key := range list {
		kid, _ := key.KeyID()
		tp, err := keys.ComputeThumbprint(key)
		if err != nil {
			who := fmt.Sprintf("key %d", i+1)
			if kid != "" {
				who += fmt.Sprintf(" (kid %q)", kid)
			}
			return fail(env, "thumbprint: %s: %s: %v", name, who, err)
		}
		results = append(results, thumbprintResult{Kid: kid, Thumbprint: tp})
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	var v any = results
	if len(results) == 1 {
		v = results[0]
	}
	if err := enc.Encode(v); err != nil {
		return fail(env, "thumbprint: %v", err)
	}
	return ExitOK
}

// thumbprintKeys reads the keys of the input as convert does, with the
// reader's warnings on stderr; name is the input's name.
func thumbprintKeys(env Env, pos []string) (list []jwk.Key, name string, code int) {
	in, name, err := readInput(env, pos, input.MaxKeyInput)
	if err != nil {
		return nil, name, fail(env, "thumbprint: %v", err)
	}
	if strings.TrimSpace(string(in)) == "" {
		return nil, name, fail(env, "thumbprint: %s is empty: give a key, a certificate, a JWK or a JWKS", name)
	}
	res, err := keys.Parse(in, keys.ParseOptions{})
	switch {
	case errors.Is(err, keys.ErrNeedsPassphrase):
		return nil, name, fail(env, "thumbprint: %s is an encrypted key: a thumbprint needs only the public key, so take it out first: jwkdesk convert %s --passphrase-file FILE --public | jwkdesk thumbprint", name, name)
	case err != nil:
		return nil, name, fail(env, "thumbprint: %s: %v", name, err)
	}
	if list = res.Keys(); len(list) == 0 {
		if len(res.Items) == 1 && res.Items[0].Kind == keys.ItemToken {
			return nil, name, fail(env, "thumbprint: %s is a %s: give a key", name, res.Items[0].Label)
		}
		return nil, name, fail(env, "thumbprint: %s holds no key (%s)", name, res.Summary)
	}
	for _, it := range res.Items {
		for _, w := range it.Warnings {
			fmt.Fprintf(env.Stderr, "warning: %s\n", w)
		}
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(env.Stderr, "warning: %s\n", w)
	}
	return list, name, ExitOK
}
