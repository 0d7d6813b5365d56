package local

import (
	"context"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
)

// bootstrap creates the catalog in a new file, or checks an existing one.
func (s *Store) bootstrap(ctx context.Context) error {
	if ok, err := s.hasMeta(ctx, s.db); err != nil {
		return s.dbErr("open", err)
	} else if ok {
		return s.checkFormat(ctx)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: one creator wins
	if err != nil {
		return s.dbErr("create catalog", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	if ok, err := s.hasMeta(ctx, tx); err != nil {
		return s.dbErr("create catalog", err)
	} else if ok { // another process created it meanwhile
		return s.checkFormat(ctx)
	}
	var others int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&others); err != nil {
		return s.dbErr("create catalog", err)
	}
	if others > 0 {
		return errNotCatalog
	}
	if _, err := tx.ExecContext(ctx, internalDDL); err != nil {
		return s.dbErr("create catalog", err)
	}
	snap := s.now().UnixMicro()
	w := &wtx{s: s, tx: tx, op: "create catalog", snap: snap, ts: catalog.FormatTimestamp(microTime(snap))}
	if _, err := tx.ExecContext(ctx, `UPDATE _tx SET snap = ?, ts = ?`, snap, w.ts); err != nil {
		return s.dbErr(w.op, err)
	}
	if w.m, err = buildModel(0, nil, nil); err != nil {
		return err
	}
	if err := w.create(ctx, publicSchema()); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO _snapshots (ts, model) VALUES (?, 1)`, snap); err != nil {
		return s.dbErr(w.op, err)
	}
	if err := tx.Commit(); err != nil {
		return s.dbErr(w.op, err)
	}
	return nil
}

func (s *Store) hasMeta(ctx context.Context, q querier) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_meta'`).Scan(&n)
	return n > 0, err
}

func (s *Store) checkFormat(ctx context.Context) error {
	var v int
	if err := s.db.QueryRowContext(ctx, `SELECT v FROM _meta WHERE k = 'format'`).Scan(&v); err != nil {
		return s.dbErr("open", err)
	}
	if v != formatVersion {
		return fmt.Errorf("local catalog format %d is not supported by this version of cyclezero (it reads format %d); upgrade cyclezero", v, formatVersion)
	}
	return nil
}

// publicSchema is ERMrest's built-in public schema with the client registry
// that RCB/RMB reference (ermrest.md §8).
func publicSchema() catalog.ModelChange {
	t := catalog.DefineTable(catalog.TableDef{
		Schema: catalog.ClientSchema,
		Name:   catalog.ClientTable,
		Columns: []catalog.ColumnDef{
			{Name: "ID", Type: catalog.TypeText},
			{Name: "Display_Name", Type: catalog.TypeText, NullOK: true},
			{Name: "Full_Name", Type: catalog.TypeText, NullOK: true},
			{Name: "Email", Type: catalog.TypeText, NullOK: true},
			{Name: "Client_Object", Type: catalog.TypeJSONB, NullOK: true},
		},
		Keys: []catalog.KeyDef{{Columns: []string{"ID"}}},
	})
	t.ForeignKeys = nil // the registry's own RCB/RMB stay NULL, as on a server
	return catalog.ModelChange{
		Schemas: []catalog.SchemaDef{{Name: catalog.ClientSchema, Comment: "standard public schema"}},
		Tables:  []*catalog.Table{t},
	}
}
