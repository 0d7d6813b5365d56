package ermrest_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

// ERMrest's exact 404 to a DELETE matching nothing ("Resource not found.
// Detail: entities matching request path", capture delete-nomatch) is
// success; any other 404 is an error, never "nothing to delete".
func TestDeleteTreatsOnlyERMrestsNoMatch404AsSuccess(t *testing.T) {
	t.Parallel()
	c, srv := seeded(t, ermresttest.Options{})
	ctx := t.Context()
	require.NoError(t, c.Delete(ctx, imageRef, catalog.Eq{Column: "Filename", Value: "nomatch.png"}))

	for _, f := range []ermresttest.Fault{
		{Status: 404, ContentType: "text/plain; charset=utf-8", Body: "404 page not found\n"},
		{Status: 404, ContentType: "text/html", Body: "<html><body>Not Found</body></html>"},
		{Status: 404, ContentType: "text/plain", Body: "Resource not found. Detail: entities matching something else\n"},
		{Status: 404, ContentType: "text/plain", Body: "Resource not found. Detail: catalog 1\n"},
	} {
		f.Method = "DELETE"
		srv.Inject(f)
		err := c.Delete(ctx, imageRef, catalog.Eq{Column: "Filename", Value: "a.png"})
		require.Error(t, err, "%q must not pass as nothing to delete", f.Body)
		var ce *catalog.Error
		require.ErrorAs(t, err, &ce)
		assert.NotEmpty(t, ce.Fix)
		if !strings.HasPrefix(f.Body, "Resource not found.") {
			assert.ErrorIs(t, err, catalog.ErrBadResponse, "a foreign 404 means the host is not ERMrest")
		}
	}
	rows, err := c.Query(ctx, catalog.Query{Table: imageRef, Where: catalog.Eq{Column: "Filename", Value: "a.png"}, Limit: 1})
	require.NoError(t, err)
	assert.Len(t, rows, 1, "nothing was deleted by the failed calls")
}

// A delete split into several requests is not atomic: when one chunk fails,
// the error says which chunks were deleted and which values remain, and
// retrying with the remaining values finishes the job.
func TestChunkedDeleteReportsWhatRemains(t *testing.T) {
	t.Parallel()
	srv := ermresttest.New(localtest.Open(t, local.Options{Client: testUser}), ermresttest.Options{})
	t.Cleanup(srv.Close)
	srv.AddCookie("s", testUser)
	home := t.TempDir()
	writeCredentials(t, home, map[string]any{hostOf(srv): cookie("s")})
	deletes := 0
	var c *ermrest.Client
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: home, MaxURLBytes: 66,
		Observe: func(a ermrest.Attempt) {
			if a.Method == "DELETE" {
				if deletes++; deletes == 1 {
					srv.Inject(ermresttest.Fault{Method: "DELETE", Status: 409})
				}
			}
		}})
	require.NoError(t, err)
	ctx := t.Context()
	require.NoError(t, c.Create(ctx, ermresttest.CellImaging()))
	var in []catalog.Row
	for i := range 12 {
		in = append(in, catalog.Row{"Filename": strings.Repeat("x", i+1) + ".png"})
	}
	rows, err := c.Insert(ctx, imageRef, in, catalog.InsertOptions{})
	require.NoError(t, err)
	var rids []any
	for _, r := range rows {
		rids = append(rids, r.RID())
	}

	err = c.Delete(ctx, imageRef, catalog.AnyOf{Column: "RID", Values: rids})
	var pe *ermrest.PartialDeleteError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 1, pe.Done)
	assert.Greater(t, pe.Chunks, 2, "the list needed several requests")
	assert.Equal(t, "RID", pe.Column)
	assert.ElementsMatch(t, rids, append(slices.Clone(pe.Deleted), pe.Remaining...))
	assert.NotEmpty(t, pe.Deleted)
	assert.ErrorIs(t, err, catalog.ErrConflict, "the chunk's own failure shows through")
	assert.Contains(t, catalog.Hint(err), "retry only the")
	assert.Contains(t, err.Error(), "stopped part-way: chunk 1 of")

	left, err := c.Query(ctx, catalog.Query{Table: imageRef, Select: []string{"RID"}, Limit: 100})
	require.NoError(t, err)
	var have []any
	for _, r := range left {
		have = append(have, r.RID())
	}
	assert.ElementsMatch(t, pe.Remaining, have, "exactly the remaining RIDs are still there")

	require.NoError(t, c.Delete(ctx, imageRef, catalog.AnyOf{Column: "RID", Values: pe.Remaining}))
	left, err = c.Query(ctx, catalog.Query{Table: imageRef, Limit: 100})
	require.NoError(t, err)
	assert.Empty(t, left)

	// When the first chunk fails nothing was deleted: the plain error.
	var again []any
	for _, r := range rows[:8] {
		again = append(again, r.RID())
	}
	srv.Inject(ermresttest.Fault{Method: "DELETE", Status: 409})
	err = c.Delete(ctx, imageRef, catalog.AnyOf{Column: "RID", Values: again})
	requireKind(t, err, catalog.ErrConflict)
	assert.False(t, errors.As(err, &pe))

	// A delete that fits one request fails whole, with the plain error.
	srv.Inject(ermresttest.Fault{Method: "DELETE", Status: 409})
	err = c.Delete(ctx, imageRef, catalog.Eq{Column: "RID", Value: "1-ZZZZ"})
	requireKind(t, err, catalog.ErrConflict)
	assert.False(t, errors.As(err, &pe))
}
