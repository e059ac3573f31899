package keys

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"golang.org/x/crypto/ssh"

	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
)

// Inputs from the wild for the one strict reader (issue 16, items 4–8 and
// 10; issue 22, item 1). Fixtures made by standard tools are in
// testdata/wild (see its README); keys whose halves disagree are built here.

// parseFixture is fixture for fuzz seeds too (testing.TB).
func parseFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "parse", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func wildFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "wild", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jwkMap is a key's JSON as a map.
func jwkMap(t testing.TB, k jwk.Key) map[string]any {
	t.Helper()
	b, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// privateRSAJWK is the private JWK of testdata/parse/rsa-pkcs1.pem as a map.
func privateRSAJWK(t testing.TB) map[string]any {
	t.Helper()
	res, err := Parse(parseFixture(t, "rsa-pkcs1.pem"), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return jwkMap(t, res.Items[0].Key)
}

func withLeadingZeros(t testing.TB, v any, zeros int) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(v.(string))
	if err != nil {
		t.Fatal(err)
	}
	return b64u(append(make([]byte, zeros), b...))
}

func marshalMap(t testing.TB, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// writtenEverywhere is every form the engine writes a key in: the JWK, the
// public JWK, the public JWKS (the workspace writes these: keyset's
// TestWorkspaceWritesTheKeysPublicForm), PEM.
func writtenEverywhere(t *testing.T, k jwk.Key) map[string]string {
	t.Helper()
	out := map[string]string{}
	b, err := MarshalJWK(k)
	if err != nil {
		t.Fatal(err)
	}
	out["JWK"] = string(b)
	if b, err = MarshalPublicJWK(k); err != nil {
		t.Fatal(err)
	}
	out["public JWK"] = string(b)
	if b, _, err = ExportPublicJWKS([]jwk.Key{k}); err != nil {
		t.Fatal(err)
	}
	out["public JWKS"] = string(b)
	return out
}

// 16.4: Base64urlUInt members are written with the minimum number of
// octets, whatever the input had; EC coordinates keep the curve's size.
func TestReaderRFC7518Sec2Base64urlUIntWrittenCanonically(t *testing.T) {
	base := privateRSAJWK(t)
	canonicalN := base["n"].(string)
	cases := []struct {
		name, member string
		zeros        int
		note         string
	}{
		{"RFC 7518 §6.3.1.1 n with a leading zero octet", "n", 1, "n has a leading zero octet (257 octets): non-canonical per RFC 7518 §6.3.1.1; AWS STS and others reject it; written canonically"},
		{"RFC 7518 §6.3.1.1 n with two leading zero octets", "n", 2, "n has 2 leading zero octets (258 octets): non-canonical per RFC 7518 §6.3.1.1; AWS STS and others reject it; written canonically"},
		{"RFC 7518 §6.3.1.2 e as AAEAAQ", "e", 1, "e has a leading zero octet (4 octets): non-canonical per RFC 7518 §6.3.1.2; AWS STS and others reject it; written canonically"},
		{"RFC 7518 §6.3.2.1 d", "d", 1, "d has a leading zero octet"},
		{"RFC 7518 §6.3.2.2 p", "p", 1, "p has a leading zero octet (129 octets): non-canonical per RFC 7518 §6.3.2.2"},
		{"RFC 7518 §6.3.2.3 q", "q", 1, "q has a leading zero octet (129 octets): non-canonical per RFC 7518 §6.3.2.3"},
		{"RFC 7518 §6.3.2.4 dp", "dp", 1, "dp has a leading zero octet"},
		{"RFC 7518 §6.3.2.5 dq", "dq", 1, "dq has a leading zero octet"},
		{"RFC 7518 §6.3.2.6 qi", "qi", 3, "qi has 3 leading zero octets"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := cloneMap(base)
			want := m[c.member].(string)
			m[c.member] = withLeadingZeros(t, want, c.zeros)
			for _, public := range []bool{false, true} {
				in := m
				if public {
					if c.member != "n" && c.member != "e" {
						continue
					}
					in = map[string]any{"kty": "RSA", "n": m["n"], "e": m["e"]}
				}
				res, err := Parse(marshalMap(t, in), ParseOptions{})
				if err != nil {
					t.Fatal(err)
				}
				it := res.Items[0]
				if !strings.Contains(strings.Join(it.Warnings, "|"), c.note) {
					t.Errorf("warnings %q lack %q", it.Warnings, c.note)
				}
				for form, text := range writtenEverywhere(t, it.Key) {
					if strings.Contains(text, m[c.member].(string)) {
						t.Errorf("%s keeps the non-canonical %s", form, c.member)
					}
					if (c.member == "n" || c.member == "e" || form == "JWK") && !strings.Contains(text, `"`+want+`"`) {
						t.Errorf("%s lacks the canonical %s", form, c.member)
					}
				}
				// The thumbprint was canonical already (RFC 7638 §3.3), and stays.
				tp, _ := ThumbprintOf(it.Key)
				ref, _ := ParseJWK(marshalMap(t, map[string]any{"kty": "RSA", "n": canonicalN, "e": "AQAB"}))
				if want, _ := ThumbprintOf(ref); tp != want {
					t.Error("thumbprint changed")
				}
				// PEM and back gives the same canonical JWK.
				pemOut, err := ExportPEM(it.Key, PEMFormatsFor(it.Key, public)[0], public)
				if err != nil {
					t.Fatal(err)
				}
				back, _ := Parse(pemOut.PEM, ParseOptions{})
				if got := jwkMap(t, back.Items[0].Key)[c.member]; got != want {
					t.Errorf("PEM round trip: %s = %v", c.member, got)
				}
			}
		})
	}
	// The notes reach every reader of JSON: the key set's notes, per key.
	m := cloneMap(base)
	m["n"] = withLeadingZeros(t, m["n"], 1)
	set := `{"keys":[` + string(marshalMap(t, m)) + `]}`
	ps, err := ParseKeySet([]byte(set))
	if err != nil || len(ps.Notes) != 1 || !strings.Contains(strings.Join(ps.Notes[0], "|"), "n has a leading zero octet (257 octets)") {
		t.Errorf("ParseKeySet notes %v %v", ps.Notes, err)
	}
	if got := jwkMap(t, ps.Keys[0])["n"]; got != canonicalN {
		t.Error("ParseKeySet kept the leading zero")
	}
	// Zero is one zero octet (RFC 7518 §2), not nothing: refused as a modulus, named.
	if _, err := ParseJWK([]byte(`{"kty":"RSA","n":"AAAA","e":"AQAB"}`)); err == nil || !strings.Contains(err.Error(), "an RSA modulus of 0 bits is refused") {
		t.Errorf("zero modulus: %v", err)
	}
}

// 16.4's siblings on EC: coordinates and d are the curve's full size (RFC
// 7518 §6.2.1.2, §6.2.1.3, §6.2.2.1), never stripped, short or long refused.
func TestReaderRFC7518Sec6212ECCoordinatesFullSize(t *testing.T) {
	p521, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	// A P-521 coordinate is 66 octets whose first is 0x00 or 0x01: kept as it is.
	pt, _ := p521.PublicKey.Bytes()
	d, _ := p521.Bytes()
	x, y := pt[1:67], pt[67:]
	in := map[string]any{"kty": "EC", "crv": "P-521", "x": b64u(x), "y": b64u(y), "d": b64u(d)}
	k, notes, err := ParseJWKWithNotes(marshalMap(t, in))
	if err != nil || len(notes) != 0 {
		t.Fatalf("P-521: %v %v", err, notes)
	}
	out := jwkMap(t, k)
	for _, m := range []string{"x", "y", "d"} {
		if out[m] != in[m] {
			t.Errorf("P-521 %s changed: %v", m, out[m])
		}
	}
	ecX, ecY, ecD := "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"
	dec := func(s string) []byte { b, _ := base64.RawURLEncoding.DecodeString(s); return b }
	cases := []struct{ name, x, y, d, want string }{
		{"RFC 7518 §6.2.1.2 x with a leading zero octet (33 bytes)", b64u(append([]byte{0}, dec(ecX)...)), ecY, "", `EC coordinate "x" is 33 bytes: P-256 needs 32`},
		{"RFC 7518 §6.2.1.2 x short by an octet (31 bytes)", b64u(dec(ecX)[1:]), ecY, "", `EC coordinate "x" is 31 bytes: P-256 needs 32`},
		{"RFC 7518 §6.2.1.3 y with a leading zero octet", ecX, b64u(append([]byte{0}, dec(ecY)...)), "", `EC coordinate "y" is 33 bytes: P-256 needs 32`},
		{"RFC 7518 §6.2.2.1 d with a leading zero octet", ecX, ecY, b64u(append([]byte{0}, dec(ecD)...)), `EC private member "d" is 33 bytes: P-256 needs 32`},
		{"RFC 7518 §6.2.2.1 d short", ecX, ecY, b64u(dec(ecD)[1:]), `EC private member "d" is 31 bytes: P-256 needs 32`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := map[string]any{"kty": "EC", "crv": "P-256", "x": c.x, "y": c.y}
			if c.d != "" {
				m["d"] = c.d
			}
			if _, err := ParseJWK(marshalMap(t, m)); err == nil || err.Error() != c.want {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
}

// 16.5: one base64url policy for every octet member of every key type:
// standard base64 and "=" padding are read with a note and written as
// base64url; whitespace, mixed alphabets, foreign characters and impossible
// lengths are refused, naming the member.
func TestReaderRFC7515Sec2OneBase64urlPolicy(t *testing.T) {
	rsaKey := privateRSAJWK(t)
	rfc8037 := keyWithURLChars(t, func(seed []byte) map[string]any {
		k := ed25519.NewKeyFromSeed(seed)
		return map[string]any{"kty": "OKP", "crv": "Ed25519", "x": b64u(k.Public().(ed25519.PublicKey)), "d": b64u(seed)}
	})
	rfc7515EC := keyWithURLChars(t, func(seed []byte) map[string]any {
		k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), seed)
		if err != nil {
			return nil
		}
		pt, _ := k.PublicKey.Bytes()
		return map[string]any{"kty": "EC", "crv": "P-256", "x": b64u(pt[1:33]), "y": b64u(pt[33:]), "d": b64u(seed)}
	})
	x25519 := keyWithURLChars(t, func(seed []byte) map[string]any {
		k, err := ecdh.X25519().NewPrivateKey(seed)
		if err != nil {
			return nil
		}
		return map[string]any{"kty": "OKP", "crv": "X25519", "x": b64u(k.PublicKey().Bytes()), "d": b64u(seed)}
	})
	hmac := map[string]any{"kty": "oct", "k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"} // RFC 7515 A.1
	withX5t := cloneMap(rfc7515EC)
	withX5t["x5t"] = "Ea-OqN5b_8sIXIzMT2n0gn-OyGs"
	withX5t["x5t#S256"] = "ZwEm-3BKTYZOOeOQdqWoxCo0pKU_D5B9rThh1hyu_Qk"
	toStd := strings.NewReplacer("-", "+", "_", "/").Replace
	pad := func(s string) string { return s + strings.Repeat("=", (4-len(s)%4)%4) }
	cases := []struct {
		name   string
		key    map[string]any
		member string
	}{
		{"RFC 7518 §6.3.1.1 RSA n", rsaKey, "n"}, {"RFC 7518 §6.3.2.1 RSA d", rsaKey, "d"},
		{"RFC 7518 §6.3.2.2 RSA p", rsaKey, "p"}, {"RFC 7518 §6.3.2.3 RSA q", rsaKey, "q"},
		{"RFC 7518 §6.3.2.4 RSA dp", rsaKey, "dp"}, {"RFC 7518 §6.3.2.5 RSA dq", rsaKey, "dq"}, {"RFC 7518 §6.3.2.6 RSA qi", rsaKey, "qi"},
		{"RFC 7518 §6.2.1.2 EC x", rfc7515EC, "x"}, {"RFC 7518 §6.2.1.3 EC y", rfc7515EC, "y"}, {"RFC 7518 §6.2.2.1 EC d", rfc7515EC, "d"},
		{"RFC 8037 §2 OKP Ed25519 x", rfc8037, "x"}, {"RFC 8037 §2 OKP Ed25519 d", rfc8037, "d"},
		{"RFC 8037 §2 OKP X25519 x", x25519, "x"}, {"RFC 8037 §2 OKP X25519 d", x25519, "d"},
		{"RFC 7518 §6.4.1 oct k", hmac, "k"},
		{"RFC 7517 §4.8 x5t", withX5t, "x5t"}, {"RFC 7517 §4.9 x5t#S256", withX5t, "x5t#S256"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := c.key[c.member].(string)
			variants := map[string]string{"standard base64": toStd(want), "padded": pad(want), "standard and padded": pad(toStd(want))}
			if !urlChars(want) {
				t.Fatalf("fixture %s has under two '-' or '_': the forms would not differ", c.member)
			}
			for kind, v := range variants {
				if v == want {
					continue // already a multiple of 4: no padding to add
				}
				m := cloneMap(c.key)
				m[c.member] = v
				res, err := Parse(marshalMap(t, m), ParseOptions{})
				if err != nil {
					t.Fatalf("%s: %v", kind, err)
				}
				it := res.Items[0]
				notes := strings.Join(it.Warnings, "|")
				if strings.Contains(kind, "standard") && !strings.Contains(notes, c.member+` is in standard base64 ("+", "/"), not the base64url`) ||
					strings.Contains(kind, "padded") && !strings.Contains(notes, c.member+` ends in "=" padding, which JOSE's base64url omits (RFC 7515 §2)`) {
					t.Errorf("%s: notes %q", kind, it.Warnings)
				}
				if got := jwkMap(t, it.Key)[c.member]; got != want {
					t.Errorf("%s: written as %v, want %s", kind, got, want)
				}
			}
			impossible := want + "A" // a length of 4n+1 characters encodes no octets
			for len(impossible)%4 != 1 {
				impossible += "A"
			}
			refusals := map[string]string{
				"mixed alphabets":       "+" + want[1:],
				"a space":               want[:4] + " " + want[4:],
				"a foreign character":   want[:4] + "*" + want[5:],
				"one foreign character": "@",
				"an impossible length":  impossible,
			}
			says := map[string]string{"mixed alphabets": "mixes base64url", "a space": "holds spaces or line breaks",
				"a foreign character": "is not in its alphabet", "one foreign character": `character 1, "@", is not in its alphabet`,
				"an impossible length": "a length no base64url text has"}
			for kind, v := range refusals {
				m := cloneMap(c.key)
				m[c.member] = v
				_, err := Parse(marshalMap(t, m), ParseOptions{})
				if err == nil || !strings.Contains(err.Error(), `member "`+c.member+`"`) || !strings.Contains(err.Error(), says[kind]) {
					t.Errorf("%s: %v", kind, err)
				}
			}
		})
	}
}

// 16.6: RSASSA-PSS keys (RFC 4055, OID 1.2.840.113549.1.1.10) in SPKI,
// PKCS#8, certificates and openssl's traditional form become RSA JWKs with
// the PSS restriction noted and alg from the parameters' hash.
func TestReaderRFC4055RSASSAPSSKeys(t *testing.T) {
	ref := func(name string) map[string]any { // the same key through PKCS#1 and crypto/x509
		t.Helper()
		b := wildFixture(t, name)
		b = bytes.ReplaceAll(b, []byte("RSA-PSS "), []byte("RSA "))
		return members(t, referenceJWK(t, b))
	}
	cases := []struct {
		file, label, alg string
		private          bool
		note             string
		ref              string
	}{
		{"rsa-pss-spki.pem", "SPKI public key, RSA 2048 bits (RSASSA-PSS)", "", false, "an RSASSA-PSS key (RFC 4055) without parameters: its owner meant it for PSS signatures only", ""},
		{"rsa-pss-pkcs8.pem", "PKCS#8 private key, RSA 2048 bits (RSASSA-PSS)", "", true, "without parameters", ""},
		{"rsa-pss-sha256-spki.pem", "SPKI public key, RSA 2048 bits (RSASSA-PSS, PS256)", "PS256", false, "restricted to PSS with SHA-256: alg PS256 (RFC 7518 §3.5); use it for nothing else", "rsa-pss-sha256-pkcs1-public.pem"},
		{"rsa-pss-sha256-pkcs8.pem", "PKCS#8 private key, RSA 2048 bits (RSASSA-PSS, PS256)", "PS256", true, "alg PS256", "rsa-pss-sha256-pkcs1.pem"},
		{"rsa-pss-sha256-pkcs8.der", "PKCS#8 private key (DER (binary)), RSA 2048 bits (RSASSA-PSS, PS256)", "PS256", true, "alg PS256", "rsa-pss-sha256-pkcs1.pem"},
		{"rsa-pss-sha384-spki.pem", "SPKI public key, RSA 2048 bits (RSASSA-PSS, PS384)", "PS384", false, "its parameters name MGF1 with SHA-1, while PS384 uses MGF1 with SHA-384", ""},
		{"rsa-pss-sha384-pkcs8.pem", "PKCS#8 private key, RSA 2048 bits (RSASSA-PSS, PS384)", "PS384", true, "alg PS384", ""},
		{"rsa-pss-sha512-spki.pem", "SPKI public key, RSA 2048 bits (RSASSA-PSS, PS512)", "PS512", false, "alg PS512", ""},
		{"rsa-pss-sha512-pkcs8.pem", "PKCS#8 private key, RSA 2048 bits (RSASSA-PSS, PS512)", "PS512", true, "alg PS512", ""},
		{"rsa-pss-sha384-cert.pem", "X.509 certificate, CN=pss.example, valid until 2126", "PS384", false, "alg PS384", ""},
		{"rsa-pss-sha256-pkcs1.pem", "PKCS#1 RSA-PSS private key, 2048 bits (RSASSA-PSS)", "", true, "openssl's traditional form", "rsa-pss-sha256-pkcs1.pem"},
		{"rsa-pss-sha256-pkcs1-public.pem", "PKCS#1 RSA-PSS public key, 2048 bits (RSASSA-PSS)", "", false, "openssl's traditional form", "rsa-pss-sha256-pkcs1-public.pem"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			res, err := Parse(wildFixture(t, c.file), ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			it := res.Items[0]
			if !strings.HasPrefix(it.Label, c.label) {
				t.Errorf("label %q, want %q", it.Label, c.label)
			}
			if !strings.Contains(strings.Join(it.Warnings, "|"), c.note) {
				t.Errorf("warnings %q lack %q", it.Warnings, c.note)
			}
			m := jwkMap(t, it.Key)
			if m["kty"] != "RSA" || IsPrivate(it.Key) != c.private || (m["alg"] != nil) != (c.alg != "") || c.alg != "" && m["alg"] != c.alg {
				t.Errorf("JWK %v %v", m["kty"], m["alg"])
			}
			if c.ref != "" {
				got, want := members(t, it.Key), ref(c.ref)
				delete(got, "alg")
				if !jsonEqual(got, want) {
					t.Error("members differ from the key's PKCS#1 form")
				}
			}
		})
	}
	// The public and private halves of one PSS key are one key.
	pub, _ := ParseKeys(wildFixture(t, "rsa-pss-sha512-spki.pem"))
	priv, _ := ParseKeys(wildFixture(t, "rsa-pss-sha512-pkcs8.pem"))
	if a, b := thumb(t, pub[0]), thumb(t, priv[0]); a != b {
		t.Error("SPKI and PKCS#8 of one PSS key differ")
	}
}

func thumb(t testing.TB, k jwk.Key) string {
	t.Helper()
	tp, err := ThumbprintOf(k)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

// 16.6: EC keys with explicit parameters equal to a named curve (RFC 5480
// §2.1.1, RFC 3279 §2.3.5), in SPKI, SEC1 and PKCS#8, and compressed points
// (SEC 1 §2.3.3), are the named curve's key.
func TestReaderRFC5480ExplicitECParametersAndCompressedPoints(t *testing.T) {
	for _, crv := range []string{"p256", "p384", "p521", "secp256k1"} {
		want := members(t, referenceJWK(t, wildFixture(t, "ec-"+crv+"-named-sec1.pem")))
		wantPub := cloneMap(want)
		delete(wantPub, "d")
		for _, form := range []string{"sec1", "pkcs8", "spki"} {
			t.Run("RFC 5480 §2.1.1 explicit "+crv+" "+form, func(t *testing.T) {
				res, err := Parse(wildFixture(t, "ec-"+crv+"-explicit-"+form+".pem"), ParseOptions{})
				if err != nil {
					t.Fatal(err)
				}
				it := res.Items[0]
				w := want
				if form == "spki" {
					w = wantPub
				}
				if got := members(t, it.Key); !jsonEqual(got, w) {
					t.Errorf("members %v, want %v", got, w)
				}
				if !strings.Contains(strings.Join(it.Warnings, "|"), "the curve was given by explicit parameters") {
					t.Errorf("warnings %q", it.Warnings)
				}
			})
		}
	}
	p256 := members(t, referenceJWK(t, wildFixture(t, "ec-p256-named-sec1.pem")))
	for _, c := range []struct{ file, want string }{
		{"ec-p256-compressed-spki.pem", "SPKI public key, EC P-256"},
		{"ec-p256-compressed-sec1.pem", "SEC1 EC private key, EC P-256"},
		{"ec-p256-explicit-spki.der", "SPKI public key (DER (binary)), EC P-256"},
	} {
		t.Run("SEC 1 §2.3.3 "+c.file, func(t *testing.T) {
			res, err := Parse(wildFixture(t, c.file), ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := members(t, res.Items[0].Key)
			if got["x"] != p256["x"] || got["y"] != p256["y"] || !strings.HasPrefix(res.Items[0].Label, c.want) {
				t.Errorf("%s: %v", res.Items[0].Label, got)
			}
		})
	}
	res, err := Parse(wildFixture(t, "ec-p384-explicit-compressed-spki.pem"), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := members(t, referenceJWK(t, wildFixture(t, "ec-p384-named-sec1.pem"))); members(t, res.Items[0].Key)["y"] != want["y"] {
		t.Error("explicit and compressed P-384: wrong y")
	}
}

// 16.6: other encodings standard tools write for supported keys: RFC 4716
// SSH2 public keys (ssh-keygen -e), openssl's TRUSTED CERTIFICATE, and the
// legacy certificate labels RFC 7468 §5.1 lets readers accept.
func TestReaderRFC4716AndOtherToolEncodings(t *testing.T) {
	okp, _ := Parse(wildFixture(t, "ssh2-ed25519.openssh.pub"), ParseOptions{})
	leaf, _ := Parse(parseFixture(t, "leaf.pem"), ParseOptions{})
	leafLegacy := bytes.ReplaceAll(parseFixture(t, "leaf.pem"), []byte("CERTIFICATE"), []byte("X509 CERTIFICATE"))
	cases := []struct {
		name  string
		in    []byte
		label string
		same  jwk.Key
	}{
		{"RFC 4716 Ed25519", wildFixture(t, "ssh2-ed25519.pub"), "SSH2 public key (RFC 4716), ssh-ed25519, Ed25519", okp.Items[0].Key},
		{"RFC 4716 RSA", wildFixture(t, "ssh2-rsa.pub"), "SSH2 public key (RFC 4716), ssh-rsa, RSA 2048 bits", nil},
		{"openssl TRUSTED CERTIFICATE", wildFixture(t, "leaf-trusted.pem"), "X.509 certificate, CN=auth.example.com", leaf.Items[0].Key},
		{"RFC 7468 §5.1 X509 CERTIFICATE", leafLegacy, "X.509 certificate, CN=auth.example.com", leaf.Items[0].Key},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Parse(c.in, ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(res.Items[0].Label, c.label) {
				t.Errorf("label %q", res.Items[0].Label)
			}
			if c.same != nil && thumb(t, res.Items[0].Key) != thumb(t, c.same) {
				t.Error("another key than the reference")
			}
		})
	}
}

// 16.6: keys JOSE cannot use get a refusal naming them, never "damaged".
func TestReaderRFC8037KeysWithoutJOSEFormAreNamed(t *testing.T) {
	ed448 := unsupportedOKPCurve("Ed448").Error()
	x448 := unsupportedOKPCurve("X448").Error()
	cases := []struct{ name, file, in, want string }{
		{"RFC 8410 Ed448 SPKI", "ed448-spki.pem", "", "PEM block 1 (PUBLIC KEY): " + ed448},
		{"RFC 8410 Ed448 PKCS#8", "ed448-pkcs8.pem", "", "PEM block 1 (PRIVATE KEY): " + ed448},
		{"RFC 8410 X448 SPKI", "x448-spki.pem", "", "PEM block 1 (PUBLIC KEY): " + x448},
		{"RFC 8410 X448 PKCS#8", "x448-pkcs8.pem", "", "PEM block 1 (PRIVATE KEY): " + x448},
		{"RFC 8037 §2 Ed448 JWK", "", `{"kty":"OKP","crv":"Ed448","x":"AA"}`, ed448},
		{"RFC 8037 §2 X448 JWK", "", `{"kty":"OKP","crv":"X448","x":"AA"}`, x448},
		{"RFC 5480 brainpoolP256r1", "brainpool-p256-spki.pem", "", "an EC key on curve brainpoolP256r1, which JOSE does not register"},
		{"RFC 5480 P-224", "p224-spki.pem", "", "an EC key on curve secp224r1 (P-224), which JOSE does not register"},
		{"RFC 3279 DSA", "dsa-spki.pem", "", "a DSA key: DSA keys cannot be used with JOSE"},
		{"RFC 3279 DH", "dh-spki.pem", "", "a Diffie-Hellman (PKCS #3) key: JOSE has no algorithm for it"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := []byte(c.in)
			if c.file != "" {
				in = wildFixture(t, c.file)
			}
			_, err := Parse(in, ParseOptions{})
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "damaged") {
				t.Errorf("error %v, want %q", err, c.want)
			}
			// Through DER too, binary and base64.
			if block, _ := pem.Decode(in); block != nil {
				for _, der := range [][]byte{block.Bytes, []byte(base64.StdEncoding.EncodeToString(block.Bytes))} {
					if _, err := Parse(der, ParseOptions{}); err == nil || strings.Contains(err.Error(), "damaged") || strings.Contains(err.Error(), "no key or certificate JWK Desk knows") {
						t.Errorf("DER: %v", err)
					}
				}
			}
		})
	}
}

// 16.6: "damaged" and "cut short" stay for real damage, in every form.
func TestReaderDamagedStaysForRealDamage(t *testing.T) {
	forms := []struct{ file, label, what string }{
		{"../parse/rsa-spki.pem", "PUBLIC KEY", "SPKI public key"},
		{"rsa-pss-sha256-spki.pem", "PUBLIC KEY", "SPKI public key"},
		{"../parse/rsa-pkcs8.pem", "PRIVATE KEY", "PKCS#8 private key"},
		{"ec-p256-explicit-pkcs8.pem", "PRIVATE KEY", "PKCS#8 private key"},
		{"../parse/rsa-pkcs1.pem", "RSA PRIVATE KEY", "PKCS#1 RSA private key"},
		{"../parse/rsa-pkcs1-public.pem", "RSA PUBLIC KEY", "PKCS#1 RSA public key"},
		{"ec-p256-explicit-sec1.pem", "EC PRIVATE KEY", "SEC1 EC private key"},
		{"../parse/leaf.pem", "CERTIFICATE", "X.509 certificate"},
	}
	for _, f := range forms {
		block, _ := pem.Decode(wildFixture(t, f.file))
		der := block.Bytes
		cut := pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: der[:len(der)*2/3]})
		t.Run("cut short "+f.file, func(t *testing.T) {
			want := "PEM block 1 (" + f.label + ") is cut short: its DER ends before the " + f.what + " does: copy the whole block again, from -----BEGIN to -----END"
			if _, err := Parse(cut, ParseOptions{}); err == nil || err.Error() != want {
				t.Errorf("error %v\nwant %s", err, want)
			}
		})
		t.Run("trailing bytes "+f.file, func(t *testing.T) {
			long := pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: append(append([]byte(nil), der...), 5, 0)})
			if _, err := Parse(long, ParseOptions{}); err == nil || !strings.Contains(err.Error(), "has 2 bytes of something else after the "+f.what) {
				t.Errorf("error %v", err)
			}
		})
		t.Run("damaged inside "+f.file, func(t *testing.T) {
			bad := append([]byte(nil), der...)
			for i := 6; i < 12; i++ {
				bad[i] = 0xff // the start of the first inner element
			}
			_, err := Parse(pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: bad}), ParseOptions{})
			if err == nil || !strings.Contains(err.Error(), "is damaged") && !strings.Contains(err.Error(), "cut short") && !strings.Contains(err.Error(), "the key is damaged") {
				t.Errorf("error %v", err)
			}
		})
	}
	// Not keys, in DER: named, not damaged.
	csr, _ := pem.Decode(parseFixture(t, "csr.pem"))
	for name, c := range map[string]struct {
		in   []byte
		want string
	}{
		"RFC 7292 PKCS#12":           {wildFixture(t, "leaf.p12"), "this is a PKCS#12 bundle (.p12, .pfx), which JWK Desk does not open: extract the key and certificates with `openssl pkcs12 -in FILE -nodes` and paste the PEM"},
		"RFC 2986 CSR in DER":        {csr.Bytes, "this is a certificate signing request (CSR), not a key"},
		"RFC 2986 CSR in base64 DER": {[]byte(base64.StdEncoding.EncodeToString(csr.Bytes)), "this is a certificate signing request (CSR), not a key"},
	} {
		if _, err := Parse(c.in, ParseOptions{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// DSA in DER, and a sound certificate crypto/x509 refuses by its own rules.
	dsaBlock, _ := pem.Decode(parseFixture(t, "dsa.pem"))
	if _, err := Parse(dsaBlock.Bytes, ParseOptions{}); err == nil || !strings.Contains(err.Error(), "a DSA key: DSA keys cannot be used with JOSE") {
		t.Errorf("DSA DER: %v", err)
	}
	dup := duplicateExtensionCert(t)
	if _, err := Parse(pemBlockOf("CERTIFICATE", dup), ParseOptions{}); err == nil || !strings.Contains(err.Error(), "it is well-formed, but Go's X.509 parser refuses it (certificate contains duplicate extension with OID \"1.2.3.4\")") || strings.Contains(err.Error(), "damaged") {
		t.Errorf("duplicate extensions: %v", err)
	}
	// The same DER cut short, pasted as DER.
	block, _ := pem.Decode(wildFixture(t, "rsa-pss-sha256-spki.pem"))
	if _, err := Parse(block.Bytes[:100], ParseOptions{}); err == nil || !strings.Contains(err.Error(), "DER (binary) holds what looks like an SPKI public key, but it is cut short") {
		t.Errorf("DER cut short: %v", err)
	}
}

// ed25519Pair is a fixed Ed25519 key pair for the tests.
func ed25519Pair(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, 32))
}

