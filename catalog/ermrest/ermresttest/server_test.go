package ermresttest

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/local"
)

const img = "/ermrest/catalog/1/attribute/cell-imaging:Image"

// Error answers byte for byte as captured from the real server
// (reference ermrest-observed/).
func TestErrorAnswersMatchTheRealServer(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, s *Server, eng catalog.Store) {
		snap, err := eng.Snapshot(t.Context())
		require.NoError(t, err)
		for _, c := range []struct {
			method, uri, body string
			status            int
			want              string
		}{
			{"GET", img + "/Filename=d+e.png/Filename", "", 400, "Request malformed. Detail: \n"},
			{"GET", "/ermrest/catalog/1/entity/cell-imaging:NoSuchTable", "", 409,
				"Request conflicts with state of server. Detail: Table NoSuchTable does not exist in schema cell-imaging.\n"},
			{"GET", "/ermrest/catalog/1/entity/nosuchschema:Image", "", 409,
				"Request conflicts with state of server. Detail: Schema nosuchschema does not exist.\n"},
			{"GET", img + "/NoCol=1/Filename", "", 409,
				"Request conflicts with state of server. Detail: Requested column NoCol does not exist in table Image.\n"},
			{"GET", "/ermrest/catalog/1/schema/cell-imaging/table/NoSuchTable", "", 404,
				"Resource not found. Detail: table NoSuchTable in schema cell-imaging\n"},
			{"GET", "/ermrest/catalog/1/schema/nosuchschema", "", 404, "Resource not found. Detail: schema nosuchschema\n"},
			{"GET", "/ermrest/catalog/999", "", 404, "Resource not found. Detail: catalog 999\n"},
			{"GET", "/ermrest/catalog/1/entity_rid/ZZZZ-ZZZZ", "", 404, "Resource not found. Detail: entity with RID=ZZZZ-ZZZZ\n"},
			{"GET", "/ermrest/catalog/1/entity_rid/not%20a%20rid", "", 404, "Resource not found. Detail: entity with RID=not a rid\n"},
			{"HEAD", "/ermrest/catalog/1", "", 500, ""},
			{"HEAD", "/ermrest/", "", 500, ""},
			{"PATCH", "/ermrest/catalog/1/entity/cell-imaging:Image", "", 405, "Request method not allowed on this resource.\n"},
			{"GET", "/authn/session", "", 404, "No existing login session found.\n"},
			{"DELETE", "/ermrest/catalog/1/entity/cell-imaging:Image/Filename=nomatch.png", "", 404,
				"Resource not found. Detail: entities matching request path\n"},
			{"GET", "/ermrest/catalog/1/entity/cell-imaging:Image?limit=x", "", 400,
				"Request malformed. Detail: The \"limit\" query-parameter requires an integer or the string \"none\".\n"},
			{"GET", img + "/Filename,RID@sort(RID)@before(1ZG)", "", 400,
				"Request malformed. Detail: Page @before(...) modifier not allowed without limit parameter.\n"},
			{"GET", img + "/Filename,RID@sort(RID)@after(1ZC,x)?limit=2", "", 400,
				"Request malformed. Detail: The \"after\" page key of length 2 does not match the \"sort\" key of length 1.\n"},
			{"GET", "/ermrest/catalog/1/attributegroup/cell-imaging:Image/Stain;cnt(*)", "", 400,
				"Request malformed. Detail: Aggregated column cnt(cnt(%2A)) must be given an alias.\n"},
			{"GET", "/ermrest/catalog/1/aggregate/cell-imaging:Image/cnt(*)", "", 400,
				"Request malformed. Detail: Aggregated column cnt(cnt(%2A)) must be given an alias.\n"},
			{"GET", img + "/Filename::ts::png/Filename", "", 500,
				"The request execution encountered a runtime error. Detail: name 'right_value' is not defined\n"},
			{"POST", "/ermrest/catalog/1@" + snap + "/entity/cell-imaging:Stain?defaults=ID,URI", `[{"Name":"x"}]`, 403,
				"Access forbidden. Detail: modification to catalog at previous revision\n"},
			{"POST", "/ermrest/catalog/1/entity/cell-imaging:Stain?defaults=ID,URI&nondefaults=RMT", `[{"Name":"x"}]`, 403,
				"Access forbidden. Detail: insert access on :cell-imaging:Stain:RMT\n"},
			{"POST", "/ermrest/catalog/1/entity/cell-imaging:Image", `{"Filename":"x"}`, 400,
				"Request malformed. Detail: Bad JSON array input. ERROR:  cannot call json_array_elements on a non-array\n"},
			{"GET", "/ermrest/catalog/1@2/entity/cell-imaging:Stain", "", 409,
				"Request conflicts with state of server. Detail: Requested catalog revision \"2\" is prior to any known revision.\n"},
		} {
			var hdr []string
			if c.uri == "/authn/session" {
				hdr = anonymous
			}
			a := do(t, s, c.method, c.uri, c.body, hdr...)
			assert.Equal(t, c.status, a.status, "%v %v", c.method, c.uri)
			assert.Equal(t, c.want, a.body, "%v %v", c.method, c.uri)
			assert.Equal(t, "text/plain", a.ctype, "%v %v", c.method, c.uri)
		}
		a := do(t, s, "POST", "/ermrest/catalog/1/entity/cell-imaging:Image", "<x/>", "Content-Type", "application/xml")
		assert.Equal(t, 415, a.status)
		assert.Equal(t, "The request input type is not supported. Detail: application/xml input not supported\n", a.body)
	})
}

