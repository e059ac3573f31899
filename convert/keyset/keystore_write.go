package keyset

import (
	"bytes"
	"crypto/sha256"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// Private returns the workspace's private keys (private halves and oct
// secrets), in order: what the keystore keeps.
func (w *Workspace) Private() []jwk.Key {
	var out []jwk.Key
	for _, e := range w.entries {
		if keys.IsPrivate(e.Key) {
			out = append(out, e.Key)
		}
	}
	return out
}

// privateJWKS is the plaintext of a keystore holding list.
func privateJWKS(list []jwk.Key) ([]byte, error) {
	if list == nil {
		list = []jwk.Key{}
	}
	return keys.ExportPrivateJWKS(list)
}

// Save rewrites the keystore in the background with ws's private keys,
// when the keystore is unlocked and they changed: a snapshot is taken now,
// one goroutine writes, and a snapshot a newer one replaces is never
// written (each write derives a key: about 1 s at p2c 600,000).
func (k *Keystore) Save(ws *Workspace) {
	if k.path == "" {
		return
	}
	snap := ws.Clone()
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.pass == nil {
		return
	}
	k.pending = snap
	if k.idle == nil {
		k.idle = make(chan struct{})
		go k.run(k.idle)
	}
}

func (k *Keystore) run(idle chan struct{}) {
	for {
		k.mu.Lock()
		snap := k.pending
		k.pending = nil
		if snap == nil {
			k.idle = nil
			close(idle)
			k.mu.Unlock()
			return
		}
		k.mu.Unlock()
		if err := k.Write(snap); err != nil && err != ErrKeystoreLocked && k.onError != nil {
			k.onError(err)
		}
	}
}

// Wait returns once the writes queued before it are done (or failed).
func (k *Keystore) Wait() {
	k.mu.Lock()
	idle := k.idle
	k.mu.Unlock()
	if idle != nil {
		<-idle
	}
}

// Write seals ws's private keys and writes the keystore now, on the calling
// goroutine, unless they are what the file already holds. A workspace
// without private keys is kept as an empty set: the keystore stays on.
func (k *Keystore) Write(ws *Workspace) error {
	plain, err := privateJWKS(ws.Private())
	if err != nil {
		return err
	}
	defer clear(plain)
	sum := sha256.Sum256(plain)
	k.wmu.Lock()
	defer k.wmu.Unlock()
	k.mu.Lock()
	pass, count, same := bytes.Clone(k.pass), k.count, sum == k.written
	k.mu.Unlock()
	defer clear(pass)
	if pass == nil {
		return ErrKeystoreLocked
	}
	if same {
		return nil
	}
	out, err := encjwk.Seal(plain, pass, encjwk.SealOptions{Count: count})
	if err != nil {
		return err
	}
	if err := k.write(k.path, out); err != nil {
		return err
	}
	k.mu.Lock()
	if bytes.Equal(pass, k.pass) { // not forgotten or changed meanwhile
		k.written = sum
	}
	k.mu.Unlock()
	return nil
}
