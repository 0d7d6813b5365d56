package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"

	"github.com/cyclezero/cyclezero/catalog"
)

// wtx is one write transaction: a new snapshot in the making.
type wtx struct {
	s            *Store
	tx           *sql.Tx
	op           string
	snap         int64  // this transaction's snaptime, µs
	ts           string // snap as an RCT/RMT value
	m            *modelState
	changed      bool // something was written: commit a new snapshot
	modelChanged bool
	touched      map[string]bool // RIDs of tables whose rows changed
}

// write runs fn in a write transaction. A transaction that changed something
// commits as a new snapshot, strictly later than every earlier one; one that
// changed nothing, or failed, leaves the catalog untouched.
func (s *Store) write(ctx context.Context, op string, fn func(w *wtx) error) error {
	if s.readOnly {
		return &catalog.Error{Kind: catalog.ErrForbidden, Op: op, Detail: s.Describe() + " is open read-only",
			Fix: "open it without Options.ReadOnly to change it"}
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: waits for other writers
	if err != nil {
		return s.dbErr(op, err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	var last sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(ts) FROM _snapshots`).Scan(&last); err != nil {
		return s.dbErr(op, err)
	}
	snap := max(s.now().UnixMicro(), last.Int64+1)
	w := &wtx{s: s, tx: tx, op: op, snap: snap, ts: catalog.FormatTimestamp(microTime(snap))}
	if _, err := tx.ExecContext(ctx, `UPDATE _tx SET snap = ?, ts = ?, client = ?`, snap, w.ts, s.clientValue()); err != nil {
		return s.dbErr(op, err)
	}
	if w.m, err = s.modelAt(ctx, tx, math.MaxInt64); err != nil {
		return s.dbErr(op, err)
	}
	if !s.clientDone {
		if err := w.ensureClient(ctx); err != nil {
			return err
		}
	}
	if err := fn(w); err != nil {
		return err
	}
	if w.changed {
		if _, err := tx.ExecContext(ctx, `INSERT INTO _snapshots (ts, model) VALUES (?, ?)`, snap, w.modelChanged); err != nil {
			return s.dbErr(op, err)
		}
		if err := w.recordModified(ctx); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return s.dbErr(op, err)
		}
	}
	s.clientDone = true // committed, or nothing to write
	return nil
}

// clientValue is what RCB/RMB record: the client id, or NULL when anonymous.
func (s *Store) clientValue() any {
	if s.client.ID == "" || s.client.Anonymous {
		return nil
	}
	return s.client.ID
}

// allocRIDs reserves n consecutive values of the catalog-wide RID sequence
// and returns the first.
func (w *wtx) allocRIDs(ctx context.Context, n int) (int64, error) {
	var last int64
	err := w.tx.QueryRowContext(ctx, `UPDATE _meta SET v = v + ? WHERE k = 'rid_seq' RETURNING v`, n).Scan(&last)
	if err != nil {
		return 0, w.s.dbErr(w.op, err)
	}
	return last - int64(n) + 1, nil
}

// rtx is one read transaction at a (clamped) snapshot.
type rtx struct {
	tx   *sql.Tx
	snap int64 // the snapshot read, µs
	live bool  // snap is the latest snapshot: read the live tables
	m    *modelState
}

// read runs fn in a read-only transaction at snapshot at ("" for live). A
// snapshot id names a time; it clamps down to the latest snapshot at or
// before it, as ERMrest does.
func (s *Store) read(ctx context.Context, op, at string, fn func(r *rtx) error) error {
	want := int64(math.MaxInt64)
	if at != "" {
		v, err := catalog.DecodeRID(at)
		if err != nil {
			return &catalog.Error{Kind: catalog.ErrBadRequest, Op: op, Detail: fmt.Sprintf("bad snapshot id %q: %v", at, err),
				Fix: "use a snaptime as the catalog reports it, e.g. 2PX-WS30-E58W"}
		}
		want = v
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return s.dbErr(op, err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	var latest, snap sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(ts), (SELECT max(ts) FROM _snapshots WHERE ts <= ?) FROM _snapshots`, want).
		Scan(&latest, &snap); err != nil {
		return s.dbErr(op, err)
	}
	if !snap.Valid {
		return &catalog.Error{Kind: catalog.ErrConflict, Op: op,
			Detail: fmt.Sprintf("Requested catalog revision %q is prior to any known revision.", at),
			Fix:    "use a snapshot taken after the catalog was created"}
	}
	r := &rtx{tx: tx, snap: snap.Int64, live: snap.Int64 == latest.Int64}
	if r.m, err = s.modelAt(ctx, tx, r.snap); err != nil {
		return s.dbErr(op, err)
	}
	return fn(r)
}

// ensureClient upserts the caller's public:ERMrest_Client row, as ERMrest
// does on every authenticated request, so RCB/RMB foreign keys hold.
func (w *wtx) ensureClient(ctx context.Context) error {
	c := w.s.client
	if w.s.clientValue() == nil {
		return nil
	}
	ti := w.m.tables[catalog.TableRef{Schema: catalog.ClientSchema, Table: catalog.ClientTable}]
	if ti == nil {
		return nil // during bootstrap
	}
	obj := map[string]any{"id": c.ID, "display_name": c.DisplayName, "identities": []any{c.ID}}
	if c.FullName != "" {
		obj["full_name"] = c.FullName
	}
	if c.Email != "" {
		obj["email"] = c.Email
	}
	row := catalog.Row{"ID": c.ID, "Display_Name": nilIfEmpty(c.DisplayName), "Full_Name": nilIfEmpty(c.FullName),
		"Email": nilIfEmpty(c.Email), "Client_Object": obj}
	vals := make([]any, 0, 4)
	for _, name := range []string{"Display_Name", "Full_Name", "Email", "Client_Object"} {
		v, err := ti.col(name).toStorage(row[name])
		if err != nil {
			return withOp(err, w.op)
		}
		vals = append(vals, v)
	}
	q := fmt.Sprintf(`SELECT %s IS ? AND %s IS ? AND %s IS ? AND %s IS ? FROM %s WHERE %s = ?`,
		ti.col("Display_Name").phys, ti.col("Full_Name").phys, ti.col("Email").phys, ti.col("Client_Object").phys,
		ti.phys, ti.col("ID").phys)
	var same bool
	err := w.tx.QueryRowContext(ctx, q, append(vals, c.ID)...).Scan(&same)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err := w.insertRows(ctx, ti, []catalog.Row{row}, nil, false, nil)
		return err
	case err != nil:
		return w.s.dbErr(w.op, err)
	case same:
		return nil
	}
	upd := fmt.Sprintf(`UPDATE %s SET %s = ?, %s = ?, %s = ?, %s = ? WHERE %s = ?`, ti.phys,
		ti.col("Display_Name").phys, ti.col("Full_Name").phys, ti.col("Email").phys, ti.col("Client_Object").phys,
		ti.col("ID").phys)
	if _, err := w.tx.ExecContext(ctx, upd, append(vals, c.ID)...); err != nil {
		return w.s.dbErr(w.op, err)
	}
	w.touch(ti, false)
	w.changed = true
	return nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
