package keys

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwe"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// shapes is every key shape JWK Desk generates, with the uses it allows.
var shapes = []struct {
	kty  string
	size int
	crv  string
	uses []string
}{
	{KtyRSA, 2048, "", []string{UseSig, UseEnc}},
	{KtyRSA, 3072, "", []string{UseSig}},
	{KtyRSA, 4096, "", []string{UseSig}},
	{KtyEC, 0, CrvP256, []string{UseSig, UseEnc}},
	{KtyEC, 0, CrvP384, []string{UseSig, UseEnc}},
	{KtyEC, 0, CrvP521, []string{UseSig, UseEnc}},
	{KtyEC, 0, CrvSecp256k1, []string{UseSig}},
	{KtyOKP, 0, CrvEd25519, []string{UseSig}},
	{KtyOKP, 0, CrvX25519, []string{UseEnc}},
	{KtyOct, 256, "", []string{UseSig, UseEnc}},
	{KtyOct, 384, "", []string{UseSig}},
	{KtyOct, 512, "", []string{UseSig}},
}

var fixedNow = func() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) }

func TestGenerateRoundTrip(t *testing.T) {
	for _, sh := range shapes {
		for _, use := range sh.uses {
			for _, kidStrategy := range KidStrategies() {
				name := fmt.Sprintf("%s-%d%s/%s/%s", sh.kty, sh.size, sh.crv, use, kidStrategy)
				t.Run(name, func(t *testing.T) {
					if sh.kty == KtyRSA && sh.size == 4096 && testing.Short() {
						t.Skip("RSA 4096 in -short mode")
					}
					spec := Spec{Kty: sh.kty, Size: sh.size, Crv: sh.crv, Use: use, KidStrategy: kidStrategy, CustomKid: "my key/1", Now: fixedNow}
					if sh.kty == KtyOct && use == UseEnc {
						spec.Size = 256
					}
					g, err := Generate(spec)
					if sh.kty == KtyOct && kidStrategy == KidThumbprint {
						if err == nil || !strings.Contains(err.Error(), "hash of the secret") {
							t.Fatalf("oct + thumbprint kid: want refusal, got %v", err)
						}
						return
					}
					if err != nil {
						t.Fatalf("Generate: %v", err)
					}
					checkKid(t, g, sh.kty, kidStrategy)
					roundTrip(t, g, use)
				})
			}
		}
	}
}

func checkKid(t *testing.T, g *Generated, kty string, strategy KidStrategy) {
	t.Helper()
	kid, ok := g.Private.KeyID()
	if !ok || kid == "" {
		t.Fatal("no kid")
	}
	switch strategy {
	case KidThumbprint:
		if kid != g.Thumbprint.Value {
			t.Errorf("kid %q != thumbprint %q", kid, g.Thumbprint.Value)
		}
	case KidUUID:
		if len(kid) != 36 || strings.Count(kid, "-") != 4 {
			t.Errorf("kid %q is not a UUID", kid)
		}
	case KidDate:
		if !strings.HasPrefix(kid, "2026-11-22-") || len(kid) != len("2026-11-22-")+8 {
			t.Errorf("date kid %q", kid)
		}
		if kty != KtyOct && kid != "2026-11-22-"+g.Thumbprint.Value[:8] {
			t.Errorf("date kid %q does not end in the thumbprint's first 8 chars (%s)", kid, g.Thumbprint.Value)
		}
	case KidCustom:
		if kid != "my key/1" {
			t.Errorf("custom kid %q", kid)
		}
	}
	if kty == KtyOct && g.Thumbprint.Value != "" {
		t.Error("an oct key must not carry a thumbprint (it would hash the secret)")
	}
}

