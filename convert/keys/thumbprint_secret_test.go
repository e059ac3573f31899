package keys

import (
	"errors"
	"strings"
	"testing"
)

// 22.1: the engine never computes a displayable thumbprint or canonical
// JSON of a secret (RFC 7638 §3 of an oct key holds k itself).
func TestThumbprintRFC7638Sec3RefusesSecrets(t *testing.T) {
	for _, in := range []string{
		`{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}`, // RFC 7515 A.1
		`{"kty":"oct","k":"GawgguFyGrWKav7AX4VKUg","kid":"k1"}`,                                                      // RFC 7517 A.3
	} {
		k, err := ParseJWK([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ComputeThumbprint(k); !errors.Is(err, ErrSecretThumbprint) {
			t.Errorf("ComputeThumbprint: %v", err)
		}
		if tp, err := ThumbprintOf(k); !errors.Is(err, ErrSecretThumbprint) || tp != "" {
			t.Errorf("ThumbprintOf: %q %v", tp, err)
		}
		if strings.Contains(ErrSecretThumbprint.Error(), "GawgguFyGrWKav7AX4VKUg") {
			t.Error("the error holds the secret")
		}
		// A kid is never derived from it either.
		k2, err := ApplyKeyOptions(k, KeyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if kid, _ := k2.KeyID(); kid != "" && kid != "k1" {
			t.Errorf("kid %q", kid)
		}
	}
}
