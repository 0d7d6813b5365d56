package ermresttest

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
)

// outCol is a column of an answer: its key, and the type of its values
// (nil when unknown: the Go value decides).
type outCol struct {
	name string
	typ  *catalog.Type
}

// jsonbType marks answers PostgreSQL renders as jsonb text: json/jsonb
// columns, and the array and array_d aggregates (capture aggregate:
// "ids":["DAPI", "GFP", "Phalloidin", null]).
var jsonbType = &catalog.Type{Name: "jsonb"}

// tableCols types names with t's columns.
func tableCols(t *catalog.Table, names ...string) []outCol {
	out := make([]outCol, len(names))
	for i, n := range names {
		out[i] = outCol{name: n}
		if c := t.Column(n); c != nil {
			out[i].typ = &c.Type
		}
	}
	return out
}

// untyped are columns whose Go values decide their rendering.
func untyped(names ...string) []outCol {
	out := make([]outCol, len(names))
	for i, n := range names {
		out[i] = outCol{name: n}
	}
	return out
}

func isJSONB(t *catalog.Type) bool {
	if t == nil || t.IsArray {
		return false
	}
	n := t.BaseName()
	return n == "json" || n == "jsonb"
}

// writeSeq writes n items between open and close, separated by ", " as
// Python's json.dumps does (pyEncode).
func writeSeq(buf *bytes.Buffer, open, close byte, n int, item func(i int)) {
	buf.WriteByte(open)
	for i := range n {
		if i > 0 {
			buf.WriteString(", ")
		}
		item(i)
	}
	buf.WriteByte(close)
}

// pgText renders a value as PostgreSQL's text output of its type (what a
// CSV answer shows); null reports SQL NULL.
func pgText(v any, t *catalog.Type) (text string, null bool) {
	if v == nil {
		return "", true
	}
	if isJSONB(t) {
		var buf bytes.Buffer
		catalog.AppendJSONBText(&buf, v)
		return buf.String(), false
	}
	if list, ok := v.([]any); ok {
		var elem *catalog.Type
		if t != nil && t.IsArray {
			elem = t.Base
		}
		return pgArray(list, elem), false
	}
	if m, ok := v.(map[string]any); ok {
		var buf bytes.Buffer
		catalog.AppendJSONBText(&buf, m)
		return buf.String(), false
	}
	base := ""
	if t != nil {
		base = t.BaseName()
	}
	switch x := v.(type) {
	case bool:
		if x {
			return "t", false
		}
		return "f", false
	case int64:
		return strconv.FormatInt(x, 10), false
	case float64:
		return catalog.PGFloatText(x, 64), false
	case string:
		switch base {
		case "timestamptz":
			if ts, err := time.Parse(time.RFC3339Nano, x); err == nil {
				layout := "2006-01-02 15:04:05.999999-07"
				if _, off := ts.Zone(); off%3600 != 0 {
					layout += ":00"
				}
				return ts.Format(layout), false
			}
		case "timestamp":
			return strings.Replace(x, "T", " ", 1), false
		}
		return x, false
	}
	return fmt.Sprint(v), false
}

// pgArray renders an array literal as PostgreSQL's array_out does: {a,b},
// an element quoted when it is empty, spells NULL, or holds a brace, quote,
// comma, backslash or white space; NULL elements as NULL.
func pgArray(list []any, elem *catalog.Type) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, e := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		s, null := pgText(e, elem)
		switch {
		case null:
			b.WriteString("NULL")
		case s == "" || strings.EqualFold(s, "NULL") || strings.ContainsAny(s, "{}\",\\ \t\n\r\v\f"):
			b.WriteByte('"')
			b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s))
			b.WriteByte('"')
		default:
			b.WriteString(s)
		}
	}
	b.WriteByte('}')
	return b.String()
}

// csvField quotes a field as PostgreSQL's CSV output does: when it holds a
// comma, quote, CR or LF, or is an empty (non-NULL) string.
func csvField(b *bytes.Buffer, s string, null bool) {
	if null {
		return
	}
	if s == "" || strings.ContainsAny(s, ",\"\r\n") {
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(s, `"`, `""`))
		b.WriteByte('"')
		return
	}
	b.WriteString(s)
}

// rowsCSV renders rows as ERMrest's CSV answers (capture
// entity_GET_Image_sorted.csv): a header of the column names, then one line
// per row, "\n"-terminated, values in PostgreSQL's text forms, NULL as an
// empty field. With no rows only the header is sent (not captured).
func rowsCSV(rows []catalog.Row, cols []outCol) []byte {
	var b bytes.Buffer
	for i, c := range cols {
		if i > 0 {
			b.WriteByte(',')
		}
		csvField(&b, c.name, false)
	}
	b.WriteByte('\n')
	for _, r := range rows {
		for i, c := range cols {
			if i > 0 {
				b.WriteByte(',')
			}
			s, null := pgText(r[c.name], c.typ)
			csvField(&b, s, null)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}
