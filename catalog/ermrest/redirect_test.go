package ermrest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/cyclezero/cyclezero/catalog"
)

// seen records the credential headers each request to a test server carried.
type seen struct {
	mu   sync.Mutex
	auth []string // "Authorization|Cookie" of each request, in order
}

func (s *seen) add(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth = append(s.auth, r.Header.Get("Authorization")+"|"+r.Header.Get("Cookie"))
}

func (s *seen) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auth...)
}

// anonymousSession answers like webauthn without a login session.
func anonymousSession(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusNotFound)
	_, _ = fmt.Fprintln(w, noSession)
}

// redirectClient is a client of the package's own default HTTP client (so
// its redirect policy is the one under test) on host, logged in with entry
// from a credential file; roots, when set, are the CAs it trusts.
func redirectClient(t *testing.T, host, entry string, roots *x509.CertPool) *Client {
	t.Helper()
	hc := defaultHTTPClient()
	if roots != nil {
		hc.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	u, err := url.Parse(host)
	if err != nil {
		t.Fatal(err)
	}
	path := credFile(t, fmt.Sprintf(`{%q: %s}`, u.Host, entry))
	c, err := New(host, "1", Options{HTTPClient: hc, CredentialFile: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// A redirect to another scheme or port of the same host name (which
// net/http alone would send the hand-set credential headers to) arrives
// without them; the catalog's own server still got them.
func TestRedirectOffOriginDropsCredentials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, entry, sent string
		tls               bool
	}{
		{"https to http, bearer token", `{"bearer-token": "s3cret"}`, "Bearer s3cret|", true},
		{"https to http, cookie", `{"cookie": "webauthn=s3cret"}`, "|webauthn=s3cret", true},
		{"http to another port, bearer token", `{"bearer-token": "s3cret"}`, "Bearer s3cret|", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var there, here seen
			elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				there.add(r)
				anonymousSession(w)
			}))
			t.Cleanup(elsewhere.Close)
			redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				here.add(r)
				http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusFound)
			})
			var origin *httptest.Server
			var roots *x509.CertPool
			if tc.tls {
				origin = httptest.NewTLSServer(redirect)
				roots = x509.NewCertPool()
				roots.AddCert(origin.Certificate())
			} else {
				origin = httptest.NewServer(redirect)
			}
			t.Cleanup(origin.Close)
			c := redirectClient(t, origin.URL, tc.entry, roots)

			id, err := c.Whoami(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if !id.Anonymous {
				t.Errorf("Whoami = %+v, want the anonymous answer of the redirect's target", id)
			}
			if got := here.all(); len(got) != 1 || got[0] != tc.sent {
				t.Errorf("the catalog's own server got credentials %q, want [%q]", got, tc.sent)
			}
			if got := there.all(); len(got) != 1 || got[0] != "|" {
				t.Errorf("the redirect's target (%s) got credentials %q, want none", elsewhere.URL, got)
			}
		})
	}
}

// A redirect within the catalog's origin (a relative one, or an absolute
// URL naming the same scheme, host and port) keeps the credential.
func TestRedirectSameOriginKeepsCredentials(t *testing.T) {
	t.Parallel()
	var got seen
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.add(r)
		switch r.URL.Path {
		case "/authn/session":
			http.Redirect(w, r, "/authn/session/", http.StatusMovedPermanently)
		case "/authn/session/":
			http.Redirect(w, r, srv.URL+"/authn/final", http.StatusFound)
		default:
			anonymousSession(w)
		}
	}))
	t.Cleanup(srv.Close)
	c := redirectClient(t, srv.URL, `{"bearer-token": "s3cret"}`, nil)
	// The token reached the final answer, which has no session for it: a
	// refused login (off origin it would not have been sent at all).
	if _, err := c.Whoami(t.Context()); !errors.Is(err, catalog.ErrUnauthenticated) {
		t.Fatalf("Whoami = %v, want the token refused", err)
	}
	want := "Bearer s3cret|"
	if all := got.all(); len(all) != 3 || all[0] != want || all[1] != want || all[2] != want {
		t.Errorf("requests carried %q, want %q on all three", all, want)
	}
}

func TestOrigin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"https://h.org/x", "https://H.ORG:443/y", true},
		{"http://h.org/x", "http://h.org:80/", true},
		{"https://h.org/", "http://h.org/", false},
		{"https://h.org/", "https://h.org:8443/", false},
		{"https://h.org/", "https://sub.h.org/", false},
		{"http://[::1]:8080/", "http://[::1]:8080/z", true},
	} {
		a, _ := url.Parse(tc.a)
		b, _ := url.Parse(tc.b)
		if got := origin(a) == origin(b); got != tc.same {
			t.Errorf("origin(%s) == origin(%s) is %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
}

// A write answered with a redirect is not followed: net/http would resend
// a 302'd POST as a GET (the insert silently dropped) and a 307'd one as a
// POST elsewhere (replayed). The caller gets an error; the target nothing.
func TestRedirectOfWriteIsNotFollowed(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			var there seen
			target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				there.add(r)
				w.Header().Set("Content-Type", "application/json")
				_, _ = fmt.Fprint(w, "[]")
			}))
			t.Cleanup(target.Close)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost {
					anonymousSession(w)
					return
				}
				http.Redirect(w, r, target.URL+r.URL.RequestURI(), status)
			}))
			t.Cleanup(srv.Close)
			c := redirectClient(t, srv.URL, `{"bearer-token": "s3cret"}`, nil)

			_, err := c.Insert(t.Context(), catalog.TableRef{Schema: "s", Table: "T"},
				[]catalog.Row{{"Name": "x"}}, catalog.InsertOptions{})
			if err == nil {
				t.Errorf("an insert answered %d succeeded, want an error", status)
			}
			if got := there.all(); len(got) != 0 {
				t.Errorf("the redirect's target got %d requests, want none", len(got))
			}
		})
	}
}
