package token

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"
	"golang.org/x/crypto/ssh"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// Tests for issues 16 and 22 (token inspection): inputs from the wild and
// from an attacker, each kind with its siblings, the RFC section in the
// test name.

// wildNow is the clock of the NumericDate cases: 2023-11-14 22:13:20 UTC.
var wildNow = time.Unix(1700000000, 0).UTC()

// craftES256 signs any header text with ECDSA P-256 (raw r||s).
func craftES256(t testing.TB, header, payload string, key jwk.Key) string {
	t.Helper()
	var priv ecdsa.PrivateKey
	if err := jwk.Export(key, &priv); err != nil {
		t.Fatal(err)
	}
	input := b64([]byte(header)) + "." + b64([]byte(payload))
	sum := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, &priv, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return input + "." + b64(sig)
}

// craftEdDSA signs any header text with Ed25519.
func craftEdDSA(t testing.TB, header, payload string, key jwk.Key) string {
	t.Helper()
	var priv ed25519.PrivateKey
	if err := jwk.Export(key, &priv); err != nil {
		t.Fatal(err)
	}
	input := b64([]byte(header)) + "." + b64([]byte(payload))
	return input + "." + b64(ed25519.Sign(priv, []byte(input)))
}

func generate(t testing.TB, spec keys.Spec) *keys.Generated {
	t.Helper()
	g, err := keys.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func pemOf(t testing.TB, key jwk.Key, f keys.PEMFormat, public bool) []byte {
	t.Helper()
	out, err := keys.ExportPEM(key, f, public)
	if err != nil {
		t.Fatal(err)
	}
	return out.PEM
}

// pemBody is a PEM block's base64 without its armour lines, wrapped as it was.
func pemBody(p []byte) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(p)), "\n") {
		if !strings.HasPrefix(l, "-----") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

func derOf(t testing.TB, p []byte) []byte {
	t.Helper()
	block, _ := pem.Decode(p)
	if block == nil {
		t.Fatal("no PEM block")
	}
	return block.Bytes
}

func readSource(t testing.TB, input []byte) KeySource {
	t.Helper()
	src, _, err := ReadKeySource(input, "pasted keys", "pasted key")
	if err != nil {
		t.Fatalf("ReadKeySource: %v", err)
	}
	return src
}

// --- 16.1: a single key given directly is the key ---

func TestInspectDirectKey_RFC7515_4_1_4_KidIsAHint(t *testing.T) {
	rsa := testRSA(t) // kid rsa-1
	ec := generate(t, keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "ec-own", Cert: &keys.CertSpec{CommonName: "ec", Days: 30}})
	ed := generate(t, keys.Spec{Kty: keys.KtyOKP, KidStrategy: keys.KidCustom, CustomKid: "ed-own"})
	claims := claimsJSON(map[string]any{"sub": "alice", "exp": at(time.Hour)})
	rs := sign(t, rsa, claims, "k1")
	es := sign(t, ec.Private, claims, "k1")
	eddsa := sign(t, ed.Private, claims, "k1")
	spki := pemOf(t, rsa, keys.PEMSPKI, true)
	certPEM, err := keys.CertificatePEM(ec.Private)
	if err != nil {
		t.Fatal(err)
	}
	jwkOther, _ := keys.MarshalPublicJWK(rsa) // kid rsa-1: not the token's k1
	k1, _ := pub(t, rsa).Clone()
	_ = k1.Set(jwk.KeyIDKey, "k1")
	jwkSame, _ := keys.MarshalPublicJWK(k1)
	noKid, _ := pub(t, rsa).Clone()
	_ = noKid.Remove(jwk.KeyIDKey)
	jwkNoKid, _ := keys.MarshalPublicJWK(noKid)
	privPlusCert := append(pemOf(t, ec.Private, keys.PEMPKCS8, false), certPEM...)
	cases := []struct {
		name, tok string
		input     []byte
		note      string // the kid note, "" when none
	}{
		{"SPKI PEM", rs, spki, `the key you gave has no kid`},
		{"PKCS#1 RSA PUBLIC KEY PEM", rs, pemOf(t, rsa, keys.PEMPKCS1, true), `the key you gave has no kid`},
		{"bare base64 SPKI, no armour", rs, []byte(pemBody(spki)), `the key you gave has no kid`},
		{"bare base64 SPKI on one line", rs, []byte(strings.ReplaceAll(pemBody(spki), "\n", "")), `the key you gave has no kid`},
		{"PKCS#8 private key PEM", rs, pemOf(t, rsa, keys.PEMPKCS8, false), `the key you gave has no kid`},
		{"one JWK with another kid", rs, jwkOther, `the key you gave has kid "rsa-1"`},
		{"one JWK without kid", rs, jwkNoKid, `the key you gave has no kid`},
		{"one JWK with the token's kid", rs, jwkSame, ""},
		{"EC certificate whose leaf is the key", es, certPEM, `the key you gave has no kid`},
		{"EC private key and its certificate: one key in two forms", es, privPlusCert, `the key you gave has no kid`},
		{"SEC1 EC private key", es, pemOf(t, ec.Private, keys.PEMSEC1, false), `the key you gave has no kid`},
		{"Ed25519 SPKI PEM", eddsa, pemOf(t, ed.Private, keys.PEMSPKI, true), `the key you gave has no kid`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := readSource(t, c.input)
			r := inspect(t, c.tok, src)
			if !r.Verified || r.State != StateVerified || !r.DirectKey || r.KeySource != "pasted key" {
				t.Fatalf("verified %v state %s direct %v source %q: %s", r.Verified, r.State, r.DirectKey, r.KeySource, r.Reason)
			}
			switch {
			case c.note == "" && containsAny(r.Warnings, "the token names kid"):
				t.Errorf("a kid note for the same kid: %v", r.Warnings)
			case c.note != "" && !containsAny(r.Warnings, `the token names kid "k1" and `+c.note):
				t.Errorf("warnings %v, want the kid note %q", r.Warnings, c.note)
			}
		})
	}
	t.Run("the wrong key given directly: signature does not match, with the note", func(t *testing.T) {
		other := generate(t, keys.Spec{Kty: keys.KtyRSA})
		r := inspect(t, rs, readSource(t, pemOf(t, other.Private, keys.PEMSPKI, true)))
		wantNotVerified(t, r, "signature does not match")
		if !containsAny(r.Warnings, `the token names kid "k1" and the key you gave has no kid`) {
			t.Errorf("warnings %v", r.Warnings)
		}
	})
	t.Run("a key of another type given directly says so without kid words", func(t *testing.T) {
		r := inspect(t, rs, readSource(t, certPEM))
		wantNotVerified(t, r, "the key is EC and the token says RS256")
		if strings.Contains(r.Reason, "kid") {
			t.Errorf("reason %q", r.Reason)
		}
	})
	t.Run("NewDirectKeySource is the same rule", func(t *testing.T) {
		if r := inspect(t, rs, NewDirectKeySource("the key", pub(t, rsa))); !r.Verified || !r.DirectKey {
			t.Fatal(r.Reason)
		}
	})
}

