package local

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
	sqlite3 "modernc.org/sqlite/lib"
)

// Update correlates each row on u.Match and overwrites u.Set, refreshing
// RMT/RMB, as ERMrest's attributegroup PUT does. It returns the changed rows
// (the Match and Set columns, as stored afterwards). Rows matching nothing
// are skipped, except when Match includes RMT: then the whole update is
// rolled back with ErrPrecondition, since someone changed the row since it
// was read.
func (s *Store) Update(ctx context.Context, table catalog.TableRef, u catalog.UpdateSpec, rows []catalog.Row) ([]catalog.Row, error) {
	op := "update " + table.String()
	if err := checkUpdateSpec(u); err != nil {
		return nil, withOp(err, op)
	}
	var out []catalog.Row
	err := s.write(ctx, op, func(w *wtx) error {
		ti, err := w.m.table(table)
		if err != nil {
			return withOp(err, op)
		}
		out, err = w.update(ctx, ti, u, rows)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func checkUpdateSpec(u catalog.UpdateSpec) error {
	if len(u.Match) == 0 || len(u.Set) == 0 {
		return invalid("an update needs Match and Set columns (got %d and %d)", len(u.Match), len(u.Set))
	}
	for _, c := range u.Set {
		if slices.Contains(u.Match, c) {
			return invalid("column %s is both matched and set", c)
		}
		if catalog.IsSystemColumn(c) {
			return &catalog.Error{Kind: catalog.ErrForbidden, Detail: fmt.Sprintf("update access on system column %s", c),
				Fix: "system columns are maintained by the catalog; leave them out of Set"}
		}
	}
	return nil
}

func (w *wtx) update(ctx context.Context, ti *tableInfo, u catalog.UpdateSpec, rows []catalog.Row) ([]catalog.Row, error) {
	match, err := projection(ti, u.Match)
	if err != nil {
		return nil, withOp(err, w.op)
	}
	set, err := projection(ti, u.Set)
	if err != nil {
		return nil, withOp(err, w.op)
	}
	guarded := slices.Contains(u.Match, catalog.ColRMT)
	var sets, conds, ret []string
	for _, c := range set {
		sets = append(sets, c.phys+" = ?")
	}
	sets = append(sets, ti.col(catalog.ColRMT).phys+" = ?", ti.col(catalog.ColRMB).phys+" = ?")
	for _, c := range match {
		conds = append(conds, c.phys+" = ?")
	}
	outCols := append(slices.Clone(match), set...)
	for _, c := range outCols {
		ret = append(ret, c.phys)
	}
	q := fmt.Sprintf("UPDATE %s SET %s WHERE %s RETURNING %s", ti.phys, strings.Join(sets, ", "),
		strings.Join(conds, " AND "), strings.Join(ret, ", "))
	stmt, err := w.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, w.s.dbErr(w.op, err)
	}
	defer stmt.Close()
	out := []catalog.Row{}
	for _, r := range rows {
		args, named, err := updateArgs(ti, set, match, r, w.ts, w.s.clientValue())
		if err != nil {
			return nil, withOp(err, w.op)
		}
		n, err := w.runUpdate(ctx, stmt, args, outCols, &out)
		if err != nil {
			if isConstraint(err) {
				return nil, w.updateConflict(ctx, ti, match, args[len(set)+2:], err, named)
			}
			return nil, w.s.dbErr(w.op, err)
		}
		if n == 0 && guarded {
			return nil, &catalog.Error{Kind: catalog.ErrPrecondition, Op: w.op,
				Detail: fmt.Sprintf("no row of %s matches %s; it was changed or deleted since it was read", ti.ref, describeMatch(match, r)),
				Fix:    "read the rows again and retry the update"}
		}
	}
	if len(out) > 0 { // once, not per row: touch walks the whole model
		w.changed = true
		w.touch(ti, false)
	}
	return out, nil
}

// updateArgs returns the bound values (Set values, RMT, RMB, then Match
// values) and the Set values by name for error details.
func updateArgs(ti *tableInfo, set, match []*colInfo, r catalog.Row, ts string, client any) ([]any, map[string]any, error) {
	args := make([]any, 0, len(set)+2+len(match))
	named := map[string]any{}
	for _, c := range set {
		in, present := r[c.name]
		var v any = c.emptyValue()
		if present {
			var err error
			if v, err = c.toStorage(in); err != nil {
				return nil, nil, err
			}
		}
		args = append(args, v)
		named[c.name] = v
	}
	args = append(args, ts, client)
	for _, c := range match {
		v, err := c.toStorage(r[c.name])
		if err != nil {
			return nil, nil, err
		}
		args = append(args, v)
	}
	for name := range r {
		if _, err := ti.column(name); err != nil {
			return nil, nil, err
		}
	}
	return args, named, nil
}

func (w *wtx) runUpdate(ctx context.Context, stmt *sql.Stmt, args []any, cols []*colInfo, out *[]catalog.Row) (int, error) {
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	err = decodeRows(rows, cols, 0, func(row catalog.Row, _ []any) {
		*out = append(*out, row)
		n++
	})
	return n, err
}

// updateConflict explains a refused update: a key or not-null rule of the
// table, a foreign key it points through, or rows still referencing a key
// value it changed.
func (w *wtx) updateConflict(ctx context.Context, ti *tableInfo, match []*colInfo, matchArgs []any, err error, named map[string]any) error {
	ce := w.conflict(ctx, ti, err, named)
	if sqliteCode(err) != sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
		return ce
	}
	if _, found := w.fkeyDetail(ctx, ti, named); found {
		return ce // the new values point at a missing row
	}
	conds := make([]string, len(match))
	for i, c := range match {
		conds[i] = c.phys + " = ?"
	}
	return w.deleteConflict(ctx, ti, strings.Join(conds, " AND "), matchArgs)
}

func describeMatch(match []*colInfo, r catalog.Row) string {
	parts := make([]string, len(match))
	for i, c := range match {
		parts[i] = fmt.Sprintf("%s=%v", c.name, r[c.name])
	}
	return strings.Join(parts, ", ")
}
