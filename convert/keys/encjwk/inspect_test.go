package encjwk_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// stepHeader is the protected header step writes (PBES2-HS256+A128KW).
const stepHeader = `{"alg":"PBES2-HS256+A128KW","cty":"jwk+json","enc":"A256GCM","p2c":100000,"p2s":"ngkBteNsekZNYlri1Kx3Ew"}`

// fake makes a compact JWE with this header text and parts of these sizes
// (encrypted_key, iv, ciphertext, tag; default: A256GCM's 40, 12, 64, 16).
// Nothing decrypts: it is for what Inspect reads before deriving.
func fake(header string, sizes ...int) []byte {
	sz := []int{40, 12, 64, 16}
	copy(sz, sizes)
	parts := []string{b64(header)}
	for _, n := range sz {
		parts = append(parts, b64(strings.Repeat("\x07", n)))
	}
	return []byte(strings.Join(parts, "."))
}

// fakeJSON makes a JSON JWE from members; "protected" is header text to
// encode, and the parts default to A256GCM's sizes.
func fakeJSON(members map[string]any) []byte {
	m := map[string]any{"encrypted_key": b64(strings.Repeat("k", 40)), "iv": b64(strings.Repeat("i", 12)),
		"ciphertext": b64(strings.Repeat("c", 64)), "tag": b64(strings.Repeat("t", 16))}
	for k, v := range members {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	if p, ok := m["protected"].(string); ok {
		m["protected"] = b64(p)
	}
	out, _ := json.Marshal(m)
	return out
}

func withHeader(edit func(map[string]any)) string {
	var h map[string]any
	_ = json.Unmarshal([]byte(stepHeader), &h)
	edit(h)
	b, _ := json.Marshal(h)
	return string(b)
}

func set(name string, v any) string {
	return withHeader(func(h map[string]any) { h[name] = v })
}

func drop(name string) string {
	return withHeader(func(h map[string]any) { delete(h, name) })
}

// rawP2C puts p2c's JSON text as written (json.Marshal would normalise it).
func rawP2C(text string) string {
	return strings.Replace(stepHeader, `"p2c":100000`, `"p2c":`+text, 1)
}

type inspectCase struct {
	name  string
	in    []byte
	want  error
	check func(t *testing.T, info encjwk.Info)
}

func p2cIs(n int64) func(*testing.T, encjwk.Info) {
	return func(t *testing.T, info encjwk.Info) {
		if info.P2C != n {
			t.Fatalf("P2C %d, want %d", info.P2C, n)
		}
	}
}

func contentIs(c encjwk.Content) func(*testing.T, encjwk.Info) {
	return func(t *testing.T, info encjwk.Info) {
		if info.Declared != c || info.Content != c {
			t.Fatalf("content %v/%v, want %v", info.Declared, info.Content, c)
		}
	}
}

func checkStepInfo(t *testing.T, i encjwk.Info) {
	if i.Form != encjwk.FormCompact || i.Alg != "PBES2-HS256+A128KW" || i.Enc != "A256GCM" || i.P2C != 100000 || i.SaltLen != 16 || i.Cty != "jwk+json" || i.Content != encjwk.ContentJWK {
		t.Fatalf("info %+v", i)
	}
	if got := i.Describe(); got != "a PBES2-HS256+A128KW-encrypted JWK (p2c 100,000)" {
		t.Fatalf("Describe %q", got)
	}
	if i.Estimate <= 0 {
		t.Fatal("no estimate")
	}
}

func checkSealInfo(t *testing.T, i encjwk.Info) {
	if i.Alg != "PBES2-HS512+A256KW" || i.SaltLen != 32 || i.Content != encjwk.ContentJWKS || i.Describe() != "a PBES2-HS512+A256KW-encrypted JWK Set (p2c 600,000)" {
		t.Fatalf("info %+v %s", i, i.Describe())
	}
}

// TestInspectHeader: what Inspect reads and refuses before any derivation,
// each case named after the rule it holds.
func TestInspectHeader(t *testing.T) {
	const hs512 = `{"alg":"PBES2-HS512+A256KW","cty":"jwk-set+json","enc":"A256GCM","p2c":600000,"p2s":"MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI"}`
	cases := []inspectCase{
		{"step's header/RFC7518_4.8", fake(stepHeader), nil, checkStepInfo},
		{"Seal's header, a JWK Set/RFC7518_4.8", fake(hs512), nil, checkSealInfo},
		{"HS384/RFC7518_4.8", fake(set("alg", "PBES2-HS384+A192KW")), nil, nil},
		{"HS512 with A128CBC-HS256/RFC7518_5.2", fake(withHeader(func(h map[string]any) { h["alg"], h["enc"] = "PBES2-HS512+A256KW", "A128CBC-HS256" }), 40, 16, 64, 16), nil, nil},
		{"A256CBC-HS512 sizes/RFC7518_5.2.5", fake(set("enc", "A256CBC-HS512"), 72, 16, 64, 32), nil, nil},
		{"A128GCM sizes/RFC7518_5.3", fake(set("enc", "A128GCM"), 24, 12, 5, 16), nil, nil},
		{"surrounding whitespace", append(append([]byte("\n  "), fake(stepHeader)...), "\r\n"...), nil, nil},

		// p2c (RFC 7518 §4.8.1.2): within [ReadFloor, ReadCap], digits only.
		{"p2c at the floor/RFC7518_4.8.1.2", fake(rawP2C("1000")), nil, p2cIs(1000)},
		{"p2c at the cap/RFC7518_4.8.1.2", fake(rawP2C("10000000")), nil, p2cIs(10_000_000)},
		{"p2c over the cap/RFC7518_4.8.1.2", fake(rawP2C("10000001")), encjwk.ErrCountOverCap, p2cIs(10_000_001)},
		{"p2c huge/RFC7518_4.8.1.2", fake(rawP2C("2147483648000")), encjwk.ErrCountOverCap, p2cIs(2147483648000)},
		{"p2c over int64/RFC7518_4.8.1.2", fake(rawP2C("99999999999999999999999")), encjwk.ErrCountOverCap, p2cIs(1<<63 - 1)},
		{"p2c under the floor/RFC7518_4.8.1.2", fake(rawP2C("999")), encjwk.ErrCountUnderFloor, p2cIs(999)},
		{"p2c 1/RFC7518_4.8.1.2", fake(rawP2C("1")), encjwk.ErrCountUnderFloor, nil},
		{"p2c 0/RFC7518_4.8.1.2", fake(rawP2C("0")), encjwk.ErrDamaged, nil},
		{"p2c negative/RFC7518_4.8.1.2", fake(rawP2C("-100000")), encjwk.ErrDamaged, nil},
		{"p2c fraction/RFC7518_4.8.1.2", fake(rawP2C("100000.5")), encjwk.ErrDamaged, nil},
		{"p2c exponent/RFC7518_4.8.1.2", fake(rawP2C("1e5")), encjwk.ErrDamaged, nil},
		{"p2c a string/RFC7518_4.8.1.2", fake(rawP2C(`"100000"`)), encjwk.ErrDamaged, nil},
		{"p2c leading zero/RFC7518_4.8.1.2", fake(rawP2C("0100000")), encjwk.ErrDamaged, nil},
		{"p2c missing/RFC7518_4.8.1.2", fake(drop("p2c")), encjwk.ErrDamaged, nil},

		// p2s (RFC 7518 §4.8.1.1): base64url of 8 octets or more.
		{"p2s 8 bytes/RFC7518_4.8.1.1", fake(set("p2s", b64("12345678"))), nil, nil},
		{"p2s 7 bytes/RFC7518_4.8.1.1", fake(set("p2s", b64("1234567"))), encjwk.ErrDamaged, nil},
		{"p2s missing/RFC7518_4.8.1.1", fake(drop("p2s")), encjwk.ErrDamaged, nil},
		{"p2s padded/RFC7515_2", fake(set("p2s", "ngkBteNsekZNYlri1Kx3Ew==")), encjwk.ErrDamaged, nil},
		{"p2s standard base64/RFC7515_2", fake(set("p2s", "ngkBteNsekZNYlri1Kx3E+")), encjwk.ErrDamaged, nil},
		{"p2s a number/RFC7518_4.8.1.1", fake(set("p2s", 12345678)), encjwk.ErrDamaged, nil},

		// alg (RFC 7516 §4.1.1, case-sensitive): PBES2 only.
		{"alg RSA-OAEP-256/RFC7518_4.3", fake(set("alg", "RSA-OAEP-256")), encjwk.ErrNotPBES2, nil},
		{"alg ECDH-ES+A256KW/RFC7518_4.6", fake(set("alg", "ECDH-ES+A256KW")), encjwk.ErrNotPBES2, nil},
		{"alg A128KW/RFC7518_4.4", fake(set("alg", "A128KW")), encjwk.ErrNotPBES2, nil},
		{"alg dir/RFC7518_4.5", fake(set("alg", "dir")), encjwk.ErrNotPBES2, nil},
		{"alg lower case/RFC7516_4.1.1", fake(set("alg", "pbes2-hs256+a128kw")), encjwk.ErrNotPBES2, nil},
		{"alg missing/RFC7516_4.1.1", fake(drop("alg")), encjwk.ErrDamaged, nil},
		{"alg not a string/RFC7516_4.1.1", fake(set("alg", 7)), encjwk.ErrDamaged, nil},

		// enc (RFC 7518 §5.1).
		{"enc unknown/RFC7518_5.1", fake(set("enc", "A512GCM")), encjwk.ErrUnsupported, nil},
		{"enc missing/RFC7516_4.1.2", fake(drop("enc")), encjwk.ErrUnsupported, nil},

		// cty (RFC 7516 §4.1.12, RFC 7515 §4.1.10) and typ.
		{"cty upper case/RFC7515_4.1.10", fake(set("cty", "JWK+JSON")), nil, contentIs(encjwk.ContentJWK)},
		{"cty with application/RFC7515_4.1.10", fake(set("cty", "application/jwk+json")), nil, contentIs(encjwk.ContentJWK)},
		{"cty jwk-set+json/RFC7517_8.5.2", fake(set("cty", "Application/JWK-Set+JSON")), nil, contentIs(encjwk.ContentJWKS)},
		{"cty missing/RFC7516_4.1.12", fake(drop("cty")), nil, func(t *testing.T, i encjwk.Info) {
			contentIs(encjwk.ContentUnknown)(t, i)
			if got := i.Describe(); got != "a PBES2-HS256+A128KW-encrypted JWE without cty (p2c 100,000), expected to hold a JWK or JWK Set" {
				t.Fatalf("Describe %q", got)
			}
		}},
		{"cty JWT, a nested token/RFC7519_5.2", fake(set("cty", "JWT")), encjwk.ErrNotKey, nil},
		{"cty application/json/RFC7516_4.1.12", fake(set("cty", "application/json")), encjwk.ErrNotKey, nil},
		{"typ JWT and no cty/RFC7519_5.1", fake(withHeader(func(h map[string]any) { delete(h, "cty"); h["typ"] = "JWT" })), encjwk.ErrNotKey, nil},
		{"typ JWT beside cty jwk+json", fake(set("typ", "JWT")), nil, nil},

		// Registered members of the wrong JSON kind (jwx would refuse the
		// header; named here before any work).
		{"kid a number/RFC7515_4.1.4", fake(set("kid", 5)), encjwk.ErrDamaged, nil},
		{"typ a number/RFC7515_4.1.9", fake(set("typ", 1)), encjwk.ErrDamaged, nil},
		{"x5c a string/RFC7515_4.1.6", fake(set("x5c", "MIIB")), encjwk.ErrDamaged, nil},
		{"x5t#S256 a number/RFC7515_4.1.8", fake(set("x5t#S256", 2)), encjwk.ErrDamaged, nil},
		{"cty a number/RFC7515_4.1.10", fake(set("cty", 7)), encjwk.ErrDamaged, nil},
		{"an unregistered member is ignored/RFC7516_4.3", fake(set("note", 1)), nil, nil},
		{"whitespace in the header/RFC7159_2", fake(strings.ReplaceAll(set("kid", "k1"), ":", " : ")), nil, nil},

		// crit and zip.
		{"crit/RFC7516_4.1.13", fake(withHeader(func(h map[string]any) { h["crit"] = []string{"exp"}; h["exp"] = 1 })), encjwk.ErrUnsupported, nil},
		{"zip DEF/RFC7516_4.1.3", fake(set("zip", "DEF")), nil, nil},
		{"zip unknown/RFC7516_4.1.3", fake(set("zip", "GZIP")), encjwk.ErrUnsupported, nil},

		// Duplicate members (RFC 7516 §4, RFC 7159 §4).
		{"alg twice in the protected header/RFC7516_4", fake(strings.Replace(stepHeader, `{`, `{"alg":"dir",`, 1)), encjwk.ErrDamaged, nil},
		{"p2c twice in the protected header/RFC7516_4", fake(strings.Replace(stepHeader, `}`, `,"p2c":1000}`, 1)), encjwk.ErrDamaged, nil},

		// The parts' sizes, fixed by alg and enc (RFC 3394, RFC 7518 §5.3).
		{"encrypted_key short/RFC3394_2.2.1", fake(stepHeader, 32), encjwk.ErrDamaged, nil},
		{"encrypted_key empty/RFC7518_4.8", fake(stepHeader, 0), encjwk.ErrDamaged, nil},
		{"iv of 16 with GCM/RFC7518_5.3", fake(stepHeader, 40, 16), encjwk.ErrDamaged, nil},
		{"tag truncated/RFC7518_5.3", fake(stepHeader, 40, 12, 64, 15), encjwk.ErrDamaged, nil},
		{"CBC ciphertext not whole blocks/RFC7518_5.2.2.1", fake(set("enc", "A128CBC-HS256"), 40, 16, 33, 16), encjwk.ErrDamaged, nil},

		// The compact form (RFC 7516 §7.1).
		{"protected header not base64url/RFC7516_7.1", []byte("e30=.a.b.c.d"), encjwk.ErrNotJWE, nil},
		{"protected header not JSON/RFC7516_7.1", fake("not json"), encjwk.ErrDamaged, nil},
		{"protected header an array/RFC7516_7.1", fake(`["alg"]`), encjwk.ErrDamaged, nil},
		{"protected header with trailing text/RFC7516_7.1", fake(stepHeader + `{}`), encjwk.ErrDamaged, nil},
		{"padding in a part/RFC7516_7.1", []byte(strings.Replace(string(fake(stepHeader)), ".", ".=", 2)), encjwk.ErrNotJWE, nil},
		{"four parts (a JWS has three)/RFC7516_7.1", []byte(b64(stepHeader) + ".a.b.c"), encjwk.ErrNotJWE, nil},
		{"empty", nil, encjwk.ErrNotJWE, nil},
		{"over MaxInput", bytes.Repeat([]byte("a"), encjwk.MaxInput+1), encjwk.ErrTooLarge, nil},
	}
	cases = append(cases, jsonFormCases()...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			info, err := encjwk.Inspect(c.in)
			wantKind(t, err, c.want)
			if c.check != nil {
				c.check(t, info)
			}
			// Everything Inspect refuses, Open refuses the same way
			// before asking for the passphrase: no derivation is spent.
			_, _, oerr := encjwk.Open(c.in, nil, encjwk.OpenOptions{})
			if c.want == nil {
				wantKind(t, oerr, encjwk.ErrNeedsPassphrase)
			} else {
				wantKind(t, oerr, c.want)
			}
		})
	}
}

