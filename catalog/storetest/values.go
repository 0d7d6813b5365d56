package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

// sampleRef is a table of the value types the Image fixture lacks, for the
// cases that check values the way PostgreSQL reads and prints them.
var sampleRef = catalog.TableRef{Schema: schema, Table: "Sample"}

func (e *env) sampleTable() {
	e.t.Helper()
	tbl := catalog.DefineTable(catalog.TableDef{Schema: schema, Name: "Sample",
		Columns: []catalog.ColumnDef{
			{Name: "Name", Type: catalog.TypeText},
			{Name: "Note", Type: catalog.TypeText, NullOK: true},
			{Name: "Day", Type: catalog.TypeDate, NullOK: true},
			{Name: "Small", Type: catalog.TypeInt2, NullOK: true},
			{Name: "Mid", Type: catalog.TypeInt4, NullOK: true},
			{Name: "Flag", Type: catalog.TypeBoolean, NullOK: true},
			{Name: "At", Type: catalog.TypeTimestamptz, NullOK: true},
		},
		Keys: []catalog.KeyDef{{Columns: []string{"Name"}, Name: "Sample_Name_key"}},
	})
	require.NoError(e.t, e.s.Create(e.ctx, catalog.ModelChange{Tables: []*catalog.Table{tbl}}), "create Sample")
}

// names queries Sample names matching where, in name order.
func (e *env) names(where catalog.Filter) []string {
	e.t.Helper()
	rows, err := e.s.Query(e.ctx, catalog.Query{Table: sampleRef, Where: where, Select: []string{"Name"},
		Sort: []catalog.SortKey{{Column: "Name"}}, Limit: 100})
	require.NoError(e.t, err)
	return column(rows, "Name")
}

func runValues(t *testing.T, open func(t *testing.T) catalog.Store) {
	t.Run("RegexpIsNotNewlineSensitive", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.sampleTable()
		e.insert(sampleRef, []catalog.Row{{"Name": "multi", "Note": "a\nb"}, {"Name": "flat", "Note": "axb"}},
			catalog.InsertOptions{})
		// PostgreSQL's ~ and ~*: "." matches a newline, ^ and $ anchor at the text's ends only.
		assert.Equal(t, []string{"flat", "multi"}, e.names(catalog.Regexp{Column: "Note", Pattern: "a.b"}), "dot matches newline")
		assert.Equal(t, []string{"flat", "multi"}, e.names(catalog.Regexp{Column: "Note", Pattern: "A.B", IgnoreCase: true}),
			"dot matches newline, ignoring case")
		assert.Equal(t, []string{}, e.names(catalog.Regexp{Column: "Note", Pattern: "^b"}), "^ is the text's start, not a line's")
		assert.Equal(t, []string{}, e.names(catalog.Regexp{Column: "Note", Pattern: "a$"}), "$ is the text's end, not a line's")
	})
}
