package derivaml

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/cyclezero/cyclezero/catalog"
)

// resolveRIDs finds the table of each RID: first with one RID=any(...)
// query per candidate table for all RIDs at once, then (locateRIDs) for
// those no candidate holds. The result is keyed by the RIDs as given; RIDs
// the catalog does not know are absent from it.
func (m *ML) resolveRIDs(ctx context.Context, rids []string, candidates []catalog.TableRef) (map[string]catalog.RIDInfo, error) {
	spellings := map[string][]string{} // canonical spelling → the spellings given
	var query []string
	for _, r := range uniq(rids) {
		c := normRID(r)
		if _, seen := spellings[c]; !seen {
			query = append(query, c)
		}
		spellings[c] = append(spellings[c], r)
	}
	found := map[string]catalog.RIDInfo{} // by canonical spelling
	for _, table := range candidates {
		var pending []string
		for _, c := range query {
			if _, done := found[c]; !done {
				pending = append(pending, c)
			}
		}
		if len(pending) == 0 {
			break
		}
		rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: table, Select: []string{catalog.ColRID}}, catalog.ColRID, pending)
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			if _, ok := spellings[row.RID()]; ok {
				found[row.RID()] = catalog.RIDInfo{RID: row.RID(), Table: table}
			}
		}
	}
	var misses []string
	for _, c := range query {
		if _, done := found[c]; !done {
			misses = append(misses, c)
		}
	}
	located, err := m.locateRIDs(ctx, misses, candidates)
	if err != nil {
		return nil, err
	}
	out := map[string]catalog.RIDInfo{}
	for c, ins := range spellings {
		info, ok := found[c]
		if !ok {
			info, ok = located[c]
		}
		if ok {
			for _, in := range ins {
				out[in] = info
			}
		}
	}
	return out, nil
}

// locateRIDs finds the tables of RIDs that the searched tables do not
// hold. ERMrest's entity_rid resolves one RID per request, so when the
// RIDs outnumber the tables left to search it is cheaper to ask each of
// those tables (system tables excluded) once with RID=any(...); a RID no
// table holds is then unknown. (A deleted row is marked deleted by
// entity_rid and missed by the table search; callers treat both as
// missing.) The result is keyed by the RIDs as given.
func (m *ML) locateRIDs(ctx context.Context, rids []string, searched []catalog.TableRef) (map[string]catalog.RIDInfo, error) {
	if len(rids) == 0 {
		return map[string]catalog.RIDInfo{}, nil
	}
	model, err := m.Model(ctx)
	if err != nil {
		return nil, err
	}
	remaining := searchableTables(model, searched)
	if len(rids) > len(remaining) {
		return m.searchTables(ctx, rids, remaining)
	}
	return m.lookupRIDs(ctx, rids)
}

// searchableTables are the model's tables with a RID column, other than
// the ones already searched and ERMrest's own tables in public
// (ERMrest_Client, ERMrest_Group, ERMrest_RID_Lease), in a fixed order.
func searchableTables(model *catalog.Model, searched []catalog.TableRef) []catalog.TableRef {
	skip := map[catalog.TableRef]bool{}
	for _, t := range searched {
		skip[t] = true
	}
	var out []catalog.TableRef
	for _, t := range model.SortedTables() {
		switch {
		case skip[t.Ref()], t.Column(catalog.ColRID) == nil, t.Kind != "" && t.Kind != "table":
		case t.SchemaName == "public" && strings.HasPrefix(t.Name, "ERMrest_"):
		default:
			out = append(out, t.Ref())
		}
	}
	return out
}

// ridLookupConcurrency bounds the look-ups in flight at once: enough to
// hide round trips, few enough not to flood the server.
const ridLookupConcurrency = 8

// searchTables asks each table, ridLookupConcurrency at a time, which of
// rids it holds: one RID=any(...) query per table.
func (m *ML) searchTables(ctx context.Context, rids []string, tables []catalog.TableRef) (map[string]catalog.RIDInfo, error) {
	held := make([][]catalog.Row, len(tables))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(ridLookupConcurrency)
	for i, t := range tables {
		g.Go(func() error {
			rows, err := queryAnyOf(gctx, m.store, catalog.Query{Table: t, Select: []string{catalog.ColRID}}, catalog.ColRID, rids)
			if err != nil {
				return fmt.Errorf("look for RIDs in %s: %w", t, err)
			}
			held[i] = rows
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, r := range rids {
		want[r] = true
	}
	out := map[string]catalog.RIDInfo{}
	for i, rows := range held {
		for _, row := range rows {
			if _, dup := out[row.RID()]; want[row.RID()] && !dup {
				out[row.RID()] = catalog.RIDInfo{RID: row.RID(), Table: tables[i]}
			}
		}
	}
	return out, nil
}

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
