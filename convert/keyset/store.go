package keyset

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/words"
)

// Store keeps the public part of a workspace in a file between runs (see
// Workspace.MarshalState: public keys and their notes, never a private
// member or an oct secret). It reads the file at start, moving a damaged
// one aside (never deleting it), and saves every change in the background:
// coalesced (a burst of changes is at most two writes: the one under way
// and the newest), atomically and with mode 0600. Saving begins only once
// what was read has been adopted into the workspace, so a file that could
// not be read is never overwritten. A Store is safe for concurrent use; Save
// and Adopt are called on the goroutine that owns the workspace.
type Store struct {
	path    string
	onError func(error)
	now     func() time.Time
	// write writes a marshalled state (tests hold it to watch the
	// coalescing).
	write func(path string, data []byte) error

	// keystore, when attached, keeps the private keys (encrypted) and is
	// saved with every Save.
	keystore *Keystore

	mu      sync.Mutex
	adopted bool
	pending *Workspace    // the newest snapshot the writer has not taken yet
	idle    chan struct{} // closed when the writer stops; nil when no writer runs
}

// NewStore returns the store of the file at path; "" keeps nothing (nothing
// is read, Save does nothing). onError, when set, hears of a background save
// that failed, on the saving goroutine.
func NewStore(path string, onError func(error)) *Store {
	return &Store{path: path, onError: onError, now: time.Now, write: writeState}
}

func writeState(path string, data []byte) error { return WriteFileAtomic(path, data, 0o600) }

// AttachKeystore makes k the store's private keystore: every Save saves it
// too (it writes only when unlocked). Call it before the first Save.
func (s *Store) AttachKeystore(k *Keystore) { s.keystore = k }

// Keystore is the attached private keystore (nil: none).
func (s *Store) Keystore() *Keystore { return s.keystore }

// Path is the file the store keeps ("" for none).
func (s *Store) Path() string { return s.path }

// Loaded is what Load read from the file.
type Loaded struct {
	Workspace *Workspace    // the keys read, in order (empty when there were none)
	Bad       []keys.BadKey // keys of the file that could not be read; the others were
	// Quarantined is set when the file was damaged: it was moved aside and
	// the workspace starts empty.
	Quarantined *CorruptStateError
}

// CorruptStateError says the saved workspace could not be read and where the
// damaged file was moved, so the app can start empty and tell the user.
type CorruptStateError struct {
	Err     error
	MovedTo string
}

func (e *CorruptStateError) Error() string {
	return fmt.Sprintf("the saved key set was damaged (%v); it was moved to %s and the workspace starts empty", e.Err, e.MovedTo)
}

func (e *CorruptStateError) Unwrap() error { return e.Err }

// Load reads the saved workspace, through the capped reader: a missing file
// is an empty workspace; a damaged, truncated or unknown-version file is
// moved aside as <path>.corrupt-<UTC timestamp> (Loaded.Quarantined). An
// error means the file could not be read (over its cap, unreadable) or not
// moved aside: it is left as it is, and the store never saves over it.
func (s *Store) Load() (Loaded, error) {
	l := Loaded{Workspace: NewWorkspace()}
	if s.path == "" {
		return l, nil
	}
	data, err := input.ReadFileCapped(s.path, input.MaxStateFile, "the file")
	switch {
	case errors.Is(err, os.ErrNotExist):
		return l, nil
	case err != nil:
		return Loaded{}, fmt.Errorf("failed to read the saved workspace: %w", err)
	}
	if _, l.Bad, err = l.Workspace.LoadState(data); err == nil {
		return l, nil
	}
	aside := s.path + ".corrupt-" + s.now().UTC().Format("20060102T150405Z")
	if mvErr := os.Rename(s.path, aside); mvErr != nil {
		return Loaded{}, fmt.Errorf("the saved key set is damaged (%v) and could not be moved aside: %w", err, mvErr)
	}
	return Loaded{Workspace: NewWorkspace(), Quarantined: &CorruptStateError{Err: err, MovedTo: aside}}, nil
}

// Adopt puts what Load read ahead of ws's own keys (Workspace.MergeFront)
// and begins saving: from now on every Save writes. It returns how many of
// the loaded keys were new to ws.
func (s *Store) Adopt(ws *Workspace, l Loaded) int {
	added := 0
	if l.Workspace != nil {
		added = ws.MergeFront(l.Workspace)
	}
	s.mu.Lock()
	s.adopted = true
	s.mu.Unlock()
	return added
}

// Save writes the public part of ws in the background: a snapshot is taken
// now (Workspace.Clone), written by one saving goroutine, and a snapshot
// that a newer one replaces before it is written is never written. Before
// Adopt, or without a file, it does nothing.
func (s *Store) Save(ws *Workspace) {
	if s.keystore != nil {
		s.keystore.Save(ws) // writes only when unlocked and the private keys changed
	}
	if s.path == "" {
		return
	}
	snap := ws.Clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.adopted {
		return
	}
	s.pending = snap
	if s.idle == nil {
		s.idle = make(chan struct{})
		go s.run(s.idle)
	}
}

// run writes the newest snapshot until none is left.
func (s *Store) run(idle chan struct{}) {
	for {
		s.mu.Lock()
		snap := s.pending
		s.pending = nil
		if snap == nil {
			s.idle = nil
			close(idle)
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		if err := s.Write(snap); err != nil && s.onError != nil {
			s.onError(err)
		}
	}
}

// Wait returns once the saves queued before it are written (or failed).
func (s *Store) Wait() {
	s.mu.Lock()
	idle := s.idle
	s.mu.Unlock()
	if idle != nil {
		<-idle
	}
}

// Write writes the public part of ws to the file now, on the calling
// goroutine, atomically and with mode 0600. A workspace over the cap of a
// saved workspace is refused and the file left as it is: a saved workspace
// always loads.
func (s *Store) Write(ws *Workspace) error {
	data, err := ws.MarshalState()
	if err != nil {
		return err
	}
	if len(data) > input.MaxStateFile {
		return fmt.Errorf("the workspace takes %s saved, over the %s limit for a saved workspace (it could not be read back): remove keys; the file on disk is unchanged", words.Size(int64(len(data))), words.Size(input.MaxStateFile))
	}
	return s.write(s.path, data)
}
