package issuer

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// servedKids lists the kids of the JWKS served now.
func servedKids(t *testing.T, s *Server) []string {
	t.Helper()
	var set struct {
		Keys []struct {
			Kid string `json:"kid"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(get(t, s, JWKSPath).body, &set); err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, k := range set.Keys {
		kids = append(kids, k.Kid)
	}
	return kids
}

// TestRotation_OIDCCore_10_1_PublishSwitchRetire: the rehearsal of OpenID
// Connect Core §10.1.1's rotation: the next key is served before it signs;
// after the switch tokens carry its kid and the old key is still served
// (retiring) so its tokens verify; after retiring, it is gone. Each step is
// on the timeline with its kids and generation.
func TestRotation_OIDCCore_10_1_PublishSwitchRetire(t *testing.T) {
	s := started(t, Config{}, entry(t, "ES256", "old", Signer), entry(t, "RS256", "new", Retired))
	steps := []struct {
		do     func() error
		served string
		signer string
		roles  string
	}{
		{func() error { return nil }, "[old]", "old", "old:signer new:retired"},
		{func() error { return s.PublishNext("new") }, "[old new]", "old", "old:signer new:next"},
		{func() error { return s.SwitchSigner("") }, "[old new]", "new", "old:retiring new:signer"},
		{func() error { return s.Retire("old") }, "[new]", "new", "old:retired new:signer"},
		{func() error { return s.PublishNext("old") }, "[old new]", "new", "old:next new:signer"},
		{func() error { return s.SwitchSigner("old") }, "[old new]", "old", "old:signer new:retiring"},
		{func() error { return s.SwitchSigner("new") }, "[old new]", "new", "old:retiring new:signer"}, // roll back
	}
	var oldToken string
	for i, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got := fmt.Sprint(servedKids(t, s)); got != st.served {
			t.Errorf("step %d: served %s, want %s", i, got, st.served)
		}
		tok := token(t, s, "c")
		if d := verifyServed(t, s, tok); d.kid != st.signer || s.Signer() != st.signer {
			t.Errorf("step %d: token kid %q, Signer %q, want %q", i, d.kid, s.Signer(), st.signer)
		}
		if got := rolesOf(s); got != st.roles {
			t.Errorf("step %d: roles %s, want %s", i, got, st.roles)
		}
		if i == 1 {
			oldToken = tok
		}
		if i == 2 { // retiring: the old signer's tokens still verify
			verifyServed(t, s, oldToken)
		}
	}
	got := timelineOf(s)
	want := "[keys[old new]@1 start[]@2 publish next[new]@3 switch signer[new old]@4 retire[old]@5 publish next[old]@6 switch signer[old new]@7 switch signer[new old]@8]"
	if fmt.Sprint(got) != want {
		t.Errorf("timeline\n%v\nwant\n%s", got, want)
	}
	gens := s.Generations()
	if last := gens[len(gens)-1]; last.N != 8 || last.Signer != "new" || fmt.Sprint(last.Served) != "[old new]" || last.Action != ActionSwitchSigner {
		t.Errorf("last generation %+v", last)
	}
}

func rolesOf(s *Server) string {
	var roles []string
	for _, k := range s.Keys() {
		roles = append(roles, k.Kid+":"+k.Role.String())
	}
	return strings.Join(roles, " ")
}

func timelineOf(s *Server) []string {
	var steps []string
	for _, st := range s.Timeline() {
		steps = append(steps, fmt.Sprintf("%s%v@%d", st.Action, st.Kids, st.Generation))
	}
	return steps
}

// TestRotation_RefusedStepsChangeNothing: a step that would break the
// rehearsal is refused with the kid and what to do; the served state does
// not move. A step already done does nothing and adds no step.
func TestRotation_RefusedStepsChangeNothing(t *testing.T) {
	pubOnly := entry(t, "ES384", "pub", Published)
	pubOnly.Private = nil
	s := started(t, Config{}, entry(t, "ES256", "a", Signer), entry(t, "EdDSA", "n", Next), entry(t, "RS256", "r", Retired), pubOnly)
	cases := []struct {
		name string
		do   func() error
		want string
	}{
		{"publish the signer as next", func() error { return s.PublishNext("a") }, `kid "a" is the signer`},
		{"publish a key that cannot sign", func() error { return s.PublishNext("pub") }, `kid "pub" has no private key`},
		{"publish a second next", func() error { return s.PublishNext("r") }, `kid "n" is already the next key`},
		{"publish an unknown kid", func() error { return s.PublishNext("zz") }, `no key has kid "zz"`},
		{"switch to a retired key", func() error { return s.SwitchSigner("r") }, `kid "r" is not served`},
		{"switch to a key that cannot sign", func() error { return s.SwitchSigner("pub") }, `kid "pub" has no private key`},
		{"switch to an unknown kid", func() error { return s.SwitchSigner("zz") }, `no key has kid "zz"`},
		{"retire the signer", func() error { return s.Retire("a") }, `kid "a" is the signer`},
		{"retire an unknown kid", func() error { return s.Retire("zz") }, `no key has kid "zz"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gen, steps := s.state.Load().gen, len(s.Timeline())
			if err := c.do(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
			if s.state.Load().gen != gen || len(s.Timeline()) != steps {
				t.Error("a refused step changed the state")
			}
		})
	}
	gen, steps := s.state.Load().gen, len(s.Timeline())
	for _, noop := range []func() error{
		func() error { return s.PublishNext("n") }, func() error { return s.SwitchSigner("a") }, func() error { return s.Retire("r") },
	} {
		if err := noop(); err != nil {
			t.Errorf("a step already done: %v", err)
		}
	}
	if s.state.Load().gen != gen || len(s.Timeline()) != steps {
		t.Error("a step already done added a step")
	}
	_ = s.Retire("n")
	if err := s.SwitchSigner(""); err == nil || !strings.Contains(err.Error(), "no key is marked next") {
		t.Errorf("switch with no next key: %v", err)
	}
}