// The kid rules stay for sets: a JWKS (even of one key), a PEM bundle of
// several different keys, NewKeySource.
func TestInspectSetKeepsKidRules_RFC7517_4_5(t *testing.T) {
	rsa := testRSA(t)
	claims := claimsJSON(map[string]any{"exp": at(time.Hour)})
	rs := sign(t, rsa, claims, "k1")
	jwks, _ := keys.MarshalPublicJWKS(pub(t, rsa)) // one key, kid rsa-1
	other := generate(t, keys.Spec{Kty: keys.KtyRSA})
	bundle := append(pemOf(t, rsa, keys.PEMSPKI, true), pemOf(t, other.Private, keys.PEMSPKI, true)...)
	cases := []struct {
		name   string
		input  []byte
		reason string
	}{
		{"a JWKS of one key", jwks, "kid k1 not in the set (the set has: rsa-1)"},
		{"a PEM bundle of two different keys", bundle, "kid k1 not in the set (the set has: 2 keys without kid); a key without kid would verify the signature: give it the kid k1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := readSource(t, c.input)
			r := inspect(t, rs, src)
			wantNotVerified(t, r, c.reason)
			if r.DirectKey || r.KeySource != "pasted keys" {
				t.Errorf("direct %v source %q", r.DirectKey, r.KeySource)
			}
		})
	}
	if r := inspect(t, rs, set(t, pub(t, rsa))); r.Verified || r.DirectKey {
		t.Errorf("NewKeySource of one key is a set: %s", r.Reason)
	}
	if _, _, err := ReadKeySource([]byte("not a key"), "pasted keys", "pasted key"); err == nil {
		t.Error("ReadKeySource of garbage: no error")
	}
}

// --- 16.2: the signature over the segments as received ---

// wycheproofHS is the HS256 key of Wycheproof's json_web_signature_test.json
// "base64" group (kid hs256-key): 32 zero bytes.
var wycheproofHS = make([]byte, 32)

func TestInspectSigningInputAsReceived_RFC7515_5_2(t *testing.T) {
	ec := testEC(t, "k1")
	ed := generate(t, keys.Spec{Kty: keys.KtyOKP, KidStrategy: keys.KidCustom, CustomKid: "k1"})
	rsa := testRSA(t)
	secret := []byte("0123456789abcdef0123456789abcdef")
	payload := claimsJSON(map[string]any{"sub": "x"})
	cases := []struct {
		name string
		tok  string
		src  KeySource
	}{
		{"ES256 header JSON with a trailing newline", craftES256(t, "{\"alg\":\"ES256\",\"typ\":\"JWT\"}\n", payload, ec), set(t, pub(t, ec))},
		{"ES256 header JSON with a leading space", craftES256(t, " {\"alg\":\"ES256\"}", payload, ec), set(t, pub(t, ec))},
		{"RS256 header JSON ending in CRLF", craftRS(t, "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}\r\n", payload, rsa), set(t, pub(t, rsa))},
		{"HS256 header JSON with tabs around it", craftHS("\t{\"alg\":\"HS256\"}\t\n", payload, secret), NewSecretSource(secret, SecretText)},
		{"EdDSA header JSON with a trailing newline", craftEdDSA(t, "{\"alg\":\"EdDSA\",\"kid\":\"k1\"}\n", payload, ed.Private), set(t, ed.Public)},
		{"payload JSON with a trailing newline", craftES256(t, `{"alg":"ES256"}`, payload+"\n", ec), set(t, pub(t, ec))},
		// Wycheproof tcId 376 and 377: whitespace inside the header JSON.
		{"Wycheproof ValidSpacesInJsonHeader", "eyAia2lkIiA6ICJoczI1Ni1rZXkiLCAiYWxnIiA6ICJIUzI1NiIgfQ.VGVzdA.3nl1C7dKVGLfNyALp4ZKkmNFBJlFP8M9VGzCyil9S1c", NewSecretSource(wycheproofHS, SecretBase64URL)},
		{"Wycheproof ValidWhiteSpaceInJsonHeader", "eyJraWQiOiJoczI1Ni1rZXkiLAoJImFsZyI6IkhTMjU2In0.VGVzdA.Yxn8cTl7IHpFIoEPOFrWmjm-GQlr_RMqHNJOp1ZuweY", NewSecretSource(wycheproofHS, SecretBase64URL)},
		{"Wycheproof ValidMac", "eyJraWQiOiJoczI1Ni1rZXkiLCJhbGciOiJIUzI1NiJ9.VGVzdA.c1LROH7eNQwUT8KMVEO52VC3WZ9e_AnDWbZ7aMmowV8", NewSecretSource(wycheproofHS, SecretBase64URL)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if r := inspect(t, c.tok, c.src); !r.Verified {
				t.Fatalf("%s (%s)", r.Reason, r.HeaderJSON())
			}
		})
	}
	t.Run("a changed header byte still fails", func(t *testing.T) {
		tok := craftES256(t, "{\"alg\":\"ES256\"}\n", payload, ec)
		parts := strings.Split(tok, ".")
		parts[0] = b64([]byte("{\"alg\":\"ES256\"} "))
		wantNotVerified(t, inspect(t, strings.Join(parts, "."), set(t, pub(t, ec))), "signature does not match")
	})
}

