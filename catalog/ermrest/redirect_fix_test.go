package ermrest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

// refusing is a server that answers every request as ERMrest does one it
// may not serve: status, text/plain.
func refusing(t *testing.T, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(status)
		_, _ = w.Write([]byte("Access forbidden. Detail: no access\n"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// redirecting is a server that redirects every request to to's origin.
func redirecting(t *testing.T, to string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, to+r.URL.RequestURI(), http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func catalogError(t *testing.T, err error, kind error) *catalog.Error {
	t.Helper()
	require.ErrorIs(t, err, kind)
	var ce *catalog.Error
	require.ErrorAs(t, err, &ce)
	return ce
}

// A 401 or 403 from where a redirect to another origin led (which the
// saved login is not sent to) says so and names that place for --host,
// instead of blaming the saved login: logging in again cannot help.
func TestRefusalAfterRedirectNamesWhereItCameFrom(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		for _, entry := range []string{`{"bearer-token": "s3cret"}`, `{}`} {
			t.Run(http.StatusText(status)+" "+entry, func(t *testing.T) {
				t.Parallel()
				there := refusing(t, status)
				c := redirectClient(t, redirecting(t, there.URL).URL, entry, nil)

				_, err := c.Snapshot(t.Context())
				ce := catalogError(t, err, kindForStatus(status))
				assert.NotErrorIs(t, err, ErrLoginRefused, "the login was never sent there")
				to := there.URL
				if entry == `{}` {
					assert.Equal(t, c.host+" redirected to "+to+"; use --host "+to+
						" (cyclezero resume SLUG --host "+to+" to repoint a session)", ce.Fix)
				} else {
					assert.Equal(t, c.host+" redirected to "+to+", where your saved login is not sent; use --host "+to+
						" (cyclezero resume SLUG --host "+to+" to repoint a session)", ce.Fix)
				}
			})
		}
	}
}

// A saved username and password is a saved login too: a redirect off
// --host leaves it behind, and the fix says so.
func TestRedirectedFixNamesASavedPasswordLogin(t *testing.T) {
	t.Parallel()
	c := redirectClient(t, "https://deriva.example.org", `{"username": "u", "password": "p"}`, nil)
	assert.True(t, strings.HasPrefix(c.redirectedFix("https://other.example.org"),
		c.host+" redirected to https://other.example.org, where your saved login is not sent; "), c.redirectedFix("https://other.example.org"))
}

// Without a redirect, a 401 to a request that carried the saved login is
// an ErrLoginRefused (log in again); one that carried none is not.
func TestRefusalOfTheSavedLogin(t *testing.T) {
	t.Parallel()
	srv := refusing(t, http.StatusUnauthorized)

	c := redirectClient(t, srv.URL, `{"bearer-token": "s3cret"}`, nil)
	_, err := c.Snapshot(t.Context())
	ce := catalogError(t, err, ErrLoginRefused)
	assert.ErrorIs(t, err, catalog.ErrUnauthenticated)
	assert.Contains(t, ce.Fix, "was not accepted; log in again with: ")

	c = redirectClient(t, srv.URL, `{}`, nil)
	_, err = c.Snapshot(t.Context())
	ce = catalogError(t, err, catalog.ErrUnauthenticated)
	assert.NotErrorIs(t, err, ErrLoginRefused)
	assert.True(t, strings.HasPrefix(ce.Fix, "log in with: "), ce.Fix)
}

// A redirect to plain http:// on another machine is not followed (from
// https:// or from a loopback http:// server alike): its answer could be
// read or changed on the way. To this machine it is (see
// TestRedirectOffOriginDropsCredentials).
func TestRedirectToPlainHTTPElsewhereIsRefused(t *testing.T) {
	t.Parallel()
	var dialed atomic.Int32
	origin := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://192.0.2.7:8080"+r.URL.RequestURI(), http.StatusFound)
	}))
	t.Cleanup(origin.Close)
	hc := origin.Client()
	hc.CheckRedirect = checkRedirect
	tr := hc.Transport.(*http.Transport)
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr != origin.Listener.Addr().String() {
			dialed.Add(1)
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	c, err := New(origin.URL, "1", Options{HTTPClient: hc, CredentialFile: credFile(t, `{}`)})
	require.NoError(t, err)

	_, err = c.Whoami(t.Context())
	ce := catalogError(t, err, ErrInsecureRedirect)
	assert.ErrorIs(t, err, catalog.ErrBadResponse)
	assert.Equal(t, c.host+" redirected to http://192.0.2.7:8080, plain HTTP on another machine, which cyclezero does not follow", ce.Detail)
	assert.Contains(t, ce.Fix, "use the server's HTTPS address")
	assert.Zero(t, dialed.Load(), "nothing was sent to the plain-HTTP address")

	req := &http.Request{URL: mustParse(t, "http://example.org/x")}
	via := []*http.Request{{Method: http.MethodGet, URL: mustParse(t, "http://127.0.0.1:8080/x")}}
	assert.Error(t, checkRedirect(req, via), "from a loopback server too")
	req.URL = mustParse(t, "http://localhost:9/x")
	assert.NoError(t, checkRedirect(req, via), "plain HTTP to this machine is followed")
}

// A server elsewhere that redirects to this machine is not followed, over
// HTTPS or plain HTTP: it would have cyclezero read a local service. From
// a server on this machine it is.
func TestRedirectFromElsewhereToThisMachineIsRefused(t *testing.T) {
	t.Parallel()
	remote := []*http.Request{{Method: http.MethodGet, URL: mustParse(t, "https://deriva.example.org/ermrest/catalog/1")}}
	for _, to := range []string{"http://localhost:8080/x", "https://127.0.0.1/x", "http://[::1]:9/x"} {
		err := checkRedirect(&http.Request{URL: mustParse(t, to)}, remote)
		var ire *insecureRedirectError
		if assert.ErrorAs(t, err, &ire, to) {
			assert.True(t, ire.local, to)
		}
	}
	local := []*http.Request{{Method: http.MethodGet, URL: mustParse(t, "http://127.0.0.1:8080/x")}}
	assert.NoError(t, checkRedirect(&http.Request{URL: mustParse(t, "http://localhost:9/x")}, local))

	c, err := New("https://deriva.example.org", "1", Options{CredentialFile: credFile(t, `{}`)})
	require.NoError(t, err)
	ce := c.insecureRedirect("GET /ermrest/catalog/1", &insecureRedirectError{to: mustParse(t, "http://localhost:8080/x"), local: true})
	assert.ErrorIs(t, ce, ErrInsecureRedirect)
	assert.Equal(t, c.host+" redirected to http://localhost:8080, on this machine, which cyclezero does not follow from a server elsewhere", ce.Detail)
}

// A redirect to a host name that does not exist, or a port where nothing
// listens, says that --host sent the request there.
func TestRedirectToNowhereSaysSo(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	gone := closed.Listener.Addr().String()
	closed.Close()

	hc := defaultHTTPClient()
	hc.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if strings.HasPrefix(addr, "nosuch.invalid:") { // no DNS in tests: what the resolver would say
			return nil, &net.OpError{Op: "dial", Net: network,
				Err: &net.DNSError{Err: "no such host", Name: "nosuch.invalid", IsNotFound: true}}
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	for _, tc := range []struct{ to, detail, fix string }{
		{"https://nosuch.invalid", "no server is named nosuch.invalid (%s redirected there)",
			"the server at %s sent the request to a host name that does not exist"},
		{"http://" + gone, "nothing is listening at " + gone + " (%s redirected there)",
			"the server at %s sent the request where no server is running"},
	} {
		srv := redirecting(t, tc.to)
		c, err := New(srv.URL, "1", Options{HTTPClient: hc, CredentialFile: credFile(t, `{}`), Retry: RetryPolicy{Attempts: 1}})
		require.NoError(t, err)
		_, err = c.Whoami(t.Context())
		ce := catalogError(t, err, catalog.ErrUnreachable)
		assert.Equal(t, strings.ReplaceAll(tc.detail, "%s", c.host), ce.Detail)
		assert.Contains(t, ce.Fix, strings.ReplaceAll(tc.fix, "%s", c.host))
	}

	// Without a redirect, the messages are as before.
	c, err := New("http://"+gone, "1", Options{HTTPClient: hc, CredentialFile: credFile(t, `{}`), Retry: RetryPolicy{Attempts: 1}})
	require.NoError(t, err)
	_, err = c.Whoami(t.Context())
	assert.Equal(t, "nothing is listening at "+gone, catalogError(t, err, catalog.ErrUnreachable).Detail)
}

func mustParse(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

// An answer that is not ERMrest's (a login page in HTML, or one too large)
// from where a redirect led names that place: it is the server that did
// not answer like ERMrest, not --host.
func TestNotERMrestAfterRedirectNamesWhereItCameFrom(t *testing.T) {
	t.Parallel()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/ermrest/catalog/1" {
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(strings.Repeat("<p>sign in</p>", 1000)))
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("<html><body>Please sign in</body></html>"))
	}))
	t.Cleanup(page.Close)
	from := redirecting(t, page.URL)
	c := redirectClient(t, from.URL, `{}`, nil)
	to := "http://" + strings.TrimPrefix(page.URL, "http://")

	_, err := c.Model(t.Context(), "")
	ce := catalogError(t, err, catalog.ErrBadResponse)
	assert.Equal(t, c.host+" redirected to "+to+", which did not answer like an ERMrest catalog (a proxy or login page "+
		"may be in the way); check --host and that "+c.base+"/ermrest/ opens in a browser", ce.Fix)

	c.maxAnswer = 1 << 10
	_, err = c.Snapshot(t.Context())
	ce = catalogError(t, err, ErrAnswerTooLarge)
	assert.Contains(t, ce.Detail, "the answer from "+strings.TrimPrefix(page.URL, "http://")+" is over 1 KiB")
	assert.True(t, strings.HasPrefix(ce.Fix, c.host+" redirected to "+to+", which did not answer like"), ce.Fix)
}

// A password login answered by a proxy's HTML 401 page is not the
// password being refused: it keeps the "not an ERMrest answer" kind and
// fix; webauthn's own text/plain 401 is a refused login.
func TestPasswordLoginRefusalOnlyInWebauthnsWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		contentType, body string
		refused           bool
	}{
		{"text/html", "<html><body>Sign in</body></html>", false},
		{"text/plain", "Unauthorized. Detail: login failed\n", true},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", tc.contentType)
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(tc.body))
		}))
		t.Cleanup(srv.Close)
		c := redirectClient(t, srv.URL, `{"username": "u", "password": "p"}`, nil)
		_, err := c.Snapshot(t.Context())
		if tc.refused {
			ce := catalogError(t, err, ErrLoginRefused)
			assert.Contains(t, ce.Fix, "the username and password in ", tc.contentType)
			continue
		}
		ce := catalogError(t, err, catalog.ErrBadResponse)
		assert.NotErrorIs(t, err, ErrLoginRefused, tc.contentType)
		assert.Contains(t, ce.Fix, "did not answer like an ERMrest catalog", tc.contentType)
	}
}
