package memstore

import (
	"fmt"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// keyConflict marks a unique-key violation, which onconflict=skip skips.
type keyConflict struct{ error }

func (k keyConflict) Unwrap() error { return k.error }

func isKeyConflict(err error) bool { _, ok := err.(keyConflict); return ok }

// checkRow enforces NOT NULL, unique keys (ignoring row index skip) and
// foreign keys (except to the client registry, which ERMrest fills itself).
func checkRow(v *version, t *catalog.Table, row catalog.Row, skip int) error {
	for _, c := range t.Columns {
		if !c.NullOK && row[c.Name] == nil {
			return catalog.Errorf(catalog.ErrConflict, "", "", "null value in column %q violates not-null constraint", c.Name)
		}
	}
	for _, k := range t.Keys {
		for i, other := range v.rows[t.Ref()] {
			if i != skip && sameKey(row, other, k.UniqueColumns) {
				return keyConflict{catalog.Errorf(catalog.ErrConflict, "", "", "Input data violates model. ERROR:  duplicate key value violates unique constraint %q", keyName(k))}
			}
		}
	}
	for _, fk := range t.ForeignKeys {
		if len(fk.Referenced) == 0 || fk.Referenced[0].Table == catalog.ClientTable {
			continue
		}
		ref := catalog.TableRef{Schema: fk.Referenced[0].Schema, Table: fk.Referenced[0].Table}
		found, null := false, false
		for _, other := range v.rows[ref] {
			match := true
			for i, c := range fk.Columns {
				if row[c.Column] == nil {
					null = true
				}
				if fmt.Sprint(row[c.Column]) != fmt.Sprint(other[fk.Referenced[i].Column]) {
					match = false
				}
			}
			found = found || match
		}
		if !found && !null && fkHasValue(row, fk) {
			return catalog.Errorf(catalog.ErrConflict, "", "", "Input data violates model. ERROR:  insert or update on table %q violates foreign key constraint", t.Name)
		}
	}
	return nil
}

func fkHasValue(row catalog.Row, fk catalog.ForeignKey) bool {
	for _, c := range fk.Columns {
		if row[c.Column] == nil {
			return false
		}
	}
	return true
}

func sameKey(a, b catalog.Row, cols []string) bool {
	for _, c := range cols {
		if a[c] == nil || b[c] == nil || fmt.Sprint(a[c]) != fmt.Sprint(b[c]) {
			return false
		}
	}
	return true
}

func keyName(k catalog.Key) string {
	if len(k.Names) > 0 {
		return k.Names[0][1]
	}
	return strings.Join(k.UniqueColumns, ",")
}

// inbound calls fn for every foreign key, in any table, that references t.
func inbound(v *version, t *catalog.Table, fn func(from catalog.TableRef, fk catalog.ForeignKey)) {
	for _, sch := range v.model.Schemas {
		for _, other := range sch.Tables {
			for _, fk := range other.ForeignKeys {
				if len(fk.Referenced) > 0 && fk.Referenced[0].Schema == t.SchemaName && fk.Referenced[0].Table == t.Name {
					fn(other.Ref(), fk)
				}
			}
		}
	}
}

// refersTo reports whether row (of the referencing table) points at target.
func refersTo(row, target catalog.Row, fk catalog.ForeignKey) bool {
	for i, c := range fk.Columns {
		if row[c.Column] == nil || fmt.Sprint(row[c.Column]) != fmt.Sprint(target[fk.Referenced[i].Column]) {
			return false
		}
	}
	return true
}

// referenced reports whether a row that is about to go is still referenced.
func referenced(v *version, t *catalog.Table, r catalog.Row) bool {
	found := false
	inbound(v, t, func(from catalog.TableRef, fk catalog.ForeignKey) {
		for _, other := range v.rows[from] {
			found = found || refersTo(other, r, fk)
		}
	})
	return found
}

// cascade applies ON UPDATE CASCADE when a referenced key changes.
func cascade(v *version, t *catalog.Table, before, after catalog.Row) {
	inbound(v, t, func(from catalog.TableRef, fk catalog.ForeignKey) {
		if fk.OnUpdate != "CASCADE" {
			return
		}
		for i, other := range v.rows[from] {
			if !refersTo(other, before, fk) {
				continue
			}
			next := make(catalog.Row, len(other))
			for k, val := range other {
				next[k] = val
			}
			for j, c := range fk.Columns {
				next[c.Column] = after[fk.Referenced[j].Column]
			}
			v.rows[from][i] = next
		}
	})
}
