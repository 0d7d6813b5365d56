package ermresttest

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"slices"

	"github.com/cyclezero/cyclezero/catalog"
)

// decodeInput reads a JSON array of row objects as ERMrest's insert does.
func decodeInput(c *call) ([]map[string]any, error) {
	mt, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	switch mt {
	case "application/json":
	case "text/csv", "application/x-json-stream":
		return nil, unsupported{mt + " input"}
	default:
		return nil, httpError{415, mt + " input not supported"}
	}
	dec := json.NewDecoder(bytes.NewReader(c.body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, malformed("Bad JSON array input. ERROR:  invalid input syntax for type json")
	}
	list, ok := v.([]any)
	if !ok {
		return nil, malformed("Bad JSON array input. ERROR:  cannot call json_array_elements on a non-array")
	}
	out := make([]map[string]any, len(list))
	for i, e := range list {
		obj, ok := e.(map[string]any)
		if !ok {
			return nil, malformed("Bad JSON array input. ERROR:  row %d is not an object", i+1)
		}
		out[i] = obj
	}
	return out, nil
}

// inputRow converts a decoded input object to typed values of t's columns.
func inputRow(t *catalog.Table, obj map[string]any, keep func(string) bool) (catalog.Row, error) {
	row := catalog.Row{}
	for k, v := range obj {
		col := t.Column(k)
		if col == nil {
			return nil, conflict("Requested column %s does not exist in table %s.", k, t.Name)
		}
		if !keep(k) {
			continue
		}
		nv, err := catalog.NormalizeValue(col.Type, v)
		if err != nil {
			return nil, malformed("Bad JSON array input. ERROR:  column %s: %v", k, err)
		}
		if s, ok := nv.(string); ok && !col.Type.IsArray {
			if nv, err = typed(col, s); err != nil {
				return nil, err
			}
		}
		row[k] = nv
	}
	return row, nil
}

// insert answers POST C/entity/S:T: 200 with the inserted rows, system
// columns repeated in each (reference ermrest.md §0.1).
func (s *Server) insert(d *dataCall) {
	if len(d.rt.filters) > 0 {
		d.fail(malformed("Entity POST requires a path naming only a table."))
		return
	}
	opts := catalog.InsertOptions{}
	for _, col := range d.rt.opts["nondefaults"] {
		if col == catalog.ColRMT || col == catalog.ColRMB {
			d.fail(httpError{403, "insert access on :" + d.t.SchemaName + ":" + d.t.Name + ":" + col})
			return
		}
		d.fail(unsupported{"nondefaults"})
		return
	}
	for _, col := range d.rt.opts["defaults"] {
		if d.t.Column(col) == nil {
			d.fail(conflict("Requested column %s does not exist in table %s.", col, d.t.Name))
			return
		}
		if !catalog.IsSystemColumn(col) {
			opts.Defaults = append(opts.Defaults, col)
		}
	}
	switch v := d.rt.opts["onconflict"]; {
	case v == nil:
	case len(v) == 1 && v[0] == "skip":
		opts.OnConflictSkip = true
	case len(v) == 1 && v[0] == "abort":
	default:
		d.fail(malformed("The onconflict parameter must be skip or abort."))
		return
	}
	objs, err := decodeInput(d.call)
	if err != nil {
		d.fail(err)
		return
	}
	rows := make([]catalog.Row, len(objs))
	for i, obj := range objs {
		rows[i], err = inputRow(d.t, obj, func(k string) bool { return !catalog.IsSystemColumn(k) })
		if err != nil {
			d.fail(err)
			return
		}
	}
	if s.preconditions(d.call, s.tag(d.call, true)) {
		return
	}
	out, err := s.engine.Insert(ctx(d.r), d.t.Ref(), rows, opts)
	if err != nil {
		d.fail(err)
		return
	}
	keys := insertedKeys(d.t, func(col string) bool {
		return catalog.IsSystemColumn(col) || slices.Contains(opts.Defaults, col)
	})
	d.w.Header().Set("ETag", s.tag(d.call, true))
	writeJSON(d.w, http.StatusOK, rowsJSON(out, tableCols(d.t, keys...)))
}

// delete answers DELETE C/entity/path: 204, or 404 when nothing matches
// (reference ermrest.md §0.4).
func (s *Server) delete(d *dataCall) {
	if s.preconditions(d.call, s.tag(d.call, true)) {
		return
	}
	n, err := s.engine.Count(ctx(d.r), catalog.GroupQuery{Table: d.t.Ref(), Where: d.where})
	if err != nil {
		d.fail(err)
		return
	}
	if len(n) == 0 || n[0].Count == 0 {
		writeError(d.w, http.StatusNotFound, "entities matching request path")
		return
	}
	if err := s.engine.Delete(ctx(d.r), d.t.Ref(), d.where); err != nil {
		d.fail(err)
		return
	}
	d.w.Header().Set("ETag", s.tag(d.call, true))
	d.w.WriteHeader(http.StatusNoContent)
}

// update answers PUT C/attributegroup/S:T/keys;targets: the input rows are
// correlated on the keys and the targets overwritten; rows that match
// nothing are skipped and left out of the 200 answer.
func (s *Server) update(d *dataCall) {
	if len(d.rt.filters) > 0 {
		d.fail(unsupported{"filters in an attributegroup PUT"})
		return
	}
	var match, set []string
	for i, list := range [][]attr{d.rt.keys, d.rt.attrs} {
		for _, a := range list {
			if a.fn != "" || a.alias != "" || len(a.name) != 1 {
				d.fail(unsupported{"aliases, aggregates and qualified names in an attributegroup PUT"})
				return
			}
			col, err := d.sc.column(a.name)
			if err != nil {
				d.fail(err)
				return
			}
			if slices.Contains(match, col.Name) || slices.Contains(set, col.Name) {
				d.fail(malformed("Column %s is bound more than once.", col.Name))
				return
			}
			if i == 0 {
				match = append(match, col.Name)
			} else {
				set = append(set, col.Name)
			}
		}
	}
	if len(set) == 0 {
		d.fail(malformed("An attributegroup PUT needs target columns after ';'."))
		return
	}
	// ERMrest checks If-Match before it reads the input (_PUT in
	// ermrest/url/ast/data/__init__.py), against the ETag a GET of this
	// resource with the same Accept would carry.
	if s.preconditions(d.call, s.tag(d.call, true)) {
		return
	}
	objs, err := decodeInput(d.call)
	if err != nil {
		d.fail(err)
		return
	}
	cols := append(slices.Clone(match), set...)
	var hits []catalog.Row
	for _, obj := range objs {
		row, err := inputRow(d.t, obj, func(k string) bool { return slices.Contains(cols, k) })
		if err != nil {
			d.fail(err)
			return
		}
		for _, c := range cols {
			if _, ok := row[c]; !ok {
				d.fail(malformed("Input row lacks column %s.", c))
				return
			}
		}
		var where catalog.And
		for _, c := range match {
			where = append(where, catalog.Eq{Column: c, Value: row[c]})
		}
		n, err := s.engine.Count(ctx(d.r), catalog.GroupQuery{Table: d.t.Ref(), Where: where})
		if err != nil {
			d.fail(err)
			return
		}
		if len(n) > 0 && n[0].Count > 0 {
			hits = append(hits, row)
		}
	}
	if len(hits) > 0 {
		_, err = s.engine.Update(ctx(d.r), d.t.Ref(), catalog.UpdateSpec{Match: match, Set: set}, hits)
	} else {
		err = s.bump(ctx(d.r)) // ERMrest records a snapshot even so
	}
	if err != nil {
		d.fail(err)
		return
	}
	d.w.Header().Set("ETag", s.tag(d.call, true))
	writeJSON(d.w, http.StatusOK, rowsJSON(hits, tableCols(d.t, cols...)))
}