// pkcs8V2 builds a PKCS#8 v2 OneAsymmetricKey (RFC 5958) with the given
// private key octets and public key.
func pkcs8V2(t testing.TB, alg pkix.AlgorithmIdentifier, priv, pub []byte) []byte {
	t.Helper()
	der, err := asn1.Marshal(pkcs8Key{Version: 1, Algo: alg, PrivateKey: priv, PublicKey: asn1.BitString{Bytes: pub, BitLength: 8 * len(pub)}})
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func pemBlockOf(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// halvesCases are keys whose private part belongs to another public part,
// in every input form, and the same forms with matching halves.
func halvesCases(t testing.TB) (bad, good map[string][]byte) {
	bad, good = map[string][]byte{}, map[string][]byte{}
	a, b := ed25519Pair(1), ed25519Pair(2)
	seed, _ := asn1.Marshal(a.Seed())
	edAlg := pkix.AlgorithmIdentifier{Algorithm: oidEd25519}
	bad["RFC 5958 PKCS#8 v2 Ed25519"] = pemBlockOf("PRIVATE KEY", pkcs8V2(t, edAlg, seed, b.Public().(ed25519.PublicKey)))
	good["RFC 5958 PKCS#8 v2 Ed25519"] = pemBlockOf("PRIVATE KEY", pkcs8V2(t, edAlg, seed, a.Public().(ed25519.PublicKey)))

	xa, _ := ecdh.X25519().NewPrivateKey(bytes.Repeat([]byte{3}, 32))
	xb, _ := ecdh.X25519().NewPrivateKey(bytes.Repeat([]byte{4}, 32))
	xseed, _ := asn1.Marshal(xa.Bytes())
	xAlg := pkix.AlgorithmIdentifier{Algorithm: oidX25519}
	bad["RFC 5958 PKCS#8 v2 X25519"] = pemBlockOf("PRIVATE KEY", pkcs8V2(t, xAlg, xseed, xb.PublicKey().Bytes()))
	good["RFC 5958 PKCS#8 v2 X25519"] = pemBlockOf("PRIVATE KEY", pkcs8V2(t, xAlg, xseed, xa.PublicKey().Bytes()))

	ea, _ := ecdsa.ParseRawPrivateKey(elliptic.P256(), bytes.Repeat([]byte{5}, 32))
	eb, _ := ecdsa.ParseRawPrivateKey(elliptic.P256(), bytes.Repeat([]byte{6}, 32))
	pointB, _ := eb.PublicKey.Bytes()
	pointA, _ := ea.PublicKey.Bytes()
	sec1, _ := x509.MarshalECPrivateKey(ea)
	var s sec1Key
	if _, err := asn1.Unmarshal(sec1, &s); err != nil {
		t.Fatal(err)
	}
	s.PublicKey = asn1.BitString{Bytes: pointB, BitLength: 8 * len(pointB)}
	swapped, _ := asn1.Marshal(s)
	bad["RFC 5915 SEC1 P-256 publicKey"] = pemBlockOf("EC PRIVATE KEY", swapped)
	good["RFC 5915 SEC1 P-256 publicKey"] = pemBlockOf("EC PRIVATE KEY", sec1)
	p8, _ := x509.MarshalPKCS8PrivateKey(ea) // Go writes the public key inside the SEC1 key
	var outer pkcs8Key
	if _, err := asn1.Unmarshal(p8, &outer); err != nil {
		t.Fatal(err)
	}
	inner := outer
	inner.PrivateKey = swapped
	innerDER, _ := asn1.Marshal(inner)
	bad["RFC 5915 SEC1 inside PKCS#8 P-256"] = pemBlockOf("PRIVATE KEY", innerDER)
	good["RFC 5915 SEC1 inside PKCS#8 P-256"] = pemBlockOf("PRIVATE KEY", p8)
	bad["RFC 5958 PKCS#8 v2 P-256"] = pemBlockOf("PRIVATE KEY", pkcs8V2(t, outer.Algo, outer.PrivateKey, pointB))
	good["RFC 5958 PKCS#8 v2 P-256"] = pemBlockOf("PRIVATE KEY", pkcs8V2(t, outer.Algo, outer.PrivateKey, pointA))

	ka, kb := secp256k1.PrivKeyFromBytes(bytes.Repeat([]byte{7}, 32)), secp256k1.PrivKeyFromBytes(bytes.Repeat([]byte{8}, 32))
	ksec, _ := secp256k1SEC1(ka, true)
	var ks sec1Key
	_, _ = asn1.Unmarshal(ksec, &ks)
	ks.PublicKey = asn1.BitString{Bytes: kb.PubKey().SerializeUncompressed(), BitLength: 65 * 8}
	kswapped, _ := asn1.Marshal(ks)
	bad["RFC 5915 SEC1 secp256k1 publicKey"] = pemBlockOf("EC PRIVATE KEY", kswapped)
	good["RFC 5915 SEC1 secp256k1 publicKey"] = pemBlockOf("EC PRIVATE KEY", ksec)

	r1, _ := x509.ParsePKCS1PrivateKey(mustBlock(t, parseFixture(t, "rsa-pkcs1.pem")))
	leafKey, _ := x509.ParsePKCS8PrivateKey(mustBlock(t, parseFixture(t, "leaf.key")))
	r2 := leafKey.(*rsa.PrivateKey)
	type pkcs1 struct {
		Version                     int
		N, E, D, P, Q, Dp, Dq, Qinv *big.Int
	}
	raw := pkcs1{0, r1.N, big.NewInt(int64(r1.E)), r1.D, r1.Primes[0], r1.Primes[1], r1.Precomputed.Dp, r1.Precomputed.Dq, r1.Precomputed.Qinv}
	otherPrimes := raw
	otherPrimes.P, otherPrimes.Q = r2.Primes[0], r2.Primes[1]
	der, _ := asn1.Marshal(otherPrimes)
	bad["RFC 8017 A.1.2 n is not p·q"] = pemBlockOf("RSA PRIVATE KEY", der)
	otherD := raw
	otherD.D = new(big.Int).Add(r1.D, big.NewInt(2))
	der, _ = asn1.Marshal(otherD)
	bad["RFC 8017 A.1.2 d does not fit"] = pemBlockOf("RSA PRIVATE KEY", der)
	good["RFC 8017 A.1.2"] = pemBlockOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(r1))

	// OpenSSH keeps an Ed25519 key as seed and public key: another's public key.
	mixed := append(append(ed25519.PrivateKey(nil), a.Seed()...), b.Public().(ed25519.PublicKey)...)
	block, err := ssh.MarshalPrivateKey(mixed, "")
	if err != nil {
		t.Fatal(err)
	}
	bad["OpenSSH Ed25519"] = pem.EncodeToMemory(block)
	block, _ = ssh.MarshalPrivateKey(a, "")
	good["OpenSSH Ed25519"] = pem.EncodeToMemory(block)

	// A private key pasted with a certificate: the key is the certificate's, or the input is refused.
	bad["RFC 5280 private key and another key's certificate"] = append(parseFixture(t, "rsa-pkcs1.pem"), parseFixture(t, "leaf.pem")...)
	good["RFC 5280 private key and its certificate"] = append(parseFixture(t, "leaf.key"), parseFixture(t, "leaf.pem")...)
	bad["RFC 5280 certificate and another key"] = append(parseFixture(t, "leaf.pem"), parseFixture(t, "rsa-pkcs8.pem")...)
	good["RFC 5280 certificate and its key"] = append(parseFixture(t, "leaf.pem"), parseFixture(t, "leaf.key")...)

	// JWKs.
	jwkA := func(m map[string]any) []byte { b, _ := json.Marshal(m); return b }
	rfc8037 := map[string]any{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}
	good["RFC 8037 JWK Ed25519"] = jwkA(rfc8037)
	m := cloneMap(rfc8037)
	m["d"] = b64u(a.Seed())
	bad["RFC 8037 JWK Ed25519"] = jwkA(m)
	x := map[string]any{"kty": "OKP", "crv": "X25519", "x": b64u(xb.PublicKey().Bytes()), "d": b64u(xa.Bytes())}
	bad["RFC 8037 JWK X25519"] = jwkA(x)
	x["x"] = b64u(xa.PublicKey().Bytes())
	good["RFC 8037 JWK X25519"] = jwkA(x)
	ec := map[string]any{"kty": "EC", "crv": "P-256", "x": b64u(pointB[1:33]), "y": b64u(pointB[33:]), "d": b64u(must(ea.Bytes()))}
	bad["RFC 7518 §6.2.2.1 JWK P-256"] = jwkA(ec)
	ec["x"], ec["y"] = b64u(pointA[1:33]), b64u(pointA[33:])
	good["RFC 7518 §6.2.2.1 JWK P-256"] = jwkA(ec)
	kpt := kb.PubKey().SerializeUncompressed()
	k1 := map[string]any{"kty": "EC", "crv": "secp256k1", "x": b64u(kpt[1:33]), "y": b64u(kpt[33:]), "d": b64u(ka.Serialize())}
	bad["RFC 8812 JWK secp256k1"] = jwkA(k1)
	rsaJWK := privateRSAJWK(t)
	good["RFC 7518 §6.3.2 JWK RSA"] = jwkA(rsaJWK)
	rsaOther := cloneMap(rsaJWK)
	rsaOther["n"] = b64u(r2.N.Bytes())
	bad["RFC 7518 §6.3.2 JWK RSA n of another key"] = jwkA(rsaOther)
	rsaD := cloneMap(rsaJWK)
	rsaD["d"] = b64u(otherD.D.Bytes())
	bad["RFC 7518 §6.3.2 JWK RSA d does not fit"] = jwkA(rsaD)
	return bad, good
}

func mustBlock(t testing.TB, b []byte) []byte {
	t.Helper()
	block, _ := pem.Decode(b)
	if block == nil {
		t.Fatal("no PEM block")
	}
	return block.Bytes
}

// 16.8: a private part that belongs to another public part is refused in
// every input form, by the one check (checkHalves); matching halves read.
func TestReaderHalvesThatDisagreeAreRefusedEverywhere(t *testing.T) {
	bad, good := halvesCases(t)
	for name, in := range bad {
		t.Run("refused "+name, func(t *testing.T) {
			_, err := Parse(in, ParseOptions{})
			if err == nil || !strings.Contains(err.Error(), "does not belong to") {
				t.Errorf("error %v", err)
			}
			if err != nil && (strings.Contains(err.Error(), "crypto/") || strings.Contains(err.Error(), "jwk.")) {
				t.Errorf("library text: %v", err)
			}
		})
	}
	for name, in := range good {
		t.Run("read "+name, func(t *testing.T) {
			res, err := Parse(in, ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Keys()) != 1 || !IsPrivate(res.Keys()[0]) {
				t.Fatalf("%d keys", len(res.Keys()))
			}
		})
	}
	// A key and its certificate become one private JWK with the certificate's x5c.
	res, _ := Parse(good["RFC 5280 private key and its certificate"], ParseOptions{})
	k := res.Items[0].Key
	if !k.Has("x5c") || !k.Has("x5t#S256") || !strings.Contains(res.Items[0].Label, "with its X.509 certificate, CN=auth.example.com") {
		t.Errorf("label %q", res.Items[0].Label)
	}
	if err := CheckKey(k); err != nil {
		t.Error(err)
	}
	// The check names whose public part it is.
	_, err := Parse(bad["RFC 5958 PKCS#8 v2 Ed25519"], ParseOptions{})
	if want := "PEM block 1 (PRIVATE KEY): " + "the private part of this Ed25519 key does not belong to the public key stored with it: the private key gives another public key"; err == nil || !strings.Contains(err.Error(), "does not belong to the public key stored with it") {
		t.Errorf("error %v, want %q", err, want)
	}
	_, err = Parse(bad["RFC 5280 private key and another key's certificate"], ParseOptions{})
	if err == nil || !strings.HasPrefix(err.Error(), "PKCS#1 RSA private key, 2048 bits: the private part of this RSA key does not belong to the certificate pasted with it: the modulus n or exponent e differs (the certificate: X.509 certificate, CN=auth.example.com") {
		t.Errorf("error %v", err)
	}
}

// 16.10: no message of jwx, crypto/x509, encoding/asn1 or encoding/json
// reaches the user: each names the member or the input and what to do.
func TestReaderMessagesNameTheInputNotTheLibrary(t *testing.T) {
	ec := `"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"`
	rsaPub := string(marshalMap(t, map[string]any{"kty": "RSA", "n": privateRSAJWK(t)["n"], "e": "AQAB"}))
	cases := []struct{ name, in, want string }{
		{"RFC 7517 §4.4 unregistered alg", `{` + ec + `,"alg":"ES521"}`, `alg "ES521" is not a registered JOSE algorithm (RFC 7518 §3.1, §4.1, §5.1): did you mean "ES512"?`},
		{"RFC 7517 §4.4 alg in lower case", `{` + ec + `,"alg":"es256"}`, `did you mean "ES256"?`},
		{"RFC 7517 §4.2 use a number", `{` + ec + `,"use":5}`, `member "use" must be a string, not a number`},
		{"RFC 7517 §4.2 use unknown", `{` + ec + `,"use":"signing"}`, `"use" is "signing": JWK Desk reads "sig" and "enc" (RFC 7517 §4.2)`},
		{"RFC 7517 §4.3 key_ops a string", `{` + ec + `,"key_ops":"sign"}`, `member "key_ops" must be an array of strings, not a string`},
		{"RFC 7517 §4.7 x5c not base64", `{` + ec + `,"x5c":["!!"]}`, `x5c[0] is not base64 DER (RFC 7517 §4.7`},
		{"RFC 7517 §4.7 x5c a string", `{` + ec + `,"x5c":"abc"}`, `member "x5c" must be an array of strings, not a string`},
		{"RFC 7517 §4.8 x5t a number", `{` + ec + `,"x5t":5}`, `member "x5t" must be a base64url string (RFC 7517 §4.8), not a number`},
		{"RFC 7517 §4.5 kid a number", `{` + ec + `,"kid":5}`, `member "kid" must be a string, not a number`},
		{"RFC 7517 §4.6 x5u a number", `{` + ec + `,"x5u":5}`, `member "x5u" must be a string, not a number`},
		{"RFC 7517 §4.1 kty a number", `{"kty":5}`, `member "kty" must be a string, not a number`},
		{"RFC 7518 §6.3.1 RSA without n", `{"kty":"RSA","e":"AQAB"}`, `this RSA JWK has no "n": the RSA modulus (RFC 7518 §6.3.1.1)`},
		{"RFC 7518 §6.3.1 RSA n a number", `{"kty":"RSA","n":5,"e":"AQAB"}`, `member "n" must be a base64url string (RFC 7518 §6.3.1.1), not a number`},
		{"RFC 7518 §6.2.1 EC without y", `{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"}`, `this EC JWK has no "y"`},
		{"RFC 7518 §6.2.1 EC without crv", `{"kty":"EC","x":"AA","y":"AA"}`, `this EC JWK has no "crv"`},
		{"RFC 8037 §2 OKP without crv", `{"kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`, `this OKP JWK has no "crv"`},
		{"RFC 7518 §6.4 oct without k", `{"kty":"oct"}`, `this oct JWK has no "k"`},
		{"RFC 7518 §6.3.2 RSA d without primes", rsaPub[:len(rsaPub)-1] + `,"d":"AQAB"}`, `has "d" but none of p, q, dp, dq, qi`},
		{"RFC 7518 §6.3.2 RSA p without the rest", rsaPub[:len(rsaPub)-1] + `,"d":"AQAB","p":"AQAB"}`, `has "p" but lacks "q", "dp", "dq", "qi"`},
		{"RFC 8259 JSON syntax", `{"kty":"EC",}`, `this starts like JSON but is not valid JSON (invalid character '}' looking for beginning of object key string at line 1, column 13)`},
		{"RFC 8259 JSON cut", `{"kty":"EC"`, `this starts like JSON but is not valid JSON (the text ends before the JSON does)`},
		{"RFC 7468 PEM labelled as a public key, holding a certificate", strings.ReplaceAll(string(parseFixture(t, "leaf.pem")), "CERTIFICATE", "PUBLIC KEY"), "PEM block 1 is labelled PUBLIC KEY but holds a certificate (CERTIFICATE): fix its BEGIN and END lines"},
	}
	leaks := regexp.MustCompile(`jwk\.|jwx|x509:|asn1:|failed to probe|json: |crypto/|tags don't match`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.in), ParseOptions{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v\nwant %q", err, c.want)
			}
			if err != nil && leaks.MatchString(err.Error()) {
				t.Errorf("library text reaches the user: %v", err)
			}
			if c.in[0] == '{' {
				_, err := ParseKeySet([]byte(`{"keys":[` + c.in + `]}`))
				if err != nil && leaks.MatchString(err.Error()) {
					t.Errorf("ParseKeySet: %v", err)
				}
			}
		})
	}
	// Every fixture of every form, every malformed variant: no library text.
	for _, dir := range []string{"parse", "wild"} {
		entries, _ := os.ReadDir(filepath.Join("testdata", dir))
		for _, e := range entries {
			b, _ := os.ReadFile(filepath.Join("testdata", dir, e.Name()))
			for _, v := range [][]byte{b, b[:len(b)/2], bytes.ReplaceAll(b, []byte("A"), []byte("B"))} {
				if _, err := Parse(v, ParseOptions{Passphrase: []byte("x")}); err != nil && leaks.MatchString(err.Error()) {
					t.Errorf("%s: library text: %v", e.Name(), err)
				}
			}
		}
	}
}

