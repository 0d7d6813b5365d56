// Package ermresttest is an ERMrest fake for tests: an httptest server that
// speaks ERMrest's HTTP protocol (reference ermrest.md, checked against the
// captures in ermrest-observed/) over any catalog.Store engine. It parses
// URLs with ERMrest's lexer rules, turns them into catalog calls, and
// answers with the real server's statuses, content types, error bodies
// (text/plain, or HTML when negotiated), key orders and ETags. Anonymous
// callers get the captured 401 unless Options.AnonymousReads. It records
// every request, and can inject failures.
//
// It implements the subset cyclezero uses: the service and catalog
// documents (@snap clamped to a real snapshot), model reads and creates
// under /schema, entity GET/POST/PUT (upsert)/DELETE with filters,
// @sort/@after/@before and ?limit, attribute GET, attributegroup GET (group
// counts) and PUT (updates), aggregate GET, answers as JSON, CSV or JSON
// streams, entity_rid, and /authn/session. Joins, CSV input, attribute
// DELETE and the history API are answered with a 400 that says the fake
// lacks them; write answers are always JSON.
package ermresttest

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/cyclezero/cyclezero/catalog"
)

// Options configure a Server.
type Options struct {
	// CatalogID is the id the catalog answers to (default "1").
	CatalogID string
	// Cookies maps webauthn cookie values to the clients they log in.
	Cookies map[string]catalog.Identity
	// Bearers maps bearer tokens to clients. A webauthn database provider,
	// as in the observed server, ignores bearer tokens; leave this empty to
	// behave like it.
	Bearers map[string]catalog.Identity
	// Users are the username/password logins POST /authn/session accepts.
	Users map[string]User
	// AnonymousReads lets callers the fake does not know (no registered
	// cookie or bearer token) read the catalog, like a server whose ACLs
	// grant enumerate and select to "*". By default the fake acts as the
	// captured server, whose catalog granted anonymous callers nothing:
	// every anonymous catalog request gets 401 "Access requires
	// authentication. Detail: enumerate access on catalog/1" (captures
	// catalog-get-anon, catalog-bearer-cookieval). Anonymous writes get 401
	// either way. The service document GET /ermrest/ is always open.
	AnonymousReads bool
	// ReadOnly lists client ids whose writes get 403.
	ReadOnly []string
	// SelectRefused lists tables whose rows no caller may read, as when a
	// table's select ACL leaves the caller out (ordinary in ERMrest):
	// every data GET rooted at one is answered as ERMrest's enforce_right
	// refuses it, 403 "Access forbidden. Detail: select access on
	// :{schema}:{table}" (names URL-quoted), or the same detail in a 401
	// "Access requires authentication." to an anonymous caller. The
	// model still lists the table (and, the fake's callers being owners,
	// its rights still say select).
	SelectRefused []catalog.TableRef
	// DontRecord keeps no request log (Requests stays empty), for a
	// long-running server whose memory must not grow with its traffic.
	DontRecord bool
}

// User is a username/password login of the fake's webauthn.
type User struct {
	Password string
	Identity catalog.Identity
}

// Request is a request as the server received it.
type Request struct {
	Method string
	URI    string // the raw request URI: escaped path and query
	Path   string // the escaped path
	Query  string // the raw query, without '?'
	Header http.Header
	Body   []byte
}

// Fault is a failure to inject instead of an answer.
type Fault struct {
	Method      string      // "" for any method
	PathPrefix  string      // "" for any path; compared with the escaped path
	Status      int         // answer this status with ERMrest's body for it...
	Body        string      // ...or this body instead (e.g. an HTML page, truncated JSON)
	ContentType string      // with this content type (default text/plain)
	Reset       bool        // drop the connection without an answer
	Times       int         // how many matching requests fail (default 1)
	Header      http.Header // added to the answer, e.g. a proxy's Retry-After
}

