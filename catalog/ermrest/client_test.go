package ermrest_test

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strconv"
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

var (
	stainRef = catalog.TableRef{Schema: "cell-imaging", Table: "Stain"}
	imageRef = catalog.TableRef{Schema: "cell-imaging", Table: "Image"}
)

// seeded is a logged-in client on a fake over an embedded catalog holding
// the fixture model, three stains and three images.
func seeded(t *testing.T, opts ermresttest.Options) (*ermrest.Client, *ermresttest.Server) {
	t.Helper()
	c, srv := connect(t, localtest.Open(t, local.Options{Client: testUser}), opts)
	ctx := t.Context()
	require.NoError(t, c.Create(ctx, ermresttest.CellImaging()))
	_, err := c.Insert(ctx, stainRef, []catalog.Row{
		{"Name": "DAPI", "Description": "nuclear stain"}, {"Name": "GFP", "Description": "green"},
		{"Name": "Phalloidin", "Description": "actin"}}, catalog.InsertOptions{Defaults: []string{"ID", "URI"}})
	require.NoError(t, err)
	_, err = c.Insert(ctx, imageRef, []catalog.Row{
		{"Filename": "a.png", "Stain": "DAPI", "Width": 512, "Score": 0.5, "Tags": []any{"x", "y"}, "Meta": map[string]any{"k": 1}},
		{"Filename": "d+e.png", "Stain": "Phalloidin", "Width": 2048, "Score": -3},
		{"Filename": "k.png"}}, catalog.InsertOptions{})
	require.NoError(t, err)
	srv.ResetRequests()
	return c, srv
}