// 16.7: PEM as it is pasted (RFC 7468 §3's lax grammar and what the wild
// adds) converts; what is really broken gets its own message.
func TestReaderRFC7468Sec3PEMLayout(t *testing.T) {
	spki := string(parseFixture(t, "ec-p256-spki.pem"))
	rsa := string(parseFixture(t, "rsa-pkcs1.pem"))
	lines := strings.Split(strings.TrimSpace(spki), "\n")
	indent := func(s, by string) string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			out = append(out, by+l)
		}
		return strings.Join(out, "\n")
	}
	trailing := func(s, by string) string { return strings.ReplaceAll(s, "\n", by+"\n") }
	legacy := string(parseFixture(t, "rsa-pkcs1-legacy-encrypted.pem"))
	good := []struct {
		name, in string
		keys     int
		note     string
	}{
		{"RFC 7468 §3 lines indented with spaces", indent(spki, "    "), 1, ""},
		{"RFC 7468 §3 lines indented with tabs", indent(spki, "\t\t"), 1, ""},
		{"RFC 7468 §3 trailing spaces and tabs", trailing(spki, " \t "), 1, ""},
		{"RFC 7468 §3 CRLF", strings.ReplaceAll(spki, "\n", "\r\n"), 1, ""},
		{"old-Mac CR line ends", strings.ReplaceAll(spki, "\n", "\r"), 1, ""},
		{"RFC 7468 §3 blank lines between blocks", spki + "\n\n\n" + rsa, 2, ""},
		{"RFC 7468 §3 indented blocks with blank lines", indent(spki, "  ") + "\n\n" + indent(rsa, "\t"), 2, ""},
		{"RFC 1421 headers, indented", indent(legacy, "  "), 1, ""},
		{"a blank line inside the body", strings.Replace(spki, "\n", "\n\n", 2), 1, ""},
		{"one line (an environment variable)", strings.Join(lines, " "), 1, "a BEGIN or END line shared its line with other text"},
		{"one line without spaces", strings.Join(lines, ""), 1, "a BEGIN or END line shared its line"},
		{`"\n" escapes (a JSON string)`, strings.Join(lines, `\n`), 1, `the PEM had "\n" escapes instead of line breaks`},
		{"YAML block indentation", "key: |\n" + indent(spki, "  "), 1, "Text before the first BEGIN line was ignored"},
		{"a label with a hyphen, indented", indent(string(wildFixture(t, "rsa-pss-sha256-pkcs1-public.pem")), "  "), 1, ""},
		{"a label with a hyphen, on one line", strings.Join(strings.Split(strings.TrimSpace(string(wildFixture(t, "rsa-pss-sha256-pkcs1-public.pem"))), "\n"), " "), 1, "a BEGIN or END line shared its line"},
	}
	for _, c := range good {
		t.Run(c.name, func(t *testing.T) {
			res, err := Parse([]byte(c.in), ParseOptions{Passphrase: []byte("correct-horse")})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Keys()) != c.keys {
				t.Errorf("%d keys", len(res.Keys()))
			}
			if c.note != "" && !strings.Contains(strings.Join(res.Warnings, "|"), c.note) {
				t.Errorf("warnings %q", res.Warnings)
			}
		})
	}
	bad := []struct{ name, in, want string }{
		{"no END line", "-----BEGIN PUBLIC KEY-----\nMIIB\n", "a BEGIN line without a matching END line"},
		{"RFC 7468 §2 END of another label", strings.Replace(spki, "END PUBLIC KEY", "END RSA PUBLIC KEY", 1), "PEM block 1 begins with -----BEGIN PUBLIC KEY----- but ends with -----END RSA PUBLIC KEY-----: make the two labels the same"},
		{"RFC 7468 §2 END of another hyphenated label", strings.Replace(string(wildFixture(t, "rsa-pss-sha256-pkcs1-public.pem")), "END RSA-PSS", "END RSA", 1), "begins with -----BEGIN RSA-PSS PUBLIC KEY----- but ends with -----END RSA PUBLIC KEY-----"},
		{"RFC 7468 §3 body not base64", strings.Replace(spki, lines[1][:10], lines[1][:5]+"*!*!*", 1), `PEM block 1 (PUBLIC KEY) is not base64 between its BEGIN and END lines ("*" at character 6)`},
		{"a damaged second block is not skipped", rsa + strings.Replace(spki, lines[1][:10], lines[1][:5]+"*!*!*", 1), "PEM block 2 (PUBLIC KEY) is not base64"},
		{"a damaged first block is not skipped", strings.Replace(spki, lines[1][:10], lines[1][:5]+"*!*!*", 1) + rsa, "PEM block 1 (PUBLIC KEY) is not base64"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Parse([]byte(c.in), ParseOptions{}); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v\nwant %q", err, c.want)
			}
		})
	}
}