// Server is a running fake. Close it when done.
type Server struct {
	*httptest.Server
	engine catalog.Store
	opts   Options

	mu       sync.Mutex
	requests []Request
	faults   []*Fault
	snaps    []int64     // snapshots seen, ascending (see clamp)
	phantom  phantomSnap // a snapshot only the fake knows (see bump)
	write    sync.Mutex  // serializes writes, so update pre-checks are exact
}

// New starts a fake serving engine over loopback HTTP.
func New(engine catalog.Store, opts Options) *Server {
	s := NewUnstarted(engine, opts)
	s.Start()
	return s
}

// NewUnstarted is New without starting: set Listener (for example to a
// fixed loopback port) and call Start.
func NewUnstarted(engine catalog.Store, opts Options) *Server {
	if opts.CatalogID == "" {
		opts.CatalogID = "1"
	}
	if opts.Cookies == nil {
		opts.Cookies = map[string]catalog.Identity{}
	}
	s := &Server{engine: engine, opts: opts}
	_, _ = s.live(context.Background()) // an engine error shows on the first request
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	return s
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.requests = nil
	s.mu.Unlock()
}

// Inject queues a fault; it applies to the next matching requests.
func (s *Server) Inject(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	s.faults = append(s.faults, &f)
	s.mu.Unlock()
}

// AddCookie registers a webauthn cookie value for a client.
func (s *Server) AddCookie(value string, who catalog.Identity) {
	s.mu.Lock()
	s.opts.Cookies[value] = who
	s.mu.Unlock()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path, query, _ := strings.Cut(r.RequestURI, "?")
	s.mu.Lock()
	if !s.opts.DontRecord {
		s.requests = append(s.requests, Request{Method: r.Method, URI: r.RequestURI, Path: path, Query: query,
			Header: r.Header.Clone(), Body: body})
	}
	fault := s.takeFault(r.Method, path)
	s.mu.Unlock()
	w = &errorWriter{ResponseWriter: w, accept: r.Header.Get("Accept")}
	if fault != nil {
		inject(w, fault)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	switch {
	case r.Method == http.MethodHead:
		// No ERMrest handler defines HEAD: 500 with an empty body (§0.12).
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusInternalServerError)
	case path == "/authn/session":
		s.serveSession(w, r, body)
	case strings.HasPrefix(path, "/ermrest"):
		s.serveERMrest(w, r, body)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) takeFault(method, path string) *Fault {
	for i, f := range s.faults {
		if (f.Method == "" || f.Method == method) && strings.HasPrefix(path, f.PathPrefix) {
			f.Times--
			if f.Times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return f
		}
	}
	return nil
}

func inject(w http.ResponseWriter, f *Fault) {
	if f.Reset {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // close with RST: "connection reset by peer"
				}
				_ = conn.Close()
				return
			}
		}
	}
	for k, v := range f.Header {
		w.Header()[k] = v
	}
	if f.Body == "" && f.ContentType == "" {
		writeError(w, f.Status, "injected failure")
		return
	}
	ct := f.ContentType
	if ct == "" {
		ct = "text/plain"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(f.Status)
	_, _ = io.WriteString(w, f.Body)
}

// caller identifies who sent r: a known webauthn cookie, else a known
// bearer token, else anonymous.
func (s *Server) caller(r *http.Request) (catalog.Identity, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, err := r.Cookie("webauthn"); err == nil {
		if who, ok := s.opts.Cookies[c.Value]; ok {
			return who, true
		}
	}
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		if who, ok := s.opts.Bearers[tok]; ok {
			return who, true
		}
	}
	return catalog.Identity{Anonymous: true}, false
}

// roles are the caller's client and attribute ids, for ETags.
func roles(who catalog.Identity, known bool) []string {
	if !known {
		return []string{"*"}
	}
	return append([]string{who.ID, "*"}, who.Groups...)
}

func (s *Server) readOnly(id string) bool {
	for _, ro := range s.opts.ReadOnly {
		if ro == id {
			return true
		}
	}
	return false
}

// ctx is the request's context, for engine calls.
func ctx(r *http.Request) context.Context { return r.Context() }
