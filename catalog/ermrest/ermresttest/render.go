package ermresttest

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
)

// descriptions are the fixed first halves of ERMrest's text/plain error
// bodies (ermrest/exception/rest.py, webauthn2/util.py).
var descriptions = map[int]string{
	400: "Request malformed.",
	401: "Access requires authentication.",
	403: "Access forbidden.",
	404: "Resource not found.",
	405: "Request method not allowed on this resource.",
	409: "Request conflicts with state of server.",
	412: "Resource state does not match requested preconditions.",
	415: "The request input type is not supported.",
	500: "The request execution encountered a runtime error.",
	503: "The service is temporarily unavailable.",
}

// errorMessage is an ERMrest error message, "{description} Detail: {detail}",
// or just "{description}" for statuses whose bodies carry no detail (412,
// 405); a 400 from the lexer has an empty detail. The text/plain body is it
// and a newline; the text/html template shows it too.
func errorMessage(status int, detail string) string {
	desc := descriptions[status]
	if desc == "" {
		desc = http.StatusText(status) + "."
	}
	if status == 412 || status == 405 {
		return desc
	}
	return desc + " Detail: " + detail
}

// writeError answers an error with ERMrest's body: text/plain, or the HTML
// page when the request negotiated text/html (see writeMessage).
func writeError(w http.ResponseWriter, status int, detail string) {
	writeMessage(w, status, errorMessage(status, detail))
}

// statusOf maps an error from parsing, converting or the engine to an
// ERMrest status and detail.
func statusOf(err error) (int, string) {
	var he httpError
	var pe parseError
	var le lexError
	var un unsupported
	var ce *catalog.Error
	switch {
	case errors.As(err, &he):
		return he.status, he.detail
	case errors.As(err, &le):
		return 400, ""
	case errors.As(err, &pe):
		return 400, pe.msg
	case errors.As(err, &un):
		return 400, un.Error()
	case errors.As(err, &ce):
		detail := ce.Detail
		if detail == "" {
			detail = ce.Kind.Error()
		}
		switch {
		case errors.Is(ce, catalog.ErrBadRequest), errors.Is(ce, catalog.ErrInvalidInput):
			return 400, detail
		case errors.Is(ce, catalog.ErrUnauthenticated):
			return 401, detail
		case errors.Is(ce, catalog.ErrForbidden):
			return 403, detail
		case errors.Is(ce, catalog.ErrNotFound):
			return 404, detail
		case errors.Is(ce, catalog.ErrConflict):
			return 409, detail
		case errors.Is(ce, catalog.ErrPrecondition):
			return 412, detail
		case errors.Is(ce, catalog.ErrUnavailable):
			return 503, detail
		}
		return 500, detail
	}
	return 500, err.Error()
}

// encodeValue writes one JSON value as PostgreSQL's JSON output would:
// no HTML escaping, NaN and infinities as strings.
func encodeValue(buf *bytes.Buffer, v any) {
	if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
		v = map[bool]string{true: "NaN", false: "Infinity"}[math.IsNaN(f)]
		if math.IsInf(f, -1) {
			v = "-Infinity"
		}
	}
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		buf.WriteString("null\n")
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
}

// writeRow writes {"k":v,...} with keys in cols' order; keys absent from
// the row are written as null, jsonb values in PostgreSQL's jsonb text.
func writeRow(buf *bytes.Buffer, cols []outCol, row catalog.Row) {
	buf.WriteByte('{')
	for i, c := range cols {
		if i > 0 {
			buf.WriteByte(',')
		}
		encodeValue(buf, c.name)
		buf.WriteByte(':')
		if isJSONB(c.typ) {
			catalog.AppendJSONBText(buf, row[c.name])
			continue
		}
		encodeValue(buf, row[c.name])
	}
	buf.WriteByte('}')
}

// rowsJSON renders rows as ERMrest does: "[{...},\n {...}]\n".
func rowsJSON(rows []catalog.Row, cols []outCol) []byte {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, r := range rows {
		if i > 0 {
			buf.WriteString(",\n ")
		}
		writeRow(&buf, cols, r)
	}
	buf.WriteString("]\n")
	return buf.Bytes()
}

