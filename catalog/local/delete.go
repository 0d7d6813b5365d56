package local

import (
	"context"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
)

// Delete removes the rows matching where (every row when where is nil) in
// one transaction. Matching nothing is not an error. Rows still referenced
// through a NO ACTION/RESTRICT foreign key make it fail with ErrConflict.
func (s *Store) Delete(ctx context.Context, table catalog.TableRef, where catalog.Filter) error {
	return s.write(ctx, "delete from "+table.String(), func(w *wtx) error {
		ti, err := w.m.table(table)
		if err != nil {
			return withOp(err, w.op)
		}
		b := &sqlBuilder{ti: ti}
		cond, err := b.where(where)
		if err != nil {
			return withOp(err, w.op)
		}
		res, err := w.tx.ExecContext(ctx, fmt.Sprintf("DELETE FROM %s WHERE %s", ti.phys, cond), b.args...)
		if err != nil {
			if isConstraint(err) {
				return w.deleteConflict(ctx, ti, cond, b.args)
			}
			return w.s.dbErr(w.op, err)
		}
		if n, err := res.RowsAffected(); err == nil && n > 0 {
			w.changed = true
			w.touch(ti, true)
		}
		return nil
	})
}