// jsonFormCases are the JSON serialization's own cases (RFC 7516 §7.2).
func jsonFormCases() []inspectCase {
	form := func(f encjwk.Form) func(*testing.T, encjwk.Info) {
		return func(t *testing.T, i encjwk.Info) {
			if i.Form != f {
				t.Fatalf("form %v, want %v", i.Form, f)
			}
		}
	}
	hdr := map[string]any{"alg": "PBES2-HS256+A128KW", "p2c": 100000, "p2s": "ngkBteNsekZNYlri1Kx3Ew"}
	noAlgParams := `{"cty":"jwk+json","enc":"A256GCM"}`
	general := func(recipients ...any) map[string]any {
		return map[string]any{"protected": stepHeader, "encrypted_key": nil, "recipients": recipients}
	}
	ek := b64(strings.Repeat("k", 40))
	return []inspectCase{
		{"flattened, step's form/RFC7516_7.2.2", fakeJSON(map[string]any{"protected": stepHeader}), nil, form(encjwk.FormFlattened)},
		{"general, one recipient/RFC7516_7.2.1", fakeJSON(general(map[string]any{"encrypted_key": ek})), nil, form(encjwk.FormGeneral)},
		{"general, two recipients/RFC7516_7.2.1", fakeJSON(general(map[string]any{"encrypted_key": ek}, map[string]any{"encrypted_key": ek})), encjwk.ErrUnsupported, nil},
		{"general, no recipient/RFC7516_7.2.1", fakeJSON(general()), encjwk.ErrUnsupported, nil},
		{"general and flattened mixed/RFC7516_7.2.2", fakeJSON(map[string]any{"protected": stepHeader, "recipients": []any{map[string]any{"encrypted_key": ek}}}), encjwk.ErrDamaged, nil},
		{"alg, p2s, p2c in the recipient's header/RFC7516_7.2.1", fakeJSON(map[string]any{"protected": noAlgParams, "header": hdr}), nil, p2cIs(100000)},
		{"alg in the shared unprotected header/RFC7516_7.2.1", fakeJSON(map[string]any{"protected": noAlgParams, "unprotected": hdr}), encjwk.ErrUnsupported, nil},
		{"cty in the shared unprotected header/RFC7516_7.2.1", fakeJSON(map[string]any{"protected": drop("cty"), "unprotected": map[string]any{"cty": "jwk+json"}}), nil, contentIs(encjwk.ContentJWK)},
		{"enc only in the recipient's header/RFC7516_7.2.1", fakeJSON(map[string]any{"protected": drop("enc"), "header": map[string]any{"enc": "A256GCM"}}), encjwk.ErrUnsupported, nil},
		{"alg in the protected and the recipient's header/RFC7516_7.2.1", fakeJSON(map[string]any{"protected": stepHeader, "header": map[string]any{"alg": "PBES2-HS256+A128KW"}}), encjwk.ErrDamaged, nil},
		{"no protected header/RFC7516_7.2.1", fakeJSON(map[string]any{"header": map[string]any{"alg": "PBES2-HS256+A128KW", "enc": "A256GCM"}}), encjwk.ErrUnsupported, nil},
		{"protected not a string/RFC7516_7.2.1", fakeJSON(map[string]any{"protected": 12}), encjwk.ErrDamaged, nil},
		{"no tag/RFC7516_7.2.1", fakeJSON(map[string]any{"protected": stepHeader, "tag": nil}), encjwk.ErrDamaged, nil},
		{"no encrypted_key/RFC7516_7.2.1", fakeJSON(map[string]any{"protected": stepHeader, "encrypted_key": nil}), encjwk.ErrDamaged, nil},
		{"iv not a string/RFC7516_7.2.1", fakeJSON(map[string]any{"protected": stepHeader, "iv": 12}), encjwk.ErrDamaged, nil},
		{"aad not base64url/RFC7516_7.2.1", fakeJSON(map[string]any{"protected": stepHeader, "aad": "a+b"}), encjwk.ErrDamaged, nil},
		{"unknown top-level member ignored/RFC7516_7.2.1", fakeJSON(map[string]any{"protected": stepHeader, "note": "kept by a tool"}), nil, nil},
		{"ciphertext twice/RFC7159_4", []byte(strings.Replace(string(fakeJSON(map[string]any{"protected": stepHeader})), `{`, `{"ciphertext":"AAAA",`, 1)), encjwk.ErrDamaged, nil},
		{"protected twice/RFC7159_4", []byte(strings.Replace(string(fakeJSON(map[string]any{"protected": stepHeader})), `{`, `{"protected":"`+b64(set("alg", "dir"))+`",`, 1)), encjwk.ErrDamaged, nil},
		{"JSON with text after it/RFC7159_2", append(fakeJSON(map[string]any{"protected": stepHeader}), "{}"...), encjwk.ErrDamaged, nil},
		{"a plain JWK is not a JWE/RFC7517_4", []byte(`{"kty":"oct","k":"c2VjcmV0"}`), encjwk.ErrNotJWE, nil},
		{"a JSON array is not a JWE", []byte(`[1,2]`), encjwk.ErrNotJWE, nil},
		{"a JWS JSON is not a JWE/RFC7515_7.2", []byte(`{"payload":"e30","protected":"e30","signature":"AA"}`), encjwk.ErrNotJWE, nil},
	}
}

