package issuer

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestClaimsFromJSON: one JSON object is the template: sub, scope, aud (a
// string or an array, RFC 7519 §4.1.3) fill its fields, the rest are extra
// claims; what the issuer owns is refused with what to do.
func TestClaimsFromJSON(t *testing.T) {
	cases := []struct {
		name, in string
		want     string // the template as "sub|aud|scope|extra", or the error
	}{
		{"empty object", `{}`, "|||"},
		{"aud string (RFC 7519 §4.1.3)", `{"aud":"api"}`, "|api||"},
		{"aud array (RFC 7519 §4.1.3)", `{"aud":["a","b"],"sub":"s","scope":"read write"}`, "s|a,b|read write|"},
		{"extra claims kept", `{"tenant":"acme","roles":["x"]}`, `|||{"roles":["x"],"tenant":"acme"}`},
		{"iss is the issuer's (RFC 7519 §4.1.1)", `{"iss":"x"}`, `may not set "iss"`},
		{"exp is the lifetime's (RFC 7519 §4.1.4)", `{"exp":1}`, `may not set "exp"`},
		{"aud a number (RFC 7519 §4.1.3)", `{"aud":1}`, "neither a string nor an array"},
		{"sub not a string (RFC 7519 §4.1.2)", `{"sub":1}`, `"sub" is not a string`},
		{"scope with a tab (RFC 6749 §3.3)", `{"scope":"a\tb"}`, "space-separated scope tokens"},
		{"duplicate member", `{"sub":"a","sub":"b"}`, `member "sub" twice`},
		{"not JSON", `{"sub":`, "not JSON"},
		{"an array", `["sub"]`, "not a JSON object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ClaimsFromJSON([]byte(c.in), time.Minute)
			if err != nil {
				if !strings.Contains(err.Error(), c.want) {
					t.Fatalf("err %v, want %q", err, c.want)
				}
				return
			}
			s := got.Subject + "|" + strings.Join(got.Audience, ",") + "|" + got.Scope + "|" + string(got.Extra)
			if s != c.want || got.Lifetime != time.Minute {
				t.Fatalf("got %s (%v), want %s", s, got.Lifetime, c.want)
			}
		})
	}
}

// TestNestingCapped: a claims template or a public JWK nested past
// maxNesting levels is refused by name (RFC 8259 §9 lets a parser limit
// nesting); 32 levels still read.
func TestNestingCapped(t *testing.T) {
	nested := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	cases := []struct {
		name string
		c    Claims
		want string
	}{
		{"extra claims, 8000 arrays deep", Claims{Extra: json.RawMessage(`{"a":` + nested(8000) + `}`)}, "deeper than 32 levels"},
		{"extra claims, 2500 objects deep", Claims{Extra: json.RawMessage(strings.Repeat(`{"a":`, 2500) + "1" + strings.Repeat("}", 2500))}, "deeper than 32 levels"},
		{"extra claims, 31 arrays deep", Claims{Extra: json.RawMessage(`{"a":` + nested(31) + `}`)}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.c.Check()
			if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
				t.Fatalf("err %v, want %q", err, c.want)
			}
		})
	}
	if _, err := checkPublicJSON([]byte(`{"kty":"EC","x5c":` + nested(40) + `}`)); err == nil || !strings.Contains(err.Error(), "deeper than 32") {
		t.Fatalf("public JWK nested 40 deep: %v", err)
	}
}

// FuzzClaimsFromJSON: any text either gives a template the issuer accepts
// or an error; it never panics.
func FuzzClaimsFromJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"aud":["a","b"],"sub":"s","scope":"r w","x":{"y":[1,{"z":2}]}}`,
		`{"iss":"x"}`, `{"a":1,"a":2}`, `{"a":{"b":1,"b":2}}`, `[[[[]]]]`, `{"aud":""}`, `{"scope":" "}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ClaimsFromJSON([]byte(s), time.Minute)
		if err != nil {
			return
		}
		if _, err := New(Config{Claims: c}, nil); err != nil {
			t.Fatalf("ClaimsFromJSON accepted %q, New refuses it: %v", s, err)
		}
	})
}