// TestRotation_RefetchCountedPerGeneration: the JWKS fetches are counted in
// the generation that served them, so "did a verifier re-fetch after the
// switch" is JWKSFetchesSince(the switch's generation).
func TestRotation_RefetchCountedPerGeneration(t *testing.T) {
	s := started(t, Config{}, entry(t, "ES256", "a", Signer), entry(t, "EdDSA", "b", Published))
	get(t, s, JWKSPath)
	get(t, s, JWKSPath)
	request(t, s, "HEAD", JWKSPath, nil, nil) // not a fetch of the keys
	_ = s.PublishNext("b")
	_ = s.SwitchSigner("")
	tl := s.Timeline()
	sw := tl[len(tl)-1]
	if n, _ := s.JWKSFetchesSince(sw.Generation); n != 0 {
		t.Fatalf("%d fetches since the switch before any", n)
	}
	r := get(t, s, JWKSPath)
	request(t, s, "GET", JWKSPath, nil, map[string]string{"If-None-Match": r.header.Get("ETag")}) // a revalidation is a fetch
	n, first := s.JWKSFetchesSince(sw.Generation)
	if n != 2 || first.Before(sw.At) {
		t.Errorf("since the switch: %d fetches, first at %v (switch at %v)", n, first, sw.At)
	}
	if n, _ := s.JWKSFetchesSince(1); n != 4 {
		t.Errorf("in all: %d, want 4", n)
	}
	log, _ := s.Log()
	if last := log[len(log)-1]; last.Generation != sw.Generation || last.Status != 304 {
		t.Errorf("last log entry %+v, want generation %d, 304", last, sw.Generation)
	}
}

// TestConcurrent_RoleChangesWhileServing (run with -race): rotations and
// key replacements run while requests are served; every answer comes from
// one whole snapshot: a JWKS body always matches its ETag, and every token
// is signed by the signer of the generation that answered it.
func TestConcurrent_RoleChangesWhileServing(t *testing.T) {
	keys := []Entry{entry(t, "ES256", "a", Signer), entry(t, "EdDSA", "b", Published), entry(t, "ES384", "c", Retired)}
	s := started(t, Config{LogSize: 100000}, keys...)
	h := s.handler()
	host := strings.TrimPrefix(s.URL(), "http://")
	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := hammer(h, host, w, done); err != nil {
				errs <- err
			}
		}()
	}
	cycle := []string{"a", "b", "c"}
	for i := range 150 {
		cur, next := cycle[i%3], cycle[(i+1)%3]
		for _, err := range []error{s.PublishNext(next), s.SwitchSigner(""), s.Retire(cur)} {
			if err != nil {
				t.Fatalf("rotation %d: %v", i, err)
			}
		}
		if i%50 == 49 { // the workspace replaced wholesale, roles and all
			roles := []Role{Retired, Retired, Retired}
			roles[(i+1)%3] = Signer
			for j := range keys {
				keys[j].Role = roles[j]
			}
			if err := s.SetKeys(keys); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	checkTokenSigners(t, s)
}

// hammer alternates JWKS and token requests until done, checking that each
// JWKS body matches its ETag (one snapshot answered both).
func hammer(h http.Handler, host string, w int, done <-chan struct{}) error {
	for i := 0; ; i++ {
		select {
		case <-done:
			return nil
		default:
		}
		var req *http.Request
		if (w+i)%2 == 0 {
			req = httptest.NewRequest("GET", JWKSPath, nil)
		} else {
			req = httptest.NewRequest("POST", TokenPath, strings.NewReader("grant_type=client_credentials&client_id=c"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			return fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, rec.Code, rec.Body)
		}
		if req.Method == "GET" && etag(rec.Body.Bytes()) != rec.Header().Get("ETag") {
			return fmt.Errorf("a JWKS body with another snapshot's ETag")
		}
	}
}

// checkTokenSigners: every token in the log carries the kid of the signer
// of the generation that answered it.
func checkTokenSigners(t *testing.T, s *Server) {
	signerOf := map[uint64]string{}
	for _, g := range s.Generations() {
		signerOf[g.N] = g.Signer
	}
	log, _ := s.Log()
	tokens := 0
	for _, r := range log {
		if r.Path != TokenPath {
			continue
		}
		tokens++
		if want, known := signerOf[r.Generation]; known && r.Kid != want {
			t.Fatalf("generation %d signs with %q, a token of it carries %q", r.Generation, want, r.Kid)
		}
	}
	if tokens == 0 {
		t.Error("no token was issued during the rotations")
	}
	t.Logf("%d requests, %d tokens, %d generations", len(log), tokens, len(s.Generations()))
}
