// Package issuer serves keys as a local OpenID Connect issuer on loopback
// only: discovery, the public JWKS and a client-credentials token endpoint
// signing with the signer, with a rotation rehearsal (publish next, switch
// signer, retire) a real verifier can be pointed at, a timeline of its steps
// and a log of the requests it served.
//
// Its keys come from the engine: EntriesFrom turns the workspace (keyset)
// into entries whose public JWKs are the engine's public form (keys), and
// each check defers to the engine's one owner of its rule (keys, input).
package issuer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Paths served, relative to the issuer URL.
const (
	DiscoveryPath = "/.well-known/openid-configuration"
	JWKSPath      = "/.well-known/jwks.json"
	TokenPath     = "/token"
)

const (
	// DefaultJWKSMaxAge is the JWKS's Cache-Control max-age when the
	// configuration sets none.
	DefaultJWKSMaxAge = 300 * time.Second
	// MaxBody is the largest request body read; a larger one gets 413.
	MaxBody = 16 << 10
	// maxHeaderBytes caps a request's header block.
	maxHeaderBytes = 16 << 10
	// DefaultLogSize is how many requests the log keeps.
	DefaultLogSize = 1000
)

// Token types the issuer can write in the "typ" header.
const (
	// TypeAccessToken is RFC 9068's "at+jwt" (the default).
	TypeAccessToken = "at+jwt"
	// TypeJWT is "JWT", for verifiers that refuse at+jwt.
	TypeJWT = "JWT"
)

// Timeouts bound the time a client can hold a connection: a slowloris or a
// client that never reads is cut off. Zero values take the defaults.
type Timeouts struct {
	ReadHeader time.Duration // default 5 s
	Read       time.Duration // default 10 s
	Write      time.Duration // default 10 s
	Idle       time.Duration // default 60 s
}

// Config is what the issuer is started with.
type Config struct {
	// Host is the loopback address to listen on: "" or "127.0.0.1" (any
	// 127.0.0.0/8 address) or "::1". Any other address is refused.
	Host string
	// Port is the TCP port; 0 takes a free one.
	Port int
	// JWKSMaxAge is the JWKS's Cache-Control max-age: 0 means
	// DefaultJWKSMaxAge, a negative value max-age=0.
	JWKSMaxAge time.Duration
	// TokenType is the tokens' "typ" header: "" means TypeAccessToken.
	TokenType string
	// Claims is the template of the tokens.
	Claims Claims
	// LogSize is how many requests the log keeps: 0 means DefaultLogSize.
	LogSize int
	// Timeouts of the HTTP server.
	Timeouts Timeouts
	// Now is the clock of the tokens' time claims (nil: time.Now).
	Now func() time.Time
}

// Server is a local OIDC issuer. Its methods are safe for concurrent use;
// requests read an immutable snapshot of the keys and settings, so a change
// made while they are served is seen whole or not at all.
type Server struct {
	host     netip.Addr
	port     int
	timeouts Timeouts
	now      func() time.Time

	state atomic.Pointer[state]
	log   *requestLog

	mu       sync.Mutex // serialises changes, Start and Stop
	set      settings
	srv      *http.Server
	served   chan struct{} // closed when Serve returns
	timeline []Step
	gens     []*genStats
}

// New checks cfg and entries and returns a server ready to Start.
func New(cfg Config, entries []Entry) (*Server, error) {
	host, err := loopback(cfg.Host)
	if err != nil {
		return nil, err
	}
	if cfg.Port < 0 || cfg.Port > 65535 {
		return nil, fmt.Errorf("port %d is not a TCP port (0 to 65535; 0 takes a free one)", cfg.Port)
	}
	claims, err := validateClaims(cfg.Claims)
	if err != nil {
		return nil, err
	}
	set := settings{claims: claims, tokenType: cfg.TokenType, maxAge: cfg.JWKSMaxAge}
	switch {
	case set.tokenType == "":
		set.tokenType = TypeAccessToken
	case set.tokenType != TypeAccessToken && set.tokenType != TypeJWT:
		return nil, fmt.Errorf("token type %q: use %q or %q", cfg.TokenType, TypeAccessToken, TypeJWT)
	}
	if set.maxAge == 0 {
		set.maxAge = DefaultJWKSMaxAge
	}
	s := &Server{host: host, port: cfg.Port, timeouts: withDefaults(cfg.Timeouts), now: cfg.Now, set: set}
	if s.now == nil {
		s.now = time.Now
	}
	size := cfg.LogSize
	if size <= 0 {
		size = DefaultLogSize
	}
	s.log = newRequestLog(size)
	keys, err := validateAll(entries)
	if err != nil {
		return nil, err
	}
	if err := s.publish(keys, ActionKeys, kidsOf(keys)); err != nil {
		return nil, err
	}
	return s, nil
}

