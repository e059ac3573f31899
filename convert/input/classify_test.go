package input

import (
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
)

func TestClassify(t *testing.T) {
	jwt := "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UifQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmX"
	cases := []struct {
		in   string
		want InputKind
	}{
		{jwt, KindJWT},
		{"Bearer " + jwt + "\n", KindJWT},
		{`"` + jwt + `"`, KindJWT},
		{"eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UifQ.", KindJWT},
		{"eyJhbGciOiJSU0EtT0FFUCJ9.OKOawDo13gRp2o.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6ji.XFBoMYUZodetZdvTiFvSkQ", KindJWE},
		{`{"kty":"EC","crv":"P-256","x":"a","y":"b"}`, KindJWK},
		{`{"keys":[]}`, KindJWKS},
		{`{"foo":1}`, KindUnknown},
		{"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", KindPEM},
		{"junk before\n-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----", KindPEM},
		{"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb0 user@host", KindOpenSSH},
		{"ecdsa-sha2-nistp256 AAAAE2VjZHNh", KindOpenSSH},
		{"https://login.example.com/common/discovery/v2.0/keys", KindJWKSURL},
		{"https://example.com/.well-known/jwks.json", KindJWKSURL},
		{"https://www.googleapis.com/oauth2/v3/certs", KindJWKSURL},
		{"https://accounts.example.com/.well-known/openid-configuration", KindDiscoveryURL},
		{"https://issuer.example.com", KindDiscoveryURL},
		{"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd", KindDER},
		{"hello world", KindUnknown},
		{"a.b", KindUnknown},
		{"", KindUnknown},
		{"..", KindUnknown},
		{"{not json", KindUnknown},
	}
	for _, c := range cases {
		if got := Classify(c.in); got != c.want {
			t.Errorf("Classify(%.40q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range testkit.HostileSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Classify(s)
		_ = k.String()
	})
}
