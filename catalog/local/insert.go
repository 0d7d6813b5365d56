package local

import (
	"context"
	"database/sql"
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
	width := len(ti.cols)
	vals := make([]any, 0, len(rows)*width)
	for i, r := range rows {
		rv := make([]any, width)
		if err := w.rowValues(ti, r, catalog.EncodeRID(first+int64(i)), defaulted, client, rv); err != nil {
			return nil, err
		}
		vals = append(vals, rv...)
	}
	inserted, err := w.insertChunks(ctx, ti, vals, len(rows), skip)
	if err != nil {
		return nil, err
	}
	out := make([]catalog.Row, 0, len(rows))
	for i := range rows {
		if inserted != nil && !inserted[i] {
			continue // collided with an existing key: dropped
		}
		row := make(catalog.Row, width)
		for j := range ti.cols {
			if row[ti.cols[j].name], err = ti.cols[j].fromStorage(vals[i*width+j]); err != nil {
				return nil, w.s.dbErr(w.op, err)
			}
		}
		out = append(out, row)
	}
	if len(out) > 0 {
		w.changed = true
		w.touch(ti, false)
	}
	return out, nil
}

// insertChunks writes n rows of stored values, many rows per statement (one
// statement journal and one trigger program setup per chunk rather than per
// row). With skip it returns which rows were inserted; else nil.
func (w *wtx) insertChunks(ctx context.Context, ti *tableInfo, vals []any, n int, skip bool) ([]bool, error) {
	width := len(ti.cols)
	per := max(1, min(maxChunkRows, maxParams/width))
	var inserted []bool
	var ridPos map[string]int
	if skip {
		inserted = make([]bool, n)
		ridPos = make(map[string]int, n)
		for i := range n {
			ridPos[vals[i*width+ti.colIdx[catalog.ColRID]].(string)] = i
		}
	}
	var stmt *sql.Stmt
	stmtRows := 0
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	for lo := 0; lo < n; lo += per {
		k := min(per, n-lo)
		if k != stmtRows {
			if stmt != nil {
				stmt.Close()
			}
			var err error
			if stmt, err = w.tx.PrepareContext(ctx, insertSQL(ti, k, skip)); err != nil {
				return nil, w.s.dbErr(w.op, err)
			}
			stmtRows = k
		}
		args := vals[lo*width : (lo+k)*width]
		var err error
		if skip {
			err = collectRIDs(ctx, stmt, args, ridPos, inserted)
		} else {
			_, err = stmt.ExecContext(ctx, args...)
		}
		if err != nil {
			if isConstraint(err) {
				return nil, w.explainChunk(ctx, ti, args, err)
			}
			return nil, w.s.dbErr(w.op, err)
		}
	}
	return inserted, nil
}

const (
	maxChunkRows = 64
	maxParams    = 32766 // SQLITE_MAX_VARIABLE_NUMBER
)

func collectRIDs(ctx context.Context, stmt *sql.Stmt, args []any, ridPos map[string]int, inserted []bool) error {
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rid string
		if err := rows.Scan(&rid); err != nil {
			return err
		}
		inserted[ridPos[rid]] = true
	}
	return rows.Err()
}

// explainChunk replays a refused chunk row by row (the failed statement left
// nothing behind) to name the row and constraint it broke.
func (w *wtx) explainChunk(ctx context.Context, ti *tableInfo, args []any, chunkErr error) error {
	width := len(ti.cols)
	stmt, err := w.tx.PrepareContext(ctx, insertSQL(ti, 1, false))
	if err != nil {
		return w.conflict(ctx, ti, chunkErr, nil)
	}
	defer stmt.Close()
	for lo := 0; lo < len(args); lo += width {
		row := args[lo : lo+width]
		if _, err := stmt.ExecContext(ctx, row...); err != nil && isConstraint(err) {
			return w.conflict(ctx, ti, err, namedValues(ti, row))
		}
	}
	return w.conflict(ctx, ti, chunkErr, nil)
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

// insertSQL inserts rows rows of all of ti's columns.
func insertSQL(ti *tableInfo, rows int, skip bool) string {
	cols := make([]string, len(ti.cols))
	marks := make([]string, len(ti.cols))
	for i, c := range ti.cols {
		cols[i], marks[i] = c.phys, "?"
	}
	tuple := "(" + strings.Join(marks, ", ") + ")"
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES %s", ti.phys, strings.Join(cols, ", "), tuple)
	for range rows - 1 {
		b.WriteString(", ")
		b.WriteString(tuple)
	}
	if skip {
		b.WriteString(" ON CONFLICT DO NOTHING RETURNING " + ti.col(catalog.ColRID).phys)
	}
	return b.String()
}

// namedValues maps column names to stored values, for error details.
func namedValues(ti *tableInfo, vals []any) map[string]any {
	out := make(map[string]any, len(vals))
	for i, c := range ti.cols {
		out[c.name] = vals[i]
	}
	return out
}