func TestInspectWhitespaceInsideASegment_RFC7515_7_1(t *testing.T) {
	ec := testEC(t, "k1")
	tok := sign(t, ec, claimsJSON(map[string]any{"sub": "x", "exp": at(time.Hour)}), "k1")
	src := set(t, pub(t, ec))
	h, p, s := func() (string, string, string) { x := strings.Split(tok, "."); return x[0], x[1], x[2] }()
	hs := NewSecretSource(wycheproofHS, SecretBase64URL)
	refused := []struct {
		name, tok string
		src       KeySource
		reason    string
	}{
		// Wycheproof tcId 360, 365, 368.
		{"Wycheproof rejectsSpacesInMac", "eyJraWQiOiJoczI1Ni1rZXkiLCJhbGciOiJIUzI1NiJ9.VGVzdA.    c1LROH7eNQwUT8KMVEO52VC3WZ9e_AnDWbZ7aMmowV8", hs, "the signature (third part) holds 4 spaces"},
		{"Wycheproof spacesInHeader", "eyJraWQiOiJoczI1Ni1rZXkiLCJhbGciOiJIUzI1NiJ9    .VGVzdA.DR-cdw2cCB53b3mpzMfk2gKTeyN0PhXBrTW1atMfSdM", hs, "the header (first part) holds 4 spaces"},
		{"Wycheproof spacesInPayload", "eyJraWQiOiJoczI1Ni1rZXkiLCJhbGciOiJIUzI1NiJ9.    VGVzdA.AbPJgmXfihyNBUYpbdPK8qRpPjNuTE-Z_wYQyrU2lMQ", hs, "the payload (second part) holds 4 spaces"},
		{"a space in the middle of the signature", h + "." + p + "." + s[:20] + " " + s[20:], src, "the signature (third part) holds a space"},
		{"a tab in the payload", h + "." + p[:10] + "\t" + p[10:] + "." + s, src, "the payload (second part) holds a tab"},
		{"a no-break space in the header", h[:5] + "\u00a0" + h[5:] + "." + p + "." + s, src, "the header (first part) holds the character U+00A0"},
		{"spaces inside, after a Bearer prefix", "Bearer " + h + "." + p + ".  " + s, src, "the signature (third part) holds 2 spaces"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			r := inspect(t, c.tok, c.src)
			wantNotVerified(t, r, c.reason+": whitespace inside a segment is not part of a token (RFC 7515 §7.1")
			if len(r.Candidates) != 0 {
				t.Errorf("keys were tried: %+v", r.Candidates)
			}
			if r.Kid == "" && string(r.Header) == "" {
				t.Error("the header was not decoded")
			}
			if input.Classify(c.tok) != input.KindJWT {
				t.Errorf("Classify(%q) = %s: the router must send it to the JWT tab, which names the problem", c.tok, input.Classify(c.tok))
			}
		})
	}
	// Line breaks of a wrapped paste, with the spaces that indent or end its
	// lines, and what surrounds a token, are cleaned with a note.
	cleaned := []struct {
		name, in, notes string
	}{
		{"wrapped at 40 with CRLF and trailing spaces", tok[:40] + "  \r\n" + tok[40:80] + "\r\n" + tok[80:], "removed 6 spaces or line breaks"},
		{"wrapped and indented continuation lines", tok[:30] + "\n    " + tok[30:90] + "\n\t" + tok[90:], "removed 7 spaces or line breaks"},
		{"a line break right after a dot", h + ".\n" + p + "." + s, "removed 1 space or line break"},
		{"Bearer then a line break", "Bearer\n" + tok, `removed the "Bearer " prefix`},
		{"quotes around Bearer", `"Bearer ` + tok + `"`, `removed the surrounding quotes|removed the "Bearer " prefix`},
		{"Bearer around quotes", `Bearer '` + tok + `'`, `removed the "Bearer " prefix|removed the surrounding quotes`},
		{"Bearer with a tab", "bearer\t" + tok, `removed the "Bearer " prefix`},
	}
	for _, c := range cleaned {
		t.Run(c.name, func(t *testing.T) {
			r := inspect(t, c.in, src)
			if !r.Verified || r.Token != tok {
				t.Fatalf("not verified: %s", r.Reason)
			}
			if got := strings.Join(r.Cleaned, "|"); got != c.notes {
				t.Errorf("cleaned %q, want %q", got, c.notes)
			}
			if input.Classify(c.in) != input.KindJWT {
				t.Errorf("Classify = %s, want JWT: the router and Inspect must agree", input.Classify(c.in))
			}
		})
	}
}

// --- 16.3 and 22.3: NumericDate ---

