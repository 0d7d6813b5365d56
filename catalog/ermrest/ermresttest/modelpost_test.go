package ermresttest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

// postedTable is a table document as a client posts it: json.Marshal of a
// catalog.DefineTable, so every column says "nullok" and "default".
func postedTable(t *testing.T, schema, name string, cols ...catalog.ColumnDef) map[string]any {
	t.Helper()
	body, err := json.Marshal(catalog.DefineTable(catalog.TableDef{Schema: schema, Name: name, Columns: cols}))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(body, &doc))
	return doc
}

// columnsOf indexes a table document's columns by name.
func columnsOf(t *testing.T, body string) map[string]map[string]any {
	t.Helper()
	var doc struct {
		Columns []map[string]any `json:"column_definitions"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &doc), body)
	out := map[string]map[string]any{}
	for _, c := range doc.Columns {
		out[c["name"].(string)] = c
	}
	return out
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// A column posted without "nullok" is nullable, as in ERMrest's
// column.py fromjson_single (columndoc.get('nullok', True)); an explicit
// false stays NOT NULL. RID, RCT and RMT cannot be nullable, so a document
// leaving out their nullok is refused. Both the table POST and the bulk
// POST /schema (list and {"schemas"} forms) read columns this way.
func TestPostedColumnWithoutNullOKIsNullable(t *testing.T) {
	t.Parallel()
	s, _ := fixture(t, Options{})
	post := func(uri, schema, name string, wrap func(map[string]any) any) {
		doc := postedTable(t, schema, name,
			catalog.ColumnDef{Name: "Loose", Type: catalog.TypeText},
			catalog.ColumnDef{Name: "Strict", Type: catalog.TypeText})
		for _, c := range doc["column_definitions"].([]any) {
			if c.(map[string]any)["name"] == "Loose" {
				delete(c.(map[string]any), "nullok")
			}
		}
		a := do(t, s, "POST", uri, mustJSON(t, wrap(doc)))
		require.Equal(t, 201, a.status, a.body)
		a = do(t, s, "GET", "/ermrest/catalog/1/schema/"+schema+"/table/"+name, "")
		require.Equal(t, 200, a.status, a.body)
		cols := columnsOf(t, a.body)
		assert.Equal(t, true, cols["Loose"]["nullok"], "%s.Loose", name)
		assert.Equal(t, false, cols["Strict"]["nullok"], "%s.Strict", name)
		a = do(t, s, "POST", "/ermrest/catalog/1/entity/"+schema+":"+name, `[{"Strict":"x"}]`)
		assert.Equal(t, 200, a.status, "a NULL Loose is accepted: %s", a.body)
	}
	post("/ermrest/catalog/1/schema/cell-imaging/table", "cell-imaging", "T1", func(d map[string]any) any { return d })
	post("/ermrest/catalog/1/schema", "cell-imaging", "T2", func(d map[string]any) any { return []any{d} })
	post("/ermrest/catalog/1/schema", "s3", "T3", func(d map[string]any) any {
		return map[string]any{"schemas": map[string]any{"s3": map[string]any{"tables": map[string]any{"T3": d}}}}
	})

	// RID, RCT and RMT must be NOT NULL, so leaving their nullok out is
	// refused; RCB and RMB may be null. Each system column keeps its type.
	systemColumn := func(doc map[string]any, name string) map[string]any {
		for _, c := range doc["column_definitions"].([]any) {
			if c.(map[string]any)["name"] == name {
				return c.(map[string]any)
			}
		}
		t.Fatalf("no column %s", name)
		return nil
	}
	for i, name := range []string{catalog.ColRID, catalog.ColRCT, catalog.ColRMT} {
		doc := postedTable(t, "cell-imaging", fmt.Sprintf("NoNullOK%d", i))
		delete(systemColumn(doc, name), "nullok")
		a := do(t, s, "POST", "/ermrest/catalog/1/schema/cell-imaging/table", mustJSON(t, doc))
		assert.Equal(t, 400, a.status, name)
		assert.Equal(t, "Request malformed. Detail: System column "+name+" cannot have nullok=True.\n", a.body)
	}
	doc := postedTable(t, "cell-imaging", "LooseRCB")
	delete(systemColumn(doc, catalog.ColRCB), "nullok")
	a := do(t, s, "POST", "/ermrest/catalog/1/schema/cell-imaging/table", mustJSON(t, doc))
	assert.Equal(t, 201, a.status, a.body)
	doc = postedTable(t, "cell-imaging", "TextRID")
	systemColumn(doc, catalog.ColRID)["type"] = map[string]any{"typename": "text"}
	a = do(t, s, "POST", "/ermrest/catalog/1/schema/cell-imaging/table", mustJSON(t, doc))
	assert.Equal(t, 400, a.status)
	assert.Equal(t, "Request malformed. Detail: System column RID cannot have type text.\n", a.body)
}

// A table POST answers with the columns as posted: the system columns,
// posted without a default, show "default": null, while a later GET shows
// their SQL defaults (reference ermrest.md §0.7; captures post-vocab-table
// and get-vocab-table in ermrest-observed/request_log_all_exchanges.txt,
// whose Stain RID column is posted back with "default":null and read back
// with "_ermrest.urlb32_encode(nextval('_ermrest.rid_seq'::regclass))").
func TestTablePostAnswersThePostedDefaults(t *testing.T) {
	t.Parallel()
	s, _ := fixture(t, Options{})
	doc := postedTable(t, "cell-imaging", "Vocab", catalog.ColumnDef{Name: "ID", Type: catalog.TypeCurie, Default: "cell-imaging:{RID}"})
	a := do(t, s, "POST", "/ermrest/catalog/1/schema/cell-imaging/table", mustJSON(t, doc))
	require.Equal(t, 201, a.status, a.body)
	assert.True(t, strings.HasPrefix(a.body, `{"RID":"`), a.body)
	posted := columnsOf(t, a.body)
	for _, name := range catalog.SystemColumns {
		assert.Nil(t, posted[name]["default"], "%s default in the POST answer", name)
	}
	assert.Equal(t, "cell-imaging:{RID}", posted["ID"]["default"])

	a = do(t, s, "GET", "/ermrest/catalog/1/schema/cell-imaging/table/Vocab", "")
	require.Equal(t, 200, a.status, a.body)
	read := columnsOf(t, a.body)
	assert.Equal(t, "_ermrest.urlb32_encode(nextval('_ermrest.rid_seq'::regclass))", read["RID"]["default"])
	assert.Equal(t, "now()", read["RMT"]["default"])
	assert.Equal(t, "_ermrest.current_client()", read["RCB"]["default"])
	assert.Equal(t, "cell-imaging:{RID}", read["ID"]["default"])

	// The bulk POST answers its tables the same way.
	a = do(t, s, "POST", "/ermrest/catalog/1/schema", mustJSON(t, []any{postedTable(t, "cell-imaging", "Vocab2")}))
	require.Equal(t, 201, a.status, a.body)
	var list []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(a.body), &list))
	require.Len(t, list, 1)
	assert.Nil(t, columnsOf(t, string(list[0]))["RID"]["default"])
}
