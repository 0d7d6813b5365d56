package local

import (
	"context"
	"strings"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
	sqlite3 "modernc.org/sqlite/lib"
)

// internalTables are the bookkeeping tables every catalog has (internalDDL).
var internalTables = []any{"_meta", "_snapshots", "_tx", "_model", "_rids", "_tables"}

// bootstrap checks that the file holds a catalog of this layout version
// and, with create, makes one in a file without tables. It writes nothing
// to a file that is not (or not yet to be) a catalog.
func (s *Store) bootstrap(ctx context.Context, create bool) error {
	ours, others, err := s.tables(ctx, s.db)
	if err != nil && s.readOnly && !create { // on a read-only medium?
		if err = s.openImmutable(err); err == nil {
			ours, others, err = s.tables(ctx, s.db)
		}
	}
	switch {
	case err != nil:
		return s.dbErr("open", err)
	case ours == len(internalTables):
		return s.opened(ctx)
	case ours > 0 || others > 0:
		return newFileError(s.path, FileForeign, 0)
	case !create:
		return newFileError(s.path, FileEmptyDatabase, 0)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	// One connection sets WAL and creates: the journal mode is persistent,
	// and set only once the file is known to hold nothing else.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return s.dbErr("create catalog", err)
	}
	defer conn.Close()
	if err := setWAL(ctx, conn, s.busy); err != nil {
		return s.dbErr("create catalog", err)
	}
	tx, err := conn.BeginTx(ctx, nil) // BEGIN IMMEDIATE: one creator wins
	if err != nil {
		return s.dbErr("create catalog", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	if ours, others, err := s.tables(ctx, tx); err != nil {
		return s.dbErr("create catalog", err)
	} else if ours == len(internalTables) { // another process created it meanwhile
		return s.checkFormat(ctx, tx)
	} else if ours > 0 || others > 0 {
		return newFileError(s.path, FileForeign, 0)
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

// tables counts the catalog's own bookkeeping tables in the file, and its
// other schema objects (tables, views, indexes, triggers) of other tables.
func (s *Store) tables(ctx context.Context, q querier) (ours, others int, err error) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(internalTables)), ", ")
	err = q.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE type = 'table' AND name IN (`+marks+`)),
		count(*) FILTER (WHERE tbl_name NOT IN (`+marks+`)) FROM sqlite_master`, append(internalTables, internalTables...)...).Scan(&ours, &others)
	return ours, others, err
}

// opened finishes opening an existing catalog: its layout version must be
// this one, and a writable Store keeps the file in WAL mode (in case another
// tool changed it), so readers and the writer do not block each other.
func (s *Store) opened(ctx context.Context) error {
	if err := s.checkFormat(ctx, s.db); err != nil {
		return err
	}
	if s.readOnly {
		return nil
	}
	if err := setWAL(ctx, s.db, s.busy); err != nil {
		return s.dbErr("open", err)
	}
	return nil
}

// setWAL puts the file in WAL mode unless it is already. SQLite answers a
// journal mode change that meets another connection's lock with
// SQLITE_BUSY at once, without waiting as statements do (two processes
// creating one catalog), so it is retried for up to wait, the store's busy
// timeout.
func setWAL(ctx context.Context, q querier, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		var mode string
		err := q.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode)
		if err == nil && strings.EqualFold(mode, "wal") {
			return nil
		}
		if err == nil {
			_, err = q.ExecContext(ctx, `PRAGMA journal_mode = WAL`)
		}
		if err == nil || sqliteCode(err)&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// checkFormat refuses a catalog of another layout version. Nothing
// migrates: format 1 is the only layout there has been. When a new one
// comes, Open (which writers use) may migrate, but OpenExisting must keep
// refusing, naming the command that migrates: a read must not rewrite a
// file, nor make it unreadable to the cyclezero that wrote it.
func (s *Store) checkFormat(ctx context.Context, q querier) error {
	var v int
	if err := q.QueryRowContext(ctx, `SELECT v FROM _meta WHERE k = 'format'`).Scan(&v); err != nil {
		return s.dbErr("open", err)
	}
	if v != formatVersion {
		return newFileError(s.path, FileOtherFormat, v)
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