// TestDetect: Detect says yes to every passphrase-encrypted JWK or JWK Set
// shape, damaged ones too (so they are routed where their damage is named),
// and no to everything else.
func TestDetect(t *testing.T) {
	yes := []struct {
		name string
		in   []byte
		form encjwk.Form
	}{
		{"compact/RFC7516_7.1", fake(stepHeader), encjwk.FormCompact},
		{"flattened/RFC7516_7.2.2", fakeJSON(map[string]any{"protected": stepHeader}), encjwk.FormFlattened},
		{"general/RFC7516_7.2.1", fakeJSON(map[string]any{"protected": stepHeader, "encrypted_key": nil, "recipients": []any{map[string]any{"encrypted_key": "AA"}}}), encjwk.FormGeneral},
		{"no cty/RFC7516_4.1.12", fake(drop("cty")), encjwk.FormCompact},
		{"cty JWK Set/RFC7517_8.5.2", fake(set("cty", "jwk-set+json")), encjwk.FormCompact},
		{"tag truncated (damaged)", fake(stepHeader, 40, 12, 64, 3), encjwk.FormCompact},
		{"p2c over the cap", fake(rawP2C("99999999999")), encjwk.FormCompact},
		{"iv not base64url (damaged)", []byte(strings.Replace(string(fakeJSON(map[string]any{"protected": stepHeader})), `"iv":"`, `"iv":"=`, 1)), encjwk.FormFlattened},
	}
	for _, c := range yes {
		t.Run("yes/"+c.name, func(t *testing.T) {
			if f, ok := encjwk.Detect(c.in); !ok || f != c.form {
				t.Fatalf("Detect = %v, %v; want %v, true", f, ok, c.form)
			}
		})
	}
	no := []struct {
		name string
		in   []byte
	}{
		{"JWE to an RSA key/RFC7518_4.3", fake(set("alg", "RSA-OAEP-256"))},
		{"PBES2 with cty JWT/RFC7519_5.2", fake(set("cty", "JWT"))},
		{"PBES2 with typ JWT/RFC7519_5.1", fake(withHeader(func(h map[string]any) { delete(h, "cty"); h["typ"] = "JWT" }))},
		{"a JWT/RFC7519", []byte(b64(`{"alg":"HS256"}`) + "." + b64(`{}`) + ".c2ln")},
		{"a JWK/RFC7517_4", []byte(`{"kty":"oct","k":"c2VjcmV0"}`)},
		{"a JWKS/RFC7517_5", []byte(`{"keys":[]}`)},
		{"PEM", []byte("-----BEGIN PRIVATE KEY-----\nMC4=\n-----END PRIVATE KEY-----\n")},
		{"text", []byte("hello")},
		{"empty", nil},
		{"header not JSON", fake("nope")},
	}
	for _, c := range no {
		t.Run("no/"+c.name, func(t *testing.T) {
			if f, ok := encjwk.Detect(c.in); ok {
				t.Fatalf("Detect = %v, true; want false", f)
			}
		})
	}
}

