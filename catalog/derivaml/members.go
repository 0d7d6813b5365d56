package derivaml

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// MemberOptions qualify a membership change.
type MemberOptions struct {
	Description string // recorded on the dev version row
	Execution   string // the execution making the change, if any
	// SkipValidation skips the check that no RID is already a member
	// (DerivaML's validate=False, for large additions).
	SkipValidation bool
}

// ElementTypes lists the tables registered as dataset member types
// (list_dataset_element_types: domain tables and Dataset itself).
func (m *ML) ElementTypes(ctx context.Context) ([]ElementType, error) {
	model, err := m.Model(ctx)
	if err != nil {
		return nil, err
	}
	return elementTypes(model, false), nil
}

// memberMap maps member table names to their association (File included).
func (m *ML) memberMap(ctx context.Context) (map[string]ElementType, error) {
	model, err := m.Model(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]ElementType{}
	for _, et := range elementTypes(model, true) {
		out[et.Table.Table] = et
	}
	return out, nil
}

// AddDatasetMembers adds rows, given per member table (the fast form, with
// no RID resolution), to a dataset and moves it to its dev version. Tables
// must be registered element types; adding nothing changes nothing.
//
// Everything is checked before the first write, with one read per table:
// that the dataset exists and is not deleted, the tables, that every RID
// exists in its table, that no nested dataset would close a cycle, and
// (unless SkipValidation) that none is already a member. The writes are
// then one insert per table and the dev-version step; if one fails, the
// member rows this call inserted are removed again and the error says so.
func (m *ML) AddDatasetMembers(ctx context.Context, rid string, members map[string][]string, opts MemberOptions) error {
	rid, opts.Execution = normRID(rid), normRID(opts.Execution)
	if err := m.requireLiveDataset(ctx, rid); err != nil {
		return err
	}
	etypes, err := m.memberMap(ctx)
	if err != nil {
		return err
	}
	for _, t := range sortedKeys(members) {
		if _, ok := etypes[t]; !ok {
			return fmt.Errorf("RID table: %s not part of dataset_table", t)
		}
	}
	byTable, err := m.placeMembers(ctx, etypes, members)
	if err != nil {
		return err
	}
	return m.addMembers(ctx, rid, etypes, byTable, opts)
}

// AddDatasetMemberRIDs adds members given as bare RIDs, resolving each
// one's table with one batched query per element table, then adds them as
// AddDatasetMembers does.
func (m *ML) AddDatasetMemberRIDs(ctx context.Context, rid string, rids []string, opts MemberOptions) error {
	rid, opts.Execution = normRID(rid), normRID(opts.Execution)
	if err := m.requireLiveDataset(ctx, rid); err != nil {
		return err
	}
	etypes, err := m.memberMap(ctx)
	if err != nil {
		return err
	}
	byTable, err := m.resolveMembers(ctx, etypes, rids)
	if err != nil {
		return err
	}
	return m.addMembers(ctx, rid, etypes, byTable, opts)
}

// placeMembers checks that each table's RIDs exist in it, one read per
// table, and returns them as the catalog spells them.
func (m *ML) placeMembers(ctx context.Context, etypes map[string]ElementType, members map[string][]string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, t := range sortedKeys(members) {
		want := canonAll(members[t])
		var bad []string
		for _, r := range uniq(members[t]) {
			if !catalog.LooksLikeRID(normRID(r)) {
				bad = append(bad, r)
			}
		}
		rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: etypes[t].Table, Select: []string{catalog.ColRID}}, catalog.ColRID, want)
		if err != nil {
			return nil, fmt.Errorf("look up %s members: %w", t, err)
		}
		found := map[string]bool{}
		for _, r := range rows {
			found[r.RID()] = true
		}
		for _, r := range want {
			if found[r] {
				out[t] = append(out[t], r)
			} else {
				bad = append(bad, r)
			}
		}
		if len(bad) > 0 {
			return nil, fmt.Errorf("RIDs not found in table %s: %s", t, pyList(bad))
		}
	}
	return out, nil
}

