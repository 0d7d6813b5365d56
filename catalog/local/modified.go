package local

import (
	"context"
	"database/sql"
	"errors"

	"github.com/cyclezero/cyclezero/catalog"
)

// Each table's last modification (like ERMrest's table_modified) lets a read
// at an older snapshot use the live table when the table has not changed
// since: the common case of reading a released dataset version while other
// tables keep changing. Writes record it at commit, for the tables they wrote
// and every table a foreign-key action could have changed in turn.

// touch records that this transaction changed ti's rows; del says the rows
// were deleted (which cascades through ON DELETE actions, not ON UPDATE).
func (w *wtx) touch(ti *tableInfo, del bool) {
	if w.touched == nil {
		w.touched = map[string]bool{}
	}
	type visit struct {
		rid string
		del bool
	}
	seen := map[visit]bool{}
	var walk func(ti *tableInfo, del bool)
	walk = func(ti *tableInfo, del bool) {
		if seen[visit{ti.rid, del}] {
			return
		}
		seen[visit{ti.rid, del}] = true
		w.touched[ti.rid] = true
		for _, child := range w.m.tables {
			for _, fk := range child.t.ForeignKeys {
				if len(fk.Referenced) == 0 || fk.Referenced[0].Schema != ti.ref.Schema || fk.Referenced[0].Table != ti.ref.Table {
					continue
				}
				action := fk.OnUpdate
				if del {
					action = fk.OnDelete
				}
				switch action {
				case catalog.Cascade:
					walk(child, del) // deleted rows delete, updated rows update
				case "SET NULL", "SET DEFAULT":
					walk(child, false)
				}
			}
		}
	}
	walk(ti, del)
}

// recordModified stores the touched tables' modification snapshot.
func (w *wtx) recordModified(ctx context.Context) error {
	for rid := range w.touched {
		if _, err := w.tx.ExecContext(ctx, `INSERT INTO _tables (rid, modified) VALUES (?, ?)
			ON CONFLICT (rid) DO UPDATE SET modified = excluded.modified`, rid, w.snap); err != nil {
			return w.s.dbErr(w.op, err)
		}
	}
	return nil
}

// source is what a read of ti selects from: the live table when ti has not
// changed since the snapshot read, else its history as of that snapshot
// (whose two arguments then come first in the query).
func (r *rtx) source(ctx context.Context, ti *tableInfo) (string, []any, error) {
	if r.live {
		return ti.phys, nil, nil
	}
	var modified int64
	err := r.tx.QueryRowContext(ctx, `SELECT modified FROM _tables WHERE rid = ?`, ti.rid).Scan(&modified)
	switch {
	case errors.Is(err, sql.ErrNoRows) || err == nil && modified <= r.snap:
		return ti.phys, nil, nil
	case err != nil:
		return "", nil, err
	}
	return historySource(ti), []any{r.snap, r.snap}, nil
}
