package issuer

import (
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Request is one request the issuer served, as the log keeps it: never its
// body, query string, Authorization or other headers, or the token it got.
type Request struct {
	At     time.Time
	Method string
	// Path is the URL path only; a segment over 40 bytes (a token or a
	// secret pasted into a URL) is replaced by its length.
	Path      string
	Status    int
	UserAgent string
	Duration  time.Duration
	// Generation is the state that answered (see Generations); 0 when the
	// request was refused before reading it.
	Generation uint64
	// Kid is the kid of the token issued (token endpoint), "" otherwise.
	Kid string
}

// requestLog is a bounded ring of requests with subscribers that are never
// waited for.
type requestLog struct {
	mu      sync.Mutex
	ring    []Request
	next    int
	full    bool
	total   uint64
	subs    map[int]chan Request
	nextSub int
	dropped uint64
}

func newRequestLog(size int) *requestLog {
	return &requestLog{ring: make([]Request, size), subs: map[int]chan Request{}}
}

func (l *requestLog) add(r Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ring[l.next] = r
	l.next = (l.next + 1) % len(l.ring)
	l.full = l.full || l.next == 0
	l.total++
	for _, ch := range l.subs {
		select {
		case ch <- r:
		default: // a slow subscriber misses requests; a request never waits
			l.dropped++
		}
	}
}

// Log returns the requests kept, oldest first, and how many were served in
// all.
func (s *Server) Log() (kept []Request, total uint64) {
	l := s.log
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.full {
		kept = append(kept, l.ring[l.next:]...)
	}
	kept = append(kept, l.ring[:l.next]...)
	return kept, l.total
}

// Subscribe delivers each request from now on to the returned channel
// (buffer requests deep, at least 1). Delivery never blocks a request: when
// the channel is full the request is skipped for this subscriber (Dropped
// counts them; Log still has it). cancel ends the subscription and closes
// the channel.
func (s *Server) Subscribe(buffer int) (requests <-chan Request, cancel func()) {
	l := s.log
	ch := make(chan Request, max(buffer, 1))
	l.mu.Lock()
	id := l.nextSub
	l.nextSub++
	l.subs[id] = ch
	l.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			l.mu.Lock()
			delete(l.subs, id)
			close(ch)
			l.mu.Unlock()
		})
	}
}

// Served is how many requests were served in all (a subscriber that fell
// behind has seen fewer).
func (s *Server) Served() uint64 {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return s.log.total
}

// Dropped counts the deliveries skipped because a subscriber was full.
func (s *Server) Dropped() uint64 {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return s.log.dropped
}

// String is one line of the log: time, method, path, status, duration, user
// agent (and the kid of an issued token).
func (r Request) String() string {
	line := fmt.Sprintf("%s %s %s %d %s %q", r.At.Format("15:04:05.000"), r.Method, r.Path, r.Status,
		r.Duration.Round(time.Microsecond), r.UserAgent)
	if r.Kid != "" {
		line += " kid=" + r.Kid
	}
	return line
}

// clean keeps at most n bytes of s, with anything not printable (terminal
// escapes, invalid UTF-8) replaced: a log line is safe to print.
func clean(s string, n int) string {
	if len(s) <= n && printableASCII(s) {
		return s // the usual case, without an allocation
	}
	if len(s) > n {
		s = s[:n]
		for !utf8.ValidString(s) && len(s) > 0 && len(s) > n-utf8.UTFMax {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return '?'
		}
		return r
	}, s)
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// maxSegment is the longest path segment logged as it is.
const maxSegment = 40

// cleanPath is the path as logged: long segments (which may be a token or
// a secret) replaced by their length, the whole cut at 200 bytes.
func cleanPath(p string) string {
	if len(p) <= maxSegment && printableASCII(p) {
		return p
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		if len(seg) > maxSegment {
			segs[i] = fmt.Sprintf("{%d bytes}", len(seg))
		}
	}
	return clean(strings.Join(segs, "/"), 200)
}
