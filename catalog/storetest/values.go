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

	t.Run("RegexpMatchesPostgresText", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.sampleTable()
		e.insert(sampleRef, []catalog.Row{
			{"Name": "yes", "Flag": true, "At": "2024-01-01T06:00:00+00:00", "Day": "2024-1-6"},
			{"Name": "no", "Flag": false, "At": "2024-01-01T06:00:00.5+00:00"},
		}, catalog.InsertOptions{})
		// ~ reads a non-text column through its text output, as PostgreSQL prints it.
		assert.Equal(t, []string{"yes"}, e.names(catalog.Regexp{Column: "Flag", Pattern: "^t"}), "boolean is true/false")
		assert.Equal(t, []string{"no"}, e.names(catalog.Regexp{Column: "Flag", Pattern: "^false$"}))
		assert.Equal(t, []string{}, e.names(catalog.Regexp{Column: "Flag", Pattern: "1"}), "not stored as 1/0")
		assert.Equal(t, []string{"yes"}, e.names(catalog.Regexp{Column: "At", Pattern: `^2024-01-01 06:00:00\+00$`}),
			"timestamptz with a space and a short offset")
		assert.Equal(t, []string{"no"}, e.names(catalog.Regexp{Column: "At", Pattern: `:00\.5\+00$`}))
		assert.Equal(t, []string{"yes"}, e.names(catalog.Regexp{Column: "Day", Pattern: `^2024-01-06$`}), "date as YYYY-MM-DD")
		e.images()
		assert.Equal(t, []string{"a.png"}, e.files(catalog.Regexp{Column: "Meta", Pattern: `^\{"k": 1\}$`}), "jsonb text is spaced")
	})
}

// runDates checks date and narrow integer input as PostgreSQL reads it.
func runDates(t *testing.T, open func(t *testing.T) catalog.Store) {
	t.Run("DateStoredCanonical", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.sampleTable()
		out := e.insert(sampleRef, []catalog.Row{{"Name": "short", "Day": "2024-1-6"}, {"Name": "iso", "Day": "2024-02-29"}},
			catalog.InsertOptions{})
		days := map[string]any{}
		for _, r := range out {
			days[r.String("Name")] = r["Day"]
		}
		assert.Equal(t, map[string]any{"short": "2024-01-06", "iso": "2024-02-29"}, days, "dates come back as YYYY-MM-DD")
		assert.Equal(t, []string{"short"}, e.names(catalog.Eq{Column: "Day", Value: "2024-01-06"}), "canonical operand finds a short spelling")
		assert.Equal(t, []string{"short"}, e.names(catalog.Eq{Column: "Day", Value: "2024-1-6"}), "the operand is normalized too")
		assert.Equal(t, []string{"iso"}, e.names(catalog.Cmp{Column: "Day", Op: catalog.Gt, Value: "2024-2-1"}), "ordering on dates")
		assert.Equal(t, []string{"iso", "short"}, e.names(catalog.AnyOf{Column: "Day", Values: []any{"2024-01-6", "2024-2-29"}}))
	})

	t.Run("BadDatesAndIntegers", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.sampleTable()
		for _, row := range []catalog.Row{
			{"Name": "x", "Day": "not a date"},
			{"Name": "x", "Day": "2024-02-30"},
			{"Name": "x", "Day": "2024-13-01"},
			{"Name": "x", "Small": 40000},
			{"Name": "x", "Mid": int64(1) << 40},
			{"Name": "x", "Mid": -(int64(1) << 31) - 1},
		} {
			_, err := e.s.Insert(e.ctx, sampleRef, []catalog.Row{row}, catalog.InsertOptions{})
			requireKind(t, err, catalog.ErrBadRequest, "insert %v", row)
		}
		_, err := e.s.Query(e.ctx, catalog.Query{Table: sampleRef, Where: catalog.Eq{Column: "Day", Value: "not a date"}, Limit: 1})
		requireKind(t, err, catalog.ErrBadRequest, "a filter operand that is not a date")
		out := e.insert(sampleRef, []catalog.Row{{"Name": "edges", "Small": -32768, "Mid": int64(1)<<31 - 1}}, catalog.InsertOptions{})
		assert.Equal(t, int64(-32768), out[0]["Small"])
		assert.Equal(t, int64(1)<<31-1, out[0]["Mid"])
		assert.Equal(t, int64(1), count(t, e, sampleRef, nil), "only the in-range row was written")
	})
}
