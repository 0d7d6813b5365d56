package local

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// prepareTable validates a table document as ERMrest's table creation does
// and returns a canonical copy: types in ERMrest's reported form, default
// constraint names, system column defaults as the server reports them.
func prepareTable(in *catalog.Table) (*catalog.Table, error) {
	if in == nil {
		return nil, badModel("nil table document")
	}
	b, err := json.Marshal(in)
	if err != nil {
		return nil, badModel("table %s: %v", in.Name, err)
	}
	t := &catalog.Table{}
	if err := json.Unmarshal(b, t); err != nil {
		return nil, badModel("table %s: %v", in.Name, err)
	}
	if err := checkIdent(t.SchemaName); err != nil {
		return nil, err
	}
	if err := checkIdent(t.Name); err != nil {
		return nil, err
	}
	if t.Kind == "" {
		t.Kind = "table"
	}
	if t.Kind != "table" {
		return nil, badModel("Table :%s:%s has kind %q; only \"table\" can be created.", t.SchemaName, t.Name, t.Kind)
	}
	t.Annotations = orEmpty(t.Annotations)
	if err := prepareColumns(t); err != nil {
		return nil, err
	}
	if err := prepareKeys(t); err != nil {
		return nil, err
	}
	return t, prepareForeignKeys(t)
}

func prepareColumns(t *catalog.Table) error {
	seen := map[string]bool{}
	for i := range t.Columns {
		c := &t.Columns[i]
		if err := checkIdent(c.Name); err != nil {
			return err
		}
		if seen[c.Name] {
			return badModel("Column %s appears more than once in table %s.", c.Name, t.Name)
		}
		seen[c.Name] = true
		typ, err := canonicalType(c.Type)
		if err != nil {
			return err
		}
		c.Type = typ
		c.Annotations = orEmpty(c.Annotations)
		if len(c.Default) == 0 {
			c.Default = json.RawMessage("null")
		}
		if want, ok := systemTypes[c.Name]; ok {
			if c.Type.Name != want {
				return badModel("System column %s of table :%s:%s must have type %s, not %s.", c.Name, t.SchemaName, t.Name, want, c.Type.Name)
			}
			if c.Name == catalog.ColRID || c.Name == catalog.ColRCT || c.Name == catalog.ColRMT {
				c.NullOK = false
			}
			c.Default = json.RawMessage(systemDefaults[c.Name])
		}
	}
	for _, name := range catalog.SystemColumns {
		if !seen[name] {
			return badModel("Table :%s:%s lacks required system column %s.", t.SchemaName, t.Name, name)
		}
	}
	return nil
}

func prepareKeys(t *catalog.Table) error {
	hasRID := false
	for i := range t.Keys {
		k := &t.Keys[i]
		if len(k.UniqueColumns) == 0 {
			return badModel("A key of table %s has no columns.", t.Name)
		}
		for _, c := range k.UniqueColumns {
			if t.Column(c) == nil {
				return conflictModel("Key column %s does not exist in table %s.", c, t.Name)
			}
		}
		if len(k.UniqueColumns) == 1 && k.UniqueColumns[0] == catalog.ColRID {
			hasRID = true
		}
		if err := nameConstraint(&k.Names, t, k.UniqueColumns, "key"); err != nil {
			return err
		}
		k.Annotations = orEmpty(k.Annotations)
	}
	if !hasRID {
		return badModel("Table :%s:%s lacks a key on RID.", t.SchemaName, t.Name)
	}
	return nil
}

func prepareForeignKeys(t *catalog.Table) error {
	for i := range t.ForeignKeys {
		fk := &t.ForeignKeys[i]
		if len(fk.Columns) == 0 || len(fk.Columns) != len(fk.Referenced) {
			return badModel("Foreign key %d of table %s needs as many referenced columns as columns.", i, t.Name)
		}
		var cols []string
		for j := range fk.Columns {
			fc := &fk.Columns[j]
			if fc.Schema == "" {
				fc.Schema = t.SchemaName
			}
			if fc.Table == "" {
				fc.Table = t.Name
			}
			if fc.Schema != t.SchemaName || fc.Table != t.Name {
				return badModel("Foreign key columns of table %s must belong to it, not to %s:%s.", t.Name, fc.Schema, fc.Table)
			}
			if t.Column(fc.Column) == nil {
				return conflictModel("Foreign key column %s does not exist in table %s.", fc.Column, t.Name)
			}
			cols = append(cols, fc.Column)
			rc := &fk.Referenced[j]
			if rc.Schema == "" {
				rc.Schema = t.SchemaName
			}
			if rc.Table == "" {
				rc.Table = t.Name
			}
			if rc.Schema != fk.Referenced[0].Schema || rc.Table != fk.Referenced[0].Table {
				return badModel("Foreign key %s of table %s references more than one table.", cols, t.Name)
			}
		}
		for _, a := range []*string{&fk.OnUpdate, &fk.OnDelete} {
			*a = strings.ToUpper(strings.TrimSpace(*a))
			if *a == "" {
				*a = catalog.NoAction
			}
			if !validAction(*a) {
				return badModel("Foreign key action %q is not one of %s.", *a, strings.Join(fkActions, ", "))
			}
		}
		if err := nameConstraint(&fk.Names, t, cols, "fkey"); err != nil {
			return err
		}
		fk.Annotations = orEmpty(fk.Annotations)
	}
	return nil
}

// nameConstraint fills in the server's name for an unnamed constraint and
// puts every name in the table's schema, as ERMrest does.
func nameConstraint(names *[][2]string, t *catalog.Table, cols []string, label string) error {
	if len(*names) == 0 {
		*names = [][2]string{{t.SchemaName, catalog.ServerConstraintName(t.Name, cols, label)}}
	}
	for i := range *names {
		(*names)[i][0] = t.SchemaName
		if err := checkIdent((*names)[i][1]); err != nil {
			return err
		}
	}
	return nil
}

// checkForeignKeys checks that every foreign key references existing columns
// that form a key of the referenced table (which may be new in this change).
func checkForeignKeys(t *catalog.Table, find func(catalog.TableRef) *catalog.Table) error {
	for _, fk := range t.ForeignKeys {
		ref := catalog.TableRef{Schema: fk.Referenced[0].Schema, Table: fk.Referenced[0].Table}
		rt := find(ref)
		if rt == nil {
			return conflictModel("Referenced table %s of foreign key %s does not exist.", ref, constraintName(fk.Names))
		}
		var rcols []string
		for i, rc := range fk.Referenced {
			pc := rt.Column(rc.Column)
			if pc == nil {
				return conflictModel("Referenced column %s does not exist in table %s.", rc.Column, rt.Name)
			}
			fc := t.Column(fk.Columns[i].Column)
			if fc.Type.BaseName() != pc.Type.BaseName() || fc.Type.IsArray != pc.Type.IsArray {
				return conflictModel("Foreign key column %s (%s) and referenced column %s (%s) have different types.",
					fc.Name, fc.Type.Name, pc.Name, pc.Type.Name)
			}
			rcols = append(rcols, rc.Column)
		}
		found := false
		for _, k := range rt.Keys {
			if sameColumns(k.UniqueColumns, rcols) {
				found = true
			}
		}
		if !found {
			return conflictModel("Referenced columns %s of table %s are not a key.", fmt.Sprint(rcols), rt.Name)
		}
	}
	return nil
}
