package local

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
)

// Create adds the change's schemas and tables in one transaction: all of
// them exist afterwards, or none does.
func (s *Store) Create(ctx context.Context, change catalog.ModelChange) error {
	return s.write(ctx, "create model", func(w *wtx) error { return w.create(ctx, change) })
}

func (w *wtx) create(ctx context.Context, change catalog.ModelChange) error {
	if len(change.Schemas) == 0 && len(change.Tables) == 0 {
		return nil
	}
	newSchemas := map[string]*catalog.Schema{}
	var schemaOrder []*catalog.Schema
	for _, sd := range change.Schemas {
		if err := checkIdent(sd.Name); err != nil {
			return withOp(err, w.op)
		}
		if w.m.model.Schemas[sd.Name] != nil || newSchemas[sd.Name] != nil {
			return &catalog.Error{Kind: catalog.ErrConflict, Op: w.op,
				Detail: fmt.Sprintf("Requested schema %s already exists.", sd.Name), Fix: "choose another schema name"}
		}
		sc := &catalog.Schema{Name: sd.Name, Comment: strPtr(sd.Comment), Annotations: orEmpty(sd.Annotations)}
		newSchemas[sd.Name] = sc
		schemaOrder = append(schemaOrder, sc)
	}
	newTables := map[catalog.TableRef]*catalog.Table{}
	var tables []*catalog.Table
	for _, t := range change.Tables {
		ct, err := prepareTable(t)
		if err != nil {
			return withOp(err, w.op)
		}
		ref := ct.Ref()
		if w.m.model.Schemas[ref.Schema] == nil && newSchemas[ref.Schema] == nil {
			return &catalog.Error{Kind: catalog.ErrNotFound, Op: w.op, Detail: "schema " + ref.Schema,
				Fix: "create the schema in the same change, or first"}
		}
		if w.m.tables[ref] != nil || newTables[ref] != nil {
			return &catalog.Error{Kind: catalog.ErrConflict, Op: w.op,
				Detail: fmt.Sprintf("Requested table %s already exists in schema %s.", ref.Table, ref.Schema),
				Fix:    "choose another table name"}
		}
		newTables[ref] = ct
		tables = append(tables, ct)
	}
	find := func(ref catalog.TableRef) *catalog.Table {
		if t := newTables[ref]; t != nil {
			return t
		}
		if ti := w.m.tables[ref]; ti != nil {
			return ti.t
		}
		return nil
	}
	for _, t := range tables {
		if err := checkForeignKeys(t, find); err != nil {
			return withOp(err, w.op)
		}
	}
	if err := w.assignRIDs(ctx, schemaOrder, tables); err != nil {
		return err
	}
	infos := map[catalog.TableRef]*tableInfo{}
	for _, t := range tables {
		infos[t.Ref()] = newTableInfo(t)
	}
	lookup := func(ref catalog.TableRef) *tableInfo {
		if ti := infos[ref]; ti != nil {
			return ti
		}
		return w.m.tables[ref]
	}
	for _, t := range tables {
		stmts, err := tableDDL(infos[t.Ref()], lookup)
		if err != nil {
			return w.s.dbErr(w.op, err)
		}
		for _, st := range stmts {
			if _, err := w.tx.ExecContext(ctx, st); err != nil {
				return w.s.dbErr(w.op, fmt.Errorf("create table %s: %w", t.Ref(), err))
			}
		}
	}
	for _, sc := range schemaOrder {
		if err := w.putDoc(ctx, "schema", sc.RID, sc); err != nil {
			return err
		}
	}
	for _, t := range tables {
		if err := w.putDoc(ctx, "table", t.RID, t); err != nil {
			return err
		}
	}
	w.changed, w.modelChanged = true, true
	return nil
}

// putDoc records a model element's document as of this transaction.
func (w *wtx) putDoc(ctx context.Context, kind, rid string, doc any) error {
	b, err := json.Marshal(doc)
	if err != nil {
		return w.s.dbErr(w.op, fmt.Errorf("encode %s document: %w", kind, err))
	}
	_, err = w.tx.ExecContext(ctx, `INSERT INTO _model (rid, kind, lo, doc) VALUES (?, ?, ?, ?)`, rid, kind, w.snap, string(b))
	if err != nil {
		return w.s.dbErr(w.op, err)
	}
	return nil
}

// assignRIDs gives every new model element a RID from the catalog's
// sequence, as ERMrest does.
func (w *wtx) assignRIDs(ctx context.Context, schemas []*catalog.Schema, tables []*catalog.Table) error {
	n := len(schemas)
	for _, t := range tables {
		n += 1 + len(t.Columns) + len(t.Keys) + len(t.ForeignKeys)
	}
	next, err := w.allocRIDs(ctx, n)
	if err != nil {
		return err
	}
	rid := func() string {
		r := catalog.EncodeRID(next)
		next++
		return r
	}
	for _, sc := range schemas {
		sc.RID = rid()
	}
	for _, t := range tables {
		t.RID = rid()
		for i := range t.Columns {
			t.Columns[i].RID = rid()
		}
		for i := range t.Keys {
			t.Keys[i].RID = rid()
		}
		for i := range t.ForeignKeys {
			t.ForeignKeys[i].RID = rid()
		}
	}
	return nil
}

// checkIdent enforces ERMrest's enforce_63byte_id on a model name.
func checkIdent(name string) error {
	if name == "" {
		return &catalog.Error{Kind: catalog.ErrBadRequest, Detail: "empty model element name", Fix: "give every schema, table, column and constraint a name"}
	}
	if len(name) > 63 {
		return &catalog.Error{Kind: catalog.ErrBadRequest,
			Detail: fmt.Sprintf("Identifier %q exceeds the 63-byte limit of PostgreSQL identifiers (%d bytes).", name, len(name)),
			Fix:    "shorten the name to at most 63 UTF-8 bytes"}
	}
	return nil
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func orEmpty(a catalog.Annotations) catalog.Annotations {
	if a == nil {
		return catalog.Annotations{}
	}
	return a
}

func badModel(format string, args ...any) error {
	return &catalog.Error{Kind: catalog.ErrBadRequest, Detail: fmt.Sprintf(format, args...),
		Fix: "define tables with catalog.DefineTable, which adds the system columns and the RID key"}
}

func conflictModel(format string, args ...any) error {
	return &catalog.Error{Kind: catalog.ErrConflict, Detail: fmt.Sprintf(format, args...),
		Fix: "check the names in the table definition against the model"}
}
