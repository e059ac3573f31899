package input

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// ReadCapped reads at most limit+1 bytes whatever the source holds, and the
// error names the input, its cap and what to do.
func TestReadCapped(t *testing.T) {
	cases := []struct {
		name  string
		r     io.Reader
		limit int64
		what  string
		want  string // "" = read whole
	}{
		{"empty", strings.NewReader(""), MaxPassphrase, "the passphrase file", ""},
		{"at the passphrase cap", strings.NewReader(strings.Repeat("a", MaxPassphrase)), MaxPassphrase, "the passphrase file", ""},
		{"one over the passphrase cap", strings.NewReader(strings.Repeat("a", MaxPassphrase+1)), MaxPassphrase, "the passphrase file", "the passphrase file is over 4 KiB: a passphrase file holds the passphrase on its first line"},
		{"endless zeros as a passphrase (/dev/zero)", zeros{}, MaxPassphrase, "the passphrase file", "the passphrase file is over 4 KiB"},
		{"endless zeros as a token", zeros{}, MaxTokenSize, "standard input", "standard input is over 64 KiB, the limit for a token: give the token alone"},
		{"endless zeros as a key", zeros{}, MaxKeyInput, "key.pem", "key.pem is over 1 MiB, the limit for keys, certificates and key sets: give one key, bundle or set at a time"},
		{"at the key cap", bytes.NewReader(make([]byte, MaxKeyInput)), MaxKeyInput, "key.pem", ""},
		{"endless zeros as a saved workspace", zeros{}, MaxStateFile, "the file", "the file is over 16 MiB, the limit for a saved workspace"},
		{"a failing reader", failing{}, MaxKeyInput, "key.pem", "failed to read key.pem: disk on fire"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cr := &countingReader{r: c.r}
			b, err := ReadCapped(cr, c.limit, c.what)
			if cr.n > c.limit+1 {
				t.Errorf("read %d bytes for a cap of %d", cr.n, c.limit)
			}
			if c.want == "" {
				if err != nil || int64(len(b)) != cr.n {
					t.Fatalf("%v (%d bytes)", err, len(b))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
			if strings.Contains(c.name, "zeros") && !errors.Is(err, ErrTooLarge) {
				t.Error("not errors.Is ErrTooLarge")
			}
		})
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