// FuzzParse's seeds gain the new wild inputs (see fuzz_test.go); this
// checks the seed builder itself gives inputs the reader answers.
func TestWildSeedsAreAnswered(t *testing.T) {
	for _, s := range wildSeeds(t) {
		res, err := Parse(s, ParseOptions{})
		testkit.NoInternalError(t, err)
		if err == nil && len(res.Items) == 0 {
			t.Errorf("no items and no error for %.40q", s)
		}
	}
}

// wildSeeds are hostile and odd inputs of this file for the fuzz targets.
func wildSeeds(t testing.TB) [][]byte {
	bad, good := halvesCases(t)
	var out [][]byte
	for _, m := range []map[string][]byte{bad, good} {
		for _, v := range m {
			out = append(out, v)
		}
	}
	rsaKey := privateRSAJWK(t)
	rsaKey["n"] = withLeadingZeros(t, rsaKey["n"], 1)
	out = append(out, marshalMap(t, rsaKey),
		[]byte(`{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU=","y":"x/FEzRu9m36HLN/tue659LNpXW6pCyStikYjKIWI5a0"}`),
		[]byte(`{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ+EstJQLr/T+1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow=="}`),
		[]byte(`{"kty":"OKP","crv":"Ed448","x":"AA"}`),
		[]byte(`{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","alg":"ES521"}`),
		[]byte("    -----BEGIN PUBLIC KEY-----\n    MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n    -----END PUBLIC KEY-----\n"),
		[]byte(`-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----`),
		[]byte("-----BEGIN PUBLIC KEY----- MFkw -----END RSA PUBLIC KEY-----"),
	)
	return out
}