func TestInspectNumericDate_RFC7519_2_ComparedAsANumber(t *testing.T) {
	ec := testEC(t, "k1")
	src := set(t, pub(t, ec))
	cases := []struct {
		name          string
		claims        string
		now           time.Time
		expired, nyv  bool
		utc, relative string // of the first time claim
	}{
		{"exp with a fraction is valid before it", `{"exp":1700000000.5}`, wildNow, false, false, "2023-11-14 22:13:20.5 UTC", "valid for another 0 s"},
		{"exp with a fraction is expired at it", `{"exp":1700000000.5}`, wildNow.Add(500 * time.Millisecond), true, false, "2023-11-14 22:13:20.5 UTC", "expired 0 s ago"},
		{"exp a tenth of a nanosecond after now (float64 rounds it to now)", `{"exp":1700000000.0000000001}`, wildNow, false, false, "2023-11-14 22:13:20 UTC", "valid for another 0 s"},
		{"exp whole seconds: expired at it", `{"exp":1700000000}`, wildNow, true, false, "2023-11-14 22:13:20 UTC", "expired 0 s ago"},
		{"exp with an exponent", `{"exp":1.7000000005E9}`, wildNow, false, false, "2023-11-14 22:13:20.5 UTC", "valid for another 0 s"},
		{"nbf with a fraction is not yet valid", `{"nbf":1699999000.25}`, time.Unix(1699999000, 0), false, true, "2023-11-14 21:56:40.25 UTC", "not valid for another 0 s"},
		{"nbf a nanosecond ahead", `{"nbf":1699999000.000000001}`, time.Unix(1699999000, 0), false, true, "2023-11-14 21:56:40.000000001 UTC", "not valid for another 0 s"},
		{"nbf 1e16 is far ahead: not yet valid", `{"nbf":1e16}`, wildNow, false, true, "after year 9999", "not valid until after year 9999"},
		{"nbf past year 9999 in plain digits", `{"nbf":253402300800}`, wildNow, false, true, "after year 9999", "not valid until after year 9999"},
		{"nbf 1E+400: only its sign counts", `{"nbf":1E+400}`, wildNow, false, true, "after year 9999", "not valid until after year 9999"},
		{"nbf 1e-400 is just after 1970", `{"nbf":1e-400}`, wildNow, false, false, "1970-01-01 00:00:00 UTC", "valid since 53 y 330 d ago"},
		{"exp -1e300 is far past: expired", `{"exp":-1e300}`, wildNow, true, false, "before year 1", "expired before year 1"},
		{"exp with an exponent past int64", `{"exp":-1e99999999999999999999}`, wildNow, true, false, "before year 1", "expired before year 1"},
		{"exp 1e300 is far ahead: valid", `{"exp":1e300}`, wildNow, false, false, "after year 9999", "valid until after year 9999"},
		{"exp on the last second of year 9999", `{"exp":253402300799}`, wildNow, false, false, "9999-12-31 23:59:59 UTC", "valid for another 7981 y 156 d"},
		{"exp in year 1", `{"exp":-62135596800}`, wildNow, true, false, "0001-01-01 00:00:00 UTC", "expired 2024 y 77 d ago"},
		{"exp zero with a huge exponent is 1970", `{"exp":0e999999}`, wildNow, true, false, "1970-01-01 00:00:00 UTC", "expired 53 y 330 d ago"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok := craftES256(t, `{"alg":"ES256","kid":"k1"}`, c.claims, ec)
			r, err := Inspect(tok, src, InspectOptions{Now: c.now, Skew: 0})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Verified || r.Expired != c.expired || r.NotYetValid != c.nyv {
				t.Fatalf("verified %v expired %v not yet valid %v (%s)", r.Verified, r.Expired, r.NotYetValid, r.Reason)
			}
			tc := r.Times[0]
			if tc.UTC != c.utc || tc.Relative != c.relative {
				t.Errorf("utc %q relative %q, want %q %q", tc.UTC, tc.Relative, c.utc, c.relative)
			}
			if strings.Contains(tc.UTC+tc.Local, "-292277") || strings.HasPrefix(tc.Local, "-") {
				t.Errorf("an overflowed date: %+v", tc)
			}
			want := StateVerified
			switch {
			case c.expired:
				want = StateExpired
			case c.nyv:
				want = StateNotYetValid
			}
			if r.State != want || (want != StateVerified && r.Reason != "signature valid but "+c.relative) {
				t.Errorf("state %s reason %q", r.State, r.Reason)
			}
			if _, ok := tc.Time(); ok != strings.Contains(c.utc, ":") {
				t.Errorf("Time() printable %v for %q", ok, c.utc)
			}
		})
	}
	t.Run("the milliseconds hint stays", func(t *testing.T) {
		tok := craftES256(t, `{"alg":"ES256","kid":"k1"}`, `{"exp":1700003600000}`, ec)
		r, _ := Inspect(tok, src, InspectOptions{Now: wildNow})
		if !containsAny(r.Warnings, "exp: looks like milliseconds, not seconds: read as 2023-11-14 23:13:20 UTC if it were") || r.State != StateVerified {
			t.Errorf("%s %v", r.State, r.Warnings)
		}
		tok = craftES256(t, `{"alg":"ES256","kid":"k1"}`, `{"nbf":1e16}`, ec)
		if r, _ = Inspect(tok, src, InspectOptions{Now: wildNow}); containsAny(r.Warnings, "milliseconds") {
			t.Errorf("1e16 read as milliseconds is past year 9999 too: %v", r.Warnings)
		}
	})
	t.Run("skew counts with fractions", func(t *testing.T) {
		tok := craftES256(t, `{"alg":"ES256","kid":"k1"}`, `{"nbf":1700000060.5}`, ec)
		if r, _ := Inspect(tok, src, InspectOptions{Now: wildNow, Skew: time.Minute}); !r.NotYetValid {
			t.Error("nbf half a second past the skew: valid")
		}
		if r, _ := Inspect(tok, src, InspectOptions{Now: wildNow.Add(time.Second), Skew: time.Minute}); r.NotYetValid {
			t.Error("nbf inside the skew: not yet valid")
		}
	})
}

