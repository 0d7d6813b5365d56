package ermrest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// An update guarded by RMT (optimistic concurrency) must change all its rows
// or none, as catalog.Store promises. ERMrest's attributegroup PUT does not
// do that by itself: it skips input rows whose RMT no longer matches and
// updates the others (capture attrgroup-put-rid-rmt-stale answers 200 []).
// So the client first reads the rows' match columns and checks every RMT
// (a stale or missing row fails the update before anything is written),
// then sends the PUT with If-Match set to the ETag those reads carried.
//
// ERMrest compares If-Match with the ETag a GET of the PUT's resource would
// carry: "{client};{raw Accept header};{data version}" (set_http_etag in
// ermrest/url/ast/api.py, called by _GET and _PUT with the entity path's
// data version). The version does not depend on the URL's API, projection
// or filter: capture attrgroup-put-ifmatch-current sent the ETag of
// "GET entity/cell-imaging:Image/Filename=a.png" as If-Match of
// "PUT attributegroup/cell-imaging:Image/RID;Width,Score" and got 200; the
// same If-Match after that write got 412 (attrgroup-put-ifmatch-stale).
// Every request sends the same Accept, so the ETag of the filtered GET below
// is what the PUT is compared with, and a change between the GET and the
// PUT gives 412 with nothing written.
//
// The check may need several GETs (a long any(...) list is split by URL
// length, a large answer paged); they must all carry the same ETag, or the
// catalog changed in between and the check starts over. The PUT is always
// one request (the rows travel in its body), so the If-Match covers every
// row: no window remains between check and write.

// guardAttempts bounds how often a guarded update starts over because the
// catalog changed between its check and its PUT. The data version in the
// ETag is the catalog's latest change (see ermresttest/versions.go), so a
// write to any table in between refuses the PUT; starting over re-reads the
// rows, and only a real change to them ends the update with ErrPrecondition.
const guardAttempts = 3

// guardPage is how many rows one GET of a guard's check asks for.
const guardPage = 10000

// guardedUpdate sends put, the PUT of an update whose match columns include
// RMT, all or nothing (see above).
func (c *Client) guardedUpdate(ctx context.Context, table catalog.TableRef, u catalog.UpdateSpec, rows []catalog.Row, put request) ([]catalog.Row, error) {
	for attempt := 1; attempt <= guardAttempts; attempt++ {
		tag, moved, err := c.checkGuard(ctx, table, u, rows, put.op())
		if err != nil {
			return nil, err
		}
		if moved {
			continue
		}
		put.ifMatch = tag
		out, err := c.tableRows(ctx, put, table, "")
		var ce *catalog.Error
		if errors.As(err, &ce) && ce.Status == http.StatusPreconditionFailed && tag != "" {
			continue // nothing was written; check again
		}
		if err != nil {
			return nil, err
		}
		if len(out) < len(rows) {
			// Only possible without an ETag to guard the PUT with: a row
			// changed between the check and the PUT, and the others were
			// updated.
			return out, &catalog.Error{Kind: catalog.ErrPrecondition, Op: put.op(),
				Detail: fmt.Sprintf("%d of %d rows were not updated: they changed after they were checked (the server "+
					"sent no ETag to guard the update with), and the other rows were updated", len(rows)-len(out), len(rows)),
				Fix: "someone else changed it since it was read: reload it and retry"}
		}
		return out, nil
	}
	return nil, &catalog.Error{Kind: catalog.ErrPrecondition, Status: http.StatusPreconditionFailed, Op: put.op(),
		Detail: fmt.Sprintf("the catalog changed between checking the rows and updating them, %d times in a row; "+
			"nothing was updated", guardAttempts),
		Fix: "the catalog is busy with other changes: retry the update in a moment"}
}

