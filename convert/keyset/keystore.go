package keyset

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// Keystore keeps the private keys of a workspace between runs, encrypted
// with a passphrase: one JWE of the workspace's private JWK Set
// (PBES2-HS512+A256KW, p2c 600,000 or more, A256GCM, cty jwk-set+json, the
// form step writes and node jose reads), mode 0600, written through a
// temporary file in the same folder and a rename. The public state file
// (Store) is unchanged by it.
//
// The passphrase lives in the Keystore's memory only, from Unlock or Enable
// to Forget (or the end of the process); it is never written anywhere. A
// Keystore writes only while it holds a passphrase: a locked keystore (no
// Unlock yet, a wrong passphrase, "open without private keys") never
// overwrites, moves or deletes its file. Save rewrites the file in the
// background when the private keys changed, coalesced as Store's saves are.
// A Keystore is safe for concurrent use.
type Keystore struct {
	path    string
	onError func(error)
	now     func() time.Time
	write   func(path string, data []byte) error // tests hold it

	wmu     sync.Mutex // held while the file is written or deleted
	mu      sync.Mutex
	pass    []byte   // nil: locked or off
	count   int64    // p2c of the next write
	written [32]byte // SHA-256 of the plaintext last written (memory only)
	pending *Workspace
	idle    chan struct{}
}

// ErrKeystoreLocked is Write's error while the keystore has no passphrase.
var ErrKeystoreLocked = errors.New("the keystore is locked: unlock it or turn it on with a passphrase first")

// DamagedKeystoreError says the keystore could not be read whatever the
// passphrase, and where the damaged file was moved: the workspace opens
// without private keys and the user is told.
type DamagedKeystoreError struct {
	Err     error
	MovedTo string
}

func (e *DamagedKeystoreError) Error() string {
	return fmt.Sprintf("the private keystore was damaged (%v); it was moved to %s and the workspace opens without private keys", e.Err, e.MovedTo)
}

func (e *DamagedKeystoreError) Unwrap() error { return e.Err }

// NewKeystore returns the keystore of the file at path ("" keeps nothing).
// onError, when set, hears of a background write that failed.
func NewKeystore(path string, onError func(error)) *Keystore {
	return &Keystore{path: path, onError: onError, now: time.Now, write: writeState, count: encjwk.WriteFloor}
}

// Path is the keystore's file.
func (k *Keystore) Path() string { return k.path }

// Exists says whether the keystore file is there (to unlock at start).
func (k *Keystore) Exists() bool {
	if k.path == "" {
		return false
	}
	_, err := os.Stat(k.path)
	return err == nil
}

// Unlocked says whether the keystore holds a passphrase (it is on and
// writes).
func (k *Keystore) Unlocked() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.pass != nil
}

// SetCount sets the p2c of the next writes: at least encjwk.WriteFloor
// (600,000), at most encjwk.ReadCap.
func (k *Keystore) SetCount(n int64) error {
	if n < encjwk.WriteFloor || n > encjwk.ReadCap {
		return fmt.Errorf("the keystore's p2c must be from %d to %d, not %d", encjwk.WriteFloor, encjwk.ReadCap, n)
	}
	k.mu.Lock()
	k.count = n
	k.mu.Unlock()
	return nil
}