// rowsStream renders rows as application/x-json-stream: one object a line.
func rowsStream(rows []catalog.Row, cols []outCol) []byte {
	var buf bytes.Buffer
	for _, r := range rows {
		writeRow(&buf, cols, r)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// writeRows answers 200 with rows in the negotiated type (JSON, CSV or a
// JSON stream; reference ermrest.md §3.5).
func (d *dataCall) writeRows(cols []outCol, rows []catalog.Row) {
	ct := dataType(d.r, d.rt.opts)
	var body []byte
	switch ct {
	case ctCSV:
		body = rowsCSV(rows, cols)
	case ctStream:
		body = rowsStream(rows, cols)
	default:
		body = rowsJSON(rows, cols)
	}
	d.w.Header().Set("Content-Type", ct)
	d.w.WriteHeader(http.StatusOK)
	_, _ = d.w.Write(body)
}

// columnOrder lists a table's column names in definition order.
func columnOrder(t *catalog.Table) []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// keyColumns splits a table's columns, in table order, as ERMrest's entity
// writes do: mkcols, the columns of any key that are not in defaulted, and
// nmkcols, all the others.
func keyColumns(t *catalog.Table, defaulted func(string) bool) (mk, nmk []string) {
	inKey := map[string]bool{}
	for _, k := range t.Keys {
		for _, c := range k.UniqueColumns {
			if !defaulted(c) {
				inKey[c] = true
			}
		}
	}
	for _, c := range t.Columns {
		if inKey[c.Name] {
			mk = append(mk, c.Name)
		} else {
			nmk = append(nmk, c.Name)
		}
	}
	return mk, nmk
}

// insertedKeys is the key order of an entity POST answer, ERMrest's
// "RETURNING mkcols, nmkcols, system columns": first the key columns that
// take input values, then every other column (system columns included,
// defaulted ones too), then the five system columns again. Every insert
// capture follows it: Stain with ?defaults=ID,URI gives Name, RID…RMB, ID,
// URI, Description, Synonyms, RID…RMB; with &nondefaults=RID, RID and Name
// lead; Image leads with Filename; Dataset, keyed on RID alone, starts
// with the system columns. The duplicated keys are what the real server
// sends (reference ermrest.md §0.1).
func insertedKeys(t *catalog.Table, defaulted func(string) bool) []string {
	mk, nmk := keyColumns(t, defaulted)
	out := append(mk, nmk...)
	for _, c := range t.Columns {
		if catalog.IsSystemColumn(c.Name) {
			out = append(out, c.Name)
		}
	}
	return out
}

// writeJSON answers 200 (or status) with a JSON body.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// pyJSON is an object rendered with Python json.dumps separators (", " and
// ": "), as ERMrest renders catalog and session documents.
type pyJSON []pyField

type pyField struct {
	k string
	v any
}

// MarshalJSON implements json.Marshaler.
func (o pyJSON) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	pyEncode(&buf, o)
	return buf.Bytes(), nil
}

// pyEncode writes v as Python's json.dumps does, at any depth: ", " between
// items and ": " after keys.
func pyEncode(buf *bytes.Buffer, v any) {
	switch x := v.(type) {
	case pyJSON:
		writeSeq(buf, '{', '}', len(x), func(i int) {
			encodeValue(buf, x[i].k)
			buf.WriteString(": ")
			pyEncode(buf, x[i].v)
		})
	case []any:
		writeSeq(buf, '[', ']', len(x), func(i int) { pyEncode(buf, x[i]) })
	case []string:
		list := make([]any, len(x))
		for i, e := range x {
			list[i] = e
		}
		pyEncode(buf, list)
	default:
		encodeValue(buf, v)
	}
}

// pyTime renders a time as Python's str() of an aware datetime does: no
// fraction when the microseconds are zero.
func pyTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02 15:04:05-07:00")
	}
	return t.Format("2006-01-02 15:04:05.000000-07:00")
}

// etag builds ERMrest's opaque ETag: "{b64 md5 of the caller's roles};{middle};{version}",
// where middle is the raw Accept header for data resources and "*" otherwise.
func etag(roles []string, middle, version string) string {
	sorted := append([]string(nil), roles...)
	sort.Strings(sorted)
	var list bytes.Buffer
	pyEncode(&list, sorted) // json.dumps(sorted(roles)): testuser+admin give the captured aos5wAa4y68Xs6351LYt4Q==
	sum := md5.Sum(list.Bytes())
	return `"` + base64.StdEncoding.EncodeToString(sum[:]) + ";" + middle + ";" + version + `"`
}

// etagMatches compares an If-Match/If-None-Match header with an ETag,
// tolerating W/ prefixes and -gzip suffixes as ERMrest does.
func etagMatches(header, current string) bool {
	clean := func(s string) string {
		s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "W/"))
		s = strings.Trim(s, `"`)
		return strings.TrimSuffix(s, "-gzip")
	}
	for _, part := range strings.Split(header, ",") {
		if strings.TrimSpace(part) == "*" || clean(part) == clean(current) {
			return true
		}
	}
	return false
}
