package ermresttest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

// ETag versions follow the captures: data resources carry the catalog's
// latest change whatever table they name (so a write to Stain changes the
// ETag of Image and an If-Match on Image fails, as on the real server), and
// even at @snap; model resources and entity_rid carry the model's latest
// change, untouched by data writes.
func TestETagVersionsFollowTheCaptures(t *testing.T) {
	t.Parallel()
	s, eng := fixture(t, Options{})
	ctx := t.Context()
	image := "/ermrest/catalog/1/entity/cell-imaging:Image/Filename=a.png"
	model := "/ermrest/catalog/1/schema/cell-imaging/table/Image"
	before := do(t, s, "GET", image, "")
	modelBefore := do(t, s, "GET", model, "")
	snap, err := eng.Snapshot(ctx)
	require.NoError(t, err)
	at, err := catalog.SnaptimeTime(snap)
	require.NoError(t, err)
	assert.Equal(t, "aos5wAa4y68Xs6351LYt4Q==;;"+pyTime(at), etagOf(t, before.etag),
		"the captured format: roles hash;Accept;Python time (testuser and admin hash as captured)")

	w := do(t, s, "POST", "/ermrest/catalog/1/entity/cell-imaging:Stain?defaults=ID,URI", `[{"Name":"Calcein","Description":"c"}]`)
	require.Equal(t, 200, w.status, w.body)
	after := do(t, s, "GET", image, "")
	assert.NotEqual(t, before.etag, after.etag, "a write to Stain changes Image's data ETag")
	assert.Equal(t, w.etag, after.etag, "the write's ETag is the new catalog version")
	stale := do(t, s, "PUT", "/ermrest/catalog/1/attributegroup/cell-imaging:Image/Filename;Width",
		`[{"Filename":"a.png","Width":1}]`, "If-Match", before.etag)
	assert.Equal(t, 412, stale.status, "If-Match on Image fails after a write to Stain")
	assert.Equal(t, after.etag, stale.etag)

	modelAfter := do(t, s, "GET", model, "")
	assert.Equal(t, modelBefore.etag, modelAfter.etag, "data writes leave model ETags alone")
	assert.Contains(t, modelAfter.etag, ";*;")
	rid := do(t, s, "GET", "/ermrest/catalog/1/entity_rid/"+firstRID(t, after.body), "")
	assert.Equal(t, modelAfter.etag, rid.etag, "entity_rid carries the model's version")

	old := do(t, s, "GET", "/ermrest/catalog/1@"+snap+"/entity/cell-imaging:Image/Filename=a.png", "")
	assert.Equal(t, 200, old.status)
	assert.Equal(t, after.etag, old.etag, "data ETags at @snap carry the live version")
}

// GET catalog/N@snap answers the latest real snapshot at or before snap:
// a time in the future is the live snapshot, a time between two snapshots
// the earlier one (reference ermrest.md §5.1/§5.3); the ETag is
// "{snap}-{snap}" (capture catalog-at-snap0).
func TestCatalogSnapshotsClamp(t *testing.T) {
	t.Parallel()
	s, _ := fixture(t, Options{})
	live := catalogDoc(t, s, "/ermrest/catalog/1")
	future := catalog.Snaptime(time.Now().Add(time.Hour))
	a := do(t, s, "GET", "/ermrest/catalog/1@"+future, "")
	assert.Equal(t, 200, a.status)
	assert.Equal(t, live, docSnaptime(t, a.body), "a future time clamps to the live snapshot")
	assert.True(t, strings.HasSuffix(a.etag, ";*;"+live+"-"+live+`"`), a.etag)
	assert.Contains(t, a.body, `"rights": {"owner": false, "create": false}`)

	w := do(t, s, "DELETE", "/ermrest/catalog/1/entity/cell-imaging:Image/Filename=k.png", "")
	require.Equal(t, 204, w.status)
	next := catalogDoc(t, s, "/ermrest/catalog/1")
	require.NotEqual(t, live, next)
	liveT, _ := catalog.SnaptimeTime(live)
	nextT, _ := catalog.SnaptimeTime(next)
	between := catalog.Snaptime(liveT.Add(nextT.Sub(liveT) / 2))
	assert.Equal(t, live, catalogDoc(t, s, "/ermrest/catalog/1@"+between), "a time between snapshots clamps down")
	assert.Equal(t, next, catalogDoc(t, s, "/ermrest/catalog/1@"+next))
	assert.Equal(t, 409, do(t, s, "GET", "/ermrest/catalog/1@2", "").status, "before all history")
}

// A snapshot made by a write the fake did not serve (cyclezero writing to
// the catalog that `catalog serve` shares) is still a real snapshot.
func TestCatalogSnapshotsTheFakeDidNotSee(t *testing.T) {
	t.Parallel()
	s, eng := fixture(t, Options{})
	ctx := context.Background()
	image := catalog.TableRef{Schema: "cell-imaging", Table: "Image"}
	require.NoError(t, eng.Delete(ctx, image, catalog.Eq{Column: "Filename", Value: "k.png"}))
	unseen, err := eng.Snapshot(ctx)
	require.NoError(t, err)
	require.NoError(t, eng.Delete(ctx, image, catalog.Eq{Column: "Filename", Value: "i.png"}))
	assert.Equal(t, unseen, catalogDoc(t, s, "/ermrest/catalog/1@"+unseen))
}

// At a snapshot an empty array comes back null, as ERMrest rebuilds
// historical rows from JSON (capture read-last-visible, §0.18); live it is [].
func TestHistoricalEmptyArraysAreNull(t *testing.T) {
	t.Parallel()
	s, _ := fixture(t, Options{})
	f := do(t, s, "GET", "/ermrest/catalog/1/entity/cell-imaging:Image/Filename=f.png", "")
	assert.Contains(t, f.body, `"Tags":[]`)
	rid := firstRID(t, f.body)
	require.Equal(t, 204, do(t, s, "DELETE", "/ermrest/catalog/1/entity/cell-imaging:Image/Filename=f.png", "").status)
	var info map[string]string
	require.NoError(t, json.Unmarshal([]byte(do(t, s, "GET", "/ermrest/catalog/1/entity_rid/"+rid, "").body), &info))
	a := do(t, s, "GET", "/ermrest/catalog/1@"+info["last_visible_snaptime"]+"/entity/cell-imaging:Image/RID="+rid, "")
	assert.Contains(t, a.body, `"Tags":null`)
	assert.Contains(t, a.body, `"Meta":null`)
	b := do(t, s, "GET", "/ermrest/catalog/1@"+info["last_visible_snaptime"]+"/entity/cell-imaging:Image/Filename=a.png", "")
	assert.Contains(t, b.body, `"Tags":["x","y"]`, "non-empty arrays survive")
}

func etagOf(t *testing.T, etag string) string {
	t.Helper()
	return strings.Trim(etag, `"`)
}

func firstRID(t *testing.T, body string) string {
	t.Helper()
	var rows []map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &rows))
	require.NotEmpty(t, rows)
	return rows[0]["RID"].(string)
}

func catalogDoc(t *testing.T, s *Server, uri string) string {
	t.Helper()
	a := do(t, s, "GET", uri, "")
	require.Equal(t, 200, a.status, a.body)
	return docSnaptime(t, a.body)
}

func docSnaptime(t *testing.T, body string) string {
	t.Helper()
	var doc struct {
		Snaptime string `json:"snaptime"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &doc))
	return doc.Snaptime
}
