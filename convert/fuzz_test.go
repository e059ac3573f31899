package convert

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Hostile and odd inputs shared by the fuzz targets' seed corpora.
var hostileSeeds = []string{
	``, `{}`, `[]`, `null`, `{"keys":null}`, `{"keys":[{}]}`, `{"keys":[1,"a",null]}`,
	`{"kty":"RSA","n":"AQAB","e":"AQAB"}`,                             // 17-bit modulus
	`{"kty":"RSA","n":"` + strings.Repeat("A", 342) + `","e":"AQAA"}`, // zero modulus, even exponent
	`{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQABAQAB"}`, // 5-byte exponent
	`{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`,  // point not on the curve
	`{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEUA","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`, // coordinate too long
	`{"kty":"EC","crv":"P-192","x":"AA","y":"AA"}`,
	`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR"}`, // short x
	`{"kty":"OKP","crv":"Ed448","x":"AA"}`,
	`{"kty":"oct","k":""}`,
	`{"kty":"EC","kty":"RSA","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`, // duplicate member
	`{"KTY":"EC","kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`,
	`{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}`,
	`{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"AAAA"}`, // private part that does not belong
	`{"kty":"RSA","alg":"ES521","n":"AQAB","e":"AQAB"}`, // unregistered alg
	`{"kty":"EC","crv":"P-256","x5c":["MIIB"],"x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`,
	"-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n",
	"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n",
	"-----BEGIN DSA PRIVATE KEY-----\nAAAA\n-----END DSA PRIVATE KEY-----\n",
	"\xef\xbb\xbf-----BEGIN CERTIFICATE-----\r\nMIIB\r\n-----END CERTIFICATE-----\r\n",
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb0 user@host",
	"eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UifQ.",
	"\x00\x01\x02\xff\xfe",
	`{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"a"},{"kty":"RSA","n":"AQAB","e":"AQAB","kid":"bad"}]}`,
}

// noInternalError fails on errors that come from a recovered panic.
func noInternalError(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), "internal error") {
		t.Fatalf("panic recovered: %v", err)
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Classify(s)
		_ = k.String()
	})
}

func FuzzParseKeys(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add([]byte(s))
	}
	for _, s := range wildSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		keys, err := ParseKeys(b)
		noInternalError(t, err)
		for _, k := range keys {
			_, err := ComputeThumbprint(k)
			noInternalError(t, err)
			_, err = MarshalPublicJWK(k)
			noInternalError(t, err)
		}
	})
}

func FuzzParseKeySet(f *testing.F) {
	for _, s := range append(hostileSeeds, keysetWildSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, err := ParseKeySet(b)
		noInternalError(t, err)
		ws := NewWorkspace()
		_, err = ws.Add("fuzz", ps.Keys...)
		noInternalError(t, err)
		_ = ws.Lint(time.Now())
		out, _, err := ExportPublicJWKS(ws.Keys())
		noInternalError(t, err)
		publicOnly(t, out)
	})
}

func FuzzLoadState(f *testing.F) {
	ws := NewWorkspace()
	g, _ := Generate(Spec{Kty: KtyEC})
	_, _ = ws.Add("seed", g.Private)
	state, _ := ws.MarshalState()
	f.Add(state)
	f.Add(state[:len(state)/2]) // truncated
	for _, s := range hostileSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		w := NewWorkspace()
		_, _, err := w.LoadState(b)
		noInternalError(t, err)
		for _, e := range w.Entries() {
			if IsPrivate(e.Key) {
				t.Fatal("a loaded workspace holds private material")
			}
		}
	})
}

// FuzzParse drives the PEM / JWK tab's reader with a passphrase, seeded with
// every real fixture (encrypted PKCS#8 with PBKDF2 and scrypt, legacy
// Proc-Type, encrypted OpenSSH, DER, certificates) so the fuzzer mutates
// real ASN.1 and OpenSSH structures, not only text.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"parse", "wild"} { // wild: keys as other tools write them (reader_wild_test.go)
		entries, err := os.ReadDir(filepath.Join("testdata", dir))
		if err != nil {
			f.Fatal(err)
		}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join("testdata", dir, e.Name()))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b, "correct-horse")
			f.Add(b, "")
		}
	}
	for _, s := range hostileSeeds {
		f.Add([]byte(s), "x")
	}
	for _, s := range wildSeeds(f) {
		f.Add(s, "")
	}
	addHostileKDFSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte, pass string) {
		res, err := Parse(b, ParseOptions{Passphrase: []byte(pass), work: fuzzDeriveBudget()})
		noInternalError(t, err)
		if err != nil {
			return
		}
		for _, k := range res.Keys() {
			_, err := ComputeThumbprint(k)
			noInternalError(t, err)
			_, err = MarshalPublicJWK(k)
			noInternalError(t, err)
		}
	})
}
