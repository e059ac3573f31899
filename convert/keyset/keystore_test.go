package keyset

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// Issue 19: the encrypted private keystore (RFC 7516 JWE, RFC 7518 §4.8
// PBES2) of the workspace.

var ksPass = []byte("keystore test passphrase, long enough")

// privateWorkspace holds an EC and an Ed25519 private key, an oct secret
// and a public-only key.
func privateWorkspace(t *testing.T) *Workspace {
	t.Helper()
	ws := NewWorkspace()
	for _, s := range []keys.Spec{{Kty: keys.KtyEC}, {Kty: keys.KtyOKP, Crv: keys.CrvEd25519}, {Kty: keys.KtyOct}} {
		g, err := keys.Generate(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ws.Add("generated", g.Private); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ws.Add("pasted", storeWorkspace(t, 1).Keys()...); err != nil {
		t.Fatal(err)
	}
	return ws
}

func protectedOf(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("the keystore is not a JSON JWE: %v", err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(m["protected"].(string))
	var h map[string]any
	_ = json.Unmarshal(raw, &h)
	return h
}

func sameKeys(t *testing.T, got, want []jwk.Key) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d keys, want %d", len(got), len(want))
	}
	for i := range got {
		if !jwk.Equal(got[i], want[i]) || !keys.IsPrivate(got[i]) {
			t.Errorf("key %d differs or is not private", i+1)
		}
	}
}

// Enable writes one JWE (PBES2-HS512+A256KW, p2c 600,000, A256GCM, cty
// jwk-set+json) of the private keys only, mode 0600, no plaintext and no
// temporary file left; Unlock with the passphrase gives the keys back.
func TestKeystoreRoundTripRFC7518_4_8(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keystore.jwe.json")
	ws := privateWorkspace(t)
	ks := NewKeystore(path, nil)
	if err := ks.Enable(ksPass, ws); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := protectedOf(t, data)
	if h["alg"] != "PBES2-HS512+A256KW" || h["enc"] != "A256GCM" || h["p2c"] != float64(600000) || h["cty"] != "jwk-set+json" {
		t.Errorf("header %v", h)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	if bytes.Contains(data, []byte(`"d"`)) || bytes.Contains(data, []byte(`"k"`)) {
		t.Error("plaintext private members in the keystore")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files left: %v", ents)
	}
	got, notes, err := NewKeystore(path, nil).Unlock(context.Background(), ksPass)
	if err != nil || len(notes) != 0 {
		t.Fatalf("unlock: %v %v", err, notes)
	}
	sameKeys(t, got, ws.Private())
	// Unlocked keys upgrade the public entries of a restarted workspace
	// (the public state file) and bring back the oct secret.
	st := NewStore(filepath.Join(dir, "state.json"), nil)
	if err := st.Write(ws); err != nil {
		t.Fatal(err)
	}
	l, _ := st.Load()
	res, err := l.Workspace.Add("keystore", got...)
	if err != nil || res.Upgraded != 2 || res.Added != 1 || len(l.Workspace.Private()) != 3 {
		t.Errorf("after unlock: %+v %v, %d private", res, err, len(l.Workspace.Private()))
	}
}

// What each kind of file does on Unlock: a wrong passphrase leaves it byte
// for byte; a file no passphrase opens is moved aside and said; the
// workspace is never written over.
func TestKeystoreUnlockRefusals(t *testing.T) {
	good := func(t *testing.T, path string) {
		if err := NewKeystore(path, nil).Enable(ksPass, privateWorkspace(t)); err != nil {
			t.Fatal(err)
		}
	}
	edit := func(part string, change func([]byte) []byte) func(*testing.T, string) {
		return func(t *testing.T, path string) {
			good(t, path)
			data, _ := os.ReadFile(path)
			var m map[string]any
			_ = json.Unmarshal(data, &m)
			b, _ := base64.RawURLEncoding.DecodeString(m[part].(string))
			m[part] = base64.RawURLEncoding.EncodeToString(change(b))
			out, _ := json.Marshal(m)
			_ = os.WriteFile(path, out, 0o600)
		}
	}
	flip := func(b []byte) []byte { b[0] ^= 1; return b }
	plaintext := func(t *testing.T, path string) {
		out, _ := privateJWKS(privateWorkspace(t).Private())
		_ = os.WriteFile(path, out, 0o600)
	}
	cases := []struct {
		name   string
		make   func(*testing.T, string)
		pass   []byte
		kind   error // keys.ErrWrongPassphrase/ErrNeedsPassphrase: the file stays; nil: moved aside
		damage string
	}{
		{"RFC3394_2.2.3/wrong passphrase", good, []byte("not the passphrase"), keys.ErrWrongPassphrase, ""},
		{"RFC7518_4.8/no passphrase", good, nil, keys.ErrNeedsPassphrase, ""},
		{"RFC7516_5.2/damaged tag", edit("tag", flip), ksPass, nil, "damaged"},
		{"RFC7516_5.2/damaged ciphertext", edit("ciphertext", flip), ksPass, nil, "damaged"},
		{"RFC7518_4.8.1.2/p2c over the cap", edit("protected", func([]byte) []byte {
			return []byte(`{"alg":"PBES2-HS512+A256KW","enc":"A256GCM","cty":"jwk-set+json","p2s":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","p2c":20000000}`)
		}), ksPass, nil, "over the cap"},
		{"RFC7516_7.2/a plaintext JWKS", plaintext, ksPass, nil, "not a passphrase-encrypted JWK Set"},
		{"RFC7516_7.2/not JSON", func(t *testing.T, p string) { _ = os.WriteFile(p, []byte("garbage"), 0o600) }, ksPass, nil, "not a passphrase-encrypted JWK Set"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keystore.jwe.json")
			c.make(t, path)
			before, _ := os.ReadFile(path)
			ks := NewKeystore(path, nil)
			_, _, err := ks.Unlock(context.Background(), c.pass)
			after, readErr := os.ReadFile(path)
			if c.kind != nil {
				if !errors.Is(err, c.kind) || readErr != nil || !bytes.Equal(before, after) || ks.Unlocked() {
					t.Fatalf("err %v; file changed %v (%v); unlocked %v", err, !bytes.Equal(before, after), readErr, ks.Unlocked())
				}
				ks.Save(privateWorkspace(t)) // locked: never writes
				ks.Wait()
				if err := ks.Enable(ksPass, NewWorkspace()); err == nil {
					t.Error("Enable wrote over a keystore it did not unlock")
				}
				if now, _ := os.ReadFile(path); !bytes.Equal(before, now) {
					t.Error("a locked keystore wrote its file")
				}
				return
			}
			var dmg *DamagedKeystoreError
			if !errors.As(err, &dmg) || !strings.Contains(err.Error(), c.damage) || readErr == nil {
				t.Fatalf("err %v (file still there: %v)", err, readErr == nil)
			}
			if moved, _ := os.ReadFile(dmg.MovedTo); !bytes.Equal(moved, before) {
				t.Error("the damaged keystore was not moved aside intact")
			}
		})
	}
}

// Saves are written in the background, coalesced, only when the private
// keys changed, and never once forgotten.
func TestKeystoreSaves(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keystore.jwe.json")
	ks := NewKeystore(path, nil)
	var mu sync.Mutex
	writes := 0
	entered, release := make(chan struct{}, 16), make(chan struct{})
	ks.write = func(p string, data []byte) error {
		mu.Lock()
		writes++
		n := writes
		mu.Unlock()
		if n == 2 {
			entered <- struct{}{}
			<-release
		}
		return writeState(p, data)
	}
	ws := privateWorkspace(t)
	if err := ks.Enable(ksPass, ws); err != nil { // write 1
		t.Fatal(err)
	}
	ks.Save(ws) // unchanged: no write
	ks.Wait()
	_ = ws.SetNote(0, NoteNext) // a note is not in the keystore: no write
	ks.Save(ws)
	ks.Wait()
	if writes != 1 {
		t.Fatalf("%d writes for unchanged private keys, want 1", writes)
	}
	more := privateWorkspace(t)
	_, _ = ws.Add("generated", more.Keys()[0])
	ks.Save(ws) // write 2, held
	<-entered
	for _, k := range more.Keys()[1:3] {
		_, _ = ws.Add("generated", k)
		ks.Save(ws)
	}
	close(release)
	ks.Wait()
	if writes != 3 {
		t.Fatalf("%d writes, want 3 (the first, the held one, the newest)", writes)
	}
	got, _, err := NewKeystore(path, nil).Unlock(context.Background(), ksPass)
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, got, ws.Private())
	// Change the passphrase: the old one no longer opens it.
	if err := ks.Enable([]byte("the new passphrase of the keystore"), ws); err != nil {
		t.Fatal(err)
	}
	if _, _, err := NewKeystore(path, nil).Unlock(context.Background(), ksPass); !errors.Is(err, keys.ErrWrongPassphrase) {
		t.Errorf("the old passphrase after a change: %v", err)
	}
	// Forget deletes it; later saves write nothing.
	if err := ks.Forget(); err != nil {
		t.Fatal(err)
	}
	_ = ws.Remove(0)
	ks.Save(ws)
	ks.Wait()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) || ks.Unlocked() {
		t.Errorf("after Forget: %v, unlocked %v", err, ks.Unlocked())
	}
}

