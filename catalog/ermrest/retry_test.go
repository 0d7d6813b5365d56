package ermrest_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

// attempts records what a client's Observe hook saw.
type attempts struct {
	mu   sync.Mutex
	list []ermrest.Attempt
}

func (a *attempts) observe(x ermrest.Attempt) {
	a.mu.Lock()
	a.list = append(a.list, x)
	a.mu.Unlock()
}

func (a *attempts) count(method string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, x := range a.list {
		if x.Method == method {
			n++
		}
	}
	return n
}

// observed opens a second client on srv that counts its attempts.
func observed(t *testing.T, srv *ermresttest.Server, tries int) (*ermrest.Client, *attempts) {
	t.Helper()
	var a attempts
	home := t.TempDir()
	writeCredentials(t, home, map[string]any{hostOf(srv): map[string]any{"cookie": "webauthn=contract-session"}})
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: home, Observe: a.observe,
		Retry: ermrest.RetryPolicy{Attempts: tries, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}})
	require.NoError(t, err)
	return c, &a
}

func TestReadsAreRetried(t *testing.T) {
	t.Parallel()
	_, srv := seeded(t, ermresttest.Options{})
	c, seen := observed(t, srv, 3)
	ctx := t.Context()

	srv.Inject(ermresttest.Fault{Method: "GET", PathPrefix: "/ermrest/catalog/1/schema", Status: 503})
	_, err := c.Model(ctx, "")
	require.NoError(t, err)
	assert.Equal(t, 2, seen.count("GET"), "a 503 is retried")

	srv.Inject(ermresttest.Fault{Method: "GET", PathPrefix: "/ermrest/catalog/1", Status: 504})
	_, err = c.Snapshot(ctx)
	require.NoError(t, err, "a gateway's timeout is retried")
	assert.Equal(t, 4, seen.count("GET"), "a 504 is retried")

	// A reset connection is retried (by net/http itself when the connection
	// was reused, else by the client): the server sees the request twice.
	srv.ResetRequests()
	srv.Inject(ermresttest.Fault{Method: "GET", PathPrefix: "/ermrest/catalog/1", Reset: true})
	_, err = c.Snapshot(ctx)
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), 2, "a reset connection is retried")

	before := seen.count("GET")
	srv.Inject(ermresttest.Fault{Method: "GET", Status: 503, Times: 3})
	_, err = c.Snapshot(ctx)
	requireKind(t, err, catalog.ErrUnavailable)
	if !strings.Contains(catalog.Hint(err), "tried 3 times") {
		t.Errorf("fix %q", catalog.Hint(err))
	}
	assert.Equal(t, before+3, seen.count("GET"), "bounded attempts")

	srv.Inject(ermresttest.Fault{Method: "GET", Status: 409})
	_, err = c.Snapshot(ctx)
	requireKind(t, err, catalog.ErrConflict)
	assert.Equal(t, before+4, seen.count("GET"), "a 409 is not retried")
}

// A reset on a fresh connection (no pooled connection for net/http to
// retry on) is retried by the client.
func TestResetOnFreshConnectionIsRetried(t *testing.T) {
	t.Parallel()
	srv := ermresttest.New(localtest.Open(t, local.Options{Client: testUser}), ermresttest.Options{AnonymousReads: true})
	t.Cleanup(srv.Close)
	var seen attempts
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: t.TempDir(), Observe: seen.observe,
		HTTPClient: &http.Client{Transport: tr}, Retry: ermrest.RetryPolicy{BaseDelay: time.Millisecond}})
	require.NoError(t, err)
	srv.Inject(ermresttest.Fault{Method: "GET", Reset: true})
	_, err = c.Snapshot(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 2, seen.count("GET"))
	seen.mu.Lock()
	defer seen.mu.Unlock()
	if seen.list[0].Err == nil || seen.list[1].Status != 200 {
		t.Errorf("attempts %+v", seen.list)
	}
}

