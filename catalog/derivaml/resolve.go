package derivaml

import (
	"context"
	"errors"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
)

// resolveRIDs finds the table of each RID: first with one RID=any(...)
// query per candidate table for all RIDs at once, then with a RID lookup
// only for those no candidate holds. RIDs the catalog does not know are
// absent from the result; deleted ones resolve with DeletedAt set.
func (m *ML) resolveRIDs(ctx context.Context, rids []string, candidates []catalog.TableRef) (map[string]catalog.RIDInfo, error) {
	out := map[string]catalog.RIDInfo{}
	canon := map[string]string{} // canonical spelling → input spelling
	var query []string
	for _, r := range uniq(rids) {
		c, ok := catalog.NormalizeRID(r)
		if !ok {
			c = r
		}
		canon[c] = r
		query = append(query, c)
	}
	for _, table := range candidates {
		if len(out) == len(canon) {
			break
		}
		var pending []string
		for _, c := range query {
			if _, done := out[canon[c]]; !done {
				pending = append(pending, c)
			}
		}
		rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: table, Select: []string{catalog.ColRID}}, catalog.ColRID, pending)
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			if in, ok := canon[row.RID()]; ok {
				out[in] = catalog.RIDInfo{RID: row.RID(), Table: table}
			}
		}
	}
	for _, c := range query {
		in := canon[c]
		if _, done := out[in]; done {
			continue
		}
		info, err := m.store.ResolveRID(ctx, c, "")
		if errors.Is(err, catalog.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("resolve RID %s: %w", in, err)
		}
		out[in] = info
	}
	return out, nil
}