// The observed data filters give the observed rows on the same data.
func TestFiltersSelectWhatTheRealServerSelected(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, s *Server, _ catalog.Store) {
		for path, want := range map[string]string{
			"/Width=any(512,2048)/Filename,Width@sort(Filename)": "[{\"Filename\":\"a.png\",\"Width\":512},\n {\"Filename\":\"d+e.png\",\"Width\":2048},\n {\"Filename\":\"f.png\",\"Width\":512}]\n",
			"/Width=512&Stain=DAPI/Filename@sort(Filename)":      "[{\"Filename\":\"a.png\"},\n {\"Filename\":\"f.png\"}]\n",
			"/Width=256;Stain=GFP/Filename@sort(Filename)":       "[{\"Filename\":\"b.png\"},\n {\"Filename\":\"c.png\"}]\n",
			"/!Width=512/Filename@sort(Filename)": "[{\"Filename\":\"b.png\"},\n {\"Filename\":\"c.png\"},\n {\"Filename\":\"d+e.png\"},\n" +
				" {\"Filename\":\"h.png\"},\n {\"Filename\":\"i.png\"}]\n",
			"/!(Width=512)/Filename@sort(Filename)": "[{\"Filename\":\"b.png\"},\n {\"Filename\":\"c.png\"},\n {\"Filename\":\"d+e.png\"},\n" +
				" {\"Filename\":\"h.png\"},\n {\"Filename\":\"i.png\"}]\n",
			"/Stain::null::/Filename@sort(Filename)": "[{\"Filename\":\"c.png\"},\n {\"Filename\":\"h.png\"},\n {\"Filename\":\"i.png\"},\n {\"Filename\":\"k.png\"}]\n",
			"/Filename=d%2Be.png/Filename":           "[{\"Filename\":\"d+e.png\"}]\n",
			"/Tags=x/Filename":                       "[{\"Filename\":\"a.png\"}]\n",
			"/Tags=any(x,y)/Filename@sort(Filename)": "[{\"Filename\":\"a.png\"},\n {\"Filename\":\"b.png\"}]\n",
			"/Width::gt::500/Filename@sort(Filename)": "[{\"Filename\":\"a.png\"},\n {\"Filename\":\"b.png\"},\n {\"Filename\":\"d+e.png\"},\n" +
				" {\"Filename\":\"f.png\"}]\n",
			"/Filename::regexp::%5E%5Bab%5D/Filename@sort(Filename)": "[{\"Filename\":\"a.png\"},\n {\"Filename\":\"b.png\"}]\n",
			"/*::ciregexp::dapi/Filename@sort(Filename)":             "[{\"Filename\":\"a.png\"},\n {\"Filename\":\"f.png\"}]\n",
			"/Acquired=2024-01-02T03%3A04%3A05Z/Filename":            "[{\"Filename\":\"a.png\"}]\n",
			"/Acquired=2024-01-02%2003%3A04%3A05%2B00/Filename":      "[{\"Filename\":\"a.png\"}]\n",
			"/Filename@sort(Filename)@after(c.png)?limit=2":          "[{\"Filename\":\"d+e.png\"},\n {\"Filename\":\"f.png\"}]\n",
			"/Filename@sort(Filename::desc::)@after(c.png)?limit=2":  "[{\"Filename\":\"b.png\"},\n {\"Filename\":\"a.png\"}]\n",
			"/Filename@sort(Filename)@before(d%2Be.png)?limit=2":     "[{\"Filename\":\"b.png\"},\n {\"Filename\":\"c.png\"}]\n",
			"/Filename@sort(Filename)@after(b.png)@before(f.png)":    "[{\"Filename\":\"c.png\"},\n {\"Filename\":\"d+e.png\"}]\n",
			"/Width@sort(Width)@after(::null::)":                     "[]\n",
			"/Width::gt::100000/Filename":                            "[]\n",
		} {
			a := do(t, s, "GET", img+path, "")
			assert.Equal(t, 200, a.status, path)
			assert.Equal(t, "application/json", a.ctype, path)
			assert.Equal(t, want, a.body, path)
		}
	})
}

