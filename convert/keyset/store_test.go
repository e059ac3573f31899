package keyset

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// storeWorkspace is a workspace of n public EC keys and one private one.
func storeWorkspace(t *testing.T, n int) *Workspace {
	t.Helper()
	ws := NewWorkspace()
	for range n {
		g, err := keys.Generate(keys.Spec{Kty: keys.KtyEC})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ws.Add("test", g.Public); err != nil {
			t.Fatal(err)
		}
	}
	return ws
}

// Load reads what Write wrote; a missing file is an empty workspace; a file
// that is not a saved workspace is moved aside, never deleted; a file that
// cannot be read at all is left where it is, and the error says why.
func TestStoreLoad(t *testing.T) {
	saved := func(t *testing.T, path string) {
		if err := NewStore(path, nil).Write(storeWorkspace(t, 2)); err != nil {
			t.Fatal(err)
		}
	}
	writeFile := func(content []byte) func(*testing.T, string) {
		return func(t *testing.T, path string) {
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	cases := []struct {
		name        string
		file        func(t *testing.T, path string) // nil: no file
		keys, bad   int
		quarantined string // a word of the reason; "" = not moved
		err         string // "" = read
	}{
		{"no file yet", nil, 0, 0, "", ""},
		{"a saved workspace", saved, 2, 0, "", ""},
		{"a hand-edited key that cannot be read (RFC 7517 §5: the others still load)", writeFile([]byte(`{"version":1,"keys":[{"jwk":{"kty":"EC","kid":"bad"}}]}`)), 0, 1, "", ""},
		{"truncated", writeFile([]byte(`{"version":1,"keys":[{"jwk":{"kty":"EC","crv":"P-2`)), 0, 0, "not valid JSON", ""},
		{"a later version", writeFile([]byte(`{"version":2,"keys":[]}`)), 0, 0, "version 2", ""},
		{"not JSON at all", writeFile([]byte("\x00\x01binary")), 0, 0, "not valid JSON", ""},
		{"over the cap of a saved workspace", writeFile(append([]byte(`{"version":1,"keys":[]}`), bytes.Repeat([]byte(" "), input.MaxStateFile)...)), 0, 0, "",
			"failed to read the saved workspace: the file is over 16 MiB, the limit for a saved workspace"},
		{"a folder where the file should be", func(t *testing.T, path string) { _ = os.Mkdir(path, 0o700) }, 0, 0, "", "failed to read the saved workspace"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "jwks-workspace.json")
			if c.file != nil {
				c.file(t, path)
			}
			s := NewStore(path, nil)
			s.now = func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }
			l, err := s.Load()
			if c.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), c.err) {
					t.Fatalf("err %v, want %q", err, c.err)
				}
				if _, serr := os.Stat(path); serr != nil {
					t.Errorf("the file was moved: %v", serr)
				}
				return
			}
			if err != nil || l.Workspace.Len() != c.keys || len(l.Bad) != c.bad {
				t.Fatalf("%d keys, %d bad, %v", l.Workspace.Len(), len(l.Bad), err)
			}
			if c.quarantined == "" {
				if l.Quarantined != nil {
					t.Fatalf("quarantined: %v", l.Quarantined)
				}
				return
			}
			aside := path + ".corrupt-20261123T120000Z"
			if l.Quarantined == nil || l.Quarantined.MovedTo != aside || !strings.Contains(l.Quarantined.Error(), c.quarantined) ||
				!strings.HasPrefix(l.Quarantined.Error(), "the saved key set was damaged (") {
				t.Fatalf("quarantine %v", l.Quarantined)
			}
			if _, err := os.Stat(aside); err != nil {
				t.Errorf("the damaged file is not kept: %v", err)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the damaged file is still in place: %v", err)
			}
		})
	}
}