// Unlock reads the keystore with pass and returns its private keys (and
// notes on keys it could not read); the keystore then keeps pass and
// writes. A wrong passphrase is keys.ErrWrongPassphrase and leaves the file
// as it is, byte for byte; a file no passphrase can read (damaged, not an
// encrypted JWK Set, a p2c out of bounds, no key readable) is moved aside
// as <path>.corrupt-<UTC timestamp> and said by a *DamagedKeystoreError. A
// file that cannot be read at all (permissions) is an error and stays. The
// derivation runs on the calling goroutine (a UI calls Unlock from a
// goroutine); ctx stops it before it starts.
func (k *Keystore) Unlock(ctx context.Context, pass []byte) ([]jwk.Key, []string, error) {
	data, err := input.ReadFileCapped(k.path, input.MaxKeyInput, "the private keystore")
	if err != nil {
		return nil, nil, fmt.Errorf("failed to read the private keystore: %w", err)
	}
	if len(pass) == 0 {
		return nil, nil, &keystorePassError{"enter the passphrase of the private keystore", keys.ErrNeedsPassphrase}
	}
	if _, ok := encjwk.Detect(data); !ok {
		return nil, nil, k.quarantine(errors.New("it is not a passphrase-encrypted JWK Set"))
	}
	plain, _, err := encjwk.Open(data, pass, encjwk.OpenOptions{Context: ctx})
	switch {
	case errors.Is(err, encjwk.ErrWrongPassphrase):
		return nil, nil, &keystorePassError{"wrong passphrase: it does not open the private keystore (the file is unchanged); try again", keys.ErrWrongPassphrase}
	case ctx != nil && ctx.Err() != nil:
		return nil, nil, ctx.Err()
	case err != nil:
		return nil, nil, k.quarantine(err)
	}
	defer clear(plain)
	ps, err := keys.ParseKeySet(plain)
	if err == nil && len(ps.Keys) == 0 && len(ps.Bad) > 0 {
		err = fmt.Errorf("none of its %d keys can be read; the first: %s", len(ps.Bad), ps.Bad[0])
	}
	if err != nil {
		return nil, nil, k.quarantine(err)
	}
	var notes []string
	for _, bad := range ps.Bad {
		notes = append(notes, "skipped "+bad.String())
	}
	k.mu.Lock()
	k.pass = append([]byte(nil), pass...)
	if again, err := privateJWKS(ps.Keys); err == nil {
		k.written = sha256.Sum256(again) // what the file holds: no rewrite until a change
		clear(again)
	}
	k.mu.Unlock()
	return ps.Keys, notes, nil
}

// keystorePassError is a needs- or wrong-passphrase error of the keystore:
// errors.Is finds keys' sentinel, the message is the keystore's.
type keystorePassError struct {
	msg  string
	kind error
}

func (e *keystorePassError) Error() string { return e.msg }
func (e *keystorePassError) Unwrap() error { return e.kind }

// quarantine moves a damaged keystore aside.
func (k *Keystore) quarantine(cause error) error {
	aside := k.path + ".corrupt-" + k.now().UTC().Format("20060102T150405Z")
	if err := os.Rename(k.path, aside); err != nil {
		return fmt.Errorf("the private keystore is damaged (%v) and could not be moved aside: %w", cause, err)
	}
	return &DamagedKeystoreError{Err: cause, MovedTo: aside}
}

// Enable turns the keystore on with a new passphrase (or changes the
// passphrase of an unlocked one) and writes ws's private keys now, on the
// calling goroutine. An existing file that was not unlocked is refused:
// Enable never writes over keys it has not read.
func (k *Keystore) Enable(pass []byte, ws *Workspace) error {
	if len(pass) == 0 {
		return errors.New("the passphrase is empty: a passphrase is needed")
	}
	if k.path == "" {
		return errors.New("there is no folder to keep the keystore in")
	}
	k.mu.Lock()
	locked := k.pass == nil
	k.mu.Unlock()
	if locked && k.Exists() {
		return errors.New("a private keystore is already there and was not unlocked: unlock it first, or forget it")
	}
	k.Wait()
	k.mu.Lock()
	old := k.pass
	k.pass = append([]byte(nil), pass...)
	k.written = [32]byte{}
	k.mu.Unlock()
	if err := k.Write(ws); err != nil {
		k.mu.Lock()
		k.pass = old
		k.mu.Unlock()
		return err
	}
	clear(old)
	return nil
}

// Forget deletes the keystore file and drops the passphrase: the private
// keys stay in the workspace's memory until the app quits.
func (k *Keystore) Forget() error {
	k.mu.Lock()
	clear(k.pass)
	k.pass, k.pending = nil, nil
	k.written = [32]byte{}
	k.mu.Unlock()
	k.Wait()
	if k.path == "" {
		return nil
	}
	k.wmu.Lock()
	defer k.wmu.Unlock()
	if err := os.Remove(k.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("failed to delete the private keystore: %w", err)
	}
	return nil
}

// Lock drops the passphrase without touching the file ("open without
// private keys"; the end of a session).
func (k *Keystore) Lock() {
	k.mu.Lock()
	clear(k.pass)
	k.pass, k.pending = nil, nil
	k.mu.Unlock()
}