func TestInspectNumericDateNotANumber_RFC7519_4_1_4(t *testing.T) {
	ec := testEC(t, "k1")
	src := set(t, pub(t, ec))
	cases := []struct{ claims, reason string }{
		{`{"exp":null}`, `claim "exp" is null, not a NumericDate (RFC 7519 §4.1.4: a JSON number of seconds since 1970): refused, since a verifier that skips it never lets the token expire`},
		{`{"exp":true}`, `claim "exp" is a boolean (true), not a NumericDate (RFC 7519 §4.1.4`},
		{`{"exp":[1]}`, `claim "exp" is an array, not a NumericDate (RFC 7519 §4.1.4`},
		{`{"exp":{}}`, `claim "exp" is an object, not a NumericDate (RFC 7519 §4.1.4`},
		{`{"exp":"NaN"}`, `claim "exp" is a string ("NaN"), not a NumericDate (RFC 7519 §4.1.4`},
		{`{"exp":"Infinity"}`, `claim "exp" is a string ("Infinity"), not a NumericDate`},
		{`{"exp":"soon"}`, `claim "exp" is a string ("soon"), not a NumericDate`},
		{`{"exp":"1800000000"}`, `claim "exp" is a string, not a NumericDate (RFC 7519 §4.1.4`},
		{`{"exp":""}`, `claim "exp" is a string (""), not a NumericDate`},
		{`{"nbf":null,"exp":1800000000}`, `claim "nbf" is null, not a NumericDate (RFC 7519 §4.1.5: a JSON number of seconds since 1970): refused, since a verifier that skips it accepts the token before its time`},
		{`{"iat":false,"exp":1800000000}`, `claim "iat" is a boolean (false), not a NumericDate (RFC 7519 §4.1.6`},
		{`{"iat":"1699999000","exp":1800000000}`, `claim "iat" is a string, not a NumericDate (RFC 7519 §4.1.6`},
	}
	for _, c := range cases {
		t.Run(c.claims, func(t *testing.T) {
			tok := craftES256(t, `{"alg":"ES256","kid":"k1"}`, c.claims, ec)
			r, err := Inspect(tok, src, InspectOptions{Now: wildNow, Skew: DefaultSkew})
			if err != nil {
				t.Fatal(err)
			}
			wantNotVerified(t, r, c.reason)
			if len(r.Candidates) != 0 {
				t.Errorf("keys were tried: %+v", r.Candidates)
			}
		})
	}
	t.Run("a numeric string is still shown as a date", func(t *testing.T) {
		tok := craftES256(t, `{"alg":"ES256","kid":"k1"}`, `{"exp":"1800000000"}`, ec)
		r, _ := Inspect(tok, src, InspectOptions{Now: wildNow})
		if tc := r.Times[0]; tc.UTC != "2027-01-15 08:00:00 UTC" || !strings.Contains(tc.Warning, "written as a string") {
			t.Errorf("%+v", tc)
		}
	})
	t.Run("auth_time is not RFC 7519's: a warning only", func(t *testing.T) {
		tok := craftES256(t, `{"alg":"ES256","kid":"k1"}`, `{"auth_time":null,"exp":1800000000}`, ec)
		r, _ := Inspect(tok, src, InspectOptions{Now: wildNow})
		if !r.Verified || !containsAny(r.Warnings, "auth_time: null, not a number") {
			t.Errorf("%s %v", r.Reason, r.Warnings)
		}
	})
}

// --- 22.7: verification work bounded ---

func TestInspectVerificationWorkBounded_RFC7518_3_3(t *testing.T) {
	claims := claimsJSON(map[string]any{"sub": "x"})
	t.Run("RSA over 16384 bits is refused before any check", func(t *testing.T) {
		for _, bits := range []int{16392, 32768} {
			big := hostileRSA(t, bits, 1<<31-1, "big")
			tok := craftRS(t, `{"alg":"RS256","kid":"big"}`, claims, testRSA(t))
			r := inspect(t, tok, set(t, big))
			wantNotVerified(t, r, fmt.Sprintf("RSA key is %d bits: over 16384 never verifies here", bits))
			if r.Candidates[0].Checked {
				t.Error("the signature was checked")
			}
		}
		// 16384 bits is still checked.
		r := inspect(t, craftRS(t, `{"alg":"RS256","kid":"ok"}`, claims, testRSA(t)), set(t, hostileRSA(t, 16384, 65537, "ok")))
		if c := r.Candidates[0]; !c.Checked || c.Outcome != "signature does not match" {
			t.Errorf("%+v", c)
		}
	})
	t.Run("a kid-less token stops at the work bound and says so", func(t *testing.T) {
		several := make([]jwk.Key, 60)
		for i := range several {
			several[i] = pub(t, generate(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP521, KidStrategy: keys.KidCustom, CustomKid: fmt.Sprint(i)}).Private)
		}
		signer := generate(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP521})
		r := inspect(t, sign(t, signer.Private, claims, ""), set(t, several...))
		checked := countChecked(r)
		if checked != verifyBudget/40 || len(r.Candidates) != 60 {
			t.Fatalf("%d checks of %d candidates", checked, len(r.Candidates))
		}
		note := fmt.Sprintf("stopped after %d signature checks: the work allowed per token (that of 2000 RSA-2048 verifications) was used up, and 10 candidate keys were not checked", checked)
		wantNotVerified(t, r, note)
		if !containsAny(r.Warnings, note) || r.Candidates[59].Outcome != "not checked: the signature-check work allowed per token was used up" {
			t.Errorf("warnings %v last %q", r.Warnings, r.Candidates[59].Outcome)
		}
	})
	t.Run("an ambiguous kid is decided before the checks, which stop at the match", func(t *testing.T) {
		several := make([]jwk.Key, 200)
		var signer jwk.Key
		for i := range several {
			k := testEC(t, "shared")
			if i == 3 {
				signer = k
			}
			several[i] = pub(t, k)
		}
		r := inspect(t, sign(t, signer, claims, "shared"), set(t, several...))
		wantNotVerified(t, r, "kid shared is ambiguous: 200 different keys in the test set share it; the signature matches candidate 4")
		if n := countChecked(r); n != 4 {
			t.Errorf("%d signature checks, want 4", n)
		}
		if got := r.Candidates[4].Outcome; got != "two keys share this kid: not checked (the signature already matched candidate 4)" {
			t.Errorf("candidate 5: %q", got)
		}
	})
	t.Run("an ambiguous kid that no key matches stops at the bound", func(t *testing.T) {
		shared := sharedKidP521(t, 60)
		signer := generate(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP521})
		r := inspect(t, sign(t, signer.Private, claims, "k"), set(t, shared...))
		wantNotVerified(t, r, "kid k is ambiguous: 60 different keys in the test set share it; stopped after 50 signature checks")
	})
	t.Run("a kid-less token stops at the key that verifies", func(t *testing.T) {
		a, b, c := testEC(t, "a"), testEC(t, "b"), testEC(t, "c")
		r := inspect(t, sign(t, a, claims, ""), set(t, pub(t, b), pub(t, a), pub(t, c)))
		if !r.Verified || r.Key != "a" || countChecked(r) != 2 || r.Candidates[2].Outcome != "not checked: candidate 2 already verified the signature" {
			t.Errorf("%s %+v", r.Reason, r.Candidates)
		}
	})
	t.Run("the same key listed many times is checked once", func(t *testing.T) {
		k := pub(t, generate(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP521}).Private)
		many := make([]jwk.Key, 500)
		for i := range many {
			many[i] = k
		}
		signer := generate(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP521})
		r := inspect(t, sign(t, signer.Private, claims, ""), set(t, many...))
		if r.budgetNote != "" || countChecked(r) != 500 || r.Candidates[499].Outcome != "signature does not match" {
			t.Errorf("%s", r.Reason)
		}
	})
	t.Run("check costs", func(t *testing.T) {
		for _, c := range []struct {
			key  jwk.Key
			want int
		}{
			{pub(t, testRSA(t)), 1},
			{hostileRSA(t, 4096, 65537, ""), 4},
			{hostileRSA(t, 16384, 1<<31-1, ""), 226},
			{pub(t, testEC(t, "x")), 2},
			{pub(t, generate(t, keys.Spec{Kty: keys.KtyEC, Crv: keys.CrvP521}).Private), 40},
		} {
			if got := checkCost(c.key); got != c.want {
				t.Errorf("%s: cost %d, want %d", keys.DescribeKey(c.key), got, c.want)
			}
		}
	})
}