// Saving begins once the loaded keys are in the workspace (Adopt): a file
// that was not read is never overwritten. What is written is public only,
// mode 0600, through a temporary file and a rename (a new file, never a
// half-written one).
func TestStoreSavesOnceAdopted(t *testing.T) {
	cases := []struct {
		name    string
		adopt   bool
		path    func(dir string) string
		written bool
	}{
		{"not adopted: nothing written", false, func(dir string) string { return filepath.Join(dir, "w.json") }, false},
		{"adopted: written", true, func(dir string) string { return filepath.Join(dir, "w.json") }, true},
		{"no file to keep: nothing written", true, func(string) string { return "" }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := c.path(dir)
			old := filepath.Join(dir, "w.json")
			if err := os.WriteFile(old, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			before, _ := os.Stat(old)
			s := NewStore(path, nil)
			ws := storeWorkspace(t, 1)
			g, _ := keys.Generate(keys.Spec{Kty: keys.KtyOct})
			priv, _ := keys.Generate(keys.Spec{Kty: keys.KtyOKP})
			_, _ = ws.Add("test", g.Private, priv.Private)
			if c.adopt {
				s.Adopt(ws, Loaded{})
			}
			s.Save(ws)
			s.Wait()
			data, _ := os.ReadFile(old)
			if !c.written {
				if string(data) != "old" {
					t.Fatalf("written:\n%s", data)
				}
				return
			}
			after, _ := os.Stat(old)
			if after.Mode().Perm() != 0o600 || os.SameFile(before, after) {
				t.Errorf("mode %o, same file %v: want 0600 through a new file", after.Mode().Perm(), os.SameFile(before, after))
			}
			for _, m := range []string{`"d":`, `"k":`} {
				if strings.Contains(string(data), m) {
					t.Errorf("saved %s:\n%s", m, data)
				}
			}
			l, err := NewStore(old, nil).Load()
			if err != nil || l.Workspace.Len() != 2 { // the EC key and the OKP key's public half
				t.Errorf("read back %d keys, %v", l.Workspace.Len(), err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("files left beside it: %v", entries)
			}
		})
	}
}

// A burst of changes while a save is under way is one more write, of the
// newest workspace: never one write per change, never an older state last.
func TestStoreCoalescesSaves(t *testing.T) {
	for _, burst := range []int{1, 2, 10} {
		t.Run(strings.Repeat("change ", burst), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.json")
			s := NewStore(path, nil)
			entered, release := make(chan struct{}, 16), make(chan struct{})
			var mu sync.Mutex
			var written [][]byte
			s.write = func(p string, data []byte) error {
				entered <- struct{}{}
				<-release
				mu.Lock()
				written = append(written, data)
				mu.Unlock()
				return writeState(p, data)
			}
			ws := NewWorkspace()
			s.Adopt(ws, Loaded{})
			more := storeWorkspace(t, burst+1)
			_, _ = ws.Add("test", more.Keys()[0])
			s.Save(ws) // the first save: the writer takes it and waits in write
			<-entered
			for _, k := range more.Keys()[1:] {
				_, _ = ws.Add("test", k)
				s.Save(ws)
			}
			close(release)
			s.Wait()
			if len(written) != 2 {
				t.Fatalf("%d writes for 1 + %d saves, want 2", len(written), burst)
			}
			l, err := NewStore(path, nil).Load()
			if err != nil || l.Workspace.Len() != burst+1 {
				t.Errorf("the file holds %d keys, want the newest state's %d (%v)", l.Workspace.Len(), burst+1, err)
			}
		})
	}
}

// A save that fails is reported (the window says it on its status line)
// and the store goes on: the next save is written.
func TestStoreReportsAFailedSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "gone", "w.json")
	var mu sync.Mutex
	var errs []error
	s := NewStore(path, func(err error) { mu.Lock(); errs = append(errs, err); mu.Unlock() })
	ws := storeWorkspace(t, 1)
	s.Adopt(ws, Loaded{})
	s.Save(ws)
	s.Wait()
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "failed to create a temporary file") {
		t.Fatalf("errors %v", errs)
	}
	if err := os.Mkdir(filepath.Join(dir, "gone"), 0o700); err != nil {
		t.Fatal(err)
	}
	s.Save(ws)
	s.Wait()
	if _, err := os.Stat(path); err != nil || len(errs) != 1 {
		t.Errorf("not saved after the folder came back: %v %v", err, errs)
	}
}

// Adopt puts the loaded keys first, keeping the workspace's own entry (it
// may hold the private key) where both have a key.
func TestStoreAdoptMergesFront(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.json")
	saved := storeWorkspace(t, 2)
	if err := NewStore(path, nil).Write(saved); err != nil {
		t.Fatal(err)
	}
	l, err := NewStore(path, nil).Load()
	if err != nil {
		t.Fatal(err)
	}
	ws := storeWorkspace(t, 1)
	if added := NewStore(path, nil).Adopt(ws, l); added != 2 || ws.Len() != 3 || ws.Entries()[0].Thumbprint != saved.Entries()[0].Thumbprint {
		t.Errorf("added %d, %d keys", added, ws.Len())
	}
}
