package issuer

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// handler is the issuer's HTTP handler: the endpoints behind the request
// log, panic recovery, the Host check and the body cap.
func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	// Method patterns: the mux answers other methods with 405 and Allow
	// (GET also matches HEAD), and unknown paths with 404.
	mux.HandleFunc("GET "+DiscoveryPath, s.serveDiscovery)
	mux.HandleFunc("GET "+JWKSPath, s.serveJWKS)
	mux.HandleFunc("POST "+TokenPath, s.serveToken)
	return s.logged(recovered(guarded(s, mux)))
}

// recorder notes what a handler answered, for the log.
type recorder struct {
	http.ResponseWriter
	status int
	gen    uint64
	kid    string
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// note records the generation (and the kid of an issued token) on w.
func note(w http.ResponseWriter, gen uint64, kid string) {
	if r, ok := w.(*recorder); ok {
		r.gen, r.kid = gen, kid
	}
}

// logged appends every request to the log: never its body, query,
// headers or the token it got.
func (s *Server) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		defer func() {
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			s.log.add(Request{
				At: start, Method: clean(r.Method, 16), Path: cleanPath(r.URL.Path),
				Status: status, UserAgent: clean(r.UserAgent(), 200), Duration: time.Since(start),
				Generation: rec.gen, Kid: rec.kid,
			})
		}()
		next.ServeHTTP(rec, r)
	})
}

// recovered turns a panic into a 500 (or, once the answer has begun, a cut
// connection): the server stays up.
func recovered(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if rec, ok := w.(*recorder); ok && rec.status != 0 {
				panic(http.ErrAbortHandler)
			}
			http.Error(w, "internal error", http.StatusInternalServerError)
		}()
		next.ServeHTTP(w, r)
	})
}

// guarded refuses a request for another host (421) and a body over
// MaxBody (413), and caps the body a handler reads.
func guarded(s *Server, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := s.state.Load()
		if !hostAccepted(st.hosts, r.Host) {
			note(w, st.gen, "")
			http.Error(w, "this issuer answers to "+st.issuer+" only", http.StatusMisdirectedRequest)
			return
		}
		if r.ContentLength > MaxBody {
			fail(w, r, http.StatusRequestEntityTooLarge, "invalid_request", "the request body is over 16 KiB")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
		next.ServeHTTP(w, r)
	})
}

