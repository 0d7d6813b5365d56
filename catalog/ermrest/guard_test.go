package ermrest_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
)

// exchange is one HTTP request and the answer's status and ETag.
type exchange struct {
	method, uri, ifMatch string
	status               int
	etag                 string
}

func (e exchange) String() string { return fmt.Sprintf("%s %s -> %d", e.method, e.uri, e.status) }

// recorder is a transport that logs exchanges and can run a function (a
// write by someone else) just before the next PUT goes out.
type recorder struct {
	mu        sync.Mutex
	log       []exchange
	beforePUT func()
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	hook := r.beforePUT
	if req.Method == http.MethodPut {
		r.beforePUT = nil
	}
	r.mu.Unlock()
	if req.Method == http.MethodPut && hook != nil {
		hook()
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.log = append(r.log, exchange{method: req.Method, uri: req.URL.RequestURI(), ifMatch: req.Header.Get("If-Match"),
		status: res.StatusCode, etag: res.Header.Get("ETag")})
	r.mu.Unlock()
	return res, nil
}

// take returns the exchanges so far and forgets them.
func (r *recorder) take() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.log
	r.log = nil
	return out
}

// guardSetup is the seeded fake, a client that records its exchanges (with
// the given URL bound), another client for "someone else", and the images
// a.png and d+e.png as read.
func guardSetup(t *testing.T, maxURL int) (rc *ermrest.Client, rec *recorder, other *ermrest.Client, a, d catalog.Row) {
	t.Helper()
	other, srv := seeded(t, ermresttest.Options{})
	home := t.TempDir()
	writeCredentials(t, home, map[string]any{hostOf(srv): cookie("contract-session")})
	rec = &recorder{}
	rc, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: home, HTTPClient: &http.Client{Transport: rec}, MaxURLBytes: maxURL})
	require.NoError(t, err)
	t.Cleanup(func() { _ = rc.Close() })
	a, d = image(t, rc, "a.png"), image(t, rc, "d+e.png")
	rec.take()
	return rc, rec, other, a, d
}

func image(t *testing.T, c *ermrest.Client, file string) catalog.Row {
	t.Helper()
	rows, err := c.Query(t.Context(), catalog.Query{Table: imageRef, Where: catalog.Eq{Column: "Filename", Value: file}, Limit: 2})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	return rows[0]
}

var guardSpec = catalog.UpdateSpec{Match: []string{"RID", "RMT"}, Set: []string{"Width"}}

func widths(t *testing.T, c *ermrest.Client, files ...string) []any {
	t.Helper()
	var out []any
	for _, f := range files {
		out = append(out, image(t, c, f)["Width"])
	}
	return out
}

// A guarded update reads the rows' RMT first and sends the PUT with the
// ETag of that read as If-Match; ERMrest compares it with the ETag the PUT's
// resource has (same Accept, same data version), so they match when nothing
// changed in between.
func TestGuardedUpdateSendsTheReadsETag(t *testing.T) {
	t.Parallel()
	rc, rec, other, a, d := guardSetup(t, 0)
	out, err := rc.Update(t.Context(), imageRef, guardSpec, []catalog.Row{
		{"RID": a.RID(), "RMT": a["RMT"], "Width": 1}, {"RID": d.RID(), "RMT": d["RMT"], "Width": 2}})
	require.NoError(t, err)
	assert.Len(t, out, 2)
	log := rec.take()
	require.Len(t, log, 2, "%v", log)
	assert.Equal(t, "GET /ermrest/catalog/1/attribute/cell-imaging:Image/RID=any("+a.RID()+","+d.RID()+")/RID,RMT@sort(RID)?limit=10000",
		log[0].method+" "+log[0].uri)
	assert.Equal(t, "PUT /ermrest/catalog/1/attributegroup/cell-imaging:Image/RID,RMT;Width", log[1].method+" "+log[1].uri)
	assert.Contains(t, log[0].etag, ";application/json;", "a data ETag carries the raw Accept header")
	assert.Equal(t, log[0].etag, log[1].ifMatch, "If-Match is the ETag of the read")
	assert.Equal(t, 200, log[1].status)
	assert.Equal(t, []any{int64(1), int64(2)}, widths(t, other, "a.png", "d+e.png"))
}

