package keys

import (
	"strings"
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/words"
)

// Counts the engine writes read "1 key", never "1 keys" or "key(s)".
func TestCountsAreWrittenByCount(t *testing.T) {
	g, err := Generate(Spec{Kty: KtyOKP})
	if err != nil {
		t.Fatal(err)
	}
	set, _ := MarshalPublicJWKS(g.Private)
	r, err := Parse(set, ParseOptions{})
	if err != nil || r.Summary != "JWKS, 1 key" {
		t.Errorf("RFC 7517 §5 one-key JWKS summary %q %v", r.Summary, err)
	}
	if got := MaskPEM("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "hidden"); !strings.Contains(got, "(1 line)") {
		t.Errorf("RFC 7468 one hidden line: %q", got)
	}
	if _, err := Parse([]byte(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","kid":"x"}]}`), ParseOptions{}); err == nil || !strings.HasPrefix(err.Error(), "the JWKS's only key cannot be read: key 1") {
		t.Errorf("RFC 7517 §5 one unreadable key: %v", err)
	}
	for n, want := range map[int]string{0: "0 keys", 1: "1 key", 2: "2 keys"} {
		if got := words.Plural(n, "key", "keys"); got != want {
			t.Errorf("Plural(%d) = %q", n, got)
		}
	}
}