// The exact requests the important calls send: method, escaped path, query
// and headers (reference ermrest.md §3–§6).
func TestRequestsOnTheWire(t *testing.T) {
	t.Parallel()
	c, srv := seeded(t, ermresttest.Options{})
	ctx := t.Context()
	snap, err := c.Snapshot(ctx)
	require.NoError(t, err)
	rows, err := c.Query(ctx, catalog.Query{Table: imageRef, Where: catalog.Eq{Column: "Filename", Value: "d+e.png"},
		Sort: []catalog.SortKey{{Column: "RID"}}, After: []any{"1"}, Limit: 10})
	require.NoError(t, err)
	assert.Len(t, rows, 1)
	assert.Equal(t, int64(2048), rows[0]["Width"], "int4 values are int64")
	assert.Equal(t, float64(-3), rows[0]["Score"], "float8 values are float64 even when integral")
	rid := rows[0].RID()
	_, err = c.Query(ctx, catalog.Query{Table: imageRef, Select: []string{"Filename", "RID"}, Sort: []catalog.SortKey{{Column: "RID", Desc: true}},
		Limit: 5, At: snap})
	require.NoError(t, err)
	_, err = c.Count(ctx, catalog.GroupQuery{Table: imageRef, Where: catalog.IsNull{Column: "Stain"}})
	require.NoError(t, err)
	_, err = c.Count(ctx, catalog.GroupQuery{Table: imageRef, GroupBy: []string{"Stain"}})
	require.NoError(t, err)
	_, err = c.Insert(ctx, stainRef, []catalog.Row{{"Name": "Calcein", "Description": "live"}},
		catalog.InsertOptions{Defaults: []string{"ID", "URI"}, OnConflictSkip: true})
	require.NoError(t, err)
	_, err = c.Update(ctx, imageRef, catalog.UpdateSpec{Match: []string{"RID", "RMT"}, Set: []string{"Width"}},
		[]catalog.Row{{"RID": rid, "RMT": rows[0]["RMT"], "Width": 2049}})
	require.NoError(t, err)
	require.NoError(t, c.Delete(ctx, imageRef, catalog.Eq{Column: "Filename", Value: "k.png"}))
	_, err = c.ResolveRID(ctx, strings.ToLower(rid), "")
	require.NoError(t, err)
	_, err = c.Whoami(ctx)
	require.NoError(t, err)

	want := []string{
		"GET /ermrest/catalog/1",
		"GET /ermrest/catalog/1/entity/cell-imaging:Image/Filename=d%2Be.png@sort(RID)@after(1)?limit=10",
		"GET /ermrest/catalog/1@" + snap + "/attribute/cell-imaging:Image/Filename,RID@sort(RID::desc::)?limit=5",
		"GET /ermrest/catalog/1@" + snap + "/schema",
		"GET /ermrest/catalog/1/aggregate/cell-imaging:Image/Stain::null::/n:=cnt(*)?limit=1",
		"GET /ermrest/catalog/1/attributegroup/cell-imaging:Image/Stain;n:=cnt(*)@sort(Stain)?limit=10000",
		"POST /ermrest/catalog/1/entity/cell-imaging:Stain?defaults=RID,RCT,RMT,RCB,RMB,ID,URI&onconflict=skip",
		"GET /ermrest/catalog/1/attribute/cell-imaging:Image/RID=" + rid + "/RID,RMT@sort(RID)?limit=10000",
		"PUT /ermrest/catalog/1/attributegroup/cell-imaging:Image/RID,RMT;Width",
		"DELETE /ermrest/catalog/1/entity/cell-imaging:Image/Filename=k.png",
		"GET /ermrest/catalog/1/entity_rid/" + strings.ToLower(rid),
		"GET /authn/session",
	}
	reqs := srv.Requests()
	var got []string
	for _, r := range reqs {
		got = append(got, r.Method+" "+r.URI)
		assert.Equal(t, "application/json", r.Header.Get("Accept"), "Accept on %v", r.URI)
		assert.Equal(t, "webauthn=contract-session", r.Header.Get("Cookie"), "Cookie on %v", r.URI)
		assert.Empty(t, r.Header.Get("Authorization"), "no bearer token on %v", r.URI)
		if len(r.Body) > 0 {
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"), "Content-Type on %v", r.URI)
		}
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("requests:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	var body []map[string]any
	require.NoError(t, json.Unmarshal(reqs[8].Body, &body))
	if len(body) != 1 || len(body[0]) != 3 || body[0]["Width"] != float64(2049) {
		t.Errorf("update body %s", reqs[8].Body)
	}
	assert.Contains(t, reqs[8].Header.Get("If-Match"), ";application/json;", "the guarded PUT carries the read's ETag")
}

// Creating what exists already says so, not "a duplicate key".
func TestCreateWhatExistsSaysSo(t *testing.T) {
	t.Parallel()
	c, _ := seeded(t, ermresttest.Options{})
	err := c.Create(t.Context(), catalog.ModelChange{Schemas: []catalog.SchemaDef{{Name: "cell-imaging"}}})
	requireKind(t, err, catalog.ErrConflict)
	assert.Contains(t, err.Error(), "Requested schema cell-imaging already exists.")
	assert.Equal(t, "it exists already: choose another name, or use the existing one", catalog.Hint(err))
}

func TestCreateSendsOneAtomicList(t *testing.T) {
	t.Parallel()
	c, srv := connect(t, localtest.Open(t, local.Options{Client: testUser}), ermresttest.Options{})
	ch := ermresttest.CellImaging()
	ch.Schemas[0].Comment = "imaging"
	require.NoError(t, c.Create(t.Context(), ch))
	reqs := srv.Requests()
	assert.Len(t, reqs, 1)
	assert.Equal(t, "POST /ermrest/catalog/1/schema", reqs[0].Method+" "+reqs[0].URI)
	var docs []map[string]any
	require.NoError(t, json.Unmarshal(reqs[0].Body, &docs))
	assert.Len(t, docs, 3)
	assert.Equal(t, "cell-imaging", docs[0]["schema_name"])
	assert.Equal(t, "imaging", docs[0]["comment"])
	assert.Equal(t, "Stain", docs[1]["table_name"])
	assert.Equal(t, "Image", docs[2]["table_name"])

	m, err := c.Model(t.Context(), "")
	require.NoError(t, err)
	img := m.Table(imageRef)
	if img == nil || img.Column("Width") == nil || img.Column("Width").Type.Name != "int4" {
		t.Fatalf("the model read back lacks Image.Width: %+v", img)
	}
	// Names over 63 bytes never leave the client.
	srv.ResetRequests()
	long := catalog.DefineTable(catalog.TableDef{Schema: "cell-imaging", Name: strings.Repeat("x", 64)})
	err = c.Create(t.Context(), catalog.ModelChange{Tables: []*catalog.Table{long}})
	requireKind(t, err, catalog.ErrBadRequest)
	assert.Empty(t, srv.Requests())
}

// Names and values with every awkward character survive the trip.
func TestAwkwardNames(t *testing.T) {
	t.Parallel()
	c, srv := connect(t, localtest.Open(t, local.Options{Client: testUser}), ermresttest.Options{})
	ctx := t.Context()
	ref := catalog.TableRef{Schema: "odd schema:+/é", Table: "Slide Scan (v2)/µ#1"}
	tbl := catalog.DefineTable(catalog.TableDef{Schema: ref.Schema, Name: ref.Table,
		Columns: []catalog.ColumnDef{{Name: "A+B", Type: catalog.TypeText, NullOK: true}, {Name: "Note", Type: catalog.TypeText, NullOK: true}}})
	require.NoError(t, c.Create(ctx, catalog.ModelChange{Schemas: []catalog.SchemaDef{{Name: ref.Schema}}, Tables: []*catalog.Table{tbl}}))
	_, err := c.Insert(ctx, ref, []catalog.Row{{"A+B": "1+1", "Note": "x/y;z&w=v,(a)"}}, catalog.InsertOptions{})
	require.NoError(t, err)
	rows, err := c.Query(ctx, catalog.Query{Table: ref, Where: catalog.And{catalog.Eq{Column: "A+B", Value: "1+1"},
		catalog.Eq{Column: "Note", Value: "x/y;z&w=v,(a)"}}, Select: []string{"A+B", "Note"}, Limit: 1})
	require.NoError(t, err)
	if len(rows) != 1 || rows[0]["Note"] != "x/y;z&w=v,(a)" {
		t.Fatalf("rows %v", rows)
	}
	last := srv.Requests()[len(srv.Requests())-1]
	assert.Equal(t, "/ermrest/catalog/1/attribute/odd%20schema%3A%2B%2F%C3%A9:Slide%20Scan%20%28v2%29%2F%C2%B5%231/"+
		"A%2BB=1%2B1&Note=x%2Fy%3Bz%26w%3Dv%2C%28a%29/A%2BB,Note?limit=1", last.URI)
}

// Many values in one any(...) list: one request per chunk, never one per value.
func TestLongAnyListsAreChunked(t *testing.T) {
	t.Parallel()
	srvEngine := localtest.Open(t, local.Options{Client: testUser})
	c, srv := connect(t, srvEngine, ermresttest.Options{})
	ctx := t.Context()
	require.NoError(t, c.Create(ctx, ermresttest.CellImaging()))
	var in []catalog.Row
	for i := 0; i < 300; i++ {
		in = append(in, catalog.Row{"Filename": strings.Repeat("f", 10) + string(rune('a'+i%26)) + strings.Repeat("g", i%7) + strconv.Itoa(i)})
	}
	inserted, err := c.Insert(ctx, imageRef, in, catalog.InsertOptions{})
	require.NoError(t, err)
	var rids []any
	for _, r := range inserted {
		rids = append(rids, r.RID(), strings.ToLower(r.RID())) // duplicates in another spelling
	}
	srv.AddCookie("small-session", testUser)
	home := t.TempDir()
	writeCredentials(t, home, map[string]any{hostOf(srv): cookie("small-session")})
	small, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: home, MaxURLBytes: 300})
	require.NoError(t, err)
	_, err = small.Model(ctx, "")
	require.NoError(t, err)
	srv.ResetRequests()
	rows, err := small.Query(ctx, catalog.Query{Table: imageRef, Where: catalog.AnyOf{Column: "RID", Values: rids},
		Sort: []catalog.SortKey{{Column: "Filename"}}, Limit: 1000})
	require.NoError(t, err)
	assert.Len(t, rows, 300)
	for i := 1; i < len(rows); i++ {
		if rows[i-1].String("Filename") >= rows[i].String("Filename") {
			t.Fatalf("merged rows out of order at %d", i)
		}
	}
	reqs := srv.Requests()
	if len(reqs) < 3 || len(reqs) > 40 {
		t.Errorf("%d requests for 300 RIDs", len(reqs))
		for _, r := range reqs {
			t.Logf("%d %.200s", len(r.URI), r.URI)
		}
	}
	for _, r := range reqs {
		if len(r.URI) > 300 {
			t.Errorf("a %d-byte URL", len(r.URI))
		}
	}
	n, err := small.Count(ctx, catalog.GroupQuery{Table: imageRef, Where: catalog.AnyOf{Column: "RID", Values: rids}})
	require.NoError(t, err)
	assert.Equal(t, int64(300), n[0].Count, "chunked counts add up")
	require.NoError(t, small.Delete(ctx, imageRef, catalog.AnyOf{Column: "RID", Values: rids}))
	n, err = c.Count(ctx, catalog.GroupQuery{Table: imageRef})
	require.NoError(t, err)
	assert.Equal(t, int64(0), n[0].Count)
}

