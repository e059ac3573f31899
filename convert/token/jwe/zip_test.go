package jwe

import (
	"bytes"
	"compress/flate"
	"runtime"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwa"
)

// deflated compresses b with DEFLATE at the best ratio (a deflate bomb:
// zeros inflate about 1,000 times).
func deflated(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipToken encrypts compressed bytes as the plaintext of a zip: DEF token
// (jwx writes the header member it is given and encrypts the bytes as
// they are).
func zipToken(t testing.TB, compressed, secret []byte) string {
	t.Helper()
	return jwxEncrypt(t, compressed, "dir", "A256GCM", secret, map[string]any{"zip": jwa.Deflate()})
}

// A deflate bomb (a 54 KiB token that inflates to 40 MiB) is refused once
// inflating passes the 1 MiB cap, and deciding so allocates less than the
// cap: the plaintext is counted before any output buffer is made.
// (jwx's own cap, jwe.WithMaxDecompressBufferSize(1 MiB), allocates about
// 2.4 MiB for the same token: its buffer doubles as it grows.)
func TestInspect_zipDeflateBomb_refusedWithinTheCap_RFC7516Section4_1_3(t *testing.T) {
	secret := secretOf(32, 9)
	bomb := deflated(t, make([]byte, 40<<20))
	tok := zipToken(t, bomb, secret)
	if len(tok) > MaxTokenSize {
		t.Fatalf("the bomb token is %d bytes: over the token cap", len(tok))
	}
	src := SharedSecret(secret)
	mustInspect(t, tok, src, Options{}) // warm up: the pools and tables made once
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := mustInspect(t, tok, src, Options{})
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	if r.Decrypted || r.Plaintext != nil {
		t.Fatal("the bomb was decrypted")
	}
	c := r.Candidates[0]
	if c.Code != CodeOpened || !c.Opened || !strings.Contains(c.Outcome, "the key opened the token, but its zip: DEF plaintext inflates past 1024 KiB: refused (inflating stopped at the cap)") {
		t.Errorf("candidate %s %q", c.Code, c.Outcome)
	}
	if r.Reason != c.Outcome {
		t.Errorf("reason %q", r.Reason)
	}
	if allocated >= MaxPlaintext {
		t.Errorf("inspecting the bomb allocated %d KiB: not less than the %d KiB cap", allocated>>10, MaxPlaintext>>10)
	}
	t.Logf("inspecting a %d KiB token that inflates to 40 MiB allocated %d KiB", len(tok)>>10, allocated>>10)
}

// The cap's boundary: a plaintext of exactly 1 MiB is read, one byte more
// is refused.
func TestInspect_zipCapBoundary_RFC7516Section4_1_3(t *testing.T) {
	secret := secretOf(32, 9)
	for _, c := range []struct {
		size      int
		decrypted bool
	}{{MaxPlaintext, true}, {MaxPlaintext + 1, false}, {0, true}, {1, true}} {
		pt := bytes.Repeat([]byte("a"), c.size)
		r := mustInspect(t, zipToken(t, deflated(t, pt), secret), SharedSecret(secret), Options{})
		if r.Decrypted != c.decrypted {
			t.Errorf("%d bytes: decrypted=%v, want %v (%s)", c.size, r.Decrypted, c.decrypted, r.Reason)
		}
		if c.decrypted && !bytes.Equal(r.Plaintext, pt) {
			t.Errorf("%d bytes: plaintext of %d bytes", c.size, len(r.Plaintext))
		}
	}
}

// jwx's zip: DEF tokens (RFC 7520 §5.9 is the published one) are read;
// plaintext that is not DEFLATE data is refused with that reason after the
// key opened the token.
func TestInspect_zip_jwxWrittenAndNotDeflate_RFC1951(t *testing.T) {
	secret := secretOf(32, 9)
	text := []byte(strings.Repeat("You can trust us to stick with you through thick and thin. ", 50))
	jwxZip := jwxEncrypt(t, text, "dir", "A256GCM", secret, nil, zipOption())
	r := mustInspect(t, jwxZip, SharedSecret(secret), Options{})
	if !r.Decrypted || !bytes.Equal(r.Plaintext, text) || r.Zip != "DEF" {
		t.Fatalf("decrypted=%v zip=%q reason=%q", r.Decrypted, r.Zip, r.Reason)
	}
	notDeflate := zipToken(t, []byte{0xff, 0xff, 0xff, 0xff}, secret)
	r = mustInspect(t, notDeflate, SharedSecret(secret), Options{})
	if r.Decrypted || !strings.Contains(r.Reason, "the key opened the token, but its zip: DEF plaintext is not DEFLATE data (RFC 1951): refused") {
		t.Fatalf("decrypted=%v reason=%q", r.Decrypted, r.Reason)
	}
}

func TestInflate_stopsOneBytePastTheLimit(t *testing.T) {
	src := deflated(t, make([]byte, 10000))
	for limit, wantErr := range map[int]bool{10000: false, 9999: true, 0: true, 20000: false} {
		out, err := inflate(src, limit)
		if (err != nil) != wantErr || (err == nil && len(out) != 10000) {
			t.Errorf("limit %d: %d bytes, err %v", limit, len(out), err)
		}
	}
}