func TestWritesAreNeverRetried(t *testing.T) {
	t.Parallel()
	_, srv := seeded(t, ermresttest.Options{})
	c, seen := observed(t, srv, 5)
	ctx := t.Context()
	row := []catalog.Row{{"Filename": "z.png"}}

	srv.Inject(ermresttest.Fault{Method: "POST", Status: 503})
	_, err := c.Insert(ctx, imageRef, row, catalog.InsertOptions{})
	requireKind(t, err, catalog.ErrUnavailable)
	if !strings.Contains(catalog.Hint(err), "may or may not have been applied") {
		t.Errorf("fix %q", catalog.Hint(err))
	}
	assert.Equal(t, 1, seen.count("POST"))

	srv.Inject(ermresttest.Fault{Method: "POST", Reset: true})
	_, err = c.Insert(ctx, imageRef, row, catalog.InsertOptions{})
	requireKind(t, err, catalog.ErrUnavailable)
	if !strings.Contains(catalog.Hint(err), "may or may not have been applied") {
		t.Errorf("fix %q", catalog.Hint(err))
	}
	assert.Equal(t, 2, seen.count("POST"))

	srv.Inject(ermresttest.Fault{Method: "PUT", Status: 503})
	_, err = c.Update(ctx, imageRef, catalog.UpdateSpec{Match: []string{"Filename"}, Set: []string{"Width"}},
		[]catalog.Row{{"Filename": "a.png", "Width": 1}})
	requireKind(t, err, catalog.ErrUnavailable)
	srv.Inject(ermresttest.Fault{Method: "DELETE", Status: 503})
	requireKind(t, c.Delete(ctx, imageRef, catalog.Eq{Column: "Filename", Value: "a.png"}), catalog.ErrUnavailable)
	assert.Equal(t, 1, seen.count("PUT"))
	assert.Equal(t, 1, seen.count("DELETE"))
	for _, r := range srv.Requests() {
		if r.Method == http.MethodHead {
			t.Errorf("HEAD sent to %s", r.URI)
		}
	}
}

// A proxy's 429 is retried for reads like a 503, after the Retry-After it
// asks for (capped by MaxDelay), and never for writes.
func TestTooManyRequests(t *testing.T) {
	t.Parallel()
	_, srv := seeded(t, ermresttest.Options{})
	c, seen := observed(t, srv, 3)
	ctx := t.Context()
	slowDown := http.Header{"Retry-After": {"1"}}

	srv.Inject(ermresttest.Fault{Method: "GET", Status: 429, Body: "Too Many Requests\n", Header: slowDown})
	_, err := c.Snapshot(ctx)
	require.NoError(t, err)
	seen.mu.Lock()
	first := seen.list[0]
	seen.mu.Unlock()
	assert.True(t, first.Retrying, "a 429 read is retried")
	// BaseDelay is 1ms, so only the Retry-After (capped at MaxDelay) makes the wait 2ms.
	assert.Equal(t, 2*time.Millisecond, first.Backoff, "Retry-After honoured up to MaxDelay")

	srv.Inject(ermresttest.Fault{Method: "POST", Status: 429, Body: "Too Many Requests\n", Header: slowDown})
	_, err = c.Insert(ctx, imageRef, []catalog.Row{{"Filename": "w.png"}}, catalog.InsertOptions{})
	requireKind(t, err, catalog.ErrUnavailable)
	assert.Contains(t, catalog.Hint(err), "wait a minute and send it again")
	assert.Equal(t, 1, seen.count("POST"), "a write is never retried")
}

func TestContextEndsRetries(t *testing.T) {
	t.Parallel()
	_, srv := seeded(t, ermresttest.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	home := t.TempDir()
	// A budget that leaves room for the hour's backoff, so that the client
	// waits to retry and the cancellation ends the wait.
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: home, ReadBudget: 3 * time.Hour,
		Retry:   ermrest.RetryPolicy{Attempts: 5, BaseDelay: time.Hour, MaxDelay: time.Hour},
		Observe: func(ermrest.Attempt) { cancel() }})
	require.NoError(t, err)
	srv.Inject(ermresttest.Fault{Method: "GET", Status: 503})
	_, err = c.Snapshot(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// timeoutOnce fails the first request with a network timeout.
type timeoutOnce struct {
	mu   sync.Mutex
	done bool
	next http.RoundTripper
}

type netTimeout struct{}

func (netTimeout) Error() string   { return "i/o timeout" }
func (netTimeout) Timeout() bool   { return true }
func (netTimeout) Temporary() bool { return true }

var _ net.Error = netTimeout{}

func (rt *timeoutOnce) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	first := !rt.done
	rt.done = true
	rt.mu.Unlock()
	if first {
		return nil, netTimeout{}
	}
	return rt.next.RoundTrip(r)
}

