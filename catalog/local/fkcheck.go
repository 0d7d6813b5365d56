package local

import (
	"context"
	"fmt"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// fkeyDetail finds which foreign key of ti the written values break, for a
// Postgres-like error detail. SQLite itself only says that one failed.
func (w *wtx) fkeyDetail(ctx context.Context, ti *tableInfo, vals map[string]any) (string, bool) {
	for _, fk := range ti.t.ForeignKeys {
		if len(fk.Referenced) == 0 {
			continue
		}
		ref := w.m.tables[catalog.TableRef{Schema: fk.Referenced[0].Schema, Table: fk.Referenced[0].Table}]
		if ref == nil {
			continue
		}
		var conds, names, shown []string
		var args []any
		complete := true
		for i, fc := range fk.Columns {
			v, ok := vals[fc.Column]
			pc := ref.col(fk.Referenced[i].Column)
			if !ok || v == nil || pc == nil {
				complete = false
				break
			}
			conds = append(conds, pc.phys+" = ?")
			args = append(args, v)
			names = append(names, fc.Column)
			shown = append(shown, fmt.Sprint(v))
		}
		if !complete {
			continue
		}
		var one int
		q := fmt.Sprintf("SELECT 1 FROM %s WHERE %s LIMIT 1", ref.phys, strings.Join(conds, " AND "))
		if err := w.tx.QueryRowContext(ctx, q, args...).Scan(&one); err == nil {
			continue
		}
		return fmt.Sprintf("insert or update on table %q violates foreign key constraint %q\nDETAIL:  Key (%s)=(%s) is not present in table %q.",
			ti.ref.Table, constraintName(fk.Names), strings.Join(names, ", "), strings.Join(shown, ", "), ref.ref.Table), true
	}
	return fmt.Sprintf("insert or update on table %q violates a foreign key constraint", ti.ref.Table), false
}

// deleteConflict explains a delete (or key update) refused because other rows
// still reference the rows matched by where.
func (w *wtx) deleteConflict(ctx context.Context, ti *tableInfo, where string, args []any) error {
	detail := fmt.Sprintf("update or delete on table %q violates a foreign key constraint", ti.ref.Table)
search:
	for _, child := range w.m.tables {
		for _, fk := range child.t.ForeignKeys {
			if len(fk.Referenced) == 0 || fk.Referenced[0].Schema != ti.ref.Schema || fk.Referenced[0].Table != ti.ref.Table {
				continue
			}
			var joins []string
			for i, fc := range fk.Columns {
				cc, pc := child.col(fc.Column), ti.col(fk.Referenced[i].Column)
				if cc == nil || pc == nil {
					continue search
				}
				joins = append(joins, fmt.Sprintf("p.%s = c.%s", pc.phys, cc.phys))
			}
			q := fmt.Sprintf("SELECT 1 FROM %s AS c WHERE EXISTS (SELECT 1 FROM %s AS p WHERE (%s) AND %s) LIMIT 1",
				child.phys, ti.phys, where, strings.Join(joins, " AND "))
			var one int
			if err := w.tx.QueryRowContext(ctx, q, args...).Scan(&one); err != nil {
				continue
			}
			detail = fmt.Sprintf("update or delete on table %q violates foreign key constraint %q on table %q\nDETAIL:  Key is still referenced from table %q.",
				ti.ref.Table, constraintName(fk.Names), child.ref.Table, child.ref.Table)
			break search
		}
	}
	return &catalog.Error{Kind: catalog.ErrConflict, Op: w.op, Detail: detail,
		Fix: "delete or change the rows that reference them first, or filter them out"}
}

func constraintName(names [][2]string) string {
	if len(names) == 0 {
		return ""
	}
	return names[0][1]
}