func TestCountsAndAggregates(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, s *Server, _ catalog.Store) {
		a := do(t, s, "GET", "/ermrest/catalog/1/attributegroup/cell-imaging:Image/Stain;n:=cnt(*)@sort(Stain)", "")
		assert.Equal(t, 200, a.status)
		assert.Equal(t, "[{\"Stain\":\"DAPI\",\"n\":2},\n {\"Stain\":\"GFP\",\"n\":1},\n {\"Stain\":\"Phalloidin\",\"n\":1},\n {\"Stain\":null,\"n\":4}]\n", a.body)
		a = do(t, s, "GET", "/ermrest/catalog/1/attributegroup/cell-imaging:Image/Stain;n:=cnt(*)@sort(Stain)@after(GFP)?limit=1", "")
		assert.Equal(t, "[{\"Stain\":\"Phalloidin\",\"n\":1}]\n", a.body)
		a = do(t, s, "GET", "/ermrest/catalog/1/aggregate/cell-imaging:Image/n:=cnt(*),s:=sum(Width),ids:=array_d(Stain),nd:=cnt_d(Stain),m:=max(Width)", "")
		// array_d is jsonb-rendered, ", " inside (capture aggregate).
		assert.Equal(t, "[{\"n\":8,\"s\":4375,\"ids\":[\"DAPI\", \"GFP\", \"Phalloidin\", null],\"nd\":3,\"m\":2048}]\n", a.body)
		a = do(t, s, "GET", "/ermrest/catalog/1/aggregate/cell-imaging:Image/Width::gt::100000/n:=cnt(*),m:=max(Width)", "")
		assert.Equal(t, "[{\"n\":0,\"m\":null}]\n", a.body)
		a = do(t, s, "GET", "/ermrest/catalog/1/aggregate/cell-imaging:Image/n:=cnt(*)?limit=1", "")
		assert.Equal(t, "[{\"n\":8}]\n", a.body, "an aggregate reads ?limit like any data GET")
		a = do(t, s, "GET", "/ermrest/catalog/1/aggregate/cell-imaging:Image/n:=cnt(*)?limit=x", "")
		assert.Equal(t, 400, a.status, "a bad limit is malformed, here too")
	})
}

