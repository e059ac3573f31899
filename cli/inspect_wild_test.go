package cli

import (
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// The CLI gives the engine's verdict on the inputs of issues 16 and 22: the
// same exit code, verified flag and reason (convert/inspect_wild_test.go
// holds the engine's tables).

var b64u = base64.RawURLEncoding.EncodeToString

type wildReport struct {
	Verified  bool     `json:"verified"`
	State     string   `json:"state"`
	Reason    string   `json:"reason"`
	Warnings  []string `json:"warnings"`
	DirectKey bool     `json:"direct_key"`
	ClaimsCut string   `json:"claims_cut"`
	Expired   bool     `json:"expired"`
	NotYet    bool     `json:"not_yet_valid"`
}

func inspectCLI(t *testing.T, args ...string) (wildReport, int, int) {
	t.Helper()
	out, errOut, code := run(t, "", append([]string{"inspect"}, args...)...)
	var r wildReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("exit %d: not the JSON report: %v\n%.300s\n%s", code, err, out, errOut)
	}
	return r, code, len(out)
}

func hs256(header, payload string, secret []byte) string {
	input := b64u([]byte(header)) + "." + b64u([]byte(payload))
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(input))
	return input + "." + b64u(m.Sum(nil))
}

func es256(t *testing.T, header, payload string, key jwk.Key) string {
	t.Helper()
	var priv ecdsa.PrivateKey
	if err := jwk.Export(key, &priv); err != nil {
		t.Fatal(err)
	}
	input := b64u([]byte(header)) + "." + b64u([]byte(payload))
	sum := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, &priv, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return input + "." + b64u(sig)
}

func genKey(t *testing.T, spec keys.Spec) *keys.Generated {
	t.Helper()
	g, err := keys.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func exportPEM(t *testing.T, key jwk.Key, f keys.PEMFormat) []byte {
	t.Helper()
	out, err := keys.ExportPEM(key, f, true)
	if err != nil {
		t.Fatal(err)
	}
	return out.PEM
}

func TestInspectCLIDirectKey_RFC7515_4_1_4(t *testing.T) {
	g := genKey(t, keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "own"})
	tok := es256(t, `{"alg":"ES256","kid":"k1"}`, `{"sub":"a"}`, g.Private)
	pub, _ := keys.MarshalPublicJWK(g.Private)
	jwks, _ := keys.MarshalPublicJWKS(g.Public)
	spki := exportPEM(t, g.Private, keys.PEMSPKI)
	cases := []struct {
		name     string
		args     []string
		code     int
		verified bool
		reason   string
	}{
		{"--pem SPKI", []string{"--pem", writeFile(t, "k.pem", string(spki))}, ExitOK, true, ""},
		{"--pem without armour", []string{"--pem", writeFile(t, "k.txt", strings.Join(strings.Split(string(spki), "\n")[1:3], "\n"))}, ExitOK, true, ""},
		{"--jwk with another kid", []string{"--jwk", writeFile(t, "k.json", string(pub))}, ExitOK, true, ""},
		{"--jwk holding a JWKS stays a set", []string{"--jwk", writeFile(t, "s.json", string(jwks))}, ExitNotValid, false, "kid k1 not in the set (the set has: own)"},
		{"--jwks stays a set", []string{"--jwks", writeFile(t, "s.json", string(jwks))}, ExitNotValid, false, "kid k1 not in the set (the set has: own)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, code, _ := inspectCLI(t, append([]string{tok}, c.args...)...)
			if code != c.code || r.Verified != c.verified || r.Reason != c.reason {
				t.Fatalf("exit %d verified %v reason %q", code, r.Verified, r.Reason)
			}
			if c.verified && (!r.DirectKey || !strings.Contains(strings.Join(r.Warnings, "\n"), `the token names kid "k1" and the key you gave`)) {
				t.Errorf("direct %v warnings %v", r.DirectKey, r.Warnings)
			}
		})
	}
}

func TestInspectCLISigningInputAndWhitespace_RFC7515_5_2(t *testing.T) {
	g := genKey(t, keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "k1"})
	pub, _ := keys.MarshalPublicJWK(g.Private)
	key := writeFile(t, "k.json", string(pub))
	r, code, _ := inspectCLI(t, es256(t, "{\"alg\":\"ES256\",\"typ\":\"JWT\"}\n", `{"sub":"a"}`, g.Private), "--jwk", key)
	if code != ExitOK || !r.Verified {
		t.Errorf("header with a trailing newline: exit %d %q", code, r.Reason)
	}
	// Wycheproof's "spaces in the MAC" (tcId 360), its key as base64url.
	secret := writeFile(t, "s", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	r, code, _ = inspectCLI(t, "eyJraWQiOiJoczI1Ni1rZXkiLCJhbGciOiJIUzI1NiJ9.VGVzdA.    c1LROH7eNQwUT8KMVEO52VC3WZ9e_AnDWbZ7aMmowV8", "--secret-file", secret, "--secret-encoding", "base64url")
	if code != ExitNotValid || r.Verified || !strings.HasPrefix(r.Reason, "the signature (third part) holds 4 spaces: whitespace inside a segment is not part of a token (RFC 7515 §7.1") {
		t.Errorf("spaces in the MAC: exit %d %q", code, r.Reason)
	}
}

