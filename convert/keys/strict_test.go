package keys

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

func TestParseJWKRefusesHostileKeys(t *testing.T) {
	const ecX, ecY = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
	const ecD = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI" // RFC 7515 A.3's d: belongs to ecX/ecY
	rsaN := "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
	ok := []string{
		`{"kty":"EC","crv":"P-256","x":"` + ecX + `","y":"` + ecY + `"}`,
		`{"kty":"EC","crv":"P-256","x":"` + ecX + `","y":"` + ecY + `","d":"` + ecD + `"}`,
		`{"kty":"RSA","n":"` + rsaN + `","e":"AQAB"}`,
		`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}`,
	}
	for _, in := range ok {
		if _, err := ParseJWK([]byte(in)); err != nil {
			t.Errorf("%.50s: %v", in, err)
		}
	}
	b64 := base64.RawURLEncoding.EncodeToString
	cases := []struct{ name, in, want string }{
		{"duplicate member", `{"kty":"EC","kty":"EC","crv":"P-256","x":"` + ecX + `","y":"` + ecY + `"}`, `member "kty" appears twice`},
		{"case twin", `{"kty":"EC","KTY":"RSA","crv":"P-256","x":"` + ecX + `","y":"` + ecY + `"}`, `members "kty" and "KTY" differ only in case`},
		{"not an object", `["kty"]`, "a JWK is a JSON object"},
		{"tiny RSA", `{"kty":"RSA","n":"` + b64(make([]byte, 64)) + `AQ","e":"AQAB"}`, "bits is refused"},
		{"even exponent", `{"kty":"RSA","n":"` + rsaN + `","e":"AQAA"}`, "must be odd"},
		{"exponent 1", `{"kty":"RSA","n":"` + rsaN + `","e":"AQ"}`, "must be odd and at least 3"},
		{"5-byte exponent", `{"kty":"RSA","n":"` + rsaN + `","e":"AQABAQAB"}`, "at most 4 bytes"},
		{"EC off the curve", `{"kty":"EC","crv":"P-256","x":"` + ecX + `","y":"` + b64(make([]byte, 32)) + `"}`, ""},
		{"EC coordinate too long", `{"kty":"EC","crv":"P-256","x":"` + b64(append([]byte{1, 2}, make([]byte, 32)...)) + `","y":"` + ecY + `"}`, ""},
		{"EC d that does not belong", `{"kty":"EC","crv":"P-256","x":"` + ecX + `","y":"` + ecY + `","d":"` + b64(append(make([]byte, 31), 7)) + `"}`, "does not belong to its public part"},
		{"OKP short x", `{"kty":"OKP","crv":"Ed25519","x":"` + b64(make([]byte, 31)) + `"}`, ""},
		{"OKP d that does not belong", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"` + b64(make([]byte, 32)) + `"}`, "does not belong to its public part"},
		{"unknown kty", `{"kty":"DSA","p":"AQ"}`, ""},
		{"unknown crv", `{"kty":"EC","crv":"P-192","x":"AQ","y":"AQ"}`, ""},
		{"empty oct", `{"kty":"oct","k":""}`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseJWK([]byte(c.in))
			if err == nil {
				t.Fatal("accepted")
			}
			if c.want != "" && !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want %q", err, c.want)
			}
		})
	}
}

func TestKeySetNamesTheBadKeyAndKeepsTheGood(t *testing.T) {
	good, _ := Generate(Spec{Kty: KtyEC, KidStrategy: KidCustom, CustomKid: "good"})
	pub, _ := MarshalPublicJWK(good.Private)
	set := `{"keys":[` + string(pub) + `,{"kty":"RSA","kid":"bad","n":"AQAB","e":"AQAB"},{"kty":"EC","kid":"twin","KID":"x"}]}`
	ps, err := ParseKeySet([]byte(set))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps.Keys) != 1 || len(ps.Bad) != 2 {
		t.Fatalf("%d good, %d bad", len(ps.Keys), len(ps.Bad))
	}
	if ps.Bad[0].Kid != "bad" || !strings.Contains(ps.Bad[0].String(), `key 2 (kid "bad")`) {
		t.Errorf("bad key named %q", ps.Bad[0].String())
	}
	var m map[string]any
	_ = json.Unmarshal(pub, &m)
	if m["kid"] != "good" {
		t.Error("fixture")
	}
}