// The keys of an insert answer come in the real server's order, system
// columns repeated: key columns taking input first, then every other column,
// then the system columns again (captures
// entity_POST_insert_response_duplicate_keys.json and insert-image).
func TestInsertAnswersInTheCapturedKeyOrder(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, s *Server, _ catalog.Store) {
		a := do(t, s, "POST", "/ermrest/catalog/1/entity/cell-imaging:Stain?defaults=ID,URI&onconflict=skip",
			`[{"Name":"Calcein","Description":"live-cell stain"},{"Name":"DAPI","Description":"dup"}]`)
		assert.Equal(t, 200, a.status, a.body)
		assert.Equal(t, "application/json", a.ctype)
		want := capture(t, "entity_POST_insert_response_duplicate_keys.json")
		assert.Equal(t, objectKeys(t, want), objectKeys(t, a.body))
		assert.Equal(t, 1, strings.Count(a.body, `"Name":`), "the colliding DAPI row was skipped")
		var rows []map[string]any
		require.NoError(t, json.Unmarshal([]byte(a.body), &rows))
		rid := rows[0]["RID"].(string)
		assert.Equal(t, "cell-imaging:"+rid, rows[0]["ID"], "vocabulary ID default")
		assert.Equal(t, "/id/"+rid, rows[0]["URI"])
		assert.Equal(t, []any{}, rows[0]["Synonyms"], "a missing array is [] (§0.2)")
		assert.Equal(t, "testuser", rows[0]["RMB"])
		if !strings.Contains(a.etag, ";;") {
			t.Errorf("data ETag %q should have an empty Accept part", a.etag)
		}

		a = do(t, s, "POST", "/ermrest/catalog/1/entity/cell-imaging:Image",
			`[{"Filename":"q.png","RID":"ignored","Width":3},{"Meta":{"k":1},"Filename":"r.png"}]`)
		assert.Equal(t, 200, a.status, a.body)
		sys := []string{"RID", "RCT", "RMT", "RCB", "RMB"}
		wantKeys := append(append(append([]string{"Filename"}, sys...), "Stain", "Width", "Score", "Acquired", "Tags", "Meta"), sys...)
		assert.Equal(t, wantKeys, objectKeys(t, a.body), "capture insert-image, whatever the input order")

		dup := do(t, s, "POST", "/ermrest/catalog/1/entity/cell-imaging:Stain?defaults=ID,URI", `[{"Name":"DAPI","Description":"d"}]`)
		assert.Equal(t, 409, dup.status)
		if !strings.HasPrefix(dup.body, "Request conflicts with state of server. Detail: ") {
			t.Errorf("duplicate: %q", dup.body)
		}
	})
}

// objectKeys lists the keys of the first object of a JSON array in order,
// duplicates included.
func objectKeys(t *testing.T, body string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(body))
	var keys []string
	depth := 0
	for {
		tok, err := dec.Token()
		require.NoError(t, err)
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
			}
			if depth == 1 && v == '}' {
				return keys
			}
		case string:
			if depth == 2 {
				keys = append(keys, v)
				var skip json.RawMessage
				require.NoError(t, dec.Decode(&skip))
			}
		}
	}
}