func TestQueryValidation(t *testing.T) {
	t.Parallel()
	c, srv := seeded(t, ermresttest.Options{})
	ctx := t.Context()
	for _, q := range []catalog.Query{
		{Table: imageRef, Limit: 0},
		{Table: imageRef, Limit: -1},
		{Table: catalog.TableRef{Table: "Image"}, Limit: 1},
		{Table: imageRef, Limit: 1, After: []any{"x"}},
		{Table: imageRef, Limit: 1, Select: []string{"Filename"}, Sort: []catalog.SortKey{{Column: "RID"}}},
		{Table: imageRef, Limit: 1, Where: catalog.Cmp{Column: "Width", Op: "~", Value: 1}},
	} {
		_, err := c.Query(ctx, q)
		requireKind(t, err, catalog.ErrInvalidInput)
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")
	rows, err := c.Query(ctx, catalog.Query{Table: imageRef, Where: catalog.AnyOf{Column: "RID"}, Limit: 5})
	require.NoError(t, err)
	assert.Empty(t, rows, "an empty any() matches nothing")
	assert.Empty(t, srv.Requests(), "and needs no request")
}

func TestUpdateDetectsConcurrentChanges(t *testing.T) {
	t.Parallel()
	c, _ := seeded(t, ermresttest.Options{})
	ctx := t.Context()
	rows, err := c.Query(ctx, catalog.Query{Table: imageRef, Where: catalog.Eq{Column: "Filename", Value: "a.png"}, Limit: 1})
	require.NoError(t, err)
	a := rows[0]
	out, err := c.Update(ctx, imageRef, catalog.UpdateSpec{Match: []string{"RID", "RMT"}, Set: []string{"Width"}},
		[]catalog.Row{{"RID": a.RID(), "RMT": a["RMT"], "Width": 600}})
	require.NoError(t, err)
	assert.Len(t, out, 1)
	// The same guard again: RMT moved on, so someone else "changed it".
	_, err = c.Update(ctx, imageRef, catalog.UpdateSpec{Match: []string{"RID", "RMT"}, Set: []string{"Width"}},
		[]catalog.Row{{"RID": a.RID(), "RMT": a["RMT"], "Width": 700}})
	requireKind(t, err, catalog.ErrPrecondition)
	if !strings.Contains(catalog.Hint(err), "reload") {
		t.Errorf("fix %q", catalog.Hint(err))
	}
	// Without RMT a row that matches nothing is just skipped.
	out, err = c.Update(ctx, imageRef, catalog.UpdateSpec{Match: []string{"Filename"}, Set: []string{"Width"}},
		[]catalog.Row{{"Filename": "nope.png", "Width": 1}})
	require.NoError(t, err)
	assert.Empty(t, out)
	_, err = c.Update(ctx, imageRef, catalog.UpdateSpec{Match: []string{"RID"}, Set: []string{"Width"}}, []catalog.Row{{"RID": a.RID()}})
	requireKind(t, err, catalog.ErrInvalidInput)
}

func TestDeleteAndResolve(t *testing.T) {
	t.Parallel()
	c, _ := seeded(t, ermresttest.Options{})
	ctx := t.Context()
	require.NoError(t, c.Delete(ctx, imageRef, catalog.Eq{Column: "Filename", Value: "nothing-matches.png"}))
	rows, err := c.Query(ctx, catalog.Query{Table: imageRef, Where: catalog.Eq{Column: "Filename", Value: "k.png"}, Limit: 1})
	require.NoError(t, err)
	rid := rows[0].RID()
	before, err := c.Snapshot(ctx)
	require.NoError(t, err)
	require.NoError(t, c.Delete(ctx, imageRef, catalog.Eq{Column: "RID", Value: rid}))
	info, err := c.ResolveRID(ctx, rid, "")
	require.NoError(t, err)
	assert.True(t, info.Deleted())
	assert.Equal(t, before, info.LastVisibleSnaptime)
	info, err = c.ResolveRID(ctx, rid, before)
	require.NoError(t, err)
	assert.False(t, info.Deleted(), "live at the earlier snapshot")
	assert.Equal(t, imageRef, info.Table)
	_, err = c.ResolveRID(ctx, "not a rid", "")
	requireKind(t, err, catalog.ErrNotFound)
	_, err = c.ResolveRID(ctx, "", "")
	requireKind(t, err, catalog.ErrInvalidInput)
}

func TestWhoami(t *testing.T) {
	t.Parallel()
	c, srv := seeded(t, ermresttest.Options{})
	me, err := c.Whoami(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "testuser", me.ID)
	assert.False(t, me.Anonymous)
	anon, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: t.TempDir()})
	require.NoError(t, err)
	me, err = anon.Whoami(t.Context())
	require.NoError(t, err)
	assert.True(t, me.Anonymous)
	assert.Empty(t, me.ID)
}

