// Command issuerload is a load generator for JWK Desk's local issuer: N
// concurrent keep-alive clients for a duration against the JWKS endpoint
// (or the token endpoint), reporting requests/s and latency percentiles.
//
//	go run -tags jwx_es256k ./bench/issuerload                       # JWKS, 32 clients, 10 s, in-process issuer
//	go run -tags jwx_es256k ./bench/issuerload -target token -alg RS256
//	go run -tags jwx_es256k ./bench/issuerload -url http://127.0.0.1:8080  # a running `jwkdesk serve`
//
// Without -url it starts an issuer in this process on a free loopback port
// with one signing key of -alg and -keys-1 more served keys.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jwkdesk/jwkdesk/convert/issuer"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

type options struct {
	url      string
	target   string
	alg      string
	keys     int
	clients  int
	duration time.Duration
	asJSON   bool
	profile  string
	rate     int
	runs     int
}

// Result is one run's numbers.
type Result struct {
	Target    string  `json:"target"`
	Alg       string  `json:"alg,omitempty"`
	Clients   int     `json:"clients"`
	Rate      int     `json:"rate,omitempty"` // offered; 0: closed loop
	Seconds   float64 `json:"seconds"`
	Requests  int     `json:"requests"`
	Errors    int     `json:"errors"`
	PerSecond float64 `json:"per_second"`
	P50Micros float64 `json:"p50_us"`
	P90Micros float64 `json:"p90_us"`
	P99Micros float64 `json:"p99_us"`
	MaxMicros float64 `json:"max_us"`
	// CPUMicros is the CPU time (user+system) this process spent per
	// request, issuer and clients together: what a request costs whatever
	// else the machine is doing.
	CPUMicros  float64 `json:"cpu_us_per_request"`
	GOMAXPROCS int     `json:"gomaxprocs"`
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "", "issuer URL to load (default: start one in this process)")
	flag.StringVar(&o.target, "target", "jwks", "endpoint: jwks, token or discovery")
	flag.StringVar(&o.alg, "alg", "ES256", "signing alg of the in-process issuer: ES256 or RS256")
	flag.IntVar(&o.keys, "keys", 2, "keys served by the in-process issuer")
	flag.IntVar(&o.clients, "clients", 32, "concurrent keep-alive clients")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long to load")
	flag.IntVar(&o.runs, "runs", 1, "runs in a row (a summary line follows: best and spread)")
	flag.IntVar(&o.rate, "rate", 0, "requests/s offered by all clients together, paced (0: each client sends as fast as it can)")
	flag.BoolVar(&o.asJSON, "json", false, "print the result as JSON")
	flag.StringVar(&o.profile, "cpuprofile", "", "write a CPU profile of the run (issuer and clients) to this file")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "issuerload:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	base := o.url
	if base == "" {
		s, err := startIssuer(o.alg, o.keys)
		if err != nil {
			return err
		}
		defer s.Stop(context.Background())
		base = s.URL()
	}
	if o.profile != "" {
		f, err := os.Create(o.profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var all []Result
	for range max(o.runs, 1) {
		res, err := load(o, strings.TrimSuffix(base, "/"))
		if err != nil {
			return err
		}
		all = append(all, res)
		if o.asJSON {
			if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
				return err
			}
			continue
		}
		fmt.Println(res)
	}
	if len(all) > 1 && !o.asJSON {
		fmt.Println(summary(all))
	}
	return nil
}

func (r Result) String() string {
	mode := "closed loop"
	if r.Rate > 0 {
		mode = fmt.Sprintf("paced at %d req/s", r.Rate)
	}
	name := r.Target
	if r.Alg != "" {
		name += " " + r.Alg
	}
	return fmt.Sprintf("%s: %d clients, %s, %.1f s: %d requests (%d errors), %.0f req/s; latency p50 %.0f µs, p90 %.0f µs, p99 %.0f µs, max %.0f µs; CPU %.0f µs/request (GOMAXPROCS %d)",
		name, r.Clients, mode, r.Seconds, r.Requests, r.Errors, r.PerSecond, r.P50Micros, r.P90Micros, r.P99Micros, r.MaxMicros, r.CPUMicros, r.GOMAXPROCS)
}

// summary is the best and the spread (min–max) of several runs.
func summary(rs []Result) string {
	ps := make([]float64, len(rs))
	p99 := make([]float64, len(rs))
	cpu := make([]float64, len(rs))
	for i, r := range rs {
		ps[i], p99[i], cpu[i] = r.PerSecond, r.P99Micros, r.CPUMicros
	}
	return fmt.Sprintf("summary of %d runs: best %.0f req/s (spread %.0f–%.0f), best p99 %.0f µs (spread %.0f–%.0f µs), CPU %.0f–%.0f µs/request",
		len(rs), slices.Max(ps), slices.Min(ps), slices.Max(ps), slices.Min(p99), slices.Min(p99), slices.Max(p99), slices.Min(cpu), slices.Max(cpu))
}

// startIssuer serves n keys, the first signing with alg.
func startIssuer(alg string, n int) (*issuer.Server, error) {
	entries := make([]issuer.Entry, 0, n)
	for i := range max(n, 1) {
		a := alg
		if i > 0 {
			a = "ES256"
		}
		e, err := newEntry(a, fmt.Sprintf("load-%d", i))
		if err != nil {
			return nil, err
		}
		if i > 0 {
			e.Role = issuer.Published
			e.Private = nil
		}
		entries = append(entries, e)
	}
	s, err := issuer.New(issuer.Config{}, entries)
	if err != nil {
		return nil, err
	}
	return s, s.Start()
}

