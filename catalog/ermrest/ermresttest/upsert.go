package ermresttest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/cyclezero/cyclezero/catalog"
)

// upsert answers PUT C/entity/S:T as ERMrest's entity upsert does
// (reference ermrest.md §4.1, §0.2, §0.3): input rows are correlated on the
// "metakey", every column of the table's keys except the system columns;
// a row matching a stored one on all of them overwrites every other
// non-system column (a key missing from the input is NULL, [] for arrays),
// the others are inserted, and those colliding on some other key are
// silently skipped (ON CONFLICT DO NOTHING). The answer lists the updated
// rows without system columns, then the inserted ones with them, spliced as
// ERMrest splices its two JSON arrays (capture
// entity_PUT_upsert_response.json). ?defaults= columns take their default
// on insert and are reset to NULL on update (the captured column had no
// default).
//
// catalog.Store has no upsert, so this is an insert then an update: when
// the update fails the inserted rows are deleted again, leaving the rows as
// they were (the history keeps the detour). A metakey column missing from
// the input is NULL, and NULL matches NULL, as in ERMrest's keymatch.
func (s *Server) upsert(d *dataCall) {
	if len(d.rt.filters) > 0 {
		d.fail(malformed("Entity filters not allowed during entity PUT."))
		return
	}
	var defaults []string
	for _, col := range d.rt.opts["defaults"] {
		if d.t.Column(col) == nil {
			d.fail(conflict("Requested column %s does not exist in table %s.", col, d.t.Name))
			return
		}
		if !catalog.IsSystemColumn(col) {
			defaults = append(defaults, col)
		}
	}
	mk, nmk := keyColumns(d.t, catalog.IsSystemColumn)
	nmk = slices.DeleteFunc(nmk, catalog.IsSystemColumn)
	if len(mk) == 0 {
		d.fail(conflict("Entity PUT requires at least one client-managed key for input correlation."))
		return
	}
	rows, err := s.upsertInput(d, mk, nmk, defaults)
	if err != nil {
		d.fail(err)
		return
	}
	if s.preconditions(d.call, s.tag(d.call, true)) {
		return
	}
	var inserts, updates []catalog.Row
	for _, row := range rows {
		var where catalog.And
		for _, c := range mk {
			if row[c] == nil {
				where = append(where, catalog.IsNull{Column: c})
				continue
			}
			where = append(where, catalog.Eq{Column: c, Value: row[c]})
		}
		found, err := s.engine.Query(ctx(d.r), catalog.Query{Table: d.t.Ref(), Where: where,
			Select: []string{catalog.ColRID}, Limit: 1})
		if err != nil {
			d.fail(err)
			return
		}
		if len(found) > 0 {
			row[catalog.ColRID] = found[0].RID()
			updates = append(updates, row)
		} else {
			inserts = append(inserts, row)
		}
	}
	inserted, updated, err := s.applyUpsert(d, mk, nmk, defaults, inserts, updates)
	if err != nil {
		d.fail(err)
		return
	}
	sys := slices.DeleteFunc(columnOrder(d.t), func(c string) bool { return !catalog.IsSystemColumn(c) })
	cols := append(slices.Clone(mk), nmk...)
	first := rowsJSON(updated, tableCols(d.t, cols...))
	second := rowsJSON(inserted, tableCols(d.t, append(cols, sys...)...))
	body := first
	switch {
	case len(updated) == 0:
		body = second
	case len(inserted) > 0:
		body = append(bytes.TrimSuffix(first, []byte("]\n")), ",\n"...)
		body = append(body, second[1:]...)
	}
	d.w.Header().Set("ETag", s.tag(d.call, true))
	writeJSON(d.w, http.StatusOK, body)
}

// upsertInput reads the input rows: every metakey column set (NULL when
// missing), no two rows with the same metakey.
func (s *Server) upsertInput(d *dataCall, mk, nmk, defaults []string) ([]catalog.Row, error) {
	objs, err := decodeInput(d.call)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	rows := make([]catalog.Row, len(objs))
	for i, obj := range objs {
		row, err := inputRow(d.t, obj, func(k string) bool { return !catalog.IsSystemColumn(k) })
		if err != nil {
			return nil, err
		}
		key := make([]any, len(mk))
		for j, c := range mk {
			key[j] = row[c]
		}
		k, _ := json.Marshal(key)
		if seen[string(k)] {
			return nil, malformed("Multiple input rows share the same unique key information.")
		}
		seen[string(k)] = true
		for _, c := range nmk {
			if _, ok := row[c]; !ok || slices.Contains(defaults, c) {
				row[c] = nil
				if !slices.Contains(defaults, c) && d.t.Column(c).Type.IsArray {
					row[c] = []any{} // ERMrest stores a missing array as [] (§0.2)
				}
			}
		}
		rows[i] = row
	}
	return rows, nil
}

// applyUpsert inserts, then updates, deleting the inserted rows again when
// the update fails.
func (s *Server) applyUpsert(d *dataCall, mk, nmk, defaults []string, inserts, updates []catalog.Row) (inserted, updated []catalog.Row, err error) {
	if len(inserts) > 0 {
		for _, r := range inserts {
			for _, c := range defaults {
				delete(r, c)
			}
		}
		inserted, err = s.engine.Insert(ctx(d.r), d.t.Ref(), inserts,
			catalog.InsertOptions{Defaults: defaults, OnConflictSkip: true})
		if err != nil {
			return nil, nil, err
		}
	}
	if len(updates) == 0 {
		return inserted, []catalog.Row{}, nil
	}
	if len(nmk) == 0 {
		return inserted, updates, nil // nothing to overwrite: the rows stay as they are
	}
	// Each update row carries the RID of the row it matched, so NULL
	// metakey values need no NULL = NULL from the engine.
	stored, err := s.engine.Update(ctx(d.r), d.t.Ref(), catalog.UpdateSpec{Match: []string{catalog.ColRID}, Set: nmk}, updates)
	if err != nil {
		if len(inserted) > 0 {
			rids := make([]any, len(inserted))
			for i, r := range inserted {
				rids[i] = r.RID()
			}
			_ = s.engine.Delete(ctx(d.r), d.t.Ref(), catalog.AnyOf{Column: catalog.ColRID, Values: rids})
		}
		return nil, nil, err
	}
	byRID := map[string]catalog.Row{}
	for _, r := range stored {
		byRID[r.RID()] = r
	}
	for _, in := range updates {
		row := catalog.Row{}
		for _, c := range mk {
			row[c] = in[c] // ERMrest returns the input's metakey and the stored rest
		}
		for _, c := range nmk {
			row[c] = byRID[in.RID()][c]
		}
		updated = append(updated, row)
	}
	return inserted, updated, nil
}