// The two-row probe of the audit: a fresh row and a stale one. Nothing is
// written, and the error names the stale row and the one that is gone.
func TestGuardedUpdateIsAllOrNothing(t *testing.T) {
	t.Parallel()
	rc, rec, other, a, d := guardSetup(t, 0)
	ctx := t.Context()
	_, err := other.Update(ctx, imageRef, catalog.UpdateSpec{Match: []string{"RID"}, Set: []string{"Width"}},
		[]catalog.Row{{"RID": d.RID(), "Width": 7}})
	require.NoError(t, err)
	k := image(t, other, "k.png")
	require.NoError(t, other.Delete(ctx, imageRef, catalog.Eq{Column: "RID", Value: k.RID()}))
	rec.take()

	_, err = rc.Update(ctx, imageRef, guardSpec, []catalog.Row{
		{"RID": a.RID(), "RMT": a["RMT"], "Width": 1}, {"RID": d.RID(), "RMT": d["RMT"], "Width": 2},
		{"RID": k.RID(), "RMT": k["RMT"], "Width": 3}})
	requireKind(t, err, catalog.ErrPrecondition)
	assert.Contains(t, err.Error(), "nothing was updated: 2 of 3 rows")
	assert.Contains(t, err.Error(), "RID="+d.RID()+" changed")
	assert.Contains(t, err.Error(), "RID="+k.RID()+" is gone")
	assert.NotContains(t, err.Error(), "RID="+a.RID())
	assert.Contains(t, catalog.Hint(err), "reload")
	log := rec.take()
	require.Len(t, log, 1, "the check fails before any PUT: %v", log)
	assert.Equal(t, http.MethodGet, log[0].method)
	assert.Equal(t, []any{int64(512), int64(7)}, widths(t, other, "a.png", "d+e.png"), "a.png was not changed")
}

// A write anywhere in the catalog between the check and the PUT changes
// the ETag: the PUT gets 412 with nothing written, and the update starts
// over and succeeds, since its own rows did not change.
func TestGuardedUpdateStartsOverWhenTheCatalogMoves(t *testing.T) {
	t.Parallel()
	rc, rec, other, a, d := guardSetup(t, 0)
	ctx := t.Context()
	rec.beforePUT = func() {
		_, err := other.Insert(ctx, stainRef, []catalog.Row{{"Name": "Calcein", "Description": "live"}},
			catalog.InsertOptions{Defaults: []string{"ID", "URI"}})
		assert.NoError(t, err)
	}
	out, err := rc.Update(ctx, imageRef, guardSpec, []catalog.Row{
		{"RID": a.RID(), "RMT": a["RMT"], "Width": 1}, {"RID": d.RID(), "RMT": d["RMT"], "Width": 2}})
	require.NoError(t, err)
	assert.Len(t, out, 2)
	log := rec.take()
	require.Len(t, log, 4, "%v", log)
	var got []string
	for _, e := range log {
		got = append(got, fmt.Sprintf("%s %d", e.method, e.status))
	}
	assert.Equal(t, []string{"GET 200", "PUT 412", "GET 200", "PUT 200"}, got)
	assert.Equal(t, log[0].etag, log[1].ifMatch)
	assert.NotEqual(t, log[0].etag, log[2].etag, "the insert moved the catalog's ETag")
	assert.Equal(t, log[2].etag, log[3].ifMatch)
	assert.Equal(t, []any{int64(1), int64(2)}, widths(t, other, "a.png", "d+e.png"))
}

// Someone else changes one of the rows after the check: the PUT gets 412,
// the check runs again, sees the stale RMT, and nothing is written.
func TestGuardedUpdateCatchesAChangeAfterTheCheck(t *testing.T) {
	t.Parallel()
	rc, rec, other, a, d := guardSetup(t, 0)
	ctx := t.Context()
	rec.beforePUT = func() {
		_, err := other.Update(ctx, imageRef, catalog.UpdateSpec{Match: []string{"RID"}, Set: []string{"Width"}},
			[]catalog.Row{{"RID": d.RID(), "Width": 7}})
		assert.NoError(t, err)
	}
	_, err := rc.Update(ctx, imageRef, guardSpec, []catalog.Row{
		{"RID": a.RID(), "RMT": a["RMT"], "Width": 1}, {"RID": d.RID(), "RMT": d["RMT"], "Width": 2}})
	requireKind(t, err, catalog.ErrPrecondition)
	assert.Contains(t, err.Error(), "RID="+d.RID()+" changed")
	var got []string
	for _, e := range rec.take() {
		got = append(got, fmt.Sprintf("%s %d", e.method, e.status))
	}
	assert.Equal(t, []string{"GET 200", "PUT 412", "GET 200"}, got)
	assert.Equal(t, []any{int64(512), int64(7)}, widths(t, other, "a.png", "d+e.png"))
}