func TestModelCreateAndRead(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, s *Server, _ catalog.Store) {
		a := do(t, s, "POST", "/ermrest/catalog/1/schema/odd%20schema%3A%2B%2F%C3%A9", "")
		assert.Equal(t, 201, a.status)
		assert.Equal(t, "text/plain", a.ctype)
		assert.Empty(t, a.body)
		tbl := catalog.DefineTable(catalog.TableDef{Schema: "odd schema:+/é", Name: "Slide Scan (v2)/µ#1",
			Columns: []catalog.ColumnDef{{Name: "A+B", Type: catalog.TypeText, NullOK: true}}})
		body, err := json.Marshal(tbl)
		require.NoError(t, err)
		a = do(t, s, "POST", "/ermrest/catalog/1/schema/odd%20schema%3A%2B%2F%C3%A9/table", string(body))
		assert.Equal(t, 201, a.status, a.body)
		assert.Equal(t, "application/json", a.ctype)
		a = do(t, s, "POST", "/ermrest/catalog/1/entity/odd%20schema%3A%2B%2F%C3%A9:Slide%20Scan%20%28v2%29%2F%C2%B5%231", `[{"A+B":"1+1"}]`)
		assert.Equal(t, 200, a.status, a.body)
		a = do(t, s, "GET", "/ermrest/catalog/1/attribute/odd%20schema%3A%2B%2F%C3%A9:Slide%20Scan%20%28v2%29%2F%C2%B5%231/A%2bB=1%2B1/A%2BB", "")
		assert.Equal(t, "[{\"A+B\":\"1+1\"}]\n", a.body)

		bad := catalog.DefineTable(catalog.TableDef{Schema: "cell-imaging", Name: "NoSys"})
		bad.Columns = bad.Columns[:4]
		body, _ = json.Marshal([]any{bad})
		a = do(t, s, "POST", "/ermrest/catalog/1/schema", string(body))
		assert.Equal(t, 400, a.status)
		assert.Equal(t, "Request malformed. Detail: Table :cell-imaging:NoSys lacks required system column RMB.\n", a.body)

		a = do(t, s, "GET", "/ermrest/catalog/1/schema", "")
		assert.Equal(t, 200, a.status)
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(a.body), &doc))
		if doc["snaptime"] == "" || doc["schemas"].(map[string]any)["odd schema:+/é"] == nil {
			t.Errorf("model document lacks the new schema: %.200s", a.body)
		}
		if !strings.Contains(a.etag, ";*;") {
			t.Errorf("model ETag %q should have * in the middle", a.etag)
		}
	})
}

func TestCatalogSnapshotsAndRIDs(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, s *Server, eng catalog.Store) {
		a := do(t, s, "GET", "/ermrest/catalog/1", "")
		assert.Equal(t, 200, a.status)
		var doc struct {
			Snaptime     string `json:"snaptime"`
			ID           string `json:"id"`
			IsPersistent bool   `json:"is_persistent"`
		}
		require.NoError(t, json.Unmarshal([]byte(a.body), &doc))
		live, _ := eng.Snapshot(t.Context())
		assert.Equal(t, live, doc.Snaptime)
		assert.Equal(t, "1", doc.ID)
		assert.True(t, doc.IsPersistent)
		if !strings.Contains(a.body, `"snaptime": "`) {
			t.Errorf("catalog document should use Python separators: %.60s", a.body)
		}

		rows, err := eng.Query(t.Context(), catalog.Query{Table: catalog.TableRef{Schema: "cell-imaging", Table: "Image"},
			Where: catalog.Eq{Column: "Filename", Value: "f.png"}, Limit: 1})
		require.NoError(t, err)
		rid := rows[0].RID()
		a = do(t, s, "GET", "/ermrest/catalog/1/entity_rid/"+strings.ToLower(rid), "")
		assert.Equal(t, 200, a.status)
		assert.Equal(t, `{"RID":"`+rid+`","schema_name":"cell-imaging","table_name":"Image"}`+"\n", a.body)

		a = do(t, s, "DELETE", "/ermrest/catalog/1/entity/cell-imaging:Image/Filename=f.png", "")
		assert.Equal(t, 204, a.status)
		assert.Empty(t, a.ctype)
		a = do(t, s, "GET", "/ermrest/catalog/1/entity_rid/"+rid, "")
		assert.Equal(t, 200, a.status)
		var info map[string]string
		require.NoError(t, json.Unmarshal([]byte(a.body), &info))
		assert.Equal(t, live, info["last_visible_snaptime"])
		if info["deleted_at"] == "" || info["last_visible_at"] == "" {
			t.Errorf("deleted RID answer %s", a.body)
		}
		a = do(t, s, "GET", "/ermrest/catalog/1@"+info["last_visible_snaptime"]+"/entity/cell-imaging:Image/RID="+rid, "")
		assert.Equal(t, 200, a.status)
		if !strings.Contains(a.body, `"Filename":"f.png"`) {
			t.Errorf("the deleted row is not visible at its last snapshot: %s", a.body)
		}
	})
}