func hostAccepted(hosts []string, host string) bool {
	for _, h := range hosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// fail answers an error: RFC 6749 §5.2 JSON on the token endpoint, plain
// text elsewhere.
func fail(w http.ResponseWriter, r *http.Request, status int, code, desc string) {
	if r.URL.Path != TokenPath {
		http.Error(w, desc, status)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	if code == "invalid_client" {
		h.Set("WWW-Authenticate", `Basic realm="token"`)
	}
	b, _ := json.Marshal(map[string]string{"error": code, "error_description": desc})
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// serveBytes answers a GET or HEAD with b: http.ServeContent handles
// If-None-Match (304), HEAD and Range.
func serveBytes(w http.ResponseWriter, r *http.Request, b []byte, tag string, cacheControl []string) {
	h := w.Header()
	h["Content-Type"] = jsonType
	h["Cache-Control"] = cacheControl
	h["Etag"] = []string{tag}
	h["Access-Control-Allow-Origin"] = anyOrigin
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
}

var (
	jsonType  = []string{"application/json"}
	anyOrigin = []string{"*"}
	noCache   = []string{"no-cache"}
)

func (s *Server) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	note(w, st.gen, "")
	if st.disc == nil {
		http.Error(w, "the issuer is not serving", http.StatusServiceUnavailable)
		return
	}
	serveBytes(w, r, st.disc, st.discETag, noCache)
}

func (s *Server) serveJWKS(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	note(w, st.gen, "")
	if st.jwks == nil {
		// Fail closed: a JWKS that did not pass its last check is not
		// served at all.
		http.Error(w, "the key set is not served: it failed its check", http.StatusInternalServerError)
		return
	}
	if r.Method == http.MethodGet {
		st.stats.fetched(time.Now())
	}
	serveBytes(w, r, st.jwks, st.jwksETag, st.cacheHeader)
}

// tokenResponse is RFC 6749 §5.1's answer.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope,omitempty"`
}

// oauthError is an RFC 6749 §5.2 error answer.
type oauthError struct {
	status int
	code   string
	desc   string
}

func badRequest(code, desc string) *oauthError {
	return &oauthError{http.StatusBadRequest, code, desc}
}

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	note(w, st.gen, "")
	clientID, scope, oe := readTokenRequest(r)
	if oe != nil {
		fail(w, r, oe.status, oe.code, oe.desc)
		return
	}
	tok, err := st.mint(s.now(), clientID, scope)
	if errors.Is(err, errNoSigner) {
		fail(w, r, http.StatusServiceUnavailable, "temporarily_unavailable", err.Error())
		return
	}
	if err != nil {
		fail(w, r, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	note(w, st.gen, tok.kid)
	b, _ := json.Marshal(tokenResponse{
		AccessToken: tok.token, TokenType: "Bearer",
		ExpiresIn: int64(tok.ttl / time.Second), Scope: tok.scope,
	})
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// readTokenRequest reads a client credentials request (RFC 6749 §4.4.2):
// its client_id and scope, or the error to answer with.
func readTokenRequest(r *http.Request) (clientID, scope string, oe *oauthError) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return "", "", badRequest("invalid_request", "the body must be application/x-www-form-urlencoded")
	}
	if err := r.ParseForm(); err != nil {
		if _, over := errors.AsType[*http.MaxBytesError](err); over {
			return "", "", &oauthError{http.StatusRequestEntityTooLarge, "invalid_request", "the request body is over 16 KiB"}
		}
		return "", "", badRequest("invalid_request", "the body is not a valid form")
	}
	form := r.PostForm
	for name, values := range form {
		if len(values) > 1 {
			return "", "", badRequest("invalid_request", "the parameter "+strconv.Quote(clean(name, 40))+" is sent more than once (RFC 6749 §3.1)")
		}
	}
	switch form.Get("grant_type") {
	case "client_credentials":
	case "":
		return "", "", badRequest("invalid_request", "grant_type is missing")
	default:
		return "", "", badRequest("unsupported_grant_type", "only grant_type client_credentials is supported")
	}
	if clientID, oe = clientOf(r, form); oe != nil {
		return "", "", oe
	}
	scope = form.Get("scope")
	if scope != "" && !validScope(scope) {
		return "", "", badRequest("invalid_scope", "the scope is not space-separated scope tokens (RFC 6749 §3.3)")
	}
	return clientID, scope, nil
}

// clientOf finds the client_id: in a Basic Authorization header
// (client_secret_basic) or in the body (none, client_secret_post). Any
// client_id is accepted; a secret is not checked. Using two methods at once
// is refused (RFC 6749 §2.3).
func clientOf(r *http.Request, form url.Values) (string, *oauthError) {
	bodyID := form.Get("client_id")
	if r.Header.Get("Authorization") == "" {
		if bodyID == "" {
			return "", &oauthError{http.StatusUnauthorized, "invalid_client", "client_id is missing"}
		}
		return bodyID, nil
	}
	user, _, ok := r.BasicAuth()
	if !ok {
		return "", &oauthError{http.StatusUnauthorized, "invalid_client", "only Basic client authentication is accepted in the Authorization header"}
	}
	id, err := url.QueryUnescape(user) // RFC 6749 §2.3.1: form-encoded, then Basic
	switch {
	case err != nil || id == "":
		return "", &oauthError{http.StatusUnauthorized, "invalid_client", "the client_id in the Authorization header is not valid"}
	case form.Has("client_secret"):
		return "", badRequest("invalid_request", "the client authenticates twice: in the Authorization header and with client_secret")
	case bodyID != "" && bodyID != id:
		return "", badRequest("invalid_request", "the client_id in the body differs from the one in the Authorization header")
	}
	return id, nil
}
