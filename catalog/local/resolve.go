package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
)

// ResolveRID finds the table that holds (or held) an entity, live or as of
// a snapshot. The RID matches as spelled or normalized (case, dashes, O/I/L),
// as ERMrest's entity_rid does. An entity deleted by then resolves with
// DeletedAt and LastVisibleSnaptime; an unknown RID, one created later, or
// one naming a model element gives ErrNotFound.
func (s *Store) ResolveRID(ctx context.Context, rid string, at string) (catalog.RIDInfo, error) {
	op := "resolve RID " + rid
	var info catalog.RIDInfo
	err := s.read(ctx, op, at, func(r *rtx) error {
		for _, form := range catalog.RIDSpellings(rid) { // the exact spelling wins
			found, err := r.resolve(ctx, form, &info)
			if err != nil || found {
				return err
			}
		}
		return &catalog.Error{Kind: catalog.ErrNotFound, Detail: "entity with RID=" + rid,
			Fix: "check the RID; it may belong to another catalog or snapshot"}
	})
	if err != nil {
		return catalog.RIDInfo{}, s.dbErr(op, err)
	}
	return info, nil
}

func (r *rtx) resolve(ctx context.Context, rid string, info *catalog.RIDInfo) (bool, error) {
	var tbl string
	err := r.tx.QueryRowContext(ctx, `SELECT tbl FROM _rids WHERE rid = ?`, rid).Scan(&tbl)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	ti := r.m.byRID[tbl]
	if ti == nil { // the table did not exist yet at this snapshot
		return false, nil
	}
	var lo int64
	var hi sql.NullInt64
	err = r.tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT lo, hi FROM %s WHERE rid = ? AND lo <= ? ORDER BY lo DESC LIMIT 1`, ti.hist),
		rid, r.snap).Scan(&lo, &hi)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // created after the snapshot
	} else if err != nil {
		return false, err
	}
	*info = catalog.RIDInfo{RID: rid, Table: ti.ref}
	if !hi.Valid || hi.Int64 > r.snap {
		return true, nil
	}
	var last sql.NullInt64
	if err := r.tx.QueryRowContext(ctx, `SELECT max(ts) FROM _snapshots WHERE ts < ?`, hi.Int64).Scan(&last); err != nil {
		return false, err
	}
	info.DeletedAt = pyTimestamp(microTime(hi.Int64))
	info.LastVisibleSnaptime = catalog.EncodeRID(last.Int64)
	return true, nil
}
