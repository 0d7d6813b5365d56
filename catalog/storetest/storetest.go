// Package storetest is the contract suite every catalog.Store backend must
// pass: the embedded local catalog and the ERMrest HTTP client alike. It
// tests only behaviour a real ERMrest server has (reference ermrest.md §0),
// so a backend that passes behaves like the server for its callers.
//
// Use it from a backend's tests:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) catalog.Store { return openFresh(t) })
//	}
//
// open must return a fresh, empty catalog (only ERMrest's public schema) on
// every call and arrange its own cleanup with t.Cleanup. Subtests call it
// once each and run in parallel.
package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

// Run runs the whole contract suite against the backend open returns.
func Run(t *testing.T, open func(t *testing.T) catalog.Store) {
	t.Run("Model", func(t *testing.T) { t.Parallel(); runModel(t, open) })
	t.Run("Insert", func(t *testing.T) { t.Parallel(); runInsert(t, open) })
	t.Run("Query", func(t *testing.T) { t.Parallel(); runQuery(t, open) })
	t.Run("Count", func(t *testing.T) { t.Parallel(); runCount(t, open) })
	t.Run("Update", func(t *testing.T) { t.Parallel(); runUpdate(t, open) })
	t.Run("Delete", func(t *testing.T) { t.Parallel(); runDelete(t, open) })
	t.Run("ResolveRID", func(t *testing.T) { t.Parallel(); runResolve(t, open) })
	t.Run("Snapshots", func(t *testing.T) { t.Parallel(); runSnapshots(t, open) })
	t.Run("Errors", func(t *testing.T) { t.Parallel(); runErrors(t, open) })
	t.Run("Values", func(t *testing.T) { t.Parallel(); runValues(t, open) })
	t.Run("Dates", func(t *testing.T) { t.Parallel(); runDates(t, open) })
}

// The fixture: a vocabulary (Stain) and a table using every value kind
// (Image), in schema "contract".
const schema = "contract"

var (
	stainRef = catalog.TableRef{Schema: schema, Table: "Stain"}
	imageRef = catalog.TableRef{Schema: schema, Table: "Image"}
)

const visibleColumns = "tag:isrd.isi.edu,2016:visible-columns"

func stainTable() *catalog.Table {
	return catalog.DefineTable(catalog.TableDef{
		Schema:  schema,
		Name:    "Stain",
		Comment: "stain vocabulary",
		Columns: []catalog.ColumnDef{
			{Name: "ID", Type: catalog.TypeCurie, Default: schema + ":{RID}"},
			{Name: "URI", Type: catalog.TypeURI, Default: "/id/{RID}"},
			{Name: "Name", Type: catalog.TypeText},
			{Name: "Description", Type: catalog.TypeMarkdown},
			{Name: "Synonyms", Type: catalog.TypeTextArray, NullOK: true},
		},
		Keys: []catalog.KeyDef{
			{Columns: []string{"ID"}, Name: "Stain_ID_key"},
			{Columns: []string{"URI"}, Name: "Stain_URI_key"},
			{Columns: []string{"Name"}, Name: "Stain_Name_key"},
		},
	})
}

func imageTable() *catalog.Table {
	return catalog.DefineTable(catalog.TableDef{
		Schema:  schema,
		Name:    "Image",
		Comment: "an image table",
		Columns: []catalog.ColumnDef{
			{Name: "Filename", Type: catalog.TypeText, Comment: "file name"},
			{Name: "Stain", Type: catalog.TypeText, NullOK: true},
			{Name: "Width", Type: catalog.TypeInt4, NullOK: true,
				Annotations: catalog.Annotations{"tag:example.org,2024:unit": json.RawMessage(`{"unit":"px"}`)}},
			{Name: "Score", Type: catalog.TypeFloat8, NullOK: true},
			{Name: "Acquired", Type: catalog.TypeTimestamptz, NullOK: true},
			{Name: "Tags", Type: catalog.TypeTextArray, NullOK: true},
			{Name: "Meta", Type: catalog.TypeJSONB, NullOK: true},
			{Name: "Flagged", Type: catalog.TypeBoolean, NullOK: true},
			{Name: "Note", Type: catalog.TypeMarkdown, NullOK: true},
		},
		Keys: []catalog.KeyDef{{Columns: []string{"Filename"}, Name: "Image_Filename_key"}},
		ForeignKeys: []catalog.ForeignKeyDef{{
			Columns: []string{"Stain"}, RefSchema: schema, RefTable: "Stain", RefColumns: []string{"Name"},
			Name: "Image_Stain_fkey", OnUpdate: "CASCADE", OnDelete: "NO ACTION",
		}},
		Annotations: catalog.Annotations{visibleColumns: json.RawMessage(`{"*":["Filename","Stain"]}`)},
	})
}