func TestTimeoutsAreRetried(t *testing.T) {
	t.Parallel()
	srv := ermresttest.New(localtest.Open(t, local.Options{Client: testUser}), ermresttest.Options{AnonymousReads: true})
	t.Cleanup(srv.Close)
	var seen attempts
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: t.TempDir(), Observe: seen.observe,
		HTTPClient: &http.Client{Transport: &timeoutOnce{next: http.DefaultTransport}},
		Retry:      ermrest.RetryPolicy{BaseDelay: time.Millisecond}})
	require.NoError(t, err)
	_, err = c.Snapshot(t.Context())
	require.NoError(t, err)
	seen.mu.Lock()
	defer seen.mu.Unlock()
	require.Len(t, seen.list, 2, "the timed-out try, then one retry that succeeds: %+v", seen.list)
	first, second := seen.list[0], seen.list[1]
	assert.Equal(t, 1, first.Try)
	assert.Zero(t, first.Status, "no answer to the first try")
	var ne net.Error
	require.ErrorAs(t, first.Err, &ne, "the first try failed with the timeout")
	assert.True(t, ne.Timeout())
	assert.Equal(t, first.URL, second.URL, "the same request again")
	assert.Equal(t, 2, second.Try)
	assert.Equal(t, http.StatusOK, second.Status)
	assert.NoError(t, second.Err)
}

func TestStatusMappingEndToEnd(t *testing.T) {
	t.Parallel()
	c, srv := seeded(t, ermresttest.Options{ReadOnly: []string{"reader"}})
	ctx := t.Context()

	_, err := c.Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: "cell-imaging", Table: "NoSuchTable"}, Limit: 1})
	requireKind(t, err, catalog.ErrConflict)
	if !strings.Contains(catalog.Hint(err), "cyclezero catalog ls") {
		t.Errorf("409 fix %q", catalog.Hint(err))
	}
	var ce *catalog.Error
	errors.As(err, &ce)
	assert.Equal(t, 409, ce.Status)
	assert.Equal(t, "Table NoSuchTable does not exist in schema cell-imaging.", ce.Detail)
	assert.Equal(t, "GET /ermrest/catalog/1/entity/cell-imaging:NoSuchTable?limit=1", ce.Op)

	srv.Inject(ermresttest.Fault{Method: "GET", Status: 200, ContentType: "text/html",
		Body: "<!DOCTYPE html><html><body>Please sign in</body></html>"})
	_, err = c.Snapshot(ctx)
	requireKind(t, err, catalog.ErrBadResponse)

	srv.Inject(ermresttest.Fault{Method: "GET", Status: 200, ContentType: "application/json", Body: `[{"RID":"1ZA","Wid`})
	_, err = c.Query(ctx, catalog.Query{Table: imageRef, Limit: 1})
	requireKind(t, err, catalog.ErrBadResponse)

	srv.Inject(ermresttest.Fault{Method: "GET", Status: 200, ContentType: "application/json", Body: `{"snaptime":"x"}`})
	_, err = c.Model(ctx, "")
	requireKind(t, err, catalog.ErrBadResponse)

	srv.Inject(ermresttest.Fault{Method: "GET", Status: 502, ContentType: "text/html", Body: "<html>Bad Gateway</html>", Times: 3})
	_, err = c.Snapshot(ctx)
	requireKind(t, err, catalog.ErrUnavailable)

	srv.Inject(ermresttest.Fault{Method: "GET", Status: 500})
	_, err = c.Snapshot(ctx)
	requireKind(t, err, catalog.ErrServer)

	srv.Inject(ermresttest.Fault{Method: "POST", Status: 412})
	_, err = c.Insert(ctx, imageRef, []catalog.Row{{"Filename": "q.png"}}, catalog.InsertOptions{})
	requireKind(t, err, catalog.ErrPrecondition)
	if !strings.Contains(catalog.Hint(err), "someone else changed it") {
		t.Errorf("412 fix %q", catalog.Hint(err))
	}

	srv.AddCookie("reader-session", catalog.Identity{ID: "reader"})
	home := t.TempDir()
	writeCredentials(t, home, map[string]any{hostOf(srv): map[string]any{"cookie": "webauthn=reader-session"}})
	reader, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: home})
	require.NoError(t, err)
	_, err = reader.Insert(ctx, imageRef, []catalog.Row{{"Filename": "r.png"}}, catalog.InsertOptions{})
	requireKind(t, err, catalog.ErrForbidden)
	if !strings.Contains(catalog.Hint(err), "owner") {
		t.Errorf("403 fix %q", catalog.Hint(err))
	}

	snap, err := c.Snapshot(ctx)
	require.NoError(t, err)
	srv.AddCookie("snap-session", testUser)
	home = t.TempDir()
	writeCredentials(t, home, map[string]any{hostOf(srv): map[string]any{"cookie": "webauthn=snap-session"}})
	atSnap, err := ermrest.New(srv.URL, "1@"+snap, ermrest.Options{HomeDir: home})
	require.NoError(t, err)
	_, err = atSnap.Insert(ctx, imageRef, []catalog.Row{{"Filename": "s.png"}}, catalog.InsertOptions{})
	requireKind(t, err, catalog.ErrForbidden)
	if !strings.Contains(catalog.Hint(err), "read-only") {
		t.Errorf("snapshot write fix %q", catalog.Hint(err))
	}
	rows, err := atSnap.Query(ctx, catalog.Query{Table: imageRef, Limit: 10})
	require.NoError(t, err)
	assert.Len(t, rows, 3, "reads default to the snapshot")

	wrong, err := ermrest.New(srv.URL, "9", ermrest.Options{HomeDir: t.TempDir()})
	require.NoError(t, err)
	err = wrong.Delete(ctx, imageRef, nil)
	requireKind(t, err, catalog.ErrNotFound)
	if !strings.Contains(catalog.Hint(err), "--catalog") {
		t.Errorf("unknown catalog fix %q", catalog.Hint(err))
	}
}

