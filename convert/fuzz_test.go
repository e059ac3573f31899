package convert

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
)

// noInternalError fails on errors that come from a recovered panic.
func noInternalError(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), "internal error") {
		t.Fatalf("panic recovered: %v", err)
	}
}

func FuzzParseKeys(f *testing.F) {
	for _, s := range testkit.HostileSeeds {
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
	for _, s := range append(testkit.HostileSeeds, keysetWildSeeds...) {
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
	for _, s := range testkit.HostileSeeds {
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
	for _, s := range testkit.HostileSeeds {
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
