package local

import (
	"context"
	"fmt"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// Insert adds rows in one transaction and returns them as stored, system
// columns included. A column missing from a row is NULL ([] for arrays);
// columns in opts.Defaults take their declared default.
func (s *Store) Insert(ctx context.Context, table catalog.TableRef, rows []catalog.Row, opts catalog.InsertOptions) ([]catalog.Row, error) {
	var out []catalog.Row
	err := s.write(ctx, "insert into "+table.String(), func(w *wtx) error {
		ti, err := w.m.table(table)
		if err != nil {
			return withOp(err, w.op)
		}
		out, err = w.insertRows(ctx, ti, rows, opts.Defaults, opts.OnConflictSkip, s.clientValue())
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// insertRows writes rows into ti; client is the RCB/RMB value.
func (w *wtx) insertRows(ctx context.Context, ti *tableInfo, rows []catalog.Row, defaults []string, skip bool, client any) ([]catalog.Row, error) {
	defaulted := make([]bool, len(ti.cols))
	for _, name := range defaults {
		c, err := ti.column(name)
		if err != nil {
			return nil, withOp(err, w.op)
		}
		defaulted[ti.colIdx[c.name]] = true
	}
	userCols := 0
	for i, c := range ti.cols {
		if !catalog.IsSystemColumn(c.name) && !defaulted[i] {
			userCols++
		}
	}
	if userCols == 0 {
		return nil, &catalog.Error{Kind: catalog.ErrConflict, Op: w.op,
			Detail: fmt.Sprintf("Entity insertion to table %s requires at least one non-defaulting column.", ti.ref.Table),
			Fix:    "leave at least one column out of the defaults"}
	}
	for _, r := range rows {
		for name := range r {
			if _, err := ti.column(name); err != nil {
				return nil, withOp(err, w.op)
			}
		}
	}
	if len(rows) == 0 {
		return []catalog.Row{}, nil
	}
	first, err := w.allocRIDs(ctx, len(rows))
	if err != nil {
		return nil, err
	}
	stmt, err := w.tx.PrepareContext(ctx, insertSQL(ti, skip))
	if err != nil {
		return nil, w.s.dbErr(w.op, err)
	}
	defer stmt.Close()
	out := make([]catalog.Row, 0, len(rows))
	vals := make([]any, len(ti.cols))
	for i, r := range rows {
		rid := catalog.EncodeRID(first + int64(i))
		if err := w.rowValues(ti, r, rid, defaulted, client, vals); err != nil {
			return nil, err
		}
		res, err := stmt.ExecContext(ctx, vals...)
		if err != nil {
			if isConstraint(err) {
				return nil, w.conflict(ti, err, namedValues(ti, vals))
			}
			return nil, w.s.dbErr(w.op, err)
		}
		if skip {
			if n, err := res.RowsAffected(); err == nil && n == 0 {
				continue // collided with an existing key: dropped
			}
		}
		row := make(catalog.Row, len(ti.cols))
		for j := range ti.cols {
			if row[ti.cols[j].name], err = ti.cols[j].fromStorage(vals[j]); err != nil {
				return nil, w.s.dbErr(w.op, err)
			}
		}
		out = append(out, row)
		w.changed = true
	}
	return out, nil
}

// rowValues fills vals with the stored values of one input row.
func (w *wtx) rowValues(ti *tableInfo, r catalog.Row, rid string, defaulted []bool, client any, vals []any) error {
	for j := range ti.cols {
		c := &ti.cols[j]
		var v any
		var err error
		switch c.name {
		case catalog.ColRID:
			v = rid
		case catalog.ColRCT, catalog.ColRMT:
			v = w.ts
		case catalog.ColRCB, catalog.ColRMB:
			v = client
		default:
			in, present := r[c.name]
			switch {
			case defaulted[j]:
				v, err = c.toStorage(c.defaultValue())
			case present:
				v, err = c.toStorage(in)
			default:
				v = c.emptyValue()
			}
			if err != nil {
				return withOp(err, w.op)
			}
			if c.ridTemplate {
				if s, ok := v.(string); ok && strings.Contains(s, "{RID}") {
					v = strings.Replace(s, "{RID}", rid, 1) // maintain_row replaces the first
				}
			}
		}
		vals[j] = v
	}
	return nil
}

func insertSQL(ti *tableInfo, skip bool) string {
	cols := make([]string, len(ti.cols))
	marks := make([]string, len(ti.cols))
	for i, c := range ti.cols {
		cols[i], marks[i] = c.phys, "?"
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", ti.phys, strings.Join(cols, ", "), strings.Join(marks, ", "))
	if skip {
		q += " ON CONFLICT DO NOTHING"
	}
	return q
}

// namedValues maps column names to stored values, for error details.
func namedValues(ti *tableInfo, vals []any) map[string]any {
	out := make(map[string]any, len(vals))
	for i, c := range ti.cols {
		out[c.name] = vals[i]
	}
	return out
}
