package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/ui"
)

// A create cancelled (esc in the form) after the server has answered the
// catalog check records no session: the user was told it was stopped.
func TestCreateCancelledAfterTheCatalogCheckRecordsNothing(t *testing.T) {
	isolate(t)
	fake := fakeServer(t)
	ctx := &lateCancel{Context: context.Background()}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.Config.Handler.ServeHTTP(w, r)
		ctx.cancelled.Store(true) // the answer is in; the user presses esc now
	}))
	t.Cleanup(srv.Close)
	logIn(t, &ermresttest.Server{Server: srv}) // the fake's login, for the proxy's host:port

	dir := gitRepo(t)
	ws, err := locate(context.Background(), &globalFlags{repo: dir})
	require.NoError(t, err)
	_, err = newSessions(ws).create(ctx, ui.NewSession{Slug: "m",
		Catalog: state.CatalogLocation{Kind: state.CatalogERMrest, Host: srv.URL, CatalogID: "1"}})
	assert.ErrorIs(t, err, context.Canceled)
	_, err = state.Load(ws.StateDir, "m")
	assert.ErrorIs(t, err, state.ErrNotFound, "no session was recorded")
}

// lateCancel is a context whose cancel shows only in Err, never in Done: so
// the request in flight completes, and what follows must look at Err to
// notice it, as create does once the catalog check is over.
type lateCancel struct {
	context.Context
	cancelled atomic.Bool
}

func (c *lateCancel) Err() error {
	if c.cancelled.Load() {
		return context.Canceled
	}
	return nil
}
