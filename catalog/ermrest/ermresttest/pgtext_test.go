package ermresttest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

// capturedImage is the Image table as the captures saw it (with the
// markdown column Extra added late in the session) and the rows of
// entity_GET_Image_sorted.json, normalized as an engine would hold them.
func capturedImage(t *testing.T) (*catalog.Table, []catalog.Row) {
	t.Helper()
	img := CellImaging().Tables[1]
	img.Columns = append(img.Columns, catalog.Column{Name: "Extra", Type: catalog.TypeMarkdown, NullOK: true})
	dec := json.NewDecoder(strings.NewReader(capture(t, "entity_GET_Image_sorted.json")))
	dec.UseNumber()
	var raw []map[string]any
	require.NoError(t, dec.Decode(&raw))
	rows := make([]catalog.Row, len(raw))
	for i, r := range raw {
		var err error
		rows[i], err = catalog.Normalize(img, catalog.Row(r))
		require.NoError(t, err)
	}
	return img, rows
}

// The same rows render byte for byte as the real server's JSON and CSV
// answers (captures entity_GET_Image_sorted.json and .csv): jsonb in
// PostgreSQL's jsonb text, CSV timestamps as "2026-11-25 16:48:34.01631+00",
// arrays as {x,y}, NULL as an empty field.
func TestRowsRenderAsCaptured(t *testing.T) {
	t.Parallel()
	img, rows := capturedImage(t)
	cols := tableCols(img, columnOrder(img)...)
	assert.Equal(t, capture(t, "entity_GET_Image_sorted.json"), string(rowsJSON(rows, cols)))
	assert.Equal(t, capture(t, "entity_GET_Image_sorted.csv"), string(rowsCSV(rows, cols)))
}

func TestPostgresTextForms(t *testing.T) {
	t.Parallel()
	arr := &catalog.Type{Name: "text[]", IsArray: true, Base: &catalog.TypeText}
	for _, c := range []struct {
		v    any
		t    *catalog.Type
		want string
	}{
		{true, nil, "t"},
		{int64(-3), nil, "-3"},
		{float64(-3), &catalog.TypeFloat8, "-3"},
		{0.75, nil, "0.75"},
		{1e15, nil, "1e+15"},
		{123456789012345.0, nil, "123456789012345"},
		{0.0001, nil, "0.0001"},
		{0.00001, nil, "1e-05"},
		{"2024-01-02T03:04:05+00:00", &catalog.TypeTimestamptz, "2024-01-02 03:04:05+00"},
		{"2024-01-02T03:04:05.5+05:30", &catalog.TypeTimestamptz, "2024-01-02 03:04:05.5+05:30"},
		{[]any{"x", "y"}, arr, "{x,y}"},
		{[]any{}, arr, "{}"},
		{[]any{"", "a b", `q"`, "null", nil, "{}"}, arr, `{"","a b","q\"","null",NULL,"{}"}`},
		{map[string]any{"bb": 1.0, "a": []any{"x", 2.5}, "c": nil}, &catalog.TypeJSONB, `{"a": ["x", 2.5], "c": null, "bb": 1}`},
		{"a\"b", &catalog.TypeJSONB, `"a\"b"`},
	} {
		got, null := pgText(c.v, c.t)
		assert.False(t, null)
		assert.Equal(t, c.want, got, "%#v", c.v)
	}
	var b bytes.Buffer
	for _, f := range []struct {
		s    string
		null bool
	}{{"", true}, {"", false}, {"a,b", false}, {`say "hi"`, false}, {"plain", false}} {
		csvField(&b, f.s, f.null)
		b.WriteByte('|')
	}
	assert.Equal(t, `|""|"a,b"|"say ""hi"""|plain|`, b.String())
}
