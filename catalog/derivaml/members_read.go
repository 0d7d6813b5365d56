package derivaml

import (
	"context"
	"fmt"
	"sort"

	"github.com/cyclezero/cyclezero/catalog"
)

// ListMembers returns a dataset's members per table as of a version: a
// released version reads the catalog at its snapshot, a dev version (or "")
// reads it live. Nested datasets are listed under "Dataset". Deleted
// datasets are read too, as DatasetHistory explains.
func (m *ML) ListMembers(ctx context.Context, rid, version string) (map[string][]catalog.Row, error) {
	rid = normRID(rid)
	snap, model, err := m.versionView(ctx, rid, version)
	if err != nil {
		return nil, err
	}
	out := map[string][]catalog.Row{}
	for _, et := range elementTypes(model, true) {
		keys, err := m.memberValues(ctx, rid, et, snap, 0)
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 {
			continue
		}
		rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: et.Table, At: snap}, et.keyColumn(), uniq(keys))
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
// limit > 0), ordered by the association's key (RID, or a vocabulary's
// Name).
func (m *ML) memberRIDs(ctx context.Context, dataset string, et ElementType, snap string, limit int) ([]string, error) {
	keys, err := m.memberValues(ctx, dataset, et, snap, limit)
	if err != nil {
		return nil, err
	}
	return m.keyRIDs(ctx, et, keys, snap)
}

// memberValues reads the association's values for one element type's
// members (see ElementType.Key), ordered by them.
func (m *ML) memberValues(ctx context.Context, dataset string, et ElementType, snap string, limit int) ([]string, error) {
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