func TestUsernamePasswordLogin(t *testing.T) {
	t.Parallel()
	who := catalog.Identity{ID: "https://auth.example.org/u1", DisplayName: "u1", Groups: []string{"g"}}
	srv := ermresttest.New(localtest.Open(t, local.Options{Client: who}), ermresttest.Options{Users: map[string]ermresttest.User{"u1": {Password: "pw", Identity: who}}})
	t.Cleanup(srv.Close)
	home := t.TempDir()
	writeCredentials(t, home, map[string]any{hostOf(srv): map[string]any{"username": "u1", "password": "pw"}})
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: home})
	require.NoError(t, err)
	me, err := c.Whoami(t.Context())
	require.NoError(t, err)
	assert.Equal(t, who.ID, me.ID)
	if !reflect.DeepEqual(me.Groups, []string{"g"}) {
		t.Errorf("groups %v", me.Groups)
	}
	_, err = c.Snapshot(t.Context())
	require.NoError(t, err)
	reqs := srv.Requests()
	assert.Len(t, reqs, 3)
	assert.Equal(t, "POST /authn/session", reqs[0].Method+" "+reqs[0].URI, "logs in once")
	form, err := url.ParseQuery(string(reqs[0].Body))
	require.NoError(t, err)
	assert.Equal(t, "u1", form.Get("username"))
	assert.Equal(t, "pw", form.Get("password"))
	if !strings.HasPrefix(reqs[2].Header.Get("Cookie"), "webauthn=") {
		t.Errorf("later requests carry the session cookie: %v", reqs[2].Header)
	}

	writeCredentials(t, home, map[string]any{hostOf(srv): map[string]any{"username": "u1", "password": "wrong"}})
	bad, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: home})
	require.NoError(t, err)
	_, err = bad.Snapshot(t.Context())
	requireKind(t, err, catalog.ErrUnauthenticated)
	if strings.Contains(err.Error()+catalog.Hint(err), "wrong") {
		t.Errorf("the password leaked: %v", err)
	}
}

