package ermrest_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
)

// silent is a server that accepts connections and requests but never
// answers them (or, with headers set, answers 200 and then sends nothing).
// Its handlers are released when the test ends.
type silent struct {
	*httptest.Server
	mu      sync.Mutex
	methods []string
}

func newSilent(t *testing.T, headers bool) *silent {
	t.Helper()
	release := make(chan struct{})
	s := &silent{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.methods = append(s.methods, r.Method)
		s.mu.Unlock()
		if headers {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`{"snaptime":`))
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(s.Close)
	t.Cleanup(func() { close(release) }) // runs first: Close waits for the handlers
	return s
}

// host is the server's host:port, as errors name it.
func (s *silent) host() string { return strings.TrimPrefix(s.URL, "http://") }

// seen is the methods of the requests the server received.
func (s *silent) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.methods)
}

func noAnswerError(t *testing.T, err error) *catalog.Error {
	t.Helper()
	require.ErrorIs(t, err, ermrest.ErrNoAnswer)
	require.ErrorIs(t, err, catalog.ErrUnavailable, "a silent server is a passing outage to callers that know only catalog kinds")
	var ce *catalog.Error
	require.ErrorAs(t, err, &ce)
	return ce
}

// A read from a server that accepts the connection but never answers is
// cut off after ReadTimeout, retried, and fails with an error that says so.
func TestSilentServerFailsRead(t *testing.T) {
	t.Parallel()
	srv := newSilent(t, false)
	var seen attempts
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: t.TempDir(), Observe: seen.observe,
		ReadTimeout: 50 * time.Millisecond, ReadBudget: time.Minute,
		Retry: ermrest.RetryPolicy{Attempts: 3, BaseDelay: time.Millisecond}})
	require.NoError(t, err)
	_, err = c.Snapshot(t.Context())
	ce := noAnswerError(t, err)
	assert.Equal(t, "the server at "+srv.host()+" accepted the connection but did not answer within 50ms (3 attempts)", ce.Detail)
	assert.Equal(t, "check the server or try again later", ce.Fix)
	assert.Equal(t, "GET /ermrest/catalog/1", ce.Op)
	assert.Equal(t, []string{"GET", "GET", "GET"}, srv.seen())

	seen.mu.Lock()
	defer seen.mu.Unlock()
	require.Len(t, seen.list, 3)
	for i, a := range seen.list {
		assert.Equal(t, i+1, a.Try)
		assert.Zero(t, a.Status)
		var ne net.Error
		if assert.ErrorAs(t, a.Err, &ne) {
			assert.True(t, ne.Timeout(), "try %d: %v", a.Try, a.Err)
		}
		assert.Equal(t, i < 2, a.Retrying, "try %d tells whether a retry follows", a.Try)
	}
}

// ReadBudget, not Retry.Attempts, bounds the retries against a silent
// server: each try takes at least half a ReadTimeout, so at most
// 1 + budget/(timeout/2) tries fit.
func TestReadBudgetBoundsRetries(t *testing.T) {
	t.Parallel()
	srv := newSilent(t, false)
	var seen attempts
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: t.TempDir(), Observe: seen.observe,
		ReadTimeout: 40 * time.Millisecond, ReadBudget: time.Second, // room for a late timer on a busy machine
		Retry: ermrest.RetryPolicy{Attempts: 1000, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}})
	require.NoError(t, err)
	_, err = c.Snapshot(t.Context())
	ce := noAnswerError(t, err)
	n := seen.count("GET")
	assert.GreaterOrEqual(t, n, 2, "the budget leaves room for a retry")
	assert.LessOrEqual(t, n, 51, "the budget ends the retries")
	// Every try reached the server except, perhaps, the last: the budget can
	// end it before the server's handler runs.
	assert.Contains(t, []int{n - 1, n}, len(srv.seen()), "tries the server saw (client made %d)", n)
	assert.True(t, strings.HasSuffix(ce.Detail, fmt.Sprintf("did not answer within 40ms (%d attempts)", n)), ce.Detail)
}

// A write to a silent server is cut off after WriteTimeout and never
// retried: it may have been applied.
func TestSilentServerFailsWriteOnce(t *testing.T) {
	t.Parallel()
	srv := newSilent(t, false)
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: t.TempDir(),
		ReadTimeout: time.Hour, WriteTimeout: 50 * time.Millisecond,
		Retry: ermrest.RetryPolicy{Attempts: 5, BaseDelay: time.Millisecond}})
	require.NoError(t, err)
	err = c.Create(t.Context(), catalog.ModelChange{Schemas: []catalog.SchemaDef{{Name: "s"}}})
	ce := noAnswerError(t, err)
	assert.Equal(t, "the server at "+srv.host()+" accepted the connection but did not answer within 50ms", ce.Detail)
	assert.Equal(t, "the change may or may not have been applied: check the server, and check the catalog before retrying",
		ce.Fix)
	assert.Equal(t, []string{"POST"}, srv.seen())
}

// An answer that starts and then stops arriving is cut off once it has
// paused for ReadTimeout, and the read retried.
func TestStalledAnswerIsCutOff(t *testing.T) {
	t.Parallel()
	srv := newSilent(t, true)
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: t.TempDir(), ReadTimeout: 50 * time.Millisecond,
		Retry: ermrest.RetryPolicy{Attempts: 2, BaseDelay: time.Millisecond}})
	require.NoError(t, err)
	_, err = c.Snapshot(t.Context())
	ce := noAnswerError(t, err)
	assert.Equal(t, "the server at "+srv.host()+" started to answer but sent nothing more for 50ms (2 attempts)", ce.Detail)
	assert.Equal(t, []string{"GET", "GET"}, srv.seen())
}

// An answer that keeps arriving is not cut off, though it takes longer in
// all than ReadTimeout and ReadBudget.
func TestSlowAnswerIsNotCutOff(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"snaptime": "2PX-WS30-E58W"`))
		for range 12 {
			w.(http.Flusher).Flush()
			time.Sleep(100 * time.Millisecond)
			_, _ = w.Write([]byte(" "))
		}
		_, _ = w.Write([]byte("}"))
	}))
	t.Cleanup(srv.Close)
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: t.TempDir(),
		ReadTimeout: time.Second, ReadBudget: 500 * time.Millisecond, Retry: ermrest.RetryPolicy{Attempts: 1}})
	require.NoError(t, err)
	snap, err := c.Snapshot(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "2PX-WS30-E58W", snap)
	assert.Equal(t, int32(1), hits.Load())
}

// The caller's own cancellation is not reported as a silent server.
func TestCancelWhileServerIsSilent(t *testing.T) {
	t.Parallel()
	srv := newSilent(t, false)
	ctx, cancel := context.WithCancel(t.Context())
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: t.TempDir(), ReadTimeout: time.Hour})
	require.NoError(t, err)
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err = c.Snapshot(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.False(t, errors.Is(err, ermrest.ErrNoAnswer), "%v", err)
}