func TestInspectCLINumericDate_RFC7519_2(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	sf := writeFile(t, "s", string(secret))
	cases := []struct {
		claims, now string
		code        int
		state       string
		reason      string
	}{
		{`{"exp":1700000000.5}`, "2023-11-14T22:13:20Z", ExitOK, "verified", ""},
		{`{"nbf":1699999000.25}`, "2023-11-14T21:56:40Z", ExitNotValid, "not_yet_valid", "signature valid but not valid for another 0 s"},
		{`{"nbf":1e16}`, "2023-11-14T22:13:20Z", ExitNotValid, "not_yet_valid", "signature valid but not valid until after year 9999"},
		{`{"exp":-1e300}`, "2023-11-14T22:13:20Z", ExitNotValid, "expired", "signature valid but expired before year 1"},
		{`{"exp":null}`, "2023-11-14T22:13:20Z", ExitNotValid, "not_verified", `claim "exp" is null, not a NumericDate (RFC 7519 §4.1.4`},
		{`{"exp":"1800000000"}`, "2023-11-14T22:13:20Z", ExitNotValid, "not_verified", `claim "exp" is a string, not a NumericDate (RFC 7519 §4.1.4`},
		{`{"exp":1800000000,"exp":1}`, "2023-11-14T22:13:20Z", ExitNotValid, "not_verified", `the claims have the member "exp" twice`},
	}
	for _, c := range cases {
		t.Run(c.claims, func(t *testing.T) {
			r, code, _ := inspectCLI(t, hs256(`{"alg":"HS256"}`, c.claims, secret), "--secret-file", sf, "--now", c.now, "--skew", "0s")
			if code != c.code || r.State != c.state || !strings.HasPrefix(r.Reason, c.reason) {
				t.Errorf("exit %d state %s reason %q", code, r.State, r.Reason)
			}
		})
	}
}

func TestInspectCLIWorkAndOutputBounded_RFC7518_3_3(t *testing.T) {
	// An RSA key of 20,000 bits (a random modulus: only its size matters).
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 20000))
	n.SetBit(n, 19999, 1).SetBit(n, 0, 1)
	big, err := jwk.Import(&rsa.PublicKey{N: n, E: 65537})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(big)
	sig := make([]byte, 2500)
	tok := b64u([]byte(`{"alg":"RS256"}`)) + "." + b64u([]byte(`{}`)) + "." + b64u(sig)
	r, code, _ := inspectCLI(t, tok, "--jwk", writeFile(t, "big.json", string(j)))
	if code != ExitNotValid || r.Reason != "RSA key is 20000 bits: over 16384 never verifies here (one check with it costs as much as 96 with RSA-2048)" {
		t.Errorf("exit %d %q", code, r.Reason)
	}
	// Claims nested 9,800 deep: the output stays small and says what was cut.
	secret := []byte("0123456789abcdef0123456789abcdef")
	deep := hs256(`{"alg":"HS256"}`, `{"a":`+strings.Repeat("[", 9800)+strings.Repeat("]", 9800)+`}`, secret)
	r, code, size := inspectCLI(t, deep, "--secret-file", writeFile(t, "s", string(secret)))
	if code != ExitOK || size > 64<<10 || !strings.HasPrefix(r.ClaimsCut, "the claims nest 9801 levels deep") {
		t.Errorf("exit %d, %d bytes, cut %q", code, size, r.ClaimsCut)
	}
}

func TestInspectCLIKeyAsHMACSecret_RFC8725_3_1(t *testing.T) {
	g := genKey(t, keys.Spec{Kty: keys.KtyRSA})
	block, _ := pem.Decode(exportPEM(t, g.Private, keys.PEMSPKI))
	body := base64.StdEncoding.EncodeToString(block.Bytes)
	cases := []struct {
		name, file, enc string
		secret          []byte // what the attacker signs with
	}{
		{"PEM body without armour", body, "text", []byte(body)},
		{"hex DER with --secret-encoding hex", hex.EncodeToString(block.Bytes), "hex", block.Bytes},
		{"base64url DER as text", b64u(block.Bytes), "text", []byte(b64u(block.Bytes))},
		{"raw DER bytes", string(block.Bytes), "text", block.Bytes},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok := hs256(`{"alg":"HS256"}`, `{"sub":"admin"}`, c.secret)
			r, code, _ := inspectCLI(t, tok, "--secret-file", writeFile(t, "s", c.file), "--secret-encoding", c.enc)
			if code != ExitNotValid || r.Verified || !strings.HasPrefix(r.Reason, "the HMAC secret is a key, not a secret (SPKI public key") {
				t.Errorf("exit %d %q", code, r.Reason)
			}
		})
	}
}

func TestInspectCLIInconsistentKeys_RFC7517_4_7(t *testing.T) {
	a := genKey(t, keys.Spec{Kty: keys.KtyEC, KidStrategy: keys.KidCustom, CustomKid: "k1", Cert: &keys.CertSpec{CommonName: "a", Days: 30}})
	b := genKey(t, keys.Spec{Kty: keys.KtyEC, Cert: &keys.CertSpec{CommonName: "b", Days: 30}})
	mixed, _ := a.Public.Clone()
	chain, _ := b.Public.X509CertChain()
	_ = mixed.Set(jwk.X509CertChainKey, chain)
	j, _ := json.Marshal(mixed)
	tok := es256(t, `{"alg":"ES256","kid":"k1","ALG":"none"}`, `{"sub":"a"}`, a.Private)
	r, code, _ := inspectCLI(t, tok, "--jwk", writeFile(t, "k.json", string(j)))
	if code != ExitNotValid || !strings.HasPrefix(r.Reason, "the key's x5c certificate holds another public key (RFC 7517 §4.7") {
		t.Errorf("x5c of another key: exit %d %q", code, r.Reason)
	}
	j, _ = json.Marshal(a.Public)
	r, code, _ = inspectCLI(t, tok, "--jwk", writeFile(t, "k.json", string(j)))
	if code != ExitOK || !strings.Contains(strings.Join(r.Warnings, "\n"), `the header member "ALG" differs from the registered "alg" only in case`) {
		t.Errorf("own x5c, case twin: exit %d %q %v", code, r.Reason, r.Warnings)
	}
}
