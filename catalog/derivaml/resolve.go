package derivaml

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/cyclezero/cyclezero/catalog"
)

// resolveRIDs finds the table of each RID: first with one RID=any(...)
// query per candidate table for all RIDs at once, then with a RID lookup
// (a few at a time) only for those no candidate holds. RIDs the catalog
// does not know are absent from the result; deleted ones resolve with
// DeletedAt set.
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
	var misses []string
	for _, c := range query {
		if _, done := out[canon[c]]; !done {
			misses = append(misses, c)
		}
	}
	found, err := m.lookupRIDs(ctx, misses)
	if err != nil {
		return nil, err
	}
	for c, info := range found {
		out[canon[c]] = info
	}
	return out, nil
}

// ridLookupConcurrency bounds the RID lookups in flight at once: enough to
// hide round trips, few enough not to flood the server.
const ridLookupConcurrency = 8

// lookupRIDs resolves each RID with its own lookup (ERMrest's entity_rid
// takes one RID), at most ridLookupConcurrency at a time. Unknown RIDs are
// absent from the result.
func (m *ML) lookupRIDs(ctx context.Context, rids []string) (map[string]catalog.RIDInfo, error) {
	infos := make([]catalog.RIDInfo, len(rids))
	known := make([]bool, len(rids))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(ridLookupConcurrency)
	for i, r := range rids {
		g.Go(func() error {
			info, err := m.store.ResolveRID(gctx, r, "")
			if errors.Is(err, catalog.ErrNotFound) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("resolve RID %s: %w", r, err)
			}
			infos[i], known[i] = info, true
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := map[string]catalog.RIDInfo{}
	for i, r := range rids {
		if known[i] {
			out[r] = infos[i]
		}
	}
	return out, nil
}