func countChecked(r *Report) int {
	n := 0
	for _, c := range r.Candidates {
		if c.Checked {
			n++
		}
	}
	return n
}

// --- 22.8: claims rendering capped ---

func TestInspectClaimsRenderingCapped_RFC7519_7_2(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	src := NewSecretSource(secret, SecretText)
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	cases := []struct {
		name, header, claims string
		cut                  string // in ClaimsCut (or HeaderCut)
		header_              bool
	}{
		{"claims nested 9,800 deep", `{"alg":"HS256"}`, `{"sub":"x","a":` + deep(9800) + `,"exp":1800000000}`, "the claims nest 9801 levels deep: 1 value(s) nested deeper than 32 levels are shown as \"(cut: nested deeper than 32 levels)\"", false},
		{"objects nested deep", `{"alg":"HS256"}`, `{"exp":1800000000,"x":` + strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000) + `}`, "the claims nest 5001 levels deep", false},
		{"claims that pretty-print past 256 KiB", `{"alg":"HS256"}`, `{"exp":1800000000,"a":` + strings.Repeat("[", 30) + strings.TrimSuffix(strings.Repeat("0,", 20000), ",") + strings.Repeat("]", 30) + `}`, "the claims pretty-print to more than 256 KiB: the last ", false},
		{"a header nested deep", `{"alg":"HS256","x":` + deep(3000) + `}`, `{"exp":1800000000}`, "the header nest 3001 levels deep", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok := craftHS(c.header, c.claims, secret)
			if len(tok) > input.MaxTokenSize {
				t.Fatalf("token of %d bytes", len(tok))
			}
			r := inspect(t, tok, src)
			if !r.Verified {
				t.Fatalf("not verified: %s", r.Reason)
			}
			cut, view, raw := r.ClaimsCut, r.ClaimsJSON(), r.Claims
			if c.header_ {
				cut, view, raw = r.HeaderCut, r.HeaderJSON(), r.Header
			}
			if !strings.HasPrefix(cut, c.cut) || !strings.HasSuffix(cut, "(the checks read all of it)") {
				t.Errorf("cut %q, want it to start %q", cut, c.cut)
			}
			if !json.Valid(raw) {
				t.Errorf("the cut rendering is not JSON: %.200s", raw)
			}
			out, err := r.JSON()
			if err != nil {
				t.Fatal(err)
			}
			if len(out) > 1<<20 || len(view) > 512<<10 {
				t.Errorf("report %d bytes, view %d bytes", len(out), len(view))
			}
			if !strings.Contains(string(out), `"claims_cut"`) && !strings.Contains(string(out), `"header_cut"`) {
				t.Error("the JSON report does not say what was cut")
			}
			if r.Times[0].Name != "exp" || r.Times[0].UTC != "2027-01-15 08:00:00 UTC" {
				t.Errorf("time claims not read from the whole claims: %+v", r.Times)
			}
		})
	}
	t.Run("ordinary claims are left exactly as written", func(t *testing.T) {
		claims := `{"iss":"https:\/\/a.example","n":1.50,"deep":` + deep(31) + `}` // 32 levels with the object
		r := inspect(t, craftHS(`{"alg":"HS256"}`, claims, secret), src)
		if string(r.Claims) != claims || r.ClaimsCut != "" {
			t.Errorf("claims %s cut %q", r.Claims, r.ClaimsCut)
		}
	})
	t.Run("the cut keeps member order and scalars as written", func(t *testing.T) {
		got, cut := capJSON([]byte(`{"z":1.50,"a":"\/x","d":`+deep(40)+`,"b":[true,null]}`), "claims")
		want := `{"z":1.50,"a":"\/x","d":` + strings.Repeat("[", 31) + `"(cut: nested deeper than 32 levels)"` + strings.Repeat("]", 31) + `,"b":[true,null]}`
		if string(got) != want || !strings.HasPrefix(cut, "the claims nest 41 levels deep") {
			t.Errorf("got %s\ncut %q", got, cut)
		}
	})
}

// --- 22.10: a key as an HMAC secret, in every encoding ---