func withDefaults(t Timeouts) Timeouts {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.ReadHeader, 5*time.Second)
	def(&t.Read, 10*time.Second)
	def(&t.Write, 10*time.Second)
	def(&t.Idle, 60*time.Second)
	return t
}

// loopback parses host and refuses anything but a loopback IP address: the
// issuer is for this machine only.
func loopback(host string) (netip.Addr, error) {
	if host == "" {
		return netip.AddrFrom4([4]byte{127, 0, 0, 1}), nil
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%q is not an IP address: the issuer listens on 127.0.0.1 or ::1 only", host)
	}
	addr = addr.Unmap()
	if !addr.IsLoopback() || addr.Zone() != "" {
		return netip.Addr{}, fmt.Errorf("%s is not a loopback address: the issuer listens on 127.0.0.1 or ::1 only, never on another interface", host)
	}
	return addr, nil
}

// Start listens and serves in the background. Starting a running server
// does nothing.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return nil
	}
	ln, err := s.listen()
	if err != nil {
		return err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	hostport := net.JoinHostPort(s.host.String(), strconv.Itoa(port))
	// The Host header values a request may carry: a page in a browser that
	// rebinds its own name to 127.0.0.1 must get no token.
	hosts := []string{hostport, net.JoinHostPort("localhost", strconv.Itoa(port))}
	if port == 80 {
		hosts = append(hosts, s.host.String(), "localhost")
	}
	s.set.issuer, s.set.hosts = "http://"+hostport, hosts
	if err := s.republish(ActionStart, nil); err != nil {
		ln.Close()
		s.set.issuer, s.set.hosts = "", nil
		return err
	}
	s.srv = &http.Server{
		Handler:           s.handler(),
		ReadHeaderTimeout: s.timeouts.ReadHeader,
		ReadTimeout:       s.timeouts.Read,
		WriteTimeout:      s.timeouts.Write,
		IdleTimeout:       s.timeouts.Idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	s.served = make(chan struct{})
	go func(srv *http.Server, done chan struct{}) {
		defer close(done)
		_ = srv.Serve(ln)
	}(s.srv, s.served)
	return nil
}

// listen binds the loopback address, naming the port when it is taken.
func (s *Server) listen() (net.Listener, error) {
	network := "tcp4"
	if s.host.Is6() {
		network = "tcp6"
	}
	addr := netip.AddrPortFrom(s.host, uint16(s.port)).String()
	ln, err := net.Listen(network, addr)
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("port %d on %s is in use by another program: choose another port, or 0 for a free one", s.port, s.host)
	case errors.Is(err, syscall.EACCES):
		return nil, fmt.Errorf("port %d on %s needs privileges: choose a port above 1023, or 0 for a free one", s.port, s.host)
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return nil, fmt.Errorf("%s is not an address of this machine: use 127.0.0.1 or ::1", s.host)
	case err != nil:
		return nil, fmt.Errorf("failed to listen on %s: %w", addr, err)
	}
	// The address bound is the one asked for, but check what the kernel
	// says: the issuer never listens beyond loopback.
	tcp, ok := ln.Addr().(*net.TCPAddr)
	if !ok || !tcp.IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("the listener is on %v, not on loopback: refused", ln.Addr())
	}
	return ln, nil
}

// Stop shuts the server down, letting requests in flight finish until ctx
// ends (then their connections are closed). Stopping a stopped server does
// nothing.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv == nil {
		return nil
	}
	err := s.srv.Shutdown(ctx)
	if err != nil {
		_ = s.srv.Close()
	}
	<-s.served
	s.srv, s.served = nil, nil
	s.set.issuer, s.set.hosts = "", nil
	s.appendStep(ActionStop, nil, s.state.Load().gen)
	if err != nil {
		return fmt.Errorf("requests were still running when the stop deadline came: their connections were closed (%w)", err)
	}
	return nil
}

// URL is the issuer URL (e.g. http://127.0.0.1:8080) while serving, "" when
// stopped.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv == nil {
		return ""
	}
	return s.set.issuer
}

// Running says whether the server is serving.
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.srv != nil
}
