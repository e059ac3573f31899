package input

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/jwkdesk/jwkdesk/convert/words"
)

// The size caps, one per kind of input (DESIGN.md: "Cap input sizes"). Every
// file, standard input and paste the CLI and the UI read goes through
// ReadCapped (or ReadFileCapped) with one of them, and the engine refuses a
// larger input too, so a hostile file (or /dev/zero) costs at most its cap.
const (
	// MaxPassphrase caps a passphrase and a passphrase file: one line.
	MaxPassphrase = 4 << 10
	// MaxTokenSize caps a token (real JWTs are a few KiB).
	MaxTokenSize = 64 << 10
	// MaxKeyInput caps a key, a certificate bundle and a JWKS: pasted,
	// opened, dropped, piped or fetched.
	MaxKeyInput = 1 << 20
	// MaxStateFile caps the saved workspace. It is more than MaxKeyInput:
	// the workspace gathers keys from several inputs, and 10,000 RSA 4096
	// public keys with their sources take ~9 MiB. keyset.Store refuses to write
	// more, so a saved workspace always loads.
	MaxStateFile = 16 << 20
	// MaxSetKeys caps the keys read from one JWKS: more is refused, not cut.
	MaxSetKeys = 10000
)

// ErrTooLarge is what errors.Is finds in a TooLargeError.
var ErrTooLarge = errors.New("the input is over its size limit")

// ErrPassphraseTooLong is Parse's error for a passphrase over MaxPassphrase.
var ErrPassphraseTooLong error = &TooLargeError{What: "the passphrase", Limit: MaxPassphrase, Advice: ": a passphrase is one line of text"}

// TooLargeError says an input is over its cap and what to do.
type TooLargeError struct {
	What   string // "the passphrase file", "key.pem", "standard input"
	Limit  int64
	Advice string // what to do; "" for the cap's own advice
}

func (e *TooLargeError) Error() string {
	advice := e.Advice
	if advice == "" {
		advice = capAdvice(e.Limit)
	}
	return fmt.Sprintf("%s is over %s%s", e.What, words.Size(e.Limit), advice)
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

func capAdvice(limit int64) string {
	switch limit {
	case MaxPassphrase:
		return ": a passphrase file holds the passphrase on its first line"
	case MaxTokenSize:
		return ", the limit for a token: give the token alone"
	case MaxKeyInput:
		return ", the limit for keys, certificates and key sets: give one key, bundle or set at a time"
	case MaxStateFile:
		return ", the limit for a saved workspace"
	}
	return ""
}

// ReadCapped reads r to its end, at most limit bytes: one more and it stops
// reading and returns a *TooLargeError naming what (the file, "standard
// input", …). It never reads more than limit+1 bytes.
func ReadCapped(r io.Reader, limit int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("failed to read %s: %w", what, err)
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{What: what, Limit: limit}
	}
	return b, nil
}

// ReadFileCapped is ReadCapped over the file at path, named what in errors
// ("" names it by its path). A missing file's error wraps os.ErrNotExist.
func ReadFileCapped(path string, limit int64, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if what == "" {
		what = path
	}
	return ReadCapped(f, limit, what)
}