// roundTrip: public JWK → parse back with jwx → sign with the private key and
// verify with the parsed public key (or encrypt/decrypt for enc keys).
func roundTrip(t *testing.T, g *Generated, use string) {
	t.Helper()
	alg, _ := g.Private.Algorithm()
	verifyKey := g.Private // oct: the secret verifies itself
	if g.Public != nil {
		pubJSON, err := MarshalPublicJWK(g.Private)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []string{`"d"`, `"p"`, `"q"`, `"dp"`, `"dq"`, `"qi"`, `"k"`} {
			if strings.Contains(string(pubJSON), m+":") {
				t.Fatalf("public JWK holds private member %s:\n%s", m, pubJSON)
			}
		}
		parsed, err := jwk.ParseKey(pubJSON)
		if err != nil {
			t.Fatalf("public JWK does not parse back: %v\n%s", err, pubJSON)
		}
		if IsPrivate(parsed) {
			t.Fatal("parsed public JWK is private")
		}
		verifyKey = parsed
	} else if _, err := MarshalPublicJWK(g.Private); err == nil {
		t.Fatal("oct key: public JWK must be refused")
	}
	privJSON, err := MarshalJWK(g.Private)
	if err != nil {
		t.Fatal(err)
	}
	privParsed, err := jwk.ParseKey(privJSON)
	if err != nil {
		t.Fatalf("private JWK does not parse back: %v", err)
	}
	payload := []byte(`{"sub":"round trip"}`)
	if use == UseSig {
		sa, ok := jwa.LookupSignatureAlgorithm(alg.String())
		if !ok {
			t.Fatalf("alg %s is not a signature algorithm", alg)
		}
		signed, err := jws.Sign(payload, jws.WithKey(sa, privParsed))
		if err != nil {
			t.Fatalf("sign: %v", err)
		}
		if _, err := jws.Verify(signed, jws.WithKey(sa, verifyKey)); err != nil {
			t.Fatalf("verify: %v", err)
		}
		return
	}
	ka, ok := jwa.LookupKeyEncryptionAlgorithm(alg.String())
	if !ok {
		t.Fatalf("alg %s is not a key encryption algorithm", alg)
	}
	enc, err := jwe.Encrypt(payload, jwe.WithKey(ka, verifyKey))
	if err != nil {
		t.Fatalf("encrypt: %v", err)
	}
	dec, err := jwe.Decrypt(enc, jwe.WithKey(ka, privParsed))
	if err != nil || string(dec) != string(payload) {
		t.Fatalf("decrypt: %v %q", err, dec)
	}
}

func TestGenerateRefusesMisfits(t *testing.T) {
	cases := []struct {
		name string
		spec Spec
		want string
	}{
		{"X25519 sig", Spec{Kty: KtyOKP, Crv: CrvX25519, Use: UseSig}, "choose Ed25519 for signatures"},
		{"Ed25519 enc", Spec{Kty: KtyOKP, Crv: CrvEd25519, Use: UseEnc}, "choose X25519 for encryption"},
		{"RSA 1024", Spec{Kty: KtyRSA, Size: 1024}, "under 2048 bits are refused"},
		{"RSA 2000", Spec{Kty: KtyRSA, Size: 2000}, "under 2048 bits are refused"},
		{"RSA 5000", Spec{Kty: KtyRSA, Size: 5000}, "not offered"},
		{"EC alg mismatch", Spec{Kty: KtyEC, Crv: CrvP256, Alg: "ES384"}, "alg ES384 does not fit EC P-256"},
		{"RSA with HS256", Spec{Kty: KtyRSA, Alg: "HS256"}, "choose one of RS256"},
		{"RSA enc with RS256", Spec{Kty: KtyRSA, Use: UseEnc, Alg: "RS256"}, "choose one of RSA-OAEP-256"},
		{"oct size vs alg", Spec{Kty: KtyOct, Size: 256, Alg: "HS512"}, "does not fit a 256-bit oct secret"},
		{"oct odd size", Spec{Kty: KtyOct, Size: 100}, "no algorithm fits a 100-bit oct secret"},
		{"oct thumbprint kid", Spec{Kty: KtyOct, KidStrategy: KidThumbprint}, "hash of the secret"},
		{"secp256k1 enc", Spec{Kty: KtyEC, Crv: CrvSecp256k1, Use: UseEnc}, "signatures only"},
		{"unknown curve", Spec{Kty: KtyEC, Crv: "P-192"}, "unknown EC curve"},
		{"unknown kty", Spec{Kty: "DSA"}, "unknown key type"},
		{"bad use", Spec{Kty: KtyRSA, Use: "sign"}, `use must be "sig" or "enc"`},
		{"empty custom kid", Spec{Kty: KtyRSA, KidStrategy: KidCustom, CustomKid: "  "}, "custom kid is empty"},
		{"cert for X25519", Spec{Kty: KtyOKP, Crv: CrvX25519, Use: UseEnc, Cert: &CertSpec{CommonName: "x", Days: 1}}, "certificate needs"},
		{"cert for secp256k1", Spec{Kty: KtyEC, Crv: CrvSecp256k1, Cert: &CertSpec{CommonName: "x", Days: 1}}, "certificate needs"},
		{"cert days", Spec{Kty: KtyEC, Cert: &CertSpec{CommonName: "x", Days: 0}}, "validity must be"},
		{"cert CN", Spec{Kty: KtyEC, Cert: &CertSpec{Days: 10}}, "CN is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Generate(c.spec)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want error containing %q, got %v", c.want, err)
			}
		})
	}
}

