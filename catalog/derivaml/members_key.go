package derivaml

import (
	"context"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
)

// Callers name members by RID, but an element type's association holds
// whatever key its foreign key references: RID for most tables, Name for a
// vocabulary (deriva-py's define_association searches Name, name, ID, id
// before falling back to RID). These helpers translate between the two,
// with one read of the member table per call.

// keyColumn is the member table column the association references.
func (et ElementType) keyColumn() string {
	if et.Key == "" {
		return catalog.ColRID
	}
	return et.Key
}

// byRID reports whether the association holds member RIDs as they are.
func (et ElementType) byRID() bool { return et.keyColumn() == catalog.ColRID }

// memberKeys returns the association values for member RIDs (in order)
// and, for reporting back, each value's RID.
func (m *ML) memberKeys(ctx context.Context, et ElementType, rids []string) ([]string, map[string]string, error) {
	toRID := make(map[string]string, len(rids))
	if et.byRID() {
		for _, r := range rids {
			toRID[r] = r
		}
		return rids, toRID, nil
	}
	key := et.keyColumn()
	rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: et.Table, Select: []string{catalog.ColRID, key}}, catalog.ColRID, rids)
	if err != nil {
		return nil, nil, fmt.Errorf("read the %s of %s members: %w", key, et.Table.Table, err)
	}
	byRID := make(map[string]string, len(rows))
	for _, r := range rows {
		byRID[r.RID()] = r.String(key)
	}
	keys := make([]string, 0, len(rids))
	for _, r := range rids {
		k, ok := byRID[r]
		if !ok {
			return nil, nil, fmt.Errorf("RIDs not found in table %s: %s", et.Table.Table, pyList([]string{r}))
		}
		keys = append(keys, k)
		toRID[k] = r
	}
	return keys, toRID, nil
}

// keyRIDs translates association values to member RIDs as of snap,
// keeping their order.
func (m *ML) keyRIDs(ctx context.Context, et ElementType, keys []string, snap string) ([]string, error) {
	if et.byRID() || len(keys) == 0 {
		return keys, nil
	}
	key := et.keyColumn()
	rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: et.Table, Select: []string{catalog.ColRID, key}, At: snap}, key, uniq(keys))
	if err != nil {
		return nil, fmt.Errorf("read the RIDs of %s members: %w", et.Table.Table, err)
	}
	toRID := make(map[string]string, len(rows))
	for _, r := range rows {
		toRID[r.String(key)] = r.RID()
	}
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if r, ok := toRID[k]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}
