package local

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// Query reads rows of one table: filtered, projected, sorted and paged.
func (s *Store) Query(ctx context.Context, q catalog.Query) ([]catalog.Row, error) {
	op := "query " + q.Table.String()
	if q.Limit <= 0 {
		return nil, &catalog.Error{Kind: catalog.ErrInvalidInput, Op: op,
			Detail: fmt.Sprintf("limit %d is not positive", q.Limit), Fix: "give every query a positive limit; page with After"}
	}
	if len(q.After) > 0 && len(q.Sort) == 0 {
		return nil, &catalog.Error{Kind: catalog.ErrBadRequest, Op: op, Detail: "a page key (After) needs a sort order (Sort)",
			Fix: "sort by the columns After gives values for"}
	}
	if len(q.After) > 0 && len(q.After) != len(q.Sort) {
		return nil, &catalog.Error{Kind: catalog.ErrBadRequest, Op: op,
			Detail: fmt.Sprintf(`The "after" page key of length %d does not match the "sort" key of length %d.`, len(q.After), len(q.Sort)),
			Fix:    "give one After value per sort key"}
	}
	var out []catalog.Row
	err := s.read(ctx, op, q.At, func(r *rtx) error {
		ti, err := r.m.table(q.Table)
		if err != nil {
			return err
		}
		cols, err := projection(ti, q.Select)
		if err != nil {
			return err
		}
		if q.Select != nil {
			for _, k := range q.Sort {
				if !containsCol(cols, k.Column) {
					return &catalog.Error{Kind: catalog.ErrBadRequest,
						Detail: fmt.Sprintf("sort key %s is not among the projected columns", k.Column),
						Fix:    "add the sort column to Select"}
				}
			}
		}
		src, srcArgs, err := r.source(ctx, ti)
		if err != nil {
			return err
		}
		b := &sqlBuilder{ti: ti, args: srcArgs}
		where, err := b.where(q.Where)
		if err != nil {
			return err
		}
		if len(q.After) > 0 {
			after, err := b.after(q.Sort, q.After)
			if err != nil {
				return err
			}
			where = "(" + where + ") AND (" + after + ")"
		}
		var sb strings.Builder
		sb.WriteString("SELECT ")
		for i, c := range cols {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(c.phys)
		}
		fmt.Fprintf(&sb, " FROM %s WHERE %s", src, where)
		if len(q.Sort) > 0 {
			order, err := b.orderBy(q.Sort)
			if err != nil {
				return err
			}
			sb.WriteString(" ORDER BY " + order)
		}
		sb.WriteString(" LIMIT ?")
		b.args = append(b.args, q.Limit)
		out, err = scanRows(ctx, r, sb.String(), b.args, cols)
		return err
	})
	if err != nil {
		return nil, s.dbErr(op, err)
	}
	return out, nil
}

// projection returns the output columns: all of them, or those selected.
func projection(ti *tableInfo, sel []string) ([]*colInfo, error) {
	if sel == nil {
		cols := make([]*colInfo, len(ti.cols))
		for i := range ti.cols {
			cols[i] = &ti.cols[i]
		}
		return cols, nil
	}
	cols := make([]*colInfo, 0, len(sel))
	for _, name := range sel {
		c, err := ti.column(name)
		if err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, nil
}

func containsCol(cols []*colInfo, name string) bool {
	for _, c := range cols {
		if c.name == name {
			return true
		}
	}
	return false
}

func scanRows(ctx context.Context, r *rtx, query string, args []any, cols []*colInfo) ([]catalog.Row, error) {
	rows, err := r.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []catalog.Row{}
	err = decodeRows(rows, cols, 0, func(row catalog.Row, _ []any) { out = append(out, row) })
	return out, err
}

// decodeRows scans each result row, decodes its first len(cols) values into
// a Row and calls fn with it and the extra raw values that follow.
func decodeRows(rows *sql.Rows, cols []*colInfo, extra int, fn func(row catalog.Row, rest []any)) error {
	raw := make([]any, len(cols)+extra)
	ptrs := make([]any, len(raw))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		row := make(catalog.Row, len(cols))
		for i, c := range cols {
			v, err := c.fromStorage(raw[i])
			if err != nil {
				return err
			}
			row[c.name] = v
		}
		fn(row, raw[len(cols):])
	}
	return rows.Err()
}

// Count counts matching rows, grouped by g.GroupBy (sorted by the group
// values, NULLs last), or as one group when GroupBy is empty.
func (s *Store) Count(ctx context.Context, g catalog.GroupQuery) ([]catalog.GroupCount, error) {
	op := "count " + g.Table.String()
	var out []catalog.GroupCount
	err := s.read(ctx, op, g.At, func(r *rtx) error {
		ti, err := r.m.table(g.Table)
		if err != nil {
			return err
		}
		cols, err := projection(ti, append([]string{}, g.GroupBy...)) // never nil: nil would mean all
		if err != nil {
			return err
		}
		src, srcArgs, err := r.source(ctx, ti)
		if err != nil {
			return err
		}
		b := &sqlBuilder{ti: ti, args: srcArgs}
		where, err := b.where(g.Where)
		if err != nil {
			return err
		}
		if len(cols) == 0 {
			var n int64
			q := fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", src, where)
			if err := r.tx.QueryRowContext(ctx, q, b.args...).Scan(&n); err != nil {
				return err
			}
			out = []catalog.GroupCount{{Values: catalog.Row{}, Count: n}}
			return nil
		}
		names := make([]string, len(cols))
		keys := make([]catalog.SortKey, len(cols))
		for i, c := range cols {
			names[i], keys[i] = c.phys, catalog.SortKey{Column: c.name}
		}
		order, err := b.orderBy(keys)
		if err != nil {
			return err
		}
		list := strings.Join(names, ", ")
		q := fmt.Sprintf("SELECT %s, count(*) FROM %s WHERE %s GROUP BY %s ORDER BY %s", list, src, where, list, order)
		out, err = scanCounts(ctx, r, q, b.args, cols)
		return err
	})
	if err != nil {
		return nil, s.dbErr(op, err)
	}
	return out, nil
}

func scanCounts(ctx context.Context, r *rtx, query string, args []any, cols []*colInfo) ([]catalog.GroupCount, error) {
	rows, err := r.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []catalog.GroupCount{}
	err = decodeRows(rows, cols, 1, func(row catalog.Row, rest []any) {
		n, _ := rest[0].(int64)
		out = append(out, catalog.GroupCount{Values: row, Count: n})
	})
	return out, err
}