// requireKind asserts err is a *catalog.Error of kind with a fix.
func requireKind(t testing.TB, err, kind error) {
	t.Helper()
	require.ErrorIs(t, err, kind)
	var ce *catalog.Error
	require.ErrorAs(t, err, &ce)
	assert.NotEmpty(t, ce.Fix, "error %v has no fix", err)
}

// A table created by someone else after the model was cached still comes
// back with typed values: the client re-reads the model.
func TestModelCacheFollowsOtherWriters(t *testing.T) {
	t.Parallel()
	c, srv := seeded(t, ermresttest.Options{})
	ctx := t.Context()
	_, err := c.Query(ctx, catalog.Query{Table: imageRef, Limit: 1}) // caches the model
	require.NoError(t, err)
	other, _ := observed(t, srv, 1)
	ref := catalog.TableRef{Schema: "cell-imaging", Table: "Later"}
	require.NoError(t, other.Create(ctx, catalog.ModelChange{Tables: []*catalog.Table{catalog.DefineTable(catalog.TableDef{
		Schema: ref.Schema, Name: ref.Table, Columns: []catalog.ColumnDef{{Name: "N", Type: catalog.TypeInt8}}})}}))
	_, err = other.Insert(ctx, ref, []catalog.Row{{"N": int64(1) << 60}}, catalog.InsertOptions{})
	require.NoError(t, err)
	rows, err := c.Query(ctx, catalog.Query{Table: ref, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, int64(1)<<60, rows[0]["N"], "int8 beyond float64 precision survives")
}