func TestLoginRequired(t *testing.T) {
	t.Parallel()
	srv := ermresttest.New(localtest.Open(t, local.Options{Client: testUser}), ermresttest.Options{})
	t.Cleanup(srv.Close)
	home := t.TempDir()
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: home})
	require.NoError(t, err)
	_, err = c.Model(t.Context(), "")
	requireKind(t, err, catalog.ErrUnauthenticated)
	fix := catalog.Hint(err)
	if !strings.Contains(fix, "deriva-globus-auth-utils login --host "+hostOf(srv)) || !strings.Contains(fix, home) {
		t.Errorf("401 fix %q", fix)
	}
	// A bearer token the database provider ignores still leaves the caller anonymous.
	writeCredentials(t, home, map[string]any{hostOf(srv): map[string]any{"bearer-token": "ignored"}})
	c, err = ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: home})
	require.NoError(t, err)
	_, err = c.Model(t.Context(), "")
	requireKind(t, err, catalog.ErrUnauthenticated)
	if strings.Contains(err.Error(), "ignored") {
		t.Errorf("the token leaked: %v", err)
	}
	// The fix says the saved login was sent and not accepted, not "log in".
	fix = catalog.Hint(err)
	if !strings.Contains(fix, "saved login for "+hostOf(srv)) || !strings.Contains(fix, "not accepted") ||
		!strings.Contains(fix, "log in again with: deriva-globus-auth-utils login --host "+hostOf(srv)) {
		t.Errorf("refused-token fix %q", fix)
	}
	// webauthn answers such a token 404 "No existing login session found."
	// (ermrest.md §0): whoami says it was refused, not just "anonymous".
	_, err = c.Whoami(t.Context())
	requireKind(t, err, catalog.ErrUnauthenticated)
	if !strings.Contains(catalog.Hint(err), "not accepted") || strings.Contains(err.Error(), "ignored") {
		t.Errorf("whoami with a refused token: %v (fix %q)", err, catalog.Hint(err))
	}
}

// A fix that suggests a command spells it the way the user runs cyclezero.
func TestFixesSpellTheCommandAsGiven(t *testing.T) {
	t.Parallel()
	srv := ermresttest.New(localtest.Open(t, local.Options{Client: testUser}), ermresttest.Options{})
	t.Cleanup(srv.Close)
	srv.AddCookie("spelled", testUser)
	home := t.TempDir()
	writeCredentials(t, home, map[string]any{hostOf(srv): map[string]any{"cookie": "webauthn=spelled"}})
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: home, Command: "go run ./cmd/cyclezero"})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	_, err = c.Query(t.Context(), catalog.Query{Table: catalog.TableRef{Schema: "cell-imaging", Table: "NoSuchTable"}, Limit: 1})
	require.Error(t, err)
	assert.Contains(t, catalog.Hint(err), "go run ./cmd/cyclezero catalog ls --host "+srv.URL+" --catalog 1")
}