func TestPreconditionsAndETags(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, s *Server, _ catalog.Store) {
		uri := "/ermrest/catalog/1/entity/cell-imaging:Image/Filename=a.png"
		a := do(t, s, "GET", uri, "", "Accept", "application/json")
		if !strings.Contains(a.etag, ";application/json;") {
			t.Errorf("ETag %q should carry the raw Accept header", a.etag)
		}
		b := do(t, s, "GET", uri, "", "Accept", "application/json", "If-None-Match", a.etag)
		assert.Equal(t, 304, b.status)
		assert.Empty(t, b.body)
		c := do(t, s, "GET", uri, "", "Accept", "application/json", "If-Match", `"stale"`)
		assert.Equal(t, 304, c.status)
		d := do(t, s, "DELETE", uri, "", "Accept", "application/json", "If-Match", `"x==;application/json;2000-01-01 00:00:00+00:00"`)
		assert.Equal(t, 412, d.status)
		assert.Equal(t, "Resource state does not match requested preconditions.\n", d.body)
		assert.Equal(t, a.etag, d.etag, "a 412 carries the current ETag")
		e := do(t, s, "POST", "/ermrest/catalog/1/entity/cell-imaging:Image", `[{"Filename":"z.png"}]`, "If-None-Match", "*")
		assert.Equal(t, 412, e.status)
		put := do(t, s, "PUT", "/ermrest/catalog/1/attributegroup/cell-imaging:Image/Filename;Width", `[{"Filename":"a.png","Width":640}]`,
			"Accept", "application/json", "If-Match", a.etag)
		assert.Equal(t, 200, put.status, put.body)
		assert.Equal(t, "[{\"Filename\":\"a.png\",\"Width\":640}]\n", put.body)
		if put.etag == a.etag {
			t.Error("a change must change the ETag")
		}
	})
}

func TestUpdateSkipsRowsThatMatchNothing(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, s *Server, _ catalog.Store) {
		a := do(t, s, "PUT", "/ermrest/catalog/1/attributegroup/cell-imaging:Image/Filename;Width",
			`[{"Filename":"a.png","Width":641},{"Filename":"nope.png","Width":1}]`)
		assert.Equal(t, 200, a.status)
		assert.Equal(t, "[{\"Filename\":\"a.png\",\"Width\":641}]\n", a.body)
		a = do(t, s, "PUT", "/ermrest/catalog/1/attributegroup/cell-imaging:Image/Filename,RMT;Width",
			`[{"Filename":"b.png","RMT":"2000-01-01T00:00:00+00:00","Width":1}]`)
		assert.Equal(t, 200, a.status)
		assert.Equal(t, "[]\n", a.body)
	})
}

func TestFaultsAndRecording(t *testing.T) {
	t.Parallel()
	s, _ := fixture(t, Options{})
	s.Inject(Fault{Method: "GET", PathPrefix: "/ermrest/catalog/1/schema", Status: 503})
	a := do(t, s, "GET", "/ermrest/catalog/1/schema", "")
	assert.Equal(t, 503, a.status)
	assert.Equal(t, "The service is temporarily unavailable. Detail: injected failure\n", a.body)
	assert.Equal(t, 200, do(t, s, "GET", "/ermrest/catalog/1/schema", "").status, "a fault applies once")
	s.Inject(Fault{Status: 502, Body: "<html><body>Bad Gateway</body></html>", ContentType: "text/html", Times: 2})
	assert.Equal(t, "text/html", do(t, s, "GET", "/ermrest/", "").ctype)
	assert.Equal(t, "text/html", do(t, s, "GET", "/ermrest/", "").ctype)
	assert.Equal(t, "application/json", do(t, s, "GET", "/ermrest/", "").ctype)
	reqs := s.Requests()
	assert.Len(t, reqs, 5)
	assert.Equal(t, "/ermrest/catalog/1/schema", reqs[0].URI)
	s.ResetRequests()
	assert.Empty(t, s.Requests())
}

