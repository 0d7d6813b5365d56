package derivaml

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

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
func (m *ML) AddDatasetMembers(ctx context.Context, rid string, members map[string][]string, opts MemberOptions) error {
	etypes, err := m.memberMap(ctx)
	if err != nil {
		return err
	}
	tables := sortedKeys(members)
	for _, t := range tables {
		if _, ok := etypes[t]; !ok {
			return fmt.Errorf("RID table: %s not part of dataset_table", t)
		}
		if t == TableDataset && slices.Contains(members[t], rid) {
			return errors.New("Creating cycle of datasets is not allowed")
		}
	}
	if !opts.SkipValidation {
		var overlap []string
		for _, t := range tables {
			existing, err := m.existingMembers(ctx, rid, etypes[t], uniq(members[t]))
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
	added := false
	for _, t := range tables {
		rids := uniq(members[t])
		if len(rids) == 0 {
			continue
		}
		et := etypes[t]
		rows := make([]catalog.Row, len(rids))
		for i, r := range rids {
			rows[i] = catalog.Row{"Dataset": rid, et.Column: r}
		}
		if _, err := m.store.Insert(ctx, et.Association, rows, catalog.InsertOptions{OnConflictSkip: opts.SkipValidation}); err != nil {
			return fmt.Errorf("add %d %s member(s) to dataset %s: %w", len(rids), t, rid, err)
		}
		added = true
	}
	if !added {
		return nil
	}
	desc := opts.Description
	if desc == "" {
		desc = "Updated dataset via add_dataset_members"
	}
	return m.createOrAdvanceDev(ctx, rid, desc, opts.Execution)
}

// AddDatasetMemberRIDs adds members given as bare RIDs, resolving each
// one's table with one batched query per element table.
func (m *ML) AddDatasetMemberRIDs(ctx context.Context, rid string, rids []string, opts MemberOptions) error {
	byTable, err := m.resolveMembers(ctx, rids)
	if err != nil {
		return err
	}
	return m.AddDatasetMembers(ctx, rid, byTable, opts)
}

// DeleteDatasetMembers removes members (bare RIDs) from a dataset with one
// delete per element table, then moves it to its dev version.
func (m *ML) DeleteDatasetMembers(ctx context.Context, rid string, rids []string, opts MemberOptions) error {
	if len(rids) == 0 {
		return nil
	}
	byTable, err := m.resolveMembers(ctx, rids)
	if err != nil {
		return fmt.Errorf("Invalid RID: %w", err)
	}
	etypes, err := m.memberMap(ctx)
	if err != nil {
		return err
	}
	for _, t := range sortedKeys(byTable) {
		et := etypes[t]
		f := catalog.And{catalog.Eq{Column: "Dataset", Value: rid}, anyOf(et.Column, byTable[t])}
		if err := m.store.Delete(ctx, et.Association, f); err != nil {
			return fmt.Errorf("remove %s members from dataset %s: %w", t, rid, err)
		}
	}
	desc := opts.Description
	if desc == "" {
		desc = "Deleted dataset members"
	}
	return m.createOrAdvanceDev(ctx, rid, desc, opts.Execution)
}

// resolveMembers groups RIDs by their element table.
func (m *ML) resolveMembers(ctx context.Context, rids []string) (map[string][]string, error) {
	etypes, err := m.memberMap(ctx)
	if err != nil {
		return nil, err
	}
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
	rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: et.Association, Where: catalog.Eq{Column: "Dataset", Value: dataset}},
		et.Column, rids)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.String(et.Column)
	}
	return out, nil
}

// ListMembers returns a dataset's members per table as of a version: a
// released version reads the catalog at its snapshot, a dev version (or "")
// reads it live. Nested datasets are listed under "Dataset".
func (m *ML) ListMembers(ctx context.Context, rid, version string) (map[string][]catalog.Row, error) {
	snap, model, err := m.versionView(ctx, rid, version)
	if err != nil {
		return nil, err
	}
	out := map[string][]catalog.Row{}
	for _, et := range elementTypes(model, true) {
		rids, err := m.memberRIDs(ctx, rid, et, snap, 0)
		if err != nil {
			return nil, err
		}
		if len(rids) == 0 {
			continue
		}
		rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: et.Table, At: snap}, catalog.ColRID, rids)
		if err != nil {
			return nil, err
		}
		out[et.Table.Table] = append(out[et.Table.Table], rows...)
	}
	return out, nil
}

// versionView returns the snapshot a dataset version reads at ("" for
// live) and the model as of then.
func (m *ML) versionView(ctx context.Context, rid, version string) (string, *catalog.Model, error) {
	if version == "" {
		model, err := m.Model(ctx)
		return "", model, err
	}
	row, err := m.versionRow(ctx, rid, version)
	if err != nil {
		return "", nil, err
	}
	if row.Snapshot == "" {
		model, err := m.Model(ctx)
		return "", model, err
	}
	model, err := m.store.Model(ctx, row.Snapshot)
	if err != nil {
		return "", nil, fmt.Errorf("read model at snapshot %s of dataset %s version %s: %w", row.Snapshot, rid, version, err)
	}
	return row.Snapshot, model, nil
}

// memberRIDs reads the member RIDs of one element type (at most limit when
// limit > 0), ordered by RID.
func (m *ML) memberRIDs(ctx context.Context, dataset string, et ElementType, snap string, limit int) ([]string, error) {
	q := catalog.Query{Table: et.Association, Where: catalog.Eq{Column: "Dataset", Value: dataset},
		Select: []string{catalog.ColRID, et.Column}, At: snap}
	var rows []catalog.Row
	var err error
	if limit > 0 {
		q.Sort = []catalog.SortKey{{Column: et.Column}}
		q.Limit = limit
		rows, err = m.store.Query(ctx, q)
	} else {
		rows, err = queryAll(ctx, m.store, q)
	}
	if err != nil {
		return nil, fmt.Errorf("read members of dataset %s: %w", dataset, err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.String(et.Column)
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