// addMembers checks for cycles and existing members, then writes.
func (m *ML) addMembers(ctx context.Context, rid string, etypes map[string]ElementType, byTable map[string][]string, opts MemberOptions) error {
	if err := m.checkNoCycle(ctx, rid, byTable[TableDataset]); err != nil {
		return err
	}
	tables := sortedKeys(byTable)
	if !opts.SkipValidation {
		var overlap []string
		for _, t := range tables {
			existing, err := m.existingMembers(ctx, rid, etypes[t], byTable[t])
			if err != nil {
				return err
			}
			overlap = append(overlap, existing...)
		}
		if len(overlap) > 0 {
			sort.Strings(overlap)
			return fmt.Errorf("Attempting to add existing member to dataset_table %s: %s", rid, pySet(overlap))
		}
	}
	var added memberRows
	for _, t := range tables {
		rids := byTable[t]
		if len(rids) == 0 {
			continue
		}
		et := etypes[t]
		keys, _, err := m.memberKeys(ctx, et, rids)
		if err != nil {
			return added.undoAdd(ctx, m, err)
		}
		rows := make([]catalog.Row, len(keys))
		for i, k := range keys {
			rows[i] = catalog.Row{"Dataset": rid, et.Column: k}
		}
		inserted, err := m.store.Insert(ctx, et.Association, rows, catalog.InsertOptions{OnConflictSkip: opts.SkipValidation})
		if err != nil {
			err = fmt.Errorf("add %d %s member(s) to dataset %s: %w", len(rids), t, rid, err)
			ok, err := settle(ctx, err, fmt.Sprintf("whether dataset %s has those %d %s member(s)", rid, len(rids), t),
				func(ctx context.Context) (bool, error) {
					inserted, err = m.rowsAt(ctx, et.Association, catalog.And{catalog.Eq{Column: "Dataset", Value: rid}, anyOf(et.Column, keys)})
					return len(inserted) == len(uniq(keys)), err
				})
			if !ok {
				return added.undoAdd(ctx, m, err)
			}
			// Checked members were not members before, so the rows are
			// this call's; unchecked ones may have been.
			added = append(added, memberBatch{et: et, rows: inserted, unsure: opts.SkipValidation})
			continue
		}
		added = append(added, memberBatch{et: et, rows: inserted})
	}
	if len(tables) == 0 {
		return nil
	}
	desc := opts.Description
	if desc == "" {
		desc = "Updated dataset via add_dataset_members"
	}
	if err := m.createOrAdvanceDev(ctx, rid, desc, opts.Execution); err != nil {
		return added.undoAdd(ctx, m, err)
	}
	return nil
}

// DeleteDatasetMembers removes members (bare RIDs) from a live (not
// deleted) dataset with one delete per element table, then moves it to its
// dev version. The member rows are read first; if a later step fails the
// rows already deleted are inserted again (with new row RIDs) and the error
// says so.
func (m *ML) DeleteDatasetMembers(ctx context.Context, rid string, rids []string, opts MemberOptions) error {
	rid, rids, opts.Execution = normRID(rid), normRIDs(rids), normRID(opts.Execution)
	if err := m.requireLiveDataset(ctx, rid); err != nil {
		return err
	}
	if len(rids) == 0 {
		return nil
	}
	etypes, err := m.memberMap(ctx)
	if err != nil {
		return err
	}
	byTable, err := m.resolveMembers(ctx, etypes, rids)
	if err != nil {
		return fmt.Errorf("Invalid RID: %w", err)
	}
	var doomed memberRows
	for _, t := range sortedKeys(byTable) {
		et := etypes[t]
		keys, _, err := m.memberKeys(ctx, et, byTable[t])
		if err != nil {
			return err
		}
		rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: et.Association, Where: catalog.Eq{Column: "Dataset", Value: rid},
			Select: []string{catalog.ColRID, "Dataset", et.Column}}, et.Column, keys)
		if err != nil {
			return fmt.Errorf("read %s members of dataset %s: %w", t, rid, err)
		}
		doomed = append(doomed, memberBatch{et: et, rows: rows})
	}
	var deleted memberRows
	for _, b := range doomed {
		if len(b.rows) == 0 {
			continue
		}
		if err := m.store.Delete(ctx, b.et.Association, anyOf(catalog.ColRID, rowRIDs(b.rows))); err != nil {
			err = fmt.Errorf("remove %s members from dataset %s: %w", b.et.Table.Table, rid, err)
			ok, err := settle(ctx, err, fmt.Sprintf("whether dataset %s still has those %d %s member(s)", rid, len(b.rows), b.et.Table.Table),
				func(ctx context.Context) (bool, error) {
					left, err := m.rowsAt(ctx, b.et.Association, anyOf(catalog.ColRID, rowRIDs(b.rows)))
					return len(left) == 0, err
				})
			if !ok {
				return deleted.undoDelete(ctx, m, err)
			}
		}
		deleted = append(deleted, b)
	}
	desc := opts.Description
	if desc == "" {
		desc = "Deleted dataset members"
	}
	if err := m.createOrAdvanceDev(ctx, rid, desc, opts.Execution); err != nil {
		return deleted.undoDelete(ctx, m, err)
	}
	return nil
}

