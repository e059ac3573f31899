package keys

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
)

func FuzzParseKeys(f *testing.F) {
	for _, s := range testkit.HostileSeeds {
		f.Add([]byte(s))
	}
	for _, s := range wildSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		keys, err := ParseKeys(b)
		testkit.NoInternalError(t, err)
		for _, k := range keys {
			_, err := ComputeThumbprint(k)
			testkit.NoInternalError(t, err)
			_, err = MarshalPublicJWK(k)
			testkit.NoInternalError(t, err)
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
	for _, s := range testkit.HostileSeeds {
		f.Add([]byte(s), "x")
	}
	for _, s := range wildSeeds(f) {
		f.Add(s, "")
	}
	addHostileKDFSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte, pass string) {
		res, err := Parse(b, ParseOptions{Passphrase: []byte(pass), work: fuzzDeriveBudget()})
		testkit.NoInternalError(t, err)
		if err != nil {
			return
		}
		for _, k := range res.Keys() {
			_, err := ComputeThumbprint(k)
			testkit.NoInternalError(t, err)
			_, err = MarshalPublicJWK(k)
			testkit.NoInternalError(t, err)
		}
	})
}
