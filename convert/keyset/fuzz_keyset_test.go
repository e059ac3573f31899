package keyset

import (
	"testing"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/internal/testkit"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

func FuzzParseKeySet(f *testing.F) {
	for _, s := range append(testkit.HostileSeeds, keysetWildSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, err := keys.ParseKeySet(b)
		testkit.NoInternalError(t, err)
		ws := NewWorkspace()
		_, err = ws.Add("fuzz", ps.Keys...)
		testkit.NoInternalError(t, err)
		// The lint turns a panic into a finding so that the window stays
		// up; for the fuzzer that finding is the bug it looks for.
		for _, f := range ws.Lint(time.Now()).All() {
			if f.Code == LintInternal {
				t.Fatalf("the lint panicked: %s", f)
			}
		}
		out, _, err := keys.ExportPublicJWKS(ws.Keys())
		testkit.NoInternalError(t, err)
		publicOnly(t, out)
	})
}

func FuzzLoadState(f *testing.F) {
	ws := NewWorkspace()
	g, _ := keys.Generate(keys.Spec{Kty: keys.KtyEC})
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
		testkit.NoInternalError(t, err)
		for _, e := range w.Entries() {
			if keys.IsPrivate(e.Key) {
				t.Fatal("a loaded workspace holds private material")
			}
		}
	})
}
