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
	asked := askedRIDs{} // every candidate was asked about every miss
	for _, t := range candidates {
		asked.add(t, misses)
	}
	located, err := m.locateRIDs(ctx, misses, asked)
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

// askedRIDs records which RIDs each table has been asked about already.
type askedRIDs map[catalog.TableRef]map[string]bool

func (a askedRIDs) add(t catalog.TableRef, rids []string) {
	if a[t] == nil {
		a[t] = map[string]bool{}
	}
	for _, r := range rids {
		a[t][r] = true
	}
}

// tableSearch is one table to ask about some RIDs.
type tableSearch struct {
	table catalog.TableRef
	rids  []string
}

// locateRIDs finds the tables of RIDs that no table asked so far holds.
// ERMrest's entity_rid resolves one RID per request, so when the RIDs
// outnumber the tables still to ask it is cheaper to ask each of those
// tables (system tables excluded) once with RID=any(...), for the RIDs
// not yet asked of it; a RID no table holds is then unknown. (A deleted
// row is marked deleted by entity_rid and missed by the table search;
// callers treat both as missing.) The result is keyed by the RIDs as
// given.
func (m *ML) locateRIDs(ctx context.Context, rids []string, asked askedRIDs) (map[string]catalog.RIDInfo, error) {
	if len(rids) == 0 {
		return map[string]catalog.RIDInfo{}, nil
	}
	model, err := m.Model(ctx)
	if err != nil {
		return nil, err
	}
	searches := searchesLeft(model, rids, asked)
	if len(rids) > len(searches) {
		return m.searchTables(ctx, rids, searches)
	}
	return m.lookupRIDs(ctx, rids)
}

// searchesLeft pairs each of the model's tables with a RID column —
// except ERMrest's own tables in public (ERMrest_Client, ERMrest_Group,
// ERMrest_RID_Lease) — with the RIDs it has not been asked about, leaving
// out tables asked about all of them, in a fixed order.
func searchesLeft(model *catalog.Model, rids []string, asked askedRIDs) []tableSearch {
	var out []tableSearch
	for _, t := range model.SortedTables() {
		if t.Column(catalog.ColRID) == nil || t.Kind != "" && t.Kind != "table" ||
			t.SchemaName == "public" && strings.HasPrefix(t.Name, "ERMrest_") {
			continue
		}
		var pending []string
		for _, r := range rids {
			if !asked[t.Ref()][r] {
				pending = append(pending, r)
			}
		}
		if len(pending) > 0 {
			out = append(out, tableSearch{table: t.Ref(), rids: pending})
		}
	}
	return out
}

// ridLookupConcurrency bounds the look-ups in flight at once: enough to
// hide round trips, few enough not to flood the server.
const ridLookupConcurrency = 8

// searchTables asks each table, ridLookupConcurrency at a time, which of
// its RIDs it holds: one RID=any(...) query per table.
func (m *ML) searchTables(ctx context.Context, rids []string, searches []tableSearch) (map[string]catalog.RIDInfo, error) {
	held := make([][]catalog.Row, len(searches))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(ridLookupConcurrency)
	for i, s := range searches {
		g.Go(func() error {
			rows, err := queryAnyOf(gctx, m.store, catalog.Query{Table: s.table, Select: []string{catalog.ColRID}}, catalog.ColRID, s.rids)
			if err != nil {
				return fmt.Errorf("look for RIDs in %s: %w", s.table, err)
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
				out[row.RID()] = catalog.RIDInfo{RID: row.RID(), Table: searches[i].table}
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