func newEntry(alg, kid string) (issuer.Entry, error) {
	var raw any
	var err error
	switch alg {
	case "ES256":
		raw, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "RS256":
		raw, err = rsa.GenerateKey(rand.Reader, 2048)
	default:
		return issuer.Entry{}, fmt.Errorf("alg %q: use ES256 or RS256", alg)
	}
	if err != nil {
		return issuer.Entry{}, err
	}
	priv, err := jwk.Import(raw)
	if err != nil {
		return issuer.Entry{}, err
	}
	pub, err := jwk.PublicKeyOf(priv)
	if err != nil {
		return issuer.Entry{}, err
	}
	for name, v := range map[string]any{"kid": kid, "alg": alg, "use": "sig"} {
		if err := pub.Set(name, v); err != nil {
			return issuer.Entry{}, err
		}
	}
	b, err := json.Marshal(pub)
	if err != nil {
		return issuer.Entry{}, err
	}
	return issuer.Entry{Kid: kid, Public: b, Private: priv, Alg: alg, Role: issuer.Signer}, nil
}

// request makes the request one client sends again and again.
func request(target, base string) (func() (*http.Request, error), error) {
	switch target {
	case "jwks":
		return func() (*http.Request, error) { return http.NewRequest(http.MethodGet, base+issuer.JWKSPath, nil) }, nil
	case "discovery":
		return func() (*http.Request, error) { return http.NewRequest(http.MethodGet, base+issuer.DiscoveryPath, nil) }, nil
	case "token":
		const form = "grant_type=client_credentials&client_id=issuerload"
		return func() (*http.Request, error) {
			req, err := http.NewRequest(http.MethodPost, base+issuer.TokenPath, strings.NewReader(form))
			if err == nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			return req, err
		}, nil
	}
	return nil, fmt.Errorf("target %q: use jwks, token or discovery", target)
}

func load(o options, base string) (Result, error) {
	mk, err := request(o.target, base)
	if err != nil {
		return Result{}, err
	}
	tr := &http.Transport{MaxIdleConns: o.clients, MaxIdleConnsPerHost: o.clients, MaxConnsPerHost: o.clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	lat := make([][]time.Duration, o.clients)
	errs := make([]int, o.clients)
	var firstErr error
	var errOnce sync.Once
	cpu0 := cpuTime()
	deadline := time.Now().Add(o.duration)
	start := time.Now()
	var wg sync.WaitGroup
	for c := range o.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat[c] = make([]time.Duration, 0, 1<<16)
			pace := newPacer(o, c, start)
			for {
				t0, ok := pace.next(deadline)
				if !ok {
					break
				}
				err := once(client, mk)
				if err != nil {
					errs[c]++
					errOnce.Do(func() { firstErr = err })
					continue
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	all := slices.Concat(lat...)
	slices.Sort(all)
	res := Result{Target: o.target, Clients: o.clients, Rate: o.rate, Seconds: elapsed.Seconds(), Requests: len(all), GOMAXPROCS: runtime.GOMAXPROCS(0)}
	if o.target == "token" && o.url == "" {
		res.Alg = o.alg
	}
	for _, e := range errs {
		res.Errors += e
	}
	if len(all) == 0 {
		return res, fmt.Errorf("no request succeeded: %v", firstErr)
	}
	pct := func(p float64) float64 {
		return float64(all[min(len(all)-1, int(p*float64(len(all))))].Nanoseconds()) / 1e3
	}
	res.PerSecond = float64(len(all)) / elapsed.Seconds()
	res.P50Micros, res.P90Micros, res.P99Micros = pct(0.50), pct(0.90), pct(0.99)
	res.MaxMicros = float64(all[len(all)-1].Nanoseconds()) / 1e3
	res.CPUMicros = float64(cpu.Nanoseconds()) / 1e3 / float64(len(all))
	if res.Errors > 0 {
		fmt.Fprintf(os.Stderr, "issuerload: %d errors, the first: %v\n", res.Errors, firstErr)
	}
	return res, nil
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pacer says when a client sends. Closed loop (rate 0): now, as soon as the
// last answer came. Paced: on a fixed schedule (client c offset by c/clients
// of the interval). A request the client is late for because the last
// answer came late counts from its scheduled time, so a slow answer also
// delays the ones queued behind it (no coordinated omission); a client that
// slept until its time counts from when it woke: Go's timers may wake it up
// to a millisecond late, and that lateness is the load generator's, not the
// issuer's.
type pacer struct {
	interval time.Duration
	at       time.Time
}

func newPacer(o options, c int, start time.Time) *pacer {
	if o.rate <= 0 {
		return &pacer{}
	}
	iv := time.Duration(float64(time.Second) * float64(o.clients) / float64(o.rate))
	return &pacer{interval: iv, at: start.Add(iv * time.Duration(c) / time.Duration(o.clients))}
}

func (p *pacer) next(deadline time.Time) (time.Time, bool) {
	if p.interval == 0 {
		now := time.Now()
		return now, now.Before(deadline)
	}
	if !p.at.Before(deadline) {
		return time.Time{}, false
	}
	t := p.at
	if d := time.Until(p.at); d > 0 {
		time.Sleep(d)
		t = time.Now()
	}
	p.at = p.at.Add(p.interval)
	return t, true
}

// once sends one request and reads the answer whole (so the connection is
// kept alive).
func once(client *http.Client, mk func() (*http.Request, error)) error {
	req, err := mk()
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return errors.New(resp.Status)
	}
	return nil
}