// memberBatch is association rows of one element type written or removed
// by one call, kept so a failed call can undo them. Unsure rows were read
// back after a lost answer to adding them, unchecked beforehand
// (SkipValidation), so some may have been members before: an undo leaves
// them.
type memberBatch struct {
	et     ElementType
	rows   []catalog.Row
	unsure bool
}

type memberRows []memberBatch

func (r memberRows) describe(verb string) string {
	var parts []string
	for _, b := range r {
		parts = append(parts, fmt.Sprintf("%d %s", len(b.rows), b.et.Table.Table))
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return fmt.Sprintf("the %s member row(s) this call %s", strings.Join(parts, ", "), verb)
}

// undoAdd removes the rows this call inserted and reports err with what
// was rolled back (nothing to undo returns err as it is). An unknown
// outcome removes nothing (see rollBack).
func (r memberRows) undoAdd(ctx context.Context, m *ML, err error) error {
	var sure, unsure memberRows
	for _, b := range r {
		if b.unsure {
			unsure = append(unsure, b)
		} else {
			sure = append(sure, b)
		}
	}
	if len(unsure) > 0 {
		if outcomeUnknown(err) {
			err = leftInPlace(err, unsure.describe("may have added"))
		} else {
			err = leftAnswerLost(err, unsure.describe("may have added"), "and without validation which were members before is unknown")
		}
	}
	if len(sure) == 0 {
		return err
	}
	return rollBack(ctx, err, sure.describe("added"), func(ctx context.Context) error {
		var errs []error
		for _, b := range sure {
			errs = append(errs, m.deleteRIDs(ctx, b.et.Association, rowRIDs(b.rows)))
		}
		return errors.Join(errs...)
	})
}

// undoDelete inserts again the rows this call deleted (unless the outcome
// is unknown, see rollBack).
func (r memberRows) undoDelete(ctx context.Context, m *ML, err error) error {
	if len(r) == 0 {
		return err
	}
	return rollBack(ctx, err, r.describe("removed"), func(ctx context.Context) error {
		var errs []error
		for _, b := range r {
			rows := make([]catalog.Row, len(b.rows))
			for i, row := range b.rows {
				rows[i] = catalog.Row{"Dataset": row["Dataset"], b.et.Column: row[b.et.Column]}
			}
			_, ierr := m.store.Insert(ctx, b.et.Association, rows, catalog.InsertOptions{OnConflictSkip: true})
			errs = append(errs, ierr)
		}
		return errors.Join(errs...)
	})
}

// resolveMembers groups RIDs by their element table: one RID=any(...)
// query per element table, then a RID lookup only for RIDs none holds.
func (m *ML) resolveMembers(ctx context.Context, etypes map[string]ElementType, rids []string) (map[string][]string, error) {
	var candidates []catalog.TableRef
	for _, t := range sortedKeys(etypes) {
		candidates = append(candidates, etypes[t].Table)
	}
	found, err := m.resolveRIDs(ctx, uniq(rids), candidates)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	var missing []string
	for _, r := range uniq(rids) {
		info, ok := found[r]
		switch {
		case !ok:
			missing = append(missing, r)
		case info.Deleted():
			missing = append(missing, r)
		case etypes[info.Table.Table].Table != info.Table:
			return nil, fmt.Errorf("RID table: %s not part of dataset_table", info.Table.Table)
		default:
			out[info.Table.Table] = append(out[info.Table.Table], info.RID)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("RIDs not found in catalog: %s", pyList(missing))
	}
	return out, nil
}

// existingMembers returns which of rids are already members of dataset.
func (m *ML) existingMembers(ctx context.Context, dataset string, et ElementType, rids []string) ([]string, error) {
	keys, toRID, err := m.memberKeys(ctx, et, rids)
	if err != nil {
		return nil, err
	}
	rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: et.Association, Where: catalog.Eq{Column: "Dataset", Value: dataset}},
		et.Column, keys)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.String(et.Column) // a RID as the catalog spells it
		if !et.byRID() {
			out[i] = toRID[out[i]]
		}
	}
	return out, nil
}
