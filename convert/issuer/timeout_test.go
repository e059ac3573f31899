package issuer

import (
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// closedByServer reads conn until the server closes it. It fails the test
// if the test's own generous deadline comes first: then the server held
// the connection open. Nothing here measures how fast the server is.
func closedByServer(t *testing.T, conn net.Conn) {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err := io.Copy(io.Discard, conn)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal("the server kept the connection open")
	}
}

// TestTimeouts_SlowlorisCutOff: a client that sends its headers a byte at a
// time, never finishing, is cut off by the header timeout; others are
// served meanwhile.
func TestTimeouts_SlowlorisCutOff(t *testing.T) {
	s := started(t, Config{Timeouts: Timeouts{ReadHeader: 300 * time.Millisecond}}, entry(t, "ES256", "k1", Signer))
	host := strings.TrimPrefix(s.URL(), "http://")
	var conns []net.Conn
	for range 20 {
		c, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := io.WriteString(c, "GET "+JWKSPath+" HTTP/1.1\r\nHost: "+host+"\r\nX-Slow: a"); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	if r := get(t, s, JWKSPath); r.status != 200 {
		t.Fatalf("a client beside 20 slow ones: %d", r.status)
	}
	for _, c := range conns {
		closedByServer(t, c)
	}
}

// TestTimeouts_ClientThatNeverReads: a client that pipelines requests and
// never reads the answers is cut off by the write timeout once the socket
// buffers are full; others are served meanwhile.
func TestTimeouts_ClientThatNeverReads(t *testing.T) {
	s := started(t, Config{Timeouts: Timeouts{Write: 500 * time.Millisecond}}, entry(t, "RS256", "k1", Signer))
	host := strings.TrimPrefix(s.URL(), "http://")
	c, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetReadBuffer(4096) // keep the client side small: the server's writes fill it
	}
	req := "GET " + JWKSPath + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n"
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		_ = c.SetWriteDeadline(time.Now().Add(20 * time.Second))
		// ~8 MiB of answers: far beyond what loopback buffers hold.
		_, _ = io.WriteString(c, strings.Repeat(req, 16000))
	}()
	for range 5 {
		if r := get(t, s, JWKSPath); r.status != 200 {
			t.Fatalf("a client beside the one that never reads: %d", r.status)
		}
	}
	<-wrote // the server stopped reading, or read everything
	closedByServer(t, c)
	if r := get(t, s, JWKSPath); r.status != 200 {
		t.Fatalf("after: %d", r.status)
	}
}