func TestInspectKeyAsHMACSecret_RFC8725_3_1(t *testing.T) {
	rsa := testRSA(t)
	ec := generate(t, keys.Spec{Kty: keys.KtyEC, Cert: &keys.CertSpec{CommonName: "c", Days: 30}})
	ed := generate(t, keys.Spec{Kty: keys.KtyOKP})
	rsaSPKI := pemOf(t, rsa, keys.PEMSPKI, true)
	edSPKI := pemOf(t, ed.Private, keys.PEMSPKI, true)
	certPEM, _ := keys.CertificatePEM(ec.Private)
	sshPub, err := ssh.NewPublicKey(ed25519.PublicKey(derOf(t, edSPKI)[12:]))
	if err != nil {
		t.Fatal(err)
	}
	rsaJWK, _ := keys.MarshalPublicJWK(rsa)
	ecJWKS, _ := keys.MarshalPublicJWKS(ec.Public)
	oneLine := func(s string) string { return strings.ReplaceAll(s, "\n", "") }
	cases := []struct {
		name   string
		text   string // what the user typed
		enc    string // the encoding chosen
		reason string
	}{
		{"RSA SPKI PEM text", string(rsaSPKI), SecretText, "(SPKI public key"},
		{"RSA PKCS#1 PEM text", string(pemOf(t, rsa, keys.PEMPKCS1, true)), SecretText, "(PKCS#1 RSA public key"},
		{"RSA PEM body without armour, wrapped", pemBody(rsaSPKI), SecretText, "read from DER (base64)"},
		{"RSA PEM body without armour, one line", oneLine(pemBody(rsaSPKI)), SecretText, "read from DER (base64)"},
		{"Ed25519 PEM body without armour (60 characters)", oneLine(pemBody(edSPKI)), SecretText, "its base64 decoding"},
		{"RSA base64url DER typed as text", base64.RawURLEncoding.EncodeToString(derOf(t, rsaSPKI)), SecretText, "its base64url decoding"},
		{"RSA hex DER typed as text", hex.EncodeToString(derOf(t, rsaSPKI)), SecretText, "its hex decoding"},
		{"EC hex DER with colons, as openssl prints it", colonHex(derOf(t, pemOf(t, ec.Private, keys.PEMSPKI, true))), SecretText, "its hex decoding"},
		{"RSA base64url DER with the base64url encoding", base64.RawURLEncoding.EncodeToString(derOf(t, rsaSPKI)), SecretBase64URL, "read from DER (binary)"},
		{"RSA hex DER with the hex encoding", hex.EncodeToString(derOf(t, rsaSPKI)), SecretHex, "read from DER (binary)"},
		{"a certificate PEM", string(certPEM), SecretText, "X.509 certificate"},
		{"a certificate's base64 DER", oneLine(pemBody(certPEM)), SecretText, "X.509 certificate"},
		{"a public JWK", string(rsaJWK), SecretText, "read from JWK"},
		{"a JWKS", string(ecJWKS), SecretText, "read from JWKS"},
		{"an OpenSSH public key line", string(ssh.MarshalAuthorizedKey(sshPub)), SecretText, "read from OpenSSH public key"},
		{"a private key PEM", string(pemOf(t, ec.Private, keys.PEMPKCS8, false)), SecretText, "the HMAC secret is a key, not a secret"},
		{"a damaged PEM", "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n", SecretText, "the HMAC secret is the text of a PEM or JWK key: refused"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			secret, err := DecodeSecret(c.text, c.enc)
			if err != nil {
				t.Fatal(err)
			}
			// The attacker signs with the key's bytes as the HMAC secret.
			tok := craftHS(`{"alg":"HS256"}`, `{"sub":"admin"}`, secret)
			r := inspect(t, tok, NewSecretSource(secret, c.enc))
			wantNotVerified(t, r, c.reason)
			if !strings.Contains(r.Reason, "refused") || len(r.Candidates) != 0 {
				t.Errorf("reason %q candidates %d", r.Reason, len(r.Candidates))
			}
		})
	}
	t.Run("raw DER bytes from a secret file", func(t *testing.T) {
		der := derOf(t, rsaSPKI)
		r := inspect(t, craftHS(`{"alg":"HS256"}`, `{}`, der), NewSecretSource(der, SecretText))
		wantNotVerified(t, r, "the HMAC secret is a key, not a secret (SPKI public key")
	})
	t.Run("an oct JWK is not its secret", func(t *testing.T) {
		oct := generate(t, keys.Spec{Kty: keys.KtyOct})
		text, _ := keys.MarshalJWK(oct.Private)
		r := inspect(t, craftHS(`{"alg":"HS256"}`, `{}`, text), NewSecretSource(text, SecretText))
		wantNotVerified(t, r, `the HMAC secret is an oct JWK, not the secret itself: refused; paste its "k" member`)
	})
	t.Run("real secrets are not mistaken for keys", func(t *testing.T) {
		random := make([]byte, 64)
		_, _ = rand.Read(random)
		random[0] = 0x30 // starts like DER
		for _, s := range [][]byte{
			[]byte("0123456789abcdef0123456789abcdef"),
			[]byte(hex.EncodeToString(random)),
			[]byte(base64.StdEncoding.EncodeToString(random)),
			random,
			[]byte("correct horse battery staple, correct horse battery staple"),
		} {
			r := inspect(t, craftHS(`{"alg":"HS256"}`, `{}`, s), NewSecretSource(s, SecretText))
			if !r.Verified {
				t.Errorf("%q: %s", s, r.Reason)
			}
		}
	})
}

func colonHex(b []byte) string {
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02x", x)
	}
	return strings.Join(parts, ":")
}

// --- 22.11: inconsistent keys and claims ---