// checkGuard reads the current match columns of the rows u would update
// and checks that each row still matches, its RMT included. It returns the
// ETag the reads carried, for the PUT's If-Match ("" when the server sent
// none), or moved when the reads' ETags differ.
func (c *Client) checkGuard(ctx context.Context, table catalog.TableRef, u catalog.UpdateSpec, rows []catalog.Row, op string) (tag string, moved bool, err error) {
	t, err := c.tableFor(ctx, table, "")
	if err != nil {
		return "", false, err
	}
	keys := slices.DeleteFunc(slices.Clone(u.Match), func(col string) bool { return col == catalog.ColRMT })
	by := catalog.ColRMT // the column whose values select the rows to read
	if len(keys) > 0 {
		by = keys[0]
	}
	want := make([]catalog.Row, len(rows))
	var vals []any
	seen := map[string]int{}
	for i, r := range rows {
		w := matchValues(t, r, u.Match)
		want[i] = w
		if v := w[by]; v != nil {
			vals = append(vals, v)
		}
		k := valuesKey(w, u.Match)
		if j, dup := seen[k]; dup {
			return "", false, invalid(op, "name each row to update once",
				"rows %d and %d both match %s", j+1, i+1, describeRow(w, u.Match))
		}
		seen[k] = i
	}
	found := map[string][]catalog.Row{}
	if len(vals) > 0 {
		sel := slices.Clone(u.Match)
		if !slices.Contains(sel, catalog.ColRID) {
			sel = append(sel, catalog.ColRID)
		}
		q := catalog.Query{Table: table, Select: sel, Sort: []catalog.SortKey{{Column: catalog.ColRID}}, Limit: guardPage,
			Where: catalog.AnyOf{Column: by, Values: vals}}
		chunks, err := c.ridChunks(q)
		if err != nil {
			return "", false, invalid(op, "fix the update", "%v", err)
		}
		first := true
		for _, chunk := range chunks {
			err := c.pageChunk(ctx, q, chunk, func(p ridPage) error {
				if first {
					tag, first = p.etag, false
				} else if p.etag != tag {
					return errMoved // the rest of the check would be stale too
				}
				for _, r := range p.rows {
					cur := matchValues(t, r, u.Match)
					k := valuesKey(cur, keys)
					found[k] = append(found[k], cur)
				}
				return nil
			})
			if errors.Is(err, errMoved) {
				return "", true, nil
			}
			if err != nil {
				return "", false, err
			}
		}
	}
	var problems []string
	for _, w := range want {
		if problem := guardProblem(w, found[valuesKey(w, keys)], keys); problem != "" {
			problems = append(problems, problem)
		}
	}
	if len(problems) > 0 {
		return "", false, &catalog.Error{Kind: catalog.ErrPrecondition, Op: op,
			Detail: fmt.Sprintf("nothing was updated: %d of %d rows changed since they were read (RMT no longer "+
				"matches) or are gone: %s", len(problems), len(rows), preview(problems)),
			Fix: "someone else changed it since it was read: reload it and retry"}
	}
	return tag, false, nil
}

// errMoved stops a guard's check once its reads' ETags differ.
var errMoved = errors.New("the catalog changed during the check")

// matchValues is r's values of the match columns cols, each canonical.
func matchValues(t *catalog.Table, r catalog.Row, cols []string) catalog.Row {
	m := make(catalog.Row, len(cols))
	for _, col := range cols {
		m[col] = canonical(t, col, r[col])
	}
	return m
}

// guardProblem says why the row with match values w would not be updated,
// given the rows that share its other match columns, or "" when it would.
// As in SQL, a NULL matches nothing.
func guardProblem(w catalog.Row, current []catalog.Row, keys []string) string {
	for _, v := range w {
		if v == nil {
			return describeRow(w, keys) + " has a NULL match value"
		}
	}
	if len(current) == 0 {
		return describeRow(w, keys) + " is gone"
	}
	for _, cur := range current {
		if valuesKey(cur, []string{catalog.ColRMT}) == valuesKey(w, []string{catalog.ColRMT}) {
			return ""
		}
	}
	return fmt.Sprintf("%s changed (its RMT is now %v, not %v)", describeRow(w, keys), current[0][catalog.ColRMT], w[catalog.ColRMT])
}

// canonical is a match value in one spelling per value, so the values
// given and those read back compare equal when the catalog would: the
// column's normalized form, timestamps as one instant in UTC.
func canonical(t *catalog.Table, col string, v any) any {
	var c *catalog.Column
	if t != nil {
		c = t.Column(col)
	}
	if c == nil || v == nil {
		return v
	}
	nv, err := catalog.NormalizeValue(c.Type, v)
	if err != nil {
		return v // the server will say what is wrong with it
	}
	if s, ok := nv.(string); ok && !c.Type.IsArray {
		if n := c.Type.BaseName(); n == "timestamptz" || n == "timestamp" {
			if tm, err := catalog.ParseTimestamp(s); err == nil {
				return catalog.FormatTimestamp(tm)
			}
		}
	}
	return nv
}

// describeRow names a row by its match values other than RMT ("RID=1ZA"),
// or by RMT when it is the only one.
func describeRow(r catalog.Row, keys []string) string {
	if len(keys) == 0 {
		keys = []string{catalog.ColRMT}
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%v", k, r[k])
	}
	return strings.Join(parts, ",")
}
