package keys

import (
	"strings"
	"testing"
)

func TestCheckKidAndCommonName(t *testing.T) {
	for _, c := range []struct{ kid, want string }{
		{"signing-2026-11", ""},
		{"clé éphémère ✓", ""},
		{strings.Repeat("k", 256), ""},
		{strings.Repeat("k", 257), "kid is 257 characters long: keep it to 256 (it is sent in every token header)"},
		{"a\nb", "kid holds the control character U+000A: remove it (a pasted line break or tab, perhaps)"},
		{"a\x00b", "kid holds the control character U+0000: remove it (a pasted line break or tab, perhaps)"},
		{"a\tb", "kid holds the control character U+0009: remove it (a pasted line break or tab, perhaps)"},
		{"a\xffb", "kid is not valid UTF-8 text: retype it"},
	} {
		err := CheckKid(c.kid)
		if got := errText(err); got != c.want {
			t.Errorf("CheckKid(%.20q) = %q, want %q", c.kid, got, c.want)
		}
	}
	// Through every writer of kids: generation, conversion options (the
	// workspace's edits: keyset's TestWorkspaceEdits).
	if _, err := (Spec{Kty: KtyEC, KidStrategy: KidCustom, CustomKid: " a\nb "}).Normalize(); errText(err) != "custom kid holds the control character U+000A: remove it (a pasted line break or tab, perhaps)" {
		t.Errorf("Normalize: %v", err)
	}
	g, _ := Generate(Spec{Kty: KtyEC})
	if _, err := ApplyKeyOptions(g.Public, KeyOptions{Kid: strings.Repeat("x", 300)}); err == nil {
		t.Error("ApplyKeyOptions took a 300-character kid")
	}
	for _, c := range []struct{ cn, want string }{
		{"issuer.example.com", ""},
		{strings.Repeat("c", 65), "certificate subject CN is 65 characters long: X.509 allows at most 64 (RFC 5280)"},
		{"a\x07b", "certificate subject CN holds the control character U+0007: remove it"},
	} {
		_, err := (Spec{Kty: KtyEC, Cert: &CertSpec{CommonName: c.cn, Days: 30}}).Normalize()
		if got := errText(err); got != c.want {
			t.Errorf("CN %.20q: %q, want %q", c.cn, got, c.want)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
