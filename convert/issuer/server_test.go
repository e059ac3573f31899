package issuer

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// lanAddress is a non-loopback address of this machine, "" when it has none.
func lanAddress() string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	return ""
}

// TestBind_LoopbackOnly: the issuer never listens beyond loopback: any
// other address, a wildcard, a name, a zone or a mapped LAN address is
// refused by New with what to use instead.
func TestBind_LoopbackOnly(t *testing.T) {
	refused := []string{"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "::ffff:10.0.0.1", "fe80::1%lo", "localhost", "example.com", "127.0.0.1:80"}
	if lan := lanAddress(); lan != "" {
		refused = append(refused, lan)
	}
	for _, host := range refused {
		t.Run(host, func(t *testing.T) {
			s, err := New(Config{Host: host}, []Entry{entry(t, "ES256", "k1", Signer)})
			if err == nil {
				_ = s.Start()
				_ = s.Stop(context.Background())
				t.Fatalf("New accepted %q (serving at %q)", host, s.URL())
			}
			if !strings.Contains(err.Error(), "127.0.0.1 or ::1") {
				t.Errorf("the refusal %q does not say what to use", err)
			}
		})
	}
	for _, host := range []string{"", "127.0.0.1", "127.0.0.2", "::ffff:127.0.0.1"} {
		t.Run("accepts "+host, func(t *testing.T) {
			s := started(t, Config{Host: host}, entry(t, "ES256", "k1", Signer))
			if !strings.HasPrefix(s.URL(), "http://127.0.0.") {
				t.Errorf("URL %q", s.URL())
			}
			if r := get(t, s, JWKSPath); r.status != 200 {
				t.Errorf("JWKS %d", r.status)
			}
		})
	}
}

// TestBind_IPv6Loopback: on ::1 the issuer URL brackets the address and the
// Host check accepts it.
func TestBind_IPv6Loopback(t *testing.T) {
	if ln, err := net.Listen("tcp6", "[::1]:0"); err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	} else {
		ln.Close()
	}
	s := started(t, Config{Host: "::1"}, entry(t, "ES256", "k1", Signer))
	if !strings.HasPrefix(s.URL(), "http://[::1]:") {
		t.Fatalf("URL %q", s.URL())
	}
	var d discovery
	if err := json.Unmarshal(get(t, s, DiscoveryPath).body, &d); err != nil || d.Issuer != s.URL() {
		t.Errorf("discovery issuer %q, want %q (%v)", d.Issuer, s.URL(), err)
	}
	token(t, s, "v6")
}

// TestBind_PortInUse: a port another program holds is named in the
// refusal, and the server is left stopped and startable on another port.
func TestBind_PortInUse(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	s, err := New(Config{Port: port}, []Entry{entry(t, "ES256", "k1", Signer)})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Start()
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("port %d", port)) || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("Start: %v, want the port %d named as in use", err, port)
	}
	if s.Running() || s.URL() != "" {
		t.Error("a failed Start left the server running")
	}
	for _, bad := range []int{-1, 65536} {
		if _, err := New(Config{Port: bad}, nil); err == nil || !strings.Contains(err.Error(), "not a TCP port") {
			t.Errorf("port %d: %v", bad, err)
		}
	}
}

// TestLifecycle_StartStopIdempotent: Start on a running server and Stop on
// a stopped one do nothing; a stopped server can start again; the
// timeline records each start and stop.
func TestLifecycle_StartStopIdempotent(t *testing.T) {
	s, err := New(Config{}, []Entry{entry(t, "ES256", "k1", Signer)})
	if err != nil {
		t.Fatal(err)
	}
	if s.URL() != "" {
		t.Errorf("URL before Start: %q", s.URL())
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Errorf("Stop before Start: %v", err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	first := s.URL()
	if err := s.Start(); err != nil || s.URL() != first {
		t.Errorf("second Start: %v, URL %q then %q", err, first, s.URL())
	}
	token(t, s, "c")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(ctx); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if s.URL() != "" || s.Running() {
		t.Error("still running after Stop")
	}
	if _, err := http.Get(first + JWKSPath); err == nil {
		t.Error("a stopped server still answers")
	}
	if err := s.Start(); err != nil {
		t.Fatalf("Start after Stop: %v", err)
	}
	defer s.Stop(ctx)
	token(t, s, "c")
	var actions []Action
	for _, st := range s.Timeline() {
		actions = append(actions, st.Action)
	}
	want := []Action{ActionKeys, ActionStart, ActionStop, ActionStart}
	if fmt.Sprint(actions) != fmt.Sprint(want) {
		t.Errorf("timeline %v, want %v", actions, want)
	}
}