// env is one fresh catalog with the fixture's model.
type env struct {
	t   *testing.T
	ctx context.Context
	s   catalog.Store
}

func newEnv(t *testing.T, open func(t *testing.T) catalog.Store) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), s: open(t)}
	require.NoError(t, e.s.Create(e.ctx, catalog.ModelChange{
		Schemas: []catalog.SchemaDef{{Name: schema, Comment: "contract schema",
			Annotations: catalog.Annotations{"tag:example.org,2024:owner": json.RawMessage(`{"team":"ml"}`)}}},
		Tables: []*catalog.Table{stainTable(), imageTable()},
	}), "create the fixture model")
	return e
}

func (e *env) insert(ref catalog.TableRef, rows []catalog.Row, opts catalog.InsertOptions) []catalog.Row {
	e.t.Helper()
	out, err := e.s.Insert(e.ctx, ref, rows, opts)
	require.NoError(e.t, err, "insert into %s", ref)
	require.Len(e.t, out, len(rows), "insert into %s returns every row", ref)
	return out
}

// stains inserts DAPI, GFP and Phalloidin with server-made ID/URI.
func (e *env) stains() []catalog.Row {
	return e.insert(stainRef, []catalog.Row{
		{"Name": "DAPI", "Description": "nuclear stain", "Synonyms": []any{"4',6-diamidino-2-phenylindole"}},
		{"Name": "GFP", "Description": "green fluorescent protein"},
		{"Name": "Phalloidin", "Description": "actin stain", "Synonyms": []any{}},
	}, catalog.InsertOptions{Defaults: []string{"ID", "URI"}})
}

// images inserts the stains and six images; it returns the images by file name.
func (e *env) images() map[string]catalog.Row {
	e.stains()
	rows := e.insert(imageRef, []catalog.Row{
		{"Filename": "a.png", "Stain": "DAPI", "Width": 512, "Score": 0.5, "Acquired": "2024-01-02T03:04:05+00:00",
			"Tags": []any{"x", "y"}, "Meta": map[string]any{"k": 1}, "Flagged": true},
		{"Filename": "b.png", "Stain": "GFP", "Width": 1024, "Score": 1.25, "Tags": []any{"y"}, "Flagged": false},
		{"Filename": "c.png", "Width": 256},
		{"Filename": "d+e.png", "Stain": "Phalloidin", "Width": 2048, "Score": -3, "Tags": []any{}},
		{"Filename": "f.png", "Stain": "DAPI", "Width": 512},
		{"Filename": "k.png"},
	}, catalog.InsertOptions{})
	out := map[string]catalog.Row{}
	for _, r := range rows {
		out[r.String("Filename")] = r
	}
	return out
}

// files queries Image file names matching where, in file name order.
func (e *env) files(where catalog.Filter) []string {
	e.t.Helper()
	rows, err := e.s.Query(e.ctx, catalog.Query{Table: imageRef, Where: where, Select: []string{"Filename"},
		Sort: []catalog.SortKey{{Column: "Filename"}}, Limit: 100})
	require.NoError(e.t, err)
	return column(rows, "Filename")
}

func column(rows []catalog.Row, col string) []string {
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.String(col))
	}
	return out
}

// one queries the single Image row with the given file name, at a snapshot.
func (e *env) one(file, at string) catalog.Row {
	e.t.Helper()
	rows, err := e.s.Query(e.ctx, catalog.Query{Table: imageRef, Where: catalog.Eq{Column: "Filename", Value: file}, Limit: 2, At: at})
	require.NoError(e.t, err)
	require.Len(e.t, rows, 1, "one row with Filename=%s", file)
	return rows[0]
}

// requireKind asserts err is a catalog error of the given kind.
func requireKind(t *testing.T, err error, kind error, msgAndArgs ...any) {
	t.Helper()
	require.Error(t, err, msgAndArgs...)
	require.ErrorIs(t, err, kind, msgAndArgs...)
	var ce *catalog.Error
	require.ErrorAs(t, err, &ce, "a *catalog.Error")
}
