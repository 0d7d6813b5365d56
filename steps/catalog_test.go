package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
	"github.com/cyclezero/cyclezero/state"
)

// Reading a catalog never creates one; CheckCatalog, a read, neither.
func TestOpenCatalogToReadCreatesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := state.CatalogLocation{Kind: state.CatalogLocal, Path: filepath.Join(t.TempDir(), "c.sqlite")}
	_, err := OpenCatalogToRead(loc, ReadOptions{})
	require.ErrorIs(t, err, catalog.ErrNotFound)
	require.ErrorIs(t, CheckCatalog(ctx, loc, ReadOptions{}), catalog.ErrNotFound)
	assert.NoFileExists(t, loc.Path)

	require.NoError(t, PrepareLocalCatalog(ctx, loc.Path, "proj"))
	require.NoError(t, CheckCatalog(ctx, loc, ReadOptions{}))
	store, err := OpenCatalogToRead(loc, ReadOptions{})
	require.NoError(t, err)
	defer store.Close()
	m, err := store.Model(ctx, "")
	require.NoError(t, err)
	assert.NotNil(t, m.Schemas["proj"], "it reads the catalog there")
	err = store.Create(ctx, catalog.ModelChange{Schemas: []catalog.SchemaDef{{Name: "more"}}})
	assert.ErrorIs(t, err, catalog.ErrForbidden, "and does not write to it")
}

// A read a server keeps refusing is announced each time it is sent again,
// naming the request, the answer and the wait, so a command never hangs
// silently.
func TestOpenCatalogToReadAnnouncesRetries(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, "Service Unavailable\n")
	}))
	defer srv.Close()

	var notices []string
	loc := state.CatalogLocation{Kind: state.CatalogERMrest, Host: srv.URL, CatalogID: "1"}
	store, err := OpenCatalogToRead(loc, ReadOptions{Retrying: func(n string) { notices = append(notices, n) }})
	require.NoError(t, err)
	defer store.Close()
	_, err = store.Model(context.Background(), "")
	require.ErrorIs(t, err, catalog.ErrUnavailable)
	require.NotEmpty(t, notices, "every retry is announced")
	assert.Regexp(t, `^GET `+regexp.QuoteMeta(srv.URL)+`/ermrest/catalog/1/schema: 503 Service Unavailable; trying again in [0-9.]+m?s \(try 2\)…$`, notices[0])
	assert.Contains(t, notices[len(notices)-1], fmt.Sprintf("(try %d)", len(notices)+1))
}

// A transport error in a notice is what went wrong, without net/http's
// repetition of the method and URL.
func TestRetryNoticeSaysTheTransportErrorAlone(t *testing.T) {
	t.Parallel()
	a := ermrest.Attempt{Method: "GET", URL: "/ermrest/catalog/1/schema", Try: 3, Retrying: true, Backoff: 800 * time.Millisecond,
		Err: &url.Error{Op: "Get", URL: "http:/ermrest/catalog/1/schema", Err: errors.New("read tcp: connection reset by peer")}}
	assert.Equal(t, "GET http://127.0.0.1:47771/ermrest/catalog/1/schema: read tcp: connection reset by peer; trying again in 800ms (try 4)…",
		retryNotice("http://127.0.0.1:47771", a))
}
