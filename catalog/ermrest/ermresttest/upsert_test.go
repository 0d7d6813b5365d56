package ermresttest

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

// Entity PUT upserts as the captured server did (capture entity-put-upsert
// and entity_PUT_upsert_response.json): rows matching on the key columns
// are overwritten and come back without system columns, new rows are
// inserted and come back with them, the two lists spliced as ERMrest
// splices them.
func TestEntityPutUpserts(t *testing.T) {
	t.Parallel()
	s, _ := fixture(t, Options{})
	a := do(t, s, "PUT", "/ermrest/catalog/1/entity/cell-imaging:Image",
		`[{"Filename":"c.png","Width":257},{"Filename":"n.png","Width":1}]`)
	require.Equal(t, 200, a.status, a.body)
	assert.Equal(t, "application/json", a.ctype)
	sysTimes := regexp.MustCompile(`"RID":"[^"]+","RCT":"[^"]+","RMT":"[^"]+"`)
	assert.Equal(t, `[{"Filename":"c.png","Stain":null,"Width":257,"Score":null,"Acquired":null,"Tags":[],"Meta":null},`+"\n"+
		`{"Filename":"n.png","Stain":null,"Width":1,"Score":null,"Acquired":null,"Tags":[],"Meta":null,`+
		`"RID":"x","RCB":"testuser","RMB":"testuser"}]`+"\n",
		sysTimes.ReplaceAllString(a.body, `"RID":"x"`), "capture entity-put-upsert, times and RID aside")
	assert.Contains(t, a.etag, ";;")

	got := do(t, s, "GET", "/ermrest/catalog/1/entity/cell-imaging:Image/Filename=c.png", "")
	assert.Contains(t, got.body, `"Width":257`)
	assert.Contains(t, got.body, `"Stain":null`, "a key missing from the input is NULL (c.png had none anyway)")

	a = do(t, s, "PUT", "/ermrest/catalog/1/entity/cell-imaging:Image?defaults=Width",
		`[{"Filename":"a.png","Width":99,"Tags":["z"]},{"Filename":"o.png","Width":3}]`)
	require.Equal(t, 200, a.status, a.body)
	var rows []map[string]any
	require.NoError(t, json.Unmarshal([]byte(a.body), &rows))
	require.Len(t, rows, 2)
	assert.Nil(t, rows[0]["Width"], "?defaults= resets an updated row's column (capture entity-put-defaults)")
	assert.Equal(t, []any{"z"}, rows[0]["Tags"])
	assert.Nil(t, rows[0]["Stain"], "a PUT overwrites every non-key column: a.png loses its stain")
	assert.Nil(t, rows[1]["Width"], "an inserted row takes the default")
	assert.NotEmpty(t, rows[1]["RID"])

	for _, c := range []struct {
		uri, body string
		status    int
		want      string
	}{
		{"/ermrest/catalog/1/entity/cell-imaging:Image/Filename=a.png", `[]`, 400, "Entity filters not allowed during entity PUT."},
		{"/ermrest/catalog/1/entity/cell-imaging:Image", `[{"Filename":"d.png"},{"Filename":"d.png"}]`, 400,
			"Multiple input rows share the same unique key information."},
		{"/ermrest/catalog/1/entity/cell-imaging:Image", `[{"Filename":"x.png","Stain":"NOPE"}]`, 409, ""},
	} {
		a := do(t, s, "PUT", c.uri, c.body)
		assert.Equal(t, c.status, a.status, c.body)
		assert.True(t, strings.Contains(a.body, c.want), a.body)
	}
	n := do(t, s, "GET", "/ermrest/catalog/1/aggregate/cell-imaging:Image/n:=cnt(*)", "")
	assert.Equal(t, "[{\"n\":10}]\n", n.body, "8 rows, n.png and o.png; the failed PUTs added nothing")
}

// With the captured table's late key on the nullable markdown column Extra,
// the metakey is (Filename, Extra): rows lacking Extra match stored rows
// whose Extra is NULL, and both rows come back in the capture's exact key
// order (entity_PUT_upsert_response.json).
func TestEntityPutKeyOrderAsCaptured(t *testing.T) {
	t.Parallel()
	eng := engines["local"](t)
	model := CellImaging()
	img := model.Tables[1]
	img.Columns = append(img.Columns, catalog.Column{Name: "Extra", Type: catalog.TypeMarkdown, NullOK: true})
	img.Keys = append(img.Keys, catalog.Key{Names: [][2]string{{"cell-imaging", "Image_Extra_key"}}, UniqueColumns: []string{"Extra"}})
	require.NoError(t, eng.Create(t.Context(), model))
	_, err := eng.Insert(t.Context(), img.Ref(), []catalog.Row{{"Filename": "n.png", "Width": 1}}, catalog.InsertOptions{})
	require.NoError(t, err)
	s := New(eng, Options{})
	t.Cleanup(s.Close)
	s.AddCookie(fixtureCookie, testUser)

	a := do(t, s, "PUT", "/ermrest/catalog/1/entity/cell-imaging:Image", `[{"Filename":"n.png","Width":2},{"Filename":"o.png","Width":3}]`)
	require.Equal(t, 200, a.status, a.body)
	want := capture(t, "entity_PUT_upsert_response.json")
	sys := regexp.MustCompile(`"RID":"[^"]+","RCT":"[^"]+","RMT":"[^"]+"`)
	assert.Equal(t, sys.ReplaceAllString(want, "SYS"), sys.ReplaceAllString(a.body, "SYS"))
}