// TestOpenHeaderJWXRefuses: a header jwx refuses when it parses it, past
// what Inspect checks (a "jwk" member that is no key, RFC 7516 §4.1.5),
// is damage found before any derivation, not a wrong passphrase.
func TestOpenHeaderJWXRefuses(t *testing.T) {
	for _, h := range []string{set("jwk", map[string]any{}), set("epk", map[string]any{"kty": "EC"})} {
		_, _, err := encjwk.Open(fake(h), testPass, encjwk.OpenOptions{})
		wantKind(t, err, encjwk.ErrDamaged)
		if !strings.Contains(err.Error(), "nothing was derived") || errors.Unwrap(err) == nil {
			t.Fatalf("error %v", err)
		}
	}
}

// TestCountErrorCarriesNumbers: a refused p2c is in the error, with the cap
// (for a message that says both before any work).
func TestCountErrorCarriesNumbers(t *testing.T) {
	_, err := encjwk.Inspect(fake(rawP2C("20000000")))
	var e *encjwk.Error
	if !errors.As(err, &e) || e.Count != 20_000_000 || e.Limit != encjwk.ReadCap {
		t.Fatalf("error %#v", err)
	}
	for _, want := range []string{"20,000,000", "10,000,000", "before deriving"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("message %q lacks %q", err, want)
		}
	}
	// A caller's lower cap (OpenOptions.MaxCount) is held too.
	_, _, err = encjwk.Open(fake(stepHeader), testPass, encjwk.OpenOptions{MaxCount: 50_000})
	if !errors.As(err, &e) || !errors.Is(err, encjwk.ErrCountOverCap) || e.Count != 100_000 || e.Limit != 50_000 {
		t.Fatalf("lower cap: %v", err)
	}
	_, err = encjwk.Inspect(fake(rawP2C("999")))
	if !errors.As(err, &e) || e.Count != 999 || e.Limit != encjwk.ReadFloor {
		t.Fatalf("floor: %#v", err)
	}
	fmt.Fprintln(&bytes.Buffer{}, e) // the message is printable as is
}