// urlChars reports whether s has at least two characters only base64url
// has, so that its standard base64 form differs and can be mixed.
func urlChars(s string) bool { return strings.Count(s, "-")+strings.Count(s, "_") >= 2 }

// keyWithURLChars makes keys from seeds 0, 1, … until every octet member
// has urlChars: a fixed key, found the same way on every run.
func keyWithURLChars(t testing.TB, make func(seed []byte) map[string]any) map[string]any {
	t.Helper()
	for i := 0; i < 10000; i++ {
		seed := sha256.Sum256([]byte{byte(i), byte(i >> 8)})
		m := make(seed[:])
		if m == nil {
			continue
		}
		ok := true
		for _, name := range []string{"x", "y", "d"} {
			if v, has := m[name]; has && !urlChars(v.(string)) {
				ok = false
			}
		}
		if ok {
			return m
		}
	}
	t.Fatal("no key found")
	return nil
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// duplicateExtensionCert is a well-formed certificate with one extension
// twice, which crypto/x509 refuses (RFC 5280 §4.2).
func duplicateExtensionCert(t testing.TB) []byte {
	t.Helper()
	key := ed25519Pair(9)
	ext := pkix.Extension{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Value: []byte{5, 0}}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "dup"}, ExtraExtensions: []pkix.Extension{ext, ext}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Skipf("crypto/x509 does not write it: %v", err)
	}
	return der
}