// p2c is configurable upwards only (RFC 7518 §4.8.1.2; OWASP's 600,000).
func TestKeystoreCountRFC7518_4_8_1_2(t *testing.T) {
	ks := NewKeystore(filepath.Join(t.TempDir(), "k"), nil)
	for _, n := range []int64{0, 100_000, encjwk.WriteFloor - 1, encjwk.ReadCap + 1} {
		if err := ks.SetCount(n); err == nil {
			t.Errorf("p2c %d accepted", n)
		}
	}
	if err := ks.SetCount(700_000); err != nil {
		t.Fatal(err)
	}
	if err := ks.Enable(ksPass, privateWorkspace(t)); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(ks.Path())
	if h := protectedOf(t, data); h["p2c"] != float64(700_000) {
		t.Errorf("p2c %v", h["p2c"])
	}
}

// A Store with an attached keystore saves both on every Save: the public
// state file stays public, the keystore gets the private keys.
func TestStoreSavesItsKeystore(t *testing.T) {
	dir := t.TempDir()
	st := NewStore(filepath.Join(dir, "state.json"), nil)
	ks := NewKeystore(filepath.Join(dir, "keystore.json"), nil)
	st.AttachKeystore(ks)
	ws := NewWorkspace()
	st.Adopt(ws, Loaded{})
	if err := ks.Enable(ksPass, ws); err != nil {
		t.Fatal(err)
	}
	_, _ = ws.Add("generated", privateWorkspace(t).Keys()...)
	st.Save(ws)
	st.Wait()
	ks.Wait()
	got, _, err := NewKeystore(ks.Path(), nil).Unlock(context.Background(), ksPass)
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, got, ws.Private())
	state, _ := os.ReadFile(st.Path())
	checkNoPrivate(t, "the state file", state, "a save")
}

// A workspace without private keys is kept as an empty set (RFC 7517 §5:
// "keys" may be empty): the keystore stays on and unlocks to no keys.
func TestKeystoreEmptySetRFC7517_5(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keystore.jwe.json")
	if err := NewKeystore(path, nil).Enable(ksPass, storeWorkspace(t, 1)); err != nil {
		t.Fatal(err)
	}
	ks := NewKeystore(path, nil)
	got, notes, err := ks.Unlock(context.Background(), ksPass)
	if err != nil || len(got) != 0 || len(notes) != 0 || !ks.Unlocked() {
		t.Fatalf("%d keys, %v, %v", len(got), notes, err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Error("an empty keystore was moved aside")
	}
}