func TestInspectX5cMustHoldTheKey_RFC7517_4_7(t *testing.T) {
	claims := claimsJSON(map[string]any{"exp": at(time.Hour)})
	for _, spec := range []keys.Spec{{Kty: keys.KtyRSA}, {Kty: keys.KtyEC}, {Kty: keys.KtyOKP}} {
		t.Run(spec.Kty, func(t *testing.T) {
			spec.KidStrategy, spec.CustomKid, spec.Cert = keys.KidCustom, "k1", &keys.CertSpec{CommonName: "a", Days: 30}
			a := generate(t, spec)
			b := generate(t, spec)
			tok := sign(t, a.Private, claims, "k1")
			if r := inspect(t, tok, set(t, a.Public)); !r.Verified {
				t.Fatalf("its own x5c: %s", r.Reason)
			}
			mixed, _ := a.Public.Clone()
			chain, _ := b.Public.X509CertChain()
			_ = mixed.Set(jwk.X509CertChainKey, chain)
			for name, src := range map[string]KeySource{"set": set(t, mixed), "direct": NewDirectKeySource("key", mixed)} {
				r := inspect(t, tok, src)
				wantNotVerified(t, r, "the key's x5c certificate holds another public key (RFC 7517 §4.7")
				if r.Candidates[0].Checked {
					t.Errorf("%s: the signature was checked", name)
				}
			}
		})
	}
}

func TestInspectDuplicateClaim_RFC7519_4(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	src := NewSecretSource(secret, SecretText)
	for _, claims := range []string{
		`{"exp":1,"exp":1800000000}`,
		`{"exp":1800000000,"sub":"alice","sub":"admin"}`,
		`{"exp":1800000000,"aud":"a","iss":"x","aud":["b"]}`,
		`{"exp":1800000000,"role":"user","role":"admin"}`,
	} {
		t.Run(claims, func(t *testing.T) {
			r := inspect(t, craftHS(`{"alg":"HS256"}`, claims, secret), src)
			wantNotVerified(t, r, "twice (verifiers disagree on which one wins): refused")
			if !strings.HasPrefix(r.Reason, "the claims have the member ") || len(r.Candidates) != 0 {
				t.Errorf("%q", r.Reason)
			}
		})
	}
}

func TestInspectCaseTwins_RFC7515_4(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	src := NewSecretSource(secret, SecretText)
	cases := []struct{ header, claims, warning string }{
		{`{"alg":"HS256","Alg":"none"}`, `{}`, `the header member "Alg" differs from the registered "alg" only in case`},
		{`{"alg":"HS256","ALG":"RS256"}`, `{}`, `the header member "ALG" differs from the registered "alg" only in case: names are case-sensitive (RFC 7515 §4)`},
		{`{"alg":"HS256","Kid":"x"}`, `{}`, `the header member "Kid" differs from the registered "kid"`},
		{`{"alg":"HS256","CRIT":["x"]}`, `{}`, `the header member "CRIT" differs from the registered "crit"`},
		{`{"alg":"HS256"}`, `{"EXP":1}`, `the claim "EXP" differs from the registered "exp" only in case: names are case-sensitive (RFC 7519 §4)`},
	}
	for _, c := range cases {
		t.Run(c.header+c.claims, func(t *testing.T) {
			r := inspect(t, craftHS(c.header, c.claims, secret), src)
			if !containsAny(r.Warnings, c.warning) {
				t.Errorf("warnings %v", r.Warnings)
			}
			if !r.Verified {
				t.Errorf("a case twin alone refused the token: %s", r.Reason)
			}
		})
	}
	r := inspect(t, craftHS(`{"alg":"HS256","typ":"JWT"}`, `{"exp":1800000000}`, secret), src)
	if containsAny(r.Warnings, "only in case") {
		t.Errorf("warnings %v", r.Warnings)
	}
}

// wildInspectSeeds are the hostile tokens of issues 16 and 22 for FuzzInspect.
var wildInspectSeeds = []string{
	"eyJraWQiOiJoczI1Ni1rZXkiLCJhbGciOiJIUzI1NiJ9.VGVzdA.    c1LROH7eNQwUT8KMVEO52VC3WZ9e_AnDWbZ7aMmowV8",
	"eyJraWQiOiJoczI1Ni1rZXkiLCJhbGciOiJIUzI1NiJ9    .VGVzdA.DR-cdw2cCB53b3mpzMfk2gKTeyN0PhXBrTW1atMfSdM",
	"eyJraWQiOiJoczI1Ni1rZXkiLCJhbGciOiJIUzI1NiJ9.    VGVzdA.AbPJgmXfihyNBUYpbdPK8qRpPjNuTE-Z_wYQyrU2lMQ",
	"\"Bearer eyJhbGciOiJIUzI1NiJ9.e30.\u00a0abc\"",
	b64([]byte("{\"alg\":\"ES256\",\"typ\":\"JWT\"}\n")) + "." + b64([]byte(`{"exp":1700000000.5}`)) + "." + b64(make([]byte, 64)),
	b64([]byte(`{"alg":"HS256"}`)) + "." + b64([]byte(`{"nbf":1e16,"exp":-1e300,"iat":1E+400}`)) + "." + b64(make([]byte, 32)),
	b64([]byte(`{"alg":"HS256"}`)) + "." + b64([]byte(`{"exp":null,"nbf":[1],"iat":"NaN"}`)) + "." + b64(make([]byte, 32)),
	b64([]byte(`{"alg":"HS256"}`)) + "." + b64([]byte(`{"exp":-1e99999999999999999999,"nbf":0e999999}`)) + "." + b64(make([]byte, 32)),
	b64([]byte(`{"alg":"HS256"}`)) + "." + b64([]byte(`{"exp":1,"exp":2}`)) + "." + b64(make([]byte, 32)),
	b64([]byte(`{"alg":"HS256","ALG":"none","Kid":"x"}`)) + "." + b64([]byte(`{"EXP":1}`)) + "." + b64(make([]byte, 32)),
	b64([]byte(`{"alg":"HS256"}`)) + "." + b64([]byte(`{"a":`+strings.Repeat("[", 3000)+strings.Repeat("]", 3000)+`}`)) + "." + b64(make([]byte, 32)),
	b64([]byte(`{"alg":"HS256","x":`+strings.Repeat(`{"a":`, 100)+`1`+strings.Repeat(`}`, 100)+`}`)) + "." + b64([]byte(`{}`)) + "." + b64(make([]byte, 32)),
}