// withoutETag is a transport dropping the ETag of every answer, as a proxy
// or an older server may.
type withoutETag struct{ next http.RoundTripper }

func (w withoutETag) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := w.next.RoundTrip(req)
	if res != nil {
		res.Header.Del("ETag")
	}
	return res, err
}

// Without an ETag the PUT cannot be guarded: a row changed after the check
// is skipped by the server while the other is updated, and the caller is
// told which share was not, never a success.
func TestGuardedUpdateWithoutETagReportsSkippedRows(t *testing.T) {
	t.Parallel()
	other, srv := seeded(t, ermresttest.Options{})
	home := t.TempDir()
	writeCredentials(t, home, map[string]any{hostOf(srv): cookie("contract-session")})
	rec := &recorder{}
	rc, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: home, HTTPClient: &http.Client{Transport: withoutETag{rec}}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = rc.Close() })
	ctx := t.Context()
	a, d := image(t, rc, "a.png"), image(t, rc, "d+e.png")
	rec.beforePUT = func() {
		_, err := other.Update(ctx, imageRef, catalog.UpdateSpec{Match: []string{"RID"}, Set: []string{"Width"}},
			[]catalog.Row{{"RID": d.RID(), "Width": 7}})
		assert.NoError(t, err)
	}
	out, err := rc.Update(ctx, imageRef, guardSpec, []catalog.Row{
		{"RID": a.RID(), "RMT": a["RMT"], "Width": 1}, {"RID": d.RID(), "RMT": d["RMT"], "Width": 2}})
	requireKind(t, err, catalog.ErrPrecondition)
	assert.Contains(t, err.Error(), "1 of 2 rows were not updated")
	assert.Contains(t, catalog.Hint(err), "reload")
	require.Len(t, out, 1, "the rows that were updated come back")
	assert.Equal(t, a.RID(), out[0].RID())
	assert.Equal(t, []any{int64(1), int64(7)}, widths(t, other, "a.png", "d+e.png"))
}

// A check split over several GETs (a long RID list) still guards one PUT:
// every GET carried the same ETag, which the PUT sends.
func TestGuardedUpdateOverASplitCheck(t *testing.T) {
	t.Parallel()
	rc, rec, other, _, _ := guardSetup(t, 200)
	ctx := t.Context()
	var in []catalog.Row
	for i := range 40 {
		in = append(in, catalog.Row{"Filename": fmt.Sprintf("many-%02d.png", i), "Width": i})
	}
	rows, err := other.Insert(ctx, imageRef, in, catalog.InsertOptions{})
	require.NoError(t, err)
	var upd []catalog.Row
	for _, r := range rows {
		upd = append(upd, catalog.Row{"RID": r.RID(), "RMT": r["RMT"], "Width": 1000})
	}
	rec.take()
	out, err := rc.Update(ctx, imageRef, guardSpec, upd)
	require.NoError(t, err)
	assert.Len(t, out, 40)
	log := rec.take()
	require.Greater(t, len(log), 2, "the check needs several GETs")
	last := log[len(log)-1]
	assert.Equal(t, http.MethodPut, last.method)
	for _, e := range log[:len(log)-1] {
		assert.Equal(t, http.MethodGet, e.method)
		assert.LessOrEqual(t, len(e.uri), 200)
		assert.Equal(t, log[0].etag, e.etag)
	}
	assert.Equal(t, log[0].etag, last.ifMatch)
	n, err := other.Count(ctx, catalog.GroupQuery{Table: imageRef, Where: catalog.Eq{Column: "Width", Value: 1000}})
	require.NoError(t, err)
	assert.Equal(t, int64(40), n[0].Count)
}

// Two input rows naming the same row are refused before anything is sent.
func TestGuardedUpdateRefusesTheSameRowTwice(t *testing.T) {
	t.Parallel()
	rc, rec, _, a, _ := guardSetup(t, 0)
	_, err := rc.Update(t.Context(), imageRef, guardSpec, []catalog.Row{
		{"RID": a.RID(), "RMT": a["RMT"], "Width": 1}, {"RID": a.RID(), "RMT": a["RMT"], "Width": 2}})
	requireKind(t, err, catalog.ErrInvalidInput)
	assert.True(t, strings.Contains(err.Error(), "rows 1 and 2"), err.Error())
	assert.Empty(t, rec.take())
}