func TestGenerateDefaults(t *testing.T) {
	cases := []struct {
		spec    Spec
		wantAlg string
		wantLen int // oct bytes
	}{
		{Spec{Kty: KtyRSA}, "RS256", 0},
		{Spec{Kty: KtyRSA, Use: UseEnc}, "RSA-OAEP-256", 0},
		{Spec{Kty: KtyEC}, "ES256", 0},
		{Spec{Kty: KtyEC, Crv: CrvP384}, "ES384", 0},
		{Spec{Kty: KtyEC, Crv: CrvP521}, "ES512", 0},
		{Spec{Kty: KtyEC, Crv: CrvSecp256k1}, "ES256K", 0},
		{Spec{Kty: KtyEC, Use: UseEnc}, "ECDH-ES", 0},
		{Spec{Kty: KtyOKP}, "EdDSA", 0},
		{Spec{Kty: KtyOKP, Use: UseEnc}, "ECDH-ES", 0},
		{Spec{Kty: KtyOct}, "HS256", 32},
		{Spec{Kty: KtyOct, Size: 384}, "HS384", 48},
		{Spec{Kty: KtyOct, Alg: "HS512"}, "HS512", 64},
		{Spec{Kty: KtyRSA, Alg: "PS384"}, "PS384", 0},
	}
	for _, c := range cases {
		t.Run(c.spec.Kty+c.spec.Crv+c.spec.Use+c.wantAlg, func(t *testing.T) {
			g, err := Generate(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			alg, _ := g.Private.Algorithm()
			if alg.String() != c.wantAlg {
				t.Errorf("alg %s, want %s", alg, c.wantAlg)
			}
			if c.wantLen > 0 {
				k, _ := g.Private.(jwk.SymmetricKey).Octets()
				if len(k) != c.wantLen {
					t.Errorf("secret is %d bytes, want %d", len(k), c.wantLen)
				}
				kid, _ := g.Private.KeyID()
				if len(kid) != 36 {
					t.Errorf("oct default kid %q is not a UUID", kid)
				}
			}
		})
	}
}

func TestGenerateCertificate(t *testing.T) {
	for _, spec := range []Spec{
		{Kty: KtyRSA},
		{Kty: KtyEC, Crv: CrvP384},
		{Kty: KtyOKP, Crv: CrvEd25519},
	} {
		t.Run(spec.Kty+spec.Crv, func(t *testing.T) {
			spec.Cert = &CertSpec{CommonName: "auth.example.com", Days: 90}
			spec.Now = fixedNow
			g, err := Generate(spec)
			if err != nil {
				t.Fatal(err)
			}
			pemBytes, err := CertificatePEM(g.Public)
			if err != nil || pemBytes == nil {
				t.Fatalf("no certificate on the public key: %v", err)
			}
			block, _ := pem.Decode(pemBytes)
			crt, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			if crt.Subject.CommonName != "auth.example.com" {
				t.Errorf("CN %q", crt.Subject.CommonName)
			}
			if got := crt.NotAfter.Sub(fixedNow()); got != 90*24*time.Hour {
				t.Errorf("validity %v", got)
			}
			if err := crt.CheckSignature(crt.SignatureAlgorithm, crt.RawTBSCertificate, crt.Signature); err != nil {
				t.Errorf("not self-signed: %v", err)
			}
			certKey, err := jwk.Import(crt.PublicKey)
			if err != nil {
				t.Fatal(err)
			}
			tp, _ := ComputeThumbprint(certKey)
			if tp.Value != g.Thumbprint.Value {
				t.Error("certificate holds another key")
			}
			pub, _ := MarshalPublicJWK(g.Private)
			var m map[string]any
			_ = json.Unmarshal(pub, &m)
			for _, member := range []string{"x5c", "x5t#S256", "x5t"} {
				if _, ok := m[member]; !ok {
					t.Errorf("public JWK lacks %s", member)
				}
			}
		})
	}
}

func TestThumbprintVectors(t *testing.T) {
	var vectors struct {
		Thumbprints []struct {
			Name   string          `json:"name"`
			Key    json.RawMessage `json:"key"`
			Expect string          `json:"expect"`
		} `json:"thumbprints"`
	}
	raw, err := os.ReadFile(filepath.Join("testdata", "rfc.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &vectors); err != nil {
		t.Fatal(err)
	}
	if len(vectors.Thumbprints) < 2 {
		t.Fatal("thumbprint vectors missing")
	}
	for _, v := range vectors.Thumbprints {
		t.Run(v.Name, func(t *testing.T) {
			key, err := jwk.ParseKey(v.Key)
			if err != nil {
				t.Fatal(err)
			}
			tp, err := ComputeThumbprint(key)
			if err != nil {
				t.Fatal(err)
			}
			if tp.Value != v.Expect {
				t.Errorf("thumbprint %s, want %s", tp.Value, v.Expect)
			}
			if !strings.HasPrefix(tp.Canonical, `{"`) || strings.Contains(tp.Canonical, " ") || strings.Contains(tp.Canonical, "kid") {
				t.Errorf("canonical JSON %s", tp.Canonical)
			}
		})
	}
	// RFC 7638 §3.1 gives the canonical JSON of its key verbatim (the start of it).
	key, _ := jwk.ParseKey(vectors.Thumbprints[0].Key)
	tp, _ := ComputeThumbprint(key)
	if !strings.HasPrefix(tp.Canonical, `{"e":"AQAB","kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}`) {
		t.Errorf("canonical JSON differs from RFC 7638 §3.1: %s", tp.Canonical)
	}
}

func TestPEMExport(t *testing.T) {
	type want struct {
		format PEMFormat
		public bool
		typ    string
	}
	cases := []struct {
		spec  Spec
		wants []want
	}{
		{Spec{Kty: KtyRSA}, []want{{PEMSPKI, true, "PUBLIC KEY"}, {PEMPKCS1, true, "RSA PUBLIC KEY"}, {PEMPKCS8, false, "PRIVATE KEY"}, {PEMPKCS1, false, "RSA PRIVATE KEY"}}},
		{Spec{Kty: KtyEC, Crv: CrvP256}, []want{{PEMSPKI, true, "PUBLIC KEY"}, {PEMPKCS8, false, "PRIVATE KEY"}, {PEMSEC1, false, "EC PRIVATE KEY"}}},
		{Spec{Kty: KtyEC, Crv: CrvP521}, []want{{PEMSPKI, true, "PUBLIC KEY"}, {PEMPKCS8, false, "PRIVATE KEY"}, {PEMSEC1, false, "EC PRIVATE KEY"}}},
		{Spec{Kty: KtyEC, Crv: CrvSecp256k1}, []want{{PEMSPKI, true, "PUBLIC KEY"}, {PEMPKCS8, false, "PRIVATE KEY"}, {PEMSEC1, false, "EC PRIVATE KEY"}}},
		{Spec{Kty: KtyOKP, Crv: CrvEd25519}, []want{{PEMSPKI, true, "PUBLIC KEY"}, {PEMPKCS8, false, "PRIVATE KEY"}}},
		{Spec{Kty: KtyOKP, Crv: CrvX25519, Use: UseEnc}, []want{{PEMSPKI, true, "PUBLIC KEY"}, {PEMPKCS8, false, "PRIVATE KEY"}}},
	}
	openssl, _ := exec.LookPath("openssl")
	for _, c := range cases {
		g, err := Generate(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range c.wants {
			t.Run(fmt.Sprintf("%s%s/%s/public=%v", c.spec.Kty, c.spec.Crv, w.format, w.public), func(t *testing.T) {
				out, err := ExportPEM(g.Private, w.format, w.public)
				if err != nil {
					t.Fatal(err)
				}
				block, rest := pem.Decode(out.PEM)
				if block == nil || len(rest) != 0 || block.Type != w.typ {
					t.Fatalf("PEM type %v, want %s", block, w.typ)
				}
				if !strings.Contains(out.Label, w.typ) {
					t.Errorf("label %q does not name %s", out.Label, w.typ)
				}
				parsed := reparseDER(t, block, c.spec.Crv == CrvSecp256k1)
				back, err := jwk.Import(parsed)
				if err != nil {
					t.Fatal(err)
				}
				tp, err := ComputeThumbprint(back)
				if err != nil || tp.Value != g.Thumbprint.Value {
					t.Errorf("PEM holds another key: %v", err)
				}
				if w.public == IsPrivate(back) {
					t.Errorf("public=%v but re-parsed key private=%v", w.public, IsPrivate(back))
				}
				if openssl != "" {
					opensslCheck(t, openssl, out.PEM, w.public)
				}
			})
		}
		for _, f := range []PEMFormat{PEMSEC1, "pkcs12"} {
			if _, err := ExportPEM(g.Private, f, true); err == nil {
				t.Errorf("%s public %s: want an error", c.spec.Kty, f)
			}
		}
	}
	oct, _ := Generate(Spec{Kty: KtyOct})
	if _, err := ExportPEM(oct.Private, PEMPKCS8, false); err == nil || !strings.Contains(err.Error(), "no PEM form") {
		t.Errorf("oct PEM: %v", err)
	}
}

func reparseDER(t *testing.T, block *pem.Block, secp bool) any {
	t.Helper()
	if secp {
		k, err := ParseSecp256k1DER(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	var k any
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		k, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		k, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "PRIVATE KEY":
		k, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		k, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		k, err = x509.ParseECPrivateKey(block.Bytes)
	}
	if err != nil {
		t.Fatalf("crypto/x509 refuses %s: %v", block.Type, err)
	}
	return k
}

func opensslCheck(t *testing.T, openssl string, pemBytes []byte, public bool) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "k.pem")
	if err := os.WriteFile(f, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"pkey", "-in", f, "-noout"}
	if public {
		args = []string{"pkey", "-pubin", "-in", f, "-noout"}
	}
	if strings.Contains(string(pemBytes), "RSA PUBLIC KEY") {
		args = []string{"rsa", "-RSAPublicKey_in", "-in", f, "-noout"}
	}
	if out, err := exec.Command(openssl, args...).CombinedOutput(); err != nil {
		t.Errorf("openssl %v refuses the PEM: %v\n%s", args, err, out)
	}
}