// freshFixture is fixture on a new catalog file under parent.
func freshFixture(t *testing.T, parent string) *Server {
	dir, err := os.MkdirTemp(parent, "w")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	eng, err := local.Open(filepath.Join(dir, "catalog.db"), local.Options{Client: testUser})
	require.NoError(t, err)
	t.Cleanup(func() { _ = eng.Close() })
	s, _ := fixtureOn(t, eng, Options{})
	return s
}

// Whatever the URI, method and body, the fake answers without panicking,
// with ERMrest's status codes and an error body a client can parse.
func FuzzServe(f *testing.F) {
	for _, s := range []string{
		img + "/Width=any(512,2048)/Filename,Width@sort(Filename)@after(a.png)@before(z)?limit=2",
		"/ermrest/catalog/1/entity/cell-imaging:Image/!(Stain::null::;Tags=x)&Width::geq::1",
		"/ermrest/catalog/1/attributegroup/cell-imaging:Image/Stain;n:=cnt(*)@sort(n::desc::)@before(3)?limit=1",
		"/ermrest/catalog/1/aggregate/cell-imaging:Image/a:=avg(Score),b:=array(Tags),c:=min(Acquired)",
		"/ermrest/catalog/1/schema/cell-imaging/table/Image", "/ermrest/catalog/1/entity_rid/1za", "/authn/session",
	} {
		f.Add("GET", s, "")
	}
	f.Add("POST", "/ermrest/catalog/1/entity/cell-imaging:Image?defaults=Width&onconflict=skip", `[{"Filename":"q","Width":"x"}]`)
	f.Add("PUT", "/ermrest/catalog/1/attributegroup/cell-imaging:Image/Filename;Meta", `[{"Filename":"a.png","Meta":[1]}]`)
	f.Add("POST", "/ermrest/catalog/1/schema", `[{"schema_name":"s"},{"schema_name":"s","table_name":"t"}]`)
	f.Add("DELETE", "/ermrest/catalog/1/entity/cell-imaging:Image/Filename=a.png", "")
	// Reads share one fixture (and are reset of their request log); a write
	// gets a fresh one, so every input runs against the same catalog and a
	// crasher reproduces on its own.
	shared, _ := fixture(f, Options{})
	dirs := f.TempDir() // t.TempDir names a seed's directory with '#', which local.Open refuses
	f.Fuzz(func(t *testing.T, method, uri, body string) {
		if !strings.HasPrefix(uri, "/") || strings.ContainsAny(uri, " \r\n\t#") {
			return
		}
		s := shared
		switch method {
		case "GET", "HEAD":
		case "POST", "PUT", "DELETE":
			s = freshFixture(t, dirs)
		default:
			return
		}
		defer s.ResetRequests()
		req := httptest.NewRequest(method, "http://fake.test/", strings.NewReader(body))
		req.RequestURI = uri
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Cookie", "webauthn="+fixtureCookie)
		w := httptest.NewRecorder()
		s.serve(w, req)
		switch code := w.Code; {
		case code == 200, code == 201, code == 204, code == 304:
		case descriptions[code] != "" || code == 404:
			if ct := w.Header().Get("Content-Type"); ct != "text/plain" && !strings.HasPrefix(ct, "text/plain") {
				t.Fatalf("%s %s: %d with %q", method, uri, code, ct)
			}
		default:
			t.Fatalf("%s %s: unexpected status %d: %s", method, uri, code, w.Body)
		}
	})
}
