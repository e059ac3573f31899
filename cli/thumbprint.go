package cli

import (
	"encoding/json"
	"strings"

	"github.com/jwkdesk/jwkdesk/convert"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

type thumbprintResult struct {
	Kid string `json:"kid,omitempty"`
	convert.Thumbprint
}

func runThumbprint(env Env, args []string) int {
	fs := newFlagSet("thumbprint")
	pos, code, ok := parseFlags(env, fs, "[FILE|-]", args)
	if !ok {
		return code
	}
	in, name, err := readInput(env, pos, convert.MaxKeyInput)
	if err != nil {
		return fail(env, "thumbprint: %v", err)
	}
	if strings.TrimSpace(string(in)) == "" {
		return fail(env, "thumbprint: %s is empty: give a JWK or JWKS", name)
	}
	set, err := jwk.Parse(in)
	if err != nil {
		return fail(env, "thumbprint: %s is not a JWK or JWKS: %v", name, err)
	}
	results := make([]thumbprintResult, 0, set.Len())
	for i := range set.Len() {
		key, _ := set.Key(i)
		tp, err := convert.ComputeThumbprint(key)
		if err != nil {
			return fail(env, "thumbprint: key %d: %v", i+1, err)
		}
		kid, _ := key.KeyID()
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
