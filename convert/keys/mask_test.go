package keys

import (
	"strings"
	"testing"
)

func TestMaskJWKHidesEveryPrivateMember(t *testing.T) {
	for _, spec := range []Spec{{Kty: KtyRSA}, {Kty: KtyEC}, {Kty: KtyOKP}, {Kty: KtyOct}} {
		g, err := Generate(spec)
		if err != nil {
			t.Fatal(err)
		}
		priv, _ := MarshalJWK(g.Private)
		masked := MaskJWK(string(priv), testMask)
		for _, m := range PrivateMembers {
			var v string
			if err := g.Private.Get(m, &v); err == nil && v != "" {
				t.Errorf("%s: member %s is not a string?", spec.Kty, m)
			}
		}
		for _, line := range strings.Split(masked, "\n") {
			for _, m := range PrivateMembers {
				if strings.HasPrefix(strings.TrimSpace(line), `"`+m+`":`) && !strings.Contains(line, testMask) {
					t.Errorf("%s: %s shown: %s", spec.Kty, m, line)
				}
			}
		}
		if !strings.Contains(masked, `"kty"`) || !strings.Contains(masked, testMask) {
			t.Errorf("%s: masked JWK lost its shape:\n%s", spec.Kty, masked)
		}
		if pub, err := MarshalPublicJWK(g.Private); err == nil && MaskJWK(string(pub), testMask) != string(pub) {
			t.Errorf("%s: masking changed a public JWK", spec.Kty)
		}
	}
}

func TestMaskPEM(t *testing.T) {
	g, _ := Generate(Spec{Kty: KtyEC})
	out, _ := ExportPEM(g.Private, PEMSEC1, false)
	masked := MaskPEM(string(out.PEM), testMask)
	if !strings.HasPrefix(masked, "-----BEGIN EC PRIVATE KEY-----\n") || !strings.HasSuffix(masked, "-----END EC PRIVATE KEY-----\n") {
		t.Errorf("masked PEM lost its frame:\n%s", masked)
	}
	body := strings.Split(string(out.PEM), "\n")[1]
	if strings.Contains(masked, body) {
		t.Error("masked PEM shows the key")
	}
}

// testMask is what a face writes for a hidden value.
const testMask = "•••• hidden ••••"
