package ermrest

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/cyclezero/cyclezero/catalog"
)

func observedAnswer(t *testing.T, name string) *response {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return &response{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: data}
}

// The real server's insert answer repeats the system columns in each row.
func TestDecodeRowsWithDuplicateKeys(t *testing.T) {
	t.Parallel()
	c := testClient(t)
	rows, err := c.decodeRows("POST /x", observedAnswer(t, "entity_POST_insert_response_duplicate_keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0]["RID"] != "ABNE" || rows[0]["ID"] != "cell-imaging:ABNE" || len(rows[0]) != 10 {
		t.Errorf("rows %v", rows)
	}
	for _, ts := range []string{rows[0]["RCT"].(string), "2026-11-25 16:48:34.01631+00", "2026-11-25 16:48:34.170470+00:00"} {
		if _, err := catalog.ParseTimestamp(ts); err != nil {
			t.Errorf("timestamp %q: %v", ts, err)
		}
	}
}

func TestNormalizeObservedRows(t *testing.T) {
	t.Parallel()
	c := testClient(t)
	raw, err := c.decodeRows("GET /x", observedAnswer(t, "entity_GET_Image_sorted.json"))
	if err != nil {
		t.Fatal(err)
	}
	tbl := catalog.DefineTable(catalog.TableDef{Schema: "cell-imaging", Name: "Image", Columns: []catalog.ColumnDef{
		{Name: "Filename", Type: catalog.TypeText}, {Name: "Stain", Type: catalog.TypeText, NullOK: true},
		{Name: "Width", Type: catalog.TypeInt4, NullOK: true}, {Name: "Score", Type: catalog.TypeFloat8, NullOK: true},
		{Name: "Acquired", Type: catalog.TypeTimestamptz, NullOK: true}, {Name: "Tags", Type: catalog.TypeTextArray, NullOK: true},
		{Name: "Meta", Type: catalog.TypeJSONB, NullOK: true}, {Name: "Extra", Type: catalog.TypeMarkdown, NullOK: true}}})
	// As if GET C/schema had answered it.
	c.models[""] = &catalog.Model{Schemas: map[string]*catalog.Schema{"cell-imaging": {Name: "cell-imaging",
		Tables: map[string]*catalog.Table{"Image": tbl}}}}
	rows, err := c.normalize(t.Context(), "GET /x", tbl.Ref(), "", raw)
	if err != nil {
		t.Fatal(err)
	}
	a := rows[0]
	if a["Width"] != int64(641) || a["Score"] != 0.75 || a["Meta"].(map[string]any)["k"] != float64(1) || len(a["Tags"].([]any)) != 2 {
		t.Errorf("a.png %#v", a)
	}
	if rows[3]["Score"] != float64(-3) || rows[2]["Tags"] == nil || len(rows[2]["Tags"].([]any)) != 0 {
		t.Errorf("d+e.png %#v c2.png %#v", rows[3], rows[2])
	}
}

func TestDecodeRowsRejectsGarbage(t *testing.T) {
	t.Parallel()
	c := testClient(t)
	for ctype, body := range map[string]string{
		"application/json":          `[{"RID":"1ZA","Wid`,
		"text/html":                 `<html><body>Sign in</body></html>`,
		"application/json; q=1":     `{"not":"a list"}`,
		"application/x-json-stream": "{}\n{}",
	} {
		resp := &response{status: 200, header: http.Header{"Content-Type": {ctype}}, body: []byte(body)}
		if _, err := c.decodeRows("GET /x", resp); err == nil {
			t.Errorf("%s %q decoded", ctype, body)
		}
	}
}
