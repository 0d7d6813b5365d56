package ermresttest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

// A PUT that updates no rows still records a snapshot, as the real server
// does: captures attrgroup-put-nomatch (RID;Width with an unknown RID) and
// attrgroup-put-rid-rmt-stale (RID,RMT;Width with a stale RMT) in
// ermrest-observed/request_log_all_exchanges.txt both answer 200 [] with an
// ETag newer than the write before them. So the data ETag moves, an
// If-Match taken before fails, and the catalog's snaptime moves; the model
// version stays, and a later real write moves the ETag again.
func TestPutThatUpdatesNothingMovesTheDataVersion(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, s *Server, _ catalog.Store) {
		image := "/ermrest/catalog/1/entity/cell-imaging:Image/Filename=a.png"
		model := "/ermrest/catalog/1/schema/cell-imaging/table/Image"
		before := do(t, s, "GET", image, "")
		modelBefore := do(t, s, "GET", model, "")
		snapBefore := catalogDoc(t, s, "/ermrest/catalog/1")
		rid := firstRID(t, before.body)

		nomatch := do(t, s, "PUT", "/ermrest/catalog/1/attributegroup/cell-imaging:Image/RID;Width", `[{"RID":"NOPE","Width":1}]`)
		require.Equal(t, 200, nomatch.status, nomatch.body)
		assert.Equal(t, "[]\n", nomatch.body)
		assert.NotEqual(t, before.etag, nomatch.etag, "attrgroup-put-nomatch: the ETag moves")
		after := do(t, s, "GET", image, "")
		assert.Equal(t, nomatch.etag, after.etag, "a GET carries the PUT's version")
		stale := do(t, s, "PUT", "/ermrest/catalog/1/attributegroup/cell-imaging:Image/RID;Width",
			`[{"RID":"`+rid+`","Width":2}]`, "If-Match", before.etag)
		assert.Equal(t, 412, stale.status, "an If-Match from before the empty PUT is stale")
		snapAfter := catalogDoc(t, s, "/ermrest/catalog/1")
		assert.NotEqual(t, snapBefore, snapAfter, "the catalog snaptime moves")
		assert.Equal(t, snapAfter, catalogDoc(t, s, "/ermrest/catalog/1@"+snapAfter), "and is a snapshot one can address")
		assert.Equal(t, modelBefore.etag, do(t, s, "GET", model, "").etag, "the model version stays")

		rmtStale := do(t, s, "PUT", "/ermrest/catalog/1/attributegroup/cell-imaging:Image/RID,RMT;Width",
			`[{"RID":"`+rid+`","RMT":"2000-01-01T00:00:00+00:00","Width":3}]`)
		require.Equal(t, 200, rmtStale.status, rmtStale.body)
		assert.Equal(t, "[]\n", rmtStale.body)
		assert.NotEqual(t, nomatch.etag, rmtStale.etag, "attrgroup-put-rid-rmt-stale: the ETag moves again")

		w := do(t, s, "PUT", "/ermrest/catalog/1/attributegroup/cell-imaging:Image/RID;Width", `[{"RID":"`+rid+`","Width":4}]`)
		require.Equal(t, 200, w.status, w.body)
		assert.NotEqual(t, rmtStale.etag, w.etag, "a real write after an empty one moves the ETag")
		assert.Equal(t, w.etag, do(t, s, "GET", image, "").etag)
	})
}
